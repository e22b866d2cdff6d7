from django.contrib import admin

from config.paginator import CappedAdmin
from verify.models import GatherJob, LibraryDocument, Reference


@admin.register(Reference)
class ReferenceAdmin(CappedAdmin):
    list_display = ["title", "source", "publisher", "published", "stance", "score"]
    list_filter = ["source", "stance", "independent"]
    raw_id_fields = ["claim"]


@admin.register(GatherJob)
class GatherJobAdmin(CappedAdmin):
    list_display = ["claim", "source", "state", "attempts", "updated_at"]
    list_filter = ["state", "source"]
    raw_id_fields = ["claim"]


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(CappedAdmin):
    list_display = ["title", "publisher", "published", "url"]
    search_fields = ["title", "text", "url"]
