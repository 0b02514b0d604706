"""The generic API contract (storeledger.testing.contract): every registered resource, every
operation × every seeded role × own store / other store → the exact status the roles and data
scopes promise, and lists whose query count does not grow with their rows."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from storeledger.testing import contract

RESOURCES = contract.autodiscover()

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return contract.build_world()


def test_every_module_registers_its_resources():
    names = set(RESOURCES)
    for expected in (
        "stock-ins",
        "transfers",
        "stock-counts",
        "stock-balances",
        "skus",
        "suppliers",
        "warehouses",
        "reports/stock-summary",
        "supplier-items",
        "purchase-orders",
        "purchase-receipts",
    ):
        assert expected in names


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_status_matrix(name, world, client_for):
    resource = RESOURCES[name]
    mismatches = contract.run_matrix(resource, world, client_for, APIClient())
    assert mismatches == []


LISTED = sorted(
    name
    for name, resource in RESOURCES.items()
    if any(op.name == "list" for op in resource.operations)
    and (resource.make is not None or resource.add_rows is not None)
)


@pytest.mark.parametrize("name", LISTED)
def test_list_queries_do_not_grow_with_rows(name, world, client_for):
    resource = RESOURCES[name]
    [listing] = [op for op in resource.operations if op.name == "list"]
    client = client_for(world.users["admin"])

    def add(n):
        if resource.add_rows is not None:
            resource.add_rows(world, n)
        else:
            for _ in range(n):
                resource.make(world, world.own)

    def query():
        return listing.query(world, world.own) if callable(listing.query) else listing.query

    add(1)
    assert client.get(resource.url, query()).status_code == 200  # warm caches
    with CaptureQueriesContext(connection) as few:
        first = client.get(resource.url, query())
    add(4)
    with CaptureQueriesContext(connection) as many:
        second = client.get(resource.url, query())
    assert first.status_code == second.status_code == 200
    if "count" in first.json():
        assert second.json()["count"] > first.json()["count"]  # the rows are really listed
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_matrix_catches_an_endpoint_that_breaks_its_promise(world, client_for):
    """Positive control: declare that listing stock-ins needs the approve permission (which
    keepers lack) — the real endpoint lets keepers list, and the matrix reports it."""
    resource = RESOURCES["stock-ins"]
    listing = next(op for op in resource.operations if op.name == "list")
    wrong = replace(
        resource, operations=(replace(listing, permissions=("inventory.approve_stockdocument",)),)
    )

    mismatches = contract.run_matrix(wrong, world, client_for, APIClient())

    assert any("as warehouse_keeper (own store): 200, expected 403" in m for m in mismatches), (
        mismatches
    )
