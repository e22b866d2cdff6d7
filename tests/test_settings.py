from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

from tests.conftest import ROOT


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_with_debug_off_and_no_secret_key() -> None:
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_starts_with_debug_off_and_a_secret_key() -> None:
    result = run_check(DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr


def test_sqlite_lets_a_web_process_and_a_worker_write_side_by_side() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return  # PostgreSQL run: nothing SQLite-specific to check
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_celery_is_configured_not_to_lose_tasks() -> None:
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_TASK_ROUTES["verify.evidence.tasks.*"]["queue"] == "fetch"
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT
