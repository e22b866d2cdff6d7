"""The Celery app. Configuration lives in config/settings.py under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("corroborate")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks module (api's: webhook deliveries), and the evidence subpackage's
# (routed to the fetch queue).
app.autodiscover_tasks(["claims", "verify", "verify.evidence", "verify.review", "api"])
