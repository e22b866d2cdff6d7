"""The form that brings an article in by pasting or uploading it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from claims import ingestion
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
    outlet = forms.CharField(max_length=200, required=False)
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

    def clean_outlet(self) -> str:
        named = self.cleaned_data.get("outlet", "")
        if not named:
            return ""
        if found := find_outlet(named):
            return found.name
        if not self.may_add_outlet:
            raise forms.ValidationError(
                f"No outlet is called “{named}” or has that web domain. Write the name or "
                "domain of a known outlet, or leave it blank; an editor can add new outlets."
            )
        return named

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
