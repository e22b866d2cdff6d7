"""The desk: dashboard, an article's claims, the claim queue and the review page.

Each view: parse, act through verify.review.services, respond. Permission decorators come
before require_POST so that a person without the right gets 403 whatever the method.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from claims.models import Article, Claim
from config.limits import as_id
from outbound.ssrf import error_for
from verify.evidence import services as verify_services
from verify.evidence.sources import SOURCES, get_source
from verify.evidence.views import job_progress
from verify.models import (
    AuditEvent,
    GatherJob,
    LibraryDocument,
    Notification,
    Reference,
    Review,
    SavedFilter,
    Suggestion,
)
from verify.review import bulk, highlight, services
from verify.review import queue as claim_queue
from verify.review.forms import (
    AssignForm,
    BulkForm,
    ClaimFieldsForm,
    CommentForm,
    DismissForm,
    QueueForm,
    ReturnForm,
    SavedFilterForm,
    SelectionForm,
    TagForm,
    UntagForm,
    UrlReferenceForm,
    VerdictForm,
    VersionedForm,
)


@login_required
@permission_required("claims.view_article", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    verdicts = dict(
        Claim.objects.values_list("verdict").annotate(n=Count("id")).order_by()
    )
    statuses = dict(Claim.objects.values_list("status").annotate(n=Count("id")).order_by())
    articles = (
        Article.objects.select_related("outlet")
        .annotate(
            n_claims=Count("claims"),
            n_done=Count("claims", filter=Q(claims__status=Claim.Status.FINAL)),
        )[:10]
    )
    failed_jobs = list(GatherJob.objects.filter(state=GatherJob.State.FAILED)
                       .select_related("claim__article").order_by("-updated_at")[:10])
    for job in failed_jobs:
        job.error = error_for(request.user, job.error)  # never saved: shown only
    notices = Notification.objects.filter(user=_user(request))
    return render(
        request,
        "review/dashboard.html",
        {
            "notifications": notices.unread().select_related("actor", "claim")[:20],
            "n_unread": notices.unread().count(),
            "counts": [(v, label, verdicts.get(v, 0)) for v, label in Claim.Verdict.choices],
            "statuses": [
                (s, label, statuses.get(s, 0)) for s, label in Claim.Status.choices
            ],
            "mine": Claim.objects.filter(assignee_id=request.user.pk)
            .filter(status__in=Claim.Status.to_work())
            .select_related("article")[:20],
            "articles": articles,
            "failed_jobs": failed_jobs,
            "failed_articles": Article.objects.filter(state=Article.State.FAILED)
            .order_by("-state_changed_at")[:10],
            "n_failed_jobs": GatherJob.objects.filter(state=GatherJob.State.FAILED).count(),
            "n_failed_articles": Article.objects.filter(state=Article.State.FAILED).count(),
        },
    )


@login_required
@permission_required("claims.view_article", raise_exception=True)
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    return _article_page(request, get_object_or_404(Article.objects.select_related("outlet"),
                                                    pk=article_id))


def _article_page(
    request: HttpRequest, article: Article, *, status: int = 200, tag_form: TagForm | None = None
) -> HttpResponse:
    claims = list(claim_queue.with_proposed_verdict(article.claims.all()))
    claim_queue.label_rows(claims, sentence_chars=160)
    template = "review/article_detail.html"
    if _htmx(request):  # the claims section refreshing itself when processing finished
        template += "#claims-section"
    return render(
        request,
        template,
        {
            "article": article,
            "claims": claims,
            "paragraphs": highlight.paragraphs(article.text, claims),
            "progress": job_progress(article),
            "tag_names": [t.name for t in article.tags.all()],  # type: ignore[attr-defined]
            "can_tag": request.user.has_perm("verify.tag_claim"),
            "tag_form": tag_form or TagForm(),
        },
        status=status,
    )


# --- Review workflow ------------------------------------------------------------------------
# Each view: parse, act through claims.services, respond. Permission decorators come before
# require_POST so that a person without the right gets 403 whatever the method.


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _htmx(request: HttpRequest) -> bool:
    """django-htmx's request.htmx (HtmxMiddleware), truthy for requests htmx made."""
    return bool(getattr(request, "htmx", False))


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, request.GET)


def _bulk_actions(user: Any) -> dict[str, bulk.Action]:
    """The bulk actions this person may take."""
    return {k: a for k, a in bulk.ACTIONS.items() if user.has_perm(a.permission)}


