"""What goes in and out, as pydantic models: they are the OpenAPI schema.

Inputs refuse unknown fields and take strict types (a number where text belongs is an
error, not text). The rules past types (lengths, choices, dates, the two-person rule) are
the web UI's own: its forms and services check them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, StrictInt, StrictStr, model_validator

from api import models


class In(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Errors ---------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(examples=["invalid"])
    message: str
    fields: dict[str, list[str]] = Field(
        description="Messages per input field; empty when the error is not about one field"
    )


class ConflictDetail(ErrorDetail):
    current_version: int = Field(description="The claim's version now: send it to try again")
    changes: list[Event] = Field(description="What the other people did since your version")


class Error(Schema):
    error: ErrorDetail


class Conflict(Schema):
    error: ConflictDetail


# --- Outlets and articles ---------------------------------------------------------------


class Outlet(Schema):
    id: int
    name: str
    country: str
    language: str
    website: str
    is_state_media: bool
    wikidata_id: str
    domains: list[str]
    enabled: bool


class ArticleIn(In):
    """Either `text` (pasted, plain text or HTML) or `url` (fetched through the same guard
    as the web form), never both."""

    text: StrictStr | None = None
    url: StrictStr | None = Field(default=None, max_length=2000)
    title: StrictStr = ""
    outlet: StrictStr = Field(default="", description="Outlet name; detected when blank")
    published: date | None = None
    source_url: StrictStr = ""

    @model_validator(mode="after")
    def text_or_url(self) -> ArticleIn:
        if (self.text is None) == (self.url is None):
            raise ValueError("Send either text or url.")
        return self


class Progress(Schema):
    state: str = Field(description="queued, extracting, gathering, done or failed")
    error: str
    working: bool
    claims: int
    jobs_total: int
    jobs_finished: int
    jobs_by_state: dict[str, int]


class Article(Schema):
    id: int
    title: str
    byline: str
    outlet: str | None
    published: date | None
    source_url: str
    ingested_at: datetime
    word_count: int
    progress: Progress
    claims_url: str


class ArticleCreated(Schema):
    created: bool = Field(description="False when the article was already in (same text or URL)")
    message: str
    article: Article


# --- Claims -----------------------------------------------------------------------------


class ReviewStatus(Schema):
    """Where the claim is in review. See api.serialise.review_status."""

    status: str = Field(description="open, proposed, returned, final or dismissed")
    verdict: str = Field(description="supported, disputed or unverified once final, else empty")
    proposed_verdict: str = Field(description="The verdict awaiting approval, if any")


class ClaimFields(Schema):
    type: str
    subject_name: str
    subject_qid: str
    object_name: str
    object_qid: str
    place_name: str
    place_qid: str
    speaker_name: str
    speaker_qid: str
    occasion: str
    date_value: str
    date_precision: str
    date_start: date | None
    date_end: date | None


class Claim(ClaimFields):
    id: int
    article_id: int
    sentence: str
    start: int
    end: int
    checkworthiness: float
    edited: bool
    version: int = Field(description="Send it back with every change (optimistic locking)")
    review: ReviewStatus
    assignee: str | None
    created_at: datetime
    url: str


class Suggestion(Schema):
    label: str
    label_display: str
    reasons: list[str]


class Reference(Schema):
    id: int
    source: str
    url: str
    title: str
    publisher: str
    published: date | None
    passage: str
    score: float
    independent: bool
    stance: str
    hint: str = Field(description="Why the ranking put it here")
    matches: list[list[int]]
    fetched_at: datetime


class Review(Schema):
    id: int
    verdict: str
    rationale: str
    status: str
    reviewer: str
    approved_by: str | None
    references: list[int]
    created_at: datetime
    decided_at: datetime | None


class Event(Schema):
    at: datetime
    actor: str | None
    action: str
    version: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    note: str


class ClaimDetail(Claim):
    reason: str = Field(description="Why extraction took the sentence as a claim")
    suggestion: Suggestion | None
    references: list[Reference]
    reviews: list[Review]


class ClaimPage(Schema):
    items: list[Claim]
    next_cursor: str = Field(description="Pass as `after` for the next page; empty at the end")


class ReviewIn(In):
    verdict: StrictStr = Field(description="supported, disputed or unverified")
    rationale: StrictStr
    references: list[StrictInt] = Field(default_factory=list, description="Reference ids")
    version: StrictInt


class VersionIn(In):
    version: StrictInt


class SendBackIn(In):
    version: StrictInt
    comment: StrictStr


class DismissIn(In):
    version: StrictInt
    reason: StrictStr


class ClaimEditIn(In):
    """The fields to change; the others keep their values."""

    version: StrictInt
    type: StrictStr | None = None
    subject_name: StrictStr | None = None
    subject_qid: StrictStr | None = None
    object_name: StrictStr | None = None
    object_qid: StrictStr | None = None
    place_name: StrictStr | None = None
    place_qid: StrictStr | None = None
    speaker_name: StrictStr | None = None
    occasion: StrictStr | None = None
    date_value: StrictStr | None = None
    date_precision: StrictStr | None = None


# --- Published --------------------------------------------------------------------------


class PublishedSummary(Schema):
    article_id: int
    version: int
    state: str = Field(description="published or retracted")
    headline: str
    outlet: str
    published_at: datetime
    correction_note: str
    url: str
    api_url: str = Field(description="This summary in the API")
    claims: int


class PublishedPage(Schema):
    items: list[PublishedSummary]
    next_cursor: str


class PublishedDetail(PublishedSummary):
    snapshot: dict[str, Any] = Field(description="The summary as published: article and claims")
    claim_reviews: list[dict[str, Any]] = Field(description="schema.org ClaimReview objects")


# --- Webhooks (editors) ----------------------------------------------------------------


class WebhookIn(In):
    name: StrictStr
    url: StrictStr = Field(description="Public http(s) URL, ports 80/443 (the SSRF guard's rules)")
    events: list[StrictStr] = Field(
        default_factory=lambda: list(models.Webhook.Event.values),
        description=", ".join(models.Webhook.Event.values) + " (all of them when left out)",
    )


class Delivery(Schema):
    id: int
    event: str
    article_id: int
    summary_version: int
    state: str = Field(description="pending, delivered or failed")
    attempts: int
    last_status: int | None = Field(description="The receiver's last HTTP status")
    last_error: str
    created: datetime
    last_attempt: datetime | None
    delivered: datetime | None


class Webhook(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool
    created_by: str
    created: datetime
    deliveries: list[Delivery] = Field(description="The most recent, newest first")


class WebhookCreated(Webhook):
    secret: str = Field(description="Signs every delivery (HMAC-SHA256); shown only this once")


ConflictDetail.model_rebuild()
