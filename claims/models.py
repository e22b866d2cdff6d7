"""What state media said: outlets, their feeds, articles, the claims in them and the gazetteer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from claims import propositions
from config.limits import DISMISS_REASON_MAX_LENGTH, URL_MAX_LENGTH

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    country = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=20, blank=True, default="en")
    website = models.URLField(blank=True)
    feed_url = models.URLField(blank=True)
    is_state_media = models.BooleanField(default=False)
    wikidata_id = models.CharField(max_length=20, blank=True)
    domains = models.JSONField(
        default=list, blank=True, help_text="Web domains of the outlet, e.g. [\"kcna.kp\"]"
    )
    # Other names it goes by ("TASS", "ТАСС" for TASS English): typing one finds the outlet.
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names of the outlet, e.g. [\"TASS\"]"
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Feed(models.Model):
    """An outlet's RSS or Atom feed, polled on a schedule (see the monitoring code)."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=URL_MAX_LENGTH, unique=True)
    enabled = models.BooleanField(default=True)
    poll_interval_minutes = models.PositiveIntegerField(default=30)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    items_seen = models.PositiveIntegerField(default=0)
    seen_ids = models.JSONField(default=list, blank=True, help_text="Recent entry ids and links")

    class Meta:
        ordering = ["outlet", "url"]
        indexes = [models.Index(fields=["enabled", "next_poll_at"])]

    def __str__(self) -> str:
        return self.url


class ArticleQuerySet(models.QuerySet["Article"]):
    def stale(self) -> ArticleQuerySet:
        """Extraction that was never queued, or whose worker may have died: to be queued
        again. Sending twice is harmless: the task claims the article with a conditional
        update (claims.processing.claim_for_extraction) and a live extraction keeps it."""
        before = timezone.now() - timedelta(seconds=settings.RECONCILE_AFTER_SECONDS)
        return self.filter(
            state__in=[Article.State.QUEUED, Article.State.EXTRACTING],
            state_changed_at__lt=before,
        )


class Article(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        EXTRACTING = "extracting", "Extracting claims"
        GATHERING = "gathering", "Gathering references"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

        @classmethod
        def working(cls) -> list[str]:
            return [cls.QUEUED, cls.EXTRACTING, cls.GATHERING]

    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=URL_MAX_LENGTH, blank=True)
    # The source URL with scheme, www., tracking parameters and fragment folded, so a story
    # fetched twice (from a feed and by hand) is recognised.
    canonical_url = models.CharField(max_length=URL_MAX_LENGTH, blank=True, db_index=True)
    text = models.TextField()
    # sha256 of the text after normalisation (see claims.ingestion.content_hash): the same
    # article pasted twice, or fetched twice, is one row.
    content_hash = models.CharField(max_length=64, unique=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    ingested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State, default=State.QUEUED)
    state_changed_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-ingested_at", "-id"]
        indexes = [models.Index(fields=["state", "state_changed_at"])]

    def __str__(self) -> str:
        return self.title or f"Article {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("review:article", args=[self.pk])

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def set_state(self, state: str, error: str | None = None) -> None:
        """Move to `state`; `error` replaces the stored one when given, and is kept when not
        (a note that parts of the article could not be read outlives gathering)."""
        self.state = state
        if error is not None:
            self.error = error
        self.state_changed_at = timezone.now()
        self.save(update_fields=["state", "error", "state_changed_at"])


class Entity(models.Model):
    """The gazetteer: people, states, organisations, places and documents of this beat.

    Shipped as claims/extraction/gazetteer.json, loaded by `manage.py load_gazetteer`, and
    editable in the admin; the extractor reads this table when it has rows.
    """

    class Kind(models.TextChoices):
        PERSON = "person"
        STATE = "state"
        ORG = "org", "Organisation"
        PLACE = "place"
        DOCUMENT = "document"
        EVENT = "event"
        OTHER = "other"

    name = models.CharField(max_length=300)
    qid = models.CharField("Wikidata id", max_length=20, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    aliases = models.JSONField(default=list, blank=True)
    titles = models.JSONField(default=list, blank=True, help_text="Titles and honorifics")
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["qid"], condition=~Q(qid=""), name="entity_unique_qid"
            ),
            models.UniqueConstraint(fields=["name", "kind"], name="entity_unique_name_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.qid})" if self.qid else self.name


class ClaimQuerySet(models.QuerySet["Claim"]):
    def kept_on_reextraction(self) -> ClaimQuerySet:
        """Claims a person has touched: re-extracting an article must not replace them."""
        return self.filter(Q(edited=True) | ~Q(status=Claim.Status.OPEN))

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ClaimQuerySet:
        if user.is_authenticated and user.has_perm("claims.view_claim"):  # type: ignore[attr-defined]
            return self
        return self.none()

    def to_work(self) -> ClaimQuerySet:
        return self.filter(status__in=ReviewStatus.to_work())

    def unlocked(self, now: datetime | None = None) -> ClaimQuerySet:
        now = now or timezone.now()
        return self.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))


class Verdict(models.TextChoices):
    """What a reviewer concluded about a claim: the one definition of the verdict words
    (verify's reviews, suggestions, publishing and exports use these)."""

    SUPPORTED = "supported", "Supported"
    DISPUTED = "disputed", "Disputed"
    UNVERIFIED = "unverified", "Unverified"


