"""What we found and decided about the claims: evidence (references, gather jobs,
suggestions, the library), review (verdicts, comments, the audit trail, saved filters) and
publishing (summaries)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim, Verdict
from config.limits import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RATIONALE_MAX_LENGTH,
    URL_MAX_LENGTH,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ReferenceQuerySet(models.QuerySet["Reference"]):
    def with_demo_flag(self) -> ReferenceQuerySet:
        """Each reference's `from_demo`: drawn from a demo document of the library (found
        by gathering or cited by hand), in the same query."""
        demo = LibraryDocument.objects.filter(is_demo=True, url=models.OuterRef("url"))
        return self.annotate(
            from_demo=models.ExpressionWrapper(
                Q(source="library") & models.Exists(demo), output_field=models.BooleanField()
            )
        )


class Reference(models.Model):
    """One candidate passage from one source for one claim, ranked and explained."""

    class Stance(models.TextChoices):
        AGREES = "agrees"
        CONTRADICTS = "contradicts"
        RELATED = "related"
        UNRELATED = "unrelated"
        NOT_ASSESSED = "not_assessed", "not assessed"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="references")
    source = models.CharField(max_length=30)
    url = models.URLField(max_length=URL_MAX_LENGTH)
    canonical_url = models.CharField(max_length=URL_MAX_LENGTH)
    passage_hash = models.CharField(max_length=64)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    passage = models.TextField(blank=True)
    score = models.FloatField(default=0.0)
    independent = models.BooleanField(default=True)
    stance = models.CharField(max_length=20, choices=Stance, default=Stance.RELATED)
    hint = models.CharField(max_length=500, blank=True)
    # [[start, end], ...] character offsets of the passage's words that match the claim;
    # the passage stays plain text and the review page escapes it before adding <mark>.
    matches = models.JSONField(default=list, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    fetched_at = models.DateTimeField(default=timezone.now)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "-score", "id"]
        constraints = [
            # A re-run of a job must not add the same passage twice.
            models.UniqueConstraint(
                fields=["claim", "canonical_url", "passage_hash"],
                name="reference_unique_passage",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class Suggestion(models.Model):
    """The machine's overall suggestion for a claim, with its reasons. Never a verdict: only a
    reviewer sets that (claims.Review)."""

    # The verdict words, worded as the hedged guesses they are.
    LABELS = {
        Verdict.SUPPORTED: "Likely supported",
        Verdict.DISPUTED: "Possibly disputed",
        Verdict.UNVERIFIED: "Insufficient evidence",
    }

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, related_name="suggestion"
    )
    label = models.CharField(
        max_length=20, choices=list(LABELS.items()), default=Verdict.UNVERIFIED
    )
    reasons = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_label_display()} (claim {self.claim_id})"


class GatherJobQuerySet(models.QuerySet["GatherJob"]):
    def stale(self, now: object = None) -> GatherJobQuerySet:
        """Jobs whose enqueue was lost or whose worker died: the reconciler queues them again."""
        now = now or timezone.now()
        queued_before = now - timedelta(seconds=settings.RECONCILE_AFTER_SECONDS)  # type: ignore[operator]
        return self.filter(
            Q(state=GatherJob.State.QUEUED, updated_at__lt=queued_before)
            | Q(state=GatherJob.State.RUNNING, lease_until__lt=now)
        )


class GatherJob(models.Model):
    """One (claim, source[, query]) unit of gathering work. The row, not the broker, is the
    record of what must run."""

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"
        UNREACHABLE = "unreachable"
        SKIPPED = "skipped", "Skipped (source disabled)"

        @classmethod
        def finished(cls) -> list[str]:
            return [cls.DONE, cls.FAILED, cls.UNREACHABLE, cls.SKIPPED]

        @classmethod
        def active(cls) -> list[str]:
            return [cls.QUEUED, cls.RUNNING]

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="jobs")
    source = models.CharField(max_length=30)
    query = models.CharField(max_length=500, blank=True, help_text="A reviewer's own wording")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        help_text="Who asked for a re-run or their own query; empty for planned jobs",
    )
    state = models.CharField(max_length=20, choices=State, default=State.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GatherJobQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "source", "id"]
        indexes = [models.Index(fields=["state", "updated_at"])]
        constraints = [
            # Planning twice (two workers, a re-run) must not run the same search twice.
            models.UniqueConstraint(
                fields=["claim", "source", "query"],
                condition=Q(state__in=["queued", "running"]),
                name="gatherjob_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} for claim {self.claim_id}: {self.state}"


class LibraryDocument(models.Model):
    """The team's own reference library: documents a reviewer uploads, saves or imports.

    Full-text search (verify.evidence.sources.library): on PostgreSQL a GIN index on the document's
    tsvector, on SQLite an FTS5 table kept in sync by triggers. Both are created by the
    migration `library_full_text_search`, for the database it runs on.
    """

    url = models.URLField(max_length=URL_MAX_LENGTH, unique=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    text = models.TextField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    added_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # One float16 vector per sentence of `text` (verify.evidence.passages.sentences), computed once
    # by verify.evidence.embeddings; `embeddings_key` names the model and text they were made from.
    embeddings = models.BinaryField(null=True, blank=True, editable=False)
    embeddings_key = models.CharField(max_length=100, blank=True, editable=False)
    # Written for the demo (claims/fixtures/reference-pack, `Demo: yes`), though under real
    # publishers' names: every page that shows it, or a reference drawn from it, says so.
    is_demo = models.BooleanField(default=False, verbose_name="demo material")

    class Meta:
        ordering = ["-added_at"]

    def __str__(self) -> str:
        return self.title or self.url


class Review(models.Model):
    """One proposal or decision in a claim's history: proposed, then final once an editor
    approves it, or returned (sent back, superseded by a new proposal, or closed by a
    dismissal). The claim's own status is the state; these rows are how it got there."""

    Verdict = Verdict

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        FINAL = "final"
        RETURNED = "returned", "Sent back"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    verdict = models.CharField(max_length=20, choices=Verdict)
    # TextField's max_length only reaches the form: the validator holds full_clean to it.
    rationale = models.TextField(
        max_length=RATIONALE_MAX_LENGTH, validators=[MaxLengthValidator(RATIONALE_MAX_LENGTH)]
    )
    references = models.ManyToManyField("verify.Reference", blank=True, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_reviews",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rationale=""), name="review_rationale_required"
            ),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(status="proposed"), name="review_one_proposed"
            ),
            # The two-person rule, held by the database whatever writes the row.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("reviewer")),
                name="review_approver_not_author",
            ),
        ]
        permissions = [
            ("approve_review", "Can approve or send back a proposed verdict"),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} by {self.reviewer} ({self.status})"


