"""Score event grouping on the real-article corpus against its gold events.

    .venv/bin/python bench/score_events.py [--split dev|test|both] [--show]

Each split is run in a fresh test database: the articles are ingested in order of
publication, extracted by the app's own code path (claims.processing.extract_article) and
grouped (verify.events.grouping.group_article), as the background tasks do one by one.
Each extracted claim is paired with its gold claim as tests/fixtures/score_extraction.py
pairs them (same sentence, best agreement of type, subject, object and date); unpaired
claims are left out. Then every pair of paired claims is a same-event decision: gold says
"same" when both claims carry the same non-null gold event, the app when both are in the
same event. Prints pairwise precision and recall, and how many claims whose gold event is
null the app put together with another claim, beside a baseline that calls two claims one
event when they give the same date and name a party in common. Tune on dev only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "articles"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from score_extraction import pair, same_sentence  # noqa: E402


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    logging.getLogger("claims").setLevel(logging.WARNING)


def as_pred(claim: Any) -> dict[str, Any]:
    def ent(name: str, qid: str) -> dict[str, Any] | None:
        return {"name": name, "qid": qid or None} if name or qid else None

    return {
        "sentence": claim.sentence, "type": claim.type,
        "subject": ent(claim.subject_name, claim.subject_qid),
        "object": ent(claim.object_name, claim.object_qid),
        "date": {"value": claim.date_value, "precision": claim.date_precision}
        if claim.date_value else None,
        "id": claim.pk,
    }


def same_date_and_party(a: Any, b: Any) -> bool:
    """The baseline: two claims tell of one event when they give the same date and name
    a party in common (by Wikidata id, else by name as written)."""
    def parties(c: Any) -> set[str]:
        return {getattr(c, f"{r}_qid") or getattr(c, f"{r}_name").lower()
                for r in ("subject", "object", "speaker")} - {""}

    return bool(a.date_value) and a.date_value == b.date_value and bool(parties(a) & parties(b))


def ratio(n: int, d: int) -> float | None:
    return round(n / d, 3) if d else None


def run_split(split: str, show: bool) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from claims.models import Article, Claim, Outlet
    from claims.processing import extract_article
    from verify.events.grouping import group_article
    from verify.models import EventMembership

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("load_gazetteer", verbosity=0)
        golds = []
        for path in sorted(CORPUS.joinpath(split).glob("*.gold.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            golds.append((gold["article"]["published"], path, gold))
        golds.sort(key=lambda g: (g[0], g[1].name))
        paired: list[tuple[int, str | None, str, str]] = []  # claim id, gold event, file, gold id
        for published, path, gold in golds:
            meta = gold["article"]
            outlet, _ = Outlet.objects.get_or_create(
                name=meta["outlet"], defaults={"country": meta.get("country", ""),
                                               "is_state_media": True})
            text = (path.parent / meta["text_file"]).read_text(encoding="utf-8")
            article = Article.objects.create(
                outlet=outlet, title=meta.get("title", ""), text=text,
                published=datetime.date.fromisoformat(published), content_hash=path.name,
            )
            claims = extract_article(article)
            group_article(article)
            preds = [as_pred(c) for c in claims]
            sentences: list[str] = []
            for c in gold["claims"]:
                if not any(same_sentence(c["sentence"], s) for s in sentences):
                    sentences.append(c["sentence"])
            for s in sentences:
                g_here = [c for c in gold["claims"] if same_sentence(c["sentence"], s)]
                p_here = [p for p in preds if same_sentence(s, p["sentence"])]
                for g, p, _f in pair(g_here, p_here):
                    paired.append((p["id"], g.get("event"), path.name, g["id"]))
        event_of = dict(EventMembership.objects.values_list("claim_id", "event_id"))
        by_id = Claim.objects.in_bulk([c for c, *_ in paired])
        baseline = {"tp": 0, "fp": 0, "fn": 0}
        tp = fp = fn = 0  # over pairs of claims that both have a gold event
        all_fp = 0  # pairs the app joined that gold does not, null-event claims included
        wrongly_joined: set[int] = set()
        for (a, ga, *_), (b, gb, *_) in combinations(paired, 2):
            gold_same = ga is not None and ga == gb
            ea, eb = event_of.get(a), event_of.get(b)
            pred_same = ea is not None and ea == eb
            if ga is not None and gb is not None:
                base_same = same_date_and_party(by_id[a], by_id[b])
                baseline["tp"] += gold_same and base_same
                baseline["fp"] += base_same and not gold_same
                baseline["fn"] += gold_same and not base_same
            all_fp += pred_same and not gold_same
            if pred_same and not gold_same:
                wrongly_joined |= {x for x, g in ((a, ga), (b, gb)) if g is None}
            if ga is None or gb is None:
                continue
            tp += gold_same and pred_same
            fp += pred_same and not gold_same
            fn += gold_same and not pred_same
        null_claims = [c for c, g, *_ in paired if g is None]
        if show:
            names = dict(EventMembership.objects.values_list("claim_id", "event__name"))
            for claim_id, g, name, gid in paired:
                c = by_id[claim_id]
                print(f"  {name[:40]:40} {gid} gold={g!s:28} "
                      f"event={event_of.get(claim_id)!s:5} {names.get(claim_id, '')[:40]}\n"
                      f"      {c.type} s={c.subject_name}|{c.subject_qid} "
                      f"o={c.object_name}|{c.object_qid} sp={c.speaker_name}|{c.speaker_qid} "
                      f"d={c.date_value}/{c.date_precision} p={c.place_name}|{c.place_qid}")
        groups: dict[int, set[str | None]] = defaultdict(set)
        for c, g, *_ in paired:
            if c in event_of:
                groups[event_of[c]].add(g)
        return {
            "split": split, "articles": len(golds), "paired_claims": len(paired),
            "gold_event_claims": len(paired) - len(null_claims), "null_claims": len(null_claims),
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "same_event_pairs": {"gold": tp + fn, "predicted": tp + fp, "agreed": tp},
            "precision_all_claims": round(tp / (tp + all_fp), 3) if tp + all_fp else None,
            "null_claims_joined_to_another": len(wrongly_joined),
            "events_made": len(groups),
            "baseline_same_date_and_party": {
                "precision": ratio(baseline["tp"], baseline["tp"] + baseline["fp"]),
                "recall": ratio(baseline["tp"], baseline["tp"] + baseline["fn"]),
            },
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--show", action="store_true", help="print every paired claim")
    args = parser.parse_args()
    setup()
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    for split in splits:
        print(json.dumps(run_split(split, args.show)))


if __name__ == "__main__":
    main()
