"""The outlet field of the article form (issue 17, item 2): it picks from known outlets,
found by name, alias or web domain; typing a name nobody knows never creates an outlet, and
adding one is its own step, for those with claims.add_outlet, which asks whether the outlet
is state media (copies of state media do not count as independent)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Article, Outlet
from claims.outlets import find_outlet

pytestmark = pytest.mark.django_db
NEW = reverse("claims:article_new")
ADD = reverse("claims:outlet_new")
TEXT = "TASS reports talks in Moscow.\n\nThe two ministers met on Tuesday to discuss trade."


@pytest.fixture
def tass(db: None) -> Outlet:
    return Outlet.objects.create(
        name="TASS English",
        aliases=["TASS", "ТАСС"],
        domains=["tass.com", "tass.ru"],
        is_state_media=True,
    )


def test_an_alias_finds_the_outlet_in_any_case(tass: Outlet) -> None:
    assert find_outlet("TASS") == tass
    assert find_outlet("tass") == tass
    assert find_outlet("тасс") == tass
    assert find_outlet("https://tass.ru/politika/1") == tass
    assert find_outlet("TAS") is None


def test_the_form_offers_the_known_outlets_with_aliases_and_domains(
    reviewer_client: Client, tass: Outlet
) -> None:
    page = reviewer_client.get(NEW).content.decode()
    field = re.search(r'<input[^>]*name="outlet"[^>]*>', page)
    assert field is not None and 'list="outlet-options"' in field.group(0)
    options = re.search(r'<datalist id="outlet-options">(.*?)</datalist>', page, re.S)
    assert options is not None
    option = re.search(r'<option value="TASS English"[^>]*>', options.group(1))
    assert option is not None
    assert "TASS" in option.group(0) and "tass.com" in option.group(0)
    assert "state media" in option.group(0)
    assert ADD not in page  # a reviewer cannot add outlets, so is not offered the step


def test_an_editor_typing_an_alias_gets_the_known_outlet(
    editor_client: Client, tass: Outlet
) -> None:
    response = editor_client.post(NEW, {"text": TEXT, "outlet": "TASS"})
    assert response.status_code == 302
    assert Article.objects.get().outlet == tass
    assert Outlet.objects.count() == 1


def test_an_editor_typing_an_unknown_name_creates_no_outlet(
    editor_client: Client, tass: Outlet
) -> None:
    response = editor_client.post(NEW, {"text": TEXT, "outlet": "Tass Agency"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No outlet is called “Tass Agency”" in page
    assert f'href="{ADD}?name=Tass%20Agency"' in page  # the separate step, for an editor
    assert "The two ministers met on Tuesday" in page  # the pasted text is kept
    assert Outlet.objects.count() == 1 and not Article.objects.exists()


def test_adding_an_outlet_asks_whether_it_is_state_media(editor_client: Client) -> None:
    page = editor_client.get(ADD + "?name=Korean+Central+TV").content.decode()
    assert 'value="Korean Central TV"' in page
    assert 'name="is_state_media"' in page
    refused = editor_client.post(ADD, {"name": "Korean Central TV"})
    assert refused.status_code == 422
    assert "Say whether" in refused.content.decode()
    assert not Outlet.objects.exists()
    done = editor_client.post(
        ADD,
        {
            "name": "Korean Central TV",
            "aliases": "KCTV, Korean Central Television",
            "domains": "kctv.kp",
            "is_state_media": "yes",
        },
    )
    assert done.status_code == 302
    outlet = Outlet.objects.get()
    assert (outlet.is_state_media, outlet.aliases, outlet.domains) == (
        True,
        ["KCTV", "Korean Central Television"],
        ["kctv.kp"],
    )
    assert find_outlet("kctv") == outlet


def test_an_outlet_already_known_by_that_name_alias_or_domain_is_not_added_twice(
    editor_client: Client, tass: Outlet
) -> None:
    for data in (
        {"name": "tass"},
        {"name": "TASS Russia", "domains": "www.tass.com"},
        {"name": "Tass Agency", "aliases": "ТАСС"},
    ):
        response = editor_client.post(ADD, {**data, "is_state_media": "no"})
        assert response.status_code == 422
        assert "TASS English" in response.content.decode()
    assert Outlet.objects.count() == 1


def test_a_reviewer_may_not_add_an_outlet(reviewer_client: Client) -> None:
    assert reviewer_client.get(ADD).status_code == 403
    response = reviewer_client.post(ADD, {"name": "Tass Agency", "is_state_media": "no"})
    assert response.status_code == 403
    assert not Outlet.objects.exists()
