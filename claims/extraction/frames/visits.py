"""Visits and meetings: who went where, who met whom, hosted or inspected."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import lexicon
from ..entities import Entry, Mention
from ..model import EntityRef
from .base import (
    AGENTS,
    Frame,
    SentenceView,
    destination,
    first_after,
    noun_phrase_end,
    ref_for_span,
    subject_before,
    within,
)

_HERE = "|".join(map(re.escape, lexicon.mapping("frames.HERE")["words"]))
HERE_RE = re.compile(rf"\s+(?:{_HERE})\b", re.I)
VISIT_VERB_RE = re.compile(
    r"\b(?:visited|visits|(?:paid|pays|pay)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to"
    r"|paid\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to"
    r"|made\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to|arrived\s+(?:in|at)|arrives\s+(?:in|at)"
    # agency style: "arrived here on Wednesday", the dateline's place
    rf"|arrive[sd](?=\s+(?:{_HERE})\b)"
    r"|travell?ed\s+to|toured"
    # "is paying a state visit to", "will travel to", "will visit", "stayed in Moscow from"
    r"|paying\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to"
    r"|(?<=will\s)(?:also\s+)?(?:visit|travel\s+to)|stayed\s+in(?=\s+[A-Z][^,.;]*?\bfrom\b)"
    # headlines capitalise: "Delegation Wraps Up Visit to Russia"
    r"|(?i:(?:wraps|wrapped|wrapping|concludes|concluded|ends|ended)\s+(?:up\s+)?"
    r"(?:its\s+|his\s+|her\s+|their\s+|the\s+)?(?:[\w-]+\s+){0,2}?visit\s+to))\b"
)
VISIT_NOUN_RE = re.compile(
    r"\b(?P<prep>on|during|in|after|following)\s+(?:an?|his|her|its|their|the)\s+"
    r"(?:[\w-]+\s+){0,3}?visit\s+to\b"
    r"|\b(?P<own>[A-Z][\w'\u2019]*['\u2019]s|his|her|their)\s+(?:[\w-]+\s+){0,3}?visit\s+to\b"
    r"|\bvisit\s+to\s+(?=(?:the\s+)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*\s+by\b)"
)
MEET_VERB_RE = re.compile(
    r"\b(?:met(?:\s+with)?|meets(?:\s+with)?"
    r"|(?:held|had|holds?)\s+(?:[\w-]+\s+){0,3}?(?:talks|conversation|meeting)\s+with"
    r"|conferred\s+with|received|greeted|welcomed)\b"
)
MEET_JOINT_RE = re.compile(
    r"\b(?:held|hold|had)\s+(?:[\w-]+\s+){0,2}?(?:rounds?\s+of\s+)?(?:talks|summit|summit talks"
    r"|a summit|a meeting)\b"
)
MEET_NOUN_RE = re.compile(
    r"\b(?:summit(?:\s+(?:meeting|talks))?|meeting|talks)(?:\s+and\s+talks)?\b", re.I
)
CONCRETE_RE = re.compile(
    r"\b(?:agreed|signed|discussed|exchanged|adopted|concluded|reached|issued|inked|held"
    r"|took place)\b"
)


def _visits_and_meetings(
    view: SentenceView, consumed: Sequence[tuple[int, int] | None]
) -> list[Frame]:
    text = view.text
    triggers: list[tuple[int, int, str]] = []
    for m in VISIT_VERB_RE.finditer(text):
        triggers.append((m.start(), m.end(), "visit"))
    for m in VISIT_NOUN_RE.finditer(text):
        triggers.append((m.start(), m.end(), "visit_noun"))
    for m in MEET_VERB_RE.finditer(text):
        triggers.append((m.start(), m.end(), "meet"))
    for m in HOSTED_RE.finditer(text):
        triggers.append((m.start(), m.end(), "host"))
    for m in EXCHANGE_RE.finditer(text):
        triggers.append((m.start(), m.end(), "exchange"))
    for m in INSPECT_RE.finditer(text):
        triggers.append((m.start(), m.end(), "inspect"))
    triggers.sort()
    frames: list[Frame] = []
    clause_start = 0
    main: EntityRef | None = None
    skip_until = -1
    for start, end, kind in triggers:
        if start < skip_until or within((start, end), consumed):
            continue
        if any(f.trigger[0] < end and start < f.trigger[1] for f in frames):
            continue  # "wrapped up his visit to" matches as a verb and as a noun
        if kind == "visit":
            frame = _verbal_visit(view, start, end, clause_start, main)
        elif kind == "visit_noun":
            frame = _nominal_visit(view, start, end, clause_start, main)
        elif kind == "host":
            frame = _hosted(view, start, end, clause_start, main)
        elif kind == "exchange":
            frame = _exchange(view, start, end, clause_start, main)
        elif kind == "inspect":
            frame = _inspection(view, start, end, clause_start, main)
        else:
            met, skip_until = _verbal_meeting(view, start, end, clause_start, main)
            frame = met[0] if met else None
        if frame is None:
            continue
        main = main or frame.speaker or frame.subject
        frame.speaker = None
        frames.append(frame)
        if kind == "meet":
            frames += met[1:]
        last = max(frames, key=lambda f: f.trigger[1])
        obj_m = first_after(view, last.trigger[1], ("state", "place", "org", "person"), 80)
        clause_start = max(obj_m.end if obj_m else last.trigger[1], last.trigger[1])
    if not any(f.type == "meeting" for f in frames):
        frames += _joint_or_nominal_meeting(view, consumed, frames)
    return frames


# "hosted a reception in honour of the delegation": host and guest met.
HOSTED_RE = re.compile(
    r"\b(?:hosted|gave|arranged|held)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:reception|banquet"
    r"|dinner|luncheon|lunch|welcome\s+ceremony)\s+(?:in\s+honou?r\s+of|for)\s+"
)


# "A and B exchanged messages of greeting", "X exchanged letters with Y": a dated act of both
# sides (a date_event, also in a headline that leaves the date to the lead; not a meeting,
# since nobody met).
EXCHANGE_RE = re.compile(
    r"\b(?:exchanged|exchanges?)\s+(?:[\w-]+\s+){0,2}?(?:messages|letters|greetings"
    r"|telegrams|congratulations)\b",
    re.I,
)
# "inspected the X Complex", headline "Inspects X", "gave on-the-spot guidance at X": a visit to
# the place inspected.
INSPECT_RE = re.compile(
    r"\b(?:inspected|(?:[Ii]nspects)|(?:gave|gives|Gives|provided)\s+(?:field\s+)?(?:on-the-spot"
    r"\s+)?guidance\s+(?:to|at))(?=\s)"
)


def _exchange(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    text = view.text
    with_m = re.match(r"(?:\s+of\s+[\w\s-]{0,30}?)?\s+with\s+", text[end:])
    sides = [
        m
        for m in view.mentions
        if clause_start <= m.start and m.end <= start and m.ref.kind in AGENTS
    ]
    subject: EntityRef | None
    obj: EntityRef | None = None
    if with_m:
        subject = subject_before(view, start, clause_start, main)
        other = _party_at(view, end + with_m.end()) or first_after(
            view, end + with_m.end(), AGENTS, 40
        )
        obj = other.ref if other else None
    else:
        # "A, <title>, and B, <title>, exchanged": the first side and the one after "and".
        subject = sides[0].ref if sides else None
        obj = next(
            (
                m.ref
                for m in sides[1:]
                if m.ref != subject and re.search(r"\band\s*$", text[: m.start])
            ),
            None,
        )
    if subject is None or obj is None or subject == obj:
        return None
    return Frame("date_event", (start, end), subject, obj, cue="exchange of messages", base=0.55)


def _inspection(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    text = view.text
    subject = subject_before(view, start, clause_start, main)
    pos = end + len(text[end:]) - len(text[end:].lstrip())
    np_end = noun_phrase_end(text, pos)
    tail = re.search(r"(?:\s+(?:on|in|at|for|during|to|from))+$", text[pos:np_end])
    np_end -= len(tail.group()) if tail else 0
    if subject is None or np_end <= pos:
        return None
    obj = ref_for_span(view, pos, np_end, "org")
    city = first_after(view, np_end, ("place",), 40)
    frame = Frame(
        "visit",
        (start, end),
        subject,
        obj,
        city.ref if city else None,
        cue="inspection",
        base=0.6,
    )
    frame.speaker = subject
    return frame


# "He was accompanied by X, secretary of ...": the companion took part in the leader's act.
ACCOMPANIED_RE = re.compile(r"\b(?:was|were)\s+accompanied\s+by\s+")


def _accompanied(view: SentenceView) -> list[Frame]:
    m = ACCOMPANIED_RE.search(view.text)
    if m is None:
        return []
    companion = _party_at(view, m.end())
    leader = subject_before(view, m.start(), 0, None)
    if companion is None or leader is None or companion.ref == leader:
        return []
    return [
        Frame("other", (m.start(), m.end()), companion.ref, leader, cue="accompanied", base=0.5)
    ]


def _party_at(view: SentenceView, pos: int) -> Mention | None:
    """The name right after "with": also a titled name the gazetteer lacks ("talks with
    Deputy Prime Minister X"), which the recogniser leaves unlinked."""
    return next(
        (m for m in view.mentions if m.start == pos and m.ref.kind in (*AGENTS, "other")), None
    )


def _hosted(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    host = subject_before(view, start, clause_start, main)
    guest_m = next((m for m in view.mentions if m.start == end and m.ref.kind in AGENTS), None)
    guest = guest_m.ref if guest_m else None
    if guest is None:
        np = re.match(
            r"(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:delegation|guests?|visitors?)\b", view.text[end:]
        )
        guest = ref_for_span(view, end, end + np.end(), "org") if np else None
    if host is None or guest is None or host == guest:
        return None
    return Frame("meeting", (start, end), host, guest, cue="hosted a reception", base=0.6)


def _verbal_visit(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    subject = subject_before(view, start, clause_start, main)
    target = first_after(view, end, ("state", "place", "org"), 60)
    obj, place = destination(view, target)
    here = view.ctx.dateline_place
    if target is None and here is not None and HERE_RE.match(view.text, end):
        # "Kim arrived here on Wednesday": agency copy's "here" is the dateline's place.
        obj, place = destination(view, here)
    gap = re.match(r"\s+(?:the\s+)?", view.text[end:])
    landmark = _party_at(view, end + gap.end()) if gap else None
    if landmark is not None and landmark.ref.kind == "other":
        # "visited the Friendship Tower": the landmark the gazetteer lacks is what was visited.
        obj = landmark.ref
    if obj is None:
        return None
    if place is None:
        city = first_after(view, target.end if target else end, ("place",), 80)
        place = city.ref if city and city.entry and city.entry.country else None
    frame = Frame(
        "visit",
        (start, end),
        subject,
        obj,
        place,
        cue=f"visit verb '{view.text[start:end]}'",
        base=0.6,
    )
    frame.speaker = subject
    return frame


def _nominal_visit(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    text = view.text
    own = re.match(r"([A-Z][\w'\u2019]*)['\u2019]s", text[start:end])
    visitor: EntityRef | None = None
    if re.match(r"(?:after|following)\b", text[start:end]):
        # "The delegation returned home after a visit to X": the clause's subject visited.
        visitor = subject_before(view, start, clause_start, main)
    elif own:
        visitor = next(
            (
                m.ref
                for m in view.mentions
                if m.end == start + len(own.group(1)) and m.ref.kind in AGENTS
            ),
            None,
        )
    if visitor is None:
        before = [m for m in view.mentions if m.end <= start and m.ref.kind == "person"]
        visitor = before[-1].ref if before else main
    target = first_after(view, end, ("state", "place", "org"), 40)
    obj, place = destination(view, target)
    if obj is None:
        return None
    frame = Frame("visit", (start, end), visitor, obj, place, cue="visit", base=0.55)
    frame.flags.add("needs_date")  # "on a visit to Russia" is backdrop unless dated
    return frame


COUNTERPART_RE = re.compile(r"\s+(?:his|her|its|their)\s+(?:[\w-]+\s+){0,2}?counterparts?,?\s+")
# Between two names of a list: ", ", " and ", ", and also " and titles the
# recogniser left outside the name ("and Prime Minister Jane Roe").
LIST_GAP_RE = re.compile(
    r"(?:\s*,)?\s+(?:and\s+)?(?:(?:[A-Z][\w'\u2019-]*|of|the)\s+){0,8}|\s*,\s*"
)


def _met_party(view: SentenceView, end: int) -> Mention | None:
    """Who was met: the first agent after the verb; "his Lao counterpart Jane Roe"
    names the counterpart even when the name is not in the gazetteer."""
    cp = COUNTERPART_RE.match(view.text, end)
    if cp:
        named = next((m for m in view.mentions if m.start == cp.end()), None)
        if named is not None:
            return named
    found = first_after(view, end, ("person", "state", "org"), 40)
    if found is None:
        gap = re.match(r"\s+", view.text[end:])
        found = _party_at(view, end + gap.end()) if gap else None
    return found


_PASSIVE = lexicon.mapping("frames.PASSIVE_MEETING")
PASSIVE_AUX_RE = re.compile(
    r"\b(?:" + "|".join(_PASSIVE["auxiliaries"]) + r")\s+(?:[a-z]+ly\s+)?$", re.I
)
PASSIVE_AGENT_RE = re.compile(
    rf"[^.;:]{{0,{int(_PASSIVE['reach'])}}}?\b{re.escape(_PASSIVE['agent'])}\s+"
)


def _passive_agent(view: SentenceView, start: int, end: int) -> tuple[Mention | None, int]:
    """ "X was (courteously) received at the station by Y, minister of ...": Y, the side
    that met X (a person before the state of their title), and where the auxiliary starts
    (X stands before it); (None, start) when the verb is active."""
    window = max(0, start - 30)
    aux = PASSIVE_AUX_RE.search(view.text[window:start])
    agent = PASSIVE_AGENT_RE.match(view.text, end) if aux else None
    if aux is None or agent is None:
        return None, start
    # The agent's own phrase runs to the first comma or semicolon: "by Governor Jane Roe, ..."
    # or "by Jane Roe, Minister of ...". A person the gazetteer knows, else the name the
    # phrase ends with (a title comes before it), else the first party after "by".
    stop = re.compile(r"[,;]|$").search(view.text, agent.end())
    phrase_end = min(
        stop.start() if stop else len(view.text), agent.end() + int(_PASSIVE["title_reach"])
    )
    inside = [m for m in view.mentions if agent.end() <= m.start and m.end <= phrase_end]
    person = next((m for m in inside if m.ref.kind == "person"), None)
    named = [m for m in inside if m.ref.kind in ("person", "other")]
    found = person or (named[-1] if named else None) or _met_party(view, agent.end())
    return found, window + aux.start()


def _listed_people(view: SentenceView, first: Mention) -> list[Mention]:
    """ "met A, B and C": every person of a list that starts with ``first``."""
    out = [first]
    while out[-1].ref.kind == "person":
        last = out[-1]
        nxt = next((m for m in view.mentions if m.start >= last.end), None)
        if nxt is None or nxt.ref.kind != "person" or nxt.ref in [m.ref for m in out]:
            break
        gap = view.text[last.end : nxt.start]
        if not LIST_GAP_RE.fullmatch(gap) or not re.search(r",|\band\b", gap):
            break
        out.append(nxt)
    return out


def _verbal_meeting(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> tuple[list[Frame], int]:
    text = view.text
    passive, before = _passive_agent(view, start, end)
    other = passive or _met_party(view, end)
    if other is None:
        return [], -1
    subject = subject_before(view, before if passive else start, clause_start, main)
    visit = re.match(
        r"\s*,?\s*(?:who\s+(?:is|was)\s+)?(?:on|during)\s+(?:an?|his|her"
        r"|their)\s+(?:[\w-]+\s+){0,3}?visit\s+to\b",
        text[other.end :],
    )
    if visit:
        # "A met B on a visit to C" reports B's visit to C.
        vend = other.end + visit.end()
        target = first_after(view, vend, ("state", "place", "org"), 40)
        obj, place = destination(view, target)
        if obj is not None:
            frame = Frame(
                "visit", (start, vend), other.ref, obj, place, cue="met on a visit", base=0.6
            )
            frame.speaker = subject
            return [frame], vend
    if passive is None and text[start:end].startswith("received") and other.start - end > 12:
        return [], -1
    frames: list[Frame] = []
    for party in _listed_people(view, other):
        frame = Frame(
            "meeting",
            (start, end) if party is other else (party.start, party.end),
            subject,
            party.ref,
            cue=f"meeting verb '{text[start:end]}'",
            base=0.6,
        )
        if frames:
            frame.shares_date = frames[0]
        frames.append(frame)
    return frames, -1


# A sentence may report a meeting named earlier when it stands at the meeting ("At the
# talks, both sides agreed ...") or points back to its two sides ("the top leaders of the two
# countries"); "Following the talks, ..." reports what came after, not the meeting.
AT_MEETING_RE = re.compile(
    r"^(?:At|During|In the course of)\s+the\s+(?:[\w-]+\s+){0,2}?(?:summit|talks|meeting)\b"
)
TWO_SIDES_RE = re.compile(
    r"\b(?:[Tt]he|[Bb]oth)\s+(?:two\s+)?(?:top\s+)?(?:leaders|heads\s+of\s+state)\s+of\s+the"
    r"\s+two\s+countries\b"
)


def _context_pair(view: SentenceView) -> tuple[Entry, Entry] | None:
    """Sides named in earlier sentences, only for a sentence about the meeting itself;
    otherwise the two latest names would invent a meeting."""
    if not AT_MEETING_RE.match(view.text):
        return None
    return view.ctx.leader_pair()


def _joint_or_nominal_meeting(
    view: SentenceView, consumed: Sequence[tuple[int, int] | None], frames: list[Frame]
) -> list[Frame]:
    text = view.text
    joint = MEET_JOINT_RE.search(text)
    if joint and TWO_SIDES_RE.search(text, 0, joint.start()):
        # "The top leaders of the two countries held five rounds of summit talks".
        pair = view.ctx.leader_pair()
        if pair:
            frame = Frame(
                "meeting",
                (joint.start(), joint.end()),
                pair[0].ref,
                pair[1].ref,
                cue="talks of the two leaders",
                base=0.6,
            )
            frame.flags.add("context_sides")
            return [frame]
    for m in MEET_NOUN_RE.finditer(text):
        if within((m.start(), m.end()), consumed):
            continue
        persons = [x for x in view.mentions if x.ref.kind in ("person", "state")]
        with_m = re.match(r"\s+(?:with|between)\s+", text[m.end() :])
        frame = Frame("meeting", (m.start(), m.end()), cue="summit/talks", base=0.45)
        if with_m:
            first = first_after(
                view, m.end() + with_m.end(), ("person", "state", "org"), 30
            ) or _party_at(view, m.end() + with_m.end())
            if first is not None:
                frame.object = first.ref
                other = next(
                    (p.ref for p in persons if p.ref != first.ref and p.ref.kind == "person"), None
                )
                if other is None and first.entry:
                    pair = _context_pair(view)
                    other = next(
                        (e.ref for e in (pair or ()) if e.country != first.entry.country), None
                    )
                frame.subject = other
                frame.base = 0.6
                return [frame]
        if any(f.type == "visit" for f in frames):
            return []
        pair = _context_pair(view)
        if pair and CONCRETE_RE.search(text):
            frame.subject, frame.object = pair[0].ref, pair[1].ref
            frame.cue = "summit/talks with an outcome"
            frame.flags.add("context_sides")
            return [frame]
        break  # the sides, if any, are named in this sentence ("A and B held talks")
    joint = MEET_JOINT_RE.search(text)
    if joint:
        before = [
            x for x in view.mentions if x.end <= joint.start() and x.ref.kind in ("person", "state")
        ]
        sides = (
            (before[-2].ref, before[-1].ref)
            if len(before) >= 2
            else _joint_subject(view, joint.start())
        )
        if sides:
            return [
                Frame(
                    "meeting",
                    (joint.start(), joint.end()),
                    sides[0],
                    sides[1],
                    cue="held talks",
                    base=0.6,
                )
            ]
    return []


def _joint_subject(view: SentenceView, trig: int) -> tuple[EntityRef, EntityRef] | None:
    """ "Xi and Kim held talks": a known person and a name the gazetteer could not
    settle, joined by "and" right before the verb; the second side is the last name."""
    before = [x for x in view.mentions if x.end <= trig]
    if len(before) < 2 or view.text[before[-1].end : trig].strip():
        return None
    last = before[-1]
    # "A and B held talks"; headlines write "A, B hold talks".
    joined = re.compile(r"[^,;]*\s+and\s+[^,;]*|\s*,\s*(?:[A-Z][\w'\u2019-]*\s+){0,2}")
    first = next(
        (
            x
            for x in reversed(before[:-1])
            if x.ref.kind in ("person", "state") and joined.fullmatch(view.text[x.end : last.start])
        ),
        None,
    )
    if first is None or view.text[: first.start].strip():
        return None
    return first.ref, last.ref


def find(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: visits, meetings and who accompanied whom, outside the words an
    anniversary reads."""
    consumed = [f.consumes for f in earlier if f.consumes and f.type == "anniversary"]
    return _visits_and_meetings(view, consumed) + _accompanied(view)
