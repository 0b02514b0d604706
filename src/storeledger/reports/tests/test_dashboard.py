"""GET /api/v1/reports/dashboard/: the head office and store dashboards, on a small ledger whose
figures are worked out by hand below; the store scope, the cost permission and a constant
number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from storeledger.inventory.ledger import MoveRequest
from storeledger.partners.models import Supplier
from storeledger.purchasing.services import orders
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/dashboard/"


def _at(days_ago: int) -> datetime.datetime:
    """Noon, `days_ago` days before today, in the current (company) time zone."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    # before noon today's noon is still ahead, and the ledger refuses a time in the future
    return min(noon, timezone.now())


@pytest.fixture
def ledger(warehouse, other_warehouse):
    """一号店 (WH01) and 二号店 (WH02); tea (safety stock 5) and milk (safety stock 0).

    40 days ago  WH01 tea +2 @2 (= 4, before the period: the opening)
    10 days ago  WH01 tea +10 @2 (20), WH02 tea +4 @3 (12)
     3 days ago  WH01 tea −4 stock-out (−8)
    today        WH01 milk +5 @1 (5), WH02 milk +2 @10 (20) then −2 (−20)

    Now: WH01 tea 8 (16) + milk 5 (5) = 21; WH02 tea 4 (12, below 5) + milk 0 (zero) = 12."""
    unit = factories.unit()
    tea = factories.sku(code="TEA", name="绿茶", base_unit=unit, safety_stock=Decimal(5))
    milk = factories.sku(code="MILK", name="牛奶", base_unit=unit)
    wh1, wh2 = warehouse.id, other_warehouse.id
    factories.posting(
        "old", [MoveRequest(wh1, tea.id, Decimal(2), "stock_in", unit_cost=Decimal(2))], at=_at(40)
    )
    factories.posting(
        "in10",
        [
            MoveRequest(wh1, tea.id, Decimal(10), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(wh2, tea.id, Decimal(4), "stock_in", unit_cost=Decimal(3)),
        ],
        at=_at(10),
    )
    factories.posting("out3", [MoveRequest(wh1, tea.id, Decimal(-4), "stock_out")], at=_at(3))
    factories.posting(
        "today-in",
        [
            MoveRequest(wh1, milk.id, Decimal(5), "stock_in", unit_cost=Decimal(1)),
            MoveRequest(wh2, milk.id, Decimal(2), "stock_in", unit_cost=Decimal(10)),
        ],
        at=_at(0),
    )
    factories.posting("today-out", [MoveRequest(wh2, milk.id, Decimal(-2), "stock_out")], at=_at(0))
    return {"tea": tea, "milk": milk}


def _get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_head_office_figures_by_hand(ledger, store, other_store, admin_user, client_for):
    data = _get(client_for(admin_user))

    assert data["store"] is None and data["show_cost"] is True
    assert data["date_to"] == timezone.localdate().isoformat()
    stores = {row["store_code"]: row for row in data["stores"]}
    assert list(stores) == ["0001", "0002"]
    one, two, total = stores["0001"], stores["0002"], data["totals"]
    assert (one["stock_value"], two["stock_value"], total["stock_value"]) == (
        "21.0000",
        "12.0000",
        "33.0000",
    )
    assert (one["in_value"], one["out_value"]) == ("25.0000", "8.0000")
    assert (two["in_value"], two["out_value"]) == ("32.0000", "20.0000")
    assert (total["in_value"], total["out_value"], total["consumed_value"]) == (
        "57.0000",
        "28.0000",
        "28.0000",
    )
    # turnover = consumed ÷ ((opening + closing) ÷ 2); days = 30 ÷ turnover
    assert (one["turnover"], one["days_of_inventory"]) == ("0.64", "46.9")  # 8 ÷ 12.5
    assert (two["turnover"], two["days_of_inventory"]) == ("3.33", "9.0")  # 20 ÷ 6
    assert (total["turnover"], total["days_of_inventory"]) == ("1.51", "19.8")  # 28 ÷ 18.5
    assert (one["sku_count"], two["sku_count"], total["sku_count"]) == (2, 1, 2)
    assert (one["below_safety_stock"], two["below_safety_stock"]) == (0, 1)
    assert (one["zero_stock"], two["zero_stock"], total["negative_stock"]) == (0, 1, 0)
    kinds = {k["key"]: k for k in data["kinds"]}
    assert kinds["other_in"]["value"] == "57.0000" and kinds["other_out"]["value"] == "28.0000"
    assert kinds["other_out"]["quantity"] == "6.0000"
    trend = {day["date"]: day for day in data["trend"]}
    assert len(trend) == 30

    def day(n):
        return trend[(timezone.localdate() - datetime.timedelta(days=n)).isoformat()]

    assert (day(0)["stock_value"], day(0)["in_value"], day(0)["out_value"]) == (
        "33.0000",
        "25.0000",
        "20.0000",
    )
    assert (day(1)["stock_value"], day(3)["stock_value"], day(3)["out_value"]) == (
        "28.0000",
        "28.0000",
        "8.0000",
    )
    assert (day(4)["stock_value"], day(10)["stock_value"], day(10)["in_value"]) == (
        "36.0000",
        "36.0000",
        "32.0000",
    )
    assert (day(11)["stock_value"], day(29)["stock_value"]) == ("4.0000", "4.0000")
    # both categories-less SKUs: one "uncategorised" row worth the whole stock
    assert [(c["category"], c["value"]) for c in data["categories"]] == [(None, "33.0000")]


def test_one_store(ledger, other_store, admin_user, client_for):
    data = _get(client_for(admin_user), store=other_store.id)

    assert data["store"] == other_store.id
    assert [row["store_code"] for row in data["stores"]] == ["0002"]
    assert (data["totals"]["stock_value"], data["totals"]["in_value"]) == ("12.0000", "32.0000")
    trend = data["trend"]
    assert (trend[-1]["stock_value"], trend[-2]["stock_value"], trend[0]["stock_value"]) == (
        "12.0000",
        "12.0000",
        "0.0000",
    )


def test_a_store_with_nothing_in_it_has_an_empty_board(admin_user, client_for):
    # as every report answers a filter matching nothing: the payables were then summed over no
    # store at all, which Django cannot write as SQL (EmptyResultSet) — once a 500
    empty = factories.store("0099", name="空店")
    data = _get(client_for(admin_user), store=empty.id)

    assert data["store"] == empty.id
    assert [row["stock_value"] for row in data["stores"]] == ["0.0000"]
    assert client_for(admin_user).get(URL, {"store": 999999}).status_code == 400
    assert (data["totals"]["stock_value"], data["totals"]["payables"]) == ("0.0000", "0.0000")


def test_no_values_without_the_cost_permission(ledger, keeper, client_for):
    data = _get(client_for(keeper))

    assert data["show_cost"] is False
    row = data["totals"]
    for name in ("stock_value", "in_value", "out_value", "turnover", "on_order_value"):
        assert row[name] is None
    assert row["below_safety_stock"] == 0 and row["sku_count"] == 2  # counts stay
    assert data["categories"] == []
    assert {day["stock_value"] for day in data["trend"]} == {None}
    assert {k["value"] for k in data["kinds"]} == {None}
    # a keeper sees the orders' counts, not payables
    assert data["sections"] == {"orders": True, "receipts": True, "payables": False}
    assert (row["open_orders"], row["payables"]) == (0, None)


def test_store_scope(ledger, store, other_store, manager, client_for):
    client = client_for(manager)
    data = _get(client)
    assert [row["store_code"] for row in data["stores"]] == ["0001"]
    assert data["totals"]["stock_value"] == "21.0000"  # 二号店's 12 left out

    response = client.get(URL, {"store": other_store.id})
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert _get(client, store=store.id)["totals"]["stock_value"] == "21.0000"


def test_bad_parameters(admin_user, client_for):
    client = client_for(admin_user)
    assert client.get(URL, {"store": "x"}).status_code == 400
    assert client.get(URL, {"warehouse": 1}).json()["code"] == "unknown_parameter"


def test_purchasing_figures(ledger, warehouse, store, admin_user, manager, client_for):
    supplier = Supplier.objects.create(code="S1", name="供应商")
    late = orders.create_purchase_order(
        user=admin_user,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        expected_date=timezone.localdate() - datetime.timedelta(days=2),
        lines=[orders.OrderLineInput(sku_id=ledger["tea"].id, quantity=Decimal(5), price=1)],
    )
    orders.submit_purchase_order(user=admin_user, order_id=late.id)
    orders.approve_purchase_order(user=manager, order_id=late.id)
    waiting = orders.create_purchase_order(
        user=admin_user,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        lines=[orders.OrderLineInput(sku_id=ledger["tea"].id, quantity=Decimal(1), price=1)],
    )
    orders.submit_purchase_order(user=admin_user, order_id=waiting.id)
    late.refresh_from_db()

    row = _get(client_for(admin_user), store=store.id)["totals"]

    assert (row["open_orders"], row["pending_approvals"], row["overdue_orders"]) == (1, 1, 1)
    assert row["on_order_value"] == str(late.total_net)
    assert (row["receipts_month"], row["payables"]) == (0, "0.0000")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client)
    return len(captured)


