"""Builders for publishing tests: an article with claims, final verdicts and references."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.utils import timezone

from claims.models import Article, Claim, Outlet
from verify.models import Reference, Review

TEXT = (
    "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019. "
    "The DPRK and the Soviet Union signed a treaty of friendship in 1955. "
    "Trade between the two countries grew tenfold last year. "
    "The people's friendship will last forever."
)


def outlet(name: str = "Pyongyang Times", wikidata_id: str = "Q1140229") -> Outlet:
    return Outlet.objects.get_or_create(
        name=name, defaults={"wikidata_id": wikidata_id, "is_state_media": True}
    )[0]


def article(
    *,
    title: str = "DPRK-Russia ties progress",
    source: Outlet | None = None,
    published: date | None = date(2020, 4, 24),
    url: str = "http://www.pyongyangtimes.com.kp/?bbs=43051",
    text: str = TEXT,
) -> Article:
    return Article.objects.create(
        outlet=source or outlet(),
        title=title,
        published=published,
        source_url=url,
        text=text,
        content_hash=f"hash-{Article.objects.count()}-{title}",
        state=Article.State.DONE,
    )


def claim(on: Article, sentence: str, *, kind: str = Claim.Type.MEETING, reason: str = "") -> Claim:
    start = on.text.find(sentence)
    start = max(start, 0) if start >= 0 else Claim.objects.filter(article=on).count() * 1000
    return Claim.objects.create(
        article=on, start=start, end=start + len(sentence), sentence=sentence, type=kind,
        reason=reason,
    )


def reference(
    about: Claim,
    url: str = "https://en.wikipedia.org/wiki/2019_North_Korea%E2%80%93Russia_summit",
    *,
    title: str = "2019 North Korea–Russia summit",
    publisher: str = "Wikipedia",
    passage: str = "The summit was held on 25 April 2019 on Russky Island, Vladivostok.",
) -> Reference:
    return Reference.objects.create(
        claim=about, source="wikipedia", url=url, canonical_url=url, passage_hash=url[-20:],
        title=title, publisher=publisher, published=date(2019, 4, 26), passage=passage,
        hint="Internal stance hint: agrees on date and place",
        fetched_at=timezone.make_aware(timezone.datetime(2024, 5, 2, 9, 30)),
    )


def final(
    about: Claim,
    verdict: str,
    *,
    reviewer: User,
    editor: User | None,
    rationale: str = "Independent sources agree on the date and the place.",
    references: list[Reference] | None = None,
) -> Review:
    """A verdict as the review workflow leaves it once an editor approved it."""
    review = Review.objects.create(
        claim=about, verdict=verdict, rationale=rationale, reviewer=reviewer,
        status=Review.Status.FINAL, approved_by=editor, decided_at=timezone.now(),
    )
    review.references.set(references or [])
    about.status, about.verdict = Claim.Status.FINAL, verdict
    about.save(update_fields=["status", "verdict"])
    return review


def proposed(about: Claim, verdict: str, *, reviewer: User, rationale: str) -> Review:
    """A verdict waiting for an editor: the claim has no verdict yet."""
    # As submit_review leaves it: a final claim proposed again has no verdict until approved.
    Claim.objects.filter(pk=about.pk).update(status=Claim.Status.PROPOSED, verdict="")
    about.status, about.verdict = Claim.Status.PROPOSED, ""
    return Review.objects.create(
        claim=about, verdict=verdict, rationale=rationale, reviewer=reviewer,
        status=Review.Status.PROPOSED,
    )


def dismiss(about: Claim, reason: str) -> None:
    about.status = Claim.Status.DISMISSED
    about.reason = reason
    about.save(update_fields=["status", "reason"])


def reviewed_article(reviewer: User, editor: User, **kwargs: object) -> Article:
    """The seed-like article, every claim decided: supported, disputed, unverified, dismissed."""
    a = article(**kwargs)  # type: ignore[arg-type]
    met = claim(a, "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019.")
    treaty = claim(
        a, "The DPRK and the Soviet Union signed a treaty of friendship in 1955.",
        kind=Claim.Type.TREATY_DOCUMENT,
    )
    trade = claim(a, "Trade between the two countries grew tenfold last year.",
                  kind=Claim.Type.STATISTIC)
    forever = claim(a, "The people's friendship will last forever.", kind=Claim.Type.OTHER)
    final(met, "supported", reviewer=reviewer, editor=editor, references=[reference(met)])
    final(
        treaty, "disputed", reviewer=reviewer, editor=editor,
        rationale="The treaty of friendship was signed on 6 July 1961, not in 1955.",
        references=[reference(
            treaty, "https://en.wikipedia.org/wiki/Soviet%E2%80%93North_Korean_Treaty",
            title="Soviet–North Korean Treaty of Friendship", publisher="Wikipedia",
        )],
    )
    final(trade, "unverified", reviewer=reviewer, editor=editor,
          rationale="No independent trade figures for that year were found.")
    dismiss(forever, "A prediction, not a checkable statement of fact.")
    return a
