"""Wikidata: the dated statements and parties of the claim's entities, with their precision.

Sends wbsearchentities for names the extractor could not link, wbgetentities for the claim's
QIDs (subject, object, place), a second wbgetentities for the labels of the items those
statements point at, and, when the claim has a date, one SPARQL query for events the claim's
parties took part in or signed that year. Each relevant statement becomes one short passage
with its structured fact in provenance["facts"], so ranking and stance compare dates exactly
("July 2000, month precision") rather than by wording.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings

from outbound import http
from verify.evidence.sources import queries
from verify.evidence.sources.base import Candidate, Source, SourceError
from verify.evidence.sources.wikipedia import api_error

if TYPE_CHECKING:
    from claims.models import Claim

log = logging.getLogger(__name__)

TTL = 24 * 3600
ENTITY_URL = "https://www.wikidata.org/wiki/{}"
PROPERTIES = {
    "P585": "point in time",
    "P580": "start time",
    "P582": "end time",
    "P571": "inception",
    "P577": "publication date",
    "P1891": "signatory",
    "P710": "participant",
    "P276": "location",
    "P793": "significant event",
}
OWN_DATES = ("P585", "P580", "P582", "P571", "P577")  # the date of the entity itself
PRECISIONS = {7: "century", 8: "decade", 9: "year", 10: "month", 11: "day"}
MAX_FACTS_PER_ENTITY = 12
# A statement a year either side of the claim's date is still worth showing: stance decides.
WINDOW_PAD_DAYS = 366
_TIME = re.compile(r"^([+-])(\d{4,})-(\d\d)-(\d\d)T")
_QID = re.compile(r"^Q\d+$")


def parse_time(value: str, precision: int) -> tuple[str, str] | None:
    """("+2000-07-00T00:00:00Z", 10) -> ("2000-07", "month"). Month and day are 00 when
    unknown, so these strings never go near datetime.fromisoformat."""
    m = _TIME.match(value or "")
    if not m:
        return None
    sign = "-" if m[1] == "-" else ""
    year, month, day = f"{sign}{int(m[2]):04d}", m[3], m[4]
    if precision >= 11 and day != "00" and month != "00":
        return f"{year}-{month}-{day}", "day"
    if precision >= 10 and month != "00":
        return f"{year}-{month}", "month"
    return year, "year" if precision >= 9 else PRECISIONS.get(precision, "millennium or coarser")


def describe_time(value: str, precision: str) -> str:
    """"2000-07", "month" -> "July 2000"; decades and centuries in words."""
    parts = value.lstrip("-").split("-")
    year = int(parts[0]) * (-1 if value.startswith("-") else 1)
    if year < 1:
        return f"{abs(year)} BCE"  # Python dates stop at year 1
    if precision == "day":
        day = date(year, int(parts[1]), int(parts[2]))
        return f"{day.day} {day:%B} {year}"
    if precision == "month":
        return f"{date(year, int(parts[1]), 1):%B} {year}"
    if precision == "decade":
        return f"{year - year % 10}s"
    if precision == "century":
        return f"century of {year}"
    return str(year)


def time_window(value: str, precision: str) -> tuple[date, date] | None:
    if value.startswith("-"):
        return None
    if precision == "decade":
        y = int(value[:4]) - int(value[:4]) % 10
        return date(y, 1, 1), date(y + 9, 12, 31)
    if precision in ("year", "month", "day"):
        return queries.parse_date_value(value)
    return None


def snak_value(snak: dict) -> dict | None:
    """A snak as {"value": ..., "precision": ...}; somevalue/novalue say so in words."""
    if snak.get("snaktype") == "somevalue":
        return {"value": "unknown value"}
    if snak.get("snaktype") == "novalue":
        return {"value": "no value"}
    datavalue = snak.get("datavalue") or {}
    value = datavalue.get("value")
    kind = datavalue.get("type")
    if kind == "time" and isinstance(value, dict):
        parsed = parse_time(str(value.get("time", "")), int(value.get("precision", 9)))
        return {"value": parsed[0], "precision": parsed[1]} if parsed else None
    if kind == "wikibase-entityid" and isinstance(value, dict) and value.get("id"):
        return {"value": str(value["id"])}
    if kind == "monolingualtext" and isinstance(value, dict):
        return {"value": str(value.get("text", ""))}
    if kind == "quantity" and isinstance(value, dict):
        return {"value": str(value.get("amount", "")).lstrip("+")}
    if isinstance(value, str):
        return {"value": value}
    return None


def statement_facts(entity: dict) -> list[dict]:
    """The entity's statements for PROPERTIES, deprecated ones left out, with qualifiers."""
    facts = []
    for prop in PROPERTIES:
        for statement in (entity.get("claims") or {}).get(prop, []):
            if statement.get("rank") == "deprecated":
                continue
            main = snak_value(statement.get("mainsnak") or {})
            if main is None:
                continue
            qualifiers: dict[str, list[dict]] = {}
            for qprop, snaks in (statement.get("qualifiers") or {}).items():
                if qprop not in PROPERTIES:
                    continue
                values = [v for v in (snak_value(s) for s in snaks) if v]
                if values:
                    qualifiers[qprop] = values
            facts.append({"entity": entity.get("id", ""), "property": prop, **main,
                          "rank": statement.get("rank", "normal"), "qualifiers": qualifiers})
    return facts


