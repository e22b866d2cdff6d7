"""The JSON API, /api/v1/. Each endpoint: check the permission, validate with the web UI's
own form, act through the same service as the web view, respond.

Writes run inside AuditEvent.via(...), so every event they record says it came through the
API and with which token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema, Status
from ninja.parser import Parser

from api import errors, schemas, serialise, webhooks
from api.auth import auth, channel, require
from api.errors import ApiError, BadBody, form_error
from api.forms import WebhookForm
from claims import monitoring, services
from claims.forms import ArticleForm
from claims.ingestion import IngestError
from claims.models import Article, Claim, Outlet
from claims.monitor_views import URLForm
from verify.models import AuditEvent, Review, Summary
from verify.publishing import services as publishing
from verify.review import queue as claim_queue
from verify.review import services as review_services
from verify.review.forms import (
    ClaimFieldsForm,
    DismissForm,
    QueueForm,
    ReturnForm,
    VerdictForm,
    VersionedForm,
)


class StrictJSON(Parser):
    """JSON objects only, and no NUL characters anywhere: PostgreSQL cannot store them and
    no article or rationale has one, so a body with one is refused whole."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            # Decoded here: json.loads would guess UTF-16 or UTF-32 from the bytes.
            data = json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise BadBody("The body is not UTF-8.") from exc
        except ValueError as exc:
            raise BadBody(f"The body is not valid JSON: {exc}.") from exc
        if not isinstance(data, dict):
            raise BadBody("The body must be a JSON object.")
        if _has_nul(data):
            raise BadBody("The body contains a NUL character (\\u0000); remove it.")
        return data


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


api = NinjaAPI(
    title="Corroborate API",
    version="1",
    description=(
        "What the web UI does, under the same permissions and rules. Authenticate with a "
        "personal token from /api/tokens/: `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-1",
    openapi_url="/schema/",
    docs_url="/docs",
    auth=auth(),
    parser=StrictJSON(),
)
errors.install(api)

# The errors every authenticated endpoint can answer.
E = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, 404: schemas.Error}
WRITE = {**E, 409: schemas.Conflict, 413: schemas.Error, 429: schemas.Error}


def _claim(claim_id: int) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related("article__outlet", "assignee", "suggestion"), pk=claim_id
    )


def _act[T](request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], T]) -> T:
    """Validate with the web UI's form, then run the service with the API named in the
    audit trail. A stale version is a 409 carrying what the others did since; a refusal by
    the workflow is a 400 in the service's words."""
    if not form.is_valid():
        raise form_error(form)
    try:
        with AuditEvent.via(channel(request)):
            return action(form.cleaned_data)
    except review_services.StaleVersion as exc:
        raise ApiError(
            409, str(exc), code="conflict",
            extra={"current_version": exc.claim.version,
                   "changes": [serialise.event(e) for e in exc.events]},
        ) from exc
    except review_services.ReviewError as exc:
        raise ApiError(400, str(exc), code="refused") from exc


# --- Outlets ----------------------------------------------------------------------------


@api.get("/outlets/", response={200: list[schemas.Outlet], **E}, url_name="outlets",
         operation_id="listOutlets", tags=["outlets"])
def list_outlets(request: HttpRequest) -> list[Outlet]:
    require(request, "claims.view_outlet")
    return list(Outlet.objects.all())


# --- Articles ---------------------------------------------------------------------------


@api.post("/articles/",
          response={201: schemas.ArticleCreated, 200: schemas.ArticleCreated, **WRITE},
          url_name="articles", operation_id="createArticle", tags=["articles"])
def create_article(request: HttpRequest, payload: schemas.ArticleIn) -> Status[dict]:
    """Bring an article in by its text or its URL, exactly as the web forms do: the same
    size limits, the same SSRF guard, and an article already in (same text, same URL) is
    answered with 200 and the existing article."""
    user = require(request, "claims.add_article")
    with AuditEvent.via(channel(request)):
        if payload.url is not None:
            url_form = URLForm({"url": payload.url})
            if not url_form.is_valid():
                raise form_error(url_form)
            try:
                result = monitoring.ingest_url(
                    url=url_form.cleaned_data["url"], user=user,
                    deadline=settings.HTTP_INTERACTIVE_DEADLINE,
                )
            except IngestError as exc:
                raise ApiError(400, str(exc), code="not_ingested",
                               fields={"url": [str(exc)]}) from exc
        else:
            form = ArticleForm({
                "text": payload.text, "title": payload.title, "outlet": payload.outlet,
                "published": payload.published.isoformat() if payload.published else "",
                "source_url": payload.source_url,
            })
            if not form.is_valid():
                raise form_error(form)
            data = form.cleaned_data
            try:
                result = services.ingest_article(
                    text=data["text"], title=data["title"], outlet=data["outlet"],
                    published=data["published"], source_url=data["source_url"], user=user,
                    is_html=data.get("is_html"),
                )
            except IngestError as exc:
                raise ApiError(400, str(exc), code="not_ingested",
                               fields={"text": [str(exc)]}) from exc
    body = {"created": result.created, "message": result.message,
            "article": serialise.article(result.article)}
    return Status(201 if result.created else 200, body)


