from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Articles and claims"

    def ready(self) -> None:
        from claims.roles import ensure_roles

        # Every app, not only this one: the roles hold permissions of apps migrated later.
        post_migrate.connect(ensure_roles, dispatch_uid="claims.ensure_roles")
