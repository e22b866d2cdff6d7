"""Every URL pattern of the project, fetched as every persona: nobody gets what their role
does not allow, and a new URL without an expectation here fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import ApiToken
from claims.models import Article, Claim, Feed
from tests.claims import published
from tests.conftest import make_user
from verify.models import (
    Event,
    EventMembership,
    LibraryDocument,
    Notification,
    Reference,
    SavedFilter,
)
from verify.review import services

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "outsider", "reviewer", "editor", "admin"]

LOGIN, FORBIDDEN, OK, NOT_ALLOWED, NOT_FOUND = 302, 403, 200, 405, 404
READ = {"anonymous": LOGIN, "outsider": FORBIDDEN, "reviewer": OK, "editor": OK, "admin": OK}
# POST-only actions: GET shows who may act (405: allowed, wrong method) and who may not.
ACT = {"anonymous": LOGIN, "outsider": FORBIDDEN, "reviewer": NOT_ALLOWED,
       "editor": NOT_ALLOWED, "admin": NOT_ALLOWED}
EDITOR_ACT = {**ACT, "reviewer": FORBIDDEN}
EVERYONE = dict.fromkeys(PERSONAS, OK)
ACCOUNT = {**EVERYONE, "anonymous": LOGIN}
API_READ = {**READ, "anonymous": 401}
WRONG_METHOD = dict.fromkeys(PERSONAS, NOT_ALLOWED)

EXPECTED: dict[str, dict[str, int]] = {
    "healthz": EVERYONE,
    "login": EVERYONE,
    "logout": dict.fromkeys(PERSONAS, NOT_ALLOWED),
    "password_change": ACCOUNT,
    "password_change_done": ACCOUNT,
    "verify:job_status": READ,
    "admin:login": {"anonymous": OK, "outsider": OK, "reviewer": OK, "editor": LOGIN,
                    "admin": LOGIN},  # staff are sent on to the admin index
    "public:export_csv": READ,  # the full claim export is for the desk, not the public
    "public:claim_wording": ACT,  # how a claim is worded when published: a reviewer's edit
    "public:credit": READ,  # each person's own page: how published pages name them
    "review:dashboard": READ,
    "claims:articles": READ,
    "claims:article_new": READ,
    "review:article": READ,
    "review:queue": READ,
    "review:claim": READ,
    "review:claim_add": ACT,
    "review:queue_assign": EDITOR_ACT,
    "review:next_claim": ACT,
    "review:filter_save": ACT,
    "review:filter_delete": ACT,
    "review:verdict": ACT,
    "review:claim_edit": ACT,
    "review:claim_split": ACT,
    "review:claim_dismiss": ACT,
    "review:claim_hold": ACT,
    "review:comment": ACT,
    "review:approve": EDITOR_ACT,
    "review:send_back": EDITOR_ACT,
    "review:reuse_verdict": ACT,
    "review:reference_url": ACT,
    "review:reference_library": ACT,
    "review:rerun_source": ACT,
    "events:list": READ,
    "events:discrepancies": READ,
    "events:detail": READ,
    "events:rename": ACT,
    "events:merge": ACT,
    "events:split": ACT,
    "events:publish": EDITOR_ACT,  # publishing a comparison: who publishes summaries
    "events:retract": EDITOR_ACT,
    # Public, no login; the world's event is not published, so there is nothing to see.
    "events:published": dict.fromkeys(PERSONAS, NOT_FOUND),
    "events:published_version": dict.fromkeys(PERSONAS, NOT_FOUND),
    "api:tokens": ACCOUNT,  # anyone may hold a token; it carries only its owner's permissions
    "api:revoke": {**dict.fromkeys(PERSONAS, NOT_ALLOWED), "anonymous": LOGIN},
    # The API answers JSON errors, not a login redirect: 401 without a token or session.
    **{name: API_READ for name in ["api-1:outlets", "api-1:article", "api-1:claims",
                                   "api-1:claim"]},
    # Writes: django-ninja answers a wrong method before it authenticates, which reveals
    # nothing; who may write is tests/api/test_permissions.py's table.
    **{name: WRONG_METHOD for name in ["api-1:articles", "api-1:claim_edit",
                                       "api-1:claim_dismiss", "api-1:reviews",
                                       "api-1:review_approve", "api-1:review_send_back"]},
    **{name: EVERYONE for name in ["api-1:openapi-json", "api-1:openapi-view",
                                   "api-1:published", "api-1:claim_reviews"]},
    "api-1:published_summary": dict.fromkeys(PERSONAS, NOT_FOUND),  # nothing published here
    "api-1:api-root": dict.fromkeys(PERSONAS, NOT_FOUND),  # django-ninja's unrouted prefix
    # Bulk actions: the view checks each action's own permission (tag and dismiss for the
    # desk, send back and approve for editors: tests/verify/test_bulk.py).
    "review:queue_bulk": ACT,
    "review:claim_tags": ACT,
    "review:article_tags": ACT,
    "review:notifications_read": ACT,  # each person's own notices
    "review:notification_read": ACT,
    "api:webhooks": {**READ, "reviewer": FORBIDDEN},  # editors: who publishes says who is told
    "api:webhook_toggle": EDITOR_ACT,
    "api:delivery_retry": EDITOR_ACT,
    "api-1:webhooks": {**API_READ, "reviewer": FORBIDDEN},  # editors' list of webhooks
    "api-1:webhook_register": WRONG_METHOD,  # POST only; tests/api/test_permissions.py walks it
    "public:preview": EDITOR_ACT,  # the public page as it would be published: for editors
    # Adding an outlet (claims.add_outlet): its own step, for editors.
    "claims:outlet_new": {**READ, "reviewer": FORBIDDEN},
}
# Namespaces other packages own: the rule every one of their URLs must keep.
PUBLIC_READ = dict.fromkeys(PERSONAS, OK)  # published summaries need no login
MANAGE = {"anonymous": LOGIN, "outsider": FORBIDDEN, "reviewer": FORBIDDEN}


def patterns(resolvers: list, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from patterns(entry.url_patterns, ns)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


@pytest.fixture
def world(reviewer: User, editor: User, admin_user: User, outsider: User,
          article: Article, claim: Claim, reference: Reference) -> dict[str, object]:
    review = services.submit_review(claim=claim, reviewer=admin_user, verdict="supported",
                                    rationale="Seen.", references=[reference],
                                    expected_version=1)
    doc = LibraryDocument.objects.create(url="https://library.example.org/1", text="Text")
    saved = SavedFilter.objects.create(user=reviewer, name="mine", query="type=visit")
    feed = Feed.objects.create(outlet=article.outlet, url="https://feeds.example.org/rss")
    event = Event.objects.create(name="Summit", date_start=date(2019, 4, 25),
                                 date_end=date(2019, 4, 25))
    EventMembership.objects.create(event=event, claim=claim, reason="same parties")
    token, _ = ApiToken.issue(user=reviewer, name="script")
    notice = Notification.objects.create(user=reviewer, kind="assigned", claim=claim, actor=editor)
    return {
        "article_id": article.pk, "claim_id": claim.pk, "review_id": review.pk,
        "reference_id": reference.pk, "document_id": doc.pk, "filter_id": saved.pk,
        "feed_id": feed.pk, "event_id": event.pk, "token_id": token.pk, "version": 1,
        "notification_id": notice.pk,
        "object_id": str(claim.pk),
        "app_label": "claims",
        "id": str(reviewer.pk),
        "content_type_id": ContentType.objects.get_for_model(Claim).pk,
        # POST-only webhook actions: the method is refused before any row is looked up.
        "webhook_id": 1, "delivery_id": 1,
        "users": {"reviewer": reviewer, "editor": editor, "admin": admin_user,
                  "outsider": outsider},
    }


def url_for(name: str, pattern: URLPattern, world: dict[str, object]) -> str:
    kwargs = {k: world[k] for k in pattern.pattern.regex.groupindex}
    return reverse(name, kwargs=kwargs)


def expected(name: str, persona: str, status: int) -> bool:
    if name in EXPECTED:
        return status == EXPECTED[name][persona]
    namespace = name.split(":")[0]
    if namespace == "admin":
        # Only staff reach the admin; the rest are sent to its login page.
        if persona in ("anonymous", "outsider", "reviewer"):
            return status in (LOGIN, NOT_ALLOWED)
        return status in (OK, LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED)
    if namespace == "public":
        if "manage" in name or name.endswith(("publish", "retract")):
            if persona in MANAGE:
                return status == MANAGE[persona]
            return status in (OK, NOT_FOUND, NOT_ALLOWED)
        return status in (OK, NOT_FOUND)  # 404: nothing published yet
    if namespace == "monitor":
        # Its POST-only views check the method before the login (405 reveals nothing).
        if persona in ("anonymous", "outsider"):
            return status in (READ[persona], NOT_ALLOWED)
        return status in (OK, FORBIDDEN, NOT_ALLOWED)
    raise AssertionError(f"No access expectation for URL {name!r}: add one to EXPECTED.")


def test_every_url_answers_every_persona_as_expected(world: dict[str, object]) -> None:
    users: dict[str, User] = world["users"]  # type: ignore[assignment]
    failures = []
    seen = 0
    for name, pattern in patterns(get_resolver().url_patterns):
        url = url_for(name, pattern, world)
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(users[persona])
            status = client.get(url).status_code
            if not expected(name, persona, status):
                failures.append(f"{persona:9} GET {url} ({name}) -> {status}")
            seen += 1
    assert not failures, "\n".join(failures)
    assert seen > 5 * len(EXPECTED)


def test_a_user_without_a_role_cannot_post_a_verdict(outsider: User, claim: Claim) -> None:
    client = Client()
    client.force_login(outsider)
    response = client.post(reverse("review:verdict", args=[claim.pk]),
                           {"verdict": "unverified", "rationale": "x", "version": 1})
    assert response.status_code == FORBIDDEN
    assert not claim.reviews.exists()


def test_a_reviewer_cannot_approve(reviewer_client: Client, claim: Claim) -> None:
    other = make_user("vera", "reviewer")
    review = services.submit_review(claim=claim, reviewer=other, verdict="unverified",
                                    rationale="Nothing.", expected_version=1)
    response = reviewer_client.post(reverse("review:approve", args=[claim.pk, review.pk]),
                                    {"version": 2})
    assert response.status_code == FORBIDDEN


def test_an_editor_who_is_not_staff_does_the_daily_work(reviewer: User) -> None:
    """Staff status is only for the admin (reference data): approving, publishing and the
    feeds page need the editor role alone."""
    ned = make_user("ned", "editor")
    article = published.reviewed_article(reviewer, make_user("erin", "editor"))
    claim = published.claim(article, "Kim Jong Un met Vladimir Putin on 25 April 2019.")
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="unverified",
                                    rationale="Nothing found yet.", expected_version=1)
    client = Client()
    client.force_login(ned)
    approved = client.post(reverse("review:approve", args=[claim.pk, review.pk]),
                           {"version": 2})
    assert approved.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.verdict) == (Claim.Status.FINAL, "unverified")
    published_page = client.post(reverse("public:publish", args=[article.pk]), follow=True)
    assert "Version 1 is published." in published_page.content.decode()
    assert client.get(reverse("monitor:feeds")).status_code == OK
    assert client.get(reverse("admin:index")).status_code == LOGIN  # the admin wants staff
