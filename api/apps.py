from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # verify announces publications; the api app listens (dependencies point one way).
        from api import tasks, webhooks
        from verify.publishing.services import summary_changed

        # Imported so that the task webhooks queue by name is known in every process
        # (in-process Celery runs only tasks it knows; a name alone goes to the broker).
        assert tasks.deliver_webhook.name == webhooks.DELIVER_WEBHOOK
        summary_changed.connect(webhooks.record, dispatch_uid="api.webhooks.record")