def _values(fact: dict) -> list[dict]:
    return [fact, *(v for vs in fact["qualifiers"].values() for v in vs)]


def relevant(fact: dict, *, others: set[str], window: tuple[date, date] | None) -> bool:
    """Statements naming another party of the claim, and statements dated near the claim's
    date. A country's inception is no evidence about a visit in 2000 (and would read as "date
    differs"), so an entity's own dates count only when they are near, or the claim is undated."""
    values = _values(fact)
    if any(v["value"] in others for v in values):
        return True
    if window is None:
        return fact["property"] in OWN_DATES
    for v in values:
        span = time_window(v["value"], v["precision"]) if "precision" in v else None
        if span and span[0] <= window[1] and window[0] <= span[1]:
            return True
    return False


def sentence(fact: dict, labels: dict[str, str]) -> str:
    """One line per fact: "Vladimir Putin (Q7747): significant event … (Q…); point in time
    July 2000 (month precision)"."""
    def show(v: dict) -> str:
        if "precision" in v:
            return f"{describe_time(v['value'], v['precision'])} ({v['precision']} precision)"
        if _QID.match(v["value"]):
            label = labels.get(v["value"], "")
            return f"{label} ({v['value']})" if label else v["value"]
        return v["value"]

    parts = [f"{PROPERTIES[fact['property']]} {show(fact)}"]
    for qprop, values in fact["qualifiers"].items():
        parts.append(f"{PROPERTIES[qprop]} {', '.join(show(v) for v in values)}")
    entity = fact["entity"]
    head = f"{labels[entity]} ({entity})" if labels.get(entity) else entity
    return f"{head}: {'; '.join(parts)}."


class Wikidata(Source):
    name = "wikidata"
    label = "Wikidata"

    def enabled(self) -> bool:
        return self.name not in settings.SOURCES_DISABLED

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        qids = self.claim_qids(claim, query)
        if not qids:
            return []
        window = queries.date_window(claim, pad_days=WINDOW_PAD_DAYS)
        entities, response = self.entities(qids, props="info|labels|descriptions|claims")
        found: list[tuple[dict, dict]] = []  # (fact, entity info)
        labels = {qid: _label(e) for qid, e in entities.items()}
        for qid in qids:
            entity = entities.get(qid)
            if not entity or "missing" in entity:
                continue
            facts = [f for f in statement_facts(entity)
                     if relevant(f, others=set(qids) - {qid}, window=window)]
            found.extend((f, entity) for f in facts[:MAX_FACTS_PER_ENTITY])
        pointed = {v["value"] for f, _ in found for v in _values(f)
                   if _QID.match(v["value"]) and v["value"] not in labels}
        if pointed:
            more, _ = self.entities(sorted(pointed)[:50], props="labels")
            labels.update({qid: _label(e) for qid, e in more.items()})
        candidates = [self.fact_candidate(f, e, labels, response) for f, e in found]
        return candidates + self.events(claim, qids, window, labels)

    def claim_qids(self, claim: Claim, query: str) -> list[str]:
        """The claim's linked QIDs, plus the best entity-search hit for each unlinked name
        (and for a reviewer's own wording)."""
        qids: list[str] = []
        pairs = [(claim.subject_qid, claim.subject_name), (claim.object_qid, claim.object_name),
                 (claim.place_qid, claim.place_name)]
        if query.strip():
            pairs.append(("", query))
        for qid, name in pairs:
            if not qid and name.strip():
                qid = self.find_entity(queries.clean_name(name))
            if qid and _QID.match(qid) and qid not in qids:
                qids.append(qid)
        return qids

    def find_entity(self, label: str) -> str:
        response = http.get(settings.WIKIDATA_API_URL, source=self.name, ttl=TTL, params={
            "action": "wbsearchentities", "search": label, "language": "en", "uselang": "en",
            "type": "item", "limit": 3, "format": "json", "errorformat": "plaintext",
            "maxlag": 5,
        })
        body = response.json()
        api_error(response, body, service="Wikidata")
        hits = body.get("search") or []
        return str(hits[0].get("id", "")) if hits and isinstance(hits[0], dict) else ""

    def entities(self, ids: list[str], *, props: str) -> tuple[dict[str, dict], http.Response]:
        # No formatversion=2 here: the wb* modules' documented shapes are formatversion 1.
        response = http.get(settings.WIKIDATA_API_URL, source=self.name, ttl=TTL, params={
            "action": "wbgetentities", "ids": "|".join(ids[:50]), "props": props,
            "languages": "en", "languagefallback": 1, "format": "json",
            "errorformat": "plaintext", "maxlag": 5,
        })
        body = response.json()
        api_error(response, body, service="Wikidata")
        entities = body.get("entities")
        if not isinstance(entities, dict):
            raise SourceError("Wikidata answered wbgetentities without entities.")
        return {k: v for k, v in entities.items() if isinstance(v, dict)}, response

    def fact_candidate(self, fact: dict, entity: dict, labels: dict[str, str],
                       response: http.Response) -> Candidate:
        qid = fact["entity"]
        return Candidate(
            url=ENTITY_URL.format(qid),
            title=labels.get(qid) or qid,
            publisher="Wikidata",
            passage=sentence(fact, labels),
            provenance={**response.provenance(), "entity": qid,
                        "lastrevid": entity.get("lastrevid"), "modified": entity.get("modified"),
                        "facts": [fact], "licence": "CC0"},
        )

    def events(self, claim: Claim, qids: list[str], window: tuple[date, date] | None,
               labels: dict[str, str]) -> list[Candidate]:
        """Events the claim's parties took part in or signed in the claim's years (WDQS).
        Best effort: the entity statements above stand without it."""
        parties = [q for q in (claim.subject_qid, claim.object_qid) if q and _QID.match(q)]
        exact = queries.date_window(claim)
        if not parties or exact is None:
            return []
        sparql = EVENTS_QUERY % {"parties": " ".join(f"wd:{q}" for q in parties),
                                 "first": exact[0].year, "last": exact[1].year}
        try:
            response = http.post(
                settings.WDQS_URL, source=self.name, ttl=TTL,
                data={"query": sparql, "format": "json"},
                headers={"Accept": "application/sparql-results+json"},
                accept=("application/sparql-results+json", "application/json"),
            )
            bindings = ((response.json() or {}).get("results") or {}).get("bindings") or []
        except SourceError as exc:
            log.warning("WDQS events query failed for claim %s: %s", claim.pk, exc)
            return []
        return event_candidates(bindings, response, labels)


