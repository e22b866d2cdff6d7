"""The demo reference pack is marked as demo material wherever it shows: in the library, on
the review page and on published pages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.claims import published as make
from tests.workers import ROOT
from verify.models import LibraryDocument, Reference
from verify.publishing.services import publish_summary

pytestmark = pytest.mark.django_db
PACK = ROOT / "claims/fixtures/reference-pack"
DEMO_URL = "https://en.wikipedia.org/wiki/North_Korea%E2%80%93Russia_relations"


def cite(claim: Claim, source: str, url: str = DEMO_URL) -> Reference:
    passage = f"Putin visited Pyongyang in July 2000 ({source})."
    return Reference.objects.create(
        claim=claim, source=source, url=url, canonical_url=url, passage=passage,
        passage_hash=hashlib.sha256(passage.encode()).hexdigest(),
        title="North Korea–Russia relations", publisher="Wikipedia",
    )


@pytest.fixture
def demo_pack(tmp_path: Path) -> None:
    own = tmp_path / "own-note.txt"
    own.write_text("URL: https://desk.example/notes/1\nTitle: Our own note\n\nA real note.\n")
    call_command("library_import", str(PACK), str(own))


def test_library_import_marks_the_demo_pack_and_nothing_else(demo_pack: None) -> None:
    assert LibraryDocument.objects.filter(is_demo=True).count() == len(list(PACK.iterdir()))
    assert not LibraryDocument.objects.get(url="https://desk.example/notes/1").is_demo


def test_the_review_page_marks_references_drawn_from_demo_documents(
    demo_pack: None, reviewer_client: Client, claim: Claim
) -> None:
    demo = cite(claim, "library")
    fetched = cite(claim, "web", url="https://en.wikipedia.org/wiki/Kim_Jong_Un")
    html = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    ref_items = {ref.pk: html.split(f'id="ref-{ref.pk}"')[1].split("</li>")[0]
                 for ref in (demo, fetched)}
    assert "demo material" in ref_items[demo.pk]
    assert "demo material" not in ref_items[fetched.pk]
    search = reviewer_client.get(reverse("review:claim", args=[claim.pk]), {"library": "Putin"})
    assert 'class="badge demo"' in search.content.decode().split('class="library"')[1]


def test_published_pages_mark_demo_references(
    demo_pack: None, reviewer: User, editor: User, client: Client
) -> None:
    article = make.article(text="x")
    met = make.claim(article, "Putin visited Pyongyang in July 2000.")
    make.final(met, "supported", reviewer=reviewer, editor=editor,
               references=[cite(met, "library")])
    summary = publish_summary(article=article, editor=editor)
    assert summary.snapshot["claims"][0]["references"][0]["demo"] is True
    html = client.get(reverse("public:summary", args=[article.pk])).content.decode()
    assert 'class="badge demo"' in html and "demo material" in html
    markdown = client.get(reverse("public:markdown", args=[article.pk])).content.decode()
    assert "[demo material, not the publisher's text]" in markdown
