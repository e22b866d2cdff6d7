from __future__ import annotations

import re
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from claims.models import Claim
from tests.claims import published as make
from verify.models import PublicCredit, Summary
from verify.publishing.services import PublishError, publish_summary, retract_summary

pytestmark = pytest.mark.django_db


def test_it_refuses_to_publish_while_a_claim_awaits_review(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    make.claim(article, "Putin praised the DPRK's economy.")
    with pytest.raises(PublishError, match="1 claim"):
        publish_summary(article=article, editor=editor)
    assert not Summary.objects.exists()


def test_a_proposed_verdict_is_not_enough(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    waiting = make.claim(article, "Putin praised the DPRK's economy.")
    make.proposed(waiting, "supported", reviewer=reviewer, rationale="Looks right to me.")
    with pytest.raises(PublishError, match="awaits approval"):
        publish_summary(article=article, editor=editor)


def test_a_verdict_state_without_a_final_review_is_not_enough(
    reviewer: User, editor: User
) -> None:
    article = make.reviewed_article(reviewer, editor)
    stray = make.claim(article, "Putin praised the DPRK's economy.")
    stray.status, stray.verdict = Claim.Status.FINAL, Claim.Verdict.SUPPORTED
    stray.save(update_fields=["status", "verdict"])
    with pytest.raises(PublishError, match="not final"):
        publish_summary(article=article, editor=editor)


def test_an_article_without_claims_is_not_published(editor: User) -> None:
    with pytest.raises(PublishError, match="no claims"):
        publish_summary(article=make.article(), editor=editor)


def test_the_snapshot_freezes_claims_in_article_order_with_citations_and_credits(
    reviewer: User, editor: User
) -> None:
    reviewer.first_name, reviewer.last_name = "Rita", "Reyes"
    reviewer.save()
    PublicCredit.objects.create(user=reviewer, public_name="Rita Reyes")  # her own choice
    summary = publish_summary(article=make.reviewed_article(reviewer, editor), editor=editor)

    snap = summary.snapshot
    assert snap["article"] == {
        "id": summary.article_id,
        "headline": "DPRK-Russia ties progress",
        "byline": "",
        "published": "2020-04-24",
        "url": "http://www.pyongyangtimes.com.kp/?bbs=43051",
        "outlet": {"name": "Pyongyang Times", "wikidata_id": "Q1140229", "website": ""},
    }
    assert [c["state"] for c in snap["claims"]] == [
        "supported", "disputed", "unverified", "dismissed"
    ]
    assert [c["position"] for c in snap["claims"]] == [1, 2, 3, 4]
    met = snap["claims"][0]
    assert met["label"] == "Supported"
    assert met["reviewed_by"] == "Rita Reyes"
    assert met["approved_by"] == "Verification desk"  # eddie chose no public name
    assert met["references"] == [
        {
            "url": "https://en.wikipedia.org/wiki/2019_North_Korea%E2%80%93Russia_summit",
            "title": "2019 North Korea–Russia summit",
            "publisher": "Wikipedia",
            "published": "2019-04-26",
            "fetched_at": "2024-05-02T09:30:00+00:00",
        }
    ]
    assert snap["claims"][3]["reason"] == "A prediction, not a checkable statement of fact."
    assert summary.version == 1 and summary.is_current and summary.state == "published"


def test_the_latest_final_review_is_the_published_verdict(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    met = article.claims.get(type=Claim.Type.MEETING)
    make.final(met, "disputed", reviewer=reviewer, editor=editor, rationale="Second look.")
    snap = publish_summary(article=article, editor=editor).snapshot
    assert snap["claims"][0]["state"] == "disputed"
    assert snap["claims"][0]["rationale"] == "Second look."


@override_settings(PUBLISH_AS_DESK=True, DESK_NAME="DPRK desk")
def test_reviewers_can_be_credited_as_a_desk(reviewer: User, editor: User) -> None:
    snap = publish_summary(article=make.reviewed_article(reviewer, editor), editor=editor).snapshot
    assert {c.get("reviewed_by") for c in snap["claims"][:3]} == {"DPRK desk"}
    assert {c.get("approved_by") for c in snap["claims"][:3]} == {"DPRK desk"}


def test_a_username_that_is_an_email_is_never_published(editor: User) -> None:
    mailer = User.objects.create_user("rita.reyes@newsroom.example", "rita.reyes@newsroom.example")
    snap = publish_summary(article=make.reviewed_article(mailer, editor), editor=editor).snapshot
    assert "newsroom.example" not in str(snap)
    assert snap["claims"][0]["reviewed_by"] == "Verification desk"


def test_later_edits_do_not_change_what_was_published(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    summary = publish_summary(article=article, editor=editor)
    article.claims.filter(type=Claim.Type.MEETING).update(sentence="Edited afterwards.")
    article.title = "A new title"
    article.save()
    summary.refresh_from_db()
    assert summary.snapshot["claims"][0]["sentence"].startswith("Kim Jong Un met")
    assert summary.snapshot["article"]["headline"] == "DPRK-Russia ties progress"


def test_republishing_adds_a_version_with_a_correction_note(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    first = publish_summary(article=article, editor=editor)
    make.final(
        article.claims.get(type=Claim.Type.STATISTIC), "disputed", reviewer=reviewer,
        editor=editor, rationale="Customs data show trade fell.",
    )
    with pytest.raises(PublishError, match="correction note"):
        publish_summary(article=article, editor=editor)

    second = publish_summary(
        article=article, editor=editor, correction_note="Claim 3 is now disputed."
    )

    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    assert second.correction_note == "Claim 3 is now disputed."
    assert first.snapshot["claims"][2]["state"] == "unverified"
    assert second.snapshot["claims"][2]["state"] == "disputed"


def test_republishing_nothing_new_is_refused(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    publish_summary(article=article, editor=editor)
    with pytest.raises(PublishError, match="Nothing has changed"):
        publish_summary(article=article, editor=editor, correction_note="Again.")


def test_a_retraction_is_a_new_version_that_keeps_the_record(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    published = publish_summary(article=article, editor=editor)
    with pytest.raises(PublishError, match="note"):
        retract_summary(article=article, editor=editor, note="  ")

    retracted = retract_summary(article=article, editor=editor, note="Wrong article attached.")

    assert (retracted.version, retracted.state) == (2, Summary.State.RETRACTED)
    assert retracted.snapshot == published.snapshot
    assert retracted.correction_note == "Wrong article attached."
    with pytest.raises(PublishError, match="no published summary"):
        retract_summary(article=article, editor=editor, note="Twice.")
    # Publishing again after a retraction is a correction like any other.
    again = publish_summary(article=article, editor=editor, correction_note="Restored.")
    assert (again.version, again.state) == (3, Summary.State.PUBLISHED)


def test_the_published_claim_is_a_complete_statement_never_a_cut_sentence(
    reviewer: User, editor: User
) -> None:
    article = make.reviewed_article(reviewer, editor)
    treaty = article.claims.get(type=Claim.Type.TREATY_DOCUMENT)
    Claim.objects.filter(pk=treaty.pk).update(
        subject_name="treaty of friendship", object_name="Soviet Union", date_value="1955",
        date_precision="year",
    )
    snap = publish_summary(article=article, editor=editor).snapshot
    by_id = {c["id"]: c for c in snap["claims"]}
    assert by_id[treaty.pk]["short"] == "The treaty of friendship was signed in 1955"
    assert not any(c["short"].endswith("…") for c in snap["claims"])


# --- The editor's pages -----------------------------------------------------------------


def test_an_editor_publishes_from_the_manage_page(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("public:manage", args=[article.pk])).content.decode()
    assert "All 4 claims have a final verdict or were dismissed." in page

    response = client.post(reverse("public:publish", args=[article.pk]), follow=True)

    assert "Version 1 is published." in response.content.decode()
    assert Summary.objects.get().published_by == editor


def test_the_manage_page_lists_what_blocks_publication(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    make.claim(article, "Putin praised the DPRK's economy.")
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("public:manage", args=[article.pk])).content.decode()
    assert "Putin praised the DPRK&#x27;s economy." in page
    response = client.post(reverse("public:publish", args=[article.pk]), follow=True)
    assert "1 claim(s) are not ready" in response.content.decode()
    assert not Summary.objects.exists()


def test_an_editor_retracts_with_a_note(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    publish_summary(article=article, editor=editor)
    client = Client()
    client.force_login(editor)
    client.post(reverse("public:retract", args=[article.pk]), {"note": "Source misattributed."})
    assert Summary.objects.get(is_current=True).state == Summary.State.RETRACTED


def test_only_editors_may_publish(reviewer: User, editor: User, outsider: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    urls = [reverse(name, args=[article.pk]) for name in ("public:publish", "public:retract")]
    anonymous = Client()
    for url in urls:
        assert anonymous.post(url)["Location"].startswith(reverse("login"))
    for user in (reviewer, outsider):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("public:manage", args=[article.pk])).status_code == 403
        for url in urls:
            assert client.post(url).status_code == 403
    assert not Summary.objects.exists()


def test_publishing_takes_a_post_with_a_csrf_token(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("public:publish", args=[article.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert not Summary.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_make_one_version(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    second_editor = User.objects.create_user("erin")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def publish(user: User) -> None:
        start.wait()
        try:
            outcomes.append(f"v{publish_summary(article=article, editor=user).version}")
        except PublishError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(u,)) for u in (editor, second_editor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    # The second waits for the first one's lock, then sees version 1 and refuses a duplicate.
    assert sorted(outcomes) == ["Nothing has changed since version 1.", "v1"]
    assert Summary.objects.filter(article=article).count() == 1


def test_published_pages_credit_the_desk_unless_a_person_chose_a_name(
    reviewer: User, editor: User, client: Client
) -> None:
    reviewer.first_name, reviewer.last_name = "Rita", "Reyes"
    reviewer.save()
    snap = publish_summary(article=make.reviewed_article(reviewer, editor), editor=editor).snapshot
    assert {(c.get("reviewed_by"), c.get("approved_by")) for c in snap["claims"][:3]} == {
        ("Verification desk", "Verification desk")
    }
    html = client.get(reverse("public:summary", args=[snap["article"]["id"]])).content.decode()
    assert "Reviewed and approved by Verification desk." in html
    assert re.search(r"\b(rita|eddie|reyes)\b", html, re.I) is None


def test_a_person_opts_in_to_their_name_on_their_own_page(
    reviewer: User, editor: User, reviewer_client: Client
) -> None:
    page = reviewer_client.get(reverse("public:credit")).content.decode()
    assert "you are credited as <strong>Verification desk</strong>" in page
    response = reviewer_client.post(reverse("public:credit"), {"public_name": "R. Reyes"})
    assert response.status_code == 302
    snap = publish_summary(article=make.reviewed_article(reviewer, editor), editor=editor).snapshot
    assert (snap["claims"][0]["reviewed_by"], snap["claims"][0]["approved_by"]) == (
        "R. Reyes", "Verification desk"
    )
    reviewer_client.post(reverse("public:credit"), {"public_name": ""})
    assert PublicCredit.objects.get(user=reviewer).public_name == ""
