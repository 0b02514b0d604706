"""The reports and the dashboard during a blind count (inventory.blind, issue 13): a counter
(the warehouse keeper: no inventory.approve_stockcount) who opens a stock report or the
dashboard over all its warehouses gets the figures of the other warehouses only — no row, total,
flow or count carries the counted warehouse's stock — while a manager sees it all; asking for the
counted warehouse by name is refused (inventory/tests/test_blind_counts.py). After the count is
submitted the counter sees the whole stock again."""

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest

from storeledger.accounts.roles import sync_roles
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import StockCount
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

COUNTS = "/api/v1/stock-counts/"
# What the counted warehouse holds, and every sum that would reveal it: 37 cans of cola and 19
# bottles of water there, 5 cans in the other warehouse.
HIDDEN = {Decimal(n) for n in (37, 19, 42, 56, 61)}
REPORTS = [
    ("/api/v1/reports/stock-summary/", {"group_by": "sku"}),
    ("/api/v1/reports/stock-summary/", {"group_by": "warehouse"}),
    ("/api/v1/reports/stock-summary/", {"group_by": "warehouse_sku"}),
    ("/api/v1/reports/stock-status/", {"group_by": "sku"}),
    ("/api/v1/reports/stock-status/", {"group_by": "warehouse_sku"}),
    ("/api/v1/reports/stock-status/ageing/", {}),
    ("/api/v1/reports/turnover/", {}),
    ("/api/v1/reports/dashboard/", {}),
    ("/api/v1/reports/stock-summary/export/", {"format": "csv", "group_by": "sku"}),
    ("/api/v1/reports/stock-status/export/", {"format": "csv", "group_by": "sku"}),
]
_ID_KEYS = {"id", "count", "warehouse", "sku", "store", "category", "brand", "batch", "unit"}


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


@pytest.fixture
def counted(store, warehouse, sku, manager, client_for):
    """37 cola and 19 water in `warehouse`, under an open blind count; 5 cola in WH-B."""
    other = factories.warehouse(store, code="WH-B")
    water = factories.sku(code="SKU-WATER", name="矿泉水 550ml")
    for key, place, item, quantity in (
        ("a-cola", warehouse, sku, 37),
        ("a-water", warehouse, water, 19),
        ("b-cola", other, sku, 5),
    ):
        factories.posting(
            key,
            [MoveRequest(place.id, item.id, Decimal(quantity), "stock_in", unit_cost=Decimal(2))],
        )
    api = client_for(manager)
    created = api.post(COUNTS, {"warehouse": warehouse.id, "blind": True}, format="json")
    assert created.status_code == 201, created.json()
    assert api.post(f"{COUNTS}{created.json()['id']}/start/").status_code == 200
    return StockCount.objects.get(pk=created.json()["id"])


def _figures(response) -> list[Decimal]:
    """Every number of a report (JSON or csv) but its ids and the page's row count."""
    assert response.status_code == 200, response.content[:300]
    if response.get("Content-Type", "").startswith("text/csv"):
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    else:
        cells = list(_leaves(response.json()))
    found = []
    for cell in cells:
        try:
            found.append(Decimal(str(cell)))
        except (InvalidOperation, ValueError):
            continue
    return found


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _ID_KEYS and not key.endswith("_id") and "precision" not in key:
                yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif value is not None and not isinstance(value, bool):
        yield value


@pytest.mark.parametrize(("path", "params"), REPORTS)
def test_the_counter_reads_no_figure_of_the_counted_warehouse(
    path, params, counted, keeper, manager, client_for
):
    shown = _figures(client_for(keeper).get(path, params))
    assert not HIDDEN & set(shown), sorted(HIDDEN & set(shown))
    # positive control: the manager, who approves the variances, gets them in the same report
    assert HIDDEN & set(_figures(client_for(manager).get(path, params)))


def test_the_dashboard_leaves_the_counted_warehouse_out(
    counted, store, keeper, manager, client_for
):
    def board(user, **params) -> dict:
        response = client_for(user).get("/api/v1/reports/dashboard/", params)
        assert response.status_code == 200, response.json()
        return response.json()

    def stock_in(body: dict) -> Decimal:
        return sum((Decimal(k["quantity"]) for k in body["kinds"] if k["direction"] == "in"), 0)

    for params in ({}, {"store": store.id}):
        mine, full = board(keeper, **params), board(manager, **params)
        assert (mine["totals"]["sku_count"], full["totals"]["sku_count"]) == (1, 2)
        assert (stock_in(mine), stock_in(full)) == (Decimal(5), Decimal(61))
        assert mine["totals"]["stock_value"] is None  # a keeper sees no values at all
        [row] = [r for r in mine["stores"] if r["store"] == store.id]
        assert row["sku_count"] == 1
        assert row["open_counts"] == 1  # that a count is open is no secret: he counts


def test_after_submitting_the_counter_sees_the_whole_stock_again(counted, sku, keeper, client_for):
    api = client_for(keeper)
    api.post(f"{COUNTS}{counted.id}/entries/", {"sku": sku.id, "quantity": "36"})
    assert api.post(f"{COUNTS}{counted.id}/submit/", {}).status_code == 200

    status = api.get("/api/v1/reports/stock-status/", {"group_by": "sku"})
    assert Decimal(42) in _figures(status)
    assert api.get("/api/v1/reports/dashboard/").json()["totals"]["sku_count"] == 2
