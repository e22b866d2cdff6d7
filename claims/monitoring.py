"""Monitoring: articles brought in by URL and from outlets' RSS/Atom feeds, each story once.

Plain functions. Every fetch goes through outbound.http.fetch_user_url (SSRF guard, size and
time limits, per-host politeness); trafilatura is only a parser here. Saving goes through
claims.services.ingest_article, which dedupes by content hash and queues processing. This
module adds the dedupe by canonical URL, before anything is fetched.

claims/tasks.py (`poll_feeds`, on beat) and `manage.py poll_feeds` call poll_due_feeds().
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import feedparser
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims import services
from claims.ingestion import IngestError, canonical_url, clean_text
from claims.models import Article, Feed, Outlet
from outbound.http import BlockedURL, FetchError, Response, fetch_user_url

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

__all__ = [
    "PollResult", "URLIngestError", "canonical_url", "ingest_url", "outlet_for_url",
    "poll_due_feeds", "poll_feed",
]

PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "text/html",  # some servers call their feed HTML
)
# A poll that started this long ago without finishing is taken to have died (worker killed);
# the feed is then due again. Longer than the task's hard time limit.
POLL_LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# How many entry ids and links a feed remembers: a feed shows its latest N items (N is
# usually 10-50), so this covers re-publication of anything still in it.
SEEN_IDS_KEPT = 500
# Failing feeds wait interval × 2^failures, at most this long, so a dead feed is still
# tried daily and its recovery noticed.
MAX_BACKOFF = timedelta(hours=24)
# New entries fetched per poll: the rest wait for the next poll (they are not marked seen).
MAX_ENTRIES_PER_POLL = 25
# A Celery task starts no fetch later than this into its run, so that fetch (at most
# HTTP_DEADLINE) still ends inside the soft time limit. Feeds and entries left over stay
# due and are taken by the next beat tick, perhaps by another worker.
TASK_BUDGET_SECONDS = max(
    settings.CELERY_TASK_SOFT_TIME_LIMIT - settings.HTTP_DEADLINE - 10, 0
)


class URLIngestError(IngestError):
    """A URL could not be brought in. `temporary` failures (timeout, 5xx, 429) are worth
    trying again later; the others (blocked, not HTML, no text) are not."""

    def __init__(self, message: str, *, temporary: bool = False, loopback: bool = False):
        super().__init__(message)
        self.temporary = temporary
        self.loopback = loopback  # refused because it is on this machine (see LOOPBACK_HINT)


# What an administrator may do about a refused address on this machine.
LOOPBACK_HINT = (
    "Addresses on this machine (127.0.0.1, localhost) are refused so that nobody can make the "
    "server fetch its own services. For local development and testing only, an administrator "
    "can allow them with ALLOW_LOOPBACK_FETCH=1 (with DEBUG=0 it also needs "
    "ALLOW_LOOPBACK_FETCH_FORCE=1); never set it in production."
)


# --- One article by URL ------------------------------------------------------------------


def ingest_url(
    *,
    url: str,
    user: User | None = None,
    outlet: Outlet | None = None,
    deadline: float | None = None,
) -> services.Ingested:
    """Fetch a page, extract its main text and metadata, and ingest it once.

    A page already in Corroborate under the same canonical URL is not fetched again; one
    with the same text under another URL is recognised by ingest_article. Raises
    URLIngestError (an IngestError) saying why when the page cannot be brought in.
    """
    url = url.strip()
    if known := article_at(url):
        return services.Ingested(known, created=False)
    response = fetch_page(url, deadline)
    if response.url != url and (known := article_at(response.url)):
        return services.Ingested(known, created=False)
    page = extract_page(response)
    outlet = outlet or outlet_for_url(response.url)
    with transaction.atomic():  # the canonical URL is saved before processing is queued
        result = services.ingest_article(
            text=page.text,
            title=page.title,
            byline=page.byline,
            outlet=outlet.name if outlet else "",
            published=page.published,
            source_url=response.url[:2000],
            user=user,
            is_html=False,
        )
        article = result.article
        if not result.created and not article.canonical_url:
            # The same text was pasted earlier without its URL: remember where it lives.
            article.canonical_url = canonical_url(response.url)[:2000]
            article.source_url = article.source_url or response.url[:2000]
            article.save(update_fields=["canonical_url", "source_url"])
    return result


def article_at(url: str) -> Article | None:
    key = canonical_url(url)
    return Article.objects.filter(canonical_url=key).first() if key else None


def fetch_page(url: str, deadline: float | None = None) -> Response:
    try:
        return fetch_user_url(url, accept=PAGE_TYPES, deadline=deadline)
    except FetchError as exc:
        raise explain(exc, url) from exc


def explain(exc: FetchError, url: str, *, what: str = "page") -> URLIngestError:
    """A fetch failure in words a reviewer can act on."""
    reason = str(exc)
    low = reason.lower()
    if isinstance(exc, BlockedURL):
        return URLIngestError(f"This address is not allowed: {reason}", loopback=exc.loopback)
    if "content type" in low:
        kind = "RSS or Atom" if what == "feed" else "HTML"
        return URLIngestError(f"The {what} is not {kind} ({reason}).")
    if "byte limit" in low:
        return URLIngestError(f"The {what} is too large ({reason}).")
    if "timeout" in low or "in time" in low or "deadline" in low:
        return URLIngestError(f"Fetching {url} timed out ({reason}).", temporary=True)
    if exc.unreachable:
        return URLIngestError(f"The site could not be reached ({reason}).", temporary=True)
    if exc.status:
        return URLIngestError(
            f"The site answered HTTP {exc.status} for {url}.", temporary=not exc.permanent
        )
    return URLIngestError(f"Could not fetch {url}: {reason}", temporary=not exc.permanent)


@dataclass(frozen=True)
class Page:
    text: str
    title: str = ""
    byline: str = ""
    published: date | None = None


def extract_page(response: Response) -> Page:
    """Main text, title, byline and publication date of an HTML page (trafilatura parses)."""
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type and content_type not in PAGE_TYPES:
        raise URLIngestError(f"The page is not HTML (it is {content_type}).")
    import trafilatura  # heavy import: only when a page arrives

    doc = trafilatura.bare_extraction(
        response.text(),
        url=response.url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # The original publication date, not the last-modified one; never a future one.
        date_extraction_params={
            "original_date": True,
            "extensive_search": True,
            "max_date": (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d"),
        },
    )
    data: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    # Cleaned here too (ingest_article cleans again, idempotently) so that a page whose
    # only "text" is site chrome such as "Home" is refused with the right reason.
    text = clean_text(data.get("text") or "")
    if not text:
        raise URLIngestError("No article text was found on this page.")
    return Page(
        text=text,
        title=(data.get("title") or "").strip(),
        byline=(data.get("author") or "").strip(),
        published=_iso_date(data.get("date")),
    )


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def outlet_for_url(url: str) -> Outlet | None:
    """The outlet whose domains (or website) include the URL's host or a parent of it."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    best: tuple[int, Outlet] | None = None
    for outlet in Outlet.objects.all():
        for domain in _outlet_domains(outlet):
            if (host == domain or host.endswith("." + domain)) and (
                best is None or len(domain) > best[0]
            ):
                best = (len(domain), outlet)  # the most specific domain wins
    return best[1] if best else None