def test_constant_number_of_queries(ledger, admin_user, client_for):
    client = client_for(admin_user)
    _get(client)  # warm the caches (company, scope)
    before = _queries(client)
    unit = factories.unit(code="box")
    for n in range(3):
        extra = factories.warehouse(factories.store(f"01{n}"), code=f"X{n}")
        skus = [factories.sku(code=f"X{n}{m}", base_unit=unit) for m in range(3)]
        factories.posting(
            f"x{n}",
            [
                MoveRequest(extra.id, s.id, Decimal(2), "stock_in", unit_cost=Decimal(1))
                for s in skus
            ],
            at=_at(n),
        )
    after = _queries(client)
    assert len(_get(client)["stores"]) == 5
    assert after == before


def test_central_warehouses_are_a_row_of_head_office(
    ledger, store, warehouse, admin_user, client_for
):
    central = factories.warehouse(None, code="CW01", name="中心仓")
    factories.posting(
        "cw",
        [MoveRequest(central.id, ledger["tea"].id, Decimal(5), "stock_in", unit_cost=Decimal(4))],
        at=_at(1),
    )
    client = client_for(admin_user)

    data = _get(client)
    last = data["stores"][-1]
    assert (last["store"], last["store_code"], last["stock_value"]) == (None, None, "20.0000")
    assert (last["in_value"], last["sku_count"]) == ("20.0000", 1)
    assert data["totals"]["stock_value"] == "53.0000"  # 21 + 12 + 20
    trend = data["trend"]
    assert (trend[-1]["stock_value"], trend[-2]["stock_value"], trend[-3]["stock_value"]) == (
        "53.0000",
        "48.0000",  # before today's net +5
        "28.0000",  # before yesterday's 20 into the central warehouse
    )
    # a store's dashboard has no central row
    assert [row["store"] for row in _get(client, store=store.id)["stores"]] == [store.id]
