"""Stock queries of issue 3: below safety stock (SKUs never stocked included), in-transit
stock for store users, stock per bin location, and the xlsx/csv exports of the stock lists."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from storeledger.core import spreadsheets
from storeledger.inventory.ledger import MoveRequest, get_or_create_batch
from storeledger.inventory.models import StockBalance
from storeledger.inventory.services import transfers
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

EXPIRY = datetime.date(2027, 1, 31)
EXPIRY_CELL = datetime.datetime.combine(EXPIRY, datetime.time())  # how openpyxl reads a date


def _post(key, moves, at=None):
    return factories.posting(
        key, moves, at=at, document_type="stock_in", document_number=f"RK-{key}"
    )


def _rows(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# ---------------------------------------------------------------- below safety stock


@pytest.fixture
def shortage(warehouse, other_warehouse, sku):
    """COLA (safety 5): 3 in WH01, none in WH02. GUM (safety 2): never stocked anywhere.
    TEA (safety 1): 4 in each warehouse. An inactive SKU with a safety stock is ignored."""
    sku.safety_stock = Decimal(5)
    sku.save()
    gum = factories.sku(code="GUM", name="口香糖", safety_stock=Decimal(2))
    tea = factories.sku(code="TEA", name="绿茶", safety_stock=Decimal(1))
    factories.sku(code="OLD", name="停售", safety_stock=Decimal(9), active=False)
    _post(
        "s",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(3), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(warehouse.id, tea.id, Decimal(4), "stock_in", unit_cost=Decimal(1)),
            MoveRequest(other_warehouse.id, tea.id, Decimal(4), "stock_in", unit_cost=Decimal(1)),
        ],
    )
    return sku, gum, tea


def test_below_safety_stock_lists_skus_never_stocked_with_zero(shortage, admin_user, client_for):
    client = client_for(admin_user)
    url = "/api/v1/stock-balances/"
    rows = _rows(client, url, below_safety_stock="true", group_by="warehouse_sku")
    assert [
        (r["warehouse_code"], r["sku_code"], r["on_hand"], r["safety_stock"]) for r in rows
    ] == [
        ("WH01", "GUM", "0.0000", "2.0000"),
        ("WH01", "SKU-COLA", "3.0000", "5.0000"),
        ("WH02", "GUM", "0.0000", "2.0000"),
        ("WH02", "SKU-COLA", "0.0000", "5.0000"),
    ]
    # the batch grouping lists the same warehouse × SKU rows
    rows = _rows(client, url, below_safety_stock="true")
    assert [(r["warehouse_code"], r["sku_code"], r["batch"]) for r in rows][:2] == [
        ("WH01", "GUM", None),
        ("WH01", "SKU-COLA", None),
    ]
    # per SKU (the dashboard's count): COLA has 3 of 5 in total, GUM nothing; TEA has 8
    rows = _rows(client, url, below_safety_stock="true", group_by="sku")
    assert [(r["sku_code"], r["on_hand"], r["warehouse"]) for r in rows] == [
        ("GUM", "0.0000", None),
        ("SKU-COLA", "3.0000", None),
    ]
    # filters and sorting still apply
    assert [r["sku_code"] for r in _rows(client, url, below_safety_stock="true", search="gum")] == [
        "GUM",
        "GUM",
    ]
    rows = _rows(client, url, below_safety_stock="true", group_by="sku", ordering="-on_hand")
    assert [r["sku_code"] for r in rows] == ["SKU-COLA", "GUM"]
    # positive control: without the filter GUM has no row at all
    assert "GUM" not in {r["sku_code"] for r in _rows(client, url)}


def test_below_safety_stock_of_a_store_user_covers_only_their_warehouse(
    shortage, keeper, client_for
):
    client = client_for(keeper)
    rows = _rows(client, "/api/v1/stock-balances/", below_safety_stock="true")
    assert [(r["warehouse_code"], r["sku_code"], r["on_hand"]) for r in rows] == [
        ("WH01", "GUM", "0.0000"),
        ("WH01", "SKU-COLA", "3.0000"),
    ]
    response = client.get(
        "/api/v1/stock-balances/", {"below_safety_stock": "true", "group_by": "sku"}
    )
    assert response.json()["count"] == 2


def test_below_safety_stock_per_warehouse_with_a_warehouse_filter(
    shortage, other_warehouse, admin_user, client_for
):
    rows = _rows(
        client_for(admin_user),
        "/api/v1/stock-balances/",
        below_safety_stock="true",
        group_by="warehouse_sku",
        warehouse=other_warehouse.id,
    )
    assert [(r["sku_code"], r["on_hand"]) for r in rows] == [
        ("GUM", "0.0000"),
        ("SKU-COLA", "0.0000"),
    ]


# ---------------------------------------------------------------- in transit


@pytest.fixture
def transit_setup(store, warehouse, other_warehouse, sku, admin_user):
    """WH01 → WH02 ships 4 COLA; WH02 → WH03 (a third store) ships 2 COLA."""
    third = factories.warehouse(
        factories.store("0003", name="三号店"), code="WH03", name="三号店仓库"
    )
    _post(
        "t",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(other_warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(3)),
        ],
    )

    def ship(source, destination, quantity):
        transfer = transfers.create_transfer(
            user=admin_user,
            from_warehouse_id=source.id,
            to_warehouse_id=destination.id,
            lines=[transfers.TransferLineInput(sku_id=sku.id, quantity=Decimal(quantity))],
        )
        return transfers.ship_transfer(user=admin_user, transfer_id=transfer.id)

    return ship(warehouse, other_warehouse, 4), ship(other_warehouse, third, 2), third


def test_in_transit_for_a_store_user_shows_their_transfers_only(
    transit_setup, manager, keeper, admin_user, other_warehouse, client_for
):
    first, _second, third = transit_setup
    url = "/api/v1/in-transit/"
    rows = _rows(client_for(manager), url)
    assert [(r["warehouse_code"], r["sku_code"], r["on_hand"], r["value"]) for r in rows] == [
        ("TRANSIT", "SKU-COLA", "4.0000", "8.0000")
    ]
    # the store's keeper: the same rows without the value (issue 8: costs)
    rows = _rows(client_for(keeper), url)
    assert [(r["sku_code"], r["on_hand"], r["value"]) for r in rows] == [
        ("SKU-COLA", "4.0000", None)
    ]
    # the destination's user sees the incoming transfer too
    third_user = factories.user("third", stores=(third.store,))
    assert [r["on_hand"] for r in _rows(client_for(third_user), url)] == ["2.0000"]
    # head office sees every transfer; a warehouse filter keeps those from or to it
    assert [r["on_hand"] for r in _rows(client_for(admin_user), url)] == ["6.0000"]
    assert [r["on_hand"] for r in _rows(client_for(admin_user), url, warehouse=third.id)] == [
        "2.0000"
    ]
    response = client_for(keeper).get(url, {"warehouse": other_warehouse.id})
    assert response.status_code == 403
    # once received, nothing of it is in transit any more
    line = first.lines.get()
    transfers.receive_transfer(
        user=admin_user,
        transfer_id=first.id,
        lines=[transfers.ReceiveLineInput(line_id=line.id, quantity=Decimal(4))],
    )
    assert _rows(client_for(keeper), url) == []
    assert [r["on_hand"] for r in _rows(client_for(admin_user), url)] == ["2.0000"]


# ---------------------------------------------------------------- per bin location


@pytest.fixture
def located(warehouse, other_warehouse, sku):
    """COLA in WH01: 6 on A-01, 4 on B-02 then 1 moved out of B-02, 2 without a location;
    GUM: 5 on A-01 all issued again (a zero row); 7 COLA on WH02's shelf."""
    shelf_a = Location.objects.create(warehouse=warehouse, code="A-01", name="A区1号")
    shelf_b = Location.objects.create(warehouse=warehouse, code="B-02", name="B区2号")
    shelf_x = Location.objects.create(warehouse=other_warehouse, code="X-01")
    gum = factories.sku(code="GUM", name="口香糖")
    _post(
        "l1",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(6), "stock_in", location_id=shelf_a.id),
            MoveRequest(warehouse.id, sku.id, Decimal(4), "stock_in", location_id=shelf_b.id),
            MoveRequest(warehouse.id, sku.id, Decimal(2), "stock_in"),
            MoveRequest(warehouse.id, gum.id, Decimal(5), "stock_in", location_id=shelf_a.id),
            MoveRequest(other_warehouse.id, sku.id, Decimal(7), "stock_in", location_id=shelf_x.id),
        ],
    )
    _post(
        "l2",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(-1), "stock_out", location_id=shelf_b.id),
            MoveRequest(warehouse.id, gum.id, Decimal(-5), "stock_out", location_id=shelf_a.id),
        ],
    )
    return shelf_a, shelf_b, gum


