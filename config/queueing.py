"""Queue Celery tasks after the transaction commits, without ever failing the request.

Celery's own `delay_on_commit` lets a broker error escape from the commit hook into the web
request. Here the error is logged and swallowed instead: the row that describes the work is
already committed in a "queued" state, and the reconciler (verify.tasks.reconcile) queues it
again once the broker answers.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Signature, Task
from django.db import transaction

log = logging.getLogger(__name__)


def send(task: Task | Signature, *args: Any) -> bool:
    """Send now; False (and a log line) when the broker cannot take it."""
    try:
        task.delay(*args)
    except Exception:  # any broker failure: connection refused, timeout, auth
        log.warning(
            "could not queue %s%r; the reconciler will retry", task.name, args, exc_info=True
        )
        return False
    return True


def send_on_commit(task: Task | Signature, *args: Any) -> None:
    transaction.on_commit(partial(send, task, *args))
