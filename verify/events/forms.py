"""The event pages' one free-text form: Django's CharField refuses NUL characters and overlong
text with a message, where a raw POST value reached the database."""

from __future__ import annotations

from django import forms


class RenameForm(forms.Form):
    name = forms.CharField(max_length=300)
