"""Events: the list with its filters, the comparison page, and a reviewer's merge, split
and rename. Parse, act through verify.events.services, respond."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.models import Claim, Outlet
from config.limits import as_id
from verify.events import comparison, services
from verify.events.forms import RenameForm
from verify.models import Event


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@permission_required("verify.view_event", raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.all()
    outlet = request.GET.get("outlet", "")
    if (outlet_id := as_id(outlet)) is not None:
        events = events.filter(memberships__claim__article__outlet_id=outlet_id).distinct()
    kind = request.GET.get("type", "")
    if kind in Event.Type.values:
        events = events.filter(type=kind)
    if start := _date(request.GET.get("from")):
        events = events.filter(date_end__gte=start)
    if end := _date(request.GET.get("to")):
        events = events.filter(date_start__lte=end)
    if request.GET.get("discrepancy"):
        events = events.filter(discrepancy_count__gt=0)
    order = {"outlets": ["-outlet_count", "-date_start"],
             "discrepancies": ["-discrepancy_count", "-date_start"]}.get(
        request.GET.get("sort", ""), ["-date_start", "-id"])
    return render(request, "events/list.html", {
        "events": events.order_by(*order)[:200],
        "outlets": Outlet.objects.order_by("name"),
        "types": Event.Type.choices,
        "query": request.GET,
    })


@login_required
@permission_required("verify.view_event", raise_exception=True)
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    memberships = list(event.memberships.select_related("claim__article__outlet"))
    claims = [m.claim for m in memberships]
    return render(request, "events/detail.html", {
        "event": event,
        "memberships": memberships,
        "table": comparison.compare(claims),
        "others": Event.objects.exclude(pk=event.pk).filter(
            Q(date_start__lte=event.date_end) & Q(date_end__gte=event.date_start))[:20],
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


@login_required
@permission_required("verify.change_event", raise_exception=True)
@require_POST
def merge(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    other_id = request.POST.get("other", "")
    other = get_object_or_404(Event, pk=pk) if (pk := as_id(other_id)) is not None else None
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
    claim_id = request.POST.get("claim", "")
    claim = get_object_or_404(Claim, pk=pk) if (pk := as_id(claim_id)) is not None else None
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
