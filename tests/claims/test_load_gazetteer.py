"""load_gazetteer: new entries are added, and an existing entry gains only what it lacks."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from claims.models import Entity

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_gazetteer", *args, stdout=out)
    return out.getvalue()


def test_an_existing_entry_gains_what_it_lacks_and_keeps_its_edits() -> None:
    # An install loaded before the QID and the state's demonyms were known, then edited.
    Entity.objects.create(name="Sergey Lavrov", kind="person", qid="", titles=["Top diplomat"])
    Entity.objects.create(name="Russia", kind="state", qid="Q1", extra={"country": "edited"})
    printed = load()
    lavrov = Entity.objects.get(name="Sergey Lavrov")
    russia = Entity.objects.get(name="Russia", kind="state")
    assert lavrov.qid == "Q62003"  # blank, so filled from the shipped file
    assert lavrov.titles == ["Top diplomat"]  # the editor's titles stay
    assert russia.qid == "Q1" and russia.extra["country"] == "edited"  # edits win
    assert russia.extra.get("demonym")  # a field the entry lacked is added
    assert "2 filled in" in printed
    assert "0 filled in" in load()  # nothing left to fill on a second run
