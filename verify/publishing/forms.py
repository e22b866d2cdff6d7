"""The forms of the publishing pages: the editor's notes when publishing a correction or
retracting a summary, and each person's own public credit."""

from __future__ import annotations

from django import forms

from config import limits
from verify.models import PublicCredit

HEADLINE_MAX_LENGTH = 200  # a headline, not a paragraph: search engines cut at about 110


class PublishForm(forms.Form):
    correction_note = forms.CharField(
        required=False, max_length=limits.NOTE_MAX_LENGTH, label="Correction note",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The editor's words at the top of the public page (blank: the article's headline).
    headline = forms.CharField(
        required=False, max_length=HEADLINE_MAX_LENGTH, label="Headline of the summary",
    )
    introduction = forms.CharField(
        required=False, max_length=limits.NOTE_MAX_LENGTH, label="Introduction",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A few sentences for readers: what the article is and what was checked.",
    )
    # Publish the final claims while others are still being checked (the page says which).
    partial = forms.BooleanField(required=False)


class RetractForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=limits.NOTE_MAX_LENGTH, label="Why is it retracted?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WordingForm(forms.Form):
    claim_reviewed = forms.CharField(required=False, max_length=200)  # Claim.claim_reviewed
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class PublicCreditForm(forms.ModelForm):
    class Meta:
        model = PublicCredit
        fields = ["public_name"]
