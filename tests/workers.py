"""Helpers for tests that run a real `celery worker` (and beat) in a separate process.

The worker gets the suite's own test database, a broker that no other test run on this
machine shares (a private folder for the filesystem broker, a private Redis database
number), and every network source pointed at a closed loopback port, so a worker started
by a test can never reach past 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from kombu import pools

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
CLOSED_PORT = "http://127.0.0.1:9"  # discard: connection refused at once
SOURCE_URL_SETTINGS = [
    "WIKIPEDIA_API_URL", "WIKIPEDIA_REST_URL", "WIKIDATA_API_URL", "WDQS_URL",
    "GDELT_DOC_URL", "FACTCHECK_URL",
]  # fmt: skip


def database_env() -> dict[str, str]:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(db["NAME"])}
    return {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    }


def private_broker(var_dir: Path) -> dict[str, str]:
    """Point this process's Celery app at a broker of its own; return the worker's env."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folders = {name: var_dir / "broker" / name for name in ("queue", "processed", "control")}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        celery_app.conf.broker_transport_options = {
            **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
        }
        env = {"VAR_DIR": str(var_dir)}
    else:
        url = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{8 + os.getpid() % 8}"
        # Redis keeps what an earlier run left in this database number (a run killed
        # mid-test leaves its queued tasks): the worker would work through that backlog
        # before this test's task.
        redis.Redis.from_url(url).flushdb()
        # Not broker_url: Celery prefers the CELERY_BROKER_URL environment variable to it.
        celery_app.conf.broker_write_url = url
        env = {"CELERY_BROKER_URL": url}
    _drop_connections()
    return env


def restore_broker() -> None:
    celery_app.conf.broker_write_url = None
    celery_app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    _drop_connections()


def _drop_connections() -> None:
    """Forget pooled connections made with other broker settings (kombu keeps them globally)."""
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def worker_env(var_dir: Path | None = None) -> dict[str, str]:
    """Environment for a worker (or beat) process that shares this test's database."""
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0", "PYTHONPATH": str(ROOT)}
    env.update(database_env())
    env.update({name: f"{CLOSED_PORT}/{name.lower()}" for name in SOURCE_URL_SETTINGS})
    if var_dir is not None:
        env.update(private_broker(var_dir))
    return env


def wait_for(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a worker or beat the way a service manager would: SIGTERM, then a kill if it
    has not shut down within 20 s."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
