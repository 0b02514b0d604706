"""RolePermission answers from the request user's kept permissions (accounts.access) exactly
as `user.has_perms` does through every authentication backend (request hot path, issue 9)."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import BaseBackend

from storeledger.accounts import access
from storeledger.accounts.permissions import _model_backend_decides, has_perms
from storeledger.accounts.roles import sync_roles
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

PERMS = [
    [],
    ["catalog.view_sku"],
    ["catalog.view_sku", "org.view_store"],
    ["catalog.view_sku", "catalog.delete_sku"],
    ["accounts.change_apitoken"],
    ["no_such.permission"],
]


class GrantsEverything(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return True


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


def _primed(user):
    access.raise_version()
    access.prime(user, access.current_version())
    assert hasattr(user, "_perm_cache")
    return user


@pytest.mark.parametrize("perms", PERMS)
@pytest.mark.parametrize(
    "kind", ["keeper", "clerk_inactive", "superuser", "superuser_inactive", "no_role"]
)
def test_kept_answer_is_the_backends_answer(kind, perms, store):
    roles = () if kind == "no_role" else ("warehouse_keeper",)
    user = factories.user(f"u-{kind}", roles=roles, stores=(store,))
    user.is_superuser = kind.startswith("superuser")
    user.save()
    _primed(user)
    user.is_active = not kind.endswith("inactive")
    expected = type(user).objects.get(pk=user.pk)
    expected.is_active = user.is_active
    assert has_perms(user, perms) == expected.has_perms(perms)
    assert has_perms(user, perms) == user.has_perms(perms)


def test_the_keeper_is_allowed_and_refused_something(store):
    """Positive control: the parametrised comparison sees both answers."""
    user = _primed(factories.user("keeper-c", roles=("warehouse_keeper",), stores=(store,)))
    assert has_perms(user, ["catalog.view_sku"]) is True
    assert has_perms(user, ["catalog.delete_sku"]) is False


def test_another_granting_backend_is_asked(settings, store):
    user = _primed(factories.user("keeper-b", roles=("warehouse_keeper",), stores=(store,)))
    assert has_perms(user, ["no_such.permission"]) is False
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        f"{__name__}.GrantsEverything",
    ]
    assert not _model_backend_decides(tuple(settings.AUTHENTICATION_BACKENDS))
    assert has_perms(user, ["no_such.permission"]) is True


def test_the_project_s_backends_let_the_kept_permissions_answer(settings):
    assert _model_backend_decides(tuple(settings.AUTHENTICATION_BACKENDS))
