"""Log-in throttling (django-axes): five wrong passwords lock a (user, address) pair."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"


def log_in(password: str, address: str, username: str = "rita") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.post("/accounts/login/", {"username": username, "password": password})
    return client


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_five_times(address: str = ATTACKER) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        assert not logged_in(log_in("wrong", address))


def test_the_right_password_works_before_any_failure(reviewer: User) -> None:
    assert logged_in(log_in("pw-rita", ATTACKER))


def test_after_five_wrong_passwords_the_right_one_is_refused(reviewer: User) -> None:
    fail_five_times()
    client = Client(REMOTE_ADDR=ATTACKER)
    response = client.post("/accounts/login/", {"username": "rita", "password": "pw-rita"})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert not logged_in(client)


def test_four_wrong_passwords_do_not_lock(reviewer: User) -> None:
    for _ in range(4):
        log_in("wrong", ATTACKER)
    assert logged_in(log_in("pw-rita", ATTACKER))


def test_another_address_is_unaffected(reviewer: User) -> None:
    fail_five_times()
    assert logged_in(log_in("pw-rita", COLLEAGUE))


def test_another_user_at_the_same_address_is_unaffected(reviewer: User, editor: User) -> None:
    fail_five_times()
    assert logged_in(log_in("pw-eddie", ATTACKER, username="eddie"))


def test_the_lock_expires(reviewer: User) -> None:
    with override_settings(AXES_COOLOFF_TIME=timedelta(seconds=1)):
        fail_five_times()
        assert not logged_in(log_in("pw-rita", ATTACKER))
        time.sleep(1.5)
        assert logged_in(log_in("pw-rita", ATTACKER))


def test_the_production_lock_lasts_a_quarter_of_an_hour() -> None:
    assert settings.AXES_COOLOFF_TIME == 0.25  # hours; axes reads a float as hours
