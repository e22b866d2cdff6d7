"""Grouping claims into events: plain functions, called by the thin task in tasks.py.

A claim joins an event when the two tell of the same happening: compatible types (talks are
part of a visit, a signing part of a summit), at least one party in common (by Wikidata id,
else by folded name), dates that agree at the coarser of the two precisions, and no place
that conflicts. A claim with no date of its own is dated by its article: agencies report
what happened in the last few days. Candidates are found through two indexes (the party
keys and the date range), so grouping an article costs the same against ten claims or a
hundred thousand.

Every membership says why it was made, in words a reviewer can check. Memberships a
reviewer set are never touched here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from claims.models import Article, Claim, Entity
from verify.events.comparison import discrepancies
from verify.events.parties import Known, Party, claim_parties, known
from verify.models import Event, EventMembership, EventParty

# Types that tell of a happening and may start an event; the account types may join one
# but never start it on their own date. Anniversaries and history refer to another,
# earlier event and never join.
HAPPENINGS = {"visit", "meeting", "treaty_document", "date_event"}
ACCOUNTS = {"quote", "statistic", "other"}
NEVER = {"anniversary", "historical_event"}
# The event's type, when members differ: a visit contains its talks and its signings.
TYPE_RANK = ["visit", "meeting", "treaty_document", "date_event", "other"]

# An article with no date on a claim reports what happened in the days before it came out
# (a wire story on the evening of the talks, a weekly on the week), or the day after.
BEFORE_PUBLISHED = timedelta(days=3)
AFTER_PUBLISHED = timedelta(days=1)
# A visit runs over days: the arrival at night, the talks the next morning.
DAY_SLACK = timedelta(days=2)
# Commemorations are held on round anniversaries: the 5th, 10th, ..., 70th, 75th.
ANNIVERSARY_STEP = 5

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass(frozen=True)
class When:
    start: date
    end: date
    precision: str  # "day", "month", "year", or "article" (dated by its article)
    label: str


@dataclass(frozen=True)
class Facts:
    """What grouping reads of one claim."""

    claim_id: int
    article_id: int
    type: str
    parties: tuple[Party, ...]
    place: str  # Wikidata id of a place that is a city or site, "" when none or a country
    place_name: str
    when: When | None
    # Parties that are whole states: "Russia" is in every story of the beat, so a state in
    # common joins claims of one article but not two reports of different articles.
    states: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Profile:
    """What grouping reads of one event."""

    event_id: int
    type: str
    keys: frozenset[str]
    places: frozenset[str]
    start: date
    end: date
    precision: str
    articles: frozenset[int]


@dataclass(frozen=True)
class Match:
    event_id: int
    score: float
    reason: str
    strong: bool = False  # a person or organisation in common, not only a state


def day_label(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def range_label(start: date, end: date) -> str:
    if start == end:
        return day_label(start)
    if start.year == end.year and start.month == end.month:
        if start.day == 1 and (end + timedelta(days=1)).month != end.month:
            return f"{MONTHS[start.month - 1]} {start.year}"
        return f"{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return str(start.year)
    return f"{day_label(start)} – {day_label(end)}"


def claim_when(claim: Claim, published: date | None) -> When | None:
    if claim.date_start and claim.date_end and claim.date_precision:
        precision = claim.date_precision
        return When(claim.date_start, claim.date_end, precision,
                    range_label(claim.date_start, claim.date_end))
    if published is None:
        return None
    return When(published - BEFORE_PUBLISHED, published + AFTER_PUBLISHED, "article",
                f"no date of its own; published {day_label(published)}")


def facts_of(
    claim: Claim, published: date | None, kinds: dict[str, str],
    gazetteer: Known | None = None,
) -> Facts:
    # A country as the place never conflicts with a city in it: only cities and sites do.
    place = claim.place_qid if kinds.get(claim.place_qid) == "place" else ""
    return Facts(
        claim_id=claim.pk, article_id=claim.article_id, type=claim.type,
        parties=claim_parties(claim, gazetteer), place=place, place_name=claim.place_name,
        when=claim_when(claim, published),
        states=frozenset(k for k, kind in kinds.items() if kind == "state")
        | frozenset(p.key for p in (gazetteer.capitals.values() if gazetteer else ())),
    )


def search_window(when: When) -> tuple[date, date]:
    slack = DAY_SLACK if when.precision == "day" else timedelta(0)
    return when.start - slack, when.end + slack


def date_agreement(when: When, profile: Profile) -> str | None:
    """Why the dates agree, or None. The coarser precision decides: a day agrees with the
    month it falls in; two days agree when they are no further apart than a visit lasts."""
    low, high = search_window(when)
    if low > profile.end or high < profile.start:
        return None
    event = range_label(profile.start, profile.end)
    if when.precision == "article":
        return f"{when.label}, around {event}"
    if when.start >= profile.start and when.end <= profile.end:
        return f"{when.label} within {event}" if when.label != event else f"both {event}"
    if when.start <= profile.start and when.end >= profile.end:
        return f"{event} within {when.label}"
    return f"{when.label} within {DAY_SLACK.days} days of {event}"


def compatible(claim_type: str, event_type: str) -> bool:
    if claim_type in NEVER:
        return False
    return claim_type in HAPPENINGS | ACCOUNTS and event_type in HAPPENINGS | {"other"}


def match(facts: Facts, profile: Profile) -> Match | None:
    """Whether the claim tells of this event, with the reason in words; None when not."""
    if facts.when is None or not compatible(facts.type, profile.type):
        return None
    shared = [p for p in facts.parties if p.key in profile.keys]
    same_article = facts.article_id in profile.articles
    if not same_article and (not shared or all(p.key in facts.states for p in shared)):
        return None
    # Within one article two happenings a day or two apart are one story even when the
    # extractor named different parties for each ("Kim arrived", "the talks with Putin"),
    # and so is what the article says of one of those days ("China held a reception").
    if same_article and not shared and facts.type not in HAPPENINGS and (
        facts.when.precision != "day"
    ):
        return None
    # A happening somewhere else that shares only a state with the story ("a Russian
    # minister visited Moscow") is not part of it, even in the same article.
    weak = all(p.key in facts.states for p in shared)
    if same_article and weak and facts.place and facts.type in HAPPENINGS:
        return None
    if facts.place and profile.places and facts.place not in profile.places:
        return None  # a different city: another leg of a tour, or another event
    # "In 2019" fits every event of that year: it may join only an event it shares two
    # parties with, and only when it is the one candidate (see best_match).
    if facts.when.precision == "year" and len(shared) < 2:
        return None
    agreed = date_agreement(facts.when, profile)
    if agreed is None:
        return None
    reasons = [agreed]
    if shared:
        reasons.insert(0, "same parties " + ", ".join(
            p.name if p.key.startswith("name:") else p.key for p in shared))
    if facts.place and facts.place in profile.places:
        reasons.append(f"same place {facts.place_name or facts.place}")
    if facts.type != profile.type:
        reasons.append(f"{facts.type.replace('_', ' ')} during a {profile.type.replace('_', ' ')}")
    if same_article:
        reasons.append("same article")
    score = 2.0 * len(shared) + (1.0 if same_article else 0.0)
    score += {"day": 1.0, "month": 0.5}.get(facts.when.precision, 0.0)
    strong = any(p.key not in facts.states for p in shared)
    return Match(profile.event_id, score, "; ".join(reasons), strong)


def best_match(facts: Facts, profiles: list[Profile]) -> Match | None:
    found = [m for p in profiles if (m := match(facts, p)) is not None]
    if not found:
        return None
    if facts.when is not None and facts.when.precision == "year" and len(found) > 1:
        return None  # ambiguous: better no event than the wrong one
    return max(found, key=lambda m: (m.score, -m.event_id))


def may_start_event(facts: Facts) -> bool:
    """A claim that joins nothing starts its own event when it tells of a happening with a
    date finer than a year, or is an account of one on its article's day."""
    if facts.when is None or not facts.parties or facts.type in NEVER:
        return False
    if facts.when.precision == "year":
        return False
    return facts.type in HAPPENINGS or (facts.type in ACCOUNTS and facts.when.precision != "year")