class Summary(models.Model):
    """A published verification summary of one article: a frozen, versioned snapshot."""

    class State(models.TextChoices):
        PUBLISHED = "published"
        RETRACTED = "retracted"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="summaries")
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, choices=State, default=State.PUBLISHED)
    is_current = models.BooleanField(default=True)
    snapshot = models.JSONField(default=dict)
    correction_note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "summaries"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="summary_unique_version"),
            models.UniqueConstraint(
                fields=["article"], condition=Q(is_current=True), name="summary_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} v{self.version}"


class Comment(models.Model):
    """A note on a claim from a reviewer or editor (also the reason a verdict was sent back)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField(
        max_length=COMMENT_MAX_LENGTH, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]

    def __str__(self) -> str:
        return f"{self.author} on claim {self.claim_id}"


class AppendOnly(Exception):
    """The audit trail is never changed or deleted."""


# How a change reached the services when it was not the web UI ("API (token name)"). The
# actor is still passed explicitly; only the channel rides along, so that no service needs
# an argument for it and every event of the change says it.
_channel: ContextVar[str] = ContextVar("audit_channel", default="")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnly("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit events cannot be deleted")

    def for_claim(self, claim: Claim) -> AuditEventQuerySet:
        return self.filter(claim_id=claim.pk).select_related("actor")


class AuditEvent(models.Model):
    """Who changed what, when, from what to what. Written in the same transaction as the
    change (claims.services), read on the claim page, never updated or deleted.

    Our own model rather than django-simple-history: one timeline per claim across claims,
    verdicts, references, comments and publishing, with the acting person passed explicitly
    by the service (no thread-local request), and append-only enforced here and, on
    PostgreSQL, by a trigger (migration 0005).
    """

    class Action(models.TextChoices):
        EDITED = "edited", "edited the claim"
        SPLIT = "split", "split the claim"
        ADDED = "added", "added a claim"
        DISMISSED = "dismissed", "dismissed as not checkable"
        PROPOSED = "proposed", "proposed a verdict"
        DECIDED = "decided", "gave a final verdict"
        APPROVED = "approved", "approved the verdict"
        RETURNED = "returned", "sent the verdict back"
        SUPERSEDED = "superseded", "superseded a proposed verdict"
        COMMENTED = "commented", "commented"
        ASSIGNED = "assigned", "assigned the claim"
        REFERENCE_ADDED = "reference_added", "added a reference"
        PUBLISHED = "published", "published"
        RETRACTED = "retracted", "retracted the summary"
        EVENT_MERGED = "event_merged", "merged two events"
        EVENT_SPLIT = "event_split", "moved a claim out of an event"
        EVENT_RENAMED = "event_renamed", "renamed an event"
        TAGGED = "tagged", "added a tag"
        UNTAGGED = "untagged", "removed a tag"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action)
    # Plain ids, no database constraint: deleting a claim (re-extraction of untouched ones)
    # or an article must never cascade into the trail.
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="audit_events",
    )
    article_id = models.BigIntegerField(null=True, blank=True)
    model = models.CharField(max_length=40, help_text="What changed: claim, review, reference…")
    object_id = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The claim's version after this change"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["claim", "version"], name="audit_claim_version")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnly("audit events cannot be updated")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit events cannot be deleted")

    @classmethod
    def record(
        cls,
        *,
        actor: User | None,
        action: str,
        claim: Claim | None = None,
        obj: Any = None,
        before: dict | None = None,
        after: dict | None = None,
        note: str = "",
    ) -> AuditEvent:
        """Append one event to the trail (call inside the transaction of the change)."""
        if channel := _channel.get():
            note = f"{note}\n(via {channel})" if note else f"via {channel}"
        return cls.objects.create(
            actor=actor,
            action=action,
            claim=claim,
            article_id=claim.article_id if claim else _article_id(obj),
            model=obj._meta.model_name if obj is not None else "claim",
            object_id=obj.pk if obj is not None else (claim.pk if claim else None),
            version=claim.version if claim else None,
            before=before or {},
            after=after or {},
            note=note,
        )

    @staticmethod
    @contextmanager
    def via(channel: str) -> Iterator[None]:
        """Every event recorded inside this block notes that it came through `channel`."""
        token = _channel.set(channel)
        try:
            yield
        finally:
            _channel.reset(token)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [
            (k, self.before.get(k), self.after.get(k))
            for k in keys
            if self.before.get(k) != self.after.get(k)
        ]


def _article_id(obj: Any) -> int | None:
    """The article an event without a claim belongs to: the object's, or the article itself."""
    if isinstance(obj, Article):
        return obj.pk
    return getattr(obj, "article_id", None)


class SavedFilter(models.Model):
    """A reviewer's named queue filter: the query string of the queue page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("review:queue") + (f"?{self.query}" if self.query else "")


class PublicCredit(models.Model):
    """How a person is named beside the verdicts they published. Without a row, or with a
    blank name, they are credited as the desk (settings.DESK_NAME): for desks that cover
    North Korea a name beside a verdict is a safety risk, and a login name helps attackers,
    so being named is each person's own choice, made on their own page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_credit"
    )
    public_name = models.CharField(
        max_length=100, blank=True, verbose_name="name on published pages",
        help_text="Leave blank to be credited as the desk.",
    )

    def __str__(self) -> str:
        return self.public_name or settings.DESK_NAME


