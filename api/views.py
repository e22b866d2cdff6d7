"""A person's own API tokens: make one (shown once), see when each was last used, revoke.
An editor's webhooks: register a URL (its secret shown once), see and resend deliveries."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from api.forms import WebhookForm
from api.models import ApiToken, Delivery, Webhook
from api.webhooks import SIGNATURE_HEADER, queue, with_recent_deliveries


class TokenForm(forms.Form):
    EXPIRY = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]

    name = forms.CharField(max_length=100, help_text="What it is for, e.g. “CMS sync”.")
    expires_in = forms.TypedChoiceField(
        choices=EXPIRY, required=False, coerce=int, empty_value=None, label="Expires"
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in"]
        _token, raw = ApiToken.issue(
            user=cast(User, request.user), name=form.cleaned_data["name"],
            expires=timezone.now() + timedelta(days=days) if days else None,
        )
        form = TokenForm()
    response = render(request, "api/tokens.html", {
        "form": form,
        "new_token": raw,
        "tokens": ApiToken.objects.filter(user=cast(User, request.user)),
    })
    if raw:
        response["Cache-Control"] = "no-store"  # the token is on this page once, never cached
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    # Only the person's own tokens: another person's id is a 404, not a 403.
    token = get_object_or_404(ApiToken, pk=token_id, user=cast(User, request.user))
    token.revoke()
    messages.info(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("api:tokens")


# --- Webhooks (editors) -------------------------------------------------------------------

@login_required
@permission_required("api.add_webhook", raise_exception=True)
def webhooks(request: HttpRequest) -> HttpResponse:
    """Register a URL (its secret shown once), see each one's recent deliveries."""
    user = cast(User, request.user)
    form = WebhookForm(request.POST or None, user=user)
    secret = ""
    if request.method == "POST" and form.is_valid():
        secret = form.register().secret
        form = WebhookForm(user=user)
    response = render(request, "api/webhooks.html", {
        "form": form, "new_secret": secret, "webhooks": with_recent_deliveries(user),
        "signature_header": SIGNATURE_HEADER,
    })
    if secret:
        response["Cache-Control"] = "no-store"  # the secret is on this page once
    return response


@login_required
@permission_required("api.change_webhook", raise_exception=True)
@require_POST
def webhook_toggle(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Switch a webhook off (nothing more is sent; its deliveries stay listed) or on."""
    hook = get_object_or_404(Webhook, pk=webhook_id)
    hook.active = not hook.active
    hook.save(update_fields=["active"])
    messages.info(request, f"“{hook.name}” is {'on' if hook.active else 'off'}.")
    return redirect("api:webhooks")


@login_required
@permission_required("api.change_webhook", raise_exception=True)
@require_POST
def delivery_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """Send a failed delivery again, from its first attempt (the same body and signature)."""
    updated = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.FAILED).update(
        state=Delivery.State.PENDING, attempts=0
    )
    if updated:
        queue(delivery_id)
        messages.info(request, "The delivery is queued again.")
    else:
        messages.error(request, "Only a failed delivery can be sent again.")
    return redirect("api:webhooks")
