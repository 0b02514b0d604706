"""Generic API contract tests (NetBox style): every registered API resource is tried with every
operation it declares (list, retrieve, create, update, delete, state actions) by every seeded
role, on an object of the user's own store and of another store, and each answer must be the
exact status the roles and data scopes promise; each list answers with the same number of
queries whatever the number of rows.

A module gets these tests by registering its resources in `<app>/tests/contract.py` (found by
`autodiscover`), e.g.::

    from storeledger.testing.contract import Operation, Resource, register

    register(Resource(
        name="brands",
        make=lambda world, store: Brand.objects.create(code=world.code(), name="B"),
        operations=(
            Operation.list("catalog.view_brand"),
            Operation.retrieve("catalog.view_brand"),
            Operation.create("catalog.add_brand", payload=lambda w, store: {...}),
            Operation.update("catalog.change_brand", payload=lambda w, obj: {"name": "X"}),
            Operation.delete("catalog.delete_brand"),
        ),
    ))

The expected status is derived, never listed by hand: no login → 401; a role without the
operation's permissions → 403; a store-scoped resource out of the user's stores → 404 for an
existing object (the scoped queryset does not have it) and 403 for a create there
(out_of_scope); otherwise the operation's success status. Roles and their scopes are the
demo's: admin, buyer and finance see every store, the others their own."""

from __future__ import annotations

import contextlib
import importlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.db import transaction

from storeledger.accounts import scope
from storeledger.accounts.models import UserScope
from storeledger.accounts.roles import ROLE_NAMES
from storeledger.testing import factories

ANONYMOUS = "anonymous"
ROLES = (*ROLE_NAMES, ANONYMOUS)
ALL_STORES_ROLES = frozenset({"admin", "buyer", "finance"})  # as in the demo's users

Make = Callable[["World", Any], Any]  # (world, store) -> an object of that store


@dataclass(frozen=True)
class Operation:
    """One request of a resource's contract."""

    name: str
    method: str
    permissions: tuple[str, ...]  # all needed; () = any signed-in user
    ok: int
    detail: bool = True  # on an object (`{url}{id}/…`) or on the collection
    suffix: str = ""  # "submit/" for a state action
    payload: Callable[[World, Any], dict] | None = None  # (world, object or store) -> body
    make: Make | None = None  # the object this operation needs (default: the resource's)
    # query parameters: a dict, or (world, store) -> dict (e.g. a report of a store's warehouse)
    query: dict[str, Any] | Callable[[World, Any], dict] = field(default_factory=dict)
    # the answer to a user whose data scope lacks the store (when the role may do it): an
    # object of another store is not in the scoped queryset (404), a create or a filter naming
    # its warehouse is out_of_scope (403), a plain list just leaves its rows out (200)
    out_of_scope: int = 404

    @classmethod
    def list(cls, *permissions: str, **kwargs) -> Operation:
        kwargs.setdefault("out_of_scope", 200)
        return cls("list", "get", permissions, 200, detail=False, **kwargs)

    @classmethod
    def retrieve(cls, *permissions: str, **kwargs) -> Operation:
        return cls("retrieve", "get", permissions, 200, **kwargs)

    @classmethod
    def create(cls, *permissions: str, payload, **kwargs) -> Operation:
        kwargs.setdefault("out_of_scope", 403)
        return cls("create", "post", permissions, 201, detail=False, payload=payload, **kwargs)

    @classmethod
    def update(cls, *permissions: str, payload, **kwargs) -> Operation:
        return cls("update", "patch", permissions, 200, payload=payload, **kwargs)

    @classmethod
    def delete(cls, *permissions: str, **kwargs) -> Operation:
        return cls("delete", "delete", permissions, 204, **kwargs)

    @classmethod
    def action(cls, name: str, *permissions: str, ok: int = 200, **kwargs) -> Operation:
        return cls(name, "post", permissions, ok, suffix=f"{name}/", **kwargs)


@dataclass(frozen=True)
class Resource:
    name: str  # the URL segment under /api/v1/: "stock-ins", "reports/stock-status"
    make: Make | None  # an object of a store (None: a collection-only resource, e.g. a report)
    operations: tuple[Operation, ...]
    scoped: bool = False  # objects belong to a store: other stores' users do not see them
    # more rows for the constant-queries check (default: `make` in the user's store); what
    # it returns (often the rows) is not used
    add_rows: Callable[[World, int], object] | None = None

    @property
    def url(self) -> str:
        return f"/api/v1/{self.name}/"


_REGISTRY: dict[str, Resource] = {}


def register(resource: Resource) -> Resource:
    if resource.name in _REGISTRY and _REGISTRY[resource.name] != resource:
        raise ValueError(f"API resource {resource.name!r} is already registered")
    _REGISTRY[resource.name] = resource
    return resource


