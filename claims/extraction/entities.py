"""Gazetteer lookup, title resolution and unlinked names.

Lookup is exact on normalised token sequences (accents, hyphens and
apostrophes folded away), never fuzzy: "Kim Jong Un" and "Kim Jong Il" differ
by one token and a similarity threshold would merge them.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import lexicon
from .model import DateValue, EntityRef
from .text import Token, fold_phrase, fold_word, tokenize

DEFAULT_PATH = Path(__file__).with_name("gazetteer.json")


@dataclass(frozen=True)
class Entry:
    name: str
    qid: str | None
    kind: str
    country: str | None = None

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.name, self.qid, self.kind)


@dataclass(frozen=True)
class Pattern:
    """One alias as folded tokens plus, per token, the case the text must show:
    "A" all capitals (acronyms: "US" is not "us"), "C" capital initial, "*" any."""

    folds: tuple[str, ...]
    cases: tuple[str, ...]

    def accepts(self, raws: list[str]) -> bool:
        for case, raw in zip(self.cases, raws, strict=False):
            if case == "A" and not raw.isupper():
                return False
            if case == "C" and not raw[:1].isupper():
                return False
        return True


def _pattern(alias: str) -> Pattern | None:
    toks = tokenize(alias)
    if not toks:
        return None
    cases = tuple(
        "A" if len(t.raw) > 1 and t.raw.isupper() else "C" if t.raw[:1].isupper() else "*"
        for t in toks
    )
    return Pattern(tuple(t.fold for t in toks), cases)


@dataclass
class _Index:
    by_first: dict[str, list[tuple[Pattern, list[Entry]]]] = field(default_factory=dict)

    def add(self, alias: str, entry: Entry) -> None:
        pat = _pattern(alias)
        if pat is None:
            return
        bucket = self.by_first.setdefault(pat.folds[0], [])
        for existing, entries in bucket:
            if existing == pat:
                if entry not in entries:
                    entries.append(entry)
                return
        bucket.append((pat, [entry]))
        bucket.sort(key=lambda item: -len(item[0].folds))  # longest alias first

    def match(self, tokens: list[Token], i: int) -> tuple[int, list[Entry]] | None:
        """Longest alias starting at token ``i``: (end token index, entries).
        The alias may end in a possessive ("Putin's"); see ``possessive_cut``."""
        first = tokens[i].fold
        buckets = [self.by_first.get(first, [])]
        stem = _possessive_stem(tokens[i])
        if stem:
            buckets.append(self.by_first.get(stem, []))
        for pat, entries in itertools.chain(*buckets):
            n = len(pat.folds)
            if i + n > len(tokens):
                continue
            window = tokens[i : i + n]
            folds = [t.fold for t in window]
            if tuple(folds[:-1]) != pat.folds[:-1] or pat.folds[-1] not in (
                folds[-1],
                _possessive_stem(window[-1]),
            ):
                continue
            if not _contiguous(window) or not pat.accepts([t.raw for t in window]):
                continue
            return i + n, entries
        return None


def _possessive_stem(tok: Token) -> str | None:
    """ "putin" for "Putin's": the tokenizer keeps the apostrophe inside the word."""
    if tok.raw[-2:] in ("'s", "\u2019s") and len(tok.raw) > 3:
        return tok.fold[:-1]
    return None


def _end(tok: Token) -> int:
    """End offset of a name, without a possessive 's."""
    return tok.end - 2 if _possessive_stem(tok) else tok.end


def _contiguous(window: list[Token]) -> bool:
    # Tokens of one alias may be separated by space, hyphen or dot only, not by
    # a comma or a line break ("Kim Jong Un, Putin" must not glue names).
    return all(b.start - a.end <= 2 for a, b in itertools.pairwise(window))


class Gazetteer:
    def __init__(self) -> None:
        self.names = _Index()
        self.titles = _Index()
        self.demonyms: dict[str, Entry] = {}
        self.nationalities: dict[tuple[str, ...], Entry] = {}  # whole demonyms, folded
        self.by_qid: dict[str, Entry] = {}
        self.roles: dict[Entry, frozenset[str]] = {}  # generic roles named in a person's titles
        self.capitals: dict[Entry, Entry] = {}  # a capital city -> its state
        self.demonym_of: dict[str, str] = {}  # a state's QID -> its first demonym, as written

    @classmethod
    def from_records(cls, records: list[dict[str, Any]]) -> Gazetteer:
        gaz = cls()
        for rec in records:
            entry = Entry(
                str(rec["name"]),
                rec.get("qid") or None,
                str(rec.get("kind") or "other"),
                rec.get("country"),
            )
            if entry.qid:
                gaz.by_qid[entry.qid] = entry
            names = [str(a) for a in [entry.name, *rec.get("aliases", [])]]
            if entry.kind == "person":
                names += _spelling_variants(names)
            for alias in names:
                gaz.names.add(alias, entry)
            roles: set[str] = set()
            for title in rec.get("titles", []):
                gaz.titles.add(str(title), entry)
                roles.update(_roles_in(fold_phrase(str(title))))
            if entry.kind == "person":
                gaz.roles[entry] = frozenset(roles)
            if rec.get("capital") and entry.country:
                gaz.capitals[entry] = Entry("", entry.country, "state")  # resolved below
            if entry.qid and rec.get("demonym"):
                gaz.demonym_of[entry.qid] = str(rec["demonym"][0])
            for dem in rec.get("demonym", []):
                gaz.demonyms[fold_word(str(dem).split()[-1])] = entry
                gaz.nationalities[fold_phrase(str(dem))] = entry
        for city, state in list(gaz.capitals.items()):
            known = gaz.by_qid.get(state.qid or "")
            if known is None:
                del gaz.capitals[city]
            else:
                gaz.capitals[city] = known
        return gaz

    def country_of(self, entry: Entry) -> Entry | None:
        return self.by_qid.get(entry.country) if entry.country else None


