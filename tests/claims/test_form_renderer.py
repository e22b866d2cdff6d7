"""The fast form renderer prints exactly what Django's widget templates print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.models import User
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from claims.forms import ArticleForm
from claims.models import Article, Claim, Outlet
from claims.monitor_views import URLForm
from config.form_renderer import FastWidgetRenderer
from verify.models import Reference
from verify.review import forms as claim_forms

HOSTILE = '<script>alert("x")</script> & \'quotes\' “curly” \u202e'


class Everything(forms.Form):
    """Every widget the renderer writes out, with the awkward values it must print."""

    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": HOSTILE, "autofocus": True,
                                                         "disabled": False}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"step": 0.5}))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField()
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    grouped = forms.ChoiceField(choices=[
        ("", "—"), ("Group <a>", [("a", "A & B"), (1, mark_safe("<b>one</b>"))]), ("z", 2.5),
    ])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", HOSTILE)])
    radio = forms.ChoiceField(choices=[("s", "Supported"), ("d", HOSTILE)],
                              widget=forms.RadioSelect(attrs={"id": "r"}))
    boxes = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")],
                                      widget=forms.CheckboxSelectMultiple)
    maybe = forms.NullBooleanField()


VALUES = {
    "text": HOSTILE, "number": "12", "when": "2020-04-24", "moment": "2020-04-24 10:30",
    "email": "a@example.org", "password": HOSTILE, "hidden": mark_safe("<i>safe</i>"),
    "tick": "on", "body": f"{HOSTILE}\n\nsecond paragraph", "grouped": "1",
    "many": ["a", "b"], "radio": "d", "boxes": ["b"], "maybe": "true",
}


def widgets_html(form: forms.BaseForm) -> list[str]:
    """Every field's widget, and every radio or checkbox option on its own (as templates use
    them: `{% for radio in form.verdict %}{{ radio.tag }}`)."""
    out = []
    for field in form:
        out.append(str(field))
        out.extend(str(sub.tag()) for sub in field.subwidgets if hasattr(sub, "tag"))
        out.extend(str(sub) for sub in field.subwidgets)
    return out


def both(make: Callable[[DjangoTemplates], forms.BaseForm]) -> tuple[list[str], list[str]]:
    return widgets_html(make(DjangoTemplates())), widgets_html(make(FastWidgetRenderer()))


def test_the_app_uses_the_fast_renderer() -> None:
    assert settings.FORM_RENDERER == "config.form_renderer.FastWidgetRenderer"


@pytest.mark.parametrize("data", [None, VALUES, {"text": "", "number": "x", "many": ["zz"]}])
def test_every_widget_it_writes_out_prints_what_the_templates_print(data: dict | None) -> None:
    initial = {"when": date(2020, 4, 24), "moment": datetime(2020, 4, 24, 10, 30),
               "number": 1234567, "tick": True, "grouped": 1, "hidden": HOSTILE}
    stock, fast = both(lambda r: Everything(data, initial=initial, renderer=r))
    assert fast == stock
    assert any("<optgroup" in html for html in stock)  # the awkward cases were exercised


@pytest.mark.django_db
def test_every_form_of_the_app_prints_the_same_unbound_and_bound_with_hostile_input() -> None:
    Outlet.objects.create(name=HOSTILE)
    reviewer = User.objects.create_user("rev", password="x" * 12)
    claim = Claim.objects.create(
        article=Article.objects.create(title=HOSTILE, text="Kim met Putin.", content_hash="h" * 64),
        start=0, end=14, sentence="Kim met Putin.", subject_name=HOSTILE,
    )
    Reference.objects.create(claim=claim, source="web", url="https://example.org/a",
                             canonical_url="https://example.org/a", passage_hash="1",
                             title=HOSTILE)
    hostile = QueryDict(mutable=True)
    for name in ("text", "title", "outlet", "published", "source_url", "version", "verdict",
                 "rationale", "references", "reason", "comment", "body", "quote", "start",
                 "type", "url", "name", "query", "claims", "assignee", "q", "stage", "state",
                 "article", "suggestion", "published_from", "sort", "n", "subject_name",
                 "date_value", "date_precision", "username", "password", "old_password",
                 "new_password1"):
        hostile[name] = HOSTILE
    makers: list[Callable[[DjangoTemplates], forms.BaseForm]] = []
    for data in (None, hostile):
        makers += [
            lambda r, d=data: ArticleForm(d, renderer=r),
            lambda r, d=data: claim_forms.ClaimFieldsForm(d, instance=claim, renderer=r,
                                                         initial={"version": 3}),
            lambda r, d=data: claim_forms.ClaimFieldsForm(d, instance=claim, renderer=r,
                                                         prefix="split"),
            lambda r, d=data: claim_forms.VerdictForm(d, claim=claim, renderer=r),
            lambda r, d=data: claim_forms.DismissForm(d, renderer=r),
            lambda r, d=data: claim_forms.ReturnForm(d, renderer=r),
            lambda r, d=data: claim_forms.CommentForm(d, renderer=r),
            lambda r, d=data: claim_forms.SelectionForm(d, renderer=r),
            lambda r, d=data: claim_forms.UrlReferenceForm(d, renderer=r),
            lambda r, d=data: claim_forms.SavedFilterForm(d, renderer=r),
            lambda r, d=data: claim_forms.AssignForm(d, prefix="assign", renderer=r),
            lambda r, d=data: claim_forms.QueueForm(d, renderer=r),
            lambda r, d=data: URLForm(d, renderer=r),
            lambda r, d=data: AuthenticationForm(RequestFactory().post("/"), d, renderer=r),
            lambda r, d=data: PasswordChangeForm(reviewer, d, renderer=r),
        ]
    for make in makers:
        stock, fast = both(make)
        assert fast == stock, type(make(DjangoTemplates())).__name__
