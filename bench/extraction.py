"""Time claim extraction on one core over a whole corpus: every article once per round,
median ms per article and the same scaled to 700 words.

python bench/extraction.py [CORPUS ...]

CORPUS: directories searched for *.txt (default: tests/fixtures/corpus/articles, the old
fixtures and held-out sets, and the seed). The test split is only timed, never scored here.
"""

from __future__ import annotations

import datetime
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.extraction import extract, load_gazetteer  # noqa: E402

SEED = ROOT / "claims" / "fixtures" / "seed"
DEFAULT = [
    ROOT / "tests" / "fixtures" / "corpus" / "articles",
    ROOT / "tests" / "fixtures" / "articles",
    ROOT / "tests" / "fixtures" / "heldout",
    SEED,
]
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def corpus(dirs: list[Path]) -> list[tuple[str, datetime.date | None]]:
    out = []
    for d in dirs:
        for path in sorted(d.rglob("*.txt")):
            m = DATE_IN_NAME.search(path.name)
            day = datetime.date.fromisoformat(m.group(1)) if m else None
            out.append((path.read_text(encoding="utf-8"), day))
    return out


def main(argv: list[str]) -> None:
    dirs = [Path(a) for a in argv] or DEFAULT
    texts = corpus(dirs)
    if not texts:
        raise SystemExit("no articles found")
    load_gazetteer()  # parsing the gazetteer is a one-off, not per article
    for text, day in texts[:3]:
        extract(text, published=day)  # warm caches
    per_article, per_700, cpu_700 = [], [], []
    for _ in range(3):
        for text, day in texts:
            t0, c0 = time.perf_counter(), time.process_time()
            extract(text, published=day)
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
            scale = 700 / max(1, len(text.split()))
            per_article.append(elapsed)
            per_700.append(elapsed * scale)
            cpu_700.append(cpu * scale)
    words = statistics.median(len(t.split()) for t, _ in texts)
    print(
        f"{len(texts)} articles (median {words:.0f} words), 3 rounds: "
        f"median {statistics.median(per_article) * 1000:.2f} ms/article, "
        f"{statistics.median(per_700) * 1000:.2f} ms per 700 words "
        f"(p90 {statistics.quantiles(per_700, n=10)[-1] * 1000:.2f}); "
        f"CPU time {statistics.median(cpu_700) * 1000:.2f} ms per 700 words "
        f"(wall time counts other processes on a shared machine)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
