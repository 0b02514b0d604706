"""`available_actions`: every document in the API says which state actions the requesting user
may take on it now, from the document-type registry (core.doctypes) — the web UI draws its
buttons from it instead of keeping its own copy of the life cycle."""

from decimal import Decimal

import pytest

from storeledger.accounts.roles import sync_roles
from storeledger.core import doctypes
from storeledger.core.doctypes import Action, DocumentType
from storeledger.core.lifecycle import new_number
from storeledger.inventory.models import StockCount
from storeledger.inventory.services import documents as document_services
from storeledger.inventory.services import transfers as transfer_services
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.transfers import ReceiveLineInput, TransferLineInput
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


def _actions(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.json()
    return response.json()["available_actions"]


def _line(sku, quantity="5"):
    return [StockLineInput(sku_id=sku.id, quantity=Decimal(quantity), unit_cost=Decimal(2))]


def test_a_stock_document_through_its_life_cycle(client_for, admin_user, warehouse, sku):
    api = client_for(admin_user)
    document = document_services.create_stock_document(
        user=admin_user, kind="stock_in", warehouse_id=warehouse.id, lines=_line(sku)
    )
    url = f"/api/v1/stock-ins/{document.id}/"
    assert _actions(api, url) == ["submit", "post", "cancel"]
    api.post(url + "submit/")
    assert _actions(api, url) == ["approve", "post", "cancel"]
    api.post(url + "approve/")
    assert _actions(api, url) == ["post", "cancel"]  # the UI used to hide cancel here
    api.post(url + "post/")
    assert _actions(api, url) == ["reverse"]
    reversal = api.post(url + "reverse/", {}, format="json").json()
    assert reversal["available_actions"] == []  # a reversing document is final
    assert _actions(api, url) == []
    listed = api.get("/api/v1/stock-ins/").json()["results"]
    assert {row["id"]: row["available_actions"] for row in listed} == {
        document.id: [],
        reversal["id"]: [],
    }


def test_actions_follow_the_user_s_permissions(client_for, store, warehouse, sku, admin_user):
    document = document_services.create_stock_document(
        user=admin_user, kind="stock_in", warehouse_id=warehouse.id, lines=_line(sku)
    )
    url = f"/api/v1/stock-ins/{document.id}/"
    keeper = factories.user("keeper2", roles=("warehouse_keeper",), stores=(store,))
    viewer = factories.user("viewer", roles=("viewer",), stores=(store,))
    # a keeper submits and posts without approval, and may cancel; approving is not theirs
    assert _actions(client_for(keeper), url) == ["submit", "post", "cancel"]
    assert _actions(client_for(viewer), url) == []  # sees the document, may act on none
    document_services.submit_stock_document(user=admin_user, document_id=document.id)
    assert _actions(client_for(keeper), url) == ["post", "cancel"]
    assert _actions(client_for(admin_user), url) == ["approve", "post", "cancel"]


def test_a_transfer_offers_receive_in_transit_and_nothing_on_its_reversal(
    client_for, admin_user, warehouse, other_warehouse, sku
):
    api = client_for(admin_user)
    document_services.create_and_post_stock_document(
        user=admin_user, kind="stock_in", warehouse_id=warehouse.id, lines=_line(sku, "10")
    )
    transfer = transfer_services.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[TransferLineInput(sku_id=sku.id, quantity=Decimal(4))],
    )
    url = f"/api/v1/transfers/{transfer.id}/"
    assert _actions(api, url) == ["submit", "ship", "cancel"]
    transfer_services.ship_transfer(user=admin_user, transfer_id=transfer.id)
    assert _actions(api, url) == ["receive"]
    transfer_services.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(transfer.lines.get().id, Decimal(4))],
    )
    assert _actions(api, url) == ["reverse"]
    reversal = transfer_services.reverse_transfer(user=admin_user, transfer_id=transfer.id)
    assert _actions(api, f"/api/v1/transfers/{reversal.id}/") == []


def test_a_count_offers_approve_or_post_by_its_variance(client_for, admin_user, warehouse, sku):
    api = client_for(admin_user)
    document_services.create_and_post_stock_document(
        user=admin_user, kind="stock_in", warehouse_id=warehouse.id, lines=_line(sku, "10")
    )
    count = api.post("/api/v1/stock-counts/", {"warehouse": warehouse.id}, format="json").json()
    url = f"/api/v1/stock-counts/{count['id']}/"
    assert count["available_actions"] == ["start", "cancel"]
    api.post(url + "start/")
    assert _actions(api, url) == ["submit", "cancel"]
    api.post(url + "entries/", {"sku": sku.id, "quantity": "9"}, format="json")
    api.post(url + "submit/", {}, format="json")
    needs = StockCount.objects.get(pk=count["id"]).needs_approval
    assert _actions(api, url) == (["approve"] if needs else ["post"])
    StockCount.objects.filter(pk=count["id"]).update(needs_approval=not needs)
    assert _actions(api, url) == (["post"] if needs else ["approve"])


def test_a_new_document_type_registers_its_prefix_and_actions(admin_user, store):
    """What purchasing will do in its own app: register, and numbering and actions follow."""

    class Order:  # a stand-in model: the registry keys types by model class
        status = "draft"
        reversal_of_id = None

    order_type = doctypes.register(
        DocumentType(
            key="testorder",
            model=Order,
            prefixes={"test_order": "CS"},
            actions=(
                Action("submit", ("draft",), "inventory.submit_stockdocument"),
                Action("close", ("submitted",), "inventory.post_stockdocument"),
            ),
        )
    )
    try:
        assert doctypes.for_document(Order()) is order_type
        assert order_type.available_actions(Order(), admin_user) == ["submit"]
        assert new_number("test_order", store.code).startswith(f"CS-{store.code}-")
        with pytest.raises(ValueError, match="already used"):
            doctypes.register(
                DocumentType(key="clash", model=int, prefixes={"other_kind": "CS"}, actions=())
            )
    finally:  # the stand-in would otherwise stay registered for later tests
        doctypes.unregister("testorder")


def test_a_transfer_offers_each_store_only_its_own_side(
    client_for, admin_user, store, other_store, warehouse, other_warehouse, sku
):
    """The source store ships (and submits, cancels), the destination store receives: a
    keeper is not offered a button the service refuses (403) for the other store's side."""
    source = factories.user("keeper-a", roles=("warehouse_keeper",), stores=(store,))
    destination = factories.user("keeper-b", roles=("warehouse_keeper",), stores=(other_store,))
    document_services.create_and_post_stock_document(
        user=admin_user, kind="stock_in", warehouse_id=warehouse.id, lines=_line(sku, "10")
    )
    transfer = transfer_services.create_transfer(
        user=source,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[TransferLineInput(sku_id=sku.id, quantity=Decimal(4))],
    )
    url = f"/api/v1/transfers/{transfer.id}/"
    transfer_services.submit_transfer(user=source, transfer_id=transfer.id)
    transfer_services.approve_transfer(user=admin_user, transfer_id=transfer.id)
    assert _actions(client_for(source), url) == ["ship", "cancel"]
    assert _actions(client_for(destination), url) == []
    transfer_services.ship_transfer(user=source, transfer_id=transfer.id)
    assert _actions(client_for(source), url) == []
    assert _actions(client_for(destination), url) == ["receive"]
    transfer_services.receive_transfer(
        user=destination,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(transfer.lines.get().id, Decimal(4))],
    )
    # reversing moves stock in both stores: only a user of both
    assert _actions(client_for(source), url) == []
    assert _actions(client_for(destination), url) == []
    assert _actions(client_for(admin_user), url) == ["reverse"]
