"""The webhook form: the page and the API register webhooks through it alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from api.models import Webhook
from outbound.errors import FetchError
from outbound.ssrf import check_user_url, error_for


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Webhook.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Webhook.Event.values),
        help_text="What this URL is told about.",
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events"]
        help_texts = {
            "url": "Where Corroborate POSTs the event, signed. Only public "
            "internet addresses, on ports 80 and 443."
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_url(self) -> str:
        """The SSRF guard's verdict now, so that a URL into our own network is refused
        when it is typed (and it is checked again at every delivery)."""
        url: str = self.cleaned_data["url"]
        try:
            check_user_url(url)
        except FetchError as exc:
            raise forms.ValidationError(
                error_for(self.user, f"This URL cannot be used: {exc}.")
            ) from exc
        return url

    def register(self) -> Webhook:
        """The new webhook, made by the form's user, with a new secret."""
        hook: Webhook = self.save(commit=False)
        hook.created_by, hook.secret = self.user, Webhook.new_secret()
        hook.save()
        return hook
