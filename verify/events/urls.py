from django.urls import path

from verify.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("discrepancies/", views.discrepancies, name="discrepancies"),
    path("<int:event_id>/", views.detail, name="detail"),
    path("<int:event_id>/rename/", views.rename, name="rename"),
    path("<int:event_id>/merge/", views.merge, name="merge"),
    path("<int:event_id>/split/", views.split, name="split"),
    path("<int:event_id>/publish/", views.publish, name="publish"),
    path("<int:event_id>/retract/", views.retract, name="retract"),
    # Public, no login: published comparisons only.
    path("published/<int:event_id>/", views.published, name="published"),
    path("published/<int:event_id>/v<int:version>/", views.published_version,
         name="published_version"),
]
