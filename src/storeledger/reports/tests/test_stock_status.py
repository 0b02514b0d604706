"""Stock status (库存现状): on hand, available, in transit, value, days of cover, flags, value by
category and warehouse, ageing by FIFO layers; scope, cost permission and exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from storeledger.catalog.models import Category
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.services import transfers
from storeledger.reports import selectors
from storeledger.reports.selectors import StockFilters
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/stock-status/"
D = Decimal
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def post(key, days_ago, *moves):
    return factories.posting(key, list(moves), at=NOW - days_ago * DAY)


def move(warehouse, sku, quantity, move_type, cost=None):
    return MoveRequest(
        warehouse_id=warehouse.id,
        sku_id=sku.id,
        quantity=D(quantity),
        move_type=move_type,
        unit_cost=None if cost is None else D(cost),
    )


def three_pages(client, url: str, size: int, every: dict) -> list[dict]:
    """Pages 1-3 of `url`: each with the count and totals of `every` (the whole report, one
    page), in the same number of queries; together, every row in order."""
    pages, queries = [], []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url, {"page_size": size, "page": number}).json()
        assert body["count"] == every["count"] and body["totals"] == every["totals"]
        pages.append(body)
        queries.append(len(captured))
    assert queries[0] == queries[1] == queries[2]
    assert [r for body in pages for r in body["results"]] == every["results"]
    return pages


@pytest.fixture
def stock(warehouse, other_warehouse, sku):
    """COLA in WH01: 40 received 200 days ago at 1.00, 20 received 45 days ago at 2.50,
    30 sold over the last 30 days (10 each 20, 10 and 5 days ago); safety stock 50, max 20.
    JUICE in WH01: 5 received 100 days ago, never sold. COLA in WH02: 8."""
    drinks = Category.objects.create(code="DR", name="饮料")
    sku.safety_stock, sku.max_stock = D("50"), D("20")
    sku.save()
    sku.product.category = drinks
    sku.product.save()
    juice = factories.sku(code="SKU-JUICE", name="橙汁", purchase_price="4.00")
    post("r1", 200, move(warehouse, sku, "40", "purchase_receipt", "1.00"))
    post("j1", 100, move(warehouse, juice, "5", "stock_in", "4.00"))
    post("r2", 45, move(warehouse, sku, "20", "purchase_receipt", "2.50"))
    post("o1", 20, move(other_warehouse, sku, "8", "stock_in", "1.50"))
    for n, days in enumerate((20, 10, 5)):
        post(f"s{n}", days, move(warehouse, sku, "-10", "sale"))
    return juice


def test_status_per_warehouse_and_sku(admin_user, stock, sku, warehouse):
    rows = selectors.stock_status(user=admin_user, now=NOW)
    assert [(r["warehouse_code"], r["sku_code"]) for r in rows] == [
        ("WH01", "SKU-COLA"),
        ("WH01", "SKU-JUICE"),
        ("WH02", "SKU-COLA"),
    ]
    cola, juice, other = rows
    # 60 in at a value of 40 + 50 = 90 (average 1.50); 30 out at 1.50 leaves 30 worth 45.00
    assert (cola["on_hand"], cola["available"], cola["value"]) == (D("30"), D("30"), D("45"))
    assert cola["demand_30d"] == D("30")
    assert cola["days_of_cover"] == D("30.0")  # 30 available ÷ 1 a day
    assert cola["below_safety_stock"] and cola["above_max_stock"] and not cola["no_outflow"]
    assert juice["days_of_cover"] is None and juice["no_outflow"]
    assert not juice["below_safety_stock"] and not juice["above_max_stock"]
    assert other["no_outflow"]  # received 20 days ago, nothing out in 90 days

    slow = selectors.stock_status(user=admin_user, now=NOW, only="no_outflow", no_outflow_days=15)
    assert [(r["warehouse_code"], r["sku_code"]) for r in slow] == [
        ("WH01", "SKU-JUICE"),
        ("WH02", "SKU-COLA"),
    ]
    per_sku = selectors.stock_status(user=admin_user, now=NOW, group_by="sku")
    assert [(r["sku_code"], r["on_hand"]) for r in per_sku] == [
        ("SKU-COLA", D("38")),
        ("SKU-JUICE", D("5")),
    ]


def test_in_transit_counts_towards_the_destination(
    admin_user, stock, sku, warehouse, other_warehouse
):
    transfer = transfers.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[transfers.TransferLineInput(sku_id=sku.id, quantity=D("4"))],
    )
    transfers.ship_transfer(user=admin_user, transfer_id=transfer.id)
    rows = {
        (r["warehouse_code"], r["sku_code"]): r for r in selectors.stock_status(user=admin_user)
    }
    assert rows[("WH02", "SKU-COLA")]["in_transit"] == D("4")
    assert rows[("WH01", "SKU-COLA")]["in_transit"] == D("0")
    assert rows[("WH01", "SKU-COLA")]["on_hand"] == D("26")
    only_wh01 = selectors.stock_status(
        user=admin_user, filters=StockFilters(warehouse_id=warehouse.id)
    )
    assert {r["in_transit"] for r in only_wh01} == {D("0")}


def test_ageing_takes_the_latest_receipts_first(admin_user, stock, warehouse):
    rows = selectors.stock_ageing(user=admin_user, filters=StockFilters(warehouse_id=warehouse.id))
    cola, juice = rows
    # 30 on hand: the 20 received 45 days ago (31-60) and 10 of the 40 from 200 days ago
    quantities = [b["quantity"] for b in cola["buckets"]]
    assert quantities == [0, 20, 0, 0, 10, 0]
    assert sum(b["value"] for b in cola["buckets"]) == D("45")
    assert [b["quantity"] for b in juice["buckets"]] == [0, 0, 0, 5, 0, 0]


def test_ageing_buckets_by_the_company_day_and_per_sku(admin_user, warehouse, other_warehouse):
    """A layer's age is counted in the company's days (Asia/Shanghai): received at 00:00:30 on
    the day 30 days ago it is 0-30 days old, at 23:59 the day before 31-60, though both are on
    the same UTC day. Per SKU the warehouses' layers add up, each valued at its share."""
    today = datetime.date(2026, 12, 7)
    zone = timezone.get_current_timezone()

    def at(days_ago, hour, minute, second=0):
        day = today - days_ago * DAY
        return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)

    tea = factories.sku(code="TEA", name="茶")
    factories.posting(
        "t1", [move(warehouse, tea, "6", "purchase_receipt", "1.00")], at=at(31, 23, 59)
    )
    factories.posting(
        "t2", [move(warehouse, tea, "4", "purchase_receipt", "2.50")], at=at(30, 0, 0, 30)
    )
    factories.posting("t3", [move(other_warehouse, tea, "3", "stock_in", "3.00")], at=at(400, 9, 0))
    factories.posting("t4", [move(warehouse, tea, "-5", "sale")], at=at(2, 10, 0))
    per_warehouse = selectors.stock_ageing(user=admin_user, today=today)
    # WH01: 5 on hand at (6 + 10) / 10 = 1.60: the newest 4 (0-30 days), then 1 of the 6
    assert [
        (r["warehouse_code"], [b["quantity"] for b in r["buckets"]]) for r in per_warehouse
    ] == [("WH01", [4, 1, 0, 0, 0, 0]), ("WH02", [0, 0, 0, 0, 0, 3])]
    assert [b["value"] for b in per_warehouse[0]["buckets"][:2]] == [D("6.40"), D("1.60")]
    (per_sku,) = selectors.stock_ageing(user=admin_user, today=today, group_by="sku")
    assert [b["quantity"] for b in per_sku["buckets"]] == [4, 1, 0, 0, 0, 3]
    assert [b["value"] for b in per_sku["buckets"]] == [D("6.4"), D("1.6"), 0, 0, 0, D("9")]


