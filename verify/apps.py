from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VerifyConfig(AppConfig):
    name = "verify"
    verbose_name = "Evidence, review and publishing"

    def ready(self) -> None:
        from claims.signals import claims_extracted
        from verify.pipeline import gather_extracted, group_extracted
        from verify.roles import ensure_roles

        claims_extracted.connect(gather_extracted, dispatch_uid="verify.gather_extracted")
        claims_extracted.connect(group_extracted, dispatch_uid="verify.group_extracted")
        # Every app, not only this one: the roles hold permissions of both apps.
        post_migrate.connect(ensure_roles, dispatch_uid="verify.ensure_roles")
