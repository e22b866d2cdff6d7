"""Exports: CSV of claims and verdicts (for the team), Markdown of one published summary."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import Claim
from verify.models import Review, Summary
from verify.publishing import markdown_text
from verify.publishing import services as publishing

CSV_COLUMNS = [
    "claim_id", "article_id", "article_title", "outlet", "article_date", "type", "sentence",
    "outcome", "final_verdict", "rationale", "reviewer", "approved_by", "decided_at",
    "summary_state", "summary_version",
]
CSV_FILTERS = ("status", "verdict", "type", "outlet", "article")


def filtered_claims(params: Mapping[str, str]) -> QuerySet[Claim]:
    """Claims filtered like the queue: ?status=&verdict=&type=&outlet=<id>&article=<id>."""
    claims = Claim.objects.all()
    if (status := params.get("status")) and status != "any":
        claims = claims.filter(status=status)
    if verdict := params.get("verdict"):
        claims = claims.filter(verdict=verdict)
    if kind := params.get("type"):
        claims = claims.filter(type=kind)
    # An id past 64 bits is no row: checked here, as the CSV is streamed (a database error
    # then would cut the file off partway, issue 16 item 2).
    for name, lookup in (("outlet", "article__outlet_id"), ("article", "article_id")):
        if (value := params.get(name, "")).isdigit():
            claims = claims.filter(**{lookup: int(value)}) if len(value) < 19 else claims.none()
    return claims


def csv_rows(claims: QuerySet[Claim]) -> Iterator[list[str]]:
    """A header, then one row per claim with its latest final verdict (if any)."""
    final = Review.objects.filter(claim=OuterRef("pk"), status=Review.Status.FINAL).order_by(
        "-decided_at", "-created_at", "-id"
    )
    summary = Summary.objects.filter(article=OuterRef("article_id"), is_current=True)
    rows = (
        claims.annotate(
            final_verdict=Subquery(final.values("verdict")[:1]),
            final_rationale=Subquery(final.values("rationale")[:1]),
            final_reviewer=Subquery(final.values("reviewer__username")[:1]),
            final_approver=Subquery(final.values("approved_by__username")[:1]),
            final_at=Subquery(
                final.annotate(at=Coalesce("decided_at", "created_at")).values("at")[:1]
            ),
            summary_state=Subquery(summary.values("state")[:1]),
            summary_version=Subquery(summary.values("version")[:1]),
        )
        .select_related("article__outlet")
        .order_by("article_id", "start", "id")
    )
    yield CSV_COLUMNS
    for c in rows.iterator(chunk_size=500):
        a = c.article
        values: list[Any] = [
            c.pk, a.pk, a.title, a.outlet.name if a.outlet else "", a.published or "", c.type,
            c.sentence, c.outcome, c.final_verdict or "", c.final_rationale or "",  # type: ignore[attr-defined]
            c.final_reviewer or "", c.final_approver or "",  # type: ignore[attr-defined]
            c.final_at.isoformat() if c.final_at else "",  # type: ignore[attr-defined]
            c.summary_state or "", c.summary_version or "",  # type: ignore[attr-defined]
        ]
        yield [_cell(v) for v in values]


def _cell(value: object) -> str:
    text = str(value)
    # State-media text is untrusted: a cell starting like a formula must not run as one
    # when an editor opens the file in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


def md(text: str) -> str:
    """Plain text as Markdown that renders as the same text (no links, no HTML)."""
    return markdown_text.text(text)


def summary_markdown(summary: Summary, versions: list[Summary]) -> str:
    snap = summary.snapshot
    article = snap["article"]
    lines = [f"# Verification summary: {md(article['headline'])}", ""]
    when, note = f"{summary.published_at:%Y-%m-%d}", md(summary.correction_note)
    if summary.state == Summary.State.RETRACTED:
        lines += [f"> **Retracted** on {when}: {note}", ""]
    elif summary.correction_note:
        lines += [f"> **Correction** ({when}, version {summary.version}): {note}", ""]
    lines += [
        f"- Outlet: {md(article['outlet']['name'] or 'Unknown')}",
        f"- Article date: {md(article['published'] or 'unknown')}",
        f"- Original: {markdown_text.url(article['url'])}"
        if article["url"] else "- Original: not online",
        f"- Version {summary.version}, {summary.published_at:%Y-%m-%d}",
        f"- Page: {markdown_text.url(publishing.absolute(publishing.summary_url(summary)))}",
        "",
    ]
    for claim in snap["claims"]:
        lines += [f"## {claim['position']}. {md(claim['label'])}", "",
                  f"> {md(claim['sentence'])}", ""]
        if claim["state"] == publishing.DISMISSED:
            lines += [f"Not checkable: {md(claim['reason'])}", ""]
            continue
        lines += [md(claim["rationale"]), ""]
        credit = f"Reviewed by {md(claim['reviewed_by'])}"
        if claim["approved_by"] == claim["reviewed_by"]:
            credit = f"Reviewed and approved by {md(claim['reviewed_by'])}"
        elif claim["approved_by"]:
            credit += f", approved by {md(claim['approved_by'])}"
        lines += [credit + ".", ""]
        for ref in claim["references"]:
            where = ", ".join(md(p) for p in (ref["publisher"], ref["published"]) if p)
            title = md(ref["title"] or ref["url"])
            demo = " [demo material, not the publisher's text]" if ref.get("demo") else ""
            lines.append(f"- {title} ({where}){demo} {markdown_text.url(ref['url'])}, "
                         f"retrieved {md(ref['fetched_at'][:10])}")
        if claim["references"]:
            lines.append("")
    if len(versions) > 1:
        lines += ["## Versions", ""]
        for v in versions:
            note = f": {md(v.correction_note)}" if v.correction_note else ""
            lines.append(f"- Version {v.version} ({v.state}, {v.published_at:%Y-%m-%d}){note}")
        lines.append("")
    return "\n".join(lines)