def test_stock_by_location_adds_up_to_the_balances(located, warehouse, sku, admin_user, client_for):
    client = client_for(admin_user)
    rows = _rows(client, "/api/v1/stock-by-location/", sku=sku.id)
    assert [
        (r["warehouse_code"], r["location_code"], r["on_hand"], r["unit_code"]) for r in rows
    ] == [
        ("WH01", "A-01", "6.0000", "pcs"),
        ("WH01", "B-02", "3.0000", "pcs"),
        ("WH01", None, "2.0000", "pcs"),
        ("WH02", "X-01", "7.0000", "pcs"),
    ]
    # every warehouse × SKU × batch: the per-location sums equal the balance
    all_rows = _rows(client, "/api/v1/stock-by-location/")
    sums: dict[tuple, Decimal] = {}
    for r in all_rows:
        key = (r["warehouse"], r["sku"], r["batch"])
        sums[key] = sums.get(key, Decimal(0)) + Decimal(r["on_hand"])
    balances = {
        (b.warehouse_id, b.sku_id, b.batch_id): b.on_hand
        for b in StockBalance.objects.exclude(on_hand=0)
    }
    assert sums == balances
    # GUM came and went: no zero row
    assert "GUM" not in {r["sku_code"] for r in all_rows}


def test_stock_by_location_filters_and_scope(located, store, other_warehouse, keeper, client_for):
    shelf_a, _shelf_b, _gum = located
    client = client_for(keeper)
    rows = _rows(client, "/api/v1/stock-by-location/")
    assert {r["warehouse_code"] for r in rows} == {"WH01"}
    rows = _rows(client, "/api/v1/stock-by-location/", location=shelf_a.id)
    assert [(r["location_name"], r["sku_code"], r["on_hand"]) for r in rows] == [
        ("A区1号", "SKU-COLA", "6.0000")
    ]
    assert [
        r["location_code"] for r in _rows(client, "/api/v1/stock-by-location/", search="kkkl")
    ] == [
        "A-01",
        "B-02",
        None,
    ]
    assert (
        client.get("/api/v1/stock-by-location/", {"warehouse": other_warehouse.id}).status_code
        == 403
    )
    cashier = factories.user("cash", roles=("cashier",), stores=(store,))
    assert client_for(cashier).get("/api/v1/stock-by-location/").status_code == 200
    nobody = factories.user("nobody", roles=(), all_stores=True)
    assert client_for(nobody).get("/api/v1/stock-by-location/").status_code == 403


