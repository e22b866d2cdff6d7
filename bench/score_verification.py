"""References and suggestions on the real-article corpus, beside their baselines.

    python bench/score_verification.py dev [--corpus DIR] [--keep DIR] [--json]

For one split of the corpus (default <repo>/tests/fixtures/corpus; the annotators' working
copy is ../main/tests/fixtures/corpus): a fresh SQLite database, the gazetteer and outlets
loaded, the split's evidence pages imported with `library_import`, then every article through
`check_article --sources library,prior --format json` (the app's own code path), scored with
score_verification.py (shared/eval's when it is beside the repo, else tests/fixtures').

Printed beside each figure: BM25 over the claim's sentence alone, re-ranking the very
references the pipeline gathered for that claim, and the majority label of the split's gold.
Figures are given over every gold claim (an unextracted claim counts as a miss) and over the
gold claims the extractor produced (paired) only, with the number not extracted.

The test split is for reporting only: never tune on it (docs/verification.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED_SCORER = ROOT.parent / "shared/eval/score_verification.py"
if not SHARED_SCORER.exists():  # a worktree: shared/ sits beside the main checkout
    SHARED_SCORER = Path("/work/shared/eval/score_verification.py")
SCORER = SHARED_SCORER if SHARED_SCORER.exists() else ROOT / "tests/fixtures/score_verification.py"
LABELS = ("supported", "disputed", "unverified")


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["HF_HUB_OFFLINE"] = "1"  # nothing is ever downloaded; this makes sure
    import django

    django.setup()


def quiet(*args: str) -> str:
    from django.core.management import call_command

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_split(corpus: Path, split: str, keep: Path) -> list[tuple[Path, Path, Path]]:
    """(gold, prediction, BM25-baseline prediction) per article of the split."""
    from claims.models import Article
    from verify.evidence.ranking import bm25
    from verify.evidence.text import terms

    quiet("migrate", "--noinput")
    quiet("load_gazetteer")
    quiet("load_outlets")
    evidence = corpus / "evidence" / split
    if evidence.is_dir():
        print(quiet("library_import", str(evidence)).strip(), file=sys.stderr)
    out = []
    for gold_path in sorted((corpus / "articles" / split).glob("*.gold.json")):
        meta = json.loads(gold_path.read_text(encoding="utf-8"))["article"]
        text_file = gold_path.parent / meta.get(
            "text_file", gold_path.name.replace(".gold.json", ".txt")
        )
        args = ["check_article", str(text_file), "--title", meta.get("title", ""),
                "--outlet", meta.get("outlet", ""), "--sources", "library,prior",
                "--format", "json"]
        if meta.get("published"):
            args += ["--published", meta["published"]]
        pred = json.loads(quiet(*args))
        stem = gold_path.name.removesuffix(".gold.json")
        pred_path = keep / f"{stem}.pred.json"
        pred_path.write_text(json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
        # The baseline: the same claims and candidates, ranked by BM25 of the sentence alone.
        article = Article.objects.filter(title=meta.get("title", "")).order_by("-pk").first()
        by_sentence: dict[str, list[dict[str, Any]]] = {}
        for claim in article.claims.all() if article else []:
            refs = list(claim.references.all())
            scores = bm25(terms(claim.sentence), [r.passage for r in refs])
            ranked = sorted(zip(scores, refs, strict=True), key=lambda p: -p[0])
            by_sentence.setdefault(claim.sentence, [])
            by_sentence[claim.sentence].append({"references": [{"url": r.url} for _, r in ranked]})
        base = {"claims": []}
        for c in pred["claims"]:
            refs = by_sentence.get(c["sentence"], [])
            base["claims"].append({**c, **(refs.pop(0) if refs else {"references": []}),
                                   "suggestion": {"label": "unverified"}})
        base_path = keep / f"{stem}.bm25.json"
        base_path.write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
        out.append((gold_path, pred_path, base_path))
    return out


def score(pairs: list[tuple[Path, Path]]) -> dict[str, Any]:
    args = [str(p) for pair in pairs for p in pair]
    done = subprocess.run([sys.executable, str(SCORER), *args, "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def paired_only(gold_path: Path, pred_path: Path, keep: Path) -> Path:
    """The gold file less the claims the extractor did not produce."""
    sys.path.insert(0, str(SCORER.parent))
    from score_verification import paired_claims  # type: ignore[import-not-found]

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pred = json.loads(pred_path.read_text(encoding="utf-8"))
    ids = {g["id"] for g, _ in paired_claims(gold, pred)}
    gold["claims"] = [c for c in gold["claims"] if c["id"] in ids]
    path = keep / gold_path.name.replace(".gold.json", ".paired.gold.json")
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def majority(golds: list[Path]) -> dict[str, Any]:
    verdicts = Counter(c["verdict"] for g in golds
                       for c in json.loads(g.read_text(encoding="utf-8"))["claims"])
    label, count = verdicts.most_common(1)[0] if verdicts else ("unverified", 0)
    n = sum(verdicts.values())
    return {"label": label, "accuracy": round(count / n, 3) if n else None,
            "recall": {lab: 1.0 if lab == label else 0.0 for lab in LABELS},
            "precision": {lab: round(count / n, 3) if lab == label and n else None
                          for lab in LABELS}, "gold": dict(verdicts)}


def table(name: str, ours: dict[str, Any], bm25: dict[str, Any], major: dict[str, Any]) -> str:
    def f(v: Any) -> str:
        return "  -  " if v is None else f"{v:.3f}"

    rows = [
        ("recall@1", ours["recall@1"], bm25["recall@1"], None),
        ("recall@5", ours["recall@5"], bm25["recall@5"], None),
        ("suggestion accuracy", ours["suggestion_accuracy"], None, major["accuracy"]),
    ]
    for lab in LABELS:
        per = ours["per_label"][lab]
        rows.append((f"{lab} precision", per["precision"], None, major["precision"][lab]))
        rows.append((f"{lab} recall", per["recall"], None, major["recall"][lab]))
    lines = [f"{name}: {ours['claims']} gold claims, {ours['with_evidence']} with evidence, "
             f"{ours['paired']} paired with an extracted claim",
             f"  {'':24} {'ours':>7} {'BM25':>7} {'majority':>9}"]
    lines += [f"  {k:24} {f(a):>7} {f(b):>7} {f(c):>9}" for k, a, b, c in rows]
    lines.append("  predicted: " + ", ".join(
        f"{lab} {ours['per_label'][lab]['predicted']}" for lab in LABELS)
        + f"; majority label: {major['label']}")
    return "\n".join(lines)


def clear_caches() -> None:
    from verify.evidence import embeddings, signals, stance, text

    embeddings.encode_one.cache_clear()
    text.fold.cache_clear()
    text._words.cache_clear()
    text.dates_in.cache_clear()
    signals._quantities.cache_clear()
    stance._mentions.clear()


def ranking_speed(passages: int = 50) -> dict[str, Any]:
    """Milliseconds to rank each claim's candidates, topped up to `passages` with other
    claims' library passages, the model loaded and warm (a figure, not a timed test)."""
    import statistics
    import time

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from claims.models import Claim
    from claims.processing import current_gazetteer
    from verify.evidence import ranking
    from verify.models import Reference

    gazetteer = current_gazetteer()
    pool = list(Reference.objects.filter(source="library")[:400])
    times: list[float] = []
    walls: list[float] = []
    claims = list(Claim.objects.filter(references__isnull=False).distinct()[:40])
    for claim in claims:
        refs = list(claim.references.all())[:passages]
        refs += [r for r in pool if r.claim_id != claim.pk][: passages - len(refs)]
        # Cold: nothing of these passages or of the claim remembered from an earlier ranking.
        clear_caches()
        started, cpu = time.perf_counter(), time.process_time()
        ranking.rank(claim, refs, gazetteer)
        times.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
    times.sort()
    # CPU time of this process: on a shared machine the wall clock also counts the time the
    # other processes had the core (both are printed).
    return {"passages": passages, "claims": len(times),
            "median": statistics.median(times) if times else 0.0,
            "p90": times[int(0.9 * (len(times) - 1))] if times else 0.0,
            "wall_median": statistics.median(walls) if walls else 0.0,
            "load": os.getloadavg()[0]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", choices=["dev", "test"])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests/fixtures/corpus")
    parser.add_argument("--keep", type=Path, help="write predictions here (default: a temp dir)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--speed", action="store_true",
                        help="also time ranking one claim's 50 passages on one core")
    opts = parser.parse_args(argv)
    keep = opts.keep or Path(tempfile.mkdtemp(prefix=f"verification-{opts.split}-"))
    keep.mkdir(parents=True, exist_ok=True)
    db = keep / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    setup_django(db)
    runs = run_split(opts.corpus, opts.split, keep)
    if not runs:
        print(f"no articles in {opts.corpus}/articles/{opts.split}", file=sys.stderr)
        return 1
    golds = [g for g, _, _ in runs]
    ours = score([(g, p) for g, p, _ in runs])
    base = score([(g, b) for g, _, b in runs])
    paired = [paired_only(g, p, keep) for g, p, _ in runs]
    ours_p = score([(pg, p) for pg, (_, p, _) in zip(paired, runs, strict=True)])
    base_p = score([(pg, b) for pg, (_, _, b) in zip(paired, runs, strict=True)])
    major, major_p = majority(golds), majority(paired)
    from verify.evidence import embeddings

    figures = {"split": opts.split, "articles": len(runs), "embeddings": embeddings.status(),
               "all": {"ours": ours, "bm25": base, "majority": major},
               "paired": {"ours": ours_p, "bm25": base_p, "majority": major_p},
               "not_extracted": ours["claims"] - ours["paired"]}
    if opts.speed:
        figures["ranking_ms"] = ranking_speed()
    if opts.json:
        print(json.dumps(figures, indent=1))
    else:
        print(f"split {opts.split}: {len(runs)} articles; ranking: {embeddings.status()}")
        print(table("all gold claims", ours, base, major))
        print(table("gold claims that were extracted", ours_p, base_p, major_p))
        print(f"gold claims not extracted: {figures['not_extracted']} of {ours['claims']}")
        if opts.speed:
            print("ranking one claim's {passages} passages, one core, model loaded, cold: "
                  "median {median:.1f} ms CPU, p90 {p90:.1f} ms over {claims} claims (wall "
                  "median {wall_median:.1f} ms at load average {load:.1f})".format(
                      **figures["ranking_ms"]))
        print(f"predictions in {keep}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
