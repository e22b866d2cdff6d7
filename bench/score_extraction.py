"""Score extraction on corpus splits, each figure beside the trivial baseline.

python bench/score_extraction.py [CORPUS] [--splits dev test seed heldout fixtures] [--json]

CORPUS is a directory holding articles/<split>/<slug>.txt and <slug>.gold.json (default:
tests/fixtures/corpus). The extractor's predictions come from `manage.py extract_claims`
itself (call_command), the code path the app uses. The baseline is the one of issue 14: one
claim per body sentence of at least six words, its type guessed from a few keywords, subject
the first capitalised name, date the first date written out.

Splits: the corpus's own (dev, test, ...), "seed" (shared/eval/seed-gold.json), "heldout"
(tests/fixtures/heldout/set*) and "fixtures" (tests/fixtures/articles). The test split is
frozen: run it only to report, never to look for rules (its per-article errors are never
printed).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import io
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def shared_eval() -> Path:
    """shared/eval beside the repo (or beside a folder holding it, as for a git worktree):
    the first of ROOT.parent/shared/eval, ROOT.parent.parent/shared/eval, ... that holds the
    scorer; ROOT.parent/shared/eval when none does (the copies in tests/fixtures are used)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "eval" / "score_extraction.py").exists():
            return folder / "shared" / "eval"
    return ROOT.parent / "shared" / "eval"


SHARED = shared_eval()
SEED_TEXT = ROOT / "claims/fixtures/seed/pyongyang-times-2020-04-24-dprk-russia-ties.txt"
FROZEN = frozenset({"test"})  # splits whose per-article errors are never printed


def scorer() -> ModuleType:
    """The shared scorer, or its copy in tests/fixtures when shared/ is not beside the repo."""
    path = SHARED / "score_extraction.py"
    if not path.exists():
        path = ROOT / "tests" / "fixtures" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def articles(corpus: Path, split: str) -> list[tuple[Path, Path]]:
    """(text, gold) pairs of a split."""
    if split == "seed":
        gold = SHARED / "seed-gold.json"
        if not gold.exists():
            gold = ROOT / "tests" / "fixtures" / "seed-gold.json"
        return [(SEED_TEXT, gold)]
    if split == "heldout":
        golds = sorted((ROOT / "tests" / "fixtures" / "heldout").glob("set*/*.gold.json"))
    elif split == "fixtures":
        golds = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.gold.json"))
    else:
        golds = sorted((corpus / "articles" / split).glob("*.gold.json"))
    return [(g.with_name(g.name.replace(".gold.json", ".txt")), g) for g in golds]