def _outlet_domains(outlet: Outlet) -> list[str]:
    domains = [str(d).lower().strip().removeprefix("www.") for d in outlet.domains or []]
    if outlet.website:
        domains.append((urlsplit(outlet.website).hostname or "").lower().removeprefix("www."))
    return [d for d in domains if d]


# --- Feeds ---------------------------------------------------------------------------------


@dataclass
class PollResult:
    feed: Feed
    status: str  # "ok", "not-modified" or "failed"
    new: list[Article] = field(default_factory=list)
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)  # entries that could not be ingested
    partial: bool = False  # entries were left for the next poll (time or count ran out)
    error: str = ""

    def __str__(self) -> str:
        if self.status == "failed":
            return f"{self.feed}: failed: {self.error}"
        text = f"{self.feed}: {self.status}, {len(self.new)} new, {self.duplicates} already in"
        text += f", {len(self.skipped)} skipped" if self.skipped else ""
        return text + (", more next time" if self.partial else "")


def poll_due_feeds(
    *, force: bool = False, budget_seconds: float | None = None
) -> list[PollResult]:
    """Poll every enabled feed that is due (all enabled feeds with `force`), one at a time,
    starting no new fetch after `budget_seconds` (None: no limit).

    Each feed is claimed with a conditional UPDATE first, so two workers (or beat and the
    command) never poll the same feed at once.
    """
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    feeds = Feed.objects.filter(enabled=True, outlet__enabled=True)
    if not force:
        feeds = feeds.filter(next_poll_at__lte=timezone.now())
    results: list[PollResult] = []
    for feed_id in feeds.order_by("next_poll_at").values_list("pk", flat=True):
        if results and deadline is not None and time.monotonic() > deadline:
            break  # the rest stay due for the next run
        feed = claim_feed(feed_id, force=force)
        if feed is not None:
            results.append(poll_feed(feed, deadline=deadline))
    return results


