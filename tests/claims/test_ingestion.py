from __future__ import annotations

import codecs
from datetime import date

import pytest
from django.test import override_settings

from claims import ingestion, services
from claims.models import Article, Outlet


def test_it_strips_blog_chrome_from_the_seed(seed_text: str) -> None:
    cleaned = ingestion.clean_text(seed_text)
    assert "Post a Comment" not in cleaned
    assert "Previous Post" not in cleaned
    assert cleaned.endswith("(Pyongyang Times - April 24, 2020)")
    assert cleaned.startswith("DPRK-Russia ties progress")


def test_it_keeps_sentences_as_written(seed_text: str) -> None:
    cleaned = ingestion.clean_text(seed_text)
    sentence = (
        "Supreme Leader Kim Jong Un visited the Russian Federation in April 2019, which was an "
        "event of great significance"
    )
    assert sentence in cleaned
    assert "“Let us defend the Soviet Union with arms!”" in cleaned


def test_it_normalises_white_space_and_invisible_characters() -> None:
    raw = "Title\r\n\r\n\r\n\r\nA  first\u00a0sentence\u200b here.\t \nSecond line. "
    assert ingestion.clean_text(raw) == "Title\n\nA first sentence here.\nSecond line."


def test_it_detects_title_byline_outlet_and_date(seed_text: str) -> None:
    detected = ingestion.detect_metadata(ingestion.clean_text(seed_text))
    assert detected.title == "DPRK-Russia ties progress"
    assert detected.byline == "Kim Tae Ho"
    assert detected.outlet == "Pyongyang Times"
    assert detected.published == date(2020, 4, 24)


def test_it_detects_a_known_outlet_named_on_its_own_line() -> None:
    text = "Headline\nBy Ri Kyong Su\nKorean Central News Agency\n\nBody text here, long enough."
    detected = ingestion.detect_metadata(text, ["Korean Central News Agency"])
    assert detected.outlet == "Korean Central News Agency"
    assert detected.byline == "Ri Kyong Su"
    assert detected.published is None


def test_it_reads_a_short_sign_off_and_a_news_agency_dateline() -> None:
    detected = ingestion.detect_metadata(
        "Ties progress\n\nBy Kim Tae Ho\n\nText here.\n\n(Pyongyang Times - April 24, 2020)"
    )
    assert detected.title == "Ties progress" and detected.byline == "Kim Tae Ho"
    assert detected.outlet == "Pyongyang Times" and detected.published == date(2020, 4, 24)
    kcna = ingestion.detect_metadata("Talks held\nPyongyang, May 2 (KCNA) -- Talks were held.")
    assert kcna.outlet == "KCNA"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + "Привет, мир. Kim Jong Un visited.".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Привет, мир. Kim Jong Un visited.".encode("utf-16-be"),
        "Привет, мир. Kim Jong Un visited.".encode("utf-16-le"),
        codecs.BOM_UTF8 + "Привет, мир. Kim Jong Un visited.".encode(),
        "Привет, мир. Kim Jong Un visited.".encode(),
    ],
)
def test_it_decodes_unicode_files_with_and_without_bom(data: bytes) -> None:
    assert ingestion.decode(data) == "Привет, мир. Kim Jong Un visited."


def test_it_decodes_a_legacy_encoding() -> None:
    text = "Le président a visité Pyongyang en février 2000, selon l’agence. " * 3
    assert "président" in ingestion.decode(text.encode("cp1252"))


