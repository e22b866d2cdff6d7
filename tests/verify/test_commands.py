"""library_import and check_article: the evaluation commands' contract."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article
from verify.models import GatherJob, LibraryDocument, Reference, Suggestion

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "claims/fixtures/reference-pack"
SEED = ROOT / "claims/fixtures/seed/pyongyang-times-2020-04-24-dprk-russia-ties.txt"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_library_import_walks_directories_and_reports_what_it_did(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "note.txt").write_text(
        "URL: https://example.org/note\nTitle: A note\n\nKim Il Sung visited Moscow in March 1949."
    )
    (tmp_path / "no-url.txt").write_text("Just some text.")
    (tmp_path / ".hidden.txt").write_text("URL: https://example.org/hidden\n\nHidden.")
    out, err = run("library_import", str(tmp_path), str(PACK))
    pack = len(list(PACK.glob("*.txt")))
    assert out.strip() == f"{pack + 1} added, 0 updated, 1 refused"
    assert "no-url.txt: no URL" in err
    assert not LibraryDocument.objects.filter(url="https://example.org/hidden").exists()

    (tmp_path / "sub" / "note.txt").write_text(
        "URL: https://example.org/note\nTitle: A better note\n\nKim Il Sung visited Moscow."
    )
    out, _ = run("library_import", str(tmp_path / "sub"))
    assert out.strip() == "0 added, 1 updated, 0 refused"
    assert LibraryDocument.objects.get(url="https://example.org/note").title == "A better note"


@pytest.mark.django_db
def test_library_import_refuses_a_missing_path() -> None:
    with pytest.raises(CommandError, match="No such file"):
        run("library_import", "/nonexistent/path")


@pytest.mark.django_db
def test_check_article_prints_claims_with_ranked_references_and_suggestions() -> None:
    run("library_import", str(PACK))
    out, _ = run(
        "check_article",
        str(SEED),
        "--published",
        "2020-04-24",
        "--outlet",
        "Pyongyang Times",
        "--sources",
        "library,prior",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["article"] == {
        "title": "DPRK-Russia ties progress",
        "outlet": "Pyongyang Times",
        "published": "2020-04-24",
    }
    claims = {c["sentence"][:40]: c for c in data["claims"]}
    treaty = next(c for c in data["claims"] if c["date"] and c["date"]["value"] == "2000-02")
    best = treaty["references"][0]
    assert set(best) == {
        "url",
        "title",
        "publisher",
        "published",
        "source",
        "passage",
        "score",
        "independent",
        "stance",
        "hint",
    }
    assert (best["source"], best["stance"]) == ("library", "agrees")
    assert best["hint"] == "date agrees (9 February 2000 is within February 2000)"
    scores = [r["score"] for r in treaty["references"]]
    assert scores == sorted(scores, reverse=True)
    assert treaty["suggestion"]["label"] == "supported" and treaty["suggestion"]["reasons"]
    assert all(
        c["suggestion"]["label"] in {"supported", "disputed", "unverified"} for c in claims.values()
    )
    # The rows stay, as after a normal ingestion; no source outside those named was asked.
    article = Article.objects.get()
    assert article.state == Article.State.DONE
    assert set(GatherJob.objects.values_list("source", flat=True)) == {"library", "prior"}
    assert Suggestion.objects.filter(claim__article=article).count() == len(data["claims"])


@pytest.mark.django_db
def test_check_article_dry_run_leaves_the_database_as_it_was() -> None:
    run("library_import", str(PACK))
    out, _ = run("check_article", str(SEED), "--sources", "library", "--dry-run")
    assert json.loads(out)["claims"][0]["references"]
    assert (Article.objects.count(), Reference.objects.count(), GatherJob.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_check_article_refuses_unknown_sources() -> None:
    with pytest.raises(CommandError, match="Unknown sources: oracle"):
        run("check_article", str(SEED), "--sources", "library,oracle")