@lru_cache(maxsize=8)
def _load(path: str) -> Gazetteer:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    records = data["entities"] if isinstance(data, dict) else data
    return Gazetteer.from_records(records)


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The shipped gazetteer (or one at ``path``), parsed once and cached."""
    return _load(str(path or DEFAULT_PATH))


# Offices that precede a name in agency copy ("Vietnamese President To Lam",
# "Prime Minister Pham Minh Chinh"), folded, with the role they give the person
# so a later "the Vietnamese president" finds them. "counterpart" names someone
# without giving a role.
GENERIC_TITLES: dict[tuple[str, ...], str | None] = {
    tuple(phrase.split()): role
    for phrase, role in lexicon.mapping("entities.GENERIC_TITLES").items()
}
TITLE_FIRST = frozenset(key[0] for key in GENERIC_TITLES)
MAX_TITLE = max(len(key) for key in GENERIC_TITLES)


def _generic_title(tokens: list[Token], k: int) -> tuple[int, str | None] | None:
    """Longest generic title starting at token ``k``: (end, role)."""
    if k >= len(tokens) or tokens[k].fold not in TITLE_FIRST:
        return None
    for n in range(min(MAX_TITLE, len(tokens) - k), 0, -1):
        key = tuple(t.fold for t in tokens[k : k + n])
        if key in GENERIC_TITLES and _contiguous(tokens[k : k + n]):
            return k + n, GENERIC_TITLES[key]
    return None


def _roles_in(folds: tuple[str, ...]) -> set[str]:
    """Generic roles named inside one gazetteer title ("Russian Foreign Minister")."""
    out = set()
    for i in range(len(folds)):
        for n in range(min(MAX_TITLE, len(folds) - i), 0, -1):
            role = GENERIC_TITLES.get(folds[i : i + n])
            if role:
                out.add(role)
                break
    return out


@dataclass(frozen=True)
class Mention:
    start: int  # article offsets
    end: int
    ref: EntityRef
    entry: Entry | None
    # "name", "title" (bare title resolved by context), "unlinked", "office" (an
    # unnamed office holder), "capital" (a capital for its state), "definite"
    # ("the complex" for a name before) or "pronoun"
    via: str


def _spelling_variants(names: list[str]) -> list[str]:
    """The same person with the given name spelt in another transliteration ("Alexandr",
    "Aleksandr" for "Alexander"; lexicon entities.GIVEN_NAME_VARIANTS)."""
    groups = lexicon.data()["entities.GIVEN_NAME_VARIANTS"]["groups"]
    out = []
    for name in names:
        first, _, rest = name.partition(" ")
        for group in groups:
            if rest and first in group:
                out += [f"{v} {rest}" for v in group if v != first]
    return [v for v in out if v not in names]


def family_name_first(entry: Entry) -> bool:
    """Named family name first: of a state that names people so, or, for someone the
    gazetteer does not place, a first word that is a family name there."""
    spec = lexicon.data()["entities.FAMILY_NAME_FIRST"]
    if entry.country:
        return entry.country in spec["countries"]
    words = fold_phrase(entry.name)
    return len(words) > 1 and words[0] in spec["family_names"]


@dataclass
class Discourse:
    """What the article has said so far: for resolving bare titles, "the two
    leaders", "he"/"she" and "the same day" in the sentences after."""

    persons: list[Entry] = field(default_factory=list)
    roles: dict[Entry, set[str]] = field(default_factory=dict)  # beyond the gazetteer's
    # People the gazetteer does not know, by folded name, once the article has
    # introduced them ("Vietnamese President To Lam"), so "To Lam said" is them.
    introduced: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    # Places, bodies and works named so far, by the last word of their name
    # ("complex" -> Chollima Steel Complex), for "the complex" later.
    heads: dict[str, set[EntityRef]] = field(default_factory=dict)
    subject: Mention | None = None  # the person the previous sentence is about
    last_day: DateValue | None = None  # last day the article named
    dateline: DateValue | None = None  # the day of the dateline ("PYONGYANG, June 20 (Xinhua)")
    dateline_place: Mention | None = None  # its place, which agency copy calls "here"
    narrative_day: DateValue | None = None  # the day the story is telling of
    # The day a programme the story announces is for ("The talks will be held on June 19."):
    # what the next undated future acts of it ("will then hold talks") happen on.
    programme_day: DateValue | None = None
    # The author of a text printed in full, named by its heading ("Speech by X at ..."):
    # who "I" and "my" are outside any quotation.
    author: Mention | None = None
    story_year: int | None = None  # the past year a passage is telling of ("In 2006, ...")
    # How often each person has been the subject of a sentence so far, and in
    # which sentence last: the article's main actor is the most frequent one.
    actors: dict[EntityRef, tuple[int, int, Mention]] = field(default_factory=dict)
    sentences: int = 0

    def main_actor(self) -> Mention | None:
        if not self.actors:
            return None
        _, _, mention = max(self.actors.values(), key=lambda v: (v[0], v[1]))
        return mention

    def note_subject(self, mention: Mention | None) -> None:
        self.sentences += 1
        self.subject = mention
        if mention is not None:
            count = self.actors.get(mention.ref, (0, 0, mention))[0]
            self.actors[mention.ref] = (count + 1, self.sentences, mention)

    def note(self, entry: Entry, role: str | None = None) -> None:
        if entry.kind == "person":
            if entry in self.persons:
                self.persons.remove(entry)
            self.persons.append(entry)
            if role:
                self.roles.setdefault(entry, set()).add(role)

    def by_surname(self, fold: str) -> Entry | None:
        """The one person introduced in full ("Subrahmanyam Jaishankar") whose last
        name this is; None when no one's or several people's. The last word of a name
        that puts the family name first ("Choe Son Hui") is no surname."""
        if len(fold) < 3:
            return None
        found = {
            e
            for folds, e in self.introduced.items()
            if len(folds) > 1 and folds[-1] == fold and not family_name_first(e)
        }
        return found.pop() if len(found) == 1 else None

    def by_family_name(self, fold: str) -> Entry | None:
        """The person named before whose family name, written first, this is: a bare "Kim"
        after "Kim Jong Un", "Choe" after "Choe Son Hui". Of several ("Kim Il Sung" named
        in a passage of history), the one the article is most about, else the last named."""
        found = [
            entry
            for entry in reversed(self.persons)
            if (words := fold_phrase(entry.name))
            and len(words) > 1
            and words[0] == fold
            and family_name_first(entry)
        ]
        if len(found) > 1:
            counts = {ref: v[0] for ref, v in self.actors.items()}
            best = max(found, key=lambda e: counts.get(e.ref, 0))
            if counts.get(best.ref, 0) > 0:
                return best
        return found[0] if found else None

    def holder(self, role: str, country: str | None, gaz: Gazetteer) -> Entry | None:
        """The latest person named with ``role`` (of ``country`` when given);
        without a country, only when one person has held the role so far."""
        found = [
            entry
            for entry in reversed(self.persons)
            if (not country or entry.country == country)
            and (role in self.roles.get(entry, ()) or role in gaz.roles.get(entry, ()))
        ]
        if not found or (not country and len(found) > 1):
            return None
        return found[0]

    def latest(self, candidates: list[Entry]) -> Entry | None:
        for entry in reversed(self.persons):
            if entry in candidates:
                return entry
        return candidates[0] if len(candidates) == 1 else None

    def leader_pair(self) -> tuple[Entry, Entry] | None:
        """The two most recently named people of different countries."""
        for i in range(len(self.persons) - 1, -1, -1):
            for j in range(i - 1, -1, -1):
                a, b = self.persons[j], self.persons[i]
                if a.country and b.country and a.country != b.country:
                    return a, b
        return None


