"""Webhooks: an editor registers a URL, and each publication, correction and retraction is
POSTed to it, signed, retried with backoff, given up on after WEBHOOK_MAX_ATTEMPTS, and shown.

The receiver is a real HTTP server on 127.0.0.1 (tests/replay.py); Celery runs in-process,
so a task's retries run at once, one after the other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from api import webhooks
from api.models import Delivery, Webhook
from claims.models import Article
from config.celery import app as celery_app
from tests.claims import published
from tests.replay import ReplayServer, Reply
from tests.verify.test_ssrf import REFUSED, FakeNetwork
from tests.verify.test_ssrf import network as network  # a fixture, used by name
from tests.workers import CLOSED_PORT
from verify.publishing.services import publish_summary, retract_summary

pytestmark = pytest.mark.django_db
HOOK = "/hook"


@pytest.fixture(autouse=True)
def receiver_on_loopback(settings: SettingsWrapper) -> Iterator[None]:
    settings.ALLOW_LOOPBACK_FETCH = True  # the receiver is on 127.0.0.1, on its own port
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_TIMEOUT = 0.5
    # In-process Celery re-runs a task that asks for a retry only when it does not
    # propagate the task's exceptions (the Retry is one); the rows say what happened.
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True


@pytest.fixture
def hook(editor: User, replay: ReplayServer) -> Webhook:
    return Webhook.objects.create(
        name="CMS", url=replay.url(HOOK), secret=Webhook.new_secret(),
        events=list(Webhook.Event.values), created_by=editor,
    )


@pytest.fixture
def publish(reviewer: User, editor: User,
            django_capture_on_commit_callbacks: Any) -> Callable[..., Article]:
    """Publish the seed-like article, running what publishing queues after its commit."""

    def run(article: Article | None = None, note: str = "") -> Article:
        article = article or published.reviewed_article(reviewer, editor)
        with django_capture_on_commit_callbacks(execute=True):
            publish_summary(article=article, editor=editor, correction_note=note)
        return article

    return run


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the HMAC of the raw body and compare."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def test_an_editor_registers_a_webhook_and_sees_its_secret_once(
    editor_client: Client, replay: ReplayServer
) -> None:
    page = editor_client.post(reverse("api:webhooks"), {
        "name": "CMS", "url": replay.url(HOOK), "events": ["summary.published"],
    })
    hook = Webhook.objects.get()
    assert (hook.name, hook.url, hook.events) == ("CMS", replay.url(HOOK), ["summary.published"])
    assert hook.secret in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    again = editor_client.get(reverse("api:webhooks")).content.decode()
    assert hook.secret not in again and replay.url(HOOK) in again


@pytest.mark.parametrize("url", [
    "http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:192.168.1.1]/hook", "http://100.64.0.1/hook", "http://[fd00::1]/hook",
])
def test_a_url_into_an_internal_network_is_refused_when_typed(
    editor_client: Client, url: str
) -> None:
    page = editor_client.post(reverse("api:webhooks"), {
        "name": "Sneaky", "url": url, "events": ["summary.published"],
    })
    assert page.status_code == 200
    assert "This URL cannot be used: refused" in page.content.decode()
    assert not Webhook.objects.exists()


def test_loopback_is_refused_unless_the_operator_allows_it(
    editor_client: Client, replay: ReplayServer, settings: SettingsWrapper
) -> None:
    settings.ALLOW_LOOPBACK_FETCH = False
    page = editor_client.post(reverse("api:webhooks"), {
        "name": "Local", "url": replay.url(HOOK), "events": ["summary.published"],
    })
    assert "This URL cannot be used: refused" in page.content.decode()
    assert not Webhook.objects.exists()


def test_a_publication_is_posted_once_signed_with_the_secret(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article]
) -> None:
    replay.route(HOOK, status=204)
    article = publish()
    [seen] = replay.seen(HOOK)
    assert seen.method == "POST"
    assert signature_ok(hook.secret, seen.body, seen.headers[webhooks.SIGNATURE_HEADER])
    assert not signature_ok("another secret", seen.body, seen.headers[webhooks.SIGNATURE_HEADER])
    body = json.loads(seen.body)
    assert body["event"] == seen.headers["X-Corroborate-Event"] == "summary.published"
    assert (body["summary"]["article_id"], body["summary"]["version"]) == (article.pk, 1)
    assert body["summary"]["api_url"].endswith(f"/api/v1/published/{article.pk}/")
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)
    assert seen.headers["X-Corroborate-Delivery"] == str(delivery.pk)


def test_a_retraction_and_a_correction_are_announced_too(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article], editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    replay.route(HOOK, status=200)
    article = publish()
    with django_capture_on_commit_callbacks(execute=True):
        retract_summary(article=article, editor=editor, note="The date was wrong.")
    publish(article, note="The date is corrected.")
    events = [json.loads(s.body)["event"] for s in replay.seen(HOOK)]
    assert events == ["summary.published", "summary.retracted", "summary.corrected"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_only_the_events_asked_for_reach_an_active_webhook(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article], editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    replay.route(HOOK, status=200)
    Webhook.objects.filter(pk=hook.pk).update(events=["summary.retracted"])
    Webhook.objects.create(name="Off", url=replay.url("/off"), secret="s", active=False,
                           events=list(Webhook.Event.values), created_by=editor)
    article = publish()
    with django_capture_on_commit_callbacks(execute=True):
        retract_summary(article=article, editor=editor, note="Withdrawn.")
    assert [json.loads(s.body)["event"] for s in replay.seen(HOOK)] == ["summary.retracted"]
    assert replay.seen("/off") == []


def test_a_500_is_retried_with_the_same_signed_body_until_it_is_taken(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article]
) -> None:
    replay.route(HOOK, responses=[Reply(status=500), Reply(status=503), Reply(status=200)])
    publish()
    tries = replay.seen(HOOK)
    assert len(tries) == 3
    assert len({(t.body, t.headers[webhooks.SIGNATURE_HEADER]) for t in tries}) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("delivered", 3, "")


def test_a_receiver_that_does_not_answer_in_time_is_tried_again(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article],
    settings: SettingsWrapper,
) -> None:
    replay.route(HOOK, responses=[Reply(status=200, delay=1.5), Reply(status=200)])
    publish_without_queue(hook, publish)
    delivery = Delivery.objects.get()
    first = webhooks.attempt(delivery.pk)
    delivery.refresh_from_db()
    assert (first.state, delivery.attempts) == ("pending", 1)
    assert "did not answer in time" in delivery.last_error
    assert first.retry_in == settings.WEBHOOK_BACKOFF_SECONDS
    assert webhooks.attempt(delivery.pk).state == "delivered"


def test_a_receiver_whose_certificate_fails_is_given_up_at_once(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article]
) -> None:
    # https to a server that speaks plain HTTP: the TLS handshake fails, as with a bad
    # certificate, and asking again will not mend it.
    Webhook.objects.filter(pk=hook.pk).update(url=replay.url(HOOK).replace("http:", "https:"))
    publish_without_queue(hook, publish)
    delivery = Delivery.objects.get()
    outcome = webhooks.attempt(delivery.pk)
    delivery.refresh_from_db()
    assert (outcome.state, delivery.attempts) == ("failed", 1)
    assert "TLS failed" in delivery.last_error


def publish_without_queue(hook: Webhook, publish: Callable[..., Article]) -> None:
    """Publish with the task's queueing switched off, so that each try is the test's."""
    original = webhooks.queue
    webhooks.queue = lambda _pk: None  # type: ignore[assignment]
    try:
        publish()
    finally:
        webhooks.queue = original


def test_backoff_doubles_up_to_its_cap(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article],
    settings: SettingsWrapper,
) -> None:
    settings.WEBHOOK_MAX_ATTEMPTS, settings.WEBHOOK_BACKOFF_MAX_SECONDS = 5, 100
    replay.route(HOOK, status=502)
    publish_without_queue(hook, publish)
    delivery = Delivery.objects.get()
    waits = [webhooks.attempt(delivery.pk).retry_in for _ in range(5)]
    assert waits == [30, 60, 100, 100, None]


def test_after_the_last_try_it_is_failed_says_why_and_can_be_sent_again(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article],
    editor_client: Client, django_capture_on_commit_callbacks: Any,
) -> None:
    replay.route(HOOK, status=500)
    publish()
    assert len(replay.seen(HOOK)) == 3  # WEBHOOK_MAX_ATTEMPTS, then no more
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 3, 500)
    assert delivery.last_error == "the receiver answered HTTP 500; gave up after 3 attempts"
    page = editor_client.get(reverse("api:webhooks")).content.decode()
    assert "failed" in page and "gave up after 3 attempts" in page and "Send again" in page

    replay.route(HOOK, status=200)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("api:delivery_retry", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 1)
    assert len(replay.seen(HOOK)) == 4


def test_a_receiver_that_refuses_is_not_asked_again(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article]
) -> None:
    replay.route(HOOK, status=410)
    publish()
    assert len(replay.seen(HOOK)) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 1, 410)


def test_a_url_that_now_leads_inside_is_refused_at_delivery(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article],
    settings: SettingsWrapper,
) -> None:
    """The guard runs at every try, not only when the URL was typed: what a name resolves
    to can change (and here the operator took loopback away)."""
    replay.route(HOOK, status=200)
    settings.ALLOW_LOOPBACK_FETCH = False
    publish()
    assert replay.seen(HOOK) == []
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", 1)
    assert delivery.last_error.startswith("refused: port")


def test_an_unreachable_receiver_is_retried(
    hook: Webhook, publish: Callable[..., Article]
) -> None:
    Webhook.objects.filter(pk=hook.pk).update(url=f"{CLOSED_PORT}/hook")
    publish()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    assert "gave up after 3 attempts" in delivery.last_error


def test_a_reviewer_cannot_manage_webhooks(reviewer_client: Client, hook: Webhook) -> None:
    assert reviewer_client.get(reverse("api:webhooks")).status_code == 403
    assert reviewer_client.post(reverse("api:webhook_toggle", args=[hook.pk])).status_code == 403
    hook.refresh_from_db()
    assert hook.active


def test_an_editor_switches_a_webhook_off(
    editor_client: Client, hook: Webhook, replay: ReplayServer,
    publish: Callable[..., Article],
) -> None:
    editor_client.post(reverse("api:webhook_toggle", args=[hook.pk]))
    publish()
    assert replay.seen(HOOK) == [] and not Delivery.objects.exists()


@pytest.mark.parametrize(("url", "reason"), REFUSED, ids=[u or "(empty)" for u, _ in REFUSED])
def test_every_hostile_url_of_the_ssrf_corpus_is_refused_at_delivery(
    network: FakeNetwork, settings: SettingsWrapper, reviewer: User, editor: User,
    url: str, reason: str,
) -> None:
    """tests/verify/test_ssrf.py's corpus, stored as a webhook's URL behind the form's back
    (an old row, a name that resolves elsewhere now): no try leaves the machine, and the
    delivery fails at once with the guard's reason."""
    settings.ALLOW_LOOPBACK_FETCH = False
    article = published.reviewed_article(reviewer, editor)
    summary = publish_summary(article=article, editor=editor)
    hook = Webhook.objects.create(name="Old", url=url, secret="s", events=["summary.published"],
                                  created_by=editor)
    delivery = Delivery.objects.create(webhook=hook, summary=summary, event="summary.published",
                                       body="{}")
    assert webhooks.attempt(delivery.pk).state == "failed"
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("refused: ") and reason in delivery.last_error


