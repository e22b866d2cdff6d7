"""Bringing articles in: the list of articles, the paste-or-upload form, and adding an
outlet the form does not know."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from claims import ingestion, services
from claims.forms import ArticleForm, OutletForm
from claims.models import Article, Outlet


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@permission_required("claims.view_article", raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("outlet").annotate(n_claims=Count("claims"))[:200]
    return render(request, "claims/article_list.html", {"articles": articles})


@login_required
@permission_required("claims.add_article", raise_exception=True)
def article_new(request: HttpRequest) -> HttpResponse:
    may_add_outlet = request.user.has_perm("claims.add_outlet")
    form = ArticleForm(request.POST or None, request.FILES or None, may_add_outlet=may_add_outlet)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.ingest_article(
                text=data["text"],
                title=data["title"],
                outlet=data["outlet"],
                published=data["published"],
                source_url=data["source_url"],
                user=_user(request),
                is_html=data.get("is_html"),
                # The form picked a known outlet; one is added only on its own page.
                create_outlet=False,
            )
        except ingestion.IngestError as exc:
            form.add_error(None, str(exc))
        else:
            level = messages.SUCCESS if result.created else messages.INFO
            messages.add_message(request, level, result.message)
            return redirect(result.article)
    return render(request, "claims/article_new.html", {
        "form": form, "outlets": Outlet.objects.filter(enabled=True),
        "may_add_outlet": may_add_outlet,
    })


@login_required
@permission_required("claims.add_outlet", raise_exception=True)
def outlet_new(request: HttpRequest) -> HttpResponse:
    """Adding an outlet: its own step, which asks whether it is state media."""
    form = OutletForm(request.POST or None, initial={"name": request.GET.get("name", "")[:200]})
    if request.method == "POST":
        if form.is_valid():
            outlet = form.save()
            kind = "state media" if outlet.is_state_media else "not state media"
            messages.success(request, f"Outlet “{outlet}” added ({kind}); pick it in the "
                             "article form's outlet field.")
            return redirect("claims:article_new")
        return render(request, "claims/outlet_new.html", {"form": form}, status=422)
    return render(request, "claims/outlet_new.html", {"form": form})
