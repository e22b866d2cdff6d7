"""Every reference source's API, replayed on 127.0.0.1 in its documented format.

The bodies are the canned responses of tests/verify/sources/responses/; requests are routed
by path (settings.*_URL point at these paths) and by query (the MediaWiki `action`, the
Wikibase `ids`), so each source sees the answers it would get from the real service:

    with ReplayServer() as server:
        serve_all_sources(server)
        settings.update(source_urls(server.url()))

`delay` adds latency to every answer (bench/gather.py uses 200 ms).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from tests.replay import ReplayServer, Reply, Seen

RESPONSES = Path(__file__).parent / "sources" / "responses"
SPARQL_JSON = "application/sparql-results+json"
FACTCHECK_KEY = "replay-test-key"  # the key the replayed Fact Check API accepts

# Source URL setting -> the path the replay server answers it on (as the real services' paths).
PATHS = {
    "WIKIPEDIA_API_URL": "/w/api.php",
    "WIKIPEDIA_REST_URL": "/api/rest_v1",
    "WIKIDATA_API_URL": "/w/api.php",  # one MediaWiki endpoint, told apart by `action`
    "WDQS_URL": "/sparql",
    "GDELT_DOC_URL": "/api/v2/doc/doc",
    "FACTCHECK_URL": "/v1alpha1/claims:search",
}


@cache
def body(name: str) -> Any:
    return json.loads((RESPONSES / name).read_text(encoding="utf-8"))


def source_urls(base: str | Callable[[str], str]) -> dict[str, str]:
    """The *_URL settings for a replay server at `base` ("http://127.0.0.1:PORT"), or for a
    function naming the base for each setting (one host per source)."""
    base_for = base if callable(base) else (lambda _setting: base)
    return {name: base_for(name) + path for name, path in PATHS.items()}


def mediawiki(seen: Seen) -> Reply:
    """Wikipedia's search + extracts, and Wikibase's entity search and entities."""
    query = {k: v[0] for k, v in seen.query.items()}
    action = query.get("action", "")
    if action == "query" and query.get("generator") == "search":
        return Reply(json=body("wikipedia_search.json"))
    if action == "wbsearchentities":
        return Reply(json=body("wikidata_search.json"))
    if action == "wbgetentities":
        return Reply(json=entities(query.get("ids", "").split("|"), query.get("props", "")))
    return Reply(json=body("wikipedia_badvalue.json"))  # an unknown request: MediaWiki's error


def entities(ids: list[str], props: str) -> dict:
    """The entities asked for; ids the canned data does not have come back `missing`."""
    known = {**body("wikidata_entities.json")["entities"]}
    if props == "labels":
        known.update(body("wikidata_labels.json")["entities"])
    found = {q: known.get(q, {"id": q, "missing": ""}) for q in ids if q}
    return {"entities": found, "success": 1}


def factcheck(seen: Seen) -> Reply:
    if seen.query.get("key", [""])[0] != FACTCHECK_KEY:
        return Reply(status=400, json=body("factcheck_invalid_key.json"))
    return Reply(json=body("factcheck_claims.json"))


def serve_all_sources(server: ReplayServer, *, delay: float = 0.0) -> None:
    """Route every source API's path on `server`, each answer `delay` seconds late."""
    def late(handler: Callable[[Seen], Reply]) -> Callable[[Seen], Reply]:
        def answer(seen: Seen) -> Reply:
            reply = handler(seen)
            reply.delay = delay
            return reply
        return answer

    server.route(PATHS["WIKIPEDIA_API_URL"], late(mediawiki))
    server.route(PATHS["WDQS_URL"], late(lambda _: Reply(json=body("wdqs_events.json"),
                                                         content_type=SPARQL_JSON)))
    server.route(PATHS["GDELT_DOC_URL"], late(lambda _: Reply(json=body("gdelt_artlist.json"))))
    server.route(PATHS["FACTCHECK_URL"], late(factcheck))