def prediction(text_path: Path, article: dict[str, Any]) -> dict[str, Any]:
    """What `manage.py extract_claims PATH --format json` prints."""
    from django.core.management import call_command

    out = io.StringIO()
    args = [f"--{k}={article[k]}" for k in ("title", "outlet", "published") if article.get(k)]
    call_command("extract_claims", str(text_path), *args, "--format=json", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


# --- the trivial baseline -------------------------------------------------------------------

BASELINE_TYPES = [  # first keyword found decides; "other" when none is
    ("anniversary", r"anniversar"),
    ("treaty_document", r"treaty|agreement|declaration|communique|accord|memorandum"),
    ("visit", r"visit|arriv|trip|tour|travel"),
    ("meeting", r"\bmet\b|meet|talks|received|summit"),
    ("quote", r"\bsaid\b|\bsays\b|stressed|noted|told|stated|according to|\""),
    ("statistic", r"\d+(?:\.\d+)?\s*(?:percent|%|million|billion|thousand|tons?)|\bper cent"),
    ("historical_event", r"\bwar\b|liberat|founded|established"),
    ("date_event", r"\bheld\b|took place|opened|launched|ceremony"),
]
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_DATE = re.compile(
    rf"\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:,\s*(?P<y1>\d{{4}}))?"
    rf"|\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>\d{{4}}))?"
    rf"|\b(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})"
    r"|\b(?P<y4>1[89]\d\d|20\d\d)\b"
)
_NAME = re.compile(r"\b[A-Z][\w'-]+(?:\s+(?:of\s+)?[A-Z][\w'-]+)*")
_SENTENCE_START_WORDS = frozenset(
    (
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "During",
        "After",
        "Before",
        "This",
        "That",
        "These",
        "It",
        "He",
        "She",
        "They",
        "We",
        "Under",
        "With",
    )
)


def baseline_date(text: str, published: datetime.date | None) -> dict[str, Any] | None:
    m = _DATE.search(text)
    if not m:
        return None
    g = m.groupdict()
    month_name = g["m1"] or g["m2"] or g["m3"]
    month = _MONTH.strip("(?:)").split("|").index(month_name) + 1 if month_name else None
    year_text = g["y1"] or g["y2"] or g["y3"] or g["y4"]
    year = int(year_text) if year_text else (published.year if published else None)
    day = g["d1"] or g["d2"]
    if year is None:
        return None
    if day and month:
        return {"value": f"{year:04d}-{month:02d}-{int(day):02d}", "precision": "day"}
    if month:
        return {"value": f"{year:04d}-{month:02d}", "precision": "month"}
    return {"value": f"{year:04d}", "precision": "year"}


def baseline_subject(text: str) -> dict[str, Any] | None:
    for m in _NAME.finditer(text):
        words = m.group().split()
        if m.start() == 0 and words[0] in _SENTENCE_START_WORDS:
            words = words[1:]
        if words:
            return {"name": " ".join(words), "qid": None}
    return None


def baseline(text: str, published: datetime.date | None) -> dict[str, Any]:
    from claims.extraction import split_sentences

    claims = []
    for sent in split_sentences(text):
        if sent.kind != "body" or len(sent.text.split()) < 6:
            continue
        kind = next((t for t, rx in BASELINE_TYPES if re.search(rx, sent.text, re.I)), "other")
        claims.append(
            {
                "sentence": sent.text,
                "span": [sent.start, sent.end],
                "type": kind,
                "subject": baseline_subject(sent.text),
                "object": None,
                "place": None,
                "date": baseline_date(sent.text, published),
            }
        )
    return {"claims": claims}


def read_article(path: Path) -> str:
    """The text as extract_claims reads it (decoded, HTML stripped, cleaned)."""
    from claims import ingestion

    text = ingestion.decode(path.read_bytes())
    if ingestion.looks_like_html(text):
        text, _ = ingestion.html_to_text(text)
    return ingestion.clean_text(text)


# --- scoring ---------------------------------------------------------------------------------


def score_split(
    corpus: Path, split: str, sc: ModuleType
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, dict[str, Any]]], Counter[str]]:
    ours, base, per_article = [], [], []
    left_out: Counter[str] = Counter()
    for text_path, gold_path in articles(corpus, split):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = prediction(text_path, gold["article"])
        published = gold["article"].get("published")
        day = datetime.date.fromisoformat(published) if published else None
        result = sc.score(gold, pred)
        if split not in FROZEN:
            result["errors"] = errors(sc, gold, pred)
        ours.append(result)
        base.append(sc.score(gold, baseline(read_article(text_path), day)))
        per_article.append((text_path.stem, result))
        for decision in pred.get("decisions", []):
            if not decision.get("checkable"):
                left_out[decision.get("category", "?")] += 1
    return sc.total(ours), sc.total(base), per_article, left_out


def _show(entity: Any) -> str:
    if isinstance(entity, dict):
        return str(entity.get("name") or entity.get("value"))
    return str(entity)


