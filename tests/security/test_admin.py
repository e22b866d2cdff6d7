"""The admin is for reference data: no workflow row can be added, changed or deleted there,
by an editor, an admin or a superuser; reference data stays editable for editors."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from claims.models import Article, Claim, Entity, Feed, Outlet
from tests.claims import published as make
from tests.conftest import make_user
from verify.models import AuditEvent, GatherJob, LibraryDocument, Reference, Review, Summary
from verify.publishing.services import publish_summary
from verify.review import services

pytestmark = pytest.mark.django_db

WORKFLOW: list[type[Model]] = [Article, Claim, Reference, GatherJob, Review, Summary, AuditEvent]
REFERENCE_DATA: list[type[Model]] = [Outlet, Feed, Entity, LibraryDocument]


@pytest.fixture
def rows() -> dict[type[Model], Model]:
    """One row of each model, made the way the desk makes them."""
    reviewer, editor = make_user("rita", "reviewer"), make_user("eddie", "editor", is_staff=True)
    article = make.reviewed_article(reviewer, editor)
    publish_summary(article=article, editor=editor)
    claim = make.claim(article, "Putin praised the DPRK's economy.")
    reference = make.reference(claim)
    services.submit_review(claim=claim, reviewer=editor, verdict="supported",
                           rationale="Seen.", references=[reference], expected_version=1)
    job = GatherJob.objects.create(claim=claim, source="wikipedia")
    feed = Feed.objects.create(outlet=article.outlet, url="https://kcna.example/rss")  # type: ignore[misc]
    found: dict[type[Model], Model] = {
        Article: article, Claim: claim, Reference: reference, GatherJob: job,
        Review: Review.objects.get(claim=claim), Summary: Summary.objects.get(),
        AuditEvent: AuditEvent.objects.filter(claim=claim).last(),  # type: ignore[dict-item]
        Outlet: article.outlet, Feed: feed,  # type: ignore[dict-item]
        Entity: Entity.objects.create(name="Kim Jong Un", kind=Entity.Kind.PERSON),
        LibraryDocument: LibraryDocument.objects.create(url="https://example.org/a", text="x"),
    }
    return found


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff() -> dict[str, Client]:
    return {
        "editor": login(User.objects.get(username="eddie")),
        "admin": login(make_user("ada", "admin", is_staff=True)),
        "superuser": login(make_user("root", is_staff=True, is_superuser=True)),
    }


def admin_urls(row: Model) -> list[str]:
    meta = row._meta
    name = f"admin:{meta.app_label}_{meta.model_name}"
    return [reverse(f"{name}_add"), reverse(f"{name}_change", args=[row.pk]),
            reverse(f"{name}_delete", args=[row.pk])]


def test_no_workflow_row_can_be_added_changed_or_deleted_in_the_admin(
    rows: dict[type[Model], Model],
) -> None:
    counts = {model: model._default_manager.count() for model in WORKFLOW}
    refused = []
    for persona, client in staff().items():
        for model in WORKFLOW:
            for url in admin_urls(rows[model]):
                for method in ("get", "post"):
                    status = getattr(client, method)(url, {"post": "yes"}).status_code
                    if status not in (403, 404):
                        refused.append(f"{persona} {method.upper()} {url}: {status}")
    assert refused == []
    assert {model: model._default_manager.count() for model in WORKFLOW} == counts


def test_a_post_cannot_make_a_proposal_final_through_the_admin(
    rows: dict[type[Model], Model],
) -> None:
    review = rows[Review]
    other = make_user("erin", "editor", is_staff=True)
    for client in staff().values():
        response = client.post(
            reverse("admin:verify_review_change", args=[review.pk]),
            {"status": "final", "approved_by": other.pk, "verdict": "supported",
             "rationale": "Approved.", "reviewer": review.reviewer_id,  # type: ignore[attr-defined]
             "claim": review.claim_id, "created_at_0": "2026-01-01",  # type: ignore[attr-defined]
             "created_at_1": "00:00:00"},
        )
        assert response.status_code == 403
    review.refresh_from_db()
    assert (review.status, review.approved_by) == (Review.Status.PROPOSED, None)  # type: ignore[attr-defined]
    claim = Claim.objects.get(pk=review.claim_id)  # type: ignore[attr-defined]
    assert (claim.status, claim.verdict, claim.version) == (Claim.Status.PROPOSED, "", 2)


def test_the_workflow_change_lists_stay_readable_without_links_to_a_form(
    rows: dict[type[Model], Model],
) -> None:
    editor = staff()["editor"]
    page = editor.get(reverse("admin:verify_review_changelist"))
    assert page.status_code == 200
    change = reverse("admin:verify_review_change", args=[rows[Review].pk])
    assert change not in page.content.decode()


def test_editors_keep_editing_reference_data(rows: dict[type[Model], Model]) -> None:
    editor = staff()["editor"]
    for model in REFERENCE_DATA:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[rows[model].pk])
        assert editor.get(url).status_code == 200, url
    outlet = rows[Outlet]
    response = editor.post(
        reverse("admin:claims_outlet_change", args=[outlet.pk]),
        {"name": "Pyongyang Times", "country": "North Korea", "language": "en",
         "domains": '["pyongyangtimes.com.kp"]', "is_state_media": "on", "enabled": "on"},
    )
    assert response.status_code == 302
    outlet.refresh_from_db()
    assert outlet.country == "North Korea"  # type: ignore[attr-defined]


def test_an_admin_cannot_make_themselves_superuser_or_grant_themselves_permissions(
    db: None,
) -> None:
    ada = make_user("ada", "admin", is_staff=True)
    client = login(ada)
    url = reverse("admin:auth_user_change", args=[ada.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    response = client.post(url, {
        "username": "ada", "email": "ada@example.org", "is_active": "on", "is_staff": "on",
        "is_superuser": "on", "groups": [ada.groups.get().pk],
        "user_permissions": [p.pk for p in ada.groups.get().permissions.all()][:1],
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "last_login_0": "", "last_login_1": "",
    })
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.is_superuser is False
    assert not ada.user_permissions.exists()


def test_an_edit_of_reference_data_is_audited_with_what_it_changed_from_and_to(
    rows: dict[type[Model], Model],
) -> None:
    editor_user = User.objects.get(username="eddie")
    outlet = rows[Outlet]
    was_state_media = outlet.is_state_media  # type: ignore[attr-defined]
    response = login(editor_user).post(
        reverse("admin:claims_outlet_change", args=[outlet.pk]),
        {"name": "Pyongyang Times Online", "country": "North Korea", "language": "en",
         "domains": "[]", "enabled": "on"},  # the state-media box left unticked
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(outlet.pk), action_flag=CHANGE)
    assert entry.user_id == editor_user.pk
    values = next(part["values"] for part in json.loads(entry.change_message)
                  if "values" in part)
    assert values["is_state_media"] == [was_state_media, False]
    assert values["name"][1] == "Pyongyang Times Online"
    assert "Is state media" in entry.get_change_message()  # Django's own history still reads it
