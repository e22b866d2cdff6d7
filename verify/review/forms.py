from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User

from claims.models import Claim, Outlet, ReviewStatus, Verdict
from config import limits
from verify.models import TAG_MAX_LENGTH, Reference

UPLOAD_TYPES = (".txt", ".md", ".html", ".htm")


# --- Review workflow ------------------------------------------------------------------------


class VersionedForm(forms.Form):
    """Every form that changes a claim carries the version its author saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ClaimFieldsForm(forms.ModelForm):
    """The structured fields a reviewer corrects (also the second half of a split)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Claim
        fields = [
            "type", "subject_name", "subject_qid", "object_name", "object_qid", "place_name",
            "place_qid", "speaker_name", "occasion", "date_value", "date_precision",
        ]
        labels = {
            "subject_name": "Subject", "subject_qid": "Subject Wikidata id",
            "object_name": "Object", "object_qid": "Object Wikidata id",
            "place_name": "Place", "place_qid": "Place Wikidata id",
            "speaker_name": "Speaker", "date_value": "Date", "date_precision": "Precision",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value, precision = data.get("date_value", ""), data.get("date_precision", "")
        if value:
            try:
                start, end, guessed = parse_partial_date(value)
            except ValueError:
                self.add_error("date_value", "Write the date as YYYY, YYYY-MM or YYYY-MM-DD.")
                return data
            if precision and precision != guessed:
                self.add_error("date_precision", f"“{value}” is a date to the {guessed}: "
                               f"choose precision {guessed}, or write the date to the {precision}.")
                return data
            data["date_precision"] = guessed
            data["date_start"], data["date_end"] = start, end
        else:
            data["date_precision"], data["date_start"], data["date_end"] = "", None, None
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = [*self.Meta.fields, "date_start", "date_end"]
        return {name: data.get(name) or ("" if name not in ("date_start", "date_end") else None)
                for name in fields}


_PARTIAL_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


def parse_partial_date(value: str) -> tuple[date, date, str]:
    """'1949' → (1949-01-01, 1949-12-31, year); '2000-02' → month; '2019-04-25' → day.

    Exactly those three shapes, in ASCII digits: int() alone would also take '+2019',
    '1_000', Arabic-Indic digits and '2019-1-1'."""
    if not _PARTIAL_DATE.fullmatch(value):
        raise ValueError(value)
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31), "year"
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        last = date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return first, last, "month"
    if len(parts) == 3:
        day = date(*parts)
        return day, day, "day"
    raise ValueError(value)


class VerdictForm(VersionedForm):
    verdict = forms.ChoiceField(choices=Verdict.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.RATIONALE_MAX_LENGTH,
        help_text="What the evidence shows and why. Enter saves; Shift+Enter for a new line.",
    )
    references = forms.ModelMultipleChoiceField(queryset=Reference.objects.none(), required=False)

    def __init__(self, *args: Any, claim: Claim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["references"].queryset = claim.references.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        verdict, refs = data.get("verdict"), data.get("references")
        if verdict in (Verdict.SUPPORTED, Verdict.DISPUTED) and not refs:
            self.add_error(
                "references", "Supported and disputed need at least one cited reference."
            )
        return data


class DismissForm(VersionedForm):
    reason = forms.CharField(
        max_length=limits.DISMISS_REASON_MAX_LENGTH, label="Why is it not checkable?"
    )


class ReturnForm(VersionedForm):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Why send it back?",
        max_length=limits.COMMENT_MAX_LENGTH,
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Comment",
        max_length=limits.COMMENT_MAX_LENGTH,
    )


class SelectionForm(forms.Form):
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Words of the claim",
        max_length=limits.QUOTE_MAX_LENGTH,
        help_text="Select them in the text above, or paste them exactly.",
    )
    start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    type = forms.ChoiceField(choices=Claim.Type.choices, initial=Claim.Type.OTHER)


class UrlReferenceForm(forms.Form):
    url = forms.URLField(
        max_length=limits.URL_MAX_LENGTH, assume_scheme="https", label="Reference URL"
    )


class SavedFilterForm(forms.Form):
    name = forms.CharField(max_length=100, label="Save this filter as")
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)


class AssignForm(forms.Form):
    claims = forms.ModelMultipleChoiceField(queryset=Claim.objects.all())
    assignee = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, groups__name__in=["reviewer", "editor"])
        .distinct().order_by("username"),
        required=False, empty_label="Nobody (unassign)",
    )


