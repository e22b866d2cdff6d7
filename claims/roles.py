"""The three roles as Django groups, kept in code so every install has the same ones.

reviewer: review claims, comment, add references and articles.
editor:   reviewer + assign, approve verdicts, publish, manage outlets, sources, gazetteer.
admin:    editor + users.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

REVIEWER = [
    "claims.view_outlet", "claims.view_article", "claims.add_article",
    "claims.view_claim", "claims.change_claim", "claims.add_review", "claims.view_review",
    "claims.view_entity", "claims.view_summary", "claims.add_comment", "claims.view_comment",
    "claims.view_auditevent", "claims.add_claim",
    "verify.view_reference", "verify.add_reference", "verify.view_gatherjob",
    "verify.add_gatherjob", "verify.view_librarydocument", "verify.add_librarydocument",
]
EDITOR = [
    *REVIEWER,
    "claims.add_outlet", "claims.change_outlet", "claims.change_article",
    "claims.add_entity", "claims.change_entity", "claims.delete_entity",
    "claims.change_review", "claims.add_summary", "claims.change_summary",
    "claims.assign_claim", "claims.approve_review",
    "verify.change_librarydocument",
]
ADMIN = [*EDITOR, "auth.view_user", "auth.add_user", "auth.change_user"]
ROLES = {"reviewer": REVIEWER, "editor": EDITOR, "admin": ADMIN}


def ensure_roles(**_: Any) -> None:
    """Create or update the role groups (connected to post_migrate)."""
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        perms: list[Permission] = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            perms.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def sees_full_errors(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers, and staff with the admin role, read the SSRF guard's full reasons (what a
    host name resolved to); everyone else reads them in general terms (issue 16, item 6)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "is_staff", False)) and user.groups.filter(  # type: ignore[attr-defined]
        name="admin"
    ).exists()


def error_for(user: AbstractBaseUser | AnonymousUser, text: str) -> str:
    """An error message as this person may read it."""
    from verify.http import general_reason

    return text if sees_full_errors(user) else general_reason(text)
