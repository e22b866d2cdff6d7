"""The SSRF guard is no resolver oracle (issue 16, item 6): a refusal shown to a reviewer or
an editor says that the address is not allowed and why in general terms, never what a host
name resolved to; the full reason goes to the log and to admins.

Every URL of the SSRF corpus (tests/verify/test_ssrf.py's REFUSED) is checked; then one is
taken through the real paths a person sees: a reference URL whose gathering job fails (the
dashboard) and the "add an article by URL" form.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from claims.services import ingest_article
from outbound import http
from tests.claims.test_bad_input import ARTICLE
from tests.verify.test_ssrf import REFUSED, FakeNetwork, network  # noqa: F401 - fixture
from verify.models import GatherJob
from verify.review import services

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r"[0-9a-f]*[:.][0-9a-f:.]+", re.IGNORECASE)


def answers_in(text: str, url: str, fake: FakeNetwork) -> list[str]:
    """DNS answers for the URL's host that `text` repeats (an address the URL itself
    spells is no oracle)."""
    hosts = {(urlsplit(url).hostname or "").rstrip(".").lower()}
    hosts |= set(re.findall(r"(\S+) resolves to", text))  # as the guard normalised it
    found = []
    for answer in {a for host in hosts for a in fake.answer(host) or []}:
        spelled = ipaddress.ip_address(answer)
        for candidate in ADDRESS.findall(text):
            try:
                if ipaddress.ip_address(candidate.rstrip(".")) == spelled:
                    found.append(candidate)
            except ValueError:
                continue
    return found


@pytest.mark.parametrize(("url", "reason"), REFUSED, ids=[u or "(empty)" for u, _ in REFUSED])
def test_no_refusal_repeats_a_dns_answer_in_general_terms(
    network: FakeNetwork, url: str, reason: str  # noqa: F811
) -> None:
    with pytest.raises(http.BlockedURL) as caught:
        http.fetch_user_url(url)
    full = str(caught.value)
    general = http.general_reason(full)
    assert general.startswith("refused: ")
    assert answers_in(general + " " + full.split(" resolves to ")[0], url, network) == []
    if " resolves to " in full:  # not vacuous: the full reason did repeat the answer
        assert answers_in(full, url, network) != []
        assert "the address is not allowed" in general
        assert "not lead to a public internet address" in general


@pytest.fixture
def failed_job(network: FakeNetwork, reviewer: User, editor: User,  # noqa: F811
               caplog: pytest.LogCaptureFixture,
               django_capture_on_commit_callbacks: Any) -> GatherJob:
    article = ingest_article(text=ARTICLE, title="Visit", user=editor,
                                      queue=False).article
    claim = services.add_claim_from_selection(
        article=article, user=reviewer, type=Claim.Type.VISIT,
        quote="Kim Jong Un visited the Vostochny Cosmodrome on 13 September 2023.",
    )
    client = Client()
    client.force_login(reviewer)
    with caplog.at_level(logging.WARNING, logger="outbound.ssrf"), \
            django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:reference_url", args=[claim.pk]),
                    {"url": "http://intranet.test/report"})
    job = GatherJob.objects.get(claim=claim, source="web")
    assert job.state == GatherJob.State.FAILED
    assert "10.0.0.7" in job.error  # the full reason is kept, for the log and admins
    return job


def page_for(user: User, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_tells_a_reviewer_only_that_the_address_is_not_allowed(
    failed_job: GatherJob, reviewer: User, editor: User, caplog: pytest.LogCaptureFixture
) -> None:
    for user in (reviewer, editor):
        page = page_for(user, reverse("review:dashboard"))
        assert "intranet.test does not lead to a public internet address" in page
        assert "10.0.0.7" not in page
    logged = caplog.get_records("setup")  # the job failed while the fixture ran
    assert any("intranet.test resolves to 10.0.0.7" in r.getMessage() for r in logged)


def test_an_admin_reads_the_full_reason(failed_job: GatherJob, admin_user: User) -> None:
    page = page_for(admin_user, reverse("review:dashboard"))
    assert "intranet.test resolves to 10.0.0.7, which is a private address" in page


@pytest.mark.parametrize("persona", ["reviewer", "admin"])
def test_the_add_by_url_form_tells_the_reason_by_role(
    persona: str, network: FakeNetwork, reviewer: User, admin_user: User  # noqa: F811
) -> None:
    client = Client()
    client.force_login(reviewer if persona == "reviewer" else admin_user)
    response = client.post(reverse("monitor:add_url"), {"url": "http://intranet.test/a"})
    page = response.content.decode()
    assert "intranet.test" in page
    assert ("10.0.0.7" in page) == (persona == "admin")
