"""Turning what a person brings (pasted text, a file) into clean article text and metadata.

Plain functions, no database: claims.services saves the result.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit, urlunsplit

import charset_normalizer
import dateparser
from django.conf import settings

from claims import sniff
from claims.extraction.sentences import DATELINE_RE


class IngestError(ValueError):
    """Input we refuse, with a message a person can act on."""


# Lines that blogs and news sites wrap around an article. They are removed only where they
# stand alone on a line at the head or tail of the text, never from inside a paragraph.
CHROME_LINES = re.compile(
    r"""^(
        post\ a\ comment | previous\ post(\ next\ post)? | next\ post | newer\ posts?
        | older\ posts? | newer\ post\ older\ post | home | share(\ this)?(:)?
        | (share\ on\ )?(facebook|twitter|telegram|whatsapp|x|vk|email|print)
        | leave\ a\ (reply|comment) | no\ comments:? | \d+\ comments?
        | related\ (posts|articles|news):? | you\ may\ also\ like | read\ more
        | subscribe(\ to)?.* | labels?:.* | tags?:.* | copyright.* | ©.* | all\ rights\ reserved.*
        | advertisement | top | back\ to\ top | menu | search
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Quote forms that are typing accidents rather than the author's punctuation.
QUOTE_FIXES = str.maketrans({"\u00b4": "'", "\u2032": "'", "\u2033": '"', "\u201f": '"'})
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
UNSAFE = {"Cc", "Cs"}  # Unicode categories: control characters, surrogates
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# The accented letters of the Western European languages our sources publish in, and the signs
# cp1252 text carries besides them; decode judges a cp1252 reading by them.
WESTERN_ALPHABETS = (
    set("àâæçéèêëîïôœùûüÿ"),  # French
    set("áéíñóúü"),  # Spanish
    set("äöüß"),  # German
    set("àáâãçéêíóôõú"),  # Portuguese
    set("àèéìíîòóù"),  # Italian
)
WESTERN_SIGNS = set("\u00a0“”‘’‚„«»‹›–—…•·€£°§©®™¡¿´ºª")

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE_TEXT = (
    rf"(?:(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"  # April 24, 2020
    rf"|\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}}"  # 24 April 2020
    r"|\d{4}-\d\d-\d\d)"  # 2020-04-24
)
# "(Pyongyang Times - April 24, 2020)", "(KCNA, 14 September 2023)"
SIGN_OFF = re.compile(rf"^\(\s*(?P<outlet>[^()\d]+?)\s*[-–—,:]\s*(?P<date>{DATE_TEXT})\s*\)\s*$")
BYLINE = re.compile(r"^By\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4})\s*$")
DATED_LINE = re.compile(rf"^(?:Published|Posted|Date|Updated)?:?\s*(?P<date>{DATE_TEXT})\s*$", re.I)


@dataclass(frozen=True)
class Detected:
    """What the text itself says about the article; explicit options win over it."""

    title: str = ""
    byline: str = ""
    outlet: str = ""
    published: date | None = None


def decode(data: bytes) -> str:
    """Bytes of an uploaded file to text: BOMs first, then UTF-8, then a detector."""
    if not data.strip():
        raise IngestError("The file is empty.")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_strict(data, encoding)
    if kind := sniff.binary_kind(data):
        raise IngestError(
            f"This file is {kind}, not text: a binary file. Upload the article as .txt, .md "
            "or .html (open the file and save or copy its text)."
        )
    if b"\x00" in data[:4000]:
        # UTF-16 without a BOM: every other byte of Latin text is NUL.
        sample = data[:4000]
        for encoding, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
            if zeros.count(0) > len(sample) // 3:
                try:
                    text = _decode_strict(data, encoding)
                except IngestError:
                    continue  # NULs but no UTF-16: binary, said below
                if _mostly_ascii(text):
                    return text
        raise IngestError("This looks like a binary file, not text. Upload .txt, .md or .html.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError("The file's text encoding could not be recognised; save it as UTF-8.")
    text = str(best)
    # A short Latin-1 or cp1252 text gives the detector too little to tell it from the Central
    # European, Baltic and DOS code pages, which share ASCII and some accented letters: French
    # "arrivé à" came back "arrivé ą", Spanish "llegó" as "lleg¾". So when the detector read
    # Latin script and the cp1252 reading spells one Western language, cp1252 wins; a Turkish
    # or Hungarian text in cp1252 mixes letters no one Western alphabet has ("elnök vezetõ").
    western = _western_cp1252(data)
    if western is not None and _latin_script(text):
        return western
    return text


def _western_cp1252(data: bytes) -> str | None:
    """The cp1252 reading of data, if its accented letters all belong to one Western alphabet."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    accented = {ch.lower() for ch in text if not ch.isascii() and ch not in WESTERN_SIGNS}
    return text if any(accented <= alphabet for alphabet in WESTERN_ALPHABETS) else None


def _latin_script(text: str) -> bool:
    """Whether every letter is Latin: the detector saw no Russian, Greek or Chinese text."""
    return all(
        ch.isascii() or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN")
        for ch in text
    )


def _mostly_ascii(text: str) -> bool:
    """BOM-less UTF-16 is only guessed for Latin text; binary data decodes to noise."""
    sample = text[:2000]
    return sum(32 <= ord(ch) < 127 or ch in "\n\r\t" for ch in sample) > 0.5 * len(sample)


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper().removesuffix("-SIG").removesuffix("-LE").removesuffix("-BE")
        raise IngestError(f"The file is not valid {name} text.") from exc


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return (
        "<html" in head
        or "<body" in head
        or "<!doctype html" in head
        or (len(re.findall(r"</?(p|div|span|br|a|h[1-6])\b", head)) >= 3)
    )


def html_to_text(html: str) -> tuple[str, Detected]:
    """Main text and metadata of an HTML page; trafilatura is used as a parser only."""
    import trafilatura  # heavy import: only when HTML arrives

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    doc = extracted if isinstance(extracted, dict) or extracted is None else extracted.as_dict()
    if not doc or not (doc.get("text") or "").strip():
        raise IngestError("No article text was found in this HTML.")
    published = None
    if doc.get("date"):
        try:
            published = date.fromisoformat(doc["date"][:10])
        except ValueError:
            published = None
    detected = Detected(
        title=(doc.get("title") or "").strip(),
        byline=(doc.get("author") or "").strip(),
        outlet=(doc.get("sitename") or "").strip(),
        published=published,
    )
    return doc["text"], detected


def clean_text(text: str) -> str:
    """Normalise white space, invisible characters and stray quote forms; drop site chrome.

    Sentences are left as they were written: only spacing and the head and tail lines that a
    blog or news site adds around an article change.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(INVISIBLE)
    # Control characters and lone surrogates (from broken UTF-16) cannot be stored or shown.
    # They go first, so that nothing they separated meets afterwards and cleaning twice
    # changes nothing.
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in UNSAFE)
    text = unicodedata.normalize("NFC", text).translate(QUOTE_FIXES)
    text = text.replace("``", '"').replace("''", '"')
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    while lines and (not lines[-1] or CHROME_LINES.match(lines[-1])):
        lines.pop()
    while lines and (not lines[0] or CHROME_LINES.match(lines[0])):
        lines.pop(0)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def detect_metadata(text: str, known_outlets: list[str] | None = None) -> Detected:
    """Title (the first line), byline ("By Kim Tae Ho"), outlet and date from the text."""
    lines = [line for line in text.split("\n") if line.strip()]
    title = lines[0] if lines and len(lines[0]) <= 300 else ""
    byline = outlet = ""
    published = None
    outlets = {name.casefold(): name for name in known_outlets or []}
    for line in lines[:12]:
        if not outlet and (m := DATELINE_RE.match(line)):
            outlet = m["agency"] or m["agency2"] or ""  # "Pyongyang, May 2 (KCNA) --"
        if not byline and (m := BYLINE.match(line)):
            byline = m["name"]
        elif not outlet and line.casefold() in outlets:
            outlet = outlets[line.casefold()]
        elif published is None and (m := DATED_LINE.match(line)):
            published = parse_date(m["date"])
    for line in reversed(lines[-5:]):
        if m := SIGN_OFF.match(line):
            outlet = outlet or m["outlet"].strip()
            published = published or parse_date(m["date"])
            break
    return Detected(title=title, byline=byline, outlet=outlet, published=published)


def parse_date(value: str) -> date | None:
    parsed = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


def content_hash(text: str) -> str:
    """Hash of the text with case, quotes and spacing folded, to recognise a re-paste."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"[\u2018\u2019\u201a\u201b`]", "'", folded)
    folded = re.sub(r"[\u201c\u201d\u201e\u00ab\u00bb]", '"', folded)
    folded = " ".join(folded.split())
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


def validate(text: str) -> None:
    if not text.strip():
        raise IngestError("The article is empty: paste or upload its text.")
    limit = settings.ARTICLE_MAX_CHARS
    if len(text) > limit:
        raise IngestError(
            f"The article is {len(text):,} characters long; the limit is {limit:,}. "
            "Split it or raise ARTICLE_MAX_CHARS."
        )
    letters = sum(ch.isalpha() for ch in text[:20000])
    if letters < min(20, len(text.strip()) // 2):
        raise IngestError("This does not look like article text (too few letters).")


# Query parameters that say how a reader arrived, not which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "spm",
    }
)


def canonical_url(url: str) -> str:
    """Scheme, `www.`, default port, tracking parameters (utm_*, fbclid…), fragment and
    trailing slash folded, so one page is one article (claims.monitoring, ingest_article) and one
    reference (verify.evidence.gathering)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not _is_tracking(pair.partition("=")[0].lower())
    )
    return urlunsplit(("", host, path, query, ""))[2:]


def _is_tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMS
