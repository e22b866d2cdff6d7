"""The admin edits reference data (outlets, feeds, the gazetteer); articles and claims are
shown read-only, since they change only through ingestion and the review services."""

from django.contrib import admin

from claims.models import Article, Claim, Entity, Feed, Outlet
from config.paginator import CappedAdmin, ReadOnlyAdmin


@admin.register(Outlet)
class OutletAdmin(CappedAdmin):
    list_display = ["name", "country", "language", "is_state_media", "wikidata_id"]
    list_filter = ["is_state_media", "country"]
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "outlet", "published", "state", "ingested_at"]
    list_filter = ["state", "outlet"]
    search_fields = ["title", "text"]
    readonly_fields = ["content_hash", "ingested_at", "state_changed_at"]


@admin.register(Entity)
class EntityAdmin(CappedAdmin):
    list_display = ["name", "kind", "qid"]
    list_filter = ["kind"]
    search_fields = ["name", "qid"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["sentence", "type", "status", "verdict", "article"]
    list_filter = ["type", "status", "verdict"]
    search_fields = ["sentence", "subject_name", "object_name"]
    raw_id_fields = ["article", "assignee"]


@admin.register(Feed)
class FeedAdmin(CappedAdmin):
    list_display = ["url", "outlet", "enabled", "last_success_at", "consecutive_failures"]
    list_filter = ["enabled"]
