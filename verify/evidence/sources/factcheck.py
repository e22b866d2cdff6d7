"""Google Fact Check Tools: has a fact-checker already rated this claim, and how?

Sends claims:search with query, languageCode=en and pageSize, the API key as `key` (never
stored: provenance URLs have it removed). One candidate per published review, its rating in
words in the passage and in provenance. Off unless settings.FACTCHECK_API_KEY is set.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from outbound import http
from verify.evidence.sources import queries
from verify.evidence.sources.base import Candidate, Source

if TYPE_CHECKING:
    from claims.models import Claim

TTL = 24 * 3600
PAGE_SIZE = 10
SECRET_PARAMS = frozenset({"key", "api_key", "apikey", "token", "access_token"})


def without_key(url: str) -> str:
    """The URL with secret parameters removed, for anything stored or shown."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in SECRET_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(query)))


def scrubbed(provenance: dict) -> dict:
    """Provenance with every URL-valued entry stripped of the key (belt and braces: the
    HTTP seam already removes it from request_url)."""
    return {k: without_key(v) if isinstance(v, str) and "://" in v else v
            for k, v in provenance.items()}


def google_error(response: http.Response, body: Any) -> None:
    """Raise for Google's `{"error": {"code", "message", "status"}}` in a 200 body; bad
    requests and refused keys (400, 403) are permanent, quota (429) and 5xx are not."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return
    try:
        code = int(error.get("code") or 0)
    except (TypeError, ValueError):
        code = 0
    message = str(error.get("message") or error.get("status") or "unknown error")
    permanent = 400 <= code < 500 and code != 429
    raise http.FetchError(f"Fact Check API error {code}: {message}", permanent=permanent,
                          status=code or response.status)


def day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class FactCheck(Source):
    name = "factcheck"
    label = "Google Fact Check Tools"

    def enabled(self) -> bool:
        return bool(settings.FACTCHECK_API_KEY) and self.name not in settings.SOURCES_DISABLED

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        text = queries.search_text(claim, query)
        if not text:
            return []
        response = http.get(
            settings.FACTCHECK_URL,
            source=self.name,
            ttl=TTL,
            params={"query": text, "languageCode": "en", "pageSize": PAGE_SIZE,
                    "key": settings.FACTCHECK_API_KEY},
        )
        body = response.json()
        google_error(response, body)
        provenance = {**scrubbed(response.provenance()), "query": text}
        candidates = []
        # No results is `{}`; any field of a claim or review may be absent.
        for item in (body.get("claims") or []) if isinstance(body, dict) else []:
            if not isinstance(item, dict):
                continue
            for review in item.get("claimReview") or []:
                if isinstance(review, dict) and review.get("url"):
                    candidates.append(self.candidate(item, review, provenance))
        return candidates

    def candidate(self, item: dict, review: dict, provenance: dict) -> Candidate:
        publisher = review.get("publisher") or {}
        outlet = str(publisher.get("name") or publisher.get("site") or "A fact-checker")
        rating = str(review.get("textualRating") or "").strip()
        claimed = str(item.get("text") or "").strip()
        claimant = str(item.get("claimant") or "").strip()
        passage = " ".join(filter(None, [
            f"{claimant or 'Claim'}: “{claimed}”" if claimed else "",
            f"{outlet} rated: {rating}." if rating else f"{outlet} reviewed this claim.",
        ]))
        return Candidate(
            url=str(review["url"]),
            title=str(review.get("title") or claimed)[:500],
            publisher=outlet,
            published=day(review.get("reviewDate")),
            passage=passage,
            provenance={
                **provenance,
                "textual_rating": rating,
                "claim_text": claimed,
                "claimant": claimant,
                "claim_date": item.get("claimDate"),
                "review_date": review.get("reviewDate"),
                "publisher_site": publisher.get("site"),
                "language": review.get("languageCode"),
            },
        )