def test_the_tasks_webhooks_use_by_name_are_registered() -> None:
    from django.conf import settings

    assert webhooks.DELIVER_WEBHOOK in celery_app.tasks
    beat = settings.CELERY_BEAT_SCHEDULE["resend-stuck-deliveries"]["task"]
    assert beat in celery_app.tasks


def test_a_delivery_that_lost_its_task_is_sent_again(
    hook: Webhook, replay: ReplayServer, publish: Callable[..., Article],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The broker was down when the summary was published: the row waits, pending, and the
    beat task sends it once it is overdue (not before)."""
    replay.route(HOOK, status=200)
    publish_without_queue(hook, publish)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.resend_stuck() == 0  # just made: its task may still be on its way
    assert replay.seen(HOOK) == []
    later = delivery.created + webhooks.STUCK_UNTRIED + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.resend_stuck(now=later) == 1
    delivery.refresh_from_db()
    assert (delivery.state, len(replay.seen(HOOK))) == ("delivered", 1)


def test_the_api_registers_through_the_same_guard(
    editor: User, client_for: Callable[..., Any], replay: ReplayServer,
    settings: SettingsWrapper,
) -> None:
    client = client_for(editor)
    refused = client.post("/api/v1/webhooks/register", {"name": "In", "url": "http://10.0.0.7/hook"})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["url"][0].startswith("This URL cannot be used")
    settings.ALLOW_LOOPBACK_FETCH = False
    assert client.post("/api/v1/webhooks/register", {"name": "Local", "url": replay.url(HOOK)}
                       ).status_code == 400
    assert not Webhook.objects.exists()
    settings.ALLOW_LOOPBACK_FETCH = True
    made = client.post("/api/v1/webhooks/register", {"name": "CMS", "url": replay.url(HOOK),
                                             "events": ["summary.retracted"]})
    assert made.status_code == 201, made.content
    hook = Webhook.objects.get()
    assert made.json()["secret"] == hook.secret and hook.events == ["summary.retracted"]
    assert "secret" not in client.get("/api/v1/webhooks/").json()[0]
    bad = client.post("/api/v1/webhooks/register", {"name": "X", "url": replay.url(HOOK),
                                            "events": ["summary.deleted"]})
    assert bad.status_code == 400 and "events" in bad.json()["error"]["fields"]


def test_the_api_lists_each_webhooks_deliveries(
    hook: Webhook, editor: User, replay: ReplayServer, publish: Callable[..., Article],
    client_for: Callable[..., Any],
) -> None:
    replay.route(HOOK, status=500)
    article = publish()
    [listed] = client_for(editor).get("/api/v1/webhooks/").json()
    [delivery] = listed["deliveries"]
    assert (delivery["article_id"], delivery["summary_version"]) == (article.pk, 1)
    assert (delivery["state"], delivery["attempts"], delivery["last_status"]) == (
        "failed", 3, 500)
    assert "gave up after 3 attempts" in delivery["last_error"]


def test_the_page_costs_the_same_queries_however_many_webhooks_and_deliveries(
    hook: Webhook, editor: User, editor_client: Client, replay: ReplayServer,
    publish: Callable[..., Article],
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(reverse("api:webhooks")).status_code == 200
        return len(captured.captured_queries)

    replay.route(HOOK, status=500)
    publish()
    one = queries()
    for n in range(3):
        Webhook.objects.create(name=f"CMS {n}", url=replay.url(HOOK), secret=Webhook.new_secret(),
                               events=list(Webhook.Event.values), created_by=editor)
    publish()
    assert Delivery.objects.count() == 5
    assert queries() == one


def test_the_header_links_the_page_for_editors_only(
    editor_client: Client, reviewer_client: Client
) -> None:
    link = f'href="{reverse("api:webhooks")}"'
    assert link in editor_client.get(reverse("review:dashboard")).content.decode()
    assert link not in reviewer_client.get(reverse("review:dashboard")).content.decode()
