"""/api/v1/purchase-orders/: exact status codes, store scope, available_actions per user,
the one error shape, on-order figures."""

from decimal import Decimal

import pytest

from storeledger.purchasing.models import PurchaseOrder
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-orders/"


@pytest.fixture
def buyer(store):
    return factories.user("buyer1", roles=("buyer",), stores=(store,))


@pytest.fixture
def approver(store):
    return factories.user("approver1", roles=("store_manager",), stores=(store,))


def _body(wahaha, warehouse, sku, **line):
    return {
        "supplier": wahaha.id,
        "warehouse": warehouse.id,
        "expected_date": "2026-12-20",
        "lines": [{"sku": sku.id, "quantity": "2", **line}],
    }


def _create(client, wahaha, warehouse, sku, **line):
    response = client.post(URL, _body(wahaha, warehouse, sku, **line), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_buyer_creates_submits_and_a_manager_approves(
    client_for, buyer, approver, wahaha, warehouse, sku, box_unit
):
    add_item(wahaha, sku, price="24.00", purchase_unit=box_unit, pack_size=Decimal(12))
    as_buyer, as_manager = client_for(buyer), client_for(approver)
    order = _create(as_buyer, wahaha, warehouse, sku)
    assert order["status"] == "draft"
    assert order["number"].startswith("CG-0001-")
    assert order["total_gross"] == "48.0000"
    assert order["lines"][0]["unit_code"] == box_unit.code
    assert order["lines"][0]["base_quantity"] == "24.0000"
    assert order["available_actions"] == ["submit", "cancel"]

    submitted = as_buyer.post(f"{URL}{order['id']}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["available_actions"] == ["cancel"]  # a buyer cannot approve
    as_manager_view = as_manager.get(f"{URL}{order['id']}/").json()
    assert as_manager_view["available_actions"] == ["approve", "cancel"]

    refused = as_buyer.post(f"{URL}{order['id']}/approve/")
    assert refused.status_code == 403
    approved = as_manager.post(f"{URL}{order['id']}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == "approver1"

    sent = as_buyer.post(f"{URL}{order['id']}/send/")
    assert sent.status_code == 200
    assert sent.json()["available_actions"] == ["revise", "close"]

    on_order = as_buyer.get(f"{URL}on-order/", {"warehouse": warehouse.id})
    assert on_order.status_code == 200
    assert on_order.json() == [{"warehouse": warehouse.id, "sku": sku.id, "quantity": "24.0000"}]

    closed = as_buyer.post(f"{URL}{order['id']}/close/", {"reason": "缺货"}, format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert as_buyer.get(f"{URL}on-order/").json() == []


def test_own_order_approval_is_403_own_document(client_for, wahaha, warehouse, sku, approver):
    client = client_for(approver)
    order = _create(client, wahaha, warehouse, sku, price="2.00")
    assert client.post(f"{URL}{order['id']}/submit/").status_code == 200
    # the manager has the permission, but not on an order of their own: no button either
    assert client.get(f"{URL}{order['id']}/").json()["available_actions"] == ["cancel"]
    response = client.post(f"{URL}{order['id']}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == "own_document"


def test_editing_an_approved_order_is_409(client_for, buyer, approver, wahaha, warehouse, sku):
    as_buyer = client_for(buyer)
    order = _create(as_buyer, wahaha, warehouse, sku, price="2.00")
    as_buyer.post(f"{URL}{order['id']}/submit/")
    client_for(approver).post(f"{URL}{order['id']}/approve/")
    version = as_buyer.get(f"{URL}{order['id']}/").json()["version"]
    response = as_buyer.patch(
        f"{URL}{order['id']}/",
        {"version": version, "lines": [{"sku": sku.id, "quantity": "9", "price": "1"}]},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "state_conflict"
    assert as_buyer.delete(f"{URL}{order['id']}/").status_code == 409


def test_draft_patch_and_delete(client_for, buyer, wahaha, warehouse, sku):
    client = client_for(buyer)
    order = _create(client, wahaha, warehouse, sku, price="2.00")
    response = client.patch(
        f"{URL}{order['id']}/",
        {"version": 1, "lines": [{"sku": sku.id, "quantity": "3", "price": "2.50"}]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["total_gross"] == "7.5000"
    stale = client.patch(f"{URL}{order['id']}/", {"version": 1, "notes": "x"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert client.delete(f"{URL}{order['id']}/").status_code == 204
    assert not PurchaseOrder.objects.exists()


def test_bad_input_is_400_in_the_one_error_shape(client_for, buyer, wahaha, warehouse, sku):
    client = client_for(buyer)
    response = client.post(
        URL, _body(wahaha, warehouse, sku, price="2.00", tax_rate="17"), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_tax_rate"
    assert "lines.0.tax_rate" in body["fields"]
    missing = client.post(URL, {"supplier": wahaha.id}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["fields"]) >= {"warehouse", "lines"}
    unknown = client.post(URL, {**_body(wahaha, warehouse, sku), "supplier": 999999}, format="json")
    assert unknown.status_code == 404
    assert not PurchaseOrder.objects.exists()


def test_a_price_below_the_margin_is_403_for_a_buyer(
    client_for, buyer, wahaha, warehouse, sku, box_unit
):
    add_item(wahaha, sku, price="24.00", purchase_unit=box_unit, pack_size=Decimal(12))
    response = client_for(buyer).post(
        URL, _body(wahaha, warehouse, sku, price="10.00"), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "price_override_required"
    assert "lines.0.price" in response.json()["fields"]


def test_store_scope(client_for, buyer, wahaha, warehouse, other_warehouse, sku):
    client = client_for(buyer)
    order = _create(client, wahaha, warehouse, sku, price="2.00")
    outsider = factories.user("outsider", roles=("buyer",), warehouses=(other_warehouse,))
    other = client_for(outsider)
    assert other.get(f"{URL}{order['id']}/").status_code == 404
    assert other.post(f"{URL}{order['id']}/submit/").status_code == 404
    assert other.get(URL).json()["count"] == 0
    refused = other.post(URL, _body(wahaha, warehouse, sku, price="2.00"), format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "out_of_scope"


def test_roles_without_order_permissions(client_for, store, wahaha, warehouse, sku, buyer):
    order = _create(client_for(buyer), wahaha, warehouse, sku, price="2.00")
    keeper = client_for(factories.user("k1", roles=("warehouse_keeper",), stores=(store,)))
    assert keeper.get(f"{URL}{order['id']}/").status_code == 200
    assert keeper.post(
        URL, _body(wahaha, warehouse, sku, price="2"), format="json"
    ).status_code == (403)
    assert keeper.post(f"{URL}{order['id']}/submit/").status_code == 403
    cashier = client_for(factories.user("c1", roles=("cashier",), stores=(store,)))
    assert cashier.get(URL).status_code == 403


def test_list_filters_and_constant_queries(
    client_for, buyer, wahaha, warehouse, sku, django_assert_max_num_queries
):
    client = client_for(buyer)
    for _ in range(3):
        _create(client, wahaha, warehouse, sku, price="2.00")
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"supplier": wahaha.id, "status": "draft"})
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert client.get(URL, {"status": "approved"}).json()["count"] == 0


def test_order_pdf(client_for, buyer, wahaha, warehouse, other_warehouse, sku):
    order = _create(client_for(buyer), wahaha, warehouse, sku, price="2.00")
    response = client_for(buyer).get(f"{URL}{order['id']}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    outsider = factories.user("pdf-out", roles=("buyer",), warehouses=(other_warehouse,))
    assert client_for(outsider).get(f"{URL}{order['id']}/pdf/").status_code == 404
