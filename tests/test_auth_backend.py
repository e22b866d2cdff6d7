"""config.auth.ModelBackend gives every user exactly the permissions Django's stock
ModelBackend gives them, in one query instead of two."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import backends
from django.contrib.auth.models import AnonymousUser, Group, Permission, User

from config.auth import ModelBackend

pytestmark = pytest.mark.django_db


def perm(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def own_only() -> User:
    user = User.objects.create_user("own")
    user.user_permissions.add(perm("add_comment"))
    return user


def groups_only() -> User:
    user = User.objects.create_user("grouped")
    user.groups.add(Group.objects.get(name="reviewer"), Group.objects.get(name="editor"))
    return user


def both() -> User:
    user = groups_only()
    user.user_permissions.add(perm("delete_user"), perm("add_review"))  # one also via a group
    return user


def inactive() -> User:
    user = both()
    user.is_active = False
    user.save()
    return user


def superuser() -> User:
    return User.objects.create_superuser("root-user", password=None)


def nobody() -> User:
    return User.objects.create_user("nobody")


@pytest.mark.parametrize("make", [own_only, groups_only, both, inactive, superuser, nobody])
def test_same_permissions_as_djangos_backend(make: Callable[[], User]) -> None:
    user = make()
    expected = backends.ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    got = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    assert got == expected
    assert bool(got) == (make not in (inactive, nobody))


def test_anonymous_users_and_object_permissions_get_none() -> None:
    user = both()
    assert ModelBackend().get_all_permissions(AnonymousUser()) == set()
    assert ModelBackend().get_all_permissions(user, obj=user) == set()


def test_one_query_then_none(django_assert_num_queries: Callable[..., object]) -> None:
    user = User.objects.get(pk=both().pk)
    backend = ModelBackend()
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert backend.has_perm(user, "verify.add_review")
        assert not backend.has_perm(user, "claims.no_such_permission")
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert backend.has_perm(user, "auth.delete_user")


def test_settings_use_it() -> None:
    from django.conf import settings

    assert "config.auth.ModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS
