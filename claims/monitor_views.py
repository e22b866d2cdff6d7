"""Monitoring pages: add an article by URL (reviewers) and feed health (editors)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims import monitoring, tasks
from claims.ingestion import IngestError
from claims.models import Feed
from config.queueing import send_on_commit
from outbound.ssrf import error_for


class URLForm(forms.Form):
    url = forms.URLField(
        label="Article URL", max_length=2000, assume_scheme="https",
        help_text="The page is fetched once; its main text, title, byline and date are "
        "taken from it and the outlet is matched by its domain.",
    )


@login_required
@permission_required("claims.add_article", raise_exception=True)
def add_url(request: HttpRequest) -> HttpResponse:
    form = URLForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = monitoring.ingest_url(
                url=form.cleaned_data["url"],
                user=cast(User, request.user),
                # A person is waiting: give up well before gunicorn's worker timeout.
                deadline=settings.HTTP_INTERACTIVE_DEADLINE,
            )
        except IngestError as exc:
            form.add_error("url", error_for(request.user, str(exc)))
            # The setting is the operator's to change, so only an administrator is told of it.
            if getattr(exc, "loopback", False) and request.user.is_superuser:
                form.add_error("url", monitoring.LOOPBACK_HINT)
        else:
            level = messages.SUCCESS if result.created else messages.INFO
            messages.add_message(request, level, result.message)
            return redirect(result.article)
    return render(request, "monitor/add_url.html", {"form": form})


@login_required
@permission_required("claims.change_outlet", raise_exception=True)
def feeds(request: HttpRequest) -> HttpResponse:
    rows = list(Feed.objects.select_related("outlet").order_by("outlet__name", "url"))
    for feed in rows:
        feed.last_error = error_for(request.user, feed.last_error)  # never saved: shown only
    return render(request, "monitor/feeds.html", {"feeds": rows})


@login_required
@permission_required("claims.change_outlet", raise_exception=True)
@require_POST
def poll_now(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=feed_id)
    if not feed.enabled or not feed.outlet.enabled:
        messages.error(request, f"{feed} is disabled; enable it in the admin first.")
    elif monitoring.request_poll(feed):
        # The poll runs in the worker: a slow feed never holds up this page.
        send_on_commit(tasks.poll_feeds)
        messages.success(request, f"{feed} will be polled in a moment.")
    else:
        messages.info(request, f"{feed} is being polled right now.")
    return redirect("monitor:feeds")
