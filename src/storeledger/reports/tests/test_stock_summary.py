"""Stock summary (进销存汇总表): hand-computed figures on a small known ledger, the API with its
scope, cost permission and exports, and a hypothesis property over random postings: per
balance and in total, closing = opening + in − out = the stock at the period's end."""

import datetime
import io
import sys
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from storeledger.catalog.models import Brand, Category
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import StockMove
from storeledger.reports import selectors
from storeledger.reports.selectors import FLOW_KINDS, Period, StockFilters
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/stock-summary/"
D = Decimal


def local(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """TODAY is the company's date as each test starts, not as the module was imported: a run
    begun before local midnight (16:00 UTC) went on after it with yesterday's date."""
    monkeypatch.setattr(sys.modules[__name__], "TODAY", timezone.localdate())


DAY = datetime.timedelta(days=1)


def post(key, at, *moves):
    return factories.posting(key, list(moves), at=at)


def move(warehouse, sku, quantity, move_type, cost=None):
    return MoveRequest(
        warehouse_id=warehouse.id,
        sku_id=sku.id,
        quantity=D(quantity),
        move_type=move_type,
        unit_cost=None if cost is None else D(cost),
    )


@pytest.fixture
def ledger(warehouse, other_warehouse, sku):
    """Before the period: 10 in at 2.00. In the period: 5 in at 3.20, 4 out (sale type),
    a transfer of 3 to the other warehouse, an adjustment of -1 and a count gain of 2.
    After the period: 1 out."""
    start = TODAY - 20 * DAY
    post("p1", local(start - 5 * DAY), move(warehouse, sku, "10", "purchase_receipt", "2.00"))
    post("p2", local(start + DAY), move(warehouse, sku, "5", "purchase_receipt", "3.20"))
    post("p3", local(start + 2 * DAY), move(warehouse, sku, "-4", "sale"))
    post(
        "p4",
        local(start + 3 * DAY),
        move(warehouse, sku, "-3", "transfer_out"),
        MoveRequest(
            warehouse_id=other_warehouse.id,
            sku_id=sku.id,
            quantity=D("3"),
            move_type="transfer_in",
            value_from=0,
        ),
    )
    post("p5", local(start + 4 * DAY), move(warehouse, sku, "-1", "adjustment"))
    post("p6", local(start + 5 * DAY), move(warehouse, sku, "2", "count_gain"))
    post("p7", local(start + 15 * DAY), move(warehouse, sku, "-1", "stock_out"))
    return Period(start, start + 10 * DAY)


def test_known_ledger_per_warehouse_and_sku(admin_user, ledger, warehouse, other_warehouse):
    rows = selectors.stock_summary(
        user=admin_user, period=ledger, group_by=selectors.GROUP_WAREHOUSE_SKU
    )
    assert [r["warehouse_code"] for r in rows] == ["WH01", "WH02"]
    main, other = rows
    # average cost after the second receipt: (20.00 + 16.00) / 15 = 2.40
    assert (main["opening_quantity"], main["opening_value"]) == (D("10"), D("20.00"))
    assert main["flows"]["purchase_receipt"] == {"quantity": D("5"), "value": D("16.00")}
    assert main["flows"]["sale"] == {"quantity": D("4"), "value": D("9.60")}
    assert main["flows"]["transfer_out"] == {"quantity": D("3"), "value": D("7.20")}
    assert main["flows"]["adjustment_out"] == {"quantity": D("1"), "value": D("2.40")}
    assert main["flows"]["count_gain"] == {"quantity": D("2"), "value": D("4.80")}
    assert main["flows"]["other_out"] == {"quantity": D("0"), "value": D("0")}
    assert (main["in_quantity"], main["out_quantity"]) == (D("7"), D("8"))
    assert (main["closing_quantity"], main["closing_value"]) == (D("9"), D("21.60"))
    assert (other["opening_quantity"], other["flows"]["transfer_in"]["quantity"]) == (0, 3)
    assert (other["closing_quantity"], other["closing_value"]) == (D("3"), D("7.20"))

    per_sku = selectors.stock_summary(user=admin_user, period=ledger)
    assert len(per_sku) == 1
    assert per_sku[0]["closing_quantity"] == D("12")
    assert per_sku[0]["flows"]["transfer_in"]["quantity"] == D("3")
    # the period ends before the last stock-out: the balance now is one less than the closing
    assert StockMove.objects.filter(warehouse=warehouse).last().balance_quantity == D("8")


def test_groupings_by_warehouse_category_and_brand(admin_user, ledger, sku):
    drinks = Category.objects.create(code="DR", name="饮料")
    brand = Brand.objects.create(code="KO", name="可口可乐")
    sku.product.category, sku.product.brand = drinks, brand
    sku.product.save()
    by_wh = selectors.stock_summary(user=admin_user, period=ledger, group_by="warehouse")
    assert [(r["warehouse_code"], r["closing_quantity"]) for r in by_wh] == [
        ("WH01", D("9")),
        ("WH02", D("3")),
    ]
    by_category = selectors.stock_summary(user=admin_user, period=ledger, group_by="category")
    assert [(r["category_name"], r["closing_quantity"]) for r in by_category] == [("饮料", 12)]
    by_brand = selectors.stock_summary(user=admin_user, period=ledger, group_by="brand")
    assert [(r["brand_name"], r["closing_value"]) for r in by_brand] == [("可口可乐", D("28.80"))]
    filtered = selectors.stock_summary(
        user=admin_user, period=ledger, filters=StockFilters(brand_id=brand.id + 1)
    )
    assert filtered == []


def test_a_period_before_any_move_or_without_stock_has_no_rows(admin_user, ledger):
    early = Period(TODAY - 300 * DAY, TODAY - 200 * DAY)
    assert selectors.stock_summary(user=admin_user, period=early) == []


def test_api_scope_totals_and_cost_permission(client_for, keeper, manager, ledger, other_warehouse):
    params = {"date_from": ledger.date_from, "date_to": ledger.date_to, "group_by": "warehouse_sku"}
    body = client_for(manager).get(URL, params).json()
    # the manager's scope is store 0001: the other store's warehouse is not there
    assert body["count"] == 1 and body["results"][0]["warehouse_code"] == "WH01"
    assert body["show_cost"] is True
    assert body["results"][0]["closing_value"] == "21.6000"
    assert body["totals"]["flows"]["sale"] == {"quantity": "4.0000", "value": "9.6000"}
    assert [k["key"] for k in body["kinds"]] == [k.key for k in FLOW_KINDS]

    keeper_body = client_for(keeper).get(URL, params).json()
    assert keeper_body["show_cost"] is False
    row = keeper_body["results"][0]
    assert row["closing_quantity"] == "9.0000"
    assert row["closing_value"] is None and row["flows"]["sale"]["value"] is None
    assert keeper_body["totals"]["opening_value"] is None

    outside = client_for(manager).get(URL, {**params, "warehouse": other_warehouse.id})
    assert outside.status_code == 403


def test_api_pages_in_the_database_with_totals_of_every_row(
    client_for, admin_user, ledger, warehouse, other_warehouse
):
    """5 rows over 3 pages of 2: the pages, in order, are the report's rows and each carries
    the count and the totals of all of them. A SKU moved only after the period has no row."""
    for n in range(3):
        sku = factories.sku(code=f"P{n}", name=f"商品{n}")
        post(
            f"in{n}",
            local(ledger.date_from + DAY),
            move(warehouse, sku, str(n + 1), "stock_in", "1.50"),
        )
    late = factories.sku(code="LATE", name="新品")
    post("late", local(ledger.date_to + 2 * DAY), move(other_warehouse, late, "7", "stock_in", "1"))
    params = {"date_from": ledger.date_from, "date_to": ledger.date_to, "group_by": "warehouse_sku"}
    client = client_for(admin_user)
    every = client.get(URL, {**params, "page_size": 50}).json()
    assert every["count"] == 5 and every["next"] is None
    assert [(r["warehouse_code"], r["sku_code"]) for r in every["results"]] == [
        ("WH01", "P0"),
        ("WH01", "P1"),
        ("WH01", "P2"),
        ("WH01", "SKU-COLA"),
        ("WH02", "SKU-COLA"),
    ]
    full = selectors.stock_summary(
        user=admin_user, period=ledger, group_by=selectors.GROUP_WAREHOUSE_SKU
    )
    expected = selectors.summary_totals(full)
    assert expected["closing_quantity"] == D("18") and expected["in_value"] == D("37.00")
    assert every["totals"]["closing_quantity"] == "18.0000"
    # receipt 16.00, count gain 4.80, transfer in 7.20, stock-ins 6 × 1.50
    assert every["totals"]["in_value"] == "37.0000"
    assert every["totals"]["flows"]["other_in"] == {"quantity": "6.0000", "value": "9.0000"}
    pages = [client.get(URL, {**params, "page_size": 2, "page": n}).json() for n in (1, 2, 3)]
    assert [r for body in pages for r in body["results"]] == every["results"]
    assert {body["count"] for body in pages} == {5}
    assert all(body["totals"] == every["totals"] for body in pages)
    assert pages[2]["next"] is None and pages[0]["previous"] is None
    beyond = client.get(URL, {**params, "page_size": 2, "page": 4})
    assert beyond.status_code == 404

    early = {**params, "date_from": TODAY - 300 * DAY, "date_to": TODAY - 200 * DAY}
    nothing = client.get(URL, early).json()
    assert nothing["count"] == 0 and nothing["results"] == []
    assert nothing["totals"]["closing_value"] == "0.0000"


def test_api_refuses_a_backward_or_future_period(client_for, admin_user):
    client = client_for(admin_user)
    backward = client.get(URL, {"date_from": TODAY, "date_to": TODAY - DAY})
    assert backward.status_code == 400 and "date_to" in backward.json()["fields"]
    future = client.get(URL, {"date_to": TODAY + DAY})
    assert future.status_code == 400 and future.json()["fields"]["date_to"]
    bad_group = client.get(URL, {"group_by": "colour"})
    assert bad_group.status_code == 400 and "group_by" in bad_group.json()["fields"]


def test_exports_hold_the_same_figures(client_for, manager, keeper, ledger):
    params = {"date_from": ledger.date_from, "date_to": ledger.date_to, "format": "xlsx"}
    response = client_for(manager).get(URL + "export/", params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["SKU code", "SKU", "Unit", "Opening", "Opening value"]
    values = dict(zip(header, [c.value for c in sheet[4]], strict=True))
    assert values["Opening"] == 10 and values["Closing"] == 9
    assert values["Closing value"] == pytest.approx(21.6)
    assert values["Sales"] == 4 and values["Sales value"] == pytest.approx(9.6)
    assert [c.value for c in sheet[5]][0] == "Total"

    csv_text = b"".join(
        client_for(keeper).get(URL + "export/", {**params, "format": "csv"}).streaming_content
    ).decode("utf-8-sig")
    first = csv_text.splitlines()[0]
    assert "Closing" in first and "value" not in first  # no values without the permission

    pdf = client_for(manager).get(URL + "export/", {**params, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bad = client_for(manager).get(URL + "export/", {**params, "format": "doc"})
    assert bad.status_code == 400 and bad.json()["fields"]["format"]


# ------------------------------------------------------------------ property

WAREHOUSES, SKUS = 2, 2
steps = st.lists(
    st.tuples(
        st.integers(0, WAREHOUSES - 1),
        st.integers(0, SKUS - 1),
        st.sampled_from(
            ["purchase_receipt", "stock_in", "stock_out", "sale", "adjustment", "count_loss"]
        ),
        st.integers(1, 9),
        st.integers(0, 999),
        st.integers(1, 3),
    ),
    min_size=1,
    max_size=14,
)


def _sum_before(moves, when):
    rows = [m for m in moves if m.posted_at < when]
    return sum((m.quantity for m in rows), D(0)), sum((m.value for m in rows), D(0))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps, start_offset=st.integers(0, 40), length=st.integers(0, 30))
def test_summary_equals_the_ledger_for_random_postings(admin_user, steps, start_offset, length):
    store = factories.store()
    warehouses = [factories.warehouse(store, allow_negative_stock=True) for _ in range(WAREHOUSES)]
    skus = [factories.sku() for _ in range(SKUS)]
    day = TODAY - 60 * DAY
    for index, (w, s, move_type, quantity, cents, gap) in enumerate(steps):
        day += gap * DAY
        sign = -1 if move_type in ("stock_out", "sale", "count_loss") else 1
        if move_type == "adjustment" and cents % 2:
            sign = -1
        post(
            f"h{store.id}-{index}",
            local(day, hour=index % 24),
            move(warehouses[w], skus[s], sign * quantity, move_type, D(cents) / 100),
        )
    period = Period(TODAY - (60 - start_offset) * DAY, TODAY - (60 - start_offset - length) * DAY)
    filters = StockFilters(store_id=store.id)
    rows = selectors.stock_summary(
        user=admin_user, period=period, filters=filters, group_by="warehouse_sku"
    )
    moves = list(StockMove.objects.filter(warehouse__store=store))
    by_key = {(r["warehouse_id"], r["sku_id"]): r for r in rows}
    for w in warehouses:
        for s in skus:
            own = [m for m in moves if m.warehouse_id == w.id and m.sku_id == s.id]
            opening = _sum_before(own, period.start)
            closing = _sum_before(own, period.end)
            row = by_key.get((w.id, s.id))
            if row is None:
                assert opening == (0, 0) and closing == (0, 0)
                assert not [m for m in own if period.start <= m.posted_at < period.end]
                continue
            assert (row["opening_quantity"], row["opening_value"]) == opening
            assert (row["closing_quantity"], row["closing_value"]) == closing
            assert row["closing_quantity"] == (
                row["opening_quantity"] + row["in_quantity"] - row["out_quantity"]
            )
            for kind in FLOW_KINDS:
                expected = sum(
                    (
                        m.quantity
                        for m in own
                        if period.start <= m.posted_at < period.end
                        and selectors.kind_of(m.move_type, m.quantity) == kind.key
                    ),
                    D(0),
                )
                sign = 1 if kind.direction == selectors.IN else -1
                assert row["flows"][kind.key]["quantity"] == sign * expected
    totals = selectors.summary_totals(rows)
    per_sku = selectors.stock_summary(user=admin_user, period=period, filters=filters)
    assert selectors.summary_totals(per_sku)["closing_value"] == totals["closing_value"]
    assert sum(r["closing_quantity"] for r in per_sku) == totals["closing_quantity"]