EVENTS_QUERY = """SELECT ?event ?eventLabel ?party ?partyLabel ?prop ?date ?precision WHERE {
  VALUES ?party { %(parties)s }
  ?event wdt:P710|wdt:P1891 ?party .
  { ?event p:P585 ?st . ?st psv:P585 ?tv . BIND("P585" AS ?prop) }
  UNION { ?event p:P580 ?st . ?st psv:P580 ?tv . BIND("P580" AS ?prop) }
  ?tv wikibase:timeValue ?date ; wikibase:timePrecision ?precision .
  FILTER NOT EXISTS { ?st wikibase:rank wikibase:DeprecatedRank }
  FILTER(YEAR(?date) >= %(first)d && YEAR(?date) <= %(last)d)
  SERVICE wikibase:label { bd:serviceParam wikibase:language "en". }
} LIMIT 50"""


def event_candidates(bindings: list, response: http.Response,
                     labels: dict[str, str]) -> list[Candidate]:
    """One candidate per event, its parties gathered from the SPARQL rows."""
    events: dict[str, dict] = {}
    for row in bindings:
        try:
            qid = row["event"]["value"].rsplit("/", 1)[-1]
            party = row["party"]["value"].rsplit("/", 1)[-1]
            prop = row["prop"]["value"]
            when = "+" + row["date"]["value"].lstrip("+")
            parsed = parse_time(when, int(row["precision"]["value"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # a row missing a bound variable tells us nothing dated
        if not _QID.match(qid) or parsed is None or prop not in PROPERTIES:
            continue
        for key, label in ((qid, row.get("eventLabel")), (party, row.get("partyLabel"))):
            text = (label or {}).get("value", "")
            if text and text != key:  # the label service answers a bare QID when it has none
                labels.setdefault(key, text)
        fact = events.setdefault(qid, {"entity": qid, "property": prop, "value": parsed[0],
                                       "precision": parsed[1], "rank": "normal",
                                       "qualifiers": {"P710": []}})
        if {"value": party} not in fact["qualifiers"]["P710"]:
            fact["qualifiers"]["P710"].append({"value": party})
    return [
        Candidate(url=ENTITY_URL.format(qid), title=labels.get(qid) or qid, publisher="Wikidata",
                  passage=sentence(fact, labels),
                  provenance={**response.provenance(), "entity": qid, "query": "events",
                              "facts": [fact], "licence": "CC0"})
        for qid, fact in events.items()
    ]


def _label(entity: dict) -> str:
    label = ((entity.get("labels") or {}).get("en") or {}).get("value", "")
    return str(label)
