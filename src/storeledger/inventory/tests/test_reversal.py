"""One reverse path for every document type: a posted document is reversed by a linked,
posted reversing document (红冲); that reversing document cannot itself be reversed (409
reversal_of_reversal), and trying changes nothing."""

from decimal import Decimal

import pytest

from storeledger.accounts.roles import sync_roles
from storeledger.inventory.models import (
    Posting,
    StockBalance,
    StockCount,
    StockDocument,
    StockMove,
    Transfer,
)
from storeledger.inventory.services import transfers as transfer_svc
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.documents import create_and_post_stock_document as post_doc
from storeledger.inventory.services.transfers import ReceiveLineInput, TransferLineInput
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import transit_warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


@pytest.fixture
def api(client_for, admin_user):
    return client_for(admin_user)


def stock_in(user, warehouse, sku, quantity, cost="2.00"):
    return post_doc(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(quantity), unit_cost=Decimal(cost))],
    )


def on_hand(warehouse, sku):
    row = StockBalance.objects.filter(warehouse=warehouse, sku=sku).first()
    return row.on_hand if row else Decimal(0)


def snapshot():
    """Everything a refused reversal must leave as it was."""
    return (
        StockMove.objects.count(),
        Posting.objects.count(),
        StockDocument.objects.count(),
        Transfer.objects.count(),
        StockCount.objects.count(),
        sorted(StockBalance.objects.values_list("id", "on_hand", "value")),
    )


def assert_reversal_of_reversal(response):
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "reversal_of_reversal"
    assert body["message"] == "A reversing document cannot itself be reversed."


def test_reversing_a_reversed_stock_document_is_409_not_500(api, admin_user, warehouse, sku):
    document = stock_in(admin_user, warehouse, sku, 5)
    reversal = api.post(f"/api/v1/stock-ins/{document.id}/reverse/", {}, format="json")
    assert reversal.status_code == 201, reversal.json()
    reversal_id = reversal.json()["id"]
    before = snapshot()

    response = api.post(f"/api/v1/stock-ins/{reversal_id}/reverse/", {}, format="json")

    assert_reversal_of_reversal(response)
    assert snapshot() == before
    assert StockDocument.objects.get(pk=reversal_id).status == "posted"
    assert on_hand(warehouse, sku) == Decimal(0)
    assert verify_ledger().ok


def test_reversing_a_reversed_transfer_is_409_and_creates_no_transfer(
    api, admin_user, warehouse, other_warehouse, sku
):
    stock_in(admin_user, warehouse, sku, 10)
    transfer = transfer_svc.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[TransferLineInput(sku_id=sku.id, quantity=Decimal(6))],
    )
    transfer_svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    transfer_svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(transfer.lines.get().id, Decimal(6))],
    )
    reversal = api.post(f"/api/v1/transfers/{transfer.id}/reverse/", {}, format="json")
    assert reversal.status_code == 201, reversal.json()
    reversal_id = reversal.json()["id"]
    before = snapshot()

    response = api.post(f"/api/v1/transfers/{reversal_id}/reverse/", {}, format="json")

    assert_reversal_of_reversal(response)
    assert snapshot() == before
    assert Transfer.objects.count() == 2
    assert Transfer.objects.get(pk=reversal_id).status == "posted"
    assert (on_hand(warehouse, sku), on_hand(other_warehouse, sku)) == (Decimal(10), Decimal(0))
    assert on_hand(transit_warehouse(), sku) == Decimal(0)
    assert verify_ledger().ok


def test_reversing_a_reversed_stock_count_is_409(api, admin_user, warehouse, sku):
    stock_in(admin_user, warehouse, sku, 10)
    url = "/api/v1/stock-counts/"
    count = api.post(url, {"warehouse": warehouse.id}, format="json").json()
    assert api.post(f"{url}{count['id']}/start/").status_code == 200
    entry = {"sku": sku.id, "quantity": "8"}
    assert api.post(f"{url}{count['id']}/entries/", entry, format="json").status_code == 201
    assert api.post(f"{url}{count['id']}/submit/", {}, format="json").status_code == 200
    assert api.post(f"{url}{count['id']}/post/").status_code == 200
    reversal = api.post(f"{url}{count['id']}/reverse/", {}, format="json")
    assert reversal.status_code == 201, reversal.json()
    reversal_id = reversal.json()["id"]
    before = snapshot()

    response = api.post(f"{url}{reversal_id}/reverse/", {}, format="json")

    assert_reversal_of_reversal(response)
    assert snapshot() == before
    assert on_hand(warehouse, sku) == Decimal(10)


def test_a_posted_original_is_still_reversible_and_only_once(api, admin_user, warehouse, sku):
    """Positive control: the guard refuses reversals only, an original reverses once."""
    document = stock_in(admin_user, warehouse, sku, 5)
    assert (
        api.post(f"/api/v1/stock-ins/{document.id}/reverse/", {}, format="json").status_code == 201
    )
    again = api.post(f"/api/v1/stock-ins/{document.id}/reverse/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "state_conflict"
