"""The claim queue: filters, sorts and keyset pagination.

Keyset, not OFFSET: a page is "the n rows after this sort key", so page 2,000 costs what
page 1 costs and no query ever skips rows (issue 5 forbids OFFSET deeper than 10,000).
The cursor is the last row's sort key, base64-encoded JSON in the `after` parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Exists,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import pgettext

from claims.models import OUTCOME_LABELS, Claim, ReviewStatus
from verify.models import Reference, Review, Suggestion, Tag, tag_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

DEFAULT_PAGE_SIZE = 25
# (field, descending) per sort; the last key is always the primary key, so keys are unique.
SORT_KEYS: dict[str, list[tuple[str, bool]]] = {
    "oldest": [("created_at", False), ("id", False)],
    "article": [("article_id", False), ("start", False), ("id", False)],
    "suggestion": [("strength", True), ("id", False)],
}


def evidence_exists() -> Exists:
    return Exists(Suggestion.objects.filter(claim=OuterRef("pk")))


def filtered(data: dict[str, Any], user: AbstractBaseUser | AnonymousUser) -> QuerySet[Claim]:
    """The queue's claims for cleaned QueueForm data."""
    qs = Claim.objects.visible_to(user)
    status = data.get("status") or ""
    if status == "":
        qs = qs.filter(status__in=ReviewStatus.to_work())
    elif status != "any":
        qs = qs.filter(status=status)
    if data.get("verdict"):
        qs = qs.filter(verdict=data["verdict"])
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("outlet"):
        qs = qs.filter(article__outlet=data["outlet"])
    if data.get("article"):
        qs = qs.filter(article_id=data["article"])
    if data.get("assignee") == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif data.get("assignee") == "none":
        qs = qs.filter(assignee__isnull=True)
    if data.get("suggestion") == "yes":
        qs = qs.filter(evidence_exists())
    elif data.get("suggestion") == "no":
        qs = qs.filter(~evidence_exists())
    if data.get("tag"):
        qs = qs.filter(tagged(tag_key(data["tag"])))
    if data.get("published_from"):
        qs = qs.filter(article__published__gte=data["published_from"])
    if data.get("published_to"):
        qs = qs.filter(article__published__lte=data["published_to"])
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(
            Q(sentence__icontains=q) | Q(subject_name__icontains=q)
            | Q(object_name__icontains=q) | Q(place_name__icontains=q)
        )
    return qs


def tagged(key: str) -> Q:
    """Claims carrying the tag, or whose article does (an article's tag is its claims')."""
    on_claim = Tag.claims.through.objects.filter(claim_id=OuterRef("pk"), tag__key=key)
    on_article = Tag.articles.through.objects.filter(
        article_id=OuterRef("article_id"), tag__key=key
    )
    return Q(Exists(on_claim)) | Q(Exists(on_article))


TAG_JOIN = ","  # no tag name holds one (verify.review.forms.TAG_SEPARATOR)


