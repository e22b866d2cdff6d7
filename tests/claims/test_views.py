from __future__ import annotations

import codecs

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Article

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client: Client) -> None:
    for url in (reverse("review:dashboard"), reverse("claims:article_new")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_outsider_without_a_role_is_refused(outsider: User) -> None:
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("review:dashboard")).status_code == 403


def test_the_article_page_shows_the_cleaned_text_and_detected_metadata(
    reviewer_client: Client, seed_text: str
) -> None:
    article = services.ingest_article(text=seed_text).article
    page = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "DPRK-Russia ties progress" in page
    assert "Kim Tae Ho" in page
    assert "Pyongyang Times" in page
    assert "24 April 2020" in page
    assert "Post a Comment" not in page


def test_pasting_an_article_saves_it_and_says_processing_is_queued(
    reviewer_client: Client, seed_text: str
) -> None:
    response = reviewer_client.post(reverse("claims:article_new"), {"text": seed_text}, follow=True)
    assert Article.objects.count() == 1
    assert "processing is queued" in response.content.decode()


def test_uploading_a_utf16_file_works(reviewer_client: Client, seed_text: str) -> None:
    upload = SimpleUploadedFile(
        "piece.txt", codecs.BOM_UTF16_LE + seed_text.encode("utf-16-le"), "text/plain"
    )
    reviewer_client.post(reverse("claims:article_new"), {"file": upload})
    assert Article.objects.get().byline == "Kim Tae Ho"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n", "Upload a .txt, .md or .html file."),
        ("blob.txt", b"\x00\x01\x02\x03" * 500, "binary file"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_and_saves_nothing(
    reviewer_client: Client, name: str, data: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, data)
    response = reviewer_client.post(reverse("claims:article_new"), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.count() == 0


def test_a_file_of_the_wrong_type_is_named_and_not_mistaken_for_no_file(
    reviewer_client: Client,
) -> None:
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.7 a real report")
    response = reviewer_client.post(reverse("claims:article_new"), {"file": upload})
    body = response.content.decode()
    assert "“report.pdf” is a .pdf file, not text, Markdown or HTML" in body
    assert "Paste the article&#x27;s text or choose a file" not in body
    assert "Paste the article's text or choose a file" not in body


def test_submitting_nothing_asks_for_text(reviewer_client: Client) -> None:
    response = reviewer_client.post(reverse("claims:article_new"), {"text": "  "})
    assert "Paste the article" in response.content.decode()


def test_job_status_partial_renders_alone(reviewer_client: Client, seed_text: str) -> None:
    article = services.ingest_article(text=seed_text).article
    response = reviewer_client.get(reverse("verify:job_status", args=[article.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="progress"' in body
    assert "<html" not in body