CONNECTORS = lexicon.words("entities.CONNECTORS")
NOT_NAMES = lexicon.words("entities.NOT_NAMES")
KIND_HEADS: dict[str, str] = lexicon.mapping("entities.KIND_HEADS")


# Last words of a body's name, where the name of its officer may begin
# ("Chairman of the National Assembly Tran Thanh Man").
BODY_HEADS = frozenset(k for k, v in KIND_HEADS.items() if v == "org") | lexicon.words(
    "entities.BODY_HEADS"
)
# Words that end a would-be name after an office: "the Premier League Club".
NAME_STOPS = lexicon.words("entities.NAME_STOPS")
TITLE_MODIFIERS = lexicon.words("entities.TITLE_MODIFIERS")
_BREAK_CHARS = frozenset(',;:()"\n\u201c\u201d')


@dataclass
class _Scan:
    """One sentence being read: its tokens and where clauses break between them."""

    tokens: list[Token]
    gaz: Gazetteer
    ctx: Discourse
    breaks: list[bool]  # breaks[k]: punctuation between token k-1 and token k
    plain: bool  # running text, not a Title Case headline

    def joined(self, k: int) -> bool:
        """Token ``k`` continues the phrase of token ``k-1`` (no punctuation between)."""
        return 0 < k < len(self.tokens) and not self.breaks[k]


def find_mentions(
    tokens: list[Token],
    gaz: Gazetteer,
    ctx: Discourse,
    text: str = "",
    base: int = 0,
    heading: bool = False,
) -> list[Mention]:
    """Gazetteer names (with any leading titles), titled new names, bare titles
    and unlinked names. ``text`` (the sentence, starting at article offset
    ``base``) lets punctuation between tokens be seen; without it any gap
    wider than two characters counts as a break. In a ``heading`` set in Title
    Case, capitals do not mark names, so no new person is made from them."""
    plain = not (heading and _title_case(tokens))
    scan = _Scan(tokens, gaz, ctx, _breaks(tokens, text, base), plain)
    out: list[Mention] = []
    leaders: set[int] = set()  # ends of unlinked names of people who lead a delegation
    i, n = 0, len(tokens)
    while i < n:
        found = _initialled(scan, i) or _name_or_title(scan, i) or _introduced(scan, i)
        found = found or _titled(scan, i)
        found = found or _definite(scan, i) or _described(scan, i)
        if found is None:
            j = _unlinked_end(tokens, i, gaz, scan.breaks)
            if i == 0 and j == 1:
                j = 0  # a capitalised first word is just the start of the sentence
            if j > i:
                mention = _unlinked(tokens, i, j)
                led = _led_by(tokens, i)
                if led and mention.ref.kind == "other" and j - i <= 4:
                    # "a delegation headed by Somsak Vongsa": remembered as a
                    # person for "the head of the delegation"; the mention stays
                    # as it was, the delegation being the party that acts.
                    ctx.note(Entry(mention.ref.name, None, "person"), led)
                    leaders.add(mention.end)
                elif mention.ref.kind == "other":
                    mention = _named_before_office(scan, i, j) or mention
                out.append(mention)
                i = j
            else:
                i += 1
            continue
        mention, end = found
        if mention.entry:
            ctx.note(mention.entry, _led_by(tokens, i))
        out.append(mention)
        i = end
    out = _drop_apposed_titles(scan, _drop_currencies(scan, out, text, base), leaders)
    if not heading:  # a headline glues words into names ("Inspects X Complex", "Holds Talks")
        for m in out:
            _note_head(scan, m)
    return _capitals_as_states(scan, out, text, base)


# "the talks", "the meeting": gatherings the frames tell apart by context.
GATHERINGS = lexicon.words("entities.GATHERINGS")
# Kinds a definite description may refer back to; documents and events are left
# to the frames, which know "the treaty" and "the talks" better.
_HEAD_KINDS = frozenset({"place", "org", "other"})


def _note_head(scan: _Scan, m: Mention) -> None:
    words = m.ref.name.split()
    if m.ref.kind not in _HEAD_KINDS or len(words) < 2 or m.via in ("definite", "office"):
        return
    head = fold_word(words[-1])
    if head in GATHERINGS or KIND_HEADS.get(head) in ("document", "event"):
        return
    if len(head) < 4 or head in NOT_NAMES:
        return
    scan.ctx.heads.setdefault(head, set()).add(m.ref)


