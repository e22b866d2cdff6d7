"""Events: the list with its filters, the disagreements, the comparison page, a reviewer's
merge, split and rename, an editor's publishing, and the published comparison's public page.
Parse, act through verify.events.services and verify.events.publishing, respond."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.models import Claim, Outlet
from config.limits import as_id
from verify.events import comparison, listing, services
from verify.events import publishing as event_publishing
from verify.events.forms import RenameForm
from verify.models import Event, EventSummary, Summary
from verify.publishing import services as publishing
from verify.publishing.forms import PublishForm, RetractForm
from verify.publishing.views import json_ld


@login_required
@permission_required("verify.view_event", raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/list.html", {
        "events": listing.filter_events(request.GET)[:200],
        "outlets": Outlet.objects.order_by("name"),
        "countries": Outlet.objects.exclude(country="").order_by("country")
        .values_list("country", flat=True).distinct(),
        "types": Event.Type.choices,
        "query": request.GET,
    })


@login_required
@permission_required("verify.view_event", raise_exception=True)
def discrepancies(request: HttpRequest) -> HttpResponse:
    days = as_id(request.GET.get("days", "")) or listing.NEW_DAYS
    return render(request, "events/discrepancies.html", {
        "found": listing.new_disagreements(days), "days": days,
    })


@login_required
@permission_required("verify.view_event", raise_exception=True)
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    memberships = list(event.memberships.select_related("claim__article__outlet"))
    claims = [m.claim for m in memberships]
    shown = event_publishing.shown_claims(event)
    return render(request, "events/detail.html", {
        "event": event,
        "memberships": memberships,
        "table": comparison.compare(claims),
        "others": Event.objects.exclude(pk=event.pk).filter(
            Q(date_start__lte=event.date_end) & Q(date_end__gte=event.date_start))[:20],
        "blockers": event_publishing.blockers(shown, event_publishing.final_reviews(shown)),
        "shown": shown,
        "current": event.summaries.filter(is_current=True).first(),
        "publish_form": PublishForm(), "retract_form": RetractForm(),
    })


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@permission_required("verify.change_event", raise_exception=True)
@require_POST
def rename(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    form = RenameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.rename_event(event=event, name=form.cleaned_data["name"], user=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(event)


def _posted[M: Model](request: HttpRequest, model: type[M], field: str) -> M | None:
    """The row whose id the form posted in `field`; None when it posted no id; 404 when no
    such row exists."""
    pk = as_id(request.POST.get(field, ""))
    return None if pk is None else get_object_or_404(model, pk=pk)


@login_required
@permission_required("verify.change_event", raise_exception=True)
@require_POST
def merge(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    other = _posted(request, Event, "other")
    if other is None:
        messages.error(request, "Choose the event to merge into this one.")
        return redirect(event)
    try:
        services.merge_events(into=event, other=other, user=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(event)


@login_required
@permission_required("verify.change_event", raise_exception=True)
@require_POST
def split(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    claim = _posted(request, Claim, "claim")
    if claim is None:
        messages.error(request, "Choose the claim to move out.")
        return redirect(event)
    try:
        new = services.split_claim(event=event, claim=claim, user=_user(request),
                                   name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(event)
    return redirect(new)


@login_required
@permission_required("verify.add_summary", raise_exception=True)
@require_POST
def publish(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, event, form)
    try:
        published = event_publishing.publish_event(
            event=event, editor=_user(request),
            correction_note=form.cleaned_data["correction_note"])
    except publishing.PublishError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Version {published.version} of the comparison is public.")
    return redirect(event)


@login_required
@permission_required("verify.add_summary", raise_exception=True)
@require_POST
def retract(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    form = RetractForm(request.POST)
    if not form.is_valid():
        return _refused(request, event, form)
    try:
        event_publishing.retract_event(event=event, editor=_user(request),
                                       note=form.cleaned_data["note"])
    except publishing.PublishError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The comparison is retracted; its page says so.")
    return redirect(event)


def _refused(request: HttpRequest, event: Event, form: PublishForm | RetractForm) -> HttpResponse:
    """A note the form refused (too long, a NUL byte): 400, nothing changed."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    response = redirect(event)
    response.status_code = 400
    return response


# --- The public page (no login): rendered from the published snapshot only -----------


def published(request: HttpRequest, event_id: int) -> HttpResponse:
    found = get_object_or_404(EventSummary, event_id=event_id, is_current=True)
    return _public_page(request, found)


def published_version(request: HttpRequest, event_id: int, version: int) -> HttpResponse:
    return _public_page(request, get_object_or_404(EventSummary, event_id=event_id,
                                                   version=version))


def _public_page(request: HttpRequest, summary: EventSummary) -> HttpResponse:
    versions = list(EventSummary.objects.filter(event_id=summary.event_id).order_by("version"))
    retracted = summary.state == Summary.State.RETRACTED
    reviews = [] if retracted else event_publishing.claim_reviews(summary, versions[0].published_at)
    return render(request, "events/public.html", {
        "summary": summary, "snap": summary.snapshot, "event": summary.snapshot["event"],
        "versions": versions, "first": versions[0], "latest": versions[-1],
        "retracted": retracted,
        "page_url": publishing.absolute(event_publishing.page_url(summary)),
        "json_ld": [json_ld(r) for r in reviews],
        "org_name": settings.FACTCHECK_ORG_NAME, "org_url": settings.FACTCHECK_ORG_URL,
    })
