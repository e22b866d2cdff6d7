"""Public pages of published summaries (no login), their feeds and exports, and the editor's
publish and retract actions.

Every public view renders from Summary rows and their snapshots only (verify.publishing.services),
never from live claims or reviews: what was not published cannot appear.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from claims.models import Article, Claim, Outlet
from config import limits
from config.limits import as_id
from config.paginator import CappedPaginator
from verify.models import PublicCredit, Summary
from verify.publishing import charts, exports
from verify.publishing import services as publishing
from verify.publishing.forms import PublicCreditForm, PublishForm, RetractForm, WordingForm

# The same escapes as django.utils.html.json_script: "</script>" or "<!--" inside a claim
# cannot end the data block early.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> data block.

    No CSP nonce: CSP's script-src governs script *execution*, and a data block of a
    non-JavaScript type is never executed, so browsers neither block nor report it
    (tests/browser/test_public_browser.py checks that no violation is raised).
    """
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def _current(article_id: int) -> Summary:
    return get_object_or_404(
        Summary.objects.select_related("article__outlet"), article_id=article_id, is_current=True
    )


def _versions(article_id: int) -> list[Summary]:
    return list(Summary.objects.filter(article_id=article_id).order_by("version"))


def _page_context(summary: Summary, versions: list[Summary] | None = None) -> dict[str, Any]:
    versions = _versions(summary.article_id) if versions is None else versions
    return {
        "summary": summary,
        "snap": summary.snapshot,
        "n_claims": len(summary.snapshot["claims"]) + len(summary.snapshot.get("under_review", [])),
        "article": summary.snapshot["article"],
        "versions": versions,
        "first": versions[0],
        "latest": versions[-1],
        "retracted": summary.state == Summary.State.RETRACTED,
        "page_url": publishing.absolute(publishing.summary_url(summary)),
        "org_name": settings.FACTCHECK_ORG_NAME,
        "org_url": settings.FACTCHECK_ORG_URL,
    }


# --- Public pages ---------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    summaries = publishing.current_summaries().order_by("-published_at", "-id")
    outlet_id = request.GET.get("outlet", "")
    if (outlet_pk := as_id(outlet_id)) is not None:
        summaries = summaries.filter(article__outlet_id=outlet_pk)
    # SQLite refuses a LIKE pattern past 50,000 bytes; no search needs more than this.
    if q := request.GET.get("q", "").strip()[: limits.SEARCH_MAX_LENGTH]:
        summaries = summaries.filter(
            Q(snapshot__article__headline__icontains=q)
            | Q(snapshot__article__outlet__name__icontains=q)
            | Q(snapshot__icontains=q)
        )
    page = CappedPaginator(summaries, 25).get_page(request.GET.get("page"))
    outlets = Outlet.objects.filter(articles__summaries__is_current=True).distinct()
    return render(
        request,
        "public/index.html",
        {"page": page, "outlets": outlets, "outlet_id": outlet_id, "q": q,
         "org_name": settings.FACTCHECK_ORG_NAME},
    )


def summary(request: HttpRequest, article_id: int) -> HttpResponse:
    return render(request, "public/summary.html", _page_context(_current(article_id)))


def summary_version(request: HttpRequest, article_id: int, version: int) -> HttpResponse:
    found = get_object_or_404(
        Summary.objects.select_related("article__outlet"), article_id=article_id, version=version
    )
    return render(request, "public/summary.html", _page_context(found))


def claim(request: HttpRequest, article_id: int, claim_id: int) -> HttpResponse:
    current = _current(article_id)
    entry = next((c for c in publishing.reviewed_claims(current) if c["id"] == claim_id), None)
    if entry is None:
        raise Http404("No published verdict on this claim.")
    context = _page_context(current) | {
        "claim": entry,
        "claim_url": publishing.absolute(publishing.claim_url(article_id, claim_id)),
    }
    # A retracted verdict keeps its page but is no longer asserted as a ClaimReview.
    if current.state == Summary.State.PUBLISHED:
        review = publishing.claim_review(current, entry, first=context["first"].published_at)
        context |= {"review": review, "json_ld": json_ld(review)}
    return render(request, "public/claim.html", context)


