"""Documents: named treaties, agreements, declarations and resolutions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import EntityRef
from .base import AGENTS, Frame, SentenceView, noun_phrase_end, ref_for_span, within

DOC_HEADS = (
    r"Declaration|Treaty|Agreement|Accord|Pact|Protocol|Charter|Communiqu[e\u00e9]|Convention"
    r"|Memorandum|Joint Statement"
)
DOC_CAP_RE = re.compile(rf"\b(?:{DOC_HEADS})\b")
DOC_LEFT_RE = re.compile(r"(?:(?:[A-Z][\w'\u2019]*(?:-[A-Z][\w'\u2019]*)*|of|on|and|the)\s+)*$")
DOC_RIGHT_RE = re.compile(
    r"\s+(?:on|of|between)\s+(?:the\s+)?(?:[A-Z][\w'\u2019-]*(?:,?\s+(?:and\s+|of\s+|the\s+"
    r"|on\s+)*[A-Z][\w'\u2019-]*)*)"
)
DOC_LOWER_RE = re.compile(
    r"\b(?P<head>treaty|agreement|accord|declaration|pact|protocol|memorandum"
    r"|convention|joint\s+statement|documents)\s+(?P<prep>on|of|between)\s+",
    re.I,
)
# "UN Security Council resolution 2270": numbered resolutions are documents.
DOC_RESOLUTION_RE = re.compile(
    r"\b(?:(?:UN\s+|U\.N\.\s+|United\s+Nations\s+)?Security\s+Council\s+)?[Rr]esolutions?"
    r"\s+(?:No\.\s*)?\d{2,4}\b"
)
# "signed 11 intergovernmental documents": the documents of a signing, counted.
DOC_COUNT_RE = re.compile(
    r"\b(?:signed|adopted|inked|concluded|exchanged)\s+(?:\d+|two|three|four|five|six|seven"
    r"|eight|nine|ten|dozens\s+of|several)\s+(?P<np>(?:[\w-]+\s+){0,4}?(?:documents|agreements"
    r"|memorand(?:ums|a)|accords|contracts))\b"
)
# "the treaty" after a verb of ratifying or signing refers back to a document named before.
DOC_BACK_RE = re.compile(
    r"\b(?:ratified|signed|approved|endorsed|implemented|violated)\s+the\s+(?P<np>treaty"
    r"|agreement|declaration|accord|pact)\b(?!\s+(?:on|of|between)\b)"
)
# "The treaty was signed in Beijing on ...": a document named by its kind alone.
DOC_PASSIVE_RE = re.compile(
    r"\b[Tt]he\s+(?P<np>treaty|agreement|declaration|accord|pact|protocol|memorandum|contract)"
    r"\s+(?:was|were)\s+(?:signed|concluded|inked)\b"
)
# "signed a plan of consultations", headline "sign roadmap of ...": plans signed are documents.
DOC_SIGNED_RE = re.compile(
    r"\b(?:signed|signs?|inked)\s+(?:an?\s+|the\s+)?(?P<np>(?:plan|programme|program|roadmap"
    r"|road\s+map)\s+(?:of|on|for)\s)"
)
# "the X Corridor, agreed upon during Y's visit": a named arrangement agreed at a visit.
DOC_AGREED_RE = re.compile(
    r"(?P<np>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)+)(?:\s+between\s+[A-Z][\w-]*\s+and"
    r"\s+[A-Z][\w-]*)?,\s+(?:agreed\s+(?:upon|on)|signed|concluded|adopted)\s+during\b"
)
# "..., signed during X's visit to Y in May 2009": the document shares the visit's date.
DURING_VISIT_RE = re.compile(
    r"(?:\s+between\s[^,;]*)?,?\s+(?:which\s+was\s+)?(?:agreed\s+(?:upon|on)|signed|concluded"
    r"|adopted)\s+during\s+[^,;]*$"
)
# "the purposes and principles of the UN Charter" invoke a norm, they report no act.
DOC_NORM_RE = re.compile(r"\b(?:purposes|principles|spirit|norms)\s+of\s+(?:the\s+)?$")


def signed_during_visit(view: SentenceView, frames: list[Frame]) -> None:
    """ "The Declaration, signed during X's visit to Y in October 2001, ...": the document
    takes the visit's date and, with no other party named, the visited country."""
    for doc in frames:
        if doc.type != "treaty_document":
            continue
        for visit in frames:
            gap = view.text[doc.trigger[1] : visit.trigger[0]]
            if (
                visit.type == "visit"
                and visit.trigger[0] >= doc.trigger[1]
                and DURING_VISIT_RE.match(gap)
            ):
                doc.shares_date = visit
                break