def _queue_page(
    request: HttpRequest, get: QueryDict, *, bulk_form: BulkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    form = QueueForm(get or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    size = data.get("n") or claim_queue.DEFAULT_PAGE_SIZE
    qs = claim_queue.filtered(data, request.user)
    result = claim_queue.page(qs, sort=data.get("sort") or "oldest",
                              after=get.get("after", ""), size=size)
    claim_queue.label_rows(result.claims)
    if result.bad_cursor:
        messages.error(request, "That page link is not valid (it was changed or is from an "
                       "older version); here is the first page.")
        status = 400
    params = get.copy()
    params.pop("after", None)
    actions = _bulk_actions(request.user)
    context = {
        "form": form,
        "page": result,
        "query": params.urlencode(),
        "saved": SavedFilter.objects.filter(user=_user(request)),
        "can_assign": request.user.has_perm("claims.assign_claim"),
        "assign_form": (
            AssignForm(prefix="assign") if request.user.has_perm("claims.assign_claim") else None
        ),
        "bulk_form": bulk_form or (BulkForm(prefix="assign", actions=actions) if actions
                                   else None),
        "ticked": {str(v) for v in (bulk_form["claims"].value() or [])} if bulk_form else set(),
        "can_tick": bool(actions) or request.user.has_perm("claims.assign_claim"),
        "now": timezone.now(),
    }
    template = "review/queue.html#queue-table" if _htmx(request) else "review/queue.html"
    return render(request, template, context, status=status)


@login_required
@permission_required("claims.assign_claim", raise_exception=True)
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    form = AssignForm(request.POST, prefix="assign")
    if form.is_valid():
        claims = list(form.cleaned_data["claims"].select_related("assignee"))
        n = services.assign_claims(claims=claims, assignee=form.cleaned_data["assignee"],
                                   by=_user(request))
        messages.success(request, f"{n} claim{'s' if n != 1 else ''} assigned.")
    else:
        messages.error(request, "Tick at least one claim and choose a reviewer.")
    return redirect(_back_to_queue(request))


@login_required
@permission_required("claims.view_claim", raise_exception=True)
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Tag, dismiss, send back or approve the ticked claims (bulk.ACTIONS), each through the
    service its own page uses."""
    actions = _bulk_actions(request.user)
    if request.POST.get("assign-action") in set(bulk.ACTIONS) - set(actions):
        raise PermissionDenied("That bulk action is not open to your role.")
    form = BulkForm(request.POST, prefix="assign", actions=actions)
    if not form.is_valid():
        messages.error(request, "The bulk action was not done: see below.")
        return _queue_page(request, QueryDict(request.POST.get("query", "")), bulk_form=form,
                           status=422)
    data = form.cleaned_data
    outcome = bulk.run(name=data["action"], claims=list(data["claims"]), user=_user(request),
                       data=data)
    label = bulk.ACTIONS[data["action"]].label.split(" (")[0]
    notice = messages.warning if outcome.refused else messages.success
    notice(request, f"{label}: {outcome.message()}")
    return redirect(_back_to_queue(request))


def _back_to_queue(request: HttpRequest) -> str:
    query = request.POST.get("query", "")
    return reverse("review:queue") + (f"?{query}" if query else "")


@login_required
@permission_required("claims.view_claim", raise_exception=True)
@require_POST
def filter_save(request: HttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        SavedFilter.objects.update_or_create(
            user=_user(request), name=form.cleaned_data["name"],
            defaults={"query": form.cleaned_data["query"]},
        )
        messages.success(request, f"Filter “{form.cleaned_data['name']}” saved.")
    return redirect(_back_to_queue(request))


@login_required
@permission_required("claims.view_claim", raise_exception=True)
@require_POST
def filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedFilter, pk=filter_id, user_id=request.user.pk)
    saved.delete()
    messages.info(request, f"Filter “{saved.name}” removed.")
    return redirect("review:queue")


@login_required
@permission_required("claims.change_claim", raise_exception=True)
@require_POST
def next_claim(request: HttpRequest) -> HttpResponse:
    claim = services.take_next_claim(user=_user(request))
    if claim is None:
        messages.info(request, "Nothing left to review: every open claim is taken or done.")
        return redirect("review:queue")
    return redirect(claim)


def _claim(claim_id: int) -> Claim:
    return get_object_or_404(
        claim_queue.with_tag_names(
            Claim.objects.select_related("article__outlet", "assignee", "locked_by", "suggestion")
        ),
        pk=claim_id,
    )


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def review(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _review_page(request, _claim(claim_id))


def _review_page(
    request: HttpRequest,
    claim: Claim,
    *,
    status: int = 200,
    conflict: services.StaleVersion | None = None,
    conflict_form: str = "",
    **forms: Any,
) -> HttpResponse:
    references = list(claim.references.with_demo_flag().order_by("-score", "id"))
    terms = highlight.claim_terms(claim)
    for ref in references:
        ref.passage_html = highlight.marked_html(  # type: ignore[attr-defined]
            highlight.passage_pieces(ref.passage, getattr(ref, "matches", None), terms)
        )
        ref.prior_verdict = (  # type: ignore[attr-defined]
            services.prior_verdict(ref) if ref.source == "prior" else ""
        )
    reviews = list(
        claim.reviews.select_related("reviewer", "approved_by").prefetch_related("references")
    )
    proposed = next((r for r in reviews if r.status == Review.Status.PROPOSED), None)
    user = request.user
    can = {
        "edit": user.has_perm("claims.change_claim"),
        "add": user.has_perm("claims.add_claim"),
        "verdict": user.has_perm("verify.add_review"),
        "approve": user.has_perm("verify.approve_review"),
        "comment": user.has_perm("verify.add_comment"),
        "tag": user.has_perm("verify.tag_claim"),
        "reference": user.has_perm("verify.add_reference"),
        "history": user.has_perm("verify.view_auditevent"),
    }
    initial = {"version": claim.version}
    verdict_form = forms.get("verdict_form") or VerdictForm(claim=claim, initial=initial)
    cited = {str(v) for v in (verdict_form["references"].value() or [])}
    library_q = request.GET.get("library", "").strip()[:200]  # a LIKE pattern has a limit
    prev, nxt = claim_queue.neighbours(claim)
    context = {
        "claim": claim,
        "article": claim.article,
        "ctx": highlight.context(claim.article.text, claim),
        "references": references,
        "cited": cited,
        "cite_choices": _one_per_page(references, cited),
        "suggestion": _suggestion(claim),
        "reviews": reviews,
        "proposed": proposed,
        "sent_back": _sent_back(claim),
        "comments": claim.comments.select_related("author"),
        "history": AuditEvent.objects.for_claim(claim) if can["history"] else [],
        "can": can,
        "held_by_other": claim.held_by_other(user),
        "held_by_me": claim.locked_by_id == user.pk and not claim.held_by_other(user)
        and claim.locked_until is not None and claim.locked_until > timezone.now(),
        "prev": prev,
        "next": nxt,
        "conflict": conflict,
        "conflict_form": conflict_form,
        "verdict_form": verdict_form,
        "edit_form": forms.get("edit_form") or ClaimFieldsForm(instance=claim, initial=initial),
        "split_form": forms.get("split_form")
        or ClaimFieldsForm(instance=claim, initial=initial, prefix="split"),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(initial=initial),
        "return_form": forms.get("return_form") or ReturnForm(initial=initial),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "tag_form": forms.get("tag_form") or TagForm(),
        "tags": claim_queue.tag_list(getattr(claim, "tag_names", None)),
        "article_tags": claim_queue.tag_list(getattr(claim, "article_tag_names", None)),
        "selection_form": forms.get("selection_form") or SelectionForm(),
        "url_form": forms.get("url_form") or UrlReferenceForm(),
        "url_enabled": get_source("web") is not None,
        "rerun_sources": [s.name for s in SOURCES],
        "library_q": library_q,
        "library": LibraryDocument.objects.filter(
            Q(title__icontains=library_q) | Q(url__icontains=library_q)
        )[:10] if library_q else [],
        "two_person_rule": settings.TWO_PERSON_RULE,
    }
    template = "review/review.html"
    if _htmx(request) and request.method == "POST" and "verdict_form" in forms:
        template, status = "review/review.html#verdict-form", 200
    return render(request, template, context, status=status)


def _one_per_page(references: list[Reference], cited: set[str]) -> list[Reference]:
    """What the verdict form offers to cite: one entry per page (several passages of one
    page are one source), its best passage unless another one is already ticked."""
    pages: dict[str, Reference] = {}
    for ref in references:  # best first
        page = ref.canonical_url or ref.url
        if page not in pages or (str(ref.pk) in cited and str(pages[page].pk) not in cited):
            pages[page] = ref
    return list(pages.values())


def _sent_back(claim: Claim) -> AuditEvent | None:
    """The editor's words when the claim was last sent back, shown beside its badge."""
    if claim.status != Claim.Status.RETURNED:
        return None
    return (AuditEvent.objects.for_claim(claim).filter(action=AuditEvent.Action.RETURNED)
            .order_by("-at", "-id").first())


def _suggestion(claim: Claim) -> dict[str, Any] | None:
    try:
        found = claim.suggestion  # type: ignore[attr-defined]  # verify's one-to-one
    except Suggestion.DoesNotExist:
        return None
    return {"label": found.get_label_display(), "reasons": [str(r) for r in found.reasons]}


def _versioned_data(request: HttpRequest, exc: services.StaleVersion) -> QueryDict:
    """The person's input as they sent it, now carrying the current version: saving again
    after reading what changed is a deliberate second decision."""
    data = request.POST.copy()
    for key in list(data):
        if key == "version" or key.endswith("-version"):
            data[key] = str(exc.claim.version)
    return data


def _conflict(
    request: HttpRequest, exc: services.StaleVersion, name: str, form: Any
) -> HttpResponse:
    """409 with what the other person did, and this person's input still in the form."""
    claim = _claim(exc.claim.pk)
    return _review_page(
        request, claim, status=409, conflict=exc, conflict_form=name, **{name: form}
    )


@login_required
@permission_required("verify.add_review", raise_exception=True)
@require_POST
def verdict(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    form = VerdictForm(request.POST, claim=claim)
    if not form.is_valid():
        return _review_page(request, claim, status=422, verdict_form=form)
    data = form.cleaned_data
    try:
        review = services.submit_review(
            claim=claim, reviewer=_user(request), verdict=data["verdict"],
            rationale=data["rationale"], references=list(data["references"]),
            expected_version=data["version"],
        )
    except services.StaleVersion as exc:
        return _conflict(request, exc, "verdict_form",
                         VerdictForm(_versioned_data(request, exc), claim=claim))
    except services.ReviewError as exc:
        form.add_error(None, str(exc))
        return _review_page(request, claim, status=422, verdict_form=form)
    done = "proposed" if review.status == Review.Status.PROPOSED else "recorded"
    messages.success(request, f"{_named(claim)}: verdict “{review.get_verdict_display()}” {done}.")
    return _onwards(request, claim)


def _named(claim: Claim) -> str:
    """The claim a message is about, since it is shown on the next page (another claim's)."""
    return f"Claim {claim.pk} ({Truncator(str(claim)).chars(70)})"


def _onwards(request: HttpRequest, claim: Claim) -> HttpResponse:
    """After a verdict: the next claim to work, or the queue when there is none."""
    _prev, nxt = claim_queue.neighbours(claim)
    url = reverse("review:claim", args=[nxt]) if nxt else reverse("review:queue")
    return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)


@login_required
@permission_required("verify.add_review", raise_exception=True)
@require_POST
def reuse_verdict(request: HttpRequest, claim_id: int, reference_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    reference = get_object_or_404(claim.references, pk=reference_id)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return redirect(claim)
    try:
        services.reuse_verdict(claim=claim, reference=reference, reviewer=_user(request),
                               expected_version=form.cleaned_data["version"])
    except services.StaleVersion as exc:
        return _conflict(request, exc, "verdict_form", None)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
        return redirect(claim)
    messages.success(request, f"{_named(claim)}: earlier verdict reused.")
    return _onwards(request, claim)


def _review_of(claim_id: int, review_id: int) -> Review:
    return get_object_or_404(
        Review.objects.select_related("claim", "reviewer"), pk=review_id, claim_id=claim_id
    )


@login_required
@permission_required("verify.approve_review", raise_exception=True)
@require_POST
def approve(request: HttpRequest, claim_id: int, review_id: int) -> HttpResponse:
    found = _review_of(claim_id, review_id)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return redirect(found.claim)
    try:
        services.approve_review(review=found, editor=_user(request),
                                expected_version=form.cleaned_data["version"])
    except services.StaleVersion as exc:
        return _conflict(request, exc, "verdict_form", None)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
        return redirect(found.claim)
    messages.success(request, f"{_named(found.claim)}: verdict approved, the claim is now "
                     f"{found.get_verdict_display()}.")
    return _next_to_decide(request, found.claim)


@login_required
@permission_required("verify.approve_review", raise_exception=True)
@require_POST
def send_back(request: HttpRequest, claim_id: int, review_id: int) -> HttpResponse:
    found = _review_of(claim_id, review_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _review_page(request, _claim(claim_id), status=422, return_form=form)
    try:
        services.return_review(review=found, editor=_user(request),
                               comment=form.cleaned_data["comment"],
                               expected_version=form.cleaned_data["version"])
    except services.StaleVersion as exc:
        return _conflict(request, exc, "return_form", ReturnForm(_versioned_data(request, exc)))
    except services.ReviewError as exc:
        messages.error(request, str(exc))
        return redirect(found.claim)
    messages.success(request, f"{_named(found.claim)}: verdict sent back to {found.reviewer}.")
    return _next_to_decide(request, found.claim)


def _next_to_decide(request: HttpRequest, claim: Claim) -> HttpResponse:
    """After a decision: the next claim awaiting approval, or the queue of them (empty, and
    saying so) when none is left."""
    nxt = claim_queue.next_awaiting_approval(claim, request.user)
    if nxt:
        return redirect("review:claim", nxt)
    messages.info(request, "No other claim is awaiting your approval.")
    return redirect(reverse("review:queue") + "?status=proposed")


@login_required
@permission_required("claims.change_claim", raise_exception=True)
@require_POST
def claim_edit(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    form = ClaimFieldsForm(request.POST, instance=Claim.objects.get(pk=claim.pk))
    if not form.is_valid():
        return _review_page(request, claim, status=422, edit_form=form)
    try:
        services.edit_claim(claim=claim, user=_user(request), changes=form.changes(),
                            expected_version=form.cleaned_data["version"])
    except services.StaleVersion as exc:
        return _conflict(request, exc, "edit_form",
                         ClaimFieldsForm(_versioned_data(request, exc), instance=exc.claim))
    messages.success(request, "Claim fields saved.")
    return redirect(claim)


@login_required
@permission_required("claims.add_claim", raise_exception=True)
@require_POST
def claim_split(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    form = ClaimFieldsForm(request.POST, instance=Claim(), prefix="split")
    if not form.is_valid():
        return _review_page(request, claim, status=422, split_form=form)
    try:
        new = services.split_claim(claim=claim, user=_user(request), fields=form.changes(),
                                   expected_version=form.cleaned_data["version"])
    except services.StaleVersion as exc:
        return _conflict(request, exc, "split_form", ClaimFieldsForm(
            _versioned_data(request, exc), instance=Claim(), prefix="split"))
    messages.success(request, "Claim split: this is the new second claim.")
    return redirect(new)


@login_required
@permission_required("claims.change_claim", raise_exception=True)
@require_POST
def claim_dismiss(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _review_page(request, claim, status=422, dismiss_form=form)
    try:
        services.dismiss_claim(claim=claim, user=_user(request),
                               reason=form.cleaned_data["reason"],
                               expected_version=form.cleaned_data["version"])
    except services.StaleVersion as exc:
        return _conflict(request, exc, "dismiss_form", DismissForm(_versioned_data(request, exc)))
    messages.success(request, f"{_named(claim)}: dismissed as not checkable.")
    return _onwards(request, claim)


@login_required
@permission_required("claims.add_claim", raise_exception=True)
@require_POST
def claim_add(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    form = SelectionForm(request.POST)
    if form.is_valid():
        try:
            claim = services.add_claim_from_selection(
                article=article, user=_user(request), quote=form.cleaned_data["quote"],
                start=form.cleaned_data["start"], type=form.cleaned_data["type"],
            )
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Claim added.")
            return redirect(claim)
    else:
        messages.error(request, "Select or paste the words of the claim.")
    back = request.POST.get("from_claim", "")
    from_claim = as_id(back)
    if from_claim and Claim.objects.filter(pk=from_claim, article=article).exists():
        return redirect("review:claim", from_claim)
    return redirect(article)


@login_required
@permission_required("claims.change_claim", raise_exception=True)
@require_POST
def claim_hold(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    if request.POST.get("release"):
        services.release_claim(claim=claim, user=_user(request))
        messages.info(request, "You released the claim.")
    elif services.hold_claim(claim=claim, user=_user(request)):
        messages.success(request, f"You hold this claim for {settings.CLAIM_LOCK_MINUTES} minutes.")
    else:
        messages.error(request, f"{claim.locked_by} is working on this claim.")
    return redirect(claim)


@login_required
@permission_required("verify.add_comment", raise_exception=True)
@require_POST
def comment(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _review_page(request, claim, status=422, comment_form=form)
    services.add_comment(claim=claim, author=_user(request), body=form.cleaned_data["body"])
    return redirect(reverse("review:claim", args=[claim.pk]) + "#comments")


@login_required
@permission_required("verify.add_reference", raise_exception=True)
@require_POST
def reference_library(request: HttpRequest, claim_id: int, document_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    document = get_object_or_404(LibraryDocument, pk=document_id)
    services.add_library_reference(claim=claim, document=document, user=_user(request))
    messages.success(request, f"“{document}” added from the library.")
    return redirect(reverse("review:claim", args=[claim.pk]) + "#references")


@login_required
@permission_required("verify.add_reference", raise_exception=True)
@require_POST
def reference_url(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Fetch a URL a reviewer typed through verify's `web` source (the SSRF-safe fetcher)."""
    claim = _claim(claim_id)
    form = UrlReferenceForm(request.POST)
    if not form.is_valid():
        return _review_page(request, claim, status=422, url_form=form)
    try:
        verify_services.search_again(
            claim=claim, source="web", query=form.cleaned_data["url"], user=_user(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The page is being fetched; it appears here when it is done.")
    return redirect(reverse("review:claim", args=[claim.pk]) + "#references")


@login_required
@permission_required("verify.add_reference", raise_exception=True)
@require_POST
def rerun_source(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    source = request.POST.get("source", "")
    if get_source(source) is None:
        raise Http404("No such source to search again.")
    try:
        verify_services.rerun_source(claim=claim, source=source, user=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{source} is searched again.")
    return redirect(reverse("review:claim", args=[claim.pk]) + "#references")


# --- Tags -----------------------------------------------------------------------------------


def _change_tags(
    request: HttpRequest, target: Claim | Article
) -> TagForm | None:
    """Add the tags typed, or remove the one named by `remove`; the form again when what was
    typed is no tag, so the page can show it with its error."""
    if "remove" in request.POST:
        untag = UntagForm(request.POST)
        if not untag.is_valid():
            messages.error(request, "That is no tag name.")
        elif services.remove_tag(target=target, name=(name := untag.cleaned_data["remove"]),
                                 by=_user(request)):
            messages.success(request, f"Tag “{name}” removed.")
        else:
            messages.info(request, f"It had no tag “{name}”.")
        return None
    form = TagForm(request.POST)
    if not form.is_valid():
        return form
    added = services.add_tags(target=target, names=form.cleaned_data["names"], by=_user(request))
    if added:
        messages.success(request, "Tagged: " + ", ".join(t.name for t in added) + ".")
    else:
        messages.info(request, "It already carries those tags.")
    return None


@login_required
@permission_required("verify.tag_claim", raise_exception=True)
@require_POST
def claim_tags(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    if (bad := _change_tags(request, claim)) is not None:
        return _review_page(request, claim, status=422, tag_form=bad)
    return redirect(reverse("review:claim", args=[claim.pk]) + "#tags")


@login_required
@permission_required("verify.tag_claim", raise_exception=True)
@require_POST
def article_tags(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    if (bad := _change_tags(request, article)) is not None:
        return _article_page(request, article, status=422, tag_form=bad)
    return redirect(reverse("review:article", args=[article.pk]) + "#tags")


# --- Notifications --------------------------------------------------------------------------


@login_required
@permission_required("claims.view_claim", raise_exception=True)
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notice = get_object_or_404(Notification, pk=notification_id, user=_user(request))
    Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(reverse("review:dashboard") + "#notifications")


@login_required
@permission_required("claims.view_claim", raise_exception=True)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    n = Notification.objects.filter(user=_user(request)).unread().update(
        read_at=timezone.now()
    )
    messages.info(request, f"{n} notice{'s' if n != 1 else ''} marked read.")
    return redirect(reverse("review:dashboard") + "#notifications")