def claim_feed(feed_id: int, *, force: bool = False) -> Feed | None:
    """Take the poll lease on a feed: next_poll_at moves to now + POLL_LEASE. None when the
    feed is gone, not due (unless `force`), or being polled by someone else right now."""
    now = timezone.now()
    feed = Feed.objects.select_related("outlet").filter(pk=feed_id).first()
    if feed is None or being_polled(feed, now) or (not force and feed.next_poll_at > now):
        return None
    # Compare-and-set on the value just read: whoever moves next_poll_at first wins.
    claimed = Feed.objects.filter(pk=feed.pk, next_poll_at=feed.next_poll_at).update(
        next_poll_at=now + POLL_LEASE, last_polled_at=now
    )
    if not claimed:
        return None
    feed.next_poll_at, feed.last_polled_at = now + POLL_LEASE, now
    return feed


def being_polled(feed: Feed, now: datetime) -> bool:
    """A poll holds the lease: it set next_poll_at to exactly last_polled_at + POLL_LEASE
    and the lease has not run out. (A finished poll sets next_poll_at from its end time.)"""
    return (
        feed.last_polled_at is not None
        and feed.next_poll_at == feed.last_polled_at + POLL_LEASE
        and feed.next_poll_at > now
    )


def request_poll(feed: Feed) -> bool:
    """Make a feed due now (the "poll now" button); False if it is being polled already."""
    now = timezone.now()
    if being_polled(feed, now):
        return False
    return bool(
        Feed.objects.filter(pk=feed.pk, next_poll_at=feed.next_poll_at).update(next_poll_at=now)
    )


def poll_feed(feed: Feed, *, deadline: float | None = None) -> PollResult:
    """Fetch a feed (conditional GET), ingest its new entries, and record the feed's health.

    The caller holds the lease (claim_feed); failures are recorded on the feed, not raised.
    No entry is fetched after `deadline` (time.monotonic()); those wait for the next poll.
    """
    try:
        response = fetch_user_url(
            feed.url, accept=FEED_TYPES, etag=feed.etag, last_modified=feed.last_modified
        )
    except FetchError as exc:
        message = str(explain(exc, feed.url, what="feed"))
        return _failed(feed, message, retry_after=exc.retry_after)
    if response.status == 304:
        _succeeded(feed, response, error="")
        return PollResult(feed, "not-modified")
    parsed = feedparser.parse(response.content, response_headers=dict(response.headers))
    if not parsed.version and (parsed.bozo or not parsed.entries):
        cause = getattr(parsed, "bozo_exception", None) or "no RSS or Atom found"
        return _failed(feed, f"The feed could not be read: {cause}")
    result = PollResult(feed, "ok")
    _ingest_entries(feed, parsed.entries, result, deadline)
    error = f"{len(result.skipped)} skipped; last: {result.skipped[-1]}" if result.skipped else ""
    _succeeded(feed, response, error=error, partial=result.partial)
    return result


