from django.urls import path

from claims import monitor_views

app_name = "monitor"
urlpatterns = [
    path("add/", monitor_views.add_url, name="add_url"),
    path("feeds/", monitor_views.feeds, name="feeds"),
    path("feeds/<int:feed_id>/poll/", monitor_views.poll_now, name="poll_now"),
]