class ReviewStatus(models.TextChoices):
    """Where the claim is in the review workflow (Claim.status). Only the transition
    functions in verify.review.services change it."""

    OPEN = "open", "To review"
    PROPOSED = "proposed", "Awaiting approval"
    RETURNED = "returned", "Sent back"
    FINAL = "final", "Final"
    DISMISSED = "dismissed", "Not checkable"

    @classmethod
    def to_work(cls) -> list[str]:
        """What a reviewer's queue shows by default: nothing decided, or sent back."""
        return [cls.OPEN, cls.RETURNED]


# "Not yet reviewed" is a state of work; "unverified" is a verdict a person gave.
OUTCOME_LABELS = {
    "pending": "Not yet reviewed", **dict(Verdict.choices), "dismissed": "Not checkable",
}

TO_WORK = Q(status__in=["open", "returned"])


class Claim(models.Model):
    Status = ReviewStatus
    Verdict = Verdict

    class Type(models.TextChoices):
        VISIT = "visit"
        MEETING = "meeting"
        TREATY_DOCUMENT = "treaty_document", "Treaty or document"
        ANNIVERSARY = "anniversary"
        QUOTE = "quote", "Attributed statement"
        DATE_EVENT = "date_event", "Dated event"
        STATISTIC = "statistic", "Figure"
        HISTORICAL_EVENT = "historical_event", "Historical event"
        OTHER = "other"

    class Precision(models.TextChoices):
        YEAR = "year"
        MONTH = "month"
        DAY = "day"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField(help_text="Character offset of the sentence")
    end = models.PositiveIntegerField()
    sentence = models.TextField()
    type = models.CharField(max_length=20, choices=Type, default=Type.OTHER)
    subject_name = models.CharField(max_length=300, blank=True)
    subject_qid = models.CharField(max_length=20, blank=True)
    object_name = models.CharField(max_length=300, blank=True)
    object_qid = models.CharField(max_length=20, blank=True)
    place_name = models.CharField(max_length=300, blank=True)
    place_qid = models.CharField(max_length=20, blank=True)
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_qid = models.CharField(max_length=20, blank=True)
    occasion = models.CharField(max_length=300, blank=True)
    date_value = models.CharField(
        max_length=10, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    date_precision = models.CharField(max_length=5, choices=Precision, blank=True)
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    checkworthiness = models.FloatField(default=0.0)
    reason = models.CharField(max_length=DISMISS_REASON_MAX_LENGTH, blank=True)
    # The one record of the review workflow: `status` says where the claim is, `verdict`
    # is set exactly when the status is final (a proposal's verdict is on its Review row).
    status = models.CharField(max_length=10, choices=ReviewStatus, default=ReviewStatus.OPEN)
    verdict = models.CharField(max_length=20, choices=Verdict, blank=True)
    edited = models.BooleanField(default=False, help_text="Changed by a person")
    # What a published ClaimReview says was checked; blank = generated from the fields.
    claim_reviewed = models.CharField(
        max_length=200, blank=True, verbose_name="claim as published",
        help_text="One short complete statement of what was checked. Leave blank to use "
        "the wording built from the fields above.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    # Optimistic locking: every save that a person makes carries the version they saw.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    # Soft lock: "Next claim" holds a claim for a few minutes so two reviewers don't work
    # the same one. Advisory only; saves are guarded by `version`.
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="locked_claims",
    )
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "id"]
        indexes = [
            models.Index(fields=["verdict", "id"], name="claim_verdict"),
            models.Index(fields=["status", "created_at", "id"], name="claim_status_oldest"),
            models.Index(
                fields=["status", "article", "start", "id"], name="claim_status_article"
            ),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status"),
            # The default queue (open or sent back, no final verdict) in both of its orders,
            # so a page is an index range scan whatever its depth.
            models.Index(
                fields=["created_at", "id"], condition=TO_WORK, name="claim_to_work_oldest"
            ),
            models.Index(
                fields=["article", "start", "id"], condition=TO_WORK, name="claim_to_work_article"
            ),
            models.Index(fields=["created_at", "id"], name="claim_oldest"),
        ]
        permissions = [
            ("assign_claim", "Can assign claims to reviewers"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="claim_span_ordered"),
            models.CheckConstraint(
                condition=Q(checkworthiness__gte=0) & Q(checkworthiness__lte=1),
                name="claim_checkworthiness_0_1",
            ),
            models.CheckConstraint(
                condition=Q(date_value="") | ~Q(date_precision=""),
                name="claim_date_has_precision",
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.FINAL, verdict__in=Verdict.values)
                | (~Q(status=ReviewStatus.FINAL) & Q(verdict="")),
                name="claim_verdict_iff_final",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.sentence[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("review:claim", args=[self.pk])

    @property
    def outcome(self) -> str:
        """What a reader notices first: the verdict once final, else pending or dismissed."""
        if self.status == ReviewStatus.FINAL:
            return self.verdict
        return "dismissed" if self.status == ReviewStatus.DISMISSED else "pending"

    def get_outcome_display(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)
    def date_label(self) -> str:
        """The claim's date as a reader writes it: "25 April 2019", "April 2019", "2019"."""
        return propositions.date_words(self.date_value, self.date_precision)

    def proposition(self) -> str:
        """The claim as one short complete statement: the reviewer's wording when they
        gave one, else built from the structured fields (see claims.propositions)."""
        return self.claim_reviewed.strip() or propositions.generate(self)

    def held_by_other(self, user: AbstractBaseUser | AnonymousUser) -> bool:
        """Another person holds the soft lock right now."""
        return bool(
            self.locked_by_id
            and self.locked_by_id != user.pk
            and self.locked_until
            and self.locked_until > timezone.now()
        )