def _definite(scan: _Scan, i: int) -> tuple[Mention, int] | None:
    """ "the complex" after "the Chollima Steel Complex": a lower-case head noun
    after "the" is the one thing named before with that last word; nothing when
    two were, or when more of a name follows ("the complex of ...")."""
    tokens = scan.tokens
    if not scan.ctx.heads or tokens[i].fold != "the" or not scan.joined(i + 1):
        return None
    t = tokens[i + 1]
    refs = scan.ctx.heads.get(t.fold)
    if not refs or len(refs) > 1 or not t.raw.islower():
        return None
    nxt = tokens[i + 2] if i + 2 < len(tokens) else None
    if nxt is not None and scan.joined(i + 2) and (nxt.fold == "of" or nxt.raw[:1].isupper()):
        return None
    (ref,) = refs
    return Mention(t.start, t.end, ref, None, "definite"), i + 2


def _described(scan: _Scan, i: int) -> tuple[Mention, int] | None:
    """ "the Chinese leader", "the visiting minister", "the top Russian diplomat": a
    person described, not named, is the one named before who fits the description (of
    the state it names; named with its role when it is an office; the guest for
    "visiting"), else the person named last when an adjective narrows it."""
    tokens, ctx = scan.tokens, scan.ctx
    if tokens[i].fold != "the" or not ctx.persons:
        return None
    spec = lexicon.data()["entities.DESCRIPTIONS"]
    k, country, visiting, narrowed = i + 1, None, False, False
    while k < len(tokens) and scan.joined(k):
        nat = _nationality(scan, k)
        if nat is not None and country is None:
            country, k, narrowed = nat[0].qid, nat[1], True
        elif tokens[k].raw.islower() and tokens[k].fold in spec["modifiers"]:
            visiting = visiting or tokens[k].fold in spec["visiting"]
            narrowed = True
            k += 1
        else:
            break
    noun = None
    for n in (2, 1):
        words = tokens[k : k + n]
        phrase = " ".join(t.fold for t in words)
        if len(words) == n and all(t.raw.islower() for t in words) and phrase in spec["nouns"]:
            noun, k = phrase, k + n
            break
    if noun is None or (k < len(tokens) and scan.joined(k) and tokens[k].raw[:1].isupper()):
        return None  # "the Russian diplomat Ivan Petrov" names him
    people = [e for e in reversed(ctx.persons) if country is None or e.country == country]
    role = GENERIC_TITLES.get(tuple(noun.split()))
    holders = [
        e
        for e in people
        if role and (role in ctx.roles.get(e, ()) or role in scan.gaz.roles.get(e, ()))
    ]
    if visiting and not holders:
        main = ctx.main_actor()
        holders = [main.entry] if main is not None and main.entry in people else []
    if not narrowed and len(set(holders)) > 1:
        return None  # "the president" after two presidents: either
    entry = holders[0] if holders else (people[0] if people and narrowed else None)
    if entry is None:
        return None
    return Mention(tokens[i + 1].start, tokens[k - 1].end, entry.ref, entry, "title"), k


# What two states do together, after "Moscow and Hanoi": a verb of stance or an
# auxiliary ("support", "have agreed"), or a past form ("signed").
_ACTING_RE = re.compile(
    r"\s+(?:(?:also|have|has|will|would|can|should|must|do|did|are|were|both|jointly|firmly"
    r"|fully|closely|[a-z]+ly)\s+)*(?:share|agree|support|stand|hold|remain|oppose|believe"
    r"|intend|plan|want|seek|continue|cooperate|coordinate|maintain|reject|consider|call"
    r"|condemn|view|see|have|are|were|will|would|can|should|must|[a-z]{3,}ed)\b"
)
_CLAUSE_OPEN_RE = re.compile(r"(?:^|[,;:\"\u201c]|\b(?:that|and|but|while|as|where|when))\s*$")
# ... or what is between them: "relations between Moscow and Hanoi".
_BETWEEN_RE = re.compile(
    r"\b(?:relations|ties|cooperation|dialogue|friendship|partnership|talks|contacts"
    r"|exchanges|rapprochement|trust|understanding)\s+between\s+$"
)


def _capitals_as_states(scan: _Scan, out: list[Mention], text: str, base: int) -> list[Mention]:
    """ "Moscow and New Delhi share approaches", "relations between Beijing and
    Hanoi": two capitals of different states acting together, or between which
    there are relations, stand for their states (a metonym state media use for
    the two sides). Cities as places ("flights between Moscow and Hanoi") stay."""
    if not text or len(scan.gaz.capitals) < 2:
        return out
    capitals = scan.gaz.capitals
    for n, (a, b) in enumerate(itertools.pairwise(out)):
        if not (a.entry in capitals and b.entry in capitals):
            continue
        sa, sb = capitals[a.entry], capitals[b.entry]
        if sa == sb or text[a.end - base : b.start - base] != " and ":
            continue
        acting = _CLAUSE_OPEN_RE.search(text[: a.start - base]) and _ACTING_RE.match(
            text, b.end - base
        )
        between = _BETWEEN_RE.search(text[max(0, a.start - base - 40) : a.start - base])
        if acting or between:
            out[n] = Mention(a.start, a.end, sa.ref, sa, "capital")
            out[n + 1] = Mention(b.start, b.end, sb.ref, sb, "capital")
    return out


def _initialled(scan: _Scan, i: int) -> tuple[Mention, int] | None:
    """ "V. Putin", "S. V. Lavrov": initials before the name of a person the gazetteer
    knows are that person when the first initial is their given name's."""
    tokens, j = scan.tokens, i
    while j < len(tokens) and len(tokens[j].raw) == 1 and tokens[j].raw.isupper():
        j += 1
        if j < len(tokens) and not scan.joined(j):
            return None
    if j == i or j >= len(tokens):
        return None
    named = scan.gaz.names.match(tokens, j)
    if not named or named[1][0].kind != "person" or named[0] != j + 1:
        return None  # only a bare surname after the initials
    entry = named[1][0]
    if fold_word(entry.name.split()[0])[:1] != tokens[i].fold:
        return None
    return Mention(tokens[i].start, _end(tokens[j]), entry.ref, entry, "name"), j + 1


