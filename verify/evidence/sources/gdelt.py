"""GDELT DOC 2.0: who else reported it, in English, around the claim's date.

Sends mode=artlist&format=json with the operators inside `query` ("Kim Jong Un" ("North
Korea" OR Pyongyang) sourcelang:english), startdatetime/enddatetime around the claim's date,
sort=DateDesc. Returns headlines only: GDELT gives no article text, and it shows that others
reported a thing, not that it is true.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from outbound import http
from verify.evidence.sources import queries
from verify.evidence.sources.base import Candidate, Source, SourceError

if TYPE_CHECKING:
    from claims.models import Claim

TTL = 3600  # the news index grows by the minute; an hour is stale enough
MAX_RECORDS = 75
# The DOC API searches back to 1 January 2017 only. A claim about 2000 could be matched only
# by recent articles that mention it, which a dated window would exclude anyway: no request.
COVERAGE_START = date(2017, 1, 1)
WINDOW_PAD_DAYS = 3  # reports run a day or two behind the event
UNDATED_PAD_DAYS = 7  # an undated claim is about the days before its article came out
MIN_TERM = 3  # GDELT rejects shorter words ("phrase too short")


def term(text: str) -> str:
    """A query term: multi-word names quoted as phrases; characters GDELT parses dropped."""
    text = re.sub(r"[\"()]", " ", text)
    text = " ".join(text.split())
    return f'"{text}"' if " " in text or "-" in text else text


def build_query(claim: Claim, query: str = "") -> str:
    """All parties required; the object and the place are alternatives (OR in parentheses,
    as GDELT demands): "Vladimir Putin" ("North Korea" OR Pyongyang) sourcelang:english."""
    if query.strip():
        # A reviewer's wording goes as written (they may use GDELT operators); if GDELT
        # rejects it, its message becomes the job's error.
        return f"{' '.join(query.split())} sourcelang:english"
    groups: list[list[str]] = []
    subject = queries.clean_name(claim.subject_name)
    if subject:
        groups.append([subject])
    others = [n for n in map(queries.clean_name, (claim.object_name, claim.place_name))
              if n and n.lower() != subject.lower()]
    if others:
        groups.append(list(dict.fromkeys(others)))
    if not groups:
        groups = [[w] for w in queries.keywords(claim.sentence, limit=3)]
    parts = []
    for group in groups:
        names = [term(n) for n in group if len(n) >= MIN_TERM]
        if len(names) == 1:
            parts.append(names[0])
        elif names:
            parts.append("(" + " OR ".join(names) + ")")
    return " ".join([*parts, "sourcelang:english"]) if parts else ""


def window(claim: Claim) -> tuple[date, date] | None:
    """The claim's date window padded, or the week before its article; None outside coverage."""
    span = queries.date_window(claim, pad_days=WINDOW_PAD_DAYS)
    published = claim.article.published
    if span is None and published:
        span = (published - timedelta(days=UNDATED_PAD_DAYS), published + timedelta(days=1))
    if span is None:
        return None
    today = timezone.now().date()
    start, end = max(span[0], COVERAGE_START), min(span[1], today)
    return (start, end) if start <= end else None


def tidy_title(title: str) -> str:
    """GDELT tokenises titles: "Putin ’ s visit , says Kremlin" -> "Putin’s visit, says Kremlin"."""
    title = re.sub(r"\s+([,.;:!?%)\]])", r"\1", title)
    title = re.sub(r"([(\[])\s+", r"\1", title)
    title = re.sub(r"\s*([’'])\s+(s|t|re|ve|ll|d|m)\b", r"\1\2", title)
    return " ".join(title.split())


def seen_date(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").date()
    except (TypeError, ValueError):
        return None


class Gdelt(Source):
    name = "gdelt"
    label = "GDELT news search"

    def enabled(self) -> bool:
        return self.name not in settings.SOURCES_DISABLED

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        span = window(claim)
        text = build_query(claim, query)
        if span is None or not text:
            return []
        response = http.get(
            settings.GDELT_DOC_URL,
            source=self.name,
            ttl=TTL,
            # An invalid query comes back as HTTP 200 text/html: let it through to say why.
            accept=("application/json", "text/html", "text/plain"),
            params={
                "query": text,
                "mode": "artlist",
                "format": "json",
                "maxrecords": MAX_RECORDS,
                "startdatetime": f"{span[0]:%Y%m%d}000000",
                "enddatetime": f"{span[1]:%Y%m%d}235959",
                "sort": "DateDesc",
            },
        )
        content_type = response.headers.get("Content-Type", "").lower()
        if not content_type.startswith("application/json"):
            message = " ".join(response.text().split())[:300]
            raise SourceError(f"GDELT rejected the query: {message}", permanent=True)
        body = response.json()
        if not isinstance(body, dict):
            raise SourceError("GDELT answered with something other than a JSON object.")
        # No results is `{}`: no "articles" key at all.
        articles = [a for a in body.get("articles") or [] if isinstance(a, dict) and a.get("url")]
        provenance = response.provenance()
        return [self.candidate(a, text, provenance) for a in articles]

    def candidate(self, article: dict, text: str, provenance: dict) -> Candidate:
        title = tidy_title(str(article.get("title") or ""))
        return Candidate(
            url=str(article["url"]),
            title=title,
            publisher=str(article.get("domain") or ""),
            # seendate is when GDELT crawled the article, not when it was published: close
            # for news, but only approximate (a republished old story gets a new seendate).
            published=seen_date(str(article.get("seendate") or "")),
            passage=title,
            provenance={
                **provenance,
                "query": text,
                "seendate": article.get("seendate"),
                "published_is_approximate": True,
                "published_note": "GDELT crawl time (seendate), not the publication date",
                "domain": article.get("domain"),
                "language": article.get("language"),
                "sourcecountry": article.get("sourcecountry"),
            },
        )
