from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from claims import highlight, ingestion, services
from claims.forms import ArticleForm
from claims.models import Article, Claim
from verify.models import GatherJob


@login_required
@permission_required("claims.view_article", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    counts = dict(
        Claim.objects.values_list("review_state").annotate(n=Count("id")).order_by()
    )
    return render(
        request,
        "claims/dashboard.html",
        {
            "counts": [(state, label, counts.get(state, 0)) for state, label in Claim.ReviewState.choices],
            "articles": Article.objects.select_related("outlet").annotate(n_claims=Count("claims"))[:10],
            "failed_jobs": GatherJob.objects.filter(state=GatherJob.State.FAILED)
            .select_related("claim__article")[:10],
        },
    )


@login_required
@permission_required("claims.view_article", raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("outlet").annotate(n_claims=Count("claims"))[:200]
    return render(request, "claims/article_list.html", {"articles": articles})


@login_required
@permission_required("claims.add_article", raise_exception=True)
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.ingest_article(
                text=data["text"],
                title=data["title"],
                outlet=data["outlet"],
                published=data["published"],
                source_url=data["source_url"],
                user=request.user,
                is_html=data.get("is_html"),
            )
        except ingestion.IngestError as exc:
            form.add_error(None, str(exc))
        else:
            level = messages.SUCCESS if result.created else messages.INFO
            messages.add_message(request, level, result.message)
            return redirect(result.article)
    return render(request, "claims/article_new.html", {"form": form})


@login_required
@permission_required("claims.view_article", raise_exception=True)
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    claims = list(article.claims.all())
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "paragraphs": highlight.paragraphs(article.text, claims),
            "progress": job_progress(article),
        },
    )


def job_progress(article: Article) -> dict:
    by_state = dict(
        GatherJob.objects.filter(claim__article=article)
        .values_list("state").annotate(n=Count("id")).order_by()
    )
    total = sum(by_state.values())
    finished = sum(by_state.get(s, 0) for s in GatherJob.State.finished())
    return {
        "article": article,
        "by_state": [(s, label, by_state.get(s, 0)) for s, label in GatherJob.State.choices],
        "total": total,
        "finished": finished,
        "working": article.state in Article.State.working(),
    }