# --- The database side ---------------------------------------------------------------


def place_kinds(qids: set[str]) -> dict[str, str]:
    return dict(Entity.objects.filter(qid__in=qids).values_list("qid", "kind"))


def profile_of(event: Event) -> Profile:
    members = list(
        EventMembership.objects.filter(event=event).values_list("claim__article_id", flat=True)
    )
    return Profile(
        event_id=event.pk, type=event.type,
        keys=frozenset(p["key"] for p in event.parties),
        places=frozenset(p["key"] for p in event.places),
        start=event.date_start, end=event.date_end, precision="",
        articles=frozenset(members),
    )


def candidates(facts: Facts) -> list[Profile]:
    if facts.when is None:
        return []
    low, high = search_window(facts.when)
    events = set(Event.objects.candidates(keys=[p.key for p in facts.parties], start=low,
                                          end=high)) if facts.parties else set()
    events |= set(Event.objects.filter(memberships__claim__article_id=facts.article_id,
                                       date_start__lte=high, date_end__gte=low))
    return [profile_of(e) for e in sorted(events, key=lambda e: e.pk)]


def group_article(article: Article) -> list[EventMembership]:
    """Place each claim of the article in an event, joining existing ones or starting new
    ones. Safe to run again: the machine's memberships of these claims are made afresh,
    a reviewer's are left as they are."""
    with transaction.atomic():
        claims = list(article.claims.order_by("start", "id"))
        old = EventMembership.objects.filter(claim__in=claims)
        kept = set(old.filter(set_by_reviewer=True).values_list("claim_id", flat=True))
        machine = old.filter(set_by_reviewer=False)
        touched: set[int] = set(machine.values_list("event_id", flat=True))
        machine.delete()
        kinds = place_kinds({q for c in claims for q in (c.place_qid, c.subject_qid,
                                                         c.object_qid, c.speaker_qid) if q})
        published = article.published or article.ingested_at.date()
        # The article's dated happenings first: they say what the article is about, and the
        # undated statements and figures around them then belong to that.
        todo = sorted((c for c in claims if c.pk not in kept), key=lambda c: (
            not (c.type in HAPPENINGS and c.date_precision in ("day", "month")), c.start, c.pk))
        gazetteer = known()
        facts = {c.pk: facts_of(c, published, kinds, gazetteer) for c in todo}
        made: list[EventMembership] = []
        left = []
        for claim in todo:
            membership = place_claim(claim, facts[claim.pk], may_start=not undated_account(
                facts[claim.pk]))
            if membership is not None:
                made.append(membership)
            else:
                left.append(claim)
        joined = join_article_event(left, made, published)
        made += joined
        for claim in left:
            if claim.pk not in {m.claim_id for m in joined}:
                membership = place_claim(claim, facts[claim.pk])
                if membership is not None:
                    made.append(membership)
        touched |= {m.event_id for m in made}
        for event in Event.objects.filter(pk__in=touched):
            refresh(event)
    return made


