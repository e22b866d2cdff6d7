"""What the independent attack of issue 16 sent the forms and parameters, case by case:
each gets 400 (or an empty result) with a message, or a form error, and nothing is saved.

Item 2: NUL bytes and impossible cursors; item 3: the URL limit; item 7: the length of
free text; item 8: claim dates; item 9: outlets created through the article form; item 10:
an archive uploaded as .html. tests/security/test_fuzz.py then fuzzes every parameter of
every view.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims.forms import ArticleForm
from claims.models import Article, Claim, Outlet
from claims.services import ingest_article
from config import limits
from tests.claims.test_bad_input import ARTICLE
from verify.models import Comment, LibraryDocument, Reference, Review, Summary
from verify.publishing import services as publishing
from verify.review import services
from verify.review.forms import ClaimFieldsForm, parse_partial_date

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published(reviewer: User, editor: User) -> Article:
    article = ingest_article(text=ARTICLE, title="Cosmodrome visit", user=editor,
                                      queue=False).article
    claim = services.add_claim_from_selection(
        article=article, user=reviewer, type=Claim.Type.VISIT,
        quote="Kim Jong Un visited the Vostochny Cosmodrome on 13 September 2023.",
    )
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="unverified",
                                    rationale="No second report.", expected_version=1)
    services.approve_review(review=review, editor=editor, expected_version=2)
    publishing.publish_summary(article=article, editor=editor)
    return article


def cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


# --- Item 2: each request the attack sent, as it sent it --------------------------------

BAD_GETS = [
    ("/published/?q=%00", "NUL character"),
    ("/published/?q=Kim%00Jong", "NUL character"),
    ("/claims/{claim}/?library=%00", "NUL character"),
    ("/published/export/claims.csv?status=%00", "NUL character"),
    ("/published/export/claims.csv?type=%00&status=final", "NUL character"),
    ("/queue/?after=" + cursor(["0001-01-01T00:00:00+23:59", 1]), "page link is not valid"),
    ("/queue/?after=" + cursor(["9999-12-31T23:59:59-23:59", 1]), "page link is not valid"),
    ("/queue/?after=" + cursor([10**400, 1]), "page link is not valid"),
    ("/queue/?sort=article&after=" + cursor([10**400, 1, 1]), "page link is not valid"),
    ("/queue/?sort=suggestion&after=" + cursor([10**400, 1]), "page link is not valid"),
    ("/queue/?after=" + cursor(["2026-01-01T00:00:00", 2**63]), "page link is not valid"),
    ("/queue/?after=" + cursor(["2026-01-01T00:00:00+00:00", -1]), "page link is not valid"),
]


@pytest.mark.parametrize(("url", "message"), BAD_GETS, ids=[u[:40] for u, _ in BAD_GETS])
def test_a_bad_parameter_is_a_400_with_a_message(
    url: str, message: str, editor: User, published: Article
) -> None:
    claim = published.claims.get()
    response = client_for(editor).get(url.format(claim=claim.pk))
    assert response.status_code == 400
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert message in body.decode()


def test_a_good_cursor_still_pages(editor: User, published: Article) -> None:
    """The control: a cursor of the right shape is still taken."""
    at = published.claims.get().created_at.isoformat()
    response = client_for(editor).get("/queue/", {"status": "any", "after": cursor([at, 0])})
    assert response.status_code == 200


NOTES = {"public:publish": "correction_note", "public:retract": "note"}


@pytest.mark.parametrize("name", NOTES)
@pytest.mark.parametrize("note", ["Misdated\x00.", "x" * (limits.NOTE_MAX_LENGTH + 1)],
                         ids=["NUL", "overlong"])
def test_a_bad_correction_or_retraction_note_saves_nothing(
    name: str, note: str, editor: User, published: Article
) -> None:
    services.edit_claim(claim=published.claims.get(), user=editor,
                        changes={"place_name": "Vostochny"}, expected_version=3)
    before = list(Summary.objects.values_list("id", "state", "correction_note"))
    response = client_for(editor).post(reverse(name, args=[published.pk]), {NOTES[name]: note})
    assert response.status_code == 400
    assert list(Summary.objects.values_list("id", "state", "correction_note")) == before
    page = response.content.decode()
    # The form refuses the NUL (Django's own validator) or the length, and says so.
    assert (
        "Null characters are not allowed" in page
        or f"at most {limits.NOTE_MAX_LENGTH} characters" in page
    )


# --- Item 3: one limit for a URL ---------------------------------------------------------

@pytest.mark.parametrize("length", [2000, 2001, 2048])
def test_a_source_url_longer_than_the_column_is_a_form_error(length: int, reviewer: User) -> None:
    url = "https://example.org/" + "a" * (length - len("https://example.org/"))
    response = client_for(reviewer).post(reverse("claims:article_new"),
                                         {"text": ARTICLE, "source_url": url})
    if length <= limits.URL_MAX_LENGTH:
        assert response.status_code == 302
        assert Article.objects.get().source_url == url
    else:
        assert response.status_code == 200
        assert f"at most {limits.URL_MAX_LENGTH} characters" in response.content.decode()
        assert not Article.objects.exists()


def test_every_url_column_and_form_share_the_one_limit() -> None:
    columns = [Article._meta.get_field("source_url"), Article._meta.get_field("canonical_url"),
               Reference._meta.get_field("url"), LibraryDocument._meta.get_field("url")]
    assert {c.max_length for c in columns} == {limits.URL_MAX_LENGTH}
    assert ArticleForm().fields["source_url"].max_length == limits.URL_MAX_LENGTH


# --- Item 7: every free-text field has a limit, on the form and the model ------------------

FREE_TEXT = [
    (Review, "rationale", limits.RATIONALE_MAX_LENGTH),
    (Comment, "body", limits.COMMENT_MAX_LENGTH),
    (Summary, "correction_note", limits.NOTE_MAX_LENGTH),
    (Claim, "reason", limits.DISMISS_REASON_MAX_LENGTH),
]


@pytest.mark.parametrize(("model", "field", "limit"), FREE_TEXT,
                         ids=[f"{m.__name__}.{f}" for m, f, _ in FREE_TEXT])
def test_the_model_refuses_free_text_over_its_limit(model: type, field: str, limit: int) -> None:
    column = model._meta.get_field(field)
    assert column.max_length == limit
    column.clean("x" * limit, None)
    with pytest.raises(ValidationError):
        column.clean("x" * (limit + 1), None)


FORM_POSTS = [  # (url name, field, limit, what must not grow)
    ("review:comment", "body", limits.COMMENT_MAX_LENGTH, Comment),
    ("review:verdict", "rationale", limits.RATIONALE_MAX_LENGTH, Review),
    ("review:claim_dismiss", "reason", limits.DISMISS_REASON_MAX_LENGTH, None),
    ("review:claim_add", "quote", limits.QUOTE_MAX_LENGTH, Claim),
]


@pytest.mark.parametrize(("name", "field", "limit", "model"), FORM_POSTS,
                         ids=[n for n, *_ in FORM_POSTS])
def test_a_5_mb_entry_is_refused_by_the_form(
    name: str, field: str, limit: int, model: type | None, editor: User, published: Article
) -> None:
    claim = published.claims.get()
    reason = claim.reason
    url = reverse(name, args=[published.pk if name == "review:claim_add" else claim.pk])
    data = {field: "x" * 5_000_000, "version": claim.version, "verdict": "unverified",
            "type": "other"}
    count = model.objects.count() if model else None
    response = client_for(editor).post(url, data)
    assert response.status_code in (302, 422)
    assert (model.objects.count() if model else None) == count
    claim.refresh_from_db()
    assert claim.version == 3 and claim.reason == reason
    if response.status_code == 422:
        assert f"at most {limit} characters" in response.content.decode()


# --- Item 8: claim dates -----------------------------------------------------------------

GOOD_DATES = [("2019", "year"), ("2019-04", "month"), ("2019-04-25", "day"), ("0900", "year")]
BAD_DATES = ["+2019", "1_000", "٢٠١٩", "۲۰۱۹-۰۴", "２０１９", "2019-1-1", "2019-4", "19",
             "20190", "2019-04-25 ", "2019-04-25\n", " 2019", "2019-13", "2019-02-30", "0000",
             "2019/04/25", "-2019", "2019-04-", "１９４９"]


@pytest.mark.parametrize(("value", "precision"), GOOD_DATES)
def test_a_date_in_one_of_the_three_shapes_is_taken_with_its_precision(
    value: str, precision: str
) -> None:
    assert parse_partial_date(value)[2] == precision


@pytest.mark.parametrize("value", BAD_DATES)
def test_any_other_date_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(value)


def fields_form(**changes: str) -> ClaimFieldsForm:
    return ClaimFieldsForm({"type": "visit", "version": "1", **changes})


@pytest.mark.parametrize("value", ["+2019", "1_000", "٢٠١٩", "2019-1-1"])
def test_the_edit_form_refuses_a_loose_date(value: str) -> None:
    form = fields_form(date_value=value)
    assert not form.is_valid()
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(form.errors["date_value"])


@pytest.mark.parametrize(("value", "precision"), [("2019", "day"), ("2019", "month"),
                                                  ("2019-04", "day"), ("2019-04-25", "year")])
def test_a_precision_that_does_not_match_the_date_is_refused(value: str, precision: str) -> None:
    form = fields_form(date_value=value, date_precision=precision)
    assert not form.is_valid()
    assert "precision" in str(form.errors["date_precision"])


def test_a_matching_or_blank_precision_is_taken() -> None:
    assert fields_form(date_value="2019-04", date_precision="month").is_valid()
    form = fields_form(date_value="2019-04-25")
    assert form.is_valid() and form.cleaned_data["date_precision"] == "day"


# --- Item 9: creating an outlet needs add_outlet -----------------------------------------

@pytest.fixture
def kcna(db: None) -> Outlet:
    return Outlet.objects.create(name="Korean Central News Agency", domains=["kcna.kp"])


def post_article(user: User, outlet: str) -> tuple[int, str]:
    response = client_for(user).post(reverse("claims:article_new"),
                                     {"text": ARTICLE, "outlet": outlet})
    return response.status_code, response.content.decode()


def test_a_reviewer_cannot_create_an_outlet_by_typing_its_name(
    reviewer: User, kcna: Outlet
) -> None:
    status, page = post_article(reviewer, "Totally New Agency")
    assert status == 200
    assert "No outlet is called “Totally New Agency”" in page
    assert list(Outlet.objects.values_list("name", flat=True)) == [kcna.name]
    assert not Article.objects.exists()


@pytest.mark.parametrize("named", ["korean central news agency", "kcna.kp", "www.kcna.kp",
                                   "https://kcna.kp/en/"])
def test_a_reviewer_picks_an_existing_outlet_by_name_or_domain(
    named: str, reviewer: User, kcna: Outlet
) -> None:
    status, _page = post_article(reviewer, named)
    assert status == 302
    assert Article.objects.get().outlet == kcna
    assert Outlet.objects.count() == 1


def test_an_outlet_the_text_names_is_not_created_for_a_reviewer(reviewer: User) -> None:
    response = client_for(reviewer).post(reverse("claims:article_new"), {
        "text": "Pyongyang, May 2 (Unknown Agency) -- " + ARTICLE})
    assert response.status_code == 302  # the article is saved, without an outlet
    assert Article.objects.get().outlet is None
    assert not Outlet.objects.exists()


def test_an_editor_may_create_an_outlet(editor: User) -> None:
    # Since issue 17 (item 2) typing the name creates nothing, for an editor too: adding an
    # outlet is its own step, which asks whether it is state media; then the form picks it.
    status, _page = post_article(editor, "Totally New Agency")
    assert status == 200 and not Outlet.objects.exists()
    added = client_for(editor).post(reverse("claims:outlet_new"),
                                    {"name": "Totally New Agency", "is_state_media": "no"})
    assert added.status_code == 302
    status, _page = post_article(editor, "Totally New Agency")
    assert status == 302
    assert Article.objects.get().outlet == Outlet.objects.get(name="Totally New Agency")


# --- Item 10: an archive uploaded as .html ---------------------------------------------------

def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.html", "<p>" + ARTICLE + "</p>")
    return buffer.getvalue()


UPLOADS = [
    ("article.html", zipped(), "zip archive"),
    ("article.htm", zipped(), "zip archive"),
    ("article.txt", b"\x1f\x8b\x08\x00" + bytes(400), "gzip archive"),
    ("article.md", b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF document"),
    ("article.html", b"\x7fELF\x02\x01\x01" + bytes(300), "program"),
    ("article.html", b"\x00" * 10 + bytes(range(256)) * 8, "binary file"),
]


@pytest.mark.parametrize(("name", "data", "kind"), UPLOADS, ids=[k for *_, k in UPLOADS])
def test_an_archive_or_binary_upload_is_named_as_such(
    name: str, data: bytes, kind: str, reviewer: User
) -> None:
    response = client_for(reviewer).post(reverse("claims:article_new"),
                                         {"file": SimpleUploadedFile(name, data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert kind in page
    assert "binary file" in page
    assert "UTF-16" not in page and "encoding" not in page
    assert not Article.objects.exists()
