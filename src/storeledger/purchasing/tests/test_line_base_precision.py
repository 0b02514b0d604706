"""Every line a draft editor loads says how many decimal places its SKU's base unit allows
(`base_unit_precision`), so the browser refuses a quantity finer than that as it is typed on a
saved draft's lines too (1.5 个, 0.25 箱 of 10) — the server still refuses it. Read with the
base unit the line already joins: no query more, whatever the number of lines or documents."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.partners.models import Supplier
from storeledger.purchasing.services import orders, receipts, requests, returns
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.purchasing.services.requests import RequestLineInput
from storeledger.purchasing.services.returns import ReturnLineInput
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def rice(db):
    kg = factories.unit("kg", "千克", precision=3)
    return factories.sku(code="RICE", name="大米", base_unit=kg)


@pytest.fixture
def supplier(db):
    return Supplier.objects.create(code="S001", name="杭州娃哈哈集团")


def precisions(lines) -> dict[str, int]:
    return {line["sku_code"]: line["base_unit_precision"] for line in lines}


def test_stock_document_and_transfer_lines_say_the_base_units_places(
    client_for, admin_user, warehouse, other_warehouse, sku, rice
):
    api = client_for(admin_user)
    box = sku.units.get().unit
    lines = [{"sku": sku.id, "unit": box.id, "quantity": "1"}, {"sku": rice.id, "quantity": "1.5"}]
    created = api.post(
        "/api/v1/stock-ins/", {"warehouse": warehouse.id, "lines": lines}, format="json"
    )
    assert created.status_code == 201, created.json()
    expected = {sku.code: 0, "RICE": 3}
    assert precisions(created.json()["lines"]) == expected  # the answer the service holds
    got = api.get(f"/api/v1/stock-ins/{created.json()['id']}/")
    assert precisions(got.json()["lines"]) == expected  # DRF's serializer: the same
    posted = api.post(
        "/api/v1/stock-ins/?post=true", {"warehouse": warehouse.id, "lines": lines}, format="json"
    )
    assert posted.status_code == 201, posted.json()
    assert precisions(posted.json()["lines"]) == expected
    transfer = api.post(
        "/api/v1/transfers/",
        {"from_warehouse": warehouse.id, "to_warehouse": other_warehouse.id, "lines": lines[1:]},
        format="json",
    )
    assert transfer.status_code == 201, transfer.json()
    assert precisions(transfer.json()["lines"]) == {"RICE": 3}
    got = api.get(f"/api/v1/transfers/{transfer.json()['id']}/")
    assert precisions(got.json()["lines"]) == {"RICE": 3}


def test_purchase_lines_say_the_base_units_places(
    client_for, admin_user, warehouse, supplier, sku, rice
):
    api = client_for(admin_user)
    order = orders.create_purchase_order(
        user=admin_user,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        lines=[
            OrderLineInput(
                sku_id=sku.id, quantity=D(2), unit_id=sku.units.get().unit_id, price=D(24)
            ),
            OrderLineInput(sku_id=rice.id, quantity=D("1.5"), unit_id=None, price=D(5)),
        ],
    )
    expected = {sku.code: 0, "RICE": 3}
    got = api.get(f"/api/v1/purchase-orders/{order.id}/")
    assert got.status_code == 200
    assert precisions(got.json()["lines"]) == expected
    receipt = receipts.create_purchase_receipt(
        user=admin_user,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        lines=[
            ReceiptLineInput(sku_id=sku.id, quantity=D(3), price=D(2)),
            ReceiptLineInput(sku_id=rice.id, quantity=D("2.5"), price=D(5)),
        ],
        post=True,
    )
    got = api.get(f"/api/v1/purchase-receipts/{receipt.id}/")
    assert precisions(got.json()["lines"]) == expected
    request = requests.create_purchase_request(
        user=admin_user,
        warehouse_id=warehouse.id,
        lines=[
            RequestLineInput(sku_id=sku.id, quantity=D(1)),
            RequestLineInput(sku_id=rice.id, quantity=D("0.25")),
        ],
    )
    got = api.get(f"/api/v1/purchase-requests/{request.id}/")
    assert precisions(got.json()["lines"]) == expected
    returnable = api.get("/api/v1/purchase-returns/returnable/", {"receipt": receipt.id})
    assert precisions(returnable.json()) == expected
    rice_line = receipt.lines.get(sku=rice)
    draft = returns.create_purchase_return(
        user=admin_user,
        receipt_id=receipt.id,
        lines=[ReturnLineInput(quantity=D("0.5"), receipt_line_id=rice_line.id)],
    )
    got = api.get(f"/api/v1/purchase-returns/{draft.id}/")
    assert precisions(got.json()["lines"]) == {"RICE": 3}


def _list_queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def test_lists_and_details_cost_no_query_more_with_more_lines(
    client_for, admin_user, warehouse, other_warehouse, sku, rice
):
    """The places come with the base unit the lines already join: a document of two lines costs
    the queries of one of one line, and a list of three the queries of a list of one."""
    api = client_for(admin_user)

    def stock_in(*skus):
        lines = [{"sku": s.id, "quantity": "1"} for s in skus]
        answer = api.post(
            "/api/v1/stock-ins/", {"warehouse": warehouse.id, "lines": lines}, format="json"
        )
        assert answer.status_code == 201, answer.json()
        return answer.json()["id"]

    def request(*skus):
        lines = [RequestLineInput(sku_id=s.id, quantity=D(1)) for s in skus]
        return requests.create_purchase_request(
            user=admin_user, warehouse_id=warehouse.id, lines=lines
        ).id

    small, large = stock_in(sku), stock_in(sku, rice)
    assert _list_queries(api, f"/api/v1/stock-ins/{small}/") == _list_queries(
        api, f"/api/v1/stock-ins/{large}/"
    )
    small, large = request(sku), request(sku, rice)
    assert _list_queries(api, f"/api/v1/purchase-requests/{small}/") == _list_queries(
        api, f"/api/v1/purchase-requests/{large}/"
    )
    one = _list_queries(api, "/api/v1/purchase-requests/")
    request(rice)
    assert _list_queries(api, "/api/v1/purchase-requests/") == one