@api.get("/articles/{article_id}/", response={200: schemas.Article, **E}, url_name="article",
         operation_id="getArticle", tags=["articles"])
def get_article(request: HttpRequest, article_id: int) -> dict:
    """The article with its processing progress (extraction, then one job per claim and
    source)."""
    require(request, "claims.view_article")
    return serialise.article(
        get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    )


# --- Claims -----------------------------------------------------------------------------


class ClaimFilters(Schema):
    """The queue's filters (its form validates them). By default the claims still to work,
    oldest first; `status=any` for every claim."""

    q: str = ""
    status: str = ""
    verdict: str = ""
    type: str = ""
    outlet: int | None = None
    article: int | None = None
    assignee: str = ""
    suggestion: str = ""
    published_from: date | None = None
    published_to: date | None = None
    sort: str = "oldest"
    n: int | None = None
    after: str = ""


@api.get("/claims/", response={200: schemas.ClaimPage, **E}, url_name="claims",
         operation_id="listClaims", tags=["claims"])
def list_claims(request: HttpRequest, filters: Query[ClaimFilters]) -> dict:
    """Claims in pages by cursor: pass `next_cursor` as `after` for the next page."""
    user = require(request, "claims.view_claim")
    raw = filters.model_dump()
    after = raw.pop("after")
    form = QueueForm({k: v for k, v in raw.items() if v not in (None, "")})
    if not form.is_valid():
        raise form_error(form)
    data = form.cleaned_data
    sort = data.get("sort") or "oldest"
    if after and claim_queue.decode_cursor(after, claim_queue.SORT_KEYS[sort]) is None:
        raise ApiError(400, "This cursor is not one this list gave (or not for this sort).",
                       code="invalid", fields={"after": ["Unknown cursor."]})
    result = claim_queue.page(
        claim_queue.filtered(data, user), sort=sort, after=after,
        size=data.get("n") or claim_queue.DEFAULT_PAGE_SIZE,
    )
    return {"items": [serialise.claim(c) for c in result.claims],
            "next_cursor": result.next_cursor}


@api.get("/claims/{claim_id}/", response={200: schemas.ClaimDetail, **E}, url_name="claim",
         operation_id="getClaim", tags=["claims"])
def get_claim(request: HttpRequest, claim_id: int) -> dict:
    """One claim: its structured fields, the machine's suggestion, the references with why
    they rank where they do, and the reviews."""
    require(request, "claims.view_claim")
    return serialise.claim_detail(_claim(claim_id))


@api.post("/claims/{claim_id}/edit", response={200: schemas.ClaimDetail, **WRITE},
          url_name="claim_edit", operation_id="editClaim", tags=["claims"])
def edit_claim(request: HttpRequest, claim_id: int, payload: schemas.ClaimEditIn) -> dict:
    """Correct structured fields; the fields left out keep their values."""
    user = require(request, "claims.change_claim")
    claim = _claim(claim_id)
    current = {name: getattr(claim, name) or "" for name in ClaimFieldsForm.Meta.fields}
    given = payload.model_dump(exclude_unset=True)
    form = ClaimFieldsForm({**current, **given}, instance=Claim.objects.get(pk=claim.pk))
    _act(request, form, lambda data: review_services.edit_claim(
        claim=claim, user=user, changes=form.changes(), expected_version=data["version"]))
    return serialise.claim_detail(_claim(claim_id))


@api.post("/claims/{claim_id}/dismiss", response={200: schemas.ClaimDetail, **WRITE},
          url_name="claim_dismiss", operation_id="dismissClaim", tags=["claims"])
def dismiss_claim(request: HttpRequest, claim_id: int, payload: schemas.DismissIn) -> dict:
    """Not checkable (opinion, rhetoric, intention): out of every queue, with the reason."""
    user = require(request, "claims.change_claim")
    claim = _claim(claim_id)
    _act(request, DismissForm(payload.model_dump()), lambda data: review_services.dismiss_claim(
        claim=claim, user=user, reason=data["reason"], expected_version=data["version"]))
    return serialise.claim_detail(_claim(claim_id))


# --- Reviews ----------------------------------------------------------------------------


@api.post("/claims/{claim_id}/reviews/", response={201: schemas.Review, **WRITE},
          url_name="reviews", operation_id="proposeReview", tags=["reviews"])
def propose_review(request: HttpRequest, claim_id: int, payload: schemas.ReviewIn
                   ) -> Status[dict]:
    """A verdict with its rationale and cited references. Under the two-person rule it is
    proposed until an editor who did not write it approves it. Send the claim's `version`;
    409 says what changed if someone saved first."""
    user = require(request, "verify.add_review")
    claim = _claim(claim_id)
    form = VerdictForm(payload.model_dump(), claim=claim)
    review = _act(request, form, lambda data: review_services.submit_review(
        claim=claim, reviewer=user, verdict=data["verdict"], rationale=data["rationale"],
        references=list(data["references"]), expected_version=data["version"]))
    return Status(201, serialise.review(review))