def _ingest_entries(
    feed: Feed, entries: list[Any], result: PollResult, deadline: float | None
) -> None:
    """Ingest the entries not seen before; remember each one that is settled, so re-polling
    adds nothing. Entries left for later (temporary failure, budget spent) are not kept."""
    seen = set(feed.seen_ids)
    remembered: list[str] = []
    fetched = 0

    def settle(keys: list[str], *, new_item: bool = True) -> None:
        fresh = [k for k in keys if k not in seen]
        seen.update(fresh)
        remembered.extend(fresh)
        feed.items_seen += new_item

    # Feeds list the newest first; take them oldest first so articles arrive in order.
    for entry in reversed(entries):
        link = (entry.get("link") or "").strip()
        keys = [k for k in (entry.get("id") or "", link and canonical_url(link)) if k]
        if not keys:
            continue
        if seen.intersection(keys):
            settle(keys, new_item=False)  # a known story, perhaps re-published under a new id
        elif urlsplit(link).scheme not in ("http", "https"):
            result.skipped.append(f"{keys[0]}: no web link")
            settle(keys)
        elif article_at(link):
            result.duplicates += 1  # brought in by hand, or from another feed
            settle(keys)
        elif fetched >= MAX_ENTRIES_PER_POLL or (
            fetched and deadline is not None and time.monotonic() > deadline
        ):
            result.partial = True
            break  # the next poll takes this one and the rest
        else:
            fetched += 1
            try:
                ingested = ingest_url(url=link, outlet=feed.outlet)
            except URLIngestError as exc:
                result.skipped.append(f"{link}: {exc}")
                if not exc.temporary:
                    settle(keys)  # temporary failures are tried again next poll
                continue
            if ingested.created:
                result.new.append(ingested.article)
            else:
                result.duplicates += 1  # the same text under another URL
            settle(keys)
    feed.seen_ids = (list(feed.seen_ids) + remembered)[-SEEN_IDS_KEPT:]


def _succeeded(feed: Feed, response: Response, *, error: str, partial: bool = False) -> None:
    now = timezone.now()
    if response.status != 304 and not partial:
        # After a partial poll the old validators stay, so the next poll gets the whole
        # feed again (not a 304) and takes the entries that were left.
        feed.etag = response.headers.get("ETag", "")[:500]
        feed.last_modified = response.headers.get("Last-Modified", "")[:100]
    feed.last_success_at = now
    feed.last_error = error
    feed.consecutive_failures = 0
    interval = timedelta(minutes=0 if partial else feed.poll_interval_minutes)
    feed.next_poll_at = now + interval
    feed.save(update_fields=[
        "etag", "last_modified", "last_success_at", "last_error", "consecutive_failures",
        "next_poll_at", "seen_ids", "items_seen",
    ])


def _failed(feed: Feed, error: str, *, retry_after: float | None = None) -> PollResult:
    now = timezone.now()
    feed.consecutive_failures += 1
    feed.last_error = error
    feed.next_poll_at = now + backoff(feed, retry_after)
    feed.save(update_fields=["consecutive_failures", "last_error", "next_poll_at"])
    log.warning("feed %s failed (%d in a row): %s", feed.url, feed.consecutive_failures, error)
    return PollResult(feed, "failed", error=error)


def backoff(feed: Feed, retry_after: float | None = None) -> timedelta:
    """interval × 2^failures, capped at MAX_BACKOFF, and never sooner than Retry-After."""
    interval = timedelta(minutes=feed.poll_interval_minutes)
    wait = min(interval * 2 ** min(feed.consecutive_failures, 16), MAX_BACKOFF)
    return max(wait, timedelta(seconds=retry_after or 0))

