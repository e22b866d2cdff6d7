"""Train the check-worthiness model: logistic regression over the decision's named features
and word n-grams, written to checkworthiness_model.json (small, versioned, read at run time;
nothing is downloaded).

python bench/train_checkworthiness.py [--train SPLIT ...] [--eval SPLIT ...]

A body sentence is positive when a gold claim is stated in it. Splits are those of
bench/score_extraction.py; never train on "test". Plain Python (no scikit-learn): a few
hundred sentences and a few thousand weights need nothing more.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the repo's own packages

from claims.extraction import checkworthiness  # noqa: E402
from claims.extraction.pipeline import extract_article  # noqa: E402

KEEP = 400  # n-gram weights kept (by size); the named features are always kept


def bench_module() -> ModuleType:
    """bench/score_extraction.py (splits, scorer, baseline) as a module."""
    spec = importlib.util.spec_from_file_location(
        "score_extraction", ROOT / "bench" / "score_extraction.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def examples(splits: list[str], corpus: Path) -> list[tuple[dict[str, float], int]]:
    bench = bench_module()
    sc = bench.scorer()
    out = []
    for split in splits:
        if split == "test":
            raise SystemExit("the test split is frozen: never train on it")
        for text_path, gold_path in bench.articles(corpus, split):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            published = gold["article"].get("published")
            import datetime

            day = datetime.date.fromisoformat(published) if published else None
            result = extract_article(bench.read_article(text_path), published=day, method="rules")
            sentences = [c["sentence"] for c in gold["claims"]]
            for d in result.decisions:
                label = int(any(sc.same_sentence(s, d.sentence) for s in sentences))
                items = {f"f:{k}": x for k, x in d.features.items()}
                for g in checkworthiness.ngrams(d.sentence):
                    items[g] = 1.0
                out.append((items, label))
    return out


def train(
    data: list[tuple[dict[str, float], int]], epochs: int = 40, l2: float = 1e-3
) -> dict[str, float]:
    w: dict[str, float] = {}
    rng = random.Random(14)
    order = list(range(len(data)))
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = 0.2 / (1 + epoch * 0.1)
        for i in order:
            items, y = data[i]
            z = sum(w.get(k, 0.0) * x for k, x in items.items())
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            for k, x in items.items():
                w[k] = w.get(k, 0.0) - rate * (g * x + l2 * w.get(k, 0.0))
    named = {k: v for k, v in w.items() if k.startswith("f:")}
    grams = sorted(
        (kv for kv in w.items() if not kv[0].startswith("f:")), key=lambda kv: -abs(kv[1])
    )
    return {**named, **dict(grams[:KEEP])}


def evaluate(w: dict[str, float], data: list[tuple[dict[str, float], int]]) -> dict[str, float]:
    tp = fp = fn = 0
    for items, y in data:
        z = sum(w.get(k, 0.0) * x for k, x in items.items())
        pred = int(z > 0)
        tp += pred and y
        fp += pred and not y
        fn += (not pred) and y
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def rules_eval(data: list[tuple[dict[str, float], int]]) -> dict[str, float]:
    v = checkworthiness.vocabulary()
    w = {f"f:{k}": x for k, x in v.rule_weights.items()}
    w["f:bias"] = w.get("f:bias", 0.0) - v.rule_threshold
    return evaluate(w, data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests/fixtures/corpus")
    parser.add_argument("--train", nargs="+", default=["seed", "heldout", "fixtures", "dev"])
    parser.add_argument("--eval", nargs="*", default=[])
    parser.add_argument("--out", type=Path, default=checkworthiness.MODEL)
    args = parser.parse_args(argv)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    data = examples(args.train, args.corpus)
    w = train(data)
    print(f"trained on {', '.join(args.train)}: {len(data)} sentences, {len(w)} weights")
    print("  fit  model", {k: round(x, 3) for k, x in evaluate(w, data).items()})
    for split in args.eval:
        held = examples([split], args.corpus)
        print(f"  {split} ({len(held)} sentences)")
        print("    model", {k: round(x, 3) for k, x in evaluate(w, held).items()})
        print("    rules", {k: round(x, 3) for k, x in rules_eval(held).items()})
    model = {
        "about": "logistic regression over checkworthiness.features() and word n-grams; "
        "trained by python bench/train_checkworthiness.py on " + ", ".join(args.train),
        "threshold": 0.0,
        "weights": {k: round(x, 4) for k, x in sorted(w.items())},
    }
    args.out.write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