def with_tag_names(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """Each claim's tags and its article's, as names joined in one string, in the same
    query as the claims: a page of claims costs no query more for its tags."""
    def names(through: Any, column: str, outer: str) -> Subquery:
        rows = (
            through.objects.filter(**{column: OuterRef(outer)}).order_by().values(column)
            .annotate(names=StringAgg("tag__name", Value(TAG_JOIN)))
        )
        return Subquery(rows.values("names")[:1])

    return qs.annotate(
        tag_names=names(Tag.claims.through, "claim_id", "pk"),
        article_tag_names=names(Tag.articles.through, "article_id", "article_id"),
    )


def tag_list(joined: str | None) -> list[str]:
    # Sorted here: SQLite before 3.44 cannot order inside an aggregate.
    return sorted(joined.split(TAG_JOIN), key=tag_key) if joined else []


def with_proposed_verdict(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """The verdict awaiting approval, read from the pending Review (the claim has none
    until it is final)."""
    pending = Review.objects.filter(claim=OuterRef("pk"), status=Review.Status.PROPOSED)
    return qs.annotate(proposed_verdict=Subquery(pending.values("verdict")[:1]))


def with_strength(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """Strength of the evidence: the best reference score (0 when there is none)."""
    best = (
        Reference.objects.filter(claim=OuterRef("pk")).order_by().values("claim")
        .annotate(m=Max("score")).values("m")
    )
    return qs.annotate(strength=Coalesce(Subquery(best), Value(0.0), output_field=FloatField()))


@dataclass
class Page:
    claims: list[Claim]
    next_cursor: str
    sort: str
    bad_cursor: bool = False  # an `after` was given that is no cursor of this sort


def page(qs: QuerySet[Claim], *, sort: str, after: str = "", size: int = DEFAULT_PAGE_SIZE) -> Page:
    keys = SORT_KEYS.get(sort) or SORT_KEYS["oldest"]
    sort = sort if sort in SORT_KEYS else "oldest"
    if sort == "suggestion":
        qs = with_strength(qs)
    values = decode_cursor(after, keys)
    if values is not None:
        qs = qs.filter(after_q(keys, values))
    qs = with_proposed_verdict(qs.order_by(*[f"-{name}" if desc else name for name, desc in keys]))
    qs = with_tag_names(qs)
    rows = list(
        qs.select_related("article__outlet", "assignee", "locked_by")
        .defer("article__text")[: size + 1]  # a whole article per row, never shown here
    )
    more = len(rows) > size
    rows = rows[:size]
    cursor = encode_cursor([getattr(rows[-1], name) for name, _ in keys]) if more else ""
    return Page(rows, cursor, sort, bad_cursor=bool(after) and values is None)


def label_rows(claims: list[Claim], *, sentence_chars: int = 140) -> None:
    """What each row of a list of claims prints (the queue, the article page's claims),
    worked out once per page: the templates used to call reverse() twice per row, build a
    choices dict three times per row and look up the truncation ellipsis' translation
    twice per row (a third of the queue page's time)."""
    review_url, article_url = id_url("review:claim"), id_url("review:article")
    # truncatechars' own ellipsis, looked up once: Truncator then skips the translation.
    ellipsis = pgettext("String to return when truncating text", "%(truncated_text)s…")
    types, statuses = dict(Claim.Type.choices), dict(ReviewStatus.choices)
    for c in claims:
        c.url = review_url(c.pk)  # type: ignore[attr-defined]
        c.article_url = article_url(c.article_id)  # type: ignore[attr-defined]
        c.short_sentence = Truncator(c.sentence).chars(  # type: ignore[attr-defined]
            sentence_chars, ellipsis
        )
        c.short_article = Truncator(c.article).chars(40, ellipsis)  # type: ignore[attr-defined]
        c.type_label = types.get(c.type, c.type)  # type: ignore[attr-defined]
        c.outcome_label = OUTCOME_LABELS.get(c.outcome, c.outcome)  # type: ignore[attr-defined]
        c.status_label = statuses.get(c.status, c.status)  # type: ignore[attr-defined]
        c.tag_list = tag_list(getattr(c, "tag_names", None))  # type: ignore[attr-defined]
        c.article_tag_list = tag_list(  # type: ignore[attr-defined]
            getattr(c, "article_tag_names", None)
        )


def id_url(name: str) -> Callable[[int], str]:
    """reverse() once for a view that takes one integer id; the id is then put in by string
    formatting, which is what reverse() would have produced."""
    sentinel = 987654321987654321
    before, after = reverse(name, args=[sentinel]).split(str(sentinel))
    return lambda pk: f"{before}{pk}{after}"


def after_q(keys: list[tuple[str, bool]], values: list[Any], *, reverse: bool = False) -> Q:
    """Rows strictly after `values` in the order of `keys` (before them when `reverse`).

    The lexicographic OR is led by a plain bound on the first key, which the database turns
    into an index range scan; the OR alone would make it walk the index from the start.
    """
    def cmp(desc: bool, strict: bool) -> str:
        later = "lt" if desc != reverse else "gt"
        return later if strict else f"{later}e"

    q = Q()
    for i, (name, desc) in enumerate(keys):
        step = Q(**{n: v for (n, _), v in zip(keys[:i], values[:i], strict=True)})
        step &= Q(**{f"{name}__{cmp(desc, strict=True)}": values[i]})
        q |= step
    first, first_desc = keys[0]
    return Q(**{f"{first}__{cmp(first_desc, strict=False)}": values[0]}) & q


def encode_cursor(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[tuple[str, bool]]) -> list[Any] | None:
    """The cursor's values, or None when there is none or it does not fit this sort."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    out = []
    for (name, _), value in zip(keys, values, strict=True):
        if name == "created_at":
            try:
                value = datetime.fromisoformat(str(value))
                # The database compares in UTC: an offset that takes the moment out of
                # datetime's range (0001-01-01T00:00:00+23:59) must fail here, not there.
                value.astimezone(UTC)
            except (ValueError, OverflowError):
                return None
            if value.tzinfo is None:
                return None
        elif name == "strength":
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            if not -1e9 < value < 1e9:  # huge, infinite or NaN: no strength is like that
                return None
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
            return None  # ids and offsets are non-negative 64-bit integers
        out.append(value)
    return out


def neighbours(claim: Claim) -> tuple[int | None, int | None]:
    """The ids of the previous and next claim to work, in article order (the j/k keys).

    One query: each neighbour is an ordered, limited subquery (an index look-up).
    """
    keys = SORT_KEYS["article"]
    values = [claim.article_id, claim.start, claim.id]
    todo = Claim.objects.to_work()
    nxt = todo.filter(after_q(keys, values)).order_by("article_id", "start", "id")
    prev = todo.filter(after_q(keys, values, reverse=True)).order_by("-article_id", "-start", "-id")
    found = (
        Claim.objects.filter(pk=claim.pk)
        .values_list(Subquery(prev.values("id")[:1]), Subquery(nxt.values("id")[:1]))
        .first()
    )
    return found if found is not None else (None, None)


def next_awaiting_approval(claim: Claim, editor: AbstractBaseUser | AnonymousUser) -> int | None:
    """The claim an editor decides after this one: the next awaiting approval in article
    order, from the top again when this was the last; never one they proposed themselves
    (the two-person rule: someone else approves it)."""
    own = Review.objects.filter(claim=OuterRef("pk"), status=Review.Status.PROPOSED,
                                reviewer_id=editor.pk)
    waiting = (Claim.objects.filter(status=ReviewStatus.PROPOSED).exclude(pk=claim.pk)
               .exclude(Exists(own)).order_by("article_id", "start", "id"))
    values = [claim.article_id, claim.start, claim.id]
    later = waiting.filter(after_q(SORT_KEYS["article"], values)).values_list("id", flat=True)
    return later.first() or waiting.values_list("id", flat=True).first()
