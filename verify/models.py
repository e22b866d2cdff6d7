"""What the outside world says about a claim: references, and the jobs that gather them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Reference(models.Model):
    """One candidate passage from one source for one claim, ranked and explained."""

    class Stance(models.TextChoices):
        AGREES = "agrees"
        CONTRADICTS = "contradicts"
        RELATED = "related"
        UNRELATED = "unrelated"

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="references")
    source = models.CharField(max_length=30)
    url = models.URLField(max_length=2000)
    canonical_url = models.CharField(max_length=2000)
    passage_hash = models.CharField(max_length=64)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    passage = models.TextField(blank=True)
    score = models.FloatField(default=0.0)
    independent = models.BooleanField(default=True)
    stance = models.CharField(max_length=20, choices=Stance, default=Stance.RELATED)
    hint = models.CharField(max_length=500, blank=True)
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
    """The team's own reference library: documents a reviewer uploads, saves or imports."""

    url = models.URLField(max_length=2000, unique=True)
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
