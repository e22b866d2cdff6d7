"""Public pages, feeds and exports of published summaries, mounted at /published/."""

from django.urls import path

from verify.publishing import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("stats/", views.stats, name="stats"),
    path("feed.atom", views.SummaryFeed(), name="atom"),
    path("claimreview.json", views.claimreview_feed, name="claimreview_json"),
    path("export/claims.csv", views.export_csv, name="export_csv"),
    path("<int:article_id>/", views.summary, name="summary"),
    path("<int:article_id>/v<int:version>/", views.summary_version, name="summary_version"),
    path("<int:article_id>/summary.md", views.summary_markdown, name="markdown"),
    path("<int:article_id>/claims/<int:claim_id>/", views.claim, name="claim"),
    # Editors
    path("manage/<int:article_id>/", views.manage, name="manage"),
    path("manage/<int:article_id>/publish/", views.publish, name="publish"),
    path("manage/<int:article_id>/preview/", views.preview, name="preview"),
    path("manage/<int:article_id>/retract/", views.retract, name="retract"),
    path("desk/credit/", views.credit, name="credit"),
    path("desk/claims/<int:claim_id>/wording/", views.claim_wording, name="claim_wording"),
]
