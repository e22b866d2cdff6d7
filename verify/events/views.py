"""Events: the list with its filters, the comparison page, and a reviewer's merge, split
and rename. Parse, act through verify.events.services, respond."""

from __future__ import annotations

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
from verify.events import comparison, listing, services
from verify.models import Event


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
    try:
        services.rename_event(event=event, name=request.POST.get("name", ""),
                              user=_user(request))
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