def test_ageing_a_reversed_receipt_does_not_make_old_stock_young(
    admin_user, warehouse, other_warehouse
):
    """A receipt reversed (红冲: a receipt move with the opposite quantity) takes back what it
    brought: the 10 on hand are the 10 received 200 days ago, not the reversed 10 of last
    week. A move back into stock that is not an inflow (a sale reversed) brings no new
    layer either, and the buckets' values add up to the stock's value, to the fen."""
    tea = factories.sku(code="TEA", name="茶")
    post("old", 200, move(warehouse, tea, "10", "purchase_receipt", "1.00"))
    post("new", 8, move(warehouse, tea, "10", "purchase_receipt", "1.00"))
    post("undo", 7, move(warehouse, tea, "-10", "purchase_receipt", "1.00"))
    post("sold", 6, move(warehouse, tea, "-3", "sale"))
    post("unsold", 5, move(warehouse, tea, "3", "sale", "1.00"))
    (row,) = selectors.stock_ageing(user=admin_user)
    assert [b["quantity"] for b in row["buckets"]] == [0, 0, 0, 0, 10, 0]

    thirds = factories.sku(code="THIRDS", name="三等分")
    post("t1", 100, move(other_warehouse, thirds, "1", "stock_in", "3.3333"))
    post("t2", 40, move(other_warehouse, thirds, "1", "stock_in", "3.3333"))
    post("t3", 10, move(other_warehouse, thirds, "1", "stock_in", "3.3334"))
    rows = selectors.stock_ageing(user=admin_user, filters=StockFilters(sku_id=thirds.id))
    (row,) = rows
    assert [b["quantity"] for b in row["buckets"]] == [1, 1, 0, 1, 0, 0]
    assert row["value"] == D("10")
    assert [b["value"] for b in row["buckets"]] == [
        D("3.3333"),
        D("3.3334"),
        0,
        D("3.3333"),
        0,
        0,
    ]


