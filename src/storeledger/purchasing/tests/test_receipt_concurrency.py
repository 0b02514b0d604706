"""Two receipts of the same order line racing (PostgreSQL, real row locks): each alone is within
the tolerance, both together are not — exactly one posts, the other gets 409 over_receipt, and
the second really waited for the first's lock on the order."""

from decimal import Decimal

import pytest

from storeledger.inventory.models import StockBalance
from storeledger.inventory.verify import verify_ledger
from storeledger.purchasing.models import PurchaseOrderLine, PurchaseReceipt
from storeledger.purchasing.services import orders, receipts
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_receipts_of_one_order_line_cannot_pass_the_tolerance(
    monkeypatch, wahaha, warehouse, sku
):
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    approver = factories.user("approver", roles=("store_manager",), all_stores=True)
    keepers = [
        factories.user(f"k{i}", roles=("warehouse_keeper",), all_stores=True) for i in (1, 2)
    ]
    wahaha.over_receipt_tolerance = Decimal(10)  # 10 ordered: up to 11 may come in
    wahaha.save()
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=wahaha.id,
        warehouse_id=warehouse.id,
        lines=[
            OrderLineInput(
                sku_id=sku.id,
                quantity=Decimal(10),
                unit_id=sku.product.base_unit_id,
                price=Decimal("2.00"),
            )
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=approver, order_id=order.id)

    # The first receipt holds the order's lock a moment: the other arrives and must wait.
    hold_locks(monkeypatch, receipts, "_lock_order")
    with LockWaits() as waits:
        outcomes = race(
            [
                lambda keeper=keeper: receipts.create_purchase_receipt(
                    user=keeper,
                    order_id=order.id,
                    lines=[ReceiptLineInput(sku_id=sku.id, quantity=Decimal(6))],
                    post=True,
                )
                for keeper in keepers
            ]
        )

    assert sorted(outcomes) == ["ok", "over_receipt"], outcomes
    assert waits.most >= 1  # the second receipt really waited for the first's lock
    assert PurchaseOrderLine.objects.get(order=order).received_quantity == 6
    assert PurchaseReceipt.objects.filter(status="posted").count() == 1
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == 6
    assert verify_ledger().ok