class EventQuerySet(models.QuerySet["Event"]):
    def candidates(self, *, keys: list[str], start: date, end: date) -> EventQuerySet:
        """Events that name one of these parties and whose dates touch [start, end]: two
        index lookups (EventParty.key, Event dates), never a scan of all events."""
        return self.filter(
            party_keys__key__in=keys, date_start__lte=end, date_end__gte=start
        ).distinct()


class Event(models.Model):
    """One happening (a visit, talks, a signing) as several outlets told it. The machine
    groups claims into events (verify.events.grouping); a reviewer may merge, split and
    rename them, and the machine never undoes what a reviewer decided."""

    class Type(models.TextChoices):
        VISIT = "visit"
        MEETING = "meeting", "Meeting or talks"
        TREATY_DOCUMENT = "treaty_document", "Signing of a document"
        DATE_EVENT = "date_event", "Dated event"
        OTHER = "other"

    name = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=Type, default=Type.OTHER)
    # [{"key": "Q7747", "name": "Vladimir Putin"}, ...]: what the page shows. The lookup
    # goes through EventParty, which has an index.
    parties = models.JSONField(default=list, blank=True)
    places = models.JSONField(default=list, blank=True)
    date_start = models.DateField()
    date_end = models.DateField()
    outlet_count = models.PositiveIntegerField(default=0)
    discrepancy_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="Empty when the machine made it",
    )
    renamed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set once a reviewer has decided something about the event: the machine then never
    # renames or deletes it, even when re-grouping leaves it empty.
    reviewer_locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date_start", "-id"]
        indexes = [models.Index(fields=["date_start", "date_end"], name="event_dates")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])


