from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Articles and claims"

    def ready(self) -> None:
        from django.conf import settings

        from claims.extraction import pipeline

        # The engine does not import Django: the setting reaches it as its module flag, so
        # that under the test suite a bug in a frame fails a test instead of costing claims.
        pipeline.STRICT = pipeline.STRICT or settings.RAISE_PIPELINE_ERRORS
