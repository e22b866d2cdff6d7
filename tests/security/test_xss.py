"""XSS, server side (issue 8, item 14): attack strings in every field a person or a source
can fill, rendered on every page that shows them; the HTML holds them only as text.

Each payload enters through the code that takes such input in real life: the article
through ingest_article, claims through add_claim_from_selection and edit_claim, references
as a source returns them (verify.evidence.gathering.store_candidates) and from the
library, verdicts,
comments, returns and corrections through the review and publishing services. The same
corpus and builder drive tests/browser/test_xss_browser.py, which renders the pages in
headless Chromium.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from api.models import ApiToken, Delivery, Webhook
from claims.models import Article, Claim, Feed, Outlet
from claims.services import ingest_article
from verify.events import publishing as event_publishing
from verify.evidence.gathering import store_candidates
from verify.evidence.sources.base import Candidate
from verify.models import (
    Event,
    EventMembership,
    GatherJob,
    LibraryDocument,
    Reference,
    SavedFilter,
)
from verify.publishing import markdown_text
from verify.publishing import services as publishing
from verify.review import services

# What every payload tries to do: set a flag the browser test reads, and open a dialog.
JS = "window.__xss=1;alert(1)"
PAYLOADS = [
    f"<script>{JS}</script>",
    f'<img src=x onerror="{JS}">',
    f"<img src=x onerror={JS}//",
    f'<svg onload="{JS}"><circle r=1></svg>',
    f"<svg><script>{JS}</script></svg>",
    f'"><img src=x onerror="{JS}">',
    f"'><svg onload='{JS}'>",
    f'" autofocus onfocus="{JS}" x="',
    f"' onmouseover='{JS}' x='",
    f'<details open ontoggle="{JS}">',
    f'<input autofocus onfocus="{JS}">',
    f'<body onload="{JS}">',
    f"javascript:{JS}",
    f" JaVaScRiPt:{JS}",
    f"java\tscript:{JS}",
    f"data:text/html,<script>{JS}</script>",
    f'<a href="javascript:{JS}">link</a>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    f"</script><script>{JS}</script>",
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"<!--<img src=x onerror={JS}>-->",
    f"--><script>{JS}</script><!--",
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<base href="javascript:{JS}//">',
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"&lt;script&gt;{JS}&lt;/script&gt;",  # double decoding
    f"\\u003cscript\\u003e{JS}\\u003c/script\\u003e",  # JSON escapes as text
    f"\uff1cscript\uff1e{JS}\uff1c/script\uff1e",  # fullwidth < and >
    f"<scr\u200bipt>{JS}</scr\u200bipt>",  # zero-width space inside the tag name
    f"\u202e<script>{JS}</script>\u202c",  # right-to-left override
    "{{ 7|add:7 }}{% now 'Y' %}{% debug %}{{ request.user }}",  # Django template syntax
    "${7*7} #{7*7} {{constructor.constructor('alert(1)')()}}",  # other template engines
]
DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "poster"}
NEVER_RENDERED = {"iframe", "img", "object", "embed", "base", "style", "math", "frame",
                  "frameset", "template", "applet"}
HEAD_ONLY = {"meta", "link"}  # (<title> also labels the SVG bars of the stats page)


@dataclass
class Poisoned:
    article: Article
    claims: list[Claim]
    references: list[Reference]
    event: Event


def _joined(payloads: list[str], limit: int) -> str:
    return " ".join(payloads)[:limit]


def poison(payloads: list[str], *, reviewer: User, editor: User) -> Poisoned:
    """An article, claim i carrying payload i in every field, reviewed, published twice."""
    reviewer.first_name = _joined(payloads, 150)
    reviewer.save(update_fields=["first_name"])
    lines = [f"Claim {i}: {p} was said in Pyongyang." for i, p in enumerate(payloads)]
    article = ingest_article(
        text="\n".join(lines), title=_joined(payloads, 500), byline=_joined(payloads, 200),
        outlet="Outlet " + _joined(payloads, 190), source_url="https://example.org/a?q="
        + quote(payloads[0]), user=reviewer, is_html=False,
    ).article
    text_lines = article.text.split("\n")
    claims, references = [], []
    for i, p in enumerate(payloads):
        quote_ = next(line for line in text_lines if line.startswith(f"Claim {i}:"))
        claim = services.add_claim_from_selection(article=article, user=reviewer, quote=quote_,
                                                  type=Claim.Type.QUOTE)
        fields = {name: p[:300] for name in ("subject_name", "object_name", "place_name",
                                             "speaker_name", "occasion")}
        services.edit_claim(claim=claim, user=reviewer, changes=fields, expected_version=1)
        # As a fact-check API or GDELT would return it: title, publisher, passage and URL are
        # whatever the source says (the URL's query carries the payload unencoded, to try
        # breaking out of the href attribute).
        store_candidates(claim, "factcheck", [
            Candidate(url=f"https://example.org/r?q={p}", title=p, publisher=p[:200],
                      passage=f"{p} — Kim met Putin."),
        ])
        found = Reference.objects.get(claim=claim, source="factcheck")
        document = LibraryDocument.objects.create(
            url=f"https://library.example.org/{i}", title=p, publisher=p[:200],
            text=f"{p}\n\nKim Jong Un met Vladimir Putin.",
        )
        services.add_library_reference(claim=claim, document=document, user=reviewer)
        review = services.submit_review(claim=claim, reviewer=reviewer, verdict="disputed",
                                        rationale=p, references=[found], expected_version=2)
        services.return_review(review=review, editor=editor, comment=p, expected_version=3)
        review = services.submit_review(claim=claim, reviewer=reviewer, verdict="disputed",
                                        rationale=p, references=[found], expected_version=4)
        services.approve_review(review=review, editor=editor, expected_version=5)
        services.add_comment(claim=claim, author=editor, body=p)
        # A tag on the claim and the article (queue rows, both pages), and a mention that
        # puts the payload in the desk's notifications on the dashboard.
        services.add_tags(target=claim, names=[p.replace(",", " ")[:50]], by=reviewer)
        services.add_tags(target=article, names=[f"a {p}".replace(",", " ")[:50]], by=reviewer)
        services.add_comment(claim=claim, author=reviewer, body=f"@{editor.username} {p}")
        GatherJob.objects.create(claim=claim, source="gdelt", state=GatherJob.State.FAILED,
                                 error=p)
        SavedFilter.objects.create(user=editor, name=f"{i} {p}"[:100], query=f"q={quote(p)}")
        # A feed whose address and last error carry the payload (monitor's feeds page).
        Feed.objects.create(outlet=article.outlet, url=f"https://feeds.example.org/{i}?q={p}",
                            last_error=p)
        ApiToken.issue(user=editor, name=p)  # the token page lists the names people typed
        # The webhooks page lists names and URLs editors typed (a refused address: nothing
        # is ever sent), and each delivery's last error.
        Webhook.objects.create(name=p[:100], url=f"https://10.0.0.1/{i}?q={p}"[:500],
                               secret="s", events=list(Webhook.Event.values), created_by=editor)
        claims.append(claim)
        references.append(found)
    # Where on_commit runs (the browser test's live server), the extractor has found its own
    # claims in these lines too; the desk dismisses them, so only the poisoned ones publish.
    for found_claim in article.claims.exclude(pk__in=[c.pk for c in claims]):
        services.dismiss_claim(claim=found_claim, user=reviewer, reason=payloads[0],
                               expected_version=found_claim.version)
    event = Event.objects.create(name=_joined(payloads, 300), date_start=date(2019, 4, 25),
                                 date_end=date(2019, 4, 25),
                                 parties=[{"key": p[:20], "name": p} for p in payloads],
                                 places=[{"key": p[:20], "name": p} for p in payloads])
    for claim in claims:
        EventMembership.objects.create(event=event, claim=claim, reason=payloads[-1])
    # A state outlet a source contradicts: the event is on the disagreements page.
    Outlet.objects.filter(pk=article.outlet_id).update(is_state_media=True)
    Reference.objects.filter(pk__in=[r.pk for r in references]).update(
        stance=Reference.Stance.CONTRADICTS)
    publishing.publish_summary(article=article, editor=editor)
    event_publishing.publish_event(event=event, editor=editor)
    first = claims[0]
    review = services.submit_review(claim=first, reviewer=reviewer, verdict="unverified",
                                    rationale=f"{payloads[-1]} (corrected)",
                                    expected_version=first.version)
    services.approve_review(review=review, editor=editor, expected_version=first.version)
    publishing.publish_summary(article=article, editor=editor,
                               correction_note=_joined(payloads, 2000))
    event_publishing.publish_event(event=event, editor=editor,
                                   correction_note=_joined(payloads, 2000))
    Delivery.objects.update(last_error=_joined(payloads, 500))
    for claim in claims:  # a verdict waiting for approval shows on the review page
        claim.refresh_from_db()
        services.submit_review(claim=claim, reviewer=reviewer, verdict="unverified",
                               rationale=payloads[claims.index(claim)],
                               expected_version=claim.version)
    return Poisoned(article, claims, references, event)


def html_pages(world: Poisoned, payloads: list[str]) -> list[str]:
    """Every page of the desk and of the public site that shows what `poison` stored, and
    the pages that echo a search back."""
    a = world.article.pk
    probe = quote(payloads[0])
    pages = [
        reverse("review:dashboard"), reverse("claims:articles"), f"/articles/{a}/",
        f"/queue/?status=any&q={probe}", "/queue/?status=proposed", f"/published/manage/{a}/",
        "/published/", f"/published/?q={probe}", f"/published/{a}/", f"/published/{a}/v1/",
        "/published/stats/", "/monitor/feeds/", reverse("public:credit"),
        reverse("api:tokens"), reverse("api:webhooks"),
        reverse("events:list"), reverse("events:detail", args=[world.event.pk]),
        reverse("events:discrepancies"), reverse("events:published", args=[world.event.pk]),
        reverse("events:published_version", args=[world.event.pk, 1]),
        # The outlet picker lists every outlet's names; adding one echoes ?name= back.
        reverse("claims:article_new"), f"{reverse('claims:outlet_new')}?name={probe}",
    ]
    for claim in world.claims:
        pages += [f"/claims/{claim.pk}/", f"/claims/{claim.pk}/?library={probe}",
                  f"/published/{a}/claims/{claim.pk}/"]
    return pages


class Markup(HTMLParser):
    """Collects what a page would make a browser do: elements, attributes, script blocks,
    and the text it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.texts: list[str] = []
        self.in_body = False
        self.script: dict[str, str | None] | None = None
        self.json_ld: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "body":
            if self.in_body:
                self.problems.append("a second <body>")
            self.in_body = True
        if tag in NEVER_RENDERED or (tag in HEAD_ONLY and self.in_body):
            self.problems.append(f"<{tag}> {attrs}")
        for name, value in attrs:
            self.texts.append(value or "")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            cleaned = re.sub(r"[\x00-\x20]", "", value or "")
            favicon = tag == "link" and cleaned == "data:,"  # base.html's empty favicon
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(cleaned) and not favicon:
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self.script = found
            ok = (found.get("type") == "application/ld+json"
                  or ((found.get("src") or "").startswith("/static/") and found.get("nonce")))
            if not ok:
                self.problems.append(f"<script {attrs}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            if self.script.get("type") == "application/ld+json":
                self.json_ld.append(data)
            elif data.strip():
                self.problems.append(f"inline script {data[:80]!r}")
        else:
            self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"a comment <!--{data[:60]}-->")


