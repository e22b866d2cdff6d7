"""What the outside world says about a claim: references, and the jobs that gather them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.limits import URL_MAX_LENGTH


class Reference(models.Model):
    """One candidate passage from one source for one claim, ranked and explained."""

    class Stance(models.TextChoices):
        AGREES = "agrees"
        CONTRADICTS = "contradicts"
        RELATED = "related"
        UNRELATED = "unrelated"
        NOT_ASSESSED = "not_assessed", "not assessed"

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="references")
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
    # the passage stays plain text and `marked_passage` escapes it before adding <mark>.
    matches = models.JSONField(default=list, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    fetched_at = models.DateTimeField(default=timezone.now)

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

    def marked_passage(self) -> SafeString:
        """The passage as HTML: escaped text with the matching words in <mark>."""
        out, at = [], 0
        for start, end in sorted(self.matches):
            if start < at or end > len(self.passage):
                continue
            out += [escape(self.passage[at:start]), "<mark>", escape(self.passage[start:end]),
                    "</mark>"]
            at = end
        out.append(escape(self.passage[at:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece of source text is escaped above


class Suggestion(models.Model):
    """The machine's overall suggestion for a claim, with its reasons. Never a verdict: only a
    reviewer sets that (claims.Review)."""

    class Label(models.TextChoices):
        SUPPORTED = "supported", "Likely supported"
        DISPUTED = "disputed", "Possibly disputed"
        UNVERIFIED = "unverified", "Insufficient evidence"

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.CASCADE, related_name="suggestion"
    )
    label = models.CharField(max_length=20, choices=Label, default=Label.UNVERIFIED)
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

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="jobs")
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

    def __str__(self) -> str:
        return f"{self.source} for claim {self.claim_id}: {self.state}"


class LibraryDocument(models.Model):
    """The team's own reference library: documents a reviewer uploads, saves or imports.

    Full-text search (verify.sources.library): on PostgreSQL a GIN index on the document's
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

    class Meta:
        ordering = ["-added_at"]

    def __str__(self) -> str:
        return self.title or self.url
