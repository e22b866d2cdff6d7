"""Who an event is about: the parties of a claim, by Wikidata id or by a folded name.
Shared by grouping (which parties two claims have in common) and the comparison (who each
outlet names)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from claims.models import Claim, Entity


@dataclass(frozen=True)
class Party:
    key: str  # a Wikidata id, or "name:" + the folded name
    name: str


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


# Words of a title or a description, never the part of a name two outlets share.
TITLE_WORDS = {
    "president", "minister", "defense", "defence", "foreign", "prime", "premier", "chairman",
    "general", "secretary", "leader", "supreme", "marshal", "russian", "korean", "chinese",
    "north", "south", "top", "deputy", "first", "state", "party", "head", "comrade", "respected",
    "the", "of", "and", "mr", "ms", "dr",
}


def _name_party(name: str) -> Party | None:
    """An unlinked name counts as a party only when it reads like a person's name: a few
    words in capitals, not the start of a sentence the extractor took for a subject. Its
    key is the name without titles ("Russian Defense Minister Sergey Shoigu" and "Sergey
    Shoigu" are one), so outlets that title a person differently still agree. Lower-case
    words after the name are the sentence running on ("Sergei Shoigu courteously")."""
    words = name.split()
    while words and words[-1].islower():
        words.pop()
    name = " ".join(words)
    if not 1 <= len(words) <= 6 or not all(w[:1].isupper() for w in words if len(w) > 3):
        return None
    kept = [w for w in fold(name).split() if w not in TITLE_WORDS]
    if not kept or len(kept) > 3:
        return None
    return Party(f"name:{' '.join(kept)}", name)


@dataclass(frozen=True)
class Known:
    """What the gazetteer tells grouping about parties."""

    # People by the last word of their name, where that word names one person only.
    surnames: dict[str, str] = field(default_factory=dict)
    # A capital city as a party stands for its state ("talks with Beijing"): city -> state.
    capitals: dict[str, Party] = field(default_factory=dict)


def known() -> Known:
    """Read from the gazetteer: "V Putin" is Q7747, but "Kim" is no one in particular;
    Beijing (Q956) as a party is China (Q148)."""
    seen: dict[str, set[str]] = {}
    for name, qid in Entity.objects.filter(kind=Entity.Kind.PERSON).exclude(qid="").values_list(
        "name", "qid"
    ):
        words = fold(name).split()
        if words:
            seen.setdefault(words[-1], set()).add(qid)
    states = dict(
        Entity.objects.filter(kind=Entity.Kind.STATE).exclude(qid="").values_list("qid", "name")
    )
    capitals = {}
    for qid, extra in Entity.objects.filter(kind=Entity.Kind.PLACE).exclude(qid="").values_list(
        "qid", "extra"
    ):
        country = extra.get("country") if extra.get("capital") else None
        if country in states:
            capitals[qid] = Party(country, states[country])
    return Known(
        surnames={word: next(iter(qids)) for word, qids in seen.items() if len(qids) == 1},
        capitals=capitals,
    )


def _linked(party: Party, unlinked: bool, gazetteer: Known) -> Party:
    if not unlinked:
        return gazetteer.capitals.get(party.key, party)
    # A name the extractor left unlinked ("V Putin") that ends in a gazetteer person's
    # unique surname, and has at most an initial or title before it.
    words = party.key.removeprefix("name:").split()
    if len(words) <= 2 and words[-1] in gazetteer.surnames and all(
        len(w) <= 2 for w in words[:-1]
    ):
        return Party(gazetteer.surnames[words[-1]], party.name)
    return party


def claim_parties(claim: Claim, gazetteer: Known | None = None) -> tuple[Party, ...]:
    """The claim's parties as the outlet named them; with the gazetteer, as grouping
    compares them (unlinked surnames linked, capitals as their states)."""
    out: dict[str, Party] = {}
    for role in ("subject", "object", "speaker"):
        qid, name = getattr(claim, f"{role}_qid"), getattr(claim, f"{role}_name")
        party = Party(qid, name or qid) if qid else (_name_party(name) if name else None)
        if party and gazetteer is not None:
            party = _linked(party, not qid, gazetteer)
        if party and party.key not in out:
            out[party.key] = party
    return tuple(out.values())
