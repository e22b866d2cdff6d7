"""The whole pipeline on the development set, scored with shared/eval/score_verification.py.

tests/fixtures/verification/ holds three articles in the seed's style about other real events,
reference notes written for them, and gold claims with evidence URLs and verdicts (two are
disputed: a note gives another date than the article). The notes and the demo reference pack
are imported with library_import, each article goes through check_article with the library
and earlier verdicts, and the scorer must report recall@5 >= 0.8 and suggestion accuracy
>= 0.7.
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests/fixtures/verification"
SHARED_SCORER = ROOT.parent / "shared/eval/score_verification.py"
SCORER = SHARED_SCORER if SHARED_SCORER.exists() else ROOT / "tests/fixtures/score_verification.py"


@pytest.mark.django_db
def test_the_pipeline_finds_the_evidence_and_suggests_the_gold_verdicts(tmp_path: Path) -> None:
    call_command(
        "library_import",
        str(ROOT / "claims/fixtures/reference-pack"),
        str(DEV / "notes"),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    pairs = []
    for gold in sorted(DEV.glob("*.gold.json")):
        article = json.loads(gold.read_text(encoding="utf-8"))["article"]
        out = StringIO()
        call_command(
            "check_article",
            str(DEV / article["text_file"]),
            "--title",
            article["title"],
            "--outlet",
            article["outlet"],
            "--published",
            article["published"],
            "--sources",
            "library,prior",
            "--format",
            "json",
            stdout=out,
        )
        pred = tmp_path / gold.name.replace(".gold.", ".pred.")
        pred.write_text(out.getvalue(), encoding="utf-8")
        pairs += [str(gold), str(pred)]
    assert len(pairs) == 6
    scored = subprocess.run(
        [sys.executable, str(SCORER), *pairs, "--json"], capture_output=True, text=True, check=True
    )
    figures = json.loads(scored.stdout)
    print(json.dumps(figures, indent=1))  # shown with -s: the figures the report quotes
    assert figures["paired"] == figures["claims"]
    assert figures["recall@5"] >= 0.8
    assert figures["suggestion_accuracy"] >= 0.7
    assert figures["per_label"]["disputed"]["recall"] == 1.0
