"""The form that brings an article in by pasting or uploading it, and the one that adds an
outlet (a separate step, for those with claims.add_outlet)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from claims import ingestion
from claims.models import Outlet
from claims.outlets import find_outlet
from config import limits

UPLOAD_TYPES = (".txt", ".md", ".html", ".htm")


class ArticleForm(forms.Form):
    """Paste text or upload a file; title, outlet and date are detected when left blank."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}), required=False, label="Article text",
        help_text="Paste the article as published. Site menus and comment links are removed.",
    )
    file = forms.FileField(
        required=False, label="…or upload a file", help_text="Plain text, Markdown or HTML.",
    )
    title = forms.CharField(max_length=500, required=False)
    # Picks from the known outlets (the page's <datalist>, searchable by name, alias and
    # domain); a name nobody knows is refused, and adding an outlet is its own step.
    outlet = forms.CharField(
        max_length=200, required=False,
        widget=forms.TextInput(attrs={"list": "outlet-options", "autocomplete": "off"}),
        help_text="Start typing a name, another name it goes by, or its web domain.",
    )
    published = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Published on"
    )
    source_url = forms.URLField(
        required=False, label="Original URL", assume_scheme="https",
        max_length=limits.URL_MAX_LENGTH,
    )

    def __init__(self, *args: Any, may_add_outlet: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.may_add_outlet = may_add_outlet
        self.unknown_outlet = ""

    def clean_outlet(self) -> str:
        named = self.cleaned_data.get("outlet", "")
        if not named:
            return ""
        if found := find_outlet(named):
            return found.name
        self.unknown_outlet = named  # the page offers to add it, to those who may
        then = (
            "add it as a new outlet first (the link below), then pick it"
            if self.may_add_outlet else "an editor can add new outlets"
        )
        raise forms.ValidationError(
            f"No outlet is called “{named}” or goes by that name or web domain. Pick a known "
            f"outlet from the list, or leave it blank; {then}."
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if not upload.name.lower().endswith(UPLOAD_TYPES):
            kind = (
                f"is a .{upload.name.rsplit('.', 1)[-1]} file" if "." in upload.name
                else "has no file extension"
            )
            raise forms.ValidationError(
                f"“{upload.name}” {kind}, not text, Markdown or HTML, so it cannot be read as "
                "an article. Upload a .txt, .md or .html file."
            )
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.UPLOAD_MAX_BYTES:,}."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            try:
                data["text"] = ingestion.decode(upload.read())
            except ingestion.IngestError as exc:
                self.add_error("file", str(exc))
            data["is_html"] = upload.name.lower().endswith((".html", ".htm")) or None
        elif self.has_error("file"):
            pass  # the file's own error says what is wrong; "choose a file" would mislead
        elif not (data.get("text") or "").strip():
            raise forms.ValidationError("Paste the article's text or choose a file.")
        return data


def _listed(text: str) -> list[str]:
    """ "KCTV, Korean Central Television" -> ["KCTV", "Korean Central Television"]."""
    return [part.strip() for part in text.split(",") if part.strip()]


class OutletForm(forms.ModelForm):
    """A new outlet. Whether it is state media has no default: it decides whether its copies
    of a story count as independent, so the editor says it each time."""

    is_state_media = forms.TypedChoiceField(
        label="Is it state media?", widget=forms.RadioSelect,
        choices=[("yes", "Yes: state-owned or state-run"), ("no", "No: independent of the state")],
        coerce=lambda v: v == "yes", empty_value=None,
        error_messages={"required": "Say whether the outlet is state media."},
    )
    aliases = forms.CharField(
        required=False, label="Other names", max_length=1000,
        help_text="Comma-separated, e.g. “TASS, ТАСС”.",
    )
    domains = forms.CharField(
        required=False, label="Web domains", max_length=1000,
        help_text="Comma-separated, e.g. “tass.com, tass.ru”.",
    )

    class Meta:
        model = Outlet
        fields = ["name", "country", "language", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field order of the page: name, other names, state media first of the rest.
        self.order_fields(["name", "aliases", "is_state_media", "domains"])

    def _not_known(self, named: str, as_what: str) -> None:
        if found := find_outlet(named):
            raise forms.ValidationError(
                f"“{named}” is already known as the outlet “{found.name}”; pick it in the "
                f"article form instead ({as_what})."
            )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        self._not_known(name, "same name, other name or domain")
        return name

    def clean_aliases(self) -> list[str]:
        aliases = _listed(self.cleaned_data["aliases"])
        for alias in aliases:
            self._not_known(alias, "an other name")
        return aliases

    def clean_domains(self) -> list[str]:
        listed = _listed(self.cleaned_data["domains"])
        domains = [d.casefold().removeprefix("www.") for d in listed]
        for domain in domains:
            if "." not in domain or "/" in domain or " " in domain:
                raise forms.ValidationError(f"“{domain}” is not a web domain such as tass.com.")
            self._not_known(domain, "same domain")
        return domains

    def save(self, commit: bool = True) -> Outlet:
        outlet = super().save(commit=False)
        outlet.aliases = self.cleaned_data["aliases"]
        outlet.domains = self.cleaned_data["domains"]
        outlet.is_state_media = self.cleaned_data["is_state_media"]
        if commit:
            outlet.save()
        return outlet
