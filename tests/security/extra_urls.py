"""The project's URLconf with two URLs nobody listed, for test_coverage.py to find."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project


def brand_new(request: HttpRequest) -> HttpResponse:
    return HttpResponse("new")


urlpatterns = [
    *project,
    path("brand-new/", brand_new, name="brand_new"),
    path("unnamed/", brand_new),
]