# ---------------------------------------------------------------- exports


def _sheet(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == spreadsheets_content_type()
    assert "attachment;" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)], workbook.active


def spreadsheets_content_type():
    from storeledger.core.tabular import XLSX_CONTENT_TYPE

    return XLSX_CONTENT_TYPE


@pytest.fixture
def export_stock(warehouse, other_warehouse, sku):
    """COLA: 12 in WH01 (value 34), 4 in WH02; MILK (kg, 3 places): batch B1 1.5 kg."""
    kg = factories.unit("kg", "千克", precision=3)
    milk = factories.sku(code="MILK", name="=鲜奶", tracking="batch", base_unit=kg)
    batch = get_or_create_batch(sku=milk, batch_no="B1", expiry_date=EXPIRY)
    _post(
        "x1",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(other_warehouse.id, sku.id, Decimal(4), "stock_in", unit_cost=Decimal(3)),
            MoveRequest(
                warehouse.id,
                milk.id,
                Decimal("1.5"),
                "stock_in",
                batch_id=batch.id,
                unit_cost=Decimal(8),
            ),
        ],
        at=datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC),
    )
    _post(
        "x2",
        [MoveRequest(warehouse.id, sku.id, Decimal(2), "stock_in", unit_cost=Decimal(7))],
        at=datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC),
    )
    return sku, milk