def _documents(view: SentenceView) -> list[Frame]:
    spans: list[tuple[int, int]] = []
    text = view.text
    for mention in view.mentions:
        if mention.ref.kind == "document":
            spans.append((mention.start, mention.end))
    for m in DOC_CAP_RE.finditer(text):
        left = DOC_LEFT_RE.search(text, 0, m.start())
        start = m.start()
        if left:
            words = text[left.start() : m.start()].split()
            heads = [i for i, w in enumerate(words) if DOC_CAP_RE.fullmatch(w.strip(","))]
            if heads:  # never reach back over an earlier document's name
                words = words[heads[-1] + 1 :]
            while words and words[0].lower() in ("the", "of", "on", "and"):
                words.pop(0)
            start = m.start() - len(" ".join(words)) - (1 if words else 0)
        right = DOC_RIGHT_RE.match(text, m.end())
        end = right.end() if right else m.end()
        if start == m.start() and end == m.end():
            continue  # a bare "the Agreement" names nothing checkable
        spans.append((start, end))
    for m in DOC_LOWER_RE.finditer(text):
        if text[m.start()].isupper() and DOC_CAP_RE.match(text, m.start()):
            continue
        np_end = noun_phrase_end(text, m.end())
        tail = text[m.end() : np_end].lower()
        if not tail or tail.startswith(("the two", "both", "this", "that", "it")):
            continue
        spans.append((m.start(), np_end))
    spans += [(m.start(), m.end()) for m in DOC_RESOLUTION_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_COUNT_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_BACK_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_PASSIVE_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_AGREED_RE.finditer(text)]
    for m in DOC_SIGNED_RE.finditer(text):
        np_end = noun_phrase_end(text, m.start("np"))
        dangling = re.search(r"(?:\s+(?:for|of|on|in|at|to))+$", text[m.start("np") : np_end])
        spans.append((m.start("np"), np_end - (len(dangling.group()) if dangling else 0)))
    frames = []
    for start, end in _merge(spans):
        if DOC_NORM_RE.search(text, 0, start):
            continue
        subject = ref_for_span(view, start, end, "document")
        if subject and not subject.kind:
            subject = EntityRef(subject.name, subject.qid, "document")
        frames.append(
            Frame(
                "treaty_document",
                (start, end),
                subject,
                _other_party(view, start, end),
                cue="named document",
                base=0.7,
            )
        )
    return frames


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -x[1])):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _other_party(view: SentenceView, start: int, end: int) -> EntityRef | None:
    """The document's other party: "with B"; the second of two states signing ("Russia,
    India sign ..."); else the state named after the document, or the country of the
    person or, last, the city named after it ("signed in New Delhi")."""
    party = _party_after(view, end)
    if party is not None:
        return party
    before = [m for m in view.mentions if m.end <= start]
    if len(before) >= 2 and all(m.ref.kind == "state" for m in before[-2:]):
        gap = view.text[before[-2].end : before[-1].start]
        if re.fullmatch(r"\s*(?:,|and)\s*(?:the\s+)?", gap):
            return before[-1].ref
    after = [m for m in view.mentions if m.start >= end]
    for kinds in (("state",), ("person",), ("place",)):
        for m in reversed(after):
            if m.ref.kind not in kinds:
                continue
            if kinds == ("state",):
                return m.ref
            country = view.gaz.country_of(m.entry) if m.entry else None
            if country is not None:
                return country.ref
    return None


def _party_after(view: SentenceView, end: int) -> EntityRef | None:
    m = re.match(r"\s+(?:\w+\s+){0,3}?with\s+", view.text[end:])
    if not m:
        return None
    return next(
        (x.ref for x in view.mentions if x.start >= end + m.end() and x.ref.kind in AGENTS), None
    )


def find(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: treaties, declarations and other documents, outside the words an
    anniversary already reads ("the 20th anniversary of the Treaty")."""
    consumed = [f.consumes for f in earlier if f.consumes]
    return [f for f in _documents(view) if not within(f.trigger, consumed)]