def autodiscover() -> dict[str, Resource]:
    """Import every installed app's `tests/contract.py` (each registers its resources)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("storeledger."):
            continue
        try:
            importlib.import_module(f"{config.name}.tests.contract")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.contract":
                raise
    return dict(_REGISTRY)


_codes = itertools.count(1)


@dataclass
class World:
    """Two stores, each with a warehouse, a SKU with stock in both, and one user per role."""

    own: Any
    other: Any
    own_warehouse: Any
    other_warehouse: Any
    own_second: Any  # a second warehouse of each store (transfers within a store)
    other_second: Any
    sku: Any
    boss: Any  # makes the objects (an administrator of every store)
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def code(self, prefix: str = "K") -> str:
        return f"{prefix}{next(_codes):05d}"

    def warehouse(self, store) -> Any:
        return self.own_warehouse if store == self.own else self.other_warehouse

    def second_warehouse(self, store) -> Any:
        return self.own_second if store == self.own else self.other_second


def _user(role: str, own) -> User:
    user = User.objects.create(username=f"contract-{role}")  # no password: no slow hashing
    user.groups.set(Group.objects.filter(name=role))
    data_scope = UserScope.objects.create(user=user, all_stores=role in ALL_STORES_ROLES)
    if role not in ALL_STORES_ROLES:
        data_scope.stores.set([own])
    return user


def build_world() -> World:
    from decimal import Decimal

    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )

    own, other = factories.store("0001"), factories.store("0002")
    own_wh = factories.warehouse(own, code="CW01")
    other_wh = factories.warehouse(other, code="CW02")
    seconds = [factories.warehouse(s, code=f"CW{s.code[-1]}B") for s in (own, other)]
    sku = factories.sku(code="CSKU")
    users = {role: _user(role, own) for role in ROLE_NAMES}
    boss = users["admin"]
    for wh in (own_wh, other_wh):
        create_and_post_stock_document(
            user=boss,
            kind="stock_in",
            warehouse_id=wh.id,
            lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(100), unit_cost=Decimal(2))],
        )
    return World(own, other, own_wh, other_wh, *seconds, sku, boss, users)


def expected_status(resource: Resource, operation: Operation, role: str, own: bool) -> int:
    if role == ANONYMOUS:
        return 401
    user_perms = _role_perms(role)
    if not set(operation.permissions) <= user_perms:
        return 403
    if resource.scoped and not own and role not in ALL_STORES_ROLES:
        return operation.out_of_scope
    return operation.ok


_PERMS: dict[str, frozenset[str]] = {}


def _role_perms(role: str) -> frozenset[str]:
    if role not in _PERMS:
        group = Group.objects.get(name=role)
        _PERMS[role] = frozenset(
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
    return _PERMS[role]


def run_matrix(resource: Resource, world: World, client_for, anonymous_client) -> list[str]:
    """Every operation × role × store; returns the mismatches (empty = contract kept)."""
    _PERMS.clear()
    mismatches: list[str] = []
    cache: dict[tuple[str, bool], Any] = {}
    for operation in resource.operations:
        for own in (True, False):
            store = world.own if own else world.other
            for role in ROLES:
                expected = expected_status(resource, operation, role, own)
                key = (operation.name, own)
                target = None
                if operation.detail:
                    if key not in cache:
                        make = operation.make or resource.make
                        assert make is not None, f"{resource.name}: {operation.name} needs make"
                        cache[key] = make(world, store)
                    target = cache[key]
                url = resource.url + (f"{target.pk}/" if target is not None else "")
                url += operation.suffix
                body = None
                if operation.payload is not None:
                    if target is not None:
                        target.refresh_from_db()
                    body = operation.payload(world, target if target is not None else store)
                if role == ANONYMOUS:
                    client = anonymous_client
                else:
                    # a request reads the user afresh, with the scope of the stores as now
                    scope.forget(world.users[role])
                    client = client_for(world.users[role])
                query = operation.query
                if callable(query):
                    query = query(world, store)
                with _rolled_back():  # every role meets the same object, as made
                    if operation.method == "get":
                        response = client.get(url, query)
                    else:
                        response = getattr(client, operation.method)(url, body, format="json")
                if response.status_code != expected:
                    detail = response.content[:300].decode(errors="replace")
                    store_name = "own" if own else "other"
                    mismatches.append(
                        f"{operation.method.upper()} {url} as {role} ({store_name} store): "
                        f"{response.status_code}, expected {expected} — {detail}"
                    )
    return mismatches


@contextlib.contextmanager
def _rolled_back():
    """Run one request in a savepoint that is rolled back after it (the services join the
    caller's transaction, so they run inside it)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
