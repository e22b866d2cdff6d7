# ruff: noqa: F811 - pytest fixtures imported from tests.claims.conftest, then requested by name
"""The editor's decision (issue 17, item 4): at the top of the review page, on to the next
claim awaiting approval after deciding, the editor's words beside "Sent back", one state in
the header, and a success message that names the claim it is about."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.claims.conftest import (  # noqa: F401 - the claims tests' fixtures, shared here
    article,
    make_claim,
)
from tests.conftest import make_user, propose
from verify.models import Review

pytestmark = pytest.mark.django_db
# In the article's order: the meeting, then these two.
SECOND = "The two leaders discussed the situation on the Korean peninsula."
THIRD = "The Moscow Declaration was signed in August 2001."


@pytest.fixture
def three(make_claim: Callable[..., Claim], reviewer: User) -> list[Claim]:
    claims = [make_claim(), make_claim(SECOND), make_claim(THIRD)]
    for claim in claims:
        propose(claim, reviewer)
    return claims


def approve(client: Client, claim: Claim) -> object:
    claim.refresh_from_db()
    review = claim.reviews.get(status=Review.Status.PROPOSED)
    return client.post(
        reverse("review:approve", args=[claim.pk, review.pk]), {"version": claim.version}
    )


def send_back(client: Client, claim: Claim, comment: str) -> object:
    claim.refresh_from_db()
    review = claim.reviews.get(status=Review.Status.PROPOSED)
    return client.post(
        reverse("review:send_back", args=[claim.pk, review.pk]),
        {"version": claim.version, "comment": comment},
    )


def test_the_decision_comes_before_the_verdict_form_and_the_evidence(
    editor_client: Client, three: list[Claim]
) -> None:
    page = editor_client.get(three[0].get_absolute_url()).content.decode()
    decision = page.index('id="decision"')
    assert decision < page.index('id="verdict-h"')
    assert decision < page.index('id="ctx-h"')
    assert page.index('id="approve"') < page.index('id="verdict-h"')
    assert 'aria-keyshortcuts="a"' in page and 'aria-keyshortcuts="b"' in page


def test_after_approving_the_editor_goes_to_the_next_claim_awaiting_approval(
    editor_client: Client, three: list[Claim]
) -> None:
    response = approve(editor_client, three[0])
    assert response.status_code == 302
    assert response["Location"] == three[1].get_absolute_url()  # type: ignore[index]
    response = send_back(editor_client, three[1], "Cite the Kremlin readout.")
    assert response["Location"] == three[2].get_absolute_url()  # type: ignore[index]
    response = approve(editor_client, three[2])
    # The first is final and the second sent back: none left, so the queue of what awaits.
    assert response["Location"] == reverse("review:queue") + "?status=proposed"  # type: ignore[index]


def test_the_next_claim_skips_the_editors_own_proposal(
    editor_client: Client, editor: User, reviewer: User, make_claim: Callable[..., Claim]
) -> None:
    first, own, other = make_claim(), make_claim(SECOND), make_claim(THIRD)
    propose(first, reviewer)
    propose(own, editor)  # the two-person rule: someone else approves this one
    propose(other, reviewer)
    response = approve(editor_client, first)
    assert response["Location"] == other.get_absolute_url()  # type: ignore[index]


def test_the_success_message_names_the_claim_it_is_about(
    editor_client: Client, three: list[Claim]
) -> None:
    response = approve(editor_client, three[0])
    page = editor_client.get(response["Location"]).content.decode()  # type: ignore[index]
    message = re.search(r'<li class="msg-success">(.*?)</li>', page, re.S)
    assert message is not None
    assert f"Claim {three[0].pk}" in message.group(1)
    assert "approved" in message.group(1)


def test_a_verdicts_message_names_its_claim_on_the_next_claims_page(
    reviewer: User, make_claim: Callable[..., Claim]
) -> None:
    first, second = make_claim(), make_claim(SECOND)
    client = Client()
    client.force_login(make_user("vera", "reviewer"))
    response = client.post(
        reverse("review:verdict", args=[first.pk]),
        {"verdict": "unverified", "rationale": "Nothing.", "version": 1},
        follow=True,
    )
    page = response.content.decode()
    assert f"<h1>Claim {second.pk} " in page
    assert f"Claim {first.pk}" in re.search(r'<ul class="messages".*?</ul>', page, re.S).group(0)  # type: ignore[union-attr]


def test_a_sent_back_claim_shows_the_editors_words_beside_the_badge(
    editor_client: Client, reviewer_client: Client, three: list[Claim]
) -> None:
    send_back(editor_client, three[0], "Cite the Kremlin readout, not a summary.")
    page = reviewer_client.get(three[0].get_absolute_url()).content.decode()
    header = re.search(r'<div class="pagehead">.*?</nav>', page, re.S).group(0)  # type: ignore[union-attr]
    assert "Sent back" in header
    assert "Cite the Kremlin readout, not a summary." in header
    assert "eddie" in header


def test_the_header_shows_one_state_of_work(
    editor_client: Client, three: list[Claim], make_claim: Callable[..., Claim]
) -> None:
    header = re.search(
        r"<h1>.*?</h1>", editor_client.get(three[0].get_absolute_url()).content.decode(), re.S
    )
    assert header is not None
    assert "Awaiting approval" in header.group(0)
    assert "Not yet reviewed" not in header.group(0)
    approve(editor_client, three[0])
    header = re.search(
        r"<h1>.*?</h1>", editor_client.get(three[0].get_absolute_url()).content.decode(), re.S
    )
    assert header is not None
    assert "Unverified" in header.group(0) and "Final" in header.group(0)