TAG_SEPARATOR = ","  # between names in the tag box; so no tag name holds one


def clean_tag_names(text: str) -> list[str]:
    """'Vladivostok summit, treaty' → ['Vladivostok summit', 'treaty'], each name checked."""
    names = [" ".join(n.split()) for n in text.split(TAG_SEPARATOR)]
    names = [n for n in names if n]
    if not names:
        raise forms.ValidationError("Write a tag, or several separated by commas.")
    for name in names:
        if len(name) > TAG_MAX_LENGTH:
            raise forms.ValidationError(
                f"“{name[:60]}…” is {len(name)} characters; a tag has at most {TAG_MAX_LENGTH}."
            )
    return names


class TagForm(forms.Form):
    names = forms.CharField(
        max_length=200, label="Add tags", help_text="Several at once: separate them by commas."
    )

    def clean_names(self) -> list[str]:
        return clean_tag_names(self.cleaned_data["names"])


class UntagForm(forms.Form):
    """The tag a chip's remove button names, read through a form like every other field so a
    NUL byte (which PostgreSQL refuses even in a comparison) or an overlong name is refused."""

    remove = forms.CharField(max_length=200)


class BulkForm(forms.Form):
    """A bulk action on the ticked claims of the queue. Bound with prefix "assign", as
    AssignForm is: the queue's one set of boxes (assign-claims) serves every bulk action."""

    claims = forms.ModelMultipleChoiceField(queryset=Claim.objects.order_by("pk"))
    action = forms.ChoiceField(choices=[])
    tags = forms.CharField(max_length=200, required=False, label="Tags")
    note = forms.CharField(
        max_length=limits.COMMENT_MAX_LENGTH, required=False, label="Reason or comment",
        help_text="Why the claims are not checkable, or why they go back.",
    )

    def __init__(self, *args: Any, actions: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = actions
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [(k, a.label) for k, a in actions.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = self.actions.get(data.get("action", ""))
        if action is None:
            return data
        if action.needs == "tags":
            try:
                data["tags"] = clean_tag_names(data.get("tags", ""))
            except forms.ValidationError as exc:
                self.add_error("tags", exc)
        elif action.needs == "note" and not data.get("note", "").strip():
            self.add_error("note", f"{action.label.split(' (')[0]}: say why.")
        if data.get("action") == "dismiss" and len(data.get("note", "")) > (
            limits.DISMISS_REASON_MAX_LENGTH
        ):
            self.add_error("note", "A reason for dismissing has at most "
                           f"{limits.DISMISS_REASON_MAX_LENGTH} characters.")
        return data


class QueueForm(forms.Form):
    """The queue's filters. Every field is optional; the form is bound to request.GET."""

    SORTS = [
        ("oldest", "Oldest first"),
        ("article", "Article order"),
        ("suggestion", "Strongest evidence first"),
    ]
    STATUSES = [("", "To review (open or sent back)"), *ReviewStatus.choices, ("any", "Any")]

    q = forms.CharField(required=False, label="Search", max_length=limits.SEARCH_MAX_LENGTH)
    status = forms.ChoiceField(choices=STATUSES, required=False, label="Status")
    verdict = forms.ChoiceField(
        choices=[("", "Any verdict"), *Verdict.choices], required=False, label="Verdict"
    )
    type = forms.ChoiceField(choices=[("", "Any type"), *Claim.Type.choices], required=False)
    outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.all(), required=False, empty_label="Any outlet"
    )
    article = forms.IntegerField(required=False, min_value=1, label="Article id")
    assignee = forms.ChoiceField(
        choices=[("", "Anyone"), ("me", "Me"), ("none", "Unassigned")], required=False
    )
    suggestion = forms.ChoiceField(
        choices=[("", "Either"), ("yes", "Has evidence"), ("no", "No evidence yet")],
        required=False, label="Suggestion",
    )
    tag = forms.CharField(required=False, max_length=TAG_MAX_LENGTH, label="Tag")
    published_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Published from"
    )
    published_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="to"
    )
    sort = forms.ChoiceField(choices=SORTS, required=False, initial="oldest")
    n = forms.IntegerField(required=False, min_value=1, max_value=200, label="Per page")