def _review_of(claim_id: int, review_id: int) -> Review:
    return get_object_or_404(
        Review.objects.select_related("claim", "reviewer"), pk=review_id, claim_id=claim_id
    )


@api.post("/claims/{claim_id}/reviews/{review_id}/approve", response={200: schemas.Review, **WRITE},
          url_name="review_approve", operation_id="approveReview", tags=["reviews"])
def approve_review(request: HttpRequest, claim_id: int, review_id: int,
                   payload: schemas.VersionIn) -> dict:
    """An editor who is not the author makes a proposed verdict final."""
    user = require(request, "verify.approve_review")
    found = _review_of(claim_id, review_id)
    _act(request, VersionedForm(payload.model_dump()), lambda data: review_services.approve_review(
        review=found, editor=user, expected_version=data["version"]))
    return serialise.review(found)


@api.post("/claims/{claim_id}/reviews/{review_id}/send-back",
          response={200: schemas.Review, **WRITE}, url_name="review_send_back",
          operation_id="sendBackReview", tags=["reviews"])
def send_back_review(request: HttpRequest, claim_id: int, review_id: int,
                     payload: schemas.SendBackIn) -> dict:
    """An editor sends a proposed verdict back to the queue, saying why."""
    user = require(request, "verify.approve_review")
    found = _review_of(claim_id, review_id)
    _act(request, ReturnForm(payload.model_dump()), lambda data: review_services.return_review(
        review=found, editor=user, comment=data["comment"], expected_version=data["version"]))
    return serialise.review(found)


# --- Webhooks (editors) -----------------------------------------------------------------


@api.get("/webhooks/", response={200: list[schemas.Webhook], **E}, url_name="webhooks",
         operation_id="listWebhooks", tags=["webhooks"])
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    """Every webhook with its latest deliveries: state, attempts, the last answer."""
    user = require(request, "api.view_webhook")
    return [serialise.webhook(hook, hook.recent)  # type: ignore[attr-defined]
            for hook in webhooks.with_recent_deliveries(user)]


# Its own path: a second operation on /webhooks/ would be a second Django URL pattern with
# the same route, one that never resolves (tests/security/routes.py refuses it).
@api.post("/webhooks/register", response={201: schemas.WebhookCreated, **WRITE},
          url_name="webhook_register",
          operation_id="createWebhook", tags=["webhooks"])
def create_webhook(request: HttpRequest, payload: schemas.WebhookIn) -> Status[dict]:
    """Register a URL to be told of publications, corrections and retractions, through the
    web page's form (the SSRF guard's rules). The secret that signs the deliveries is in
    this answer only."""
    user = require(request, "api.add_webhook")
    form = WebhookForm(payload.model_dump(), user=user)
    if not form.is_valid():
        raise form_error(form)
    hook = form.register()
    return Status(201, {**serialise.webhook(hook, []), "secret": hook.secret})


# --- Published (public: no token) -------------------------------------------------------

PUBLISHED_PAGE = 50


@api.get("/published/", auth=None, response={200: schemas.PublishedPage, 400: schemas.Error},
         url_name="published", operation_id="listPublished", tags=["published"])
def list_published(request: HttpRequest, after: int | None = None) -> dict:
    """The current version of every published (or retracted) summary, newest first; pass
    `next_cursor` as `after` for the next page."""
    summaries = publishing.current_summaries().order_by("-id")
    if after is not None:
        summaries = summaries.filter(id__lt=after)
    rows = list(summaries[: PUBLISHED_PAGE + 1])
    more = len(rows) > PUBLISHED_PAGE
    rows = rows[:PUBLISHED_PAGE]
    return {"items": [serialise.published(s) for s in rows],
            "next_cursor": str(rows[-1].pk) if more else ""}


@api.get("/published/claim-reviews/", auth=None, response=list[dict[str, Any]],
         url_name="claim_reviews", operation_id="listClaimReviews", tags=["published"])
def claim_reviews(request: HttpRequest) -> list[dict[str, Any]]:
    """Every schema.org ClaimReview that is public now (retracted summaries have none)."""
    return publishing.all_claim_reviews()


@api.get("/published/{article_id}/", auth=None,
         response={200: schemas.PublishedDetail, 404: schemas.Error}, url_name="published_summary",
         operation_id="getPublished", tags=["published"])
def get_published(request: HttpRequest, article_id: int) -> dict:
    summary = get_object_or_404(publishing.current_summaries(), article_id=article_id)
    reviews: list[dict[str, Any]] = []
    if summary.state == Summary.State.PUBLISHED:
        first = publishing.first_published(summary)
        reviews = [publishing.claim_review(summary, c, first=first)
                   for c in publishing.reviewed_claims(summary)]
    return {**serialise.published(summary), "snapshot": summary.snapshot, "claim_reviews": reviews}
