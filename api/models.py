"""Personal API tokens: a person's own key for scripts and other tools, with their rights."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PREFIX = "cor_"


def hash_token(raw: str) -> str:
    """sha256, not a slow password hash: the token is 256 random bits, so there is nothing
    to guess, and the lookup by hash must be one indexed query per request."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        now = now or timezone.now()
        return self.filter(revoked__isnull=True, user__is_active=True).filter(
            Q(expires__isnull=True) | Q(expires__gt=now)
        )


class ApiToken(models.Model):
    """Only the hash is stored; the token itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “CMS sync”")
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, so a person can tell their tokens apart.
    hint = models.CharField(max_length=12)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(
        cls, *, user: User, name: str, expires: datetime | None = None
    ) -> tuple[ApiToken, str]:
        """A new token for `user`; returns the row and the raw token (never stored)."""
        raw = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name.strip()[:100], key_hash=hash_token(raw),
            hint=raw[: len(PREFIX) + 4], expires=expires,
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The usable token for this raw value, its last use noted (at most once a minute)."""
        now = timezone.now()
        found = (
            cls.objects.usable(now).select_related("user").filter(key_hash=hash_token(raw))
            .first()
        )
        if found is not None and (
            found.last_used is None or found.last_used < now - timedelta(minutes=1)
        ):
            # A conditional update so that a busy script does not write on every request.
            cls.objects.filter(pk=found.pk).update(last_used=now)
            found.last_used = now
        return found

    @property
    def state(self) -> str:
        if self.revoked:
            return "revoked"
        if self.expires and self.expires <= timezone.now():
            return "expired"
        return "active"

    def revoke(self) -> None:
        if self.revoked is None:
            self.revoked = timezone.now()
            self.save(update_fields=["revoked"])


class Webhook(models.Model):
    """A URL an editor registered to be told when a summary is published, corrected or
    retracted. The secret signs each delivery; it is stored as it is (signing needs it)
    and shown once, when the webhook is made."""

    class Event(models.TextChoices):
        PUBLISHED = "summary.published", "A summary is published"
        CORRECTED = "summary.corrected", "A published summary is corrected"
        RETRACTED = "summary.retracted", "A published summary is retracted"

    name = models.CharField(max_length=100, help_text="Who is told, e.g. “CMS staging”")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhooks"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    @staticmethod
    def new_secret() -> str:
        return "whsec_" + secrets.token_urlsafe(32)


class Delivery(models.Model):
    """One event for one webhook: the body is frozen when the event happens, so every
    retry sends (and signs) the same bytes."""

    class State(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    summary = models.ForeignKey("verify.Summary", on_delete=models.PROTECT,
                                related_name="+")
    event = models.CharField(max_length=40, choices=Webhook.Event)
    body = models.TextField()
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_attempt = models.DateTimeField(null=True, blank=True)
    delivered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            # One delivery per webhook and summary version: a repeated signal adds nothing.
            models.UniqueConstraint(fields=["webhook", "summary"], name="delivery_once"),
        ]
        indexes = [models.Index(fields=["state", "last_attempt"], name="delivery_state")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook.name}: {self.state}"