def test_stock_balance_export_xlsx_with_filters_columns_and_types(
    export_stock, warehouse, admin_user, client_for
):
    client = client_for(admin_user)
    response = client.get(
        "/api/v1/stock-balances/export/",
        {"format": "xlsx", "warehouse": warehouse.id, "ordering": "-on_hand"},
    )
    rows, sheet = _sheet(response)
    assert rows[0][0] == "Stock on hand"
    assert "Warehouse: WH01 一号店仓库" in rows[1][0]
    assert "Exported at: " in rows[1][0]
    assert rows[2] == [
        "Warehouse",
        "SKU code",
        "SKU",
        "Batch",
        "Expiry date",
        "On hand",
        "Reserved",
        "Available",
        "Safety stock",
        "Value",
        "Average cost",
    ]
    assert sheet.freeze_panes == "A4"
    cola, milk = rows[3], rows[4]  # sorted by on hand, descending; only WH01
    assert len(rows) == 5
    assert cola[:3] == ["WH01 一号店仓库", "SKU-COLA", "可口可乐 330ml"]
    assert cola[5:] == [12, 0, 12, 0, 34, 2.8333]
    assert milk[1:5] == [
        "MILK",
        "=鲜奶",
        "B1",
        EXPIRY_CELL,
    ]  # text, not a formula
    assert milk[5] == 1.5
    cells = list(sheet.iter_rows(min_row=4, max_row=5))
    assert cells[0][5].number_format == "#,##0"  # pieces
    assert cells[1][5].number_format == "#,##0.000"  # kilograms
    assert cells[0][9].number_format == "#,##0.00"
    assert cells[1][2].data_type == "s"


