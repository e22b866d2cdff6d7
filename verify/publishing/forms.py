"""The one form of the publishing pages a person fills in for themselves."""

from __future__ import annotations

from django import forms

from verify.models import PublicCredit


class PublicCreditForm(forms.ModelForm):
    class Meta:
        model = PublicCredit
        fields = ["public_name"]
