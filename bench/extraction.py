"""Time claim extraction on one core: the seed, and a corpus of >= 100 articles.

python bench/extraction.py
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.extraction import extract, load_gazetteer  # noqa: E402

SEED = ROOT / "claims" / "fixtures" / "seed" / "pyongyang-times-2020-04-24-dprk-russia-ties.txt"
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
PUBLISHED = datetime.date(2020, 4, 24)


def run(texts: list[str], rounds: int = 3) -> tuple[float, float]:
    """Median seconds per article and words per second over all runs."""
    times = []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            extract(text, published=PUBLISHED)
            times.append(time.perf_counter() - t0)
    words = sum(len(t.split()) for t in texts) * rounds
    return statistics.median(times), words / sum(times)


def main() -> None:
    load_gazetteer()  # parsing the gazetteer is a one-off, not per article
    seed = SEED.read_text(encoding="utf-8")
    extract(seed, published=PUBLISHED)  # warm caches
    median, wps = run([seed], rounds=50)
    print(
        f"seed ({len(seed.split())} words): "
        f"median {median * 1000:.2f} ms/article, {wps:,.0f} words/s"
    )
    fixtures = [seed] + [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    corpus = (fixtures * (100 // len(fixtures) + 1))[: max(100, len(fixtures))]
    median, wps = run(corpus)
    words = statistics.median(len(t.split()) for t in corpus)
    print(
        f"corpus ({len(corpus)} articles, median {words:.0f} words): "
        f"median {median * 1000:.2f} ms/article, {wps:,.0f} words/s"
    )
    big = " ".join([seed] * 3)  # ~2,000 words
    median, wps = run([big], rounds=10)
    print(
        f"long article ({len(big.split())} words): "
        f"median {median * 1000:.2f} ms/article, {wps:,.0f} words/s"
    )


if __name__ == "__main__":
    main()
