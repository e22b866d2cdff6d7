from django.urls import path

from verify.evidence import views

app_name = "verify"
urlpatterns = [
    path("articles/<int:article_id>/jobs/", views.job_status, name="job_status"),
]
