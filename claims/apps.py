from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Articles and claims"

    def ready(self) -> None:
        from django.conf import settings

        from claims.extraction import strict

        strict.RAISE_ERRORS = settings.RAISE_PIPELINE_ERRORS
