"""Inventory turnover (库存周转率): hand-computed figures on a small known ledger, the API with
its scope and cost permission, the export, and agreement with the stock summary."""

import datetime
import io
import sys
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from storeledger.inventory.ledger import MoveRequest
from storeledger.reports import selectors
from storeledger.reports.selectors import Period
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/turnover/"
D = Decimal
DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """TODAY is the company's date as each test starts, not as the module was imported: a run
    begun before local midnight (16:00 UTC) went on after it with yesterday's date."""
    monkeypatch.setattr(sys.modules[__name__], "TODAY", timezone.localdate())


def local(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


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
    """Before the period: 10 in at 2.00. In the 10 days: 20 in at 2.00, a sale of 6, a
    stock-out of 4 (consumed: 10) and scrap of 2 (not consumed): opening 10, closing 18.
    The other store's warehouse: 5 in, nothing out."""
    start = TODAY - 20 * DAY
    factories.posting(
        "t1", [move(warehouse, sku, "10", "purchase_receipt", "2.00")], at=local(start - 3 * DAY)
    )
    factories.posting(
        "t2", [move(warehouse, sku, "20", "purchase_receipt", "2.00")], at=local(start + DAY)
    )
    factories.posting("t3", [move(warehouse, sku, "-6", "sale")], at=local(start + 2 * DAY))
    factories.posting("t4", [move(warehouse, sku, "-4", "stock_out")], at=local(start + 3 * DAY))
    factories.posting("t5", [move(warehouse, sku, "-2", "scrap")], at=local(start + 4 * DAY))
    factories.posting(
        "t6", [move(other_warehouse, sku, "5", "stock_in", "2.00")], at=local(start + 5 * DAY)
    )
    return Period(start, start + 9 * DAY)


def test_known_ledger(admin_user, ledger, warehouse):
    rows = selectors.turnover(
        user=admin_user, period=ledger, filters=selectors.StockFilters(warehouse_id=warehouse.id)
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["opening_quantity"], row["closing_quantity"]) == (D("10"), D("18"))
    assert (row["average_quantity"], row["consumed_quantity"]) == (D("14"), D("10"))
    assert row["turnover"] == D("0.71")  # 10 / 14
    assert row["days_of_inventory"] == D("14.0")  # 10 days x 14 / 10
    assert (row["average_value"], row["consumed_value"]) == (D("28.00"), D("20.00"))
    assert (row["turnover_by_value"], row["days_of_inventory_by_value"]) == (D("0.71"), D("14.0"))


def test_groupings_order_and_totals(admin_user, ledger):
    rows = selectors.turnover(user=admin_user, period=ledger, group_by="warehouse")
    # slowest first: the warehouse with nothing consumed (turnover 0) before the other
    assert [(r["warehouse_code"], r["turnover"]) for r in rows] == [
        ("WH02", D("0.00")),
        ("WH01", D("0.71")),
    ]
    assert rows[0]["days_of_inventory"] is None  # nothing consumed: no days of inventory
    totals = selectors.turnover_totals(rows, ledger)
    # average (10 + 23) / 2 = 16.5; consumed 10
    assert (totals["average_quantity"], totals["turnover"]) == (D("16.5"), D("0.61"))
    summary = selectors.stock_summary(user=admin_user, period=ledger, group_by="warehouse")
    assert sorted(r["closing_value"] for r in summary) == sorted(r["closing_value"] for r in rows)


def test_api_scope_cost_permission_and_export(client_for, manager, keeper, ledger):
    params = {"date_from": ledger.date_from, "date_to": ledger.date_to}
    body = client_for(manager).get(URL, params).json()
    assert body["count"] == 1 and body["show_cost"] is True  # the manager's store only
    row = body["results"][0]
    assert (row["turnover"], row["days_of_inventory"]) == ("0.71", "14.0")
    assert (row["turnover_by_value"], row["consumed_value"]) == ("0.71", "20.0000")
    assert body["totals"]["turnover"] == "0.71"

    hidden = client_for(keeper).get(URL, params).json()
    assert hidden["show_cost"] is False
    figures = {**hidden["results"][0], **{f"totals_{k}": v for k, v in hidden["totals"].items()}}
    assert all(figures[k] is None for k in figures if "value" in k)
    assert hidden["results"][0]["turnover"] == "0.71"

    bad = client_for(manager).get(URL, {**params, "group_by": "warehouse_sku"})
    assert bad.status_code == 400 and bad.json()["fields"]["group_by"]

    xlsx = client_for(manager).get(URL + "export/", {**params, "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    header = next(r for r in sheet.iter_rows(values_only=True) if r and "Turnover" in r)
    data = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "SKU-COLA"]
    assert len(data) == 1
    values = dict(zip(header, data[0], strict=False))
    assert values["Turnover"] == pytest.approx(0.71)
    assert values["Consumed value"] == pytest.approx(20)
    csv_text = b"".join(
        client_for(keeper).get(URL + "export/", {**params, "format": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "Turnover" in csv_text.splitlines()[0] and "value" not in csv_text.splitlines()[0]
    pdf = client_for(manager).get(URL + "export/", {**params, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
