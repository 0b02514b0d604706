"""Query budgets of the request hot path (issue 9): the exact number of database round trips
of one request to each hot endpoint, token-authenticated as a till or a scanner is, and the
proof that it does not grow with the number of lines (1, 5 and 20).

Counted with Django's CaptureQueriesContext inside the test's transaction: the request's own
transaction shows as SAVEPOINT/RELEASE, standing for the BEGIN/COMMIT it sends in production.
A budget that goes up is a regression to explain; one that goes down is pinned lower."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from storeledger.accounts import access, tokens
from storeledger.accounts.roles import sync_roles
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.services import counts as count_services
from storeledger.inventory.services import transfers as transfer_services
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

SIZES = (1, 5, 20)


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


@pytest.fixture
def skus(warehouse):
    items = [factories.sku(code=f"HOT{i:02d}") for i in range(max(SIZES))]
    factories.posting(
        "hot-opening",
        [
            MoveRequest(warehouse.id, s.id, Decimal(1000), "stock_in", unit_cost=Decimal("2.5"))
            for s in items
        ],
    )
    return items


def token_client(user) -> APIClient:
    """A client sending the user's API token; its first use (which stamps last_used_at, once
    every few minutes) is done here, so each counted request is a steady-state one. The
    set-up's users, roles and scopes count as committed (their commit raises the access
    version, after which each process keeps what it loads: accounts.access)."""
    access.raise_version()
    _token, key = tokens.issue(user=user, name="budget")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/auth/me/").status_code == 200
    return client


def queries_of(client: APIClient, path: str, body: dict, expected_status: int, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, body, format="json", **headers)
    assert response.status_code == expected_status, response.content[:500]
    return len(captured)


def warmed(client: APIClient, path: str, warehouse, skus) -> APIClient:
    """The day's first document of a kind also creates its number series row; count the
    steady state after it."""
    assert client.post(path, stock_document(warehouse, skus, 1), format="json").status_code == 201
    return client


def stock_document(warehouse, skus, lines: int) -> dict:
    return {
        "warehouse": warehouse.id,
        "post": True,
        "lines": [{"sku": sku.id, "quantity": "1"} for sku in skus[:lines]],
    }


# Pinned budgets (round trips per request, whatever the number of lines). Approvals
# (core.approvals) add to every document answer its approval history (+1: the steps) and to a
# stock document created and posted in one request the check of the approval rules (security
# probe S8), which costs no query: the lines are held, the SKUs' stock is read with the SKUs
# (with the warehouse, in one query), the active rules are kept per process under the access
# version. Was 17 (21 with a key) before the warehouse/SKU reads were joined.
# On PostgreSQL the number, the document's number and its posting's are one statement (writable
# CTEs; inventory.services.common.number_last), three on SQLite (whose round trips cost no
# network): 2 fewer.
_ONE_STATEMENT_NUMBER = 2 if connection.vendor == "postgresql" else 0
# On PostgreSQL a posting draws its id with the balance locks and writes itself, its moves and
# the balances in one statement (inventory.ledger._write_posting), three on SQLite: 2 fewer.
_ONE_STATEMENT_POSTING = 2 if connection.vendor == "postgresql" else 0
# On PostgreSQL a document and its lines are one INSERT (core.rawsql.insert_with_children),
# two on SQLite: 1 fewer.
_ONE_STATEMENT_DOCUMENT = 1 if connection.vendor == "postgresql" else 0
_ONE_STATEMENT = _ONE_STATEMENT_NUMBER + _ONE_STATEMENT_POSTING + _ONE_STATEMENT_DOCUMENT
STOCK_OUT_POST = 14 - _ONE_STATEMENT
# Under a key the stock document's service joins the request's transaction without a savepoint
# (core.idempotency: one service, no error caught); was 18.
STOCK_OUT_POST_WITH_KEY = 16 - _ONE_STATEMENT
STOCK_IN_POST = 14 - _ONE_STATEMENT
# Ship and receive answer with the transfer their service holds (core.held: the header's users
# and the lines' SKUs, units, batches and bins selected with the rows they lock, what is in
# transit from the postings' moves) and hand the ledger the SKUs and warehouses they read; the
# batches shipped are read only for a batch-tracked line. Were 23 and 24.
TRANSFER_SHIP = 16 - _ONE_STATEMENT_POSTING
TRANSFER_RECEIVE = 18 - _ONE_STATEMENT_POSTING
# The scan answers the lines the service holds (only the SKUs' barcodes are read) and the count
# is found without its categories and bins. Was 19.
COUNT_SCAN = 15


def test_stock_out_with_post(keeper, warehouse, skus):
    client = warmed(token_client(keeper), "/api/v1/stock-outs/", warehouse, skus)
    counts = {
        n: queries_of(client, "/api/v1/stock-outs/", stock_document(warehouse, skus, n), 201)
        for n in SIZES
    }
    assert counts == dict.fromkeys(SIZES, STOCK_OUT_POST)


def test_stock_out_with_post_and_idempotency_key(keeper, warehouse, skus):
    client = warmed(token_client(keeper), "/api/v1/stock-outs/", warehouse, skus)
    counts = {
        n: queries_of(
            client,
            "/api/v1/stock-outs/",
            stock_document(warehouse, skus, n),
            201,
            HTTP_IDEMPOTENCY_KEY=f"budget-{n}",
        )
        for n in SIZES
    }
    assert counts == dict.fromkeys(SIZES, STOCK_OUT_POST_WITH_KEY)


def test_stock_in_with_post(keeper, warehouse, skus):
    client = warmed(token_client(keeper), "/api/v1/stock-ins/", warehouse, skus)
    counts = {
        n: queries_of(client, "/api/v1/stock-ins/", stock_document(warehouse, skus, n), 201)
        for n in SIZES
    }
    assert counts == dict.fromkeys(SIZES, STOCK_IN_POST)


def _approved_transfer(admin_user, warehouse, other_warehouse, skus, lines: int) -> int:
    transfer = transfer_services.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[
            transfer_services.TransferLineInput(sku_id=sku.id, quantity=Decimal(2))
            for sku in skus[:lines]
        ],
    )
    transfer_services.submit_transfer(user=admin_user, transfer_id=transfer.id)
    transfer_services.approve_transfer(user=admin_user, transfer_id=transfer.id)
    return transfer.id


def test_transfer_ship(keeper, admin_user, warehouse, other_warehouse, skus):
    client = token_client(keeper)
    ids = {n: _approved_transfer(admin_user, warehouse, other_warehouse, skus, n) for n in SIZES}
    counts = {n: queries_of(client, f"/api/v1/transfers/{ids[n]}/ship/", {}, 200) for n in SIZES}
    assert counts == dict.fromkeys(SIZES, TRANSFER_SHIP)


def test_transfer_receive(keeper, admin_user, warehouse, other_store, other_warehouse, skus):
    receiver = factories.user("keeper2", roles=("warehouse_keeper",), stores=(other_store,))
    client = token_client(receiver)
    bodies = {}
    for n in SIZES:
        transfer_id = _approved_transfer(admin_user, warehouse, other_warehouse, skus, n)
        shipped = transfer_services.ship_transfer(user=admin_user, transfer_id=transfer_id)
        bodies[n] = (
            transfer_id,
            {
                "lines": [
                    {"line": line.id, "quantity": "2"} for line in shipped.lines.order_by("line_no")
                ]
            },
        )
    counts = {
        n: queries_of(client, f"/api/v1/transfers/{transfer_id}/receive/", body, 200)
        for n, (transfer_id, body) in bodies.items()
    }
    assert counts == dict.fromkeys(SIZES, TRANSFER_RECEIVE)


def test_count_entry_scan(keeper, admin_user, warehouse, skus):
    client = token_client(keeper)
    count = count_services.create_stock_count(user=admin_user, warehouse_id=warehouse.id)
    count_services.start_stock_count(user=admin_user, count_id=count.id)
    url = f"/api/v1/stock-counts/{count.id}/entries/"
    # A scan of a SKU not scanned before and one already counted cost the same.
    counts = {
        n: queries_of(
            client,
            url,
            {"entries": [{"sku": sku.id, "quantity": "3"} for sku in skus[:n]]},
            201,
        )
        for n in SIZES
    }
    assert counts == dict.fromkeys(SIZES, COUNT_SCAN)
