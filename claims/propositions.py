"""A claim as one short complete statement, built from its structured fields.

Published ClaimReviews name what was checked in `claimReviewed`, which search engines show in
one line. The sentence cut to length loses the very fact checked ("…in the 70th anniversary
of the"), so a claim whose type and fields say enough is written out as a proposition
("Vladimir Putin visited Pyongyang in July 2000"); any other claim keeps its whole sentence.
A reviewer can always write their own (Claim.claim_reviewed).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

# Per claim type: the wording, and the fields it needs. {when} is " on 25 April 2019",
# " in April 2019" or " in 2019", {date} the same without its preposition; {where} is
# " in Vladivostok". Types not listed (attributed statements, figures) depend on words the
# fields do not hold, so they keep the sentence.
PATTERNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "visit": ("{subject} visited {destination}{when}", ("subject", "destination")),
    "meeting": ("{subject} met {object}{where}{when}", ("subject", "object")),
    "treaty_document": ("{document} was signed{where}{when}", ("document", "when")),
    "anniversary": ("{commemorated} dates from {date}", ("commemorated", "date")),
    "date_event": ("{event} took place{where}{when}", ("event", "when")),
    "historical_event": ("{event} took place{where}{when}", ("event", "when")),
}
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


class Structured(Protocol):
    type: str
    sentence: str
    subject_name: str
    object_name: str
    place_name: str
    occasion: str
    date_value: str
    date_precision: str


def date_words(value: str, precision: str) -> str:
    """'2019-04-25' (day) → '25 April 2019'; '2000-07' → 'July 2000'; '1949' → '1949'."""
    parts = value.split("-") if value else []
    try:
        if precision == "day" and len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if precision in ("day", "month") and len(parts) >= 2:
            return f"{MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return parts[0] if parts else ""


def generate(claim: Structured) -> str:
    """The claim's fields as a sentence, or the claim's own sentence whole (never cut)."""
    when = date_words(claim.date_value, claim.date_precision)
    fields = {
        "subject": claim.subject_name.strip(),
        "object": claim.object_name.strip(),
        "destination": (claim.place_name or claim.object_name).strip(),
        # An anniversary's subject is what is commemorated; a dated event's subject is often
        # a person, so only its occasion names the event.
        "document": _noun_phrase(claim.subject_name),
        "commemorated": _noun_phrase(claim.subject_name or claim.occasion),
        "event": _noun_phrase(claim.occasion),
        "where": f" in {claim.place_name.strip()}" if claim.place_name.strip() else "",
        "date": when,
        "when": (f" {'on' if claim.date_precision == 'day' else 'in'} {when}" if when else ""),
    }
    pattern = PATTERNS.get(claim.type)
    if pattern is not None and all(fields[name] for name in pattern[1]):
        return pattern[0].format(**fields)
    return " ".join(claim.sentence.split())


def _noun_phrase(text: str) -> str:
    """'establishment of diplomatic relations' → 'The establishment of diplomatic relations';
    a name ('Moscow Declaration') stays as it is."""
    text = text.strip()
    return f"The {text}" if text[:1].islower() else text