def _introduced(scan: _Scan, i: int) -> tuple[Mention, int] | None:
    """A person the article introduced by office, named again without it."""
    tokens = scan.tokens
    if not tokens[i].raw[:1].isupper() or not (scan.ctx.introduced or scan.ctx.persons):
        return None
    for folds, entry in scan.ctx.introduced.items():
        end = i + len(folds)
        window = tokens[i:end]
        if end > len(tokens) or not all(scan.joined(k) for k in range(i + 1, end)):
            continue
        last = (window[-1].fold, _possessive_stem(window[-1]))
        if tuple(t.fold for t in window[:-1]) == folds[:-1] and folds[-1] in last:
            scan.ctx.note(entry)
            mention = Mention(tokens[i].start, _end(tokens[end - 1]), entry.ref, entry, "name")
            return mention, end
    # A surname alone ("Jaishankar said"), standing apart from other capitalised words.
    if (scan.joined(i) and tokens[i - 1].raw[:1].isupper()) or (
        scan.joined(i + 1) and tokens[i + 1].raw[:1].isupper()
    ):
        return None
    fold = _possessive_stem(tokens[i]) or tokens[i].fold
    known = scan.ctx.by_family_name(fold) or scan.ctx.by_surname(fold)
    if known is None:
        return None
    scan.ctx.note(known)
    return Mention(tokens[i].start, _end(tokens[i]), known.ref, known, "name"), i + 1


def _named_before_office(scan: _Scan, i: int, j: int) -> Mention | None:
    """ "Jo Yong Won, member of the Presidium ...", "Zhou Enlai, premier of the State
    Council of China": a short run of capitalised words followed by a lower-case
    office of some body is a person, of the state the office names if any."""
    tokens, gaz = scan.tokens, scan.gaz
    run = tokens[i:j]
    if not 2 <= len(run) <= 4 or j >= len(tokens) or scan.joined(j):
        return None
    if not _apposed_title(tokens, j):
        return None
    for t in run:
        if not (t.raw[:1].isupper() and t.raw.isalpha()) or t.fold in NOT_NAMES:
            return None
        if t.fold in KIND_HEADS or t.fold in NAME_STOPS or t.fold in BODY_HEADS:
            return None
        if t.fold in gaz.demonyms or t.fold in CONNECTORS:
            return None
    country, p = None, j
    while p < len(tokens) and (p == j or scan.joined(p)):
        named = gaz.names.match(tokens, p)
        if named and named[1][0].kind == "state":
            country = named[1][0].qid
            break
        p = named[0] if named else p + 1
    name = " ".join(t.raw for t in run)
    entry = Entry(name, None, "person", country)
    title = _generic_title(tokens, j)
    scan.ctx.note(entry, title[1] if title else None)
    scan.ctx.introduced[tuple(t.fold for t in run)] = entry
    return Mention(run[0].start, run[-1].end, entry.ref, entry, "name")


def introductions(
    tokens: list[Token], gaz: Gazetteer, text: str = "", base: int = 0
) -> dict[tuple[str, ...], Entry]:
    """People a sentence introduces by office, read without touching the
    article's discourse: lets a headline above the lead name them too."""
    scratch = Discourse()
    find_mentions(tokens, gaz, scratch, text, base)
    return scratch.introduced


def _breaks(tokens: list[Token], text: str, base: int) -> list[bool]:
    out = [True]
    for a, b in itertools.pairwise(tokens):
        if text:
            gap = text[a.end - base : b.start - base]
            out.append(any(ch in _BREAK_CHARS for ch in gap) or len(gap) > 3)
        else:
            out.append(b.start - a.end > 2)
    return out


def _title_case(tokens: list[Token]) -> bool:
    """A headline in Title Case, where capitals do not mark names."""
    words = [t.raw for t in tokens if len(t.raw) > 3 and t.raw.isalpha()]
    return len(words) >= 3 and all(w[:1].isupper() for w in words)


def _led_by(tokens: list[Token], i: int) -> str | None:
    """ "the delegation headed by X": X is the head of the delegation."""
    led = i >= 2 and tokens[i - 1].fold == "by" and tokens[i - 2].fold in ("headed", "led")
    if led and any(t.fold == "delegation" for t in tokens[max(0, i - 6) : i - 2]):
        return "head of delegation"
    return None


def _name_or_title(scan: _Scan, i: int) -> tuple[Mention, int] | None:
    tokens, gaz, ctx = scan.tokens, scan.gaz, scan.ctx
    name = gaz.names.match(tokens, i)
    title = gaz.titles.match(tokens, i)
    if name and (not title or name[0] >= title[0]):
        entry = name[1][0]
        end = name[0]
        return Mention(tokens[i].start, _end(tokens[end - 1]), entry.ref, entry, "name"), end
    if not title:
        return None
    j, holders = title
    while j < len(tokens):  # "General Secretary Comrade Kim Jong Un"
        more = gaz.titles.match(tokens, j)
        if not more:
            break
        j = more[0]
    if j < len(tokens):
        named = gaz.names.match(tokens, j)
        if named and named[1][0].kind == "person":
            entry = named[1][0]
            end = named[0]
            return Mention(tokens[i].start, _end(tokens[end - 1]), entry.ref, entry, "name"), end
    # "President To Lam": a title before a name the gazetteer does not know is
    # that person, not the title's usual holder.
    fresh = _titled(scan, i)
    if fresh:
        return fresh
    # A bare title refers to someone only when it looks like a title in the
    # text: capitalised ("the Supreme Leader") or several words ("the DPRK leader").
    if not (tokens[i].raw[:1].isupper() or j - i > 1):
        return None
    if j < len(tokens) and scan.joined(j) and tokens[j].raw[:1].isupper():
        return None  # "the President Hotel", "Pyongyang General Hospital": part of a name
    holder = ctx.latest(holders)
    if holder is None or _office_abroad(scan, j, holder):
        return None
    return Mention(tokens[i].start, tokens[j - 1].end, holder.ref, holder, "title"), j


