from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.claims import published as make
from tests.claims.test_public_pages import Page
from verify.models import Summary
from verify.publishing.services import publish_summary, retract_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(reviewer: User, editor: User) -> Summary:
    return publish_summary(article=make.reviewed_article(reviewer, editor), editor=editor)


def claimreview_feed(client: Client) -> dict:
    response = client.get(reverse("public:claimreview_json"))
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def atom(client: Client) -> feedparser.FeedParserDict:
    response = client.get(reverse("public:atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    return feedparser.parse(response.content)


def csv_export(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(reverse("public:export_csv") + query)
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


# --- JSON feed of ClaimReview -----------------------------------------------------------------


def test_the_json_feed_holds_the_same_claimreview_as_each_claim_page(
    client: Client, summary: Summary
) -> None:
    feed = claimreview_feed(client)

    reviews = feed["claimReviews"]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [
        "Supported", "Disputed", "Unverified"
    ]
    for review in reviews:
        path = review["url"].split("127.0.0.1:8000", 1)[1]
        on_page = Page(client.get(path).content.decode()).json_ld
        assert [json.loads(on_page[0])] == [review]
    assert feed["retracted"] == []


def test_a_retraction_leaves_the_json_feed_and_is_listed_as_retracted(
    client: Client, summary: Summary, editor: User
) -> None:
    retract_summary(article=summary.article, editor=editor, note="Misattributed article.")
    feed = claimreview_feed(client)
    assert feed["claimReviews"] == []
    [retracted] = feed["retracted"]
    assert retracted["note"] == "Misattributed article."
    assert retracted["headline"] == "DPRK-Russia ties progress"
    assert retracted["url"].endswith(f"/published/{summary.article_id}/")


# --- Atom ----------------------------------------------------------------------------------


def test_the_atom_feed_lists_published_summaries(
    reviewer: User, editor: User, client: Client, summary: Summary
) -> None:
    make.reviewed_article(reviewer, editor, title="Never published")
    feed = atom(client)
    assert feed.bozo == 0, feed.bozo_exception
    [entry] = feed.entries
    assert entry.title == "DPRK-Russia ties progress"
    assert entry.link.endswith(f"/published/{summary.article_id}/")
    assert "1 supported, 1 disputed, 1 unverified, 1 not checkable" in entry.summary


def test_corrections_and_retractions_say_so_in_the_atom_feed(
    reviewer: User, editor: User, client: Client, summary: Summary
) -> None:
    article = summary.article
    make.final(
        article.claims.get(type=Claim.Type.STATISTIC), "disputed", reviewer=reviewer,
        editor=editor, rationale="Partner customs data show trade fell.",
    )
    publish_summary(article=article, editor=editor, correction_note="Claim 3 is now disputed.")
    [entry] = atom(client).entries
    assert entry.title == "Corrected: DPRK-Russia ties progress"
    assert "Correction (version 2): Claim 3 is now disputed." in entry.summary

    retract_summary(article=article, editor=editor, note="Misattributed article.")
    [entry] = atom(client).entries
    assert entry.title == "Retracted: DPRK-Russia ties progress"
    assert "This summary was retracted: Misattributed article." in entry.summary


# --- Markdown ------------------------------------------------------------------------------


def test_a_summary_downloads_as_markdown(client: Client, summary: Summary) -> None:
    response = client.get(reverse("public:markdown", args=[summary.article_id]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Verification summary: DPRK-Russia ties progress\n")
    assert "- Outlet: Pyongyang Times" in text
    assert "- Original: <http://www.pyongyangtimes.com.kp/?bbs=43051>" in text
    assert "## 2. Disputed\n\n> The DPRK and the Soviet Union signed a treaty" in text
    assert "## 4. Not checkable" in text
    assert "Reviewed and approved by Verification desk." in text
    assert (
        "- 2019 North Korea–Russia summit (Wikipedia, 2019-04-26) "
        "<https://en.wikipedia.org/wiki/2019_North_Korea%E2%80%93Russia_summit>, "
        "retrieved 2024-05-02"
    ) in text


def test_markdown_escapes_what_state_media_wrote(
    reviewer: User, editor: User, client: Client
) -> None:
    article = make.article(title="[Click](http://evil.example) <img src=x>", text="x")
    make.final(make.claim(article, "A *bold* claim."), "unverified", reviewer=reviewer,
               editor=editor)
    publish_summary(article=article, editor=editor)
    text = client.get(reverse("public:markdown", args=[article.pk])).content.decode()
    assert "\\[Click\\]\\(http://evil.example\\) &lt;img src=x&gt;" in text
    assert "A \\*bold\\* claim." in text


# --- CSV (the team's export) -----------------------------------------------------------------


def test_the_csv_export_needs_a_login_and_a_role(client: Client, outsider: User) -> None:
    url = reverse("public:export_csv")
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_the_csv_export_streams_claims_with_their_final_verdicts(
    reviewer: User, editor: User, reviewer_client: Client, summary: Summary
) -> None:
    rows = csv_export(reviewer_client)
    assert [r["outcome"] for r in rows] == ["supported", "disputed", "unverified", "dismissed"]
    first = rows[0]
    assert first["final_verdict"] == "supported"
    assert first["reviewer"] == "rita" and first["approved_by"] == "eddie"
    assert first["outlet"] == "Pyongyang Times"
    assert first["summary_state"] == "published" and first["summary_version"] == "1"
    assert rows[3]["final_verdict"] == ""


def test_the_csv_export_filters_like_the_queue(
    reviewer: User, editor: User, reviewer_client: Client, summary: Summary
) -> None:
    other = make.reviewed_article(reviewer, editor, title="Kim meets Shoigu",
                                  source=make.outlet("KCNA"))
    assert len(csv_export(reviewer_client)) == 8
    assert [r["sentence"][:6] for r in csv_export(reviewer_client, "?verdict=disputed")] == [
        "The DP", "The DP"
    ]
    assert len(csv_export(reviewer_client, "?type=statistic")) == 2
    assert {r["outlet"] for r in csv_export(reviewer_client, f"?outlet={other.outlet_id}")} == {
        "KCNA"
    }
    only = csv_export(reviewer_client, f"?article={other.pk}&verdict=supported")
    assert [(r["article_title"], r["outcome"]) for r in only] == [
        ("Kim meets Shoigu", "supported")
    ]


def test_a_csv_cell_never_starts_a_spreadsheet_formula(
    reviewer: User, editor: User, reviewer_client: Client
) -> None:
    article = make.article(title="=HYPERLINK(\"http://evil.example\")", text="x")
    make.claim(article, "+1 more claim")
    [row] = csv_export(reviewer_client)
    assert row["article_title"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["sentence"] == "'+1 more claim"
