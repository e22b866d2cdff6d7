"""The three roles as Django groups, kept in code so every install has the same ones.

reviewer: review claims, comment, add references and articles; merge, split, rename events;
          tag claims and articles.
editor:   reviewer + assign, approve verdicts, publish, manage outlets, sources, gazetteer,
          webhooks.
admin:    editor + users.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

REVIEWER = [
    "claims.view_outlet", "claims.view_article", "claims.add_article",
    "claims.view_claim", "claims.change_claim", "verify.add_review", "verify.view_review",
    "claims.view_entity", "verify.view_summary", "verify.add_comment", "verify.view_comment",
    "verify.view_auditevent", "claims.add_claim",
    "verify.view_reference", "verify.add_reference", "verify.view_gatherjob",
    "verify.add_gatherjob", "verify.view_librarydocument", "verify.add_librarydocument",
    "verify.view_event", "verify.change_event",
    "verify.tag_claim",
]
EDITOR = [
    *REVIEWER,
    "claims.add_outlet", "claims.change_outlet", "claims.change_article",
    "claims.view_feed", "claims.add_feed", "claims.change_feed",
    "claims.add_entity", "claims.change_entity", "claims.delete_entity",
    "verify.change_review", "verify.add_summary", "verify.change_summary",
    "claims.assign_claim", "verify.approve_review",
    "verify.change_librarydocument",
    "api.view_webhook", "api.add_webhook", "api.change_webhook",
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