def test_ageing_api_pages_in_the_database_with_totals_of_every_row(
    client_for, admin_user, warehouse, other_warehouse
):
    """5 rows over 3 pages of 2, in the report's order; the count and each bucket's total are
    of every row, on each page; `page=last`, a page past the end and per SKU."""
    skus = [factories.sku(code=f"A{n}", name=f"商品{n}") for n in range(3)]
    for n, sku in enumerate(skus):
        post(f"a{n}", 10 + 50 * n, move(warehouse, sku, str(n + 1), "stock_in", "2.00"))
        if n < 2:
            post(f"b{n}", 400, move(other_warehouse, sku, "5", "stock_in", "1.00"))
    url = URL + "ageing/"
    client = client_for(admin_user)
    every = client.get(url, {"page_size": 50}).json()
    assert every["count"] == 5 and every["next"] is None
    assert [(r["warehouse_code"], r["sku_code"]) for r in every["results"]] == [
        *((warehouse.code, f"A{n}") for n in range(3)),
        *((other_warehouse.code, f"A{n}") for n in range(2)),
    ]
    assert [(t["quantity"], t["value"]) for t in every["totals"]] == [
        ("1.0000", "2.0000"),  # A0 in WH01, 10 days ago
        ("2.0000", "4.0000"),  # A1, 60 days ago: 31-60 (after the midnight of that day)
        ("0.0000", "0.0000"),
        ("3.0000", "6.0000"),  # A2, 110 days ago
        ("0.0000", "0.0000"),
        ("10.0000", "10.0000"),  # WH02, 400 days ago
    ]
    pages = three_pages(client, url, 2, every)
    assert pages[2]["next"] is None and pages[2]["previous"].endswith("page=2&page_size=2")
    assert (
        client.get(url, {"page_size": 2, "page": "last"}).json()["results"] == pages[2]["results"]
    )
    missing = client.get(url, {"page_size": 2, "page": 4})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    per_sku = client.get(url, {"group_by": "sku"}).json()
    assert [(r["sku_code"], r["on_hand"]) for r in per_sku["results"]] == [
        ("A0", "6.0000"),
        ("A1", "7.0000"),
        ("A2", "3.0000"),
    ]
    assert per_sku["totals"] == every["totals"]
    empty = client.get(url, {"search": "none such"}).json()
    assert empty["count"] == 0 and empty["totals"][0] == {"quantity": "0.0000", "value": "0.0000"}


def test_value_by_category_and_warehouse(admin_user, stock):
    by_category = selectors.stock_value_by(user=admin_user, dimension="category")
    assert [(r["name"], r["value"]) for r in by_category] == [("饮料", D("57")), (None, D("20"))]
    by_warehouse = selectors.stock_value_by(user=admin_user, dimension="warehouse")
    assert [(r["code"], r["value"]) for r in by_warehouse] == [("WH01", D("65")), ("WH02", D("12"))]