def summary_markdown(request: HttpRequest, article_id: int) -> HttpResponse:
    current = _current(article_id)
    text = exports.summary_markdown(current, _versions(article_id))
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


def claimreview_feed(request: HttpRequest) -> JsonResponse:
    """Every public ClaimReview, and the pages whose verdicts were retracted."""
    retracted = publishing.current_summaries().filter(state=Summary.State.RETRACTED)
    return JsonResponse(
        {
            "publisher": {"name": settings.FACTCHECK_ORG_NAME, "url": settings.FACTCHECK_ORG_URL},
            "claimReviews": publishing.all_claim_reviews(),
            "retracted": [
                {
                    "url": publishing.absolute(publishing.summary_url(s)),
                    "headline": s.snapshot["article"]["headline"],
                    "retractedAt": s.published_at.isoformat(),
                    "note": s.correction_note,
                }
                for s in retracted
            ],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def stats(request: HttpRequest) -> HttpResponse:
    published = publishing.current_summaries().filter(state=Summary.State.PUBLISHED)
    snapshots = [(f"{s.published_at:%Y-%m}", s.snapshot) for s in published]
    return render(
        request,
        "public/stats.html",
        {"charts": charts.published_stats(snapshots), "keys": charts.VERDICT_ORDER,
         "n_summaries": len(snapshots), "org_name": settings.FACTCHECK_ORG_NAME},
    )


class SummaryFeed(Feed):
    """Atom feed of published summaries; a correction or retraction is a new entry date."""

    feed_type = Atom1Feed
    title = "Verification summaries"
    description = "Verdicts on claims in state-media articles."

    def link(self) -> str:
        return publishing.absolute("/published/")

    def items(self) -> QuerySet[Summary]:
        return publishing.current_summaries().order_by("-published_at", "-id")[:50]

    def item_title(self, item: Summary) -> str:
        headline = item.snapshot["article"]["headline"]
        if item.state == Summary.State.RETRACTED:
            return f"Retracted: {headline}"
        return f"Corrected: {headline}" if item.correction_note else headline

    def item_description(self, item: Summary) -> str:
        counts: dict[str, int] = {}
        for c in item.snapshot["claims"]:
            counts[c["label"]] = counts.get(c["label"], 0) + 1
        parts = [", ".join(f"{n} {label.lower()}" for label, n in counts.items())]
        if item.state == Summary.State.RETRACTED:
            parts.insert(0, f"This summary was retracted: {item.correction_note}")
        elif item.correction_note:
            parts.insert(0, f"Correction (version {item.version}): {item.correction_note}")
        return " — ".join(parts)

    def item_link(self, item: Summary) -> str:
        return publishing.absolute(publishing.summary_url(item))

    def item_guid(self, item: Summary) -> str:
        return self.item_link(item)

    def item_updateddate(self, item: Summary) -> Any:
        return item.published_at

    def item_pubdate(self, item: Summary) -> Any:
        return publishing.first_published(item)

    def item_author_name(self, item: Summary) -> str:
        return settings.FACTCHECK_ORG_NAME


# --- For the team ---------------------------------------------------------------------


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    claims = exports.filtered_claims(request.GET)
    response = StreamingHttpResponse(
        exports.csv_lines(exports.csv_rows(claims)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="claims.csv"'
    return response


@login_required
@permission_required("verify.add_summary", raise_exception=True)
def manage(request: HttpRequest, article_id: int, form: PublishForm | None = None) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    return render(request, "public/manage.html", _manage_context(article, form))


def _manage_context(article: Article, form: PublishForm | None) -> dict[str, Any]:
    claims = list(article.claims.all())
    blockers = publishing.publish_blockers(article, publishing.final_reviews(article))
    waiting = [b for b in blockers if b.under_review]
    current = article.summaries.filter(is_current=True).first()
    wrote = current.snapshot if current else {}
    n_ready = len(claims) - len(blockers)
    return {
        "article": article,
        "claims": claims,
        "blockers": blockers,
        "ready": bool(claims) and not blockers,
        # Some final, the rest still being checked (none of them a final claim to mend).
        "partial_ready": n_ready > 0 and blockers and len(waiting) == len(blockers),
        "n_ready": n_ready,
        "current": current,
        "versions": _versions(article.pk),
        "form": form or PublishForm(initial={
            "headline": wrote.get("headline", ""), "introduction": wrote.get("introduction", ""),
        }),
    }


@login_required
@permission_required("verify.add_summary", raise_exception=True)
@require_POST
def publish(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, article_id, form)
    data = form.cleaned_data
    try:
        published = publishing.publish_summary(
            article=article,
            editor=request.user,  # type: ignore[arg-type]
            correction_note=data["correction_note"],
            headline=data["headline"],
            introduction=data["introduction"],
            partial=data["partial"],
        )
    except publishing.PublishError as exc:
        messages.error(request, str(exc))
        refused = manage(request, article_id, form=form)  # what the editor wrote, kept
        refused.status_code = 409
        return refused
    waiting = len(published.snapshot.get("under_review", []))
    still = (f" {waiting} claim{'s are' if waiting != 1 else ' is'} still under review."
             if waiting else "")
    messages.success(request, f"Version {published.version} is published.{still}")
    return redirect("public:manage", article_id)


@login_required
@permission_required("verify.add_summary", raise_exception=True)
@require_POST
def preview(request: HttpRequest, article_id: int) -> HttpResponse:
    """The public page as it would be published now, with the editor's headline and
    introduction; nothing is saved. Publishing is a button on the same page."""
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, article_id, form)
    data = form.cleaned_data
    versions = _versions(article_id)
    draft = Summary(
        article=article, version=len(versions) + 1, snapshot=publishing.build_snapshot(
            article, headline=data["headline"], introduction=data["introduction"]
        ), correction_note=data["correction_note"], published_at=timezone.now(),
    )
    # The publish form's state, then the public page's (its `article` is the snapshot's).
    context = _manage_context(article, form) | _page_context(draft, [*versions, draft])
    context |= {"preview": True, "form": form}
    return render(request, "public/summary.html", context)


@login_required
@permission_required("verify.add_summary", raise_exception=True)
@require_POST
def retract(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    form = RetractForm(request.POST)
    if not form.is_valid():
        return _refused(request, article_id, form)
    try:
        publishing.retract_summary(
            article=article,
            editor=request.user,  # type: ignore[arg-type]
            note=form.cleaned_data["note"],
        )
    except publishing.PublishError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The summary is retracted; its page says so.")
    return redirect("public:manage", article_id)


def _refused(
    request: HttpRequest, article_id: int, form: PublishForm | RetractForm
) -> HttpResponse:
    """A note the form refused (too long, a NUL byte): 400, the page again saying why,
    nothing changed."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    response = manage(request, article_id, form=form if isinstance(form, PublishForm) else None)
    response.status_code = 400
    return response


@login_required
@permission_required("claims.change_claim", raise_exception=True)
@require_POST
def claim_wording(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The reviewer's own wording of what was checked, as published."""
    claim = get_object_or_404(Claim, pk=claim_id)
    form = WordingForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Claim {claim.pk}: your wording was not saved. {problems}")
        return redirect(claim)
    text = form.cleaned_data["claim_reviewed"]
    saved = publishing.word_claim(
        claim=claim, user=request.user, text=text,  # type: ignore[arg-type]
        expected_version=form.cleaned_data["version"],
    )
    if saved:
        messages.success(request, f"Claim {claim.pk} will be published as: {claim.proposition()}")
    else:
        messages.error(
            request, f"Claim {claim.pk} changed since you opened it, so your wording was not "
            f"saved: “{text.strip()}”. Check the claim and save it again.",
        )
    return redirect(claim)


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def credit(request: HttpRequest) -> HttpResponse:
    """Each person's own choice of how published pages name them (the desk by default)."""
    user = cast(User, request.user)
    mine = PublicCredit.objects.filter(user=user).first() or PublicCredit(user=user)
    form = PublicCreditForm(request.POST or None, instance=mine)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Verdicts you publish from now on are credited to "
                         f"{publishing.credit(user)}.")
        return redirect("public:credit")
    return render(request, "public/credit.html", {
        "form": form, "desk_name": settings.DESK_NAME, "as_desk": settings.PUBLISH_AS_DESK,
        "credited_as": publishing.credit(user),
    })