class EventParty(models.Model):
    """One party of an event (a Wikidata id, or "name:" and the folded name), kept so that
    finding the events a new claim may join is an index lookup."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="party_keys")
    key = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="eventparty_unique_key"),
        ]
        indexes = [models.Index(fields=["key", "event"], name="eventparty_key")]

    def __str__(self) -> str:
        return f"{self.key} in event {self.event_id}"


class EventMembership(models.Model):
    """A claim's place in an event, and why. A claim is in one event at most."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="memberships")
    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, related_name="event_membership"
    )
    reason = models.TextField()
    # A reviewer put the claim here (a merge or a split): re-grouping never moves it.
    set_by_reviewer = models.BooleanField(default=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return f"claim {self.claim_id} in event {self.event_id}"


class EventSummary(models.Model):
    """A published comparison of an event: a frozen, versioned snapshot, as a Summary is of
    an article. The public page renders from the snapshot only (verify.events.publishing)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="summaries")
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, choices=Summary.State, default=Summary.State.PUBLISHED)
    is_current = models.BooleanField(default=True)
    snapshot = models.JSONField(default=dict)
    correction_note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "event summaries"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "version"],
                                    name="eventsummary_unique_version"),
            models.UniqueConstraint(fields=["event"], condition=Q(is_current=True),
                                    name="eventsummary_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.event} v{self.version}"


TAG_MAX_LENGTH = 50


def tag_key(name: str) -> str:
    """What makes two tag names the same tag: case and runs of spaces do not count.
    casefold() in Python, not the database's LOWER(), which SQLite applies to ASCII only
    (a desk's tags are as often Cyrillic or Korean as English)."""
    return " ".join(name.split()).casefold()


class Tag(models.Model):
    """A desk's label for claims and articles ("Vladivostok summit", "sanctions"): one row
    per name, whatever its case, shared by every claim and article that carries it."""

    name = models.CharField(max_length=TAG_MAX_LENGTH)
    key = models.CharField(max_length=TAG_MAX_LENGTH, unique=True, editable=False)
    claims = models.ManyToManyField(Claim, blank=True, related_name="tags")
    articles = models.ManyToManyField(Article, blank=True, related_name="tags")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key"]
        permissions = [("tag_claim", "Can add and remove tags on claims and articles")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = " ".join(self.name.split())
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def mail_lost(self, now: datetime) -> NotificationQuerySet:
        """Notices whose e-mail neither went out nor can still be on its way: queued longer
        ago than the mail task retries for (its message was lost, or it gave up)."""
        before = now - timedelta(seconds=settings.NOTIFICATION_MAIL_RETRY_SECONDS)
        return self.filter(emailed_at__isnull=True, user__email__gt="", mail_queued_at__lt=before)


class Notification(models.Model):
    """Something a person should know about their work: shown on their dashboard until they
    mark it read, and sent to them by e-mail (verify.review.notifications)."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "assigned you a claim"
        RETURNED = "returned", "sent your verdict back"
        APPROVED = "approved", "approved your verdict"
        MENTIONED = "mentioned", "mentioned you in a comment"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the e-mail went out: the mail task skips what is set, so a retry or a second
    # delivery of its message never sends the same notice twice.
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When its e-mail was last queued: the reconciler sends again only what has waited
    # longer than the task's retries take, so a slow mail server is not asked twice at once.
    mail_queued_at = models.DateTimeField(default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.actor or 'Someone'} {self.get_kind_display()}"
