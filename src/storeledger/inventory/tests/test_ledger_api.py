import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from storeledger.catalog.models import Category
from storeledger.inventory.ledger import MoveRequest, get_or_create_batch
from storeledger.org.models import transit_warehouse
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC)


def _post(key, moves, at=None, document_type="stock_in"):
    return factories.posting(
        key,
        moves,
        at=at,
        document_type=document_type,
        document_number=f"RK-{key}",
        document_id=7,
    )


@pytest.fixture
def stock(warehouse, other_warehouse, sku):
    _post(
        "a",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(other_warehouse.id, sku.id, Decimal(4), "stock_in", unit_cost=Decimal(3)),
        ],
        at=T0,
    )
    _post(
        "b",
        [MoveRequest(warehouse.id, sku.id, Decimal(-3), "stock_out")],
        at=T0 + datetime.timedelta(days=1),
        document_type="stock_out",
    )
    _post(
        "c",
        [MoveRequest(warehouse.id, sku.id, Decimal(5), "stock_in", unit_cost=Decimal(4))],
        at=T0 + datetime.timedelta(days=2),
    )
    return warehouse, other_warehouse, sku


def test_balances_are_scoped_and_decimal_strings(stock, manager, keeper, client_for):
    warehouse, _other, sku = stock
    # the store's keeper: the same row without value and average cost (issue 8: costs)
    [kept] = client_for(keeper).get("/api/v1/stock-balances/").json()["results"]
    assert (kept["on_hand"], kept["value"], kept["average_cost"]) == ("12.0000", None, None)
    response = client_for(manager).get("/api/v1/stock-balances/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row == {
        "warehouse": warehouse.id,
        "warehouse_code": "WH01",
        "warehouse_name": "一号店仓库",
        "sku": sku.id,
        "sku_code": "SKU-COLA",
        "sku_name": "可口可乐 330ml",
        "batch": None,
        "batch_no": None,
        "expiry_date": None,
        "unit_name": "个",
        "on_hand": "12.0000",
        "value": "34.0000",
        "average_cost": "2.8333",
        "reserved": "0.0000",
        "available": "12.0000",
        "safety_stock": "0.0000",
    }


def test_balances_grouped_per_sku_across_warehouses(stock, admin_user, client_for):
    response = client_for(admin_user).get("/api/v1/stock-balances/?group_by=sku")
    [row] = response.json()["results"]
    assert (row["warehouse"], row["on_hand"], row["value"]) == (None, "16.0000", "46.0000")
    response = client_for(admin_user).get("/api/v1/stock-balances/?group_by=warehouse_sku")
    assert [r["on_hand"] for r in response.json()["results"]] == ["12.0000", "4.0000"]


def test_balances_sort_by_a_column_either_way(stock, admin_user, client_for):
    client = client_for(admin_user)

    def on_hand(query: str) -> list[str]:
        rows = client.get(f"/api/v1/stock-balances/?{query}").json()["results"]
        return [row["on_hand"] for row in rows]

    assert on_hand("ordering=on_hand") == ["4.0000", "12.0000"]
    assert on_hand("ordering=-on_hand") == ["12.0000", "4.0000"]
    assert on_hand("ordering=-warehouse_code") == ["4.0000", "12.0000"]  # WH02 before WH01
    response = client.get("/api/v1/stock-balances/?ordering=price")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["ordering"]


def test_balance_filters(stock, admin_user, client_for):
    warehouse, other, sku = stock
    client = client_for(admin_user)
    parent = Category.objects.create(code="DRINK", name="饮料")
    child = Category.objects.create(code="SODA", name="碳酸饮料", parent=parent)
    sku.product.category = child
    sku.product.save()
    count = lambda q: client.get(f"/api/v1/stock-balances/?{q}").json()["count"]  # noqa: E731
    assert count(f"warehouse={other.id}") == 1
    assert count(f"store={warehouse.store_id}") == 1
    assert count(f"category={parent.id}") == 2
    assert count(f"category={child.id}") == 2
    assert count("search=kkkl") == 2
    assert count(f"search={sku.barcodes.first().code}") == 2
    assert count("search=nothing-like-this") == 0
    sku.safety_stock = Decimal(5)
    sku.save()
    assert count("below_safety_stock=true") == 1
    assert count("below_safety_stock=true&group_by=sku") == 0
    assert count("only_available=true") == 2


