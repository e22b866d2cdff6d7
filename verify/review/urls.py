from django.urls import path

from verify.review import views

app_name = "review"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("articles/<int:article_id>/", views.article_detail, name="article"),
    path("articles/<int:article_id>/claims/add/", views.claim_add, name="claim_add"),
    path("queue/", views.queue, name="queue"),
    path("queue/assign/", views.queue_assign, name="queue_assign"),
    path("queue/bulk/", views.queue_bulk, name="queue_bulk"),
    path("queue/next/", views.next_claim, name="next_claim"),
    path("queue/filters/", views.filter_save, name="filter_save"),
    path("queue/filters/<int:filter_id>/delete/", views.filter_delete, name="filter_delete"),
    path("claims/<int:claim_id>/", views.review, name="claim"),
    path("claims/<int:claim_id>/verdict/", views.verdict, name="verdict"),
    path("claims/<int:claim_id>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:claim_id>/split/", views.claim_split, name="claim_split"),
    path("claims/<int:claim_id>/dismiss/", views.claim_dismiss, name="claim_dismiss"),
    path("claims/<int:claim_id>/hold/", views.claim_hold, name="claim_hold"),
    path("claims/<int:claim_id>/comments/", views.comment, name="comment"),
    path(
        "claims/<int:claim_id>/reviews/<int:review_id>/approve/", views.approve, name="approve"
    ),
    path(
        "claims/<int:claim_id>/reviews/<int:review_id>/return/", views.send_back, name="send_back"
    ),
    path(
        "claims/<int:claim_id>/references/<int:reference_id>/reuse/",
        views.reuse_verdict,
        name="reuse_verdict",
    ),
    path("claims/<int:claim_id>/references/url/", views.reference_url, name="reference_url"),
    path(
        "claims/<int:claim_id>/references/library/<int:document_id>/",
        views.reference_library,
        name="reference_library",
    ),
    path("claims/<int:claim_id>/sources/rerun/", views.rerun_source, name="rerun_source"),
    path("claims/<int:claim_id>/tags/", views.claim_tags, name="claim_tags"),
    path("articles/<int:article_id>/tags/", views.article_tags, name="article_tags"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
]
