from __future__ import annotations

from claims.models import Claim
from verify.review.highlight import paragraphs

TEXT = "Headline line\nCaption, Vladivostok, April 25, 2019.\n\nFirst one. Second one here.\n"


def claim(start: int, end: int, state: str = "pending") -> Claim:
    decided = state in Claim.Verdict.values
    return Claim(start=start, end=end, sentence=TEXT[start:end],
                 status=Claim.Status.FINAL if decided else Claim.Status.OPEN,
                 verdict=state if decided else "")


def test_every_line_is_its_own_block_and_reproduces_the_text() -> None:
    blocks = paragraphs(TEXT, [])
    assert ["".join(s.text for s in block) for block in blocks] == [
        "Headline line",
        "Caption, Vladivostok, April 25, 2019.",
        "First one. Second one here.",
    ]


def test_each_claim_span_is_marked_once_with_all_its_claims() -> None:
    second = TEXT.index("Second")
    a, b = claim(second, len(TEXT) - 1), claim(second, len(TEXT) - 1, "disputed")
    caption = claim(TEXT.index("Caption"), TEXT.index("2019.") + 5, "supported")
    blocks = paragraphs(TEXT, [a, b, caption])
    marked = [s for block in blocks for s in block if s.claims]
    assert [(s.text, len(s.claims), s.state) for s in marked] == [
        ("Caption, Vladivostok, April 25, 2019.", 1, "supported"),
        ("Second one here.", 2, "disputed"),
    ]
    assert "".join(s.text for s in blocks[2]) == "First one. Second one here."
