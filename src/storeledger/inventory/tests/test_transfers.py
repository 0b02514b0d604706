"""Transfers: ship into transit, partial receipts, close with discrepancy, reversal."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from storeledger.catalog.models import Tracking
from storeledger.core.errors import (
    InsufficientStock,
    NotFound,
    OutOfScope,
    PermissionDenied,
    StateConflict,
    ValidationFailed,
)
from storeledger.inventory.models import Batch, StockBalance, StockMove, Transfer
from storeledger.inventory.services import transfers as svc
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.documents import create_and_post_stock_document as post_doc
from storeledger.inventory.services.transfers import ReceiveLineInput, TransferLineInput
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import transit_warehouse
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def stock(user, warehouse, sku, quantity, cost="2.00", **line):
    post_doc(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[
            StockLineInput(
                sku_id=sku.id, quantity=Decimal(quantity), unit_cost=Decimal(cost), **line
            )
        ],
    )


def bal(warehouse, sku, batch=None):
    row = StockBalance.objects.filter(warehouse=warehouse, sku=sku, batch=batch).first()
    return (row.on_hand, row.value) if row else (Decimal(0), Decimal(0))


def approved_transfer(user, source, destination, lines):
    transfer = svc.create_transfer(
        user=user, from_warehouse_id=source.id, to_warehouse_id=destination.id, lines=lines
    )
    svc.submit_transfer(user=user, transfer_id=transfer.id)
    svc.approve_transfer(user=user, transfer_id=transfer.id)
    return transfer


def test_ship_partial_receive_and_close_with_discrepancy(
    admin_user, warehouse, other_warehouse, sku
):
    stock(admin_user, warehouse, sku, 10)
    transfer = approved_transfer(
        admin_user, warehouse, other_warehouse, [TransferLineInput(sku_id=sku.id, quantity=6)]
    )
    assert transfer.number.startswith("DB-0001-")
    line = transfer.lines.get()

    svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    transit = transit_warehouse()
    transfer.refresh_from_db()
    line.refresh_from_db()
    assert (transfer.status, transfer.shipped_by) == ("shipped", admin_user)
    assert line.shipped_quantity == Decimal(6)
    assert bal(warehouse, sku) == (Decimal(4), Decimal("8.0000"))
    assert bal(transit, sku) == (Decimal(6), Decimal("12.0000"))
    assert list(
        StockMove.objects.order_by("id").values_list("warehouse_id", "move_type", "quantity")
    )[1:] == [
        (warehouse.id, "transfer_out", Decimal(-6)),
        (transit.id, "transfer_in", Decimal(6)),
    ]

    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(3))],
    )
    transfer.refresh_from_db()
    assert transfer.status == "partially_received"
    assert bal(other_warehouse, sku) == (Decimal(3), Decimal("6.0000"))
    assert bal(transit, sku) == (Decimal(3), Decimal("6.0000"))
    [info] = svc.in_transit_lines(transfer)
    assert (info["received_quantity"], info["in_transit_quantity"]) == (Decimal(3), Decimal(3))
    assert [(b["quantity"], b["value"]) for b in info["batches"]] == [
        (Decimal(3), Decimal("6.0000"))
    ]
    assert list(svc.transfers_in_transit(admin_user)) == [transfer]

    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(1))],
        close=True,
    )
    transfer.refresh_from_db()
    line.refresh_from_db()
    assert (transfer.status, transfer.received_by, transfer.posted_by) == (
        "posted",
        admin_user,
        admin_user,
    )
    assert (line.received_quantity, line.discrepancy_quantity) == (Decimal(4), Decimal(2))
    assert svc.in_transit_quantity(line) == 0
    assert bal(other_warehouse, sku) == (Decimal(4), Decimal("8.0000"))
    assert bal(transit, sku) == (Decimal(0), Decimal(0))
    loss = StockMove.objects.get(move_type="transfer_loss")
    assert (loss.warehouse_id, loss.quantity, loss.value, loss.line_id) == (
        transit.id,
        Decimal(-2),
        Decimal("-4.0000"),
        line.id,
    )
    keys = list(
        StockMove.objects.filter(posting__document_type="transfer")
        .values_list("posting__key", flat=True)
        .distinct()
        .order_by("posting__key")
    )
    assert keys == [  # one posting per event: the write-off rides on the closing receipt
        f"transfer:{transfer.id}:receive:1",
        f"transfer:{transfer.id}:receive:2",
        f"transfer:{transfer.id}:ship",
    ]
    assert list(svc.transfers_in_transit(admin_user)) == []
    assert verify_ledger().ok


def test_receiving_everything_posts_without_discrepancy(
    admin_user, warehouse, other_warehouse, sku
):
    stock(admin_user, warehouse, sku, 5)
    transfer = approved_transfer(
        admin_user, warehouse, other_warehouse, [TransferLineInput(sku_id=sku.id, quantity=5)]
    )
    svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    line = transfer.lines.get()
    svc.receive_transfer(
        user=admin_user, transfer_id=transfer.id, lines=[ReceiveLineInput(line.id, Decimal(5))]
    )
    transfer.refresh_from_db()
    line.refresh_from_db()
    assert transfer.status == "posted"
    assert line.discrepancy_quantity == 0
    assert not StockMove.objects.filter(move_type="transfer_loss").exists()
    assert bal(other_warehouse, sku) == (Decimal(5), Decimal("10.0000"))


def test_receiving_more_than_in_transit_is_refused(admin_user, warehouse, other_warehouse, sku):
    stock(admin_user, warehouse, sku, 5)
    transfer = approved_transfer(
        admin_user, warehouse, other_warehouse, [TransferLineInput(sku_id=sku.id, quantity=4)]
    )
    svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    line = transfer.lines.get()
    svc.receive_transfer(
        user=admin_user, transfer_id=transfer.id, lines=[ReceiveLineInput(line.id, Decimal(3))]
    )
    moves = StockMove.objects.count()
    with pytest.raises(ValidationFailed) as error:
        svc.receive_transfer(
            user=admin_user,
            transfer_id=transfer.id,
            lines=[ReceiveLineInput(line.id, Decimal(2))],
        )
    assert error.value.code == "more_than_in_transit"
    assert error.value.details["in_transit"] == "1.0000"
    line.refresh_from_db()
    assert line.received_quantity == Decimal(3)
    assert StockMove.objects.count() == moves


def test_batches_travel_with_the_transfer(admin_user, warehouse, other_warehouse):
    milk = factories.sku(code="SKU-MILK", name="牛奶", tracking=Tracking.BATCH)
    today = timezone.localdate()
    stock(
        admin_user,
        warehouse,
        milk,
        5,
        batch_no="LATE",
        expiry_date=today + datetime.timedelta(days=20),
    )
    stock(
        admin_user,
        warehouse,
        milk,
        5,
        cost="3.00",
        batch_no="EARLY",
        expiry_date=today + datetime.timedelta(days=10),
    )
    early, late = Batch.objects.get(batch_no="EARLY"), Batch.objects.get(batch_no="LATE")
    transfer = approved_transfer(
        admin_user, warehouse, other_warehouse, [TransferLineInput(sku_id=milk.id, quantity=7)]
    )
    svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    transit = transit_warehouse()
    assert bal(transit, milk, early) == (Decimal(5), Decimal("15.0000"))
    assert bal(transit, milk, late) == (Decimal(2), Decimal("4.0000"))
    line = transfer.lines.get()
    svc.receive_transfer(
        user=admin_user, transfer_id=transfer.id, lines=[ReceiveLineInput(line.id, Decimal(6))]
    )
    assert bal(other_warehouse, milk, early) == (Decimal(5), Decimal("15.0000"))
    assert bal(other_warehouse, milk, late) == (Decimal(1), Decimal("2.0000"))
    transfer.refresh_from_db()
    [info] = svc.in_transit_lines(transfer)
    assert [(b["batch_no"], b["quantity"]) for b in info["batches"]] == [("LATE", Decimal(1))]
    # what was shipped stays listed per batch (first expiry first), with the expiry dates
    assert [(b["batch_no"], b["expiry_date"], b["quantity"]) for b in info["shipped_batches"]] == [
        ("EARLY", early.expiry_date, Decimal(5)),
        ("LATE", late.expiry_date, Decimal(2)),
    ]
    svc.receive_transfer(user=admin_user, transfer_id=transfer.id, close=True)
    transfer.refresh_from_db()
    [info] = svc.in_transit_lines(transfer)
    assert info["batches"] == []
    assert [(b["batch_no"], b["quantity"]) for b in info["shipped_batches"]] == [
        ("EARLY", Decimal(5)),
        ("LATE", Decimal(2)),
    ]
    loss = StockMove.objects.get(move_type="transfer_loss")
    assert (loss.batch_id, loss.quantity) == (late.id, Decimal(-1))
    assert bal(warehouse, milk, late) == (Decimal(3), Decimal("6.0000"))
    assert bal(transit, milk, late) == (Decimal(0), Decimal(0))
    assert verify_ledger().ok


def test_shipping_beyond_stock_changes_nothing(admin_user, warehouse, other_warehouse, sku):
    stock(admin_user, warehouse, sku, 2)
    transfer = approved_transfer(
        admin_user, warehouse, other_warehouse, [TransferLineInput(sku_id=sku.id, quantity=3)]
    )
    with pytest.raises(InsufficientStock):
        svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    transfer.refresh_from_db()
    assert transfer.status == "approved"
    assert transfer.lines.get().shipped_quantity == 0
    assert StockMove.objects.count() == 1


def test_reverse_a_posted_transfer(admin_user, warehouse, other_warehouse, sku):
    stock(admin_user, warehouse, sku, 10)
    transfer = approved_transfer(
        admin_user, warehouse, other_warehouse, [TransferLineInput(sku_id=sku.id, quantity=6)]
    )
    svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    line = transfer.lines.get()
    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(line.id, Decimal(5))],
        close=True,
    )
    reversal = svc.reverse_transfer(user=admin_user, transfer_id=transfer.id)
    transfer.refresh_from_db()
    assert transfer.status == "reversed"
    assert (reversal.status, reversal.reversal_of_id) == ("posted", transfer.id)
    assert list(
        reversal.lines.values_list("quantity", "shipped_quantity", "received_quantity")
    ) == [(Decimal(-6), Decimal(-6), Decimal(-5))]
    assert bal(warehouse, sku) == (Decimal(10), Decimal("20.0000"))
    assert bal(other_warehouse, sku) == (Decimal(0), Decimal(0))
    assert bal(transit_warehouse(), sku) == (Decimal(0), Decimal(0))
    with pytest.raises(StateConflict):
        svc.reverse_transfer(user=admin_user, transfer_id=transfer.id)
    assert verify_ledger().ok


def test_reversing_when_the_destination_stock_is_gone_changes_nothing(
    admin_user, warehouse, other_warehouse, sku
):
    stock(admin_user, warehouse, sku, 5)
    transfer = approved_transfer(
        admin_user, warehouse, other_warehouse, [TransferLineInput(sku_id=sku.id, quantity=5)]
    )
    svc.ship_transfer(user=admin_user, transfer_id=transfer.id)
    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(transfer.lines.get().id, Decimal(5))],
    )
    post_doc(
        user=admin_user,
        kind="stock_out",
        warehouse_id=other_warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(2))],
    )
    moves = StockMove.objects.count()
    with pytest.raises(InsufficientStock):
        svc.reverse_transfer(user=admin_user, transfer_id=transfer.id)
    transfer.refresh_from_db()
    assert transfer.status == "posted"
    assert Transfer.objects.count() == 1
    assert StockMove.objects.count() == moves
    assert bal(other_warehouse, sku) == (Decimal(3), Decimal("6.0000"))


def test_warehouse_rules(admin_user, warehouse, other_warehouse, sku):
    line = [TransferLineInput(sku_id=sku.id, quantity=1)]
    with pytest.raises(ValidationFailed) as error:
        svc.create_transfer(
            user=admin_user,
            from_warehouse_id=warehouse.id,
            to_warehouse_id=warehouse.id,
            lines=line,
        )
    assert error.value.code == "same_warehouse"
    with pytest.raises(NotFound):
        svc.create_transfer(
            user=admin_user,
            from_warehouse_id=warehouse.id,
            to_warehouse_id=transit_warehouse().id,
            lines=line,
        )
    assert Transfer.objects.count() == 0


def test_scope_source_for_create_and_ship_destination_for_receive(
    store, other_store, warehouse, other_warehouse, sku, keeper, manager, admin_user
):
    other_keeper = factories.user("keeper2", roles=("warehouse_keeper",), stores=(other_store,))
    line = [TransferLineInput(sku_id=sku.id, quantity=2)]
    with pytest.raises(OutOfScope):
        svc.create_transfer(
            user=other_keeper,
            from_warehouse_id=warehouse.id,
            to_warehouse_id=other_warehouse.id,
            lines=line,
        )
    stock(admin_user, warehouse, sku, 5)
    transfer = svc.create_transfer(
        user=keeper, from_warehouse_id=warehouse.id, to_warehouse_id=other_warehouse.id, lines=line
    )
    svc.submit_transfer(user=keeper, transfer_id=transfer.id)
    with pytest.raises(PermissionDenied):  # the keeper may not ship without approval
        svc.ship_transfer(user=keeper, transfer_id=transfer.id)
    svc.approve_transfer(user=manager, transfer_id=transfer.id)
    with pytest.raises(OutOfScope):
        svc.ship_transfer(user=other_keeper, transfer_id=transfer.id)
    svc.ship_transfer(user=keeper, transfer_id=transfer.id)
    receipt = [ReceiveLineInput(transfer.lines.get().id, Decimal(2))]
    with pytest.raises(OutOfScope):
        svc.receive_transfer(user=keeper, transfer_id=transfer.id, lines=receipt)
    svc.receive_transfer(user=other_keeper, transfer_id=transfer.id, lines=receipt)
    assert bal(other_warehouse, sku)[0] == Decimal(2)
