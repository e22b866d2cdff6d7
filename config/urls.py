from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from api.endpoints import api


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and compose healthchecks; also the benchmarks' trivial view."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/", include("api.urls")),
    path("verify/", include("verify.evidence.urls")),
    path("published/", include("verify.publishing.urls")),
    path("events/", include("verify.events.urls")),
    path("monitor/", include("claims.monitor_urls")),
    path("", include("claims.urls")),
    path("", include("verify.review.urls")),
]