def all_matches(facts: Facts, profiles: list[Profile]) -> list[Match]:
    return sorted((m for p in profiles if (m := match(facts, p)) is not None),
                  key=lambda m: (-m.score, m.event_id))


def join_article_event(
    left: list[Claim], placed: list[EventMembership], published: date
) -> list[EventMembership]:
    """A figure or a statement that gives no date of the event ("trade reached 34 million
    dollars last year", "Putin said ...") belongs to what its article reports: the event
    most of the article's other claims joined. A figure's own date is the period it
    counts, not the day of the event, so it does not keep it out. So does the anniversary
    the event marks (see `marks`)."""
    counts: dict[int, int] = {}
    # Read again: a later claim of the article may have shown two events to be one.
    for event_id in EventMembership.objects.filter(
        pk__in=[m.pk for m in placed]
    ).values_list("event_id", flat=True):
        counts[event_id] = counts.get(event_id, 0) + 1
    if not counts:
        return []
    event_id = max(counts, key=lambda e: (counts[e], -e))  # the main story, oldest on a tie
    event = Event.objects.get(pk=event_id)
    here = f"in the same article as {counts[event_id]} claim{'s' if counts[event_id] > 1 else ''}"
    out = []
    for claim in left:
        if claim.type == "anniversary" and (why := marks(claim, event, published)):
            reason = f"{why}; {here} of this event"
        elif undated_part(claim):
            reason = f"no date of its own; {here} of this event"
        else:
            continue
        out.append(EventMembership.objects.create(event_id=event_id, claim=claim, reason=reason))
    if out:
        refresh(event)
    return out


def undated_part(claim: Claim) -> bool:
    """A statement, a figure or a signing with no date of the event's own."""
    if claim.type not in ACCOUNTS | {"treaty_document"}:
        return False
    return claim.type == "statistic" or not claim.date_value


def marks(claim: Claim, event: Event, published: date) -> str:
    """Why the event is the commemoration of the anniversary the claim names, or "".
    Visits and parades are timed to round anniversaries (the 70th of the armistice, the
    80th of a victory): the event must be the article's news, a whole number of
    ANNIVERSARY_STEP years after the anniversary's date, in its month when that is known."""
    if claim.date_start is None or not (
        published - BEFORE_PUBLISHED <= event.date_end
        and event.date_start <= published + AFTER_PUBLISHED
    ):
        return ""
    years = event.date_start.year - claim.date_start.year
    if years <= 0 or years % ANNIVERSARY_STEP:
        return ""
    if claim.date_precision in ("day", "month") and claim.date_start.month not in (
        event.date_start.month, event.date_end.month
    ):
        return ""
    return f"the event marks the {ordinal(years)} anniversary of {claim.date_value}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def undated_account(facts: Facts) -> bool:
    return facts.type in ACCOUNTS and (facts.when is None or facts.when.precision == "article")