def test_stock_balance_export_chosen_columns_grouping_and_language(
    export_stock, admin_user, client_for
):
    client = client_for(admin_user)
    response = client.get(
        "/api/v1/stock-balances/export/",
        {"group_by": "sku", "columns": "sku_code,batch_no,on_hand,value", "search": "cola"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    rows, _sheet_ = _sheet(response)
    # batch_no is not a column of the per-SKU grouping; the header is in the asked language
    with translation.override("zh-hans"):
        assert rows[2] == [gettext("SKU code"), gettext("On hand"), gettext("Value")]
    assert rows[2][0] != "SKU code"
    assert [row[0] for row in rows[3:]] == ["SKU-COLA"]
    assert rows[3][1:] == [16, 46]
    response = client.get("/api/v1/stock-balances/export/", {"columns": "sku_code,price"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"columns": ["Unknown columns: price."]}


def test_export_csv_ledger_with_running_balance(export_stock, warehouse, admin_user, client_for):
    sku, _milk = export_stock
    response = client_for(admin_user).get(
        "/api/v1/stock-moves/export/", {"format": "csv", "sku": sku.id, "warehouse": warehouse.id}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "Posted at,Warehouse,SKU code,SKU,Batch,Move type,Document,Quantity,Unit cost,"
        "Balance after,Value after,User"
    )
    assert lines[1].endswith(",SKU-COLA,可口可乐 330ml,,Other stock-in,RK-x1,10,2.00,10,20.00,")
    assert lines[2].endswith(",Other stock-in,RK-x2,2,7.00,12,34.00,")
    assert lines[1].startswith("2026-11-01 16:00:00,WH01 一号店仓库,")  # Asia/Shanghai
    assert len(lines) == 3


def test_exports_of_stock_at_batches_in_transit_and_locations(
    export_stock, warehouse, other_warehouse, admin_user, client_for
):
    sku, milk = export_stock
    client = client_for(admin_user)
    rows, _s = _sheet(
        client.get("/api/v1/stock-at/export/", {"at": "2026-11-01T12:00:00Z", "group_by": "sku"})
    )
    assert rows[0][0] == "Stock at a past time"
    assert "Group by: Per SKU" in rows[1][0]
    assert rows[2] == ["SKU code", "SKU", "Unit", "On hand", "Value", "Average cost"]
    assert [r[:4] for r in rows[3:]] == [
        ["MILK", "=鲜奶", "千克", 1.5],
        ["SKU-COLA", "可口可乐 330ml", "个", 14],
    ]

    rows, _s = _sheet(client.get("/api/v1/batches/export/"))
    assert rows[2][:3] == ["Expiry date", "Days left", "SKU code"]
    expected_days = (EXPIRY - timezone.localdate()).days
    assert rows[3][:3] == [EXPIRY_CELL, expected_days, "MILK"]

    transfer = transfers.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[transfers.TransferLineInput(sku_id=sku.id, quantity=Decimal(3))],
    )
    transfers.ship_transfer(user=admin_user, transfer_id=transfer.id)
    rows, _s = _sheet(client.get("/api/v1/in-transit/export/", {"format": "xlsx"}))
    assert rows[0][0] == "In-transit stock"
    assert [r[:3] + [r[5]] for r in rows[3:]] == [["SKU-COLA", "可口可乐 330ml", "个", 3]]

    rows, _s = _sheet(client.get("/api/v1/stock-by-location/export/", {"sku": milk.id}))
    assert rows[2] == [
        "Warehouse",
        "Location",
        "SKU code",
        "SKU",
        "Unit",
        "Batch",
        "Expiry date",
        "On hand",
    ]
    assert rows[3][1:] == [None, "MILK", "=鲜奶", "千克", "B1", EXPIRY_CELL, 1.5]


def test_exports_are_scoped_permission_checked_and_capped(
    export_stock, store, keeper, admin_user, client_for, monkeypatch
):
    rows, _s = _sheet(client_for(keeper).get("/api/v1/stock-balances/export/"))
    assert {row[0] for row in rows[3:]} == {"WH01 一号店仓库"}
    cashier = factories.user("cash", roles=("cashier",), stores=(store,))
    assert client_for(cashier).get("/api/v1/stock-moves/export/").status_code == 403
    assert client_for(cashier).get("/api/v1/stock-balances/export/").status_code == 200
    client = client_for(admin_user)
    response = client.get("/api/v1/stock-balances/export/", {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"format": ["The format must be xlsx or csv."]}
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    response = client.get("/api/v1/stock-balances/export/")
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_rows"
    assert response.json()["details"] == {"count": 3, "max": 2}
    assert (
        client.get("/api/v1/stock-balances/export/", {"sku": export_stock[0].id}).status_code == 200
    )


def test_query_counts_do_not_grow_with_rows(warehouse, other_warehouse, admin_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin_user)
    shelf = Location.objects.create(warehouse=warehouse, code="A-01")
    skus = [factories.sku(code=f"N{i:02d}", safety_stock=Decimal(50)) for i in range(12)]
    urls = (
        "/api/v1/stock-by-location/",
        "/api/v1/in-transit/",
        "/api/v1/stock-balances/?below_safety_stock=true&group_by=warehouse_sku",
        "/api/v1/stock-balances/export/",
        "/api/v1/stock-moves/export/?format=csv",
    )

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                assert response.status_code == 200
                if response.streaming:
                    b"".join(response.streaming_content)
            result.append(len(captured.captured_queries))
        return result

    def stock(key, items):
        _post(
            key,
            [
                MoveRequest(warehouse.id, s.id, Decimal(2), "stock_in", location_id=shelf.id)
                for s in items
            ],
        )

    def ship(items):
        for item in items:
            transfer = transfers.create_transfer(
                user=admin_user,
                from_warehouse_id=warehouse.id,
                to_warehouse_id=other_warehouse.id,
                lines=[transfers.TransferLineInput(sku_id=item.id, quantity=Decimal(1))],
            )
            transfers.ship_transfer(user=admin_user, transfer_id=transfer.id)

    stock("one", skus[:1])
    ship(skus[:1])
    counts()  # warm the user's permission and scope caches
    few = counts()
    stock("many", skus[1:])
    ship(skus[1:5])
    assert counts() == few
