"""Two buyers consolidating the same approved request at once (PostgreSQL, real row locks):
exactly one order is made, the other buyer waited for the request's lock and gets 409
already_ordered."""

from decimal import Decimal

import pytest

from storeledger.purchasing.models import PurchaseOrder, PurchaseRequest, PurchaseRequestLine
from storeledger.purchasing.services import requests
from storeledger.purchasing.services.requests import RequestLineInput
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_consolidations_order_a_request_once(monkeypatch, wahaha, warehouse, sku):
    keeper = factories.user("keeper", roles=("warehouse_keeper",), all_stores=True)
    manager = factories.user("manager", roles=("store_manager",), all_stores=True)
    buyers = [factories.user(f"b{i}", roles=("buyer",), all_stores=True) for i in (1, 2)]
    add_item(wahaha, sku, price="2.00", preferred=True)
    document = requests.create_purchase_request(
        user=keeper,
        warehouse_id=warehouse.id,
        lines=[RequestLineInput(sku_id=sku.id, quantity=Decimal(6))],
    )
    requests.submit_purchase_request(user=keeper, request_id=document.id)
    requests.approve_purchase_request(user=manager, request_id=document.id)

    # The first consolidation holds the request a moment: the other arrives and must wait.
    hold_locks(monkeypatch, requests, "supplier_items_for")
    with LockWaits() as waits:
        outcomes = race(
            [
                lambda buyer=buyer: requests.consolidate_purchase_requests(
                    user=buyer, request_ids=[document.id]
                )
                for buyer in buyers
            ]
        )

    assert sorted(outcomes) == ["already_ordered", "ok"], outcomes
    assert waits.most >= 1  # the second really waited for the first's lock
    assert PurchaseOrder.objects.count() == 1
    assert PurchaseRequest.objects.get(pk=document.id).status == "ordered"
    line = PurchaseRequestLine.objects.get(document=document)
    assert line.order_line.order_id == PurchaseOrder.objects.get().id