def errors(sc: ModuleType, gold: dict[str, Any], pred: dict[str, Any]) -> list[str]:
    """One line per gold claim not matched strictly: the gold's fields beside the paired
    prediction's (or 'missed'), the fields that disagree first. Never for a frozen split."""
    lines = []
    preds = [c for c in pred.get("claims", []) if isinstance(c, dict)]
    done: set[int] = set()
    for g in gold["claims"]:
        if id(g) in done:
            continue
        golds = [c for c in gold["claims"] if sc.same_sentence(c["sentence"], g["sentence"])]
        done.update(id(c) for c in golds)
        mine = [p for p in preds if sc.same_sentence(g["sentence"], p.get("sentence", ""))]
        paired = {id(gc): (p, f) for gc, p, f in sc.pair(golds, mine)}
        for gc in golds:
            head = f"{gc['id']:4} {gc['sentence'][:110]!r}\n"
            want = (
                f"     gold {gc['type']:16} s={gc.get('subject')!s:28.28} "
                f"o={gc.get('object')!s:28.28} d={gc.get('date')}"
            )
            if id(gc) not in paired:
                lines.append(f"MISSED {head}{want}")
                continue
            p, f = paired[id(gc)]
            bad = [k for k, v in f.items() if not v]
            if not bad:
                continue
            got = (
                f"     pred {p.get('type')!s:16} s={_show(p.get('subject')):28.28} "
                f"o={_show(p.get('object')):28.28} d={_show(p.get('date'))}"
            )
            lines.append(f"WRONG {','.join(bad)} {head}{want}\n{got}")
    return lines


ROWS = [
    ("sentences", "sentence"),
    ("claims_relaxed", "relaxed"),
    ("claims_typed", "typed"),
    ("claims_strict", "strict"),
]


def table(name: str, n: int, ours: dict[str, Any], base: dict[str, Any]) -> str:
    lines = [f"== {name} ({n} articles, {ours['claims_relaxed']['gold']} gold claims)"]
    lines.append(f"{'':12} {'P':>5} {'R':>5} {'F1':>5}   baseline {'P':>5} {'R':>5} {'F1':>5}")
    for key, label in ROWS:
        o, b = ours[key], base[key]
        lines.append(
            f"{label:12} {o['precision']:5.2f} {o['recall']:5.2f} {o['f1']:5.2f}"
            f"            {b['precision']:5.2f} {b['recall']:5.2f} {b['f1']:5.2f}"
        )
    for field in ("type", "subject", "object", "date"):
        o, b = ours["fields"][field], base["fields"][field]

        def acc(x: dict[str, Any]) -> str:
            return "  -  " if x["accuracy"] is None else f"{x['accuracy']:5.2f}"

        lines.append(
            f"{field + ' acc':12} {acc(o)} (n={o['n']:<3})            {acc(b)} (n={b['n']})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "tests/fixtures/corpus")
    parser.add_argument(
        "--splits", nargs="+", default=["dev", "test", "seed", "heldout"], metavar="SPLIT"
    )
    parser.add_argument("--articles", action="store_true", help="per-article figures (not test)")
    parser.add_argument(
        "--errors", action="store_true", help="each gold claim not matched strictly (not test)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--methods",
        nargs="+",
        choices=["model", "rules"],
        default=None,
        help="check-worthiness methods to score (default: the one in use)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from claims.extraction import checkworthiness

    sc = scorer()
    report: dict[str, Any] = {}
    methods = args.methods or [checkworthiness.METHOD]
    for method, split in [(m, s) for s in args.splits for m in methods]:
        checkworthiness.METHOD = method
        pairs = articles(args.corpus, split)
        if not pairs:
            print(f"== {split}: no articles", file=sys.stderr)
            continue
        ours, base, per_article, left_out = score_split(args.corpus, split, sc)
        name = split if len(methods) == 1 else f"{split}, check-worthiness by {method}"
        report[name] = {"extractor": ours, "baseline": base, "left_out": dict(left_out)}
        if args.json:
            continue
        print(table(name, len(pairs), ours, base))
        if left_out:
            print("left out:", ", ".join(f"{k} {v}" for k, v in left_out.most_common()))
        if args.articles and split not in FROZEN:
            for stem, r in per_article:
                s, t = r["sentences"], r["claims_typed"]
                print(
                    f"  {stem[:48]:48} sentF1 {s['f1']:.2f} typedF1 {t['f1']:.2f}"
                    f" strictF1 {r['claims_strict']['f1']:.2f}"
                )
        if args.errors and split not in FROZEN:
            for stem, r in per_article:
                for line in r.get("errors", []):
                    print(f"[{stem[:30]}] {line}")
        print()
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