def test_api_scope_cost_and_exports(client_for, manager, keeper, stock, other_warehouse):
    body = client_for(manager).get(URL).json()
    assert body["count"] == 2 and body["show_cost"] is True
    assert body["totals"]["value"] == "65.0000" and body["totals"]["no_outflow"] == 1
    assert [w["code"] for w in body["by_warehouse"]] == ["WH01"]
    keeper_body = client_for(keeper).get(URL, {"only": "below_safety_stock"}).json()
    assert keeper_body["count"] == 1 and keeper_body["show_cost"] is False
    assert keeper_body["results"][0]["value"] is None
    assert keeper_body["totals"]["value"] is None
    assert {c["value"] for c in keeper_body["by_category"]} == {None}
    assert client_for(keeper).get(URL, {"warehouse": other_warehouse.id}).status_code == 403
    bad = client_for(keeper).get(URL, {"no_outflow_days": 0})
    assert bad.status_code == 400 and "no_outflow_days" in bad.json()["fields"]

    ageing = client_for(keeper).get(URL + "ageing/").json()
    assert ageing["bucket_days"] == [30, 60, 90, 180, 365]
    assert ageing["results"][0]["buckets"][1] == {"quantity": "20.0000", "value": None}

    response = client_for(manager).get(URL + "export/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[3]]
    values = dict(zip(header, [c.value for c in sheet[4]], strict=True))
    assert values["On hand"] == 30 and values["Value"] == 45 and values["Days of cover"] == 30
    keeper_csv = b"".join(
        client_for(keeper).get(URL + "ageing/export/", {"format": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "0–30 days" in keeper_csv.splitlines()[0] and "value" not in keeper_csv.splitlines()[0]
    pdf = client_for(manager).get(URL + "export/", {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_api_pages_in_the_database_with_totals_of_every_row(
    client_for, admin_user, warehouse, other_warehouse
):
    """7 rows over 3 pages of 3: the pages, in order, are the report's rows; count and totals
    are of every row (of the rows `only` keeps), on each page; links as the other lists."""
    skus = [factories.sku(code=f"P{n}", name=f"商品{n}", safety_stock="6") for n in range(4)]
    for n, sku in enumerate(skus):
        post(f"a{n}", 40, move(warehouse, sku, str(n + 4), "stock_in", "2.00"))
        if n < 3:
            post(f"b{n}", 40, move(other_warehouse, sku, str(n + 1), "stock_in", "1.00"))
    post("sold", 3, move(warehouse, skus[3], "-1", "sale"))
    client = client_for(admin_user)
    every = client.get(URL, {"page_size": 50}).json()
    assert every["count"] == 7 and every["next"] is None
    assert [(r["warehouse_code"], r["sku_code"]) for r in every["results"]] == [
        *((warehouse.code, f"P{n}") for n in range(4)),
        *((other_warehouse.code, f"P{n}") for n in range(3)),
    ]
    assert every["totals"] == {
        "value": "48.0000",  # (4 + 5 + 6 + 6) × 2 + (1 + 2 + 3) × 1
        "rows": 7,
        "below_safety_stock": 5,  # WH01 P0 (4), P1 (5); WH02 all three
        "above_max_stock": 0,
        "no_outflow": 6,  # all but WH01 P3, sold 3 days ago
    }
    pages = three_pages(client, URL, 3, every)
    assert [len(body["results"]) for body in pages] == [3, 3, 1]
    assert pages[0]["previous"] is None and pages[0]["next"].endswith("page=2&page_size=3")
    assert "page=" not in pages[1]["previous"] and pages[1]["next"].endswith("page=3&page_size=3")
    assert pages[2]["next"] is None and pages[2]["previous"].endswith("page=2&page_size=3")
    last = client.get(URL, {"page_size": 3, "page": "last"}).json()
    assert last["results"] == pages[2]["results"] and last["count"] == 7
    missing = client.get(URL, {"page_size": 3, "page": 4})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    unreadable = client.get(URL, {"page_size": 3, "page": "x"})
    assert unreadable.status_code == 400 and unreadable.json()["code"] == "invalid_parameter"

    slow = client.get(URL, {"page_size": 2, "page": 3, "only": "no_outflow"}).json()
    assert slow["count"] == 6 and slow["totals"]["rows"] == 6
    assert slow["totals"]["below_safety_stock"] == 5 and slow["totals"]["value"] == "36.0000"
    assert [(r["warehouse_code"], r["sku_code"]) for r in slow["results"]] == [
        (other_warehouse.code, "P1"),
        (other_warehouse.code, "P2"),
    ]
    # a search goes into the statement as a parameter, quotes and LIKE's wildcards included
    assert client.get(URL, {"search": "P1"}).json()["count"] == 2
    odd = client.get(URL, {"search": "50%_'\\x"})
    assert odd.status_code == 200 and odd.json()["count"] == 0
    summary = client.get(
        "/api/v1/reports/stock-summary/",
        {"date_from": "2026-01-01", "date_to": "2026-01-31", "search": "50%_'\\x"},
    )
    assert summary.status_code == 200 and summary.json()["count"] == 0
    nothing = client.get(URL, {"sku": skus[0].id, "only": "above_max_stock"}).json()
    assert nothing["count"] == 0 and nothing["results"] == [] and nothing["totals"]["rows"] == 0
    assert nothing["totals"]["value"] == "0.0000"


def test_expiring_batches_with_days_left_scope_and_cost(client_for, manager, keeper, warehouse):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from storeledger.catalog.models import Tracking
    from storeledger.inventory.ledger import get_or_create_batch

    milk = factories.sku(code="MILK", name="牛奶", tracking=Tracking.BATCH)
    today = timezone.localdate()

    def receive(batch_no: str, expires_in: int) -> None:
        with transaction.atomic():
            batch = get_or_create_batch(
                sku=milk, batch_no=batch_no, expiry_date=today + expires_in * DAY
            )
        factories.posting(
            f"milk-{batch_no}",
            [
                MoveRequest(
                    warehouse_id=warehouse.id,
                    sku_id=milk.id,
                    quantity=D("6"),
                    move_type="purchase_receipt",
                    batch_id=batch.id,
                    unit_cost=D("3.00"),
                )
            ],
        )

    receive("B-SOON", 5)
    receive("B-LATE", 90)
    url = URL + "expiring/"
    client = client_for(manager)
    client.get(url)  # warm: the user's permissions and scope are cached on it
    with CaptureQueriesContext(connection) as few:
        body = client.get(url, {"days": 30}).json()
    assert [(r["batch_no"], r["days_left"]) for r in body["results"]] == [("B-SOON", 5)]
    assert body["results"][0]["value"] == "18.0000"
    # the page's other filters apply to the batches too
    snacks = Category.objects.create(code="SN", name="零食")
    assert client.get(url, {"days": 100, "search": "牛奶"}).json()["count"] == 2
    assert client.get(url, {"days": 100, "category": snacks.id}).json()["count"] == 0
    receive("B-SOON2", 7)
    receive("B-SOON3", 8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"days": 30}).json()["count"] == 3
    assert len(many.captured_queries) == len(few.captured_queries)
    keeper_row = client_for(keeper).get(url, {"days": 100}).json()["results"][-1]
    assert keeper_row["batch_no"] == "B-LATE" and keeper_row["value"] is None
    sheet = b"".join(
        client_for(keeper).get(url + "export/", {"format": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert sheet.splitlines()[0].startswith("Expiry date,Days left") and "Value" not in sheet
    assert APIClient().get(url).status_code == 401
    assert client_for(keeper).get(url, {"days": -1}).status_code == 400


# ---------------------------------------------------------------- on order, per supplier


@pytest.fixture
def suppliers(stock, sku):
    """娃哈哈 supplies COLA; 农夫山泉 supplies JUICE, and COLA through an inactive item."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing import services

    wahaha = Supplier.objects.create(code="S001", name="杭州娃哈哈集团")
    nongfu = Supplier.objects.create(code="S002", name="农夫山泉股份")
    for supplier, item_sku, active in (
        (wahaha, sku, True),
        (nongfu, stock, True),
        (nongfu, sku, False),
    ):
        services.create_supplier_item(
            user=None,
            data=services.SupplierItemData(
                supplier=supplier, sku=item_sku, price=D("2.00"), active=active
            ),
        )
    return wahaha, nongfu


def _approved_order(supplier, warehouse, sku, quantity: str, store):
    from storeledger.purchasing.services import orders

    buyer = factories.user(factories.unique("buyer"), roles=("buyer",), all_stores=True)
    approver = factories.user(
        factories.unique("approver"), roles=("store_manager",), stores=(store,)
    )
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        lines=[
            orders.OrderLineInput(
                sku_id=sku.id,
                quantity=D(quantity),
                unit_id=sku.product.base_unit_id,
                price=D("2.00"),
            )
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=approver, order_id=order.id)
    return order


def test_on_order_counts_what_open_orders_still_expect(
    admin_user, stock, sku, suppliers, warehouse, other_warehouse, store, other_store
):
    from storeledger.purchasing.models import PurchaseOrderLine

    wahaha, nongfu = suppliers
    first = _approved_order(wahaha, warehouse, sku, "10", store)
    _approved_order(wahaha, other_warehouse, sku, "3", other_store)
    # 4 of the first order's 10 arrived: 6 still expected
    PurchaseOrderLine.objects.filter(order=first).update(received_quantity=D("4"))
    rows = {
        (r["warehouse_code"], r["sku_code"]): r["on_order"]
        for r in selectors.stock_status(user=admin_user, now=NOW)
    }
    assert rows == {
        ("WH01", "SKU-COLA"): D("6"),
        ("WH01", "SKU-JUICE"): D("0"),
        ("WH02", "SKU-COLA"): D("3"),
    }
    per_sku = selectors.stock_status(user=admin_user, now=NOW, group_by="sku")
    assert [(r["sku_code"], r["on_order"]) for r in per_sku] == [
        ("SKU-COLA", D("9")),
        ("SKU-JUICE", D("0")),
    ]
    one_store = selectors.stock_status(
        user=admin_user, now=NOW, group_by="sku", filters=StockFilters(store_id=other_store.id)
    )
    assert [(r["sku_code"], r["on_order"]) for r in one_store] == [("SKU-COLA", D("3"))]


def test_supplier_filter_keeps_the_skus_of_its_active_catalogue(admin_user, stock, sku, suppliers):
    wahaha, nongfu = suppliers
    cola_rows = selectors.stock_status(user=admin_user, filters=StockFilters(supplier_id=wahaha.id))
    assert [(r["warehouse_code"], r["sku_code"]) for r in cola_rows] == [
        ("WH01", "SKU-COLA"),
        ("WH02", "SKU-COLA"),
    ]
    # 农夫山泉's COLA item is inactive: only JUICE is its goods
    juice_rows = selectors.stock_status(
        user=admin_user, filters=StockFilters(supplier_id=nongfu.id)
    )
    assert [r["sku_code"] for r in juice_rows] == ["SKU-JUICE"]
    today = timezone.localdate()
    summary = selectors.stock_summary(
        user=admin_user,
        period=selectors.Period(today - 60 * DAY, today),
        filters=StockFilters(supplier_id=nongfu.id),
    )
    assert [(r["sku_code"], r["closing_quantity"]) for r in summary] == [("SKU-JUICE", D("5"))]
    ageing = selectors.stock_ageing(user=admin_user, filters=StockFilters(supplier_id=wahaha.id))
    assert {r["sku_code"] for r in ageing} == {"SKU-COLA"}


def test_api_on_order_and_supplier_in_answer_and_files(
    client_for, manager, stock, sku, suppliers, warehouse, store
):
    wahaha, _nongfu = suppliers
    _approved_order(wahaha, warehouse, sku, "10", store)
    body = client_for(manager).get(URL, {"supplier": wahaha.id}).json()
    assert [(r["sku_code"], r["on_order"]) for r in body["results"]] == [("SKU-COLA", "10.0000")]
    unknown = client_for(manager).get(URL, {"supplier": 999999})
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_id"
    bad = client_for(manager).get(URL, {"supplier": "S001"})
    assert bad.status_code == 400 and "supplier" in bad.json()["fields"]
    response = client_for(manager).get(URL + "export/", {"format": "xlsx", "supplier": wahaha.id})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [c.value for c in sheet["A"][:3]]
    assert any("杭州娃哈哈集团" in str(t) for t in titles)
    header_row = next(
        i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if "On order" in row
    )
    header = [c.value for c in sheet[header_row]]
    values = dict(zip(header, [c.value for c in sheet[header_row + 1]], strict=True))
    assert values["SKU code"] == "SKU-COLA" and values["On order"] == 10
    summary = (
        client_for(manager).get("/api/v1/reports/stock-summary/", {"supplier": wahaha.id}).json()
    )
    assert {r["sku_code"] for r in summary["results"]} == {"SKU-COLA"}
