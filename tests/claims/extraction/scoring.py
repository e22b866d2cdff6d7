"""Run the shared scorer (shared/eval/score_extraction.py) on extract()'s output."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[3]


def bench_module() -> ModuleType:
    """bench/score_extraction.py (splits, scorer, baseline) as a module."""
    spec = importlib.util.spec_from_file_location(
        "score_extraction", REPO / "bench" / "score_extraction.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHARED = bench_module().SHARED.parent  # shared/ beside the repo (or its worktree folder)
ARTICLES = REPO / "tests" / "fixtures" / "articles"
SEED_TEXT = (
    REPO / "claims" / "fixtures" / "seed" / "pyongyang-times-2020-04-24-dprk-russia-ties.txt"
)


def scorer_path() -> Path:
    shared = SHARED / "eval" / "score_extraction.py"
    return shared if shared.exists() else REPO / "tests" / "fixtures" / "score_extraction.py"


def seed_gold_path() -> Path:
    shared = SHARED / "eval" / "seed-gold.json"
    return shared if shared.exists() else REPO / "tests" / "fixtures" / "seed-gold.json"


def prediction(text_path: Path, article: dict[str, Any]) -> dict[str, Any]:
    """What `manage.py extract_claims PATH --format json` prints: the app's own code path
    (bench/score_extraction.py's, so the tests and the figures read the same thing)."""
    result: dict[str, Any] = bench_module().prediction(text_path, article)
    return result


def score(text_path: Path, gold_path: Path) -> dict[str, Any]:
    """The scorer's per-file JSON for one article."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pred = prediction(text_path, gold["article"])
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(pred, fh)
    out = subprocess.run(
        [sys.executable, str(scorer_path()), str(gold_path), fh.name, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(fh.name).unlink()
    result: dict[str, Any] = json.loads(out.stdout)["files"][str(gold_path)]
    return result


def summary(result: dict[str, Any]) -> str:
    f = result["fields"]
    return (
        f"sentF1 {result['sentences']['f1']:.3f} "
        f"relaxed P {result['claims_relaxed']['precision']:.3f} "
        f"R {result['claims_relaxed']['recall']:.3f} "
        f"strict F1 {result['claims_strict']['f1']:.3f} "
        f"type {f['type']['accuracy']} subj {f['subject']['accuracy']} "
        f"obj {f['object']['accuracy']} "
        f"date {f['date']['accuracy']}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    r = score(SEED_TEXT, seed_gold_path())
    print(summary(r))
    print(
        json.dumps(
            {k: r[k] for k in ("missed_gold", "field_errors", "stray_predictions")}, indent=1
        )
    )
