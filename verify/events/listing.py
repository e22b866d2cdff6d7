"""Which events a list shows: the event list's filters and sorts, and the new events whose
state outlets disagree with each other or with the independent record. Plain functions over
querysets; the views only parse the request and lay out what these return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from claims.models import Claim
from config.limits import as_id
from verify.events.comparison import Difference, discrepancies, outlet_key
from verify.models import Event, EventMembership, Reference

SORTS = {
    "": ["-date_start", "-id"],
    "outlets": ["-outlet_count", "-discrepancy_count", "-date_start", "-id"],
    "discrepancies": ["-discrepancy_count", "-outlet_count", "-date_start", "-id"],
}
# The aspects on which two outlets can disagree; a participant only one names is an
# omission, which the comparison page marks but is no disagreement.
DISAGREEING = {"date", "figures"}
NEW_DAYS = 30  # "new": grouped within this many days, unless the desk asks for another span
MAX_DAYS = 3650
SHOWN = 100


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def filter_events(params: Mapping[str, str]) -> QuerySet[Event]:
    """The event list as its form asks: outlet, outlet's country, type, dates that touch
    the range, has a difference; sorted newest first, or by outlets or differences."""
    events = Event.objects.all()
    outlet_id = as_id(params.get("outlet", ""))
    if outlet_id is not None:
        events = events.filter(_having(Q(claim__article__outlet_id=outlet_id)))
    if country := params.get("country", "").strip():
        events = events.filter(_having(Q(claim__article__outlet__country=country)))
    if (kind := params.get("type", "")) in Event.Type.values:
        events = events.filter(type=kind)
    if start := parse_date(params.get("from")):
        events = events.filter(date_end__gte=start)
    if end := parse_date(params.get("to")):
        events = events.filter(date_start__lte=end)
    if params.get("discrepancy"):
        events = events.filter(discrepancy_count__gt=0)
    return events.order_by(*SORTS.get(params.get("sort", ""), SORTS[""]))


def _having(condition: Q) -> Exists:
    """An event with a claim that meets the condition (EXISTS, so no duplicate rows)."""
    return Exists(EventMembership.objects.filter(condition, event=OuterRef("pk")))


@dataclass(frozen=True)
class Disagreement:
    event: Event
    findings: list[Difference]
    outlets: list[str]


def new_disagreements(days: int = NEW_DAYS) -> list[Disagreement]:
    """Events grouped in the last `days` days where two state outlets give another date or
    figure, or an independent source contradicts a state outlet; newest first."""
    since = timezone.now() - timedelta(days=max(1, min(days, MAX_DAYS)))
    contradicted = Reference.objects.filter(
        claim__event_membership__event=OuterRef("pk"), independent=True,
        stance=Reference.Stance.CONTRADICTS, claim__article__outlet__is_state_media=True,
    )
    events = Event.objects.filter(created_at__gte=since).filter(
        Q(discrepancy_count__gt=0) | Exists(contradicted)
    ).order_by("-created_at", "-id")[:SHOWN]
    out = []
    for event in events:
        claims = list(
            Claim.objects.filter(event_membership__event=event).select_related("article__outlet")
        )
        if found := disagreements(claims):
            state = sorted({outlet_key(c) for c in claims if _state(c)})
            out.append(Disagreement(event, found, state))
    return out


def disagreements(claims: list[Claim]) -> list[Difference]:
    """Where state outlets disagree with each other (a date, a figure) or with the
    independent record (a reference gathered for a claim that contradicts it)."""
    state = {outlet_key(c) for c in claims if _state(c)}
    found = [d for d in discrepancies(claims)
             if d.aspect in DISAGREEING and len(d.outlets) > 1 and set(d.outlets) <= state]
    by_pk = {c.pk: c for c in claims if _state(c)}
    for ref in Reference.objects.filter(
        claim__in=list(by_pk), independent=True, stance=Reference.Stance.CONTRADICTS
    ).order_by("claim_id", "id"):
        claim = by_pk[ref.claim_id]
        found.append(Difference("independent", (outlet_key(claim),), (
            f"{ref.publisher or ref.source} contradicts {outlet_key(claim)}: "
            f"“{claim.sentence[:160]}”")))
    return found


def _state(claim: Claim) -> bool:
    outlet = claim.article.outlet
    return bool(outlet and outlet.is_state_media)
