"""Bringing an article in, in headless Chromium, with a real Celery worker doing the work."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from config.celery import app as celery_app
from tests.browser.conftest import log_in, screenshot
from tests.workers import ROOT, restore_broker, stop, worker_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[object]:
    """Queue through a private broker; the worker itself starts only when the test says, so
    the page is known to have loaded before any claim existed."""
    celery_app.conf.task_always_eager = False
    env = worker_env(tmp_path)
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default,fetch",
             "--concurrency", "1", "--without-gossip", "--without-mingle",
             "--loglevel", "WARNING"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))

    yield start
    for proc in procs:
        stop(proc)
    restore_broker()


def test_pasted_claims_appear_on_the_article_page_without_a_reload(
    browser: Browser, live_server: object, reviewer: User, seed_text: str,
    start_worker: object,
) -> None:
    opening = "\n\n".join(seed_text.split("\n\n")[:6])  # the headline to the war years
    page = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    page.goto("/articles/new/")
    page.fill("#id_text", opening)
    page.click("text=Add and process")
    page.wait_for_url("**/articles/*/")
    expect(page.locator(".claims")).to_contain_text("No claims yet")
    expect(page.locator("#progress")).to_contain_text("Queued")

    start_worker()  # type: ignore[operator]
    expect(page.locator("#progress")).to_contain_text("Done", timeout=90_000)
    cards = page.locator(".claims li.claimcard")
    expect(cards.first).to_be_visible(timeout=10_000)
    expect(page.locator(".claims h2")).not_to_contain_text("0 claims")
    expect(page.locator(".text mark.claim").first).to_be_visible()
    expect(page.locator(".claims")).to_contain_text("Vladimir Putin")
    screenshot(page, "article-processed.png")
    assert page.csp_errors == []  # type: ignore[attr-defined]
