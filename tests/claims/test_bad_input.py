"""Bad articles and uploads through the real "Add an article" page, and ingestion fuzzed.

Every input gets either a clear message on the form (and nothing saved: no article, no
outlet) or a saved article that is then processed to the end. Never a server error: the
test client re-raises any exception a view lets escape. Processing runs in-process (eager
Celery) after the real commit; gathering is given no sources, so nothing leaves 127.0.0.1
and the test is about the text, not the network.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from claims import ingestion
from claims.extraction import extract
from claims.models import Article, Outlet

ARTICLE = (
    "Kim Jong Un visited the Vostochny Cosmodrome on 13 September 2023.\n\n"
    "He met President Putin there, and the two leaders held talks for four hours.\n\n"
    "Russia and the DPRK signed a treaty on comprehensive strategic partnership in 2024."
)
ARABIC = (
    "زار كيم جونغ أون قاعدة فوستوتشني الفضائية في 13 سبتمبر 2023.\n\n"
    "والتقى الرئيس بوتين هناك وأجرى الزعيمان محادثات استمرت أربع ساعات."
)
HEBREW = (
    "קים ג'ונג און ביקר בקוסמודרום ווסטוצ'ני ב-13 בספטמבר 2023.\n\n"
    "הוא נפגש שם עם הנשיא פוטין והשניים שוחחו במשך ארבע שעות."
)
CJK = (
    "金正恩2023年9月13日访问了东方航天发射场。\n\n"
    "他在那里会见了普京总统，两国领导人会谈了四个小时。\n\n"
    "김정은 위원장은 2023년 9월 13일 보스토치니 우주기지를 방문했다."
)
MONTHS = ["January", "March", "May", "July", "September", "November"]
# ~2,400 distinct checkable sentences, each a dated visit: well under ARTICLE_MAX_CHARS.
MANY_CLAIMS = "\n\n".join(
    f"Kim Jong Un visited Moscow on {day} {month} {year}."
    for year in range(1990, 2010)
    for month in MONTHS
    for day in range(1, 21)
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 8


@dataclass(frozen=True)
class Case:
    name: str
    text: str | None = None  # pasted into the text box
    upload: bytes | None = None  # or uploaded as a file
    filename: str = "article.txt"
    message: str = ""  # refused with this message; empty: saved and processed
    kept: str = ""  # for saved articles, text that must survive into Article.text


CASES = [
    Case("empty", text="", message="Paste the article’s text or choose a file."),
    Case("whitespace only", text=" \n\t\u00a0\u3000 \r\n ", message="Paste the article"),
    Case("only digits and punctuation", text="2023 — 13/09 !!! 1234 …",
         message="too few letters"),
    Case("over ARTICLE_MAX_CHARS", text="Kim visited Moscow. " * 15_000,
         message="the limit is 200,000"),
    Case("5 MB upload", upload=b"Kim visited Moscow. " * 262_144,
         message="the limit is 2,000,000"),
    Case("empty upload", upload=b"", message="The submitted file is empty."),
    Case("binary file", upload=PNG, message="binary file"),
    Case("binary file with a .txt name and no NUL", upload=bytes(range(1, 256)) * 40,
         message="text encoding could not be recognised"),
    Case("image named .png", upload=PNG, filename="photo.png",
         message="Upload a .txt, .md or .html file."),
    Case("invalid UTF-8", upload=ARTICLE.encode() + b"\n\n\xff\xfe\xc3\x28 caf\xe9",
         kept="Vostochny Cosmodrome"),
    Case("Latin-1 upload", upload=ARTICLE.replace("Putin", "Poutine à Moscou").encode("latin-1"),
         kept="Poutine à Moscou"),
    Case("UTF-16 with BOM", upload=ARTICLE.encode("utf-16"), kept="Vostochny Cosmodrome"),
    Case("UTF-16 without BOM", upload=ARTICLE.encode("utf-16-le"), kept="Vostochny Cosmodrome"),
    Case("UTF-16 big-endian without BOM", upload=ARTICLE.encode("utf-16-be"),
         kept="Vostochny Cosmodrome"),
    Case("UTF-8 with BOM", upload=codecs.BOM_UTF8 + ARTICLE.encode(), kept="Kim Jong Un"),
    Case("HTML pasted where text was expected",
         text="<html><body><nav>Home | World</nav><article>"
              + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
              + "<script>alert(1)</script></article></body></html>",
         kept="Vostochny Cosmodrome"),
    Case("HTML uploaded as .txt",
         upload=("<!doctype html><html><body>"
                 + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
                 + "</body></html>").encode(),
         kept="Vostochny Cosmodrome"),
    Case("HTML with no text", text="<html><body><div></div><p></p><span></span></body></html>",
         message="No article text was found"),
    Case("NUL characters pasted", text=ARTICLE.replace(" ", " \x00", 3),
         message="Null characters are not allowed."),
    Case("control characters", text=ARTICLE.replace(" ", " \x07\x1b[31m\x7f", 3),
         kept="Vostochny Cosmodrome"),
    Case("Arabic (right to left)", text=ARABIC, kept="فوستوتشني"),
    Case("Hebrew (right to left)", text=HEBREW, kept="פוטין"),
    Case("Chinese and Korean", text=CJK, kept="东方航天发射场"),
    Case("mixed directions with bidi controls",
         text=ARTICLE + "\n\n\u202eesrever\u202c " + ARABIC, kept="Vostochny"),
    Case("thousands of claims", text=MANY_CLAIMS, kept="on 20 November 2009."),
]


@pytest.fixture
def no_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verify.evidence.gathering.SOURCES", [])


def post(client: Client, case: Case) -> str:
    data: dict[str, object] = {"outlet": "Bad Input Gazette"}
    if case.upload is not None:
        data["file"] = SimpleUploadedFile(case.filename, case.upload)
    else:
        data["text"] = case.text
    response = client.post(reverse("claims:article_new"), data, follow=True)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def editor_client(editor: User) -> Client:
    # The form names a known outlet: since issue 17 (item 2) typing a name nobody knows
    # creates none for anyone (adding an outlet is its own step), so it exists beforehand.
    Outlet.objects.create(name="Bad Input Gazette")
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_a_clear_message_or_is_processed(
    editor_client: Client, no_sources: None, case: Case
) -> None:
    page = post(editor_client, case)

    if case.message:
        assert 'role="alert"' in page
        assert case.message.replace("’", "&#x27;") in page.replace("’", "&#x27;"), page[-3000:]
        assert not Article.objects.exists(), "a refused article was saved"
        assert Outlet.objects.count() == 1, "a refused article added an outlet"
        return

    assert "processing is queued" in page
    article = Article.objects.get()
    assert article.state == Article.State.DONE, article.error
    assert case.kept in article.text
    assert "<p>" not in article.text and "<script" not in article.text
    assert not any(ch in article.text for ch in "\x00\x07\x1b\x7f")
    assert article.content_hash == ingestion.content_hash(article.text)
    assert article.outlet is not None and article.outlet.name == "Bad Input Gazette"


@pytest.mark.django_db(transaction=True)
def test_an_article_with_thousands_of_claims_keeps_them_all(
    editor_client: Client, no_sources: None
) -> None:
    post(editor_client, Case("many", text=MANY_CLAIMS))
    article = Article.objects.get()
    assert article.state == Article.State.DONE
    assert article.claims.count() >= 2000


@pytest.mark.django_db
def test_pasting_5_mb_is_refused_on_the_form_with_the_limit_named(
    reviewer_client: Client,
) -> None:
    """5 MB pasted into the text box fits in a request but not in an article."""
    response = reviewer_client.post(
        reverse("claims:article_new"), {"text": "Kim visited Moscow. " * 262_144}
    )
    assert response.status_code == 200
    assert f"the limit is {settings.ARTICLE_MAX_CHARS:,}" in response.content.decode()
    assert not Article.objects.exists()


# --- Ingestion under fuzzing: only IngestError, never anything else -----------------------

FUZZ = hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TEXT = st.text(st.characters(codec=None), max_size=3000) | st.text(
    alphabet=st.sampled_from(list("Kim (KCNA - April 24, 2020)\n\r\t ,.-–By:Published")),
    max_size=400,
)


@FUZZ
@given(TEXT)
def test_clean_text_never_raises(text: str) -> None:
    cleaned = ingestion.clean_text(text)
    assert ingestion.clean_text(cleaned) == cleaned  # cleaning twice changes nothing


@FUZZ
@given(TEXT, st.lists(st.text(max_size=30), max_size=5))
def test_detect_metadata_never_raises(text: str, outlets: list[str]) -> None:
    ingestion.detect_metadata(ingestion.clean_text(text), outlets)
    ingestion.detect_metadata(text, outlets)


@FUZZ
@given(
    st.binary(max_size=5000)
    # surrogatepass: broken UTF-16 (lone surrogates) is among the inputs worth trying
    | TEXT.map(lambda t: t.encode("utf-16", "surrogatepass"))
    | TEXT.map(lambda t: t.encode("utf-16-le", "surrogatepass"))
    | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_decode_raises_only_ingest_errors(data: bytes) -> None:
    try:
        text = ingestion.decode(data)
    except ingestion.IngestError as exc:
        assert str(exc)  # a message a person can act on
    else:
        assert isinstance(text, str)


@FUZZ
@given(TEXT)
def test_content_hash_never_raises_and_ignores_spacing(text: str) -> None:
    digest = ingestion.content_hash(text)
    assert len(digest) == 64
    assert ingestion.content_hash(f"  {text}\n") == digest


@FUZZ
@given(
    TEXT
    | st.from_regex(r"\d{1,2} (January|Sept|May)\.?,? \d{1,5}", fullmatch=True)
    | st.from_regex(r"\d{4}-\d\d-\d\d", fullmatch=True)
)
def test_parse_date_never_raises(value: str) -> None:
    ingestion.parse_date(value)


@hypothesis_settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_extraction_never_raises(text: str) -> None:
    for claim in extract(text):
        assert 0 <= claim.span[0] <= claim.span[1] <= len(text)