def test_bad_query_and_scope_and_permission(stock, keeper, client_for):
    _warehouse, other, _sku = stock
    client = client_for(keeper)
    response = client.get("/api/v1/stock-balances/?group_by=shelf")
    assert response.status_code == 400
    assert "group_by" in response.json()["fields"]
    assert client.get("/api/v1/stock-balances/?warehouse=abc").status_code == 400
    response = client.get(f"/api/v1/stock-balances/?warehouse={other.id}")
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert client.get("/api/v1/stock-at/").status_code == 400  # `at` is required
    nobody = factories.user("nobody", roles=(), all_stores=True)
    assert client_for(nobody).get("/api/v1/stock-balances/").status_code == 403
    assert client_for(nobody).get("/api/v1/stock-moves/").status_code == 403


def test_ledger_of_a_sku_with_running_balance_and_documents(stock, admin_user, client_for):
    warehouse, _other, sku = stock
    client = client_for(admin_user)
    response = client.get(f"/api/v1/stock-moves/?sku={sku.id}&warehouse={warehouse.id}")
    rows = response.json()["results"]
    assert [(r["quantity"], r["running_quantity"], r["running_value"]) for r in rows] == [
        ("10.0000", "10.0000", "20.0000"),
        ("-3.0000", "7.0000", "14.0000"),
        ("5.0000", "12.0000", "34.0000"),
    ]
    assert (rows[1]["document_type"], rows[1]["document_number"], rows[1]["event"]) == (
        "stock_out",
        "RK-b",
        "post",
    )
    # Across warehouses, from a date: the opening stock is carried in.
    start = (T0 + datetime.timedelta(hours=12)).isoformat().replace("+00:00", "Z")
    rows = client.get(f"/api/v1/stock-moves/?sku={sku.id}&date_from={start}").json()["results"]
    assert [r["running_quantity"] for r in rows] == ["11.0000", "16.0000"]
    # Other filters: no running balance.
    rows = client.get("/api/v1/stock-moves/?document_type=stock_out").json()["results"]
    assert [(r["quantity"], r["running_quantity"]) for r in rows] == [("-3.0000", None)]
    rows = client.get("/api/v1/stock-moves/?document_number=RK-c").json()["results"]
    assert len(rows) == 1
    assert client.get("/api/v1/stock-moves/?move_type=bogus").status_code == 400


def test_ledger_search_by_sku_code_name_or_pinyin(stock, admin_user, client_for):
    warehouse, _other, sku = stock
    tea = factories.sku(code="SKU-TEA", name="绿茶")
    _post("t", [MoveRequest(warehouse.id, tea.id, Decimal(2), "stock_in", unit_cost=Decimal(1))])
    client = client_for(admin_user)

    def skus(query):
        rows = client.get(f"/api/v1/stock-moves/?{query}").json()["results"]
        return sorted({r["sku_code"] for r in rows}), len(rows)

    assert skus("") == (["SKU-COLA", "SKU-TEA"], 5)  # positive control: both SKUs moved
    assert skus("search=sku-tea") == (["SKU-TEA"], 1)
    assert skus("search=lc") == (["SKU-TEA"], 1)  # pinyin initials of 绿茶
    assert skus("search=kkkl") == (["SKU-COLA"], 4)
    assert skus("search=nothing-like-this") == ([], 0)
    rows = client.get(f"/api/v1/stock-moves/?sku={sku.id}&search=kkkl").json()["results"]
    assert {r["running_quantity"] for r in rows} == {None}  # narrowed: no running balance


