"""Celery tasks of the whole path (the gather tasks themselves are in verify.evidence.tasks)."""

from __future__ import annotations

from celery import shared_task

from verify import pipeline


@shared_task
def reconcile() -> None:
    """Beat sends this every 30 s: re-send what lost its message (see verify.pipeline)."""
    pipeline.reconcile()
