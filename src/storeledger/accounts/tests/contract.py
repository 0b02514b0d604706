"""accounts' API resources in the generic contract tests (storeledger.testing.contract): the
users head office keeps and the roles it reads (chain-wide: no store scope; the admin role,
which has every store in the demo, is the only one with the permissions)."""

from __future__ import annotations

from django.contrib.auth.models import Group

from storeledger.testing import factories
from storeledger.testing.contract import Operation, Resource, register


def _user(world, store):
    return factories.user(world.code("u"), roles=("cashier",), stores=(store,))


def _new_user(world, store) -> dict:
    return {
        "username": world.code("new"),
        "password": "Shelf-Count-2026",
        "roles": ["cashier"],
        "stores": [store.pk],
    }


register(
    Resource(
        name="users",
        make=_user,
        operations=(
            Operation.list("auth.view_user"),
            Operation.retrieve("auth.view_user"),
            Operation.create("auth.add_user", payload=_new_user),
            Operation.update(
                "auth.change_user",
                payload=lambda world, user: {"full_name": "王五", "roles": ["viewer"]},
            ),
            Operation.action("deactivate", "auth.change_user"),
            Operation.action("activate", "auth.change_user"),
            Operation.action(
                "set-password",
                "auth.change_user",
                payload=lambda world, user: {"password": "Another-Shelf-77"},
            ),
        ),
    )
)

register(
    Resource(
        name="roles",
        make=lambda world, store: Group.objects.get(name="warehouse_keeper"),
        add_rows=lambda world, n: [Group.objects.create(name=world.code("role")) for _ in range(n)],
        operations=(
            Operation.list("auth.view_group"),
            Operation.retrieve("auth.view_group"),
        ),
    )
)