def test_ledger_newest_first_and_sorted_by_a_column(stock, admin_user, client_for):
    warehouse, _other, sku = stock
    client = client_for(admin_user)
    url = f"/api/v1/stock-moves/?sku={sku.id}&warehouse={warehouse.id}"
    rows = client.get(f"{url}&ordering=-posted_at").json()["results"]
    # newest first, each row still with the stock right after it
    assert [(r["quantity"], r["running_quantity"]) for r in rows] == [
        ("5.0000", "12.0000"),
        ("-3.0000", "7.0000"),
        ("10.0000", "10.0000"),
    ]
    rows = client.get(f"{url}&ordering=-quantity").json()["results"]
    assert [r["quantity"] for r in rows] == ["10.0000", "5.0000", "-3.0000"]
    rows = client.get("/api/v1/stock-moves/?ordering=warehouse_code").json()["results"]
    assert [r["warehouse_code"] for r in rows] == ["WH01", "WH01", "WH01", "WH02"]
    answer = client.get("/api/v1/stock-moves/?ordering=price")
    assert answer.status_code == 400
    assert "ordering" in answer.json()["fields"]


def test_stock_at_a_past_time(stock, admin_user, client_for):
    warehouse, _other, sku = stock
    client = client_for(admin_user)
    at = (T0 + datetime.timedelta(days=1, hours=1)).isoformat()
    response = client.get("/api/v1/stock-at/", {"at": at, "warehouse": warehouse.id, "sku": sku.id})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["on_hand"], row["value"]) == ("7.0000", "14.0000")
    before = (T0 - datetime.timedelta(seconds=1)).isoformat()
    assert client.get("/api/v1/stock-at/", {"at": before}).json()["count"] == 0
    response = client.get("/api/v1/stock-at/", {"at": at, "group_by": "sku"})
    assert response.json()["results"][0]["on_hand"] == "11.0000"


def test_batches_expiring(warehouse, admin_user, client_for):
    item = factories.sku(code="MILK", name="纯牛奶", tracking="batch")
    today = timezone.localdate()
    soon = get_or_create_batch(
        sku=item, batch_no="S1", expiry_date=today + datetime.timedelta(days=3)
    )
    late = get_or_create_batch(
        sku=item, batch_no="L1", expiry_date=today + datetime.timedelta(days=60)
    )
    transit = transit_warehouse()
    _post(
        "in",
        [
            MoveRequest(warehouse.id, item.id, Decimal(2), "stock_in", batch_id=soon.id),
            MoveRequest(warehouse.id, item.id, Decimal(5), "stock_in", batch_id=late.id),
        ],
    )
    _post(
        "ship",
        [
            MoveRequest(warehouse.id, item.id, Decimal(-1), "transfer_out", batch_id=late.id),
            MoveRequest(
                transit.id, item.id, Decimal(1), "transfer_in", batch_id=late.id, value_from=0
            ),
        ],
    )
    client = client_for(admin_user)
    rows = client.get("/api/v1/batches/?expiring_within_days=7").json()["results"]
    assert [(r["batch_no"], r["warehouse_code"], r["on_hand"]) for r in rows] == [
        ("S1", "WH01", "2.0000")
    ]
    rows = client.get("/api/v1/batches/").json()["results"]
    assert [(r["batch_no"], r["on_hand"]) for r in rows] == [("S1", "2.0000"), ("L1", "4.0000")]
    assert client.get("/api/v1/batches/?expiring_within_days=-1").status_code == 400
    # The transit warehouse is not an ordinary stock row (in-transit stock: test_stock_reports).
    assert client.get("/api/v1/stock-balances/").json()["count"] == 2


def test_list_query_counts_do_not_grow_with_rows(warehouse, admin_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin_user)
    skus = [factories.sku(code=f"N{i:02d}") for i in range(12)]

    def counts():
        result = []
        for url in ("/api/v1/stock-balances/", "/api/v1/stock-moves/", "/api/v1/batches/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured.captured_queries))
        return result

    _post("one", [MoveRequest(warehouse.id, skus[0].id, Decimal(1), "stock_in")])
    counts()  # warm the user's permission and scope caches
    few = counts()
    _post("many", [MoveRequest(warehouse.id, s.id, Decimal(1), "stock_in") for s in skus[1:]])
    assert counts() == few