def _office_abroad(scan: _Scan, j: int, holder: Entry) -> bool:
    """ "General Secretary of the Communist Party of Vietnam": the office is of
    another country than the holder the title would otherwise resolve to."""
    tokens = scan.tokens
    if not (j < len(tokens) and tokens[j].fold == "of" and scan.joined(j)):
        return False
    p = j + 1
    while p < len(tokens) and p - j < 14 and scan.joined(p):
        named = scan.gaz.names.match(tokens, p)
        if named and named[1][0].kind == "state":
            return named[1][0].qid != holder.country
        p = named[0] if named else p + 1
    return False


def _nationality(scan: _Scan, k: int) -> tuple[Entry, int] | None:
    """ "Vietnamese", "North Korean" or a state's name used as an adjective."""
    tokens = scan.tokens
    if k >= len(tokens) or not tokens[k].raw[:1].isupper():
        return None
    for n in (2, 1):
        key = tuple(t.fold for t in tokens[k : k + n])
        if len(key) == n and key in scan.gaz.nationalities and _contiguous(tokens[k : k + n]):
            return scan.gaz.nationalities[key], k + n
    named = scan.gaz.names.match(tokens, k)
    if named and named[1][0].kind == "state" and not _possessive_stem(tokens[named[0] - 1]):
        return named[1][0], named[0]
    return None


def _titled(scan: _Scan, i: int) -> tuple[Mention, int] | None:
    """A person named by office: "[the] [Vietnamese] President To Lam" (a new
    person, without a QID) or, with no name after it, "the Russian foreign
    minister" (the person given that office earlier in the article), or failing
    that, when the office is tied to a country or body, an unnamed holder ("the
    Chinese ambassador to Laos", "a spokesman for the DPRK Foreign Ministry")."""
    tokens, n = scan.tokens, len(scan.tokens)
    k = i
    has_the = tokens[k].fold == "the"
    has_a = tokens[k].fold in ("a", "an")
    if has_the or has_a:
        k += 1
    if k < n and tokens[k].fold in TITLE_MODIFIERS and scan.joined(k + 1):
        k += 1  # "former President X", "acting Foreign Minister X"
    nat = _nationality(scan, k)
    if nat:
        if not scan.joined(nat[1]):
            return None
        k = nat[1]
    office = _office(scan, k)
    if not office:
        return None
    j, roles = office
    role = roles[0]
    country = nat[0].qid if nat else None
    start = tokens[i + 1 if has_the or has_a else i].start
    known_name = scan.gaz.names.match(tokens, j) if j < n and scan.joined(j) else None
    if known_name and known_name[1][0].kind == "person":
        # "Russian Defense Minister Sergei Shoigu": a person the gazetteer knows after a
        # nationality and an office the gazetteer does not list for them.
        entry, stop = known_name[1][0], known_name[0]
        return Mention(start, _end(tokens[stop - 1]), entry.ref, entry, "name"), stop
    if scan.plain and not has_a:
        # A capitalised office may precede a one-word name ("President Lula");
        # a lower-case one ("counterpart") needs two words.
        first, end = j, _new_name(scan, j, 1 if tokens[k].raw[:1].isupper() else 2)
        if end is None and j < n and tokens[j].fold == "of" and scan.joined(j):
            found = _name_after_body(scan, j + 1)
            if found:
                first, end, named = found
                if isinstance(named, Entry):
                    # "Chairman of the ... Congress Zhao Leji": a known person
                    return Mention(start, _end(tokens[end - 1]), named.ref, named, "name"), end
                country = country or named
        # With no name after the office (it ends the sentence) there is no surname to look up.
        # One word after the office is a name given before: a surname ("Foreign Minister
        # Lima") or a family name written first ("Chairman Kim" after "Kim Jong Un").
        word = _possessive_stem(tokens[first]) or tokens[first].fold if end == first + 1 else ""
        known = (scan.ctx.by_family_name(word) or scan.ctx.by_surname(word)) if word else None
        if known is not None and end is not None:
            # "Foreign Minister Lima" after "Foreign Minister Mauro Vieira Lima"
            scan.ctx.note(known)
            return Mention(start, _end(tokens[first]), known.ref, known, "name"), end
        if end:
            name = " ".join(t.raw for t in tokens[first:end])
            if _possessive_stem(tokens[end - 1]):
                name = name[:-2]
            entry = Entry(name, None, "person", country)
            for each in roles:
                scan.ctx.note(entry, each)
            scan.ctx.introduced[tuple(t.fold for t in tokens[first:end])] = entry
            mention = Mention(start, _end(tokens[end - 1]), entry.ref, entry, "name")
            return mention, end
    if not role:
        return None
    # A second mention by office: only with "the" or a nationality before it,
    # and no name or "of" after it ("the president of Russia" is a title).
    named_after = (
        j < n and scan.joined(j) and (tokens[j].raw[:1].isupper() or tokens[j].fold == "of")
    )
    if (has_the or nat) and not has_a and not named_after:
        holder = scan.ctx.holder(role, country, scan.gaz)
        if holder is not None:
            return Mention(start, tokens[j - 1].end, holder.ref, holder, "title"), j
    if not (has_the or has_a) or (j < n and scan.joined(j) and tokens[j].raw[:1].isupper()):
        return None
    tie = _office_tie(scan, j)
    if tie is None and nat is None:
        return None
    end, where = tie or (j, None)
    # The country is the holder's own: a nationality, or the state of the body
    # served ("spokesman for the DPRK Foreign Ministry"), not the host ("to Laos").
    country = country or where
    first = i + 1 if has_the or has_a else i
    name = " ".join(t.raw.replace("\u2019", "'") for t in tokens[first:end])
    entry = Entry(name, None, "person", country)
    return Mention(start, tokens[end - 1].end, entry.ref, entry, "office"), end


