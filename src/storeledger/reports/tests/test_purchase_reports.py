"""Purchase analysis, open orders, price trend and the supplier rating, against figures
computed by hand from a known set of documents."""

import datetime
import io
import sys
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from storeledger.org.models import Company
from storeledger.partners.models import Supplier
from storeledger.purchasing import rating
from storeledger.purchasing.services import orders, receipts
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """TODAY is the company's date as each test starts, not as the module was imported: a run
    begun before local midnight (16:00 UTC) went on after it with yesterday's date."""
    monkeypatch.setattr(sys.modules[__name__], "TODAY", timezone.localdate())


DAY = datetime.timedelta(days=1)


@pytest.fixture
def buyer(db):
    return factories.user("buyer", roles=("buyer",), all_stores=True)


@pytest.fixture
def approver(store):
    return factories.user("approver", roles=("store_manager",), stores=(store,))


@pytest.fixture
def suppliers(db):
    return (
        Supplier.objects.create(code="S001", name="娃哈哈", prices_include_tax=False, tax_rate=0),
        Supplier.objects.create(code="S002", name="农夫山泉", prices_include_tax=False, tax_rate=0),
    )


def order(buyer, approver, supplier, warehouse, sku, quantity, price, expected):
    draft = orders.create_purchase_order(
        user=buyer,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        expected_date=expected,
        lines=[
            OrderLineInput(
                sku_id=sku.id,
                quantity=Decimal(quantity),
                unit_id=sku.product.base_unit_id,
                price=Decimal(price),
                tax_rate=Decimal(0),
            )
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=draft.id)
    return orders.approve_purchase_order(user=approver, order_id=draft.id)


def receive(user, placed, quantity, rejected="0"):
    return receipts.create_purchase_receipt(
        user=user,
        order_id=placed.id,
        lines=[
            ReceiptLineInput(
                order_line_id=placed.lines.get().id,
                quantity=Decimal(quantity),
                rejected_quantity=Decimal(rejected),
                reject_reason="破损" if Decimal(rejected) else "",
            )
        ],
        post=True,
    )


@pytest.fixture
def documents(buyer, approver, manager, suppliers, warehouse, sku):
    """S001: 100 ordered at 2.00, due tomorrow, 80 accepted + 20 rejected (on time).
    S002: 100 ordered at 3.00, due yesterday (late), 50 accepted; another 50 at 3.00 due
    tomorrow, nothing received yet."""
    wahaha, nongfu = suppliers
    first = order(buyer, approver, wahaha, warehouse, sku, 100, "2.00", TODAY + DAY)
    receive(manager, first, 80, rejected=20)
    late = order(buyer, approver, nongfu, warehouse, sku, 100, "3.00", TODAY - DAY)
    receive(manager, late, 50)
    order(buyer, approver, nongfu, warehouse, sku, 50, "3.00", TODAY + DAY)
    return wahaha, nongfu


def test_supplier_rating_equals_the_hand_computed_figures(documents):
    wahaha, nongfu = documents
    rows = {
        row["supplier_id"]: row
        for row in rating.supplier_ratings(date_from=TODAY - 2 * DAY, date_to=TODAY + DAY)
    }
    a, b = rows[wahaha.id], rows[nongfu.id]
    # on time: S001 received before its date; S002's only receipt came a day late
    assert (a["on_time"], b["on_time"]) == (Decimal("100.0"), Decimal("0.0"))
    # fill: S001 80 of 100 (rejected goods do not fill); S002 (50·3) of (100·3 + 50·3)
    assert (a["fill_rate"], b["fill_rate"]) == (Decimal("80.0"), Decimal("33.3"))
    # quality: S001 rejected 20·2 of 100·2 delivered; S002 nothing rejected
    assert (a["quality"], b["quality"]) == (Decimal("80.0"), Decimal("100.0"))
    # price: average 310 / 130 = 2.3846 per can; S001 charged 160 for what costs 190.77 on
    # average (index 83.9 → 100), S002 150 for 119.23 (index 125.8 → 100 × 100 / 125.8 = 79.5)
    assert (a["price_index"], b["price_index"]) == (Decimal("83.9"), Decimal("125.8"))
    assert (a["price"], b["price"]) == (Decimal("100"), Decimal("79.5"))
    # score, weights 40/30/20/10: S001 (4000 + 2400 + 1600 + 1000) / 100 = 90.0;
    # S002 (0 + 30 × 33.3 + 2000 + 795) / 100 = 37.94 → 37.9
    assert (a["score"], b["score"]) == (Decimal("90.0"), Decimal("37.9"))
    assert (a["rank"], b["rank"]) == (1, 2)


def test_the_weights_come_from_the_company_and_missing_figures_share_theirs(documents):
    wahaha, _nongfu = documents
    Company.objects.filter(pk=Company.current().pk).update(
        rating_weight_on_time=0, rating_weight_fill_rate=0, rating_weight_price=0
    )
    [row] = rating.supplier_ratings(
        date_from=TODAY - 2 * DAY, date_to=TODAY + DAY, supplier_ids=[wahaha.id]
    )
    assert row["score"] == Decimal("80.0")  # quality alone
    figures = {"on_time": None, "fill_rate": Decimal(50), "quality": None, "price": Decimal(100)}
    assert rating.score(figures, rating.Weights()) == Decimal("62.5")  # (1500 + 1000) / 40


def test_a_returned_value_source_lowers_quality(documents, monkeypatch):
    wahaha, _nongfu = documents
    monkeypatch.setattr(
        rating,
        "_returned_value_sources",
        [lambda date_from, date_to, warehouses: {wahaha.id: Decimal("40.00")}],
    )
    [row] = rating.supplier_ratings(
        date_from=TODAY - 2 * DAY, date_to=TODAY + DAY, supplier_ids=[wahaha.id]
    )
    assert row["quality"] == Decimal("60.0")  # (40 rejected + 40 returned) of 200
    assert row["returned_value"] == Decimal("40.00")


def test_rating_api_scope_and_cost(documents, client_for, keeper, other_store):
    body = client_for(keeper).get("/api/v1/reports/supplier-rating/").json()
    assert [row["supplier_code"] for row in body["results"]] == ["S001", "S002"]
    assert body["show_cost"] is False and body["results"][0]["received_value"] is None
    assert body["weights"]["on_time"] == "40.00"
    outsider = factories.user("outsider", roles=("warehouse_keeper",), stores=(other_store,))
    assert client_for(outsider).get("/api/v1/reports/supplier-rating/").json()["count"] == 0


def test_purchase_analysis_by_supplier_and_sku(documents, client_for, admin_user, sku):
    api = client_for(admin_user)
    body = api.get("/api/v1/reports/purchases/", {"group_by": "supplier"}).json()
    rows = [(r["supplier_code"], r["value"], r["rejected_value"]) for r in body["results"]]
    assert rows == [("S001", "160.0000", "40.0000"), ("S002", "150.0000", "0.0000")]
    assert body["totals"]["value"] == "310.0000"
    assert [(m["value"], m["lines"]) for m in body["by_month"]] == [("310.0000", 2)]
    by_sku = api.get("/api/v1/reports/purchases/", {"group_by": "sku"}).json()["results"]
    assert (by_sku[0]["quantity"], by_sku[0]["average_cost"]) == ("130.0000", "2.3846")
    response = api.get("/api/v1/reports/purchases/export/", {"format": "csv"})
    assert response.status_code == 200
    assert "S001" in b"".join(response.streaming_content).decode("utf-8-sig")
    assert [r["share"] for r in body["results"]] == ["51.6", "48.4"]


def test_a_keeper_sees_no_split_of_the_purchase_values(documents, client_for, keeper):
    body = client_for(keeper).get("/api/v1/reports/purchases/", {"group_by": "supplier"}).json()
    assert body["show_cost"] is False
    assert [(r["supplier_code"], r["value"], r["share"]) for r in body["results"]] == [
        ("S001", None, None),
        ("S002", None, None),
    ]


def test_purchase_analysis_refuses_bad_input(client_for, admin_user):
    api = client_for(admin_user)
    response = api.get("/api/v1/reports/purchases/", {"group_by": "colour"})
    assert response.status_code == 400
    assert response.json()["fields"].keys() == {"group_by"}
    tomorrow = (TODAY + DAY).isoformat()
    response = api.get("/api/v1/reports/purchases/", {"date_to": tomorrow})
    assert response.status_code == 400


def test_open_orders_and_overdue(documents, client_for, admin_user):
    api = client_for(admin_user)
    body = api.get("/api/v1/reports/open-purchase-orders/").json()
    lines = [(r["supplier_code"], r["open_quantity"], r["days_overdue"]) for r in body["results"]]
    # S001's 20 rejected are still expected; S002's first order is a day late
    assert lines == [("S002", "50.0000", 1), ("S001", "20.0000", 0), ("S002", "50.0000", 0)]
    assert body["overdue_lines"] == 1
    overdue = api.get("/api/v1/reports/open-purchase-orders/", {"overdue": "true"}).json()
    assert overdue["count"] == 1 and overdue["results"][0]["open_value"] == "150.0000"


def test_price_trend_of_a_sku(documents, client_for, admin_user, sku):
    body = (
        client_for(admin_user).get("/api/v1/reports/purchase-price-trend/", {"sku": sku.id}).json()
    )
    assert [(r["supplier_code"], r["unit_cost"]) for r in body["results"]] == [
        ("S001", "2.0000"),
        ("S002", "3.0000"),
    ]
    missing = client_for(admin_user).get("/api/v1/reports/purchase-price-trend/")
    assert missing.status_code == 400


def test_a_cashier_gets_no_purchase_report(client_for, store):
    cashier = factories.user("cashier1", roles=("cashier",), stores=(store,))
    assert client_for(cashier).get("/api/v1/reports/purchases/").status_code == 403


def test_the_total_row_counts_each_receipt_once(
    buyer, approver, manager, suppliers, warehouse, sku, client_for, admin_user
):
    """A receipt of two SKUs is on two rows per SKU (each counts it): the Total row of the
    xlsx counts the distinct receipts of the whole report, 2, not the rows' 3."""
    wahaha, _nongfu = suppliers
    water = factories.sku(code="SKU-WATER", name="矿泉水 550ml")
    draft = orders.create_purchase_order(
        user=buyer,
        supplier_id=wahaha.id,
        warehouse_id=warehouse.id,
        expected_date=TODAY + DAY,
        lines=[
            OrderLineInput(
                sku_id=item.id,
                quantity=Decimal(10),
                unit_id=item.product.base_unit_id,
                price=Decimal("2.00"),
                tax_rate=Decimal(0),
            )
            for item in (sku, water)
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=draft.id)
    placed = orders.approve_purchase_order(user=approver, order_id=draft.id)
    cola_line, water_line = placed.lines.order_by("line_no")
    for lines in ([(cola_line, 4), (water_line, 10)], [(cola_line, 6)]):
        receipts.create_purchase_receipt(
            user=manager,
            order_id=placed.id,
            lines=[
                ReceiptLineInput(order_line_id=line.id, quantity=Decimal(q)) for line, q in lines
            ],
            post=True,
        )
    api = client_for(admin_user)
    body = api.get("/api/v1/reports/purchases/", {"group_by": "sku"}).json()
    assert sorted(row["receipts"] for row in body["results"]) == [1, 2]
    assert body["totals"]["receipts"] == 2
    by_supplier = api.get("/api/v1/reports/purchases/", {"group_by": "supplier"}).json()
    assert by_supplier["totals"]["receipts"] == 2

    response = api.get("/api/v1/reports/purchases/export/", {"group_by": "sku", "format": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.rows]
    start = next(i for i, row in enumerate(rows) if "Receipts" in row)
    header = rows[start]
    [total] = [r for r in rows[start + 1 :] if r[header.index("SKU code")] == "Total"]
    assert total[header.index("Receipts")] == 2
    assert total[header.index("Lines")] == 3
    body_rows = [
        r for r in rows[start + 1 :] if r[header.index("SKU code")] in ("SKU-COLA", "SKU-WATER")
    ]
    assert sum(r[header.index("Receipts")] for r in body_rows) == 3
