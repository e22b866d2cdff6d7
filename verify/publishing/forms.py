"""The editor's notes when publishing a correction or retracting a summary."""

from __future__ import annotations

from django import forms

from config import limits


class PublishForm(forms.Form):
    correction_note = forms.CharField(
        required=False, max_length=limits.NOTE_MAX_LENGTH, label="Correction note",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetractForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=limits.NOTE_MAX_LENGTH, label="Why is it retracted?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