def place_claim(claim: Claim, facts: Facts, *, may_start: bool = True) -> EventMembership | None:
    profiles = candidates(facts)
    found = best_match(facts, profiles)
    if found is not None and found.strong and facts.when is not None and (
        facts.when.precision in ("day", "month")
    ):
        # A dated claim that fits two events the machine made, by a person both name,
        # shows they are one: the other's claims move into the best one, with the reason.
        by_id = {p.event_id: p for p in profiles}
        for other in all_matches(facts, profiles)[1:]:
            a, b = by_id[found.event_id], by_id[other.event_id]
            if other.strong and (not a.places or not b.places or a.places & b.places):
                absorb(found.event_id, other.event_id, found.reason)
    if found is not None:
        membership = EventMembership.objects.create(
            event_id=found.event_id, claim=claim, reason=found.reason
        )
        refresh(Event.objects.get(pk=found.event_id))
        return membership
    if not may_start or not may_start_event(facts):
        return None
    assert facts.when is not None
    event = Event.objects.create(
        name=event_name(claim, facts), type=event_type([facts.type]),
        date_start=facts.when.start, date_end=facts.when.end,
    )
    membership = EventMembership.objects.create(
        event=event, claim=claim,
        reason=f"first report: {', '.join(p.name for p in facts.parties)}; {facts.when.label}",
    )
    refresh(event)
    return membership


def absorb(into_id: int, other_id: int, reason: str) -> None:
    other = Event.objects.filter(pk=other_id, reviewer_locked=False).first()
    if other is None or other_id == into_id:
        return
    moved = EventMembership.objects.filter(event=other, set_by_reviewer=False)
    if moved.count() != other.memberships.count():
        return  # a reviewer placed a claim there: leave the event as it is
    moved.update(event_id=into_id, reason=f"joined through another claim ({reason})")
    other.delete()


def event_type(types: list[str]) -> str:
    present = [t for t in TYPE_RANK if t in types]
    return present[0] if present else Event.Type.OTHER


def event_name(claim: Claim, facts: Facts) -> str:
    names = " and ".join(p.name for p in facts.parties[:2])
    kind = {"visit": "visit", "meeting": "talks", "treaty_document": "signing"}.get(
        facts.type, "event")
    when = facts.when.label if facts.when and facts.when.precision != "article" else ""
    return f"{names}: {kind}{', ' + when if when else ''}"[:300]


def refresh(event: Event) -> None:
    """Recompute what the event knows from its claims: parties, places, dates, type, the
    outlets and the number of differences. An event the machine made and no claim is in any
    more goes away; one a reviewer touched stays."""
    claims = list(
        Claim.objects.filter(event_membership__event=event).select_related("article__outlet")
    )
    if not claims:
        if not event.reviewer_locked:
            event.delete()
        return
    parties: dict[str, str] = {}
    gazetteer = known()
    for c in claims:
        for p in claim_parties(c, gazetteer):
            parties.setdefault(p.key, p.name)
    kinds = place_kinds({c.place_qid for c in claims if c.place_qid})
    places = {c.place_qid: c.place_name for c in claims if kinds.get(c.place_qid) == "place"}
    start, end = event_dates(claims, event)
    event.parties = [{"key": k, "name": v} for k, v in parties.items()]
    event.places = [{"key": k, "name": v} for k, v in places.items()]
    event.date_start, event.date_end = start, end
    event.type = event_type([c.type for c in claims])
    event.outlet_count = len({c.article.outlet_id or -c.article_id for c in claims})
    event.discrepancy_count = len(discrepancies(claims))
    event.updated_at = timezone.now()
    event.save(update_fields=["parties", "places", "date_start", "date_end", "type",
                              "outlet_count", "discrepancy_count", "updated_at"])
    EventParty.objects.filter(event=event).exclude(key__in=parties).delete()
    EventParty.objects.bulk_create(
        [EventParty(event=event, key=k) for k in parties], ignore_conflicts=True
    )


def event_dates(claims: list[Claim], event: Event) -> tuple[date, date]:
    """The finest dates the claims give: their days if any, else the narrowest month, else
    the days their articles were published around."""
    days = [(c.date_start, c.date_end or c.date_start) for c in claims
            if c.date_precision == "day" and c.date_start]
    if days:
        return min(s for s, _ in days), max(e for _, e in days)
    months = [c for c in claims if c.date_precision == "month" and c.date_start and c.date_end]
    if months:
        narrow = min(months, key=lambda c: (c.date_end - c.date_start))  # type: ignore[operator]
        return narrow.date_start, narrow.date_end  # type: ignore[return-value]
    published = [
        (c.article.published or c.article.ingested_at.date()) for c in claims
        if not c.date_start
    ]
    if published:
        return min(published) - BEFORE_PUBLISHED, max(published) + AFTER_PUBLISHED
    return event.date_start, event.date_end