def inspect(page: str, payloads: list[str]) -> tuple[list[str], str]:
    """Problems the page has, and all its text (attribute values included)."""
    parser = Markup()
    parser.feed(page)
    parser.close()
    problems = list(parser.problems)
    for block in parser.json_ld:
        json.loads(block)  # a `</script>` in a claim must not have ended the block early
    # A JSON-LD block is data, not markup: there only "</script" and "<!--" could break out
    # (checked above by parsing it); elsewhere no payload with markup characters may be raw.
    outside = re.sub(r'<script type="application/ld\+json">.*?</script>', "", page, flags=re.S)
    for p in payloads:
        if re.search(r"[<>\"'&]", p) and p in outside:
            problems.append(f"raw payload in the HTML: {p!r}")
    return problems, "\n".join(parser.texts)


@pytest.fixture
def desk(reviewer: User, editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_every_page_shows_the_payload_as_text_only(
    payload: str, reviewer: User, editor: User, desk: Client
) -> None:
    world = poison([payload], reviewer=reviewer, editor=editor)
    problems, seen = [], []
    for url in html_pages(world, [payload]):
        response = desk.get(url)
        assert response.status_code == 200, url
        found, text = inspect(response.content.decode(), [payload])
        problems += [f"{url}: {p}" for p in found]
        seen.append(text)
    assert problems == []
    # Not vacuous: the payload was rendered, whole, as text the reader can see.
    assert payload.strip() in "\n".join(seen)


@pytest.mark.django_db
def test_messages_and_echoed_searches_escape_the_payload(
    reviewer: User, editor: User, desk: Client
) -> None:
    world = poison(["Plain words"], reviewer=reviewer, editor=editor)
    claim = world.claims[0]
    for payload in PAYLOADS:
        with transaction.atomic():  # each payload alone: one's escaped form may be another
            responses = posted_and_echoed(desk, claim, payload)
            transaction.set_rollback(True)
        for response in responses:
            assert response.status_code == 200
            problems, text = inspect(response.content.decode(), [payload])
            assert problems == [], payload
            assert payload[:100].strip() in text


def posted_and_echoed(desk: Client, claim: Claim, payload: str) -> list[Any]:
    return [
        desk.post(reverse("review:filter_save"), {"name": payload[:100], "query": ""},
                  follow=True),
        desk.get(reverse("review:queue"), {"q": payload, "status": "any"}),
        desk.get(claim.get_absolute_url(), {"library": payload}),
        desk.get(reverse("public:index"), {"q": payload}),
        desk.post(reverse("review:comment", args=[claim.pk]), {"body": payload},
                  follow=True),
    ]


@pytest.mark.django_db
def test_feeds_and_exports_carry_the_payload_as_data_never_as_html(
    reviewer: User, editor: User, desk: Client
) -> None:
    world = poison(PAYLOADS, reviewer=reviewer, editor=editor)
    a = world.article.pk
    atom = desk.get(reverse("public:atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(atom.content)  # noqa: S314 - our own feed; must be well-formed XML
    titles = [e.text or "" for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(PAYLOADS[0] in t for t in titles)

    reviews = desk.get(reverse("public:claimreview_json"))
    assert reviews["Content-Type"] == "application/json"
    claimed = {r["claimReviewed"] for r in reviews.json()["claimReviews"]}
    assert any(PAYLOADS[0] in c for c in claimed)

    others = [desk.get(f"/published/{a}/summary.md"), desk.get(reverse("public:export_csv"))]
    for response in [atom, reviews, *others]:
        # Never text/html, and the browser may not sniff one: the payload stays inert text.
        assert "html" not in response["Content-Type"]
        assert response["X-Content-Type-Options"] == "nosniff"
    # In Markdown the payload is carried escaped, so that a Markdown viewer shows it as text
    # (tests/security/test_markdown.py renders it); raw, `<script>` would be live HTML there.
    assert markdown_text.text(PAYLOADS[0]) in others[0].content.decode()
    assert PAYLOADS[0] not in others[0].content.decode()


SCRIPT_URLS = [f"javascript:{JS}", f" JaVaScRiPt:{JS}", f"java\tscript:{JS}",
               f"data:text/html,<script>{JS}</script>", "vbscript:msgbox(1)"]


@pytest.mark.django_db
def test_a_link_a_source_returns_never_gets_a_script_url(
    reviewer: User, editor: User, desk: Client
) -> None:
    """A fact-check API or GDELT answer names the URL of each item; a hostile or broken one
    must not turn "open the reference" into running a script on the desk or the public site."""
    world = poison(["Plain words"], reviewer=reviewer, editor=editor)
    claim = world.claims[0]
    store_candidates(claim, "factcheck",
                     [Candidate(url=u, title=f"Report {i}") for i, u in enumerate(SCRIPT_URLS)])
    cited = list(Reference.objects.filter(claim=claim, title__startswith="Report"))
    claim.refresh_from_db()
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="disputed",
                                    rationale="See the reports.", references=cited,
                                    expected_version=claim.version)
    services.approve_review(review=review, editor=editor, expected_version=claim.version)
    publishing.publish_summary(article=world.article, editor=editor, correction_note="More.")
    problems = []
    for url in html_pages(world, ["Plain words"]):
        found, _text = inspect(desk.get(url).content.decode(), [])
        problems += [f"{url}: {p}" for p in found]
    assert problems == []
