"""Every URL the project serves has an entry in the security walks (issue 16, "also prove").

The CSRF, header and fuzz walks (test_csrf.py, test_headers.py, test_fuzz.py) take their
routes from the URL resolver, so they reach a new URL by themselves. The authorisation
table, the XSS pages and the SSRF corpus are written by hand: for those, COVERAGE below
says where each route is checked, and `uncovered()` lists every route of the URLconf
that has no entry. A URL added without one fails test_every_route_has_an_entry; the last
test proves that by adding one.

Entries are checked, not trusted: an authorisation entry must name an action of
test_authorization.ACTIONS whose URL resolves to that route, an XSS entry "page" must be
one of test_xss.html_pages, and an SSRF entry must name a test that exists.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import resolve

from tests.security import test_authorization, test_xss
from tests.security.routes import concrete_routes

pytestmark = pytest.mark.django_db

PAGE = "page"  # in test_xss.html_pages: rendered with every payload in every field
NO_FETCH = "fetches nothing"


@dataclass(frozen=True)
class Entry:
    authz: str  # an ACTIONS key of test_authorization, or "walk: <why the GET walk suffices>"
    xss: str  # PAGE, or why the route renders no stored text as HTML
    ssrf: str = NO_FETCH  # or "module::test" that sends the SSRF corpus through it


ACCOUNT = "walk: an account page of django.contrib.auth (tests/claims/test_permissions.py)"
NO_HTML = "answers with a redirect, or with data that test_xss's feed and export test checks"
POST_ONLY = "a POST action: redirects, or the review page (which is a PAGE) again"
API = "walk: tests/api/test_permissions.py, every endpoint x every role and token state"
JSON = "JSON: django-ninja serialises it, tests/api/test_schema.py"
READ_WALK = "walk: READ (tests/claims/test_permissions.py)"
ACT_WALK = "walk: ACT (tests/claims/test_permissions.py)"

COVERAGE: dict[str, Entry] = {
    "healthz": Entry("walk: 'ok' for everyone, no data", "plain text 'ok'"),
    "login": Entry(ACCOUNT, "the log-in form; tests/security/test_login_throttle.py"),
    "logout": Entry(ACCOUNT, POST_ONLY),
    "password_change": Entry(ACCOUNT, "a form with no stored text"),
    "password_change_done": Entry(ACCOUNT, "static text"),
    "verify:job_status": Entry("job progress", "counts by state only"),
    "public:index": Entry("walk: public, test_public_lists_and_feeds_show_only_what_was_"
                          "published", PAGE),
    "public:stats": Entry("walk: public, as public:index", PAGE),
    "public:atom": Entry("walk: public, as public:index", NO_HTML),
    "public:claimreview_json": Entry("walk: public, as public:index", NO_HTML),
    "public:export_csv": Entry("CSV export", NO_HTML),
    "public:summary": Entry("public summary", PAGE),
    "public:summary_version": Entry("public summary, version 1", PAGE),
    "public:markdown": Entry("public Markdown", "Markdown: tests/security/test_markdown.py"),
    "public:claim": Entry("public claim page", PAGE),
    "public:manage": Entry("publish page", PAGE),
    "public:publish": Entry("publish", POST_ONLY),
    "public:retract": Entry("retract", POST_ONLY),
    "monitor:add_url": Entry(
        "walk: READ for the desk (tests/claims/test_permissions.py)", "a form, no stored text",
        "tests.security.test_ssrf_oracle::test_the_add_by_url_form_tells_the_reason_by_role"),
    "monitor:feeds": Entry("walk: editors only (tests/claims/test_permissions.py)", PAGE),
    "monitor:poll_now": Entry("walk: editors only, POST", POST_ONLY,
                              "tests.verify.test_ssrf::test_a_hostile_user_url_is_refused_"
                              "with_a_reason (feeds are fetched by fetch_user_url)"),
    "review:dashboard": Entry("dashboard", PAGE,
                              "tests.security.test_ssrf_oracle::test_the_dashboard_tells_a_"
                              "reviewer_only_that_the_address_is_not_allowed"),
    "claims:articles": Entry("article list", PAGE),
    "claims:article_new": Entry("walk: READ (tests/claims/test_permissions.py)",
                                PAGE),  # its outlet picker lists stored outlet names
    "review:article": Entry("article page", PAGE),
    "review:claim_add": Entry("add claim from selection", POST_ONLY),
    "review:queue": Entry("queue (any stage)", PAGE),
    "review:queue_assign": Entry("assign", POST_ONLY),
    "review:queue_bulk": Entry("walk: ACT (tests/claims/test_permissions.py); each action's "
                               "own permission: tests/verify/test_bulk.py", POST_ONLY),
    "review:claim_tags": Entry(ACT_WALK + "; tests/verify/test_tags.py", POST_ONLY),
    "review:article_tags": Entry(ACT_WALK + "; tests/verify/test_tags.py", POST_ONLY),
    "review:notifications_read": Entry(ACT_WALK + "; own notices only: "
                                       "tests/verify/test_notifications.py", POST_ONLY),
    "review:notification_read": Entry(ACT_WALK + "; own notices only: "
                                      "tests/verify/test_notifications.py", POST_ONLY),
    "review:next_claim": Entry("next claim", POST_ONLY),
    "review:filter_save": Entry("walk: ACT (tests/claims/test_permissions.py); own filters "
                                "only", POST_ONLY),
    "review:filter_delete": Entry("walk: ACT (tests/claims/test_permissions.py); own filters "
                                  "only", POST_ONLY),
    "review:claim": Entry("review page", PAGE),
    "review:verdict": Entry("verdict", POST_ONLY),
    "review:claim_edit": Entry("edit fields", POST_ONLY),
    "review:claim_split": Entry("split", POST_ONLY),
    "review:claim_dismiss": Entry("dismiss", POST_ONLY),
    "review:claim_hold": Entry("hold", POST_ONLY),
    "review:comment": Entry("comment", POST_ONLY),
    "review:approve": Entry("approve", POST_ONLY),
    "review:send_back": Entry("send back", POST_ONLY),
    "review:reuse_verdict": Entry("reuse earlier verdict", POST_ONLY),
    "review:reference_url": Entry(
        "walk: ACT (tests/claims/test_permissions.py)", POST_ONLY,
        "tests.security.test_ssrf_oracle::test_no_refusal_repeats_a_dns_answer_in_general_terms"),
    "review:reference_library": Entry("cite from library", POST_ONLY),
    "review:rerun_source": Entry("search a source again", POST_ONLY),
    "public:credit": Entry(READ_WALK, PAGE),
    "public:claim_wording": Entry(ACT_WALK, POST_ONLY),
    "claims:outlet_new": Entry("walk: editors only (tests/claims/test_permissions.py); "
                               "tests/claims/test_outlet_picker.py", PAGE),
    "public:preview": Entry(
        "walk: EDITOR_ACT (tests/claims/test_permissions.py); tests/verify/"
        "test_partial_publishing.py", "a POST rendering the public summary page (a PAGE) from "
        "the draft snapshot; its escaping: tests/verify/test_partial_publishing.py"),
    "events:list": Entry(READ_WALK + "; tests/verify/test_events.py", PAGE),
    "events:discrepancies": Entry(READ_WALK + "; tests/verify/test_events.py", PAGE),
    "events:detail": Entry(READ_WALK + "; tests/verify/test_events.py", PAGE),
    "events:rename": Entry(ACT_WALK, POST_ONLY),
    "events:merge": Entry(ACT_WALK, POST_ONLY),
    "events:split": Entry(ACT_WALK, POST_ONLY),
    "events:publish": Entry("walk: EDITOR_ACT (tests/claims/test_permissions.py); "
                            "tests/verify/test_events.py", POST_ONLY),
    "events:retract": Entry("walk: EDITOR_ACT (tests/claims/test_permissions.py); "
                            "tests/verify/test_events.py", POST_ONLY),
    "events:published": Entry("walk: public, 404 until published (tests/claims/"
                              "test_permissions.py); tests/verify/test_events.py", PAGE),
    "events:published_version": Entry("walk: public, as events:published", PAGE),
    "api:tokens": Entry("walk: ACCOUNT (tests/claims/test_permissions.py); own tokens only, "
                        "tests/api/test_tokens.py", PAGE),
    "api:revoke": Entry("walk: own tokens only, tests/api/test_tokens.py", POST_ONLY),
    "api-1:api-root": Entry(API, "404: django-ninja's bare prefix"),
    "api-1:openapi-json": Entry(API, JSON),
    "api-1:openapi-view": Entry(API, "django-ninja's docs page: the schema, no stored text"),
    "api-1:outlets": Entry(API, JSON),
    "api:webhooks": Entry("walk: editors only (tests/claims/test_permissions.py), "
                          "tests/api/test_webhooks.py", PAGE,
                          "tests.api.test_webhooks::test_every_hostile_url_of_the_ssrf_corpus_"
                          "is_refused_at_delivery (and when typed: test_a_url_into_an_"
                          "internal_network_is_refused_when_typed)"),
    "api:webhook_toggle": Entry("walk: EDITOR_ACT, tests/api/test_webhooks.py", POST_ONLY),
    "api:delivery_retry": Entry("walk: EDITOR_ACT, tests/api/test_webhooks.py", POST_ONLY),
    "api-1:webhooks": Entry(API, JSON),
    "api-1:webhook_register": Entry(API, JSON, "tests.api.test_webhooks::test_the_api_"
                                               "registers_through_the_same_guard"),
    "api-1:articles": Entry(
        API, JSON,
        "tests.api.test_bad_input::test_an_article_url_inside_the_network_is_refused_with_a_"
        "reason"),
    "api-1:article": Entry(API, JSON),
    "api-1:claims": Entry(API, JSON),
    "api-1:claim": Entry(API, JSON),
    "api-1:claim_edit": Entry(API, JSON),
    "api-1:claim_dismiss": Entry(API, JSON),
    "api-1:claim_reviews": Entry(API, JSON),
    "api-1:reviews": Entry(API, JSON),
    "api-1:review_approve": Entry(API, JSON),
    "api-1:review_send_back": Entry(API, JSON),
    "api-1:published": Entry(API, JSON),
    "api-1:published_summary": Entry(API, JSON),
}


def route_names() -> set[str]:
    # The admin's URLs are Django's, one set per registered model: the walks that take
    # every route (CSRF, headers, fuzz) and test_permissions' admin rule cover them.
    return {r.name for r in concrete_routes() if not r.path.startswith("/admin/")}


def uncovered() -> list[str]:
    return sorted(route_names() - set(COVERAGE))


def test_every_route_has_an_entry(world: None) -> None:
    assert uncovered() == [], "add an entry to COVERAGE (and to the walk it names)"
    assert set(COVERAGE) <= route_names(), "an entry for a route that no longer exists"


def test_authorisation_entries_name_an_action_on_that_route(world: None) -> None:
    built = test_authorization.build_world("published")
    wrong = []
    for name, entry in COVERAGE.items():
        if entry.authz.startswith("walk: "):
            continue
        action = test_authorization.ACTIONS.get(entry.authz)
        if action is None:
            wrong.append(f"{name}: no action {entry.authz!r}")
            continue
        path = action.url(built).split("?")[0]
        if resolve(path).view_name != name:
            wrong.append(f"{name}: {entry.authz!r} is {resolve(path).view_name}")
    assert wrong == []


def test_xss_entries_are_pages_the_xss_test_renders(reviewer: User, editor: User) -> None:
    world = test_xss.poison(["Plain words"], reviewer=reviewer, editor=editor)
    rendered = {resolve(url.split("?")[0]).view_name
                for url in test_xss.html_pages(world, ["Plain words"])}
    pages = {name for name, entry in COVERAGE.items() if entry.xss == PAGE}
    assert pages == rendered


def test_ssrf_entries_name_tests_that_exist() -> None:
    for name, entry in COVERAGE.items():
        if entry.ssrf == NO_FETCH:
            continue
        module, test = entry.ssrf.split(" ")[0].split("::")
        assert callable(getattr(importlib.import_module(module), test, None)), name


@override_settings(ROOT_URLCONF="tests.security.extra_urls")
def test_a_url_added_without_an_entry_is_found(world: None) -> None:
    assert uncovered() == ["brand_new", "unnamed/"]