OFFICE_TIES = lexicon.words("entities.OFFICE_TIES")


def _office_tie(scan: _Scan, j: int) -> tuple[int, str | None] | None:
    """ "to the DPRK", "for the DPRK Foreign Ministry", "of the Ministry of Foreign
    Affairs": what ties an unnamed office to a country or body, as (end, the state
    of a body it serves). Only a named state, a known body or a word that ends a
    body's name counts ("the president of the club" is no one in particular)."""
    tokens, n = scan.tokens, len(scan.tokens)
    if not (j < n and tokens[j].fold in OFFICE_TIES and scan.joined(j) and scan.joined(j + 1)):
        return None
    p = j + 1
    if p < n and tokens[p].fold == "the":
        p += 1
    end, state, body = p, None, False
    while end < n and end - j < 10 and scan.joined(end):
        t = tokens[end]
        named = scan.gaz.names.match(tokens, end)
        if named and named[1][0].kind in ("state", "org", "place"):
            entry = named[1][0]
            state = state or (entry.qid if entry.kind == "state" else None)
            body = body or entry.kind != "place"
            end = named[0]
            continue
        if t.raw[:1].isupper() and t.raw.replace("'", "").isalpha() and t.fold not in NOT_NAMES:
            body = body or t.fold in BODY_HEADS
            end += 1
            continue
        nxt = tokens[end + 1] if end + 1 < n else None
        if t.fold in ("of", "the", "and") and nxt and nxt.raw[:1].isupper() and end > p:
            end += 1
            continue
        break
    if end == p or not (state or body):
        return None
    serves = tokens[j].fold in ("of", "for")
    return end, state if serves else None


def _office(scan: _Scan, k: int) -> tuple[int, list[str | None]] | None:
    """The office starting at token ``k``: a generic title, perhaps after its
    portfolio ("External Affairs Minister", "Industry and Trade Minister") and
    several joined by "and" ("Deputy Prime Minister and Energy Minister"), as
    (end, the roles it gives)."""
    tokens, n = scan.tokens, len(scan.tokens)
    found = _generic_title(tokens, k) or _portfolio_title(scan, k)
    if not found:
        return None
    end, role = found
    roles = [role]
    while end + 1 < n and tokens[end].fold == "and" and scan.joined(end) and scan.joined(end + 1):
        more = _generic_title(tokens, end + 1) if tokens[end + 1].raw[:1].isupper() else None
        more = more or _portfolio_title(scan, end + 1)
        if not more:
            break
        end = more[0]
        roles.append(more[1])
    if "minister" not in roles and any(r and r.endswith(" minister") for r in roles):
        roles.append("minister")  # "the Indian minister" for a foreign minister
    return end, roles


def _portfolio_title(scan: _Scan, k: int) -> tuple[int, str | None] | None:
    """ "External Affairs Minister": capitalised words of a portfolio (and "and"
    between them) before a capitalised generic title."""
    tokens, n = scan.tokens, len(scan.tokens)
    p = k
    while p < n and p - k < 5 and (p == k or scan.joined(p)):
        t = tokens[p]
        if t.raw[:1].isupper() and t.fold in TITLE_FIRST and p > k:
            found = _generic_title(tokens, p)
            if found is None:
                return None
            end, role = found
            folds = {x.fold for x in tokens[k:p]}
            if role == "minister" and ("foreign" in folds or {"external", "affairs"} <= folds):
                role = "foreign minister"
            return end, role
        if t.fold == "and" and p > k:
            p += 1
            continue
        if not t.raw[:1].isupper() or not t.raw.isalpha() or t.fold in NOT_NAMES:
            return None
        if t.fold in scan.gaz.demonyms or scan.gaz.names.match(tokens, p):
            return None
        p += 1
    return None


def _new_name(scan: _Scan, j: int, min_len: int) -> int | None:
    """End of a personal name starting at token ``j`` (1-4 capitalised words),
    or None. A short function word may open it ("To Lam") when a name follows."""
    tokens, gaz, n = scan.tokens, scan.gaz, len(scan.tokens)
    if j >= n or not scan.joined(j):
        return None
    k = j
    while k < n and k - j < 4:
        t = tokens[k]
        if k > j and (not scan.joined(k) or _possessive_stem(tokens[k - 1])):
            break
        if not t.raw[:1].isupper() or not t.raw.replace("'", "").isalpha():
            break
        if t.fold in NOT_NAMES and not (
            k == j
            and len(t.raw) <= 3
            and k + 1 < n
            and scan.joined(k + 1)
            and tokens[k + 1].raw[:1].isupper()
            and tokens[k + 1].fold not in NOT_NAMES
        ):
            break
        if t.fold in gaz.demonyms or t.fold in TITLE_FIRST or t.fold in KIND_HEADS:
            break
        if gaz.names.match(tokens, k) or gaz.titles.match(tokens, k):
            break
        k += 1
    if k - j < min_len or (k - j == 1 and tokens[j].fold in NOT_NAMES):
        return None
    if tokens[k - 1].fold in NAME_STOPS:
        return None  # "the Premier League", "the President Hotel"
    return k


def _name_after_body(scan: _Scan, k: int) -> tuple[int, int, str | Entry | None] | None:
    """ "[of] the National Assembly Tran Thanh Man": the name after the last
    word that ends a body's name, and the country named inside it; or, when
    the gazetteer knows the person named there, that person (third item)."""
    tokens, gaz, n = scan.tokens, scan.gaz, len(scan.tokens)
    body_end, country, p = None, None, k
    while p < n and p - k < 14 and (p == k or scan.joined(p)):
        t = tokens[p]
        named = gaz.names.match(tokens, p)
        if named and named[1][0].kind == "person":
            return (p, named[0], named[1][0]) if body_end else None
        if named and named[1][0].kind in ("state", "org"):
            if named[1][0].kind == "state":
                country = named[1][0].qid
            p = body_end = named[0]
            continue
        if t.fold in BODY_HEADS:
            body_end = p + 1
        elif not (t.raw[:1].isupper() or t.fold in ("of", "the")):
            break
        p += 1
    if body_end is None:
        return None
    end = _new_name(scan, body_end, 2)
    return (body_end, end, country) if end else None


