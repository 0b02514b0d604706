"""Purchase requests: a store asks, the manager approves, a buyer consolidates approved
requests into draft purchase orders by preferred supplier (lines merged per SKU and unit,
each request line linked to its order line); lines without a supplier are left open; a
request is never ordered twice."""

import datetime
from decimal import Decimal

import pytest

from storeledger.core.errors import PermissionDenied, StateConflict
from storeledger.purchasing.models import PurchaseOrder, PurchaseRequest, PurchaseRequestLine
from storeledger.purchasing.services import requests
from storeledger.purchasing.services.requests import RequestLineInput
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-requests/"
D = Decimal


@pytest.fixture
def manager(store):
    return factories.user("manager", roles=("store_manager",), stores=(store,))


@pytest.fixture
def requester(store):
    return factories.user("requester", roles=("warehouse_keeper",), stores=(store,))


def approved(requester, manager, warehouse, *lines, needed_by=None):
    document = requests.create_purchase_request(
        user=requester, warehouse_id=warehouse.id, lines=list(lines), needed_by=needed_by
    )
    requests.submit_purchase_request(user=requester, request_id=document.id)
    return requests.approve_purchase_request(user=manager, request_id=document.id)


def test_consolidation_groups_by_preferred_supplier_and_links_every_line(
    buyer, manager, requester, wahaha, nongfu, warehouse, sku, box_unit
):
    water = factories.sku(code="WATER", name="矿泉水", purchase_price="1.00")
    salt = factories.sku(code="SALT", name="食盐")
    add_item(wahaha, sku, price="24.00", purchase_unit=box_unit, preferred=True)  # per box
    add_item(nongfu, sku, price="30.00")  # not preferred
    add_item(nongfu, water, price="1.20")  # the only one: used
    first = approved(
        requester,
        manager,
        warehouse,
        RequestLineInput(
            sku_id=sku.id, quantity=D(2), unit_id=box_unit.id, needed_by=datetime.date(2026, 12, 20)
        ),
        RequestLineInput(sku_id=salt.id, quantity=D(5), notes="no supplier yet"),
    )
    second = approved(
        requester,
        manager,
        warehouse,
        RequestLineInput(
            sku_id=sku.id, quantity=D(1), unit_id=box_unit.id, needed_by=datetime.date(2026, 12, 18)
        ),
        RequestLineInput(sku_id=water.id, quantity=D(10)),
    )
    result = requests.consolidate_purchase_requests(user=buyer, request_ids=[second.id, first.id])
    by_supplier = {order.supplier_id: order for order in result.orders}
    assert set(by_supplier) == {wahaha.id, nongfu.id}
    cola_order = by_supplier[wahaha.id]
    [cola_line] = cola_order.lines.all()
    assert (cola_order.status, cola_line.sku_id, cola_line.quantity, cola_line.unit_id) == (
        "draft",
        sku.id,
        3,
        box_unit.id,
    )
    assert cola_line.price == D("24.00")
    assert cola_line.expected_date == datetime.date(2026, 12, 18)  # the earliest needed-by
    assert cola_order.warehouse_id == warehouse.id
    [water_line] = by_supplier[nongfu.id].lines.all()
    assert (water_line.sku_id, water_line.quantity, water_line.price) == (water.id, 10, D("1.20"))
    assert [line.sku_id for line in result.left] == [salt.id]
    links = dict(PurchaseRequestLine.objects.values_list("sku_id", "order_line_id"))
    assert links == {sku.id: cola_line.id, water.id: water_line.id, salt.id: None}
    assert PurchaseRequestLine.objects.filter(order_line=cola_line).count() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("partially_ordered", "ordered")

    with pytest.raises(StateConflict) as caught:  # ordered: never again
        requests.consolidate_purchase_requests(user=buyer, request_ids=[second.id])
    assert caught.value.code == "already_ordered"
    with pytest.raises(StateConflict) as caught:  # only the salt is open, and has no supplier
        requests.consolidate_purchase_requests(user=buyer, request_ids=[first.id])
    assert caught.value.code == "no_supplier"
    add_item(wahaha, salt, price="3.00")
    again = requests.consolidate_purchase_requests(user=buyer, request_ids=[first.id])
    [salt_order] = again.orders
    assert [ln.sku_id for ln in salt_order.lines.all()] == [salt.id]
    first.refresh_from_db()
    assert first.status == "ordered"
    assert PurchaseOrder.objects.count() == 3


def test_only_approved_requests_and_only_buyers(buyer, manager, requester, wahaha, warehouse, sku):
    add_item(wahaha, sku, price="2.00", preferred=True)
    draft = requests.create_purchase_request(
        user=requester,
        warehouse_id=warehouse.id,
        lines=[RequestLineInput(sku_id=sku.id, quantity=D(3))],
    )
    with pytest.raises(StateConflict) as caught:
        requests.consolidate_purchase_requests(user=buyer, request_ids=[draft.id])
    assert caught.value.code == "state_conflict"
    assert "requests" in caught.value.fields
    with pytest.raises(PermissionDenied):
        requests.consolidate_purchase_requests(user=requester, request_ids=[draft.id])
    with pytest.raises(StateConflict):  # edits only in draft
        requests.submit_purchase_request(user=requester, request_id=draft.id)
        requests.update_purchase_request(
            user=requester, request_id=draft.id, version=2, notes="late"
        )
    assert PurchaseRequest.objects.get(pk=draft.id).status == "submitted"


def test_bad_lines_are_400(requester, warehouse, sku):
    with pytest.raises(Exception) as caught:
        requests.create_purchase_request(
            user=requester,
            warehouse_id=warehouse.id,
            lines=[RequestLineInput(sku_id=sku.id, quantity=D(0))],
        )
    assert caught.value.code == "bad_quantity"
    assert "lines.0.quantity" in caught.value.fields


def test_the_api_consolidates_selected_requests(
    buyer, manager, requester, wahaha, warehouse, sku, client_for, other_store
):
    add_item(wahaha, sku, price="2.00", preferred=True)
    client = client_for(requester)
    answer = client.post(
        URL,
        {
            "warehouse": warehouse.id,
            "needed_by": "2026-12-24",
            "lines": [{"sku": sku.id, "quantity": "6", "notes": "圣诞备货"}],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    created = answer.json()
    assert created["number"].startswith("QG-0001-")
    assert created["lines"][0]["needed_by"] == "2026-12-24"
    assert client.post(f"{URL}{created['id']}/submit/").status_code == 200
    assert client_for(manager).post(f"{URL}{created['id']}/approve/").status_code == 200
    assert (
        client.post(f"{URL}consolidate/", {"requests": [created["id"]]}, format="json").status_code
        == 403
    )
    answer = client_for(buyer).post(
        f"{URL}consolidate/", {"requests": [created["id"]]}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert [o["supplier"] for o in body["orders"]] == [wahaha.id]
    assert body["left"] == []
    assert body["requests"][0]["status"] == "ordered"
    detail = client.get(f"{URL}{created['id']}/").json()
    assert detail["lines"][0]["order_number"] == body["orders"][0]["number"]
    answer = client_for(buyer).post(
        f"{URL}consolidate/", {"requests": [created["id"]]}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "already_ordered"
    outsider = factories.user("outsider", roles=("store_manager",), stores=(other_store,))
    assert client_for(outsider).get(f"{URL}{created['id']}/").status_code == 404