# Lines as the agencies write them. Several are short enough that a detector alone reads them
# in a Central European or DOS code page ("arrivé ŕ Pékin", "lleg¾ a Pekÿn").
AGENCY_TEXTS = {
    "french": "Le président est arrivé à Pyongyang, où il a été accueilli",
    "french_noon": "Il est arrivé à Pékin à midi, où il a été reçu par le Premier ministre.",
    "french_kcna": (
        "Pyongyang, 24 avril (KCNA) -- Le dirigeant est arrivé à Pékin à midi, où il a été reçu"
        " par le Premier ministre. Les deux hommes ont évoqué la coopération économique à venir."
    ),
    "french_cp1252_punctuation": (
        "Le dirigeant est arrivé à Pékin – “une visite très attendue”, où l’aide atteint 5 €."
    ),
    "spanish": "El presidente llegó a Pekín, donde fue recibido",
    "spanish_xinhua": (
        "Pekín, 12 mar (Xinhua) -- La cooperación económica entre ambos países aumentó un 20%"
        " este año. La delegación llegó a Pekín el miércoles y se reunió con el líder chino."
    ),
    "german": "Der Präsident traf in Moskau ein, wo er von Außenminister Lawrow begrüßt wurde.",
    "german_tass": (
        "Moskau, 3. Mai (TASS) -- Die Gespräche über wirtschaftliche Zusammenarbeit dauerten"
        " mehrere Stunden. Für Donnerstag sind weitere Treffen geplant, teilte der Sprecher mit;"
        " die Delegation äußerte sich zufrieden über die Ergebnisse."
    ),
    "russian": "Президент России прибыл в Пхеньян, где его встретил руководитель КНДР.",
    "russian_tass": (
        "Москва, 3 мая (ТАСС) -- Президент России прибыл в Пхеньян, где его встретил"
        " руководитель КНДР. Стороны обсудили экономическое сотрудничество и ситуацию на"
        " Корейском полуострове. Переговоры продлятся два дня."
    ),
    "chinese": "国家主席抵达平壤，受到朝鲜领导人的热烈欢迎。",
    "chinese_xinhua": (
        "新华社北京5月3日电 国家主席抵达平壤，受到朝鲜领导人的热烈欢迎。"
        "双方就经济合作和朝鲜半岛局势交换了意见，并签署了多项合作文件。"
    ),
    "chinese_traditional": (
        "國家主席抵達平壤，受到朝鮮領導人的熱烈歡迎。雙方就經濟合作和朝鮮半島局勢交換了意見。"
    ),
    "korean": "대통령이 평양에 도착해 지도자의 환영을 받았다.",
    "korean_kcna": (
        "평양 5월 3일 조선중앙통신 -- 대통령이 평양에 도착해 지도자의 환영을 받았다."
        " 양측은 경제 협력과 한반도 정세에 대해 의견을 교환하고 여러 협력 문서에 서명했다."
    ),
}
AGENCY_TEXTS["mixed"] = " ".join(
    AGENCY_TEXTS[name] for name in ("french", "russian", "chinese", "korean")
)
WESTERN = (
    "french",
    "french_noon",
    "french_kcna",
    "spanish",
    "spanish_xinhua",
    "german",
    "german_tass",
)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        *((name, encoding) for name in WESTERN for encoding in ("latin-1", "cp1252")),
        ("french_cp1252_punctuation", "cp1252"),
        ("russian", "cp1251"),
        ("russian", "koi8-r"),
        ("russian_tass", "cp1251"),
        ("russian_tass", "koi8-r"),
        ("chinese", "gb18030"),
        ("chinese_xinhua", "gb18030"),
        ("chinese_traditional", "big5"),
        ("korean", "euc-kr"),
        ("korean_kcna", "euc-kr"),
        ("mixed", "utf-8"),
    ],
)
def test_it_decodes_agency_text_in_its_legacy_encoding(name: str, encoding: str) -> None:
    text = AGENCY_TEXTS[name]
    assert ingestion.decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Cumhurbaşkanı Pyongyang'a geldi ve Kuzey Kore lideri tarafından karşılandı.", "cp1254"),
        ("Az elnök megérkezett Phenjanba, ahol az észak-koreai vezető fogadta.", "cp1250"),
    ],
)
def test_it_reads_cp1252_only_where_the_letters_are_western(text: str, encoding: str) -> None:
    # In cp1252 these read "Cumhurbaþkaný" and "elnök ... vezetõ": no one Western alphabet has them.
    assert ingestion.decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\xff" * 100, "binary"),
    ],
)
def test_it_refuses_files_that_are_not_text(data: bytes, message: str) -> None:
    with pytest.raises(ingestion.IngestError, match=message):
        ingestion.decode(data)


def test_html_input_becomes_text_with_metadata() -> None:
    html = """<html><head><title>Putin arrives in Pyongyang</title>
    <meta property="article:published_time" content="2024-06-19T02:45:00+09:00"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Putin arrives in Pyongyang</h1>
    <p>Russian President Vladimir Putin arrived in Pyongyang on June 19, 2024 for a state
    visit, the first since 2000. He was met at the airport by Kim Jong Un.</p>
    <p>The two leaders signed a treaty on comprehensive strategic partnership.</p>
    </article><footer>Copyright 2024</footer></body></html>"""
    text, detected = ingestion.html_to_text(html)
    assert "Vladimir Putin arrived in Pyongyang" in text
    assert "<p>" not in text
    assert "Home | World" not in text
    assert detected.published == date(2024, 6, 19)


@pytest.mark.django_db
def test_ingesting_saves_the_article_with_detected_metadata(seed_text: str) -> None:
    result = services.ingest_article(text=seed_text)
    article = Article.objects.get(pk=result.article.pk)
    assert result.created
    assert article.title == "DPRK-Russia ties progress"
    assert article.byline == "Kim Tae Ho"
    assert article.outlet is not None and article.outlet.name == "Pyongyang Times"
    assert article.published == date(2020, 4, 24)
    assert "Post a Comment" not in article.text


@pytest.mark.django_db
def test_explicit_options_win_over_detection(seed_text: str) -> None:
    result = services.ingest_article(
        text=seed_text, title="Ties", outlet="KCNA", published=date(2020, 4, 25)
    )
    article = Article.objects.get(pk=result.article.pk)
    assert (article.title, article.outlet.name, article.published) == (  # type: ignore[union-attr]
        "Ties",
        "KCNA",
        date(2020, 4, 25),
    )


@pytest.mark.django_db
def test_reingesting_the_same_text_returns_the_existing_article(seed_text: str) -> None:
    first = services.ingest_article(text=seed_text)
    again = services.ingest_article(text=seed_text.replace("’", "'").replace("\n", "\r\n  "))
    assert not again.created
    assert again.article.pk == first.article.pk
    assert "already" in again.message
    assert Article.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   \n\n  ", "!!! ??? ... 123 456"])
def test_empty_or_letterless_text_is_refused_and_nothing_saved(text: str) -> None:
    with pytest.raises(ingestion.IngestError):
        services.ingest_article(text=text)
    assert Article.objects.count() == 0
    assert Outlet.objects.count() == 0


@pytest.mark.django_db
@override_settings(ARTICLE_MAX_CHARS=1000)
def test_an_article_over_the_size_limit_is_refused_with_the_limit_named() -> None:
    with pytest.raises(ingestion.IngestError, match="limit is 1,000"):
        services.ingest_article(text="Kim Jong Un visited Russia. " * 100, outlet="KCNA")
    assert Article.objects.count() == 0
    assert Outlet.objects.count() == 0