CURRENCY_WORDS = lexicon.words("entities.CURRENCY_WORDS")


def _drop_currencies(scan: _Scan, out: list[Mention], text: str, base: int) -> list[Mention]:
    """ "U.S. dollars", "US$ 5 million": a state named in a currency is not a party."""
    tokens = scan.tokens
    ends = {t.end: k for k, t in enumerate(tokens)}
    keep = []
    for m in out:
        k = ends.get(m.end)
        if m.ref.kind == "state" and k is not None:
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            after = text[m.end - base : nxt.start - base] if text and nxt else ""
            if (nxt and nxt.fold in CURRENCY_WORDS and scan.joined(k + 1)) or "$" in after:
                continue
        keep.append(m)
    return keep


APPOSED_TITLE_HEADS = lexicon.words("entities.APPOSED_TITLE_HEADS")


def _apposed_title(tokens: list[Token], k: int) -> bool:
    """Token ``k`` opens a lower-case office that names a body ("chairman of the ...")."""
    if k >= len(tokens):
        return False
    t = tokens[k]
    if t.raw[:1].isupper() or t.fold not in APPOSED_TITLE_HEADS:
        return False
    return any(x.fold == "of" for x in tokens[k + 1 : k + 5])


def _drop_apposed_titles(scan: _Scan, out: list[Mention], leaders: set[int]) -> list[Mention]:
    """ "Kim Jong Un, general secretary of the WPK and president of the State
    Affairs of the DPRK, ...": the bodies and states of a person's title
    describe the person; left in, they compete with the person as subject or
    object. Dropped up to the next comma (or the end of the sentence)."""
    tokens = scan.tokens
    ends = {t.end: k for k, t in enumerate(tokens)}
    spans: list[tuple[int, int]] = []
    for m in out:
        if m.ref.kind != "person" and m.end not in leaders:
            continue
        k = ends.get(m.end)
        if k is None or k + 1 >= len(tokens) or scan.joined(k + 1):
            continue
        # One title after another ("chairman of the WPK, chairman of the SAC
        # and supreme commander of ..."): each a lower-case office naming a body.
        start = k + 1
        while _apposed_title(tokens, start):
            stop = start + 1
            while stop < len(tokens) and scan.joined(stop):
                stop += 1
            spans.append((tokens[start].start, tokens[stop - 1].end))
            start = stop
    if not spans:
        return out
    return [
        m
        for m in out
        if m.ref.kind == "person" or not any(a <= m.start and m.end <= b for a, b in spans)
    ]


def _unlinked_end(
    tokens: list[Token], i: int, gaz: Gazetteer, breaks: list[bool] | None = None
) -> int:
    """End of a run of capitalised words starting at ``i`` (0 run -> i). The run
    stops at punctuation ("Earlier, Minister X" is two phrases)."""
    t = tokens[i]
    if not t.raw[:1].isupper() or t.fold in NOT_NAMES or t.raw.isdigit():
        return i
    j = i + 1
    while j < len(tokens):
        tok = tokens[j]
        if tokens[j].start - tokens[j - 1].end > 2 or (breaks and breaks[j]):
            break
        if (tok.raw[:1].isupper() and tok.fold not in NOT_NAMES) or (
            tok.fold in CONNECTORS
            and j + 1 < len(tokens)
            and tokens[j + 1].raw[:1].isupper()
            and not (tok.fold in ("in", "and") and _starts_place(tokens, j + 1, gaz))
        ):
            j += 1
        elif (
            tok.fold == "of"
            and tokens[j - 1].fold in KIND_HEADS
            and j + 2 < len(tokens)
            and tokens[j + 1].fold == "the"
            and tokens[j + 2].raw[:1].isupper()
        ):
            j += 2  # "the Tomb of the Unknown Soldier": a body or place named after a thing
        else:
            break
    while j > i and tokens[j - 1].fold in CONNECTORS:
        j -= 1
    if j - i == 1 and (t.fold in gaz.demonyms or len(t.raw) < 2):
        return i  # "Russian", "Chinese" alone are adjectives, not names
    return j


# Last words of a place's name that ends a name before it ("... in Nampho City").
PLACE_HEADS = lexicon.words("entities.PLACE_HEADS")


def _starts_place(tokens: list[Token], k: int, gaz: Gazetteer) -> bool:
    """Token ``k`` opens a place of its own: a gazetteer state or place ("... in
    Pyongyang", "... and Vladivostok") or capitalised words ending in a place's head
    noun ("in Nampho City"), so a name before "in"/"and" ends there."""
    named = gaz.names.match(tokens, k)
    if named and named[1][0].kind in ("state", "place"):
        return True
    p = k
    while p < len(tokens) and p - k < 4 and tokens[p].raw[:1].isupper():
        if tokens[p].fold in PLACE_HEADS:
            return True
        p += 1
    return False


def _unlinked(tokens: list[Token], i: int, j: int) -> Mention:
    words = [t.raw.replace("\u2019", "'") for t in tokens[i:j]]
    kind = KIND_HEADS.get(tokens[j - 1].fold)
    if kind is None:
        # "Tomb of the Unknown Soldier", "Ministry of Foreign Affairs": the
        # head noun comes before the "of".
        of = next((k for k in range(i + 1, j) if tokens[k].fold == "of"), None)
        kind = KIND_HEADS.get(tokens[of - 1].fold, "other") if of else "other"
    return Mention(
        tokens[i].start, tokens[j - 1].end, EntityRef(" ".join(words), None, kind), None, "unlinked"
    )
