"""The admin edits the reference library; every workflow row (references, jobs, verdicts,
summaries, the audit trail) is read-only here, so no rule of the review state machine or of
publishing can be gone around. Users: only a superuser sees or changes `is_superuser`."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from config.paginator import CappedAdmin, ReadOnlyAdmin
from verify.models import AuditEvent, GatherJob, LibraryDocument, Reference, Review, Summary


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "publisher", "published", "stance", "score"]
    list_filter = ["source", "stance", "independent"]
    raw_id_fields = ["claim"]


@admin.register(GatherJob)
class GatherJobAdmin(ReadOnlyAdmin):
    list_display = ["claim", "source", "state", "attempts", "updated_at"]
    list_filter = ["state", "source"]
    raw_id_fields = ["claim"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["claim", "verdict", "status", "reviewer", "created_at"]
    list_filter = ["verdict", "status"]
    raw_id_fields = ["claim", "references"]


@admin.register(Summary)
class SummaryAdmin(ReadOnlyAdmin):
    list_display = ["article", "version", "state", "is_current", "published_at"]
    raw_id_fields = ["article"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_id", "claim"]
    list_filter = ["action", "model"]


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(CappedAdmin):
    list_display = ["title", "publisher", "published", "url"]
    search_fields = ["title", "text", "url"]


class DeskUserAdmin(UserAdmin):
    """Django's user admin, except that only a superuser may see or grant superuser status:
    an admin who may change users must not be able to make themselves one."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Single permissions are superuser business too: granting oneself all of them would
        # be superuser status under another name. Roles are groups (verify/roles.py).
        hidden = {"is_superuser", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and obj is not None and obj.is_superuser:
            # A superuser's account is theirs to change: no password or group changes by others.
            readonly += ["username", "email", "groups", "user_permissions", "is_staff",
                         "is_active"]
        return readonly


admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)
