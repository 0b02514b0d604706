"""Two returns of the same receipt line posted at once (PostgreSQL, real row locks): each alone
is within what the line took in, both together are not — exactly one posts, the other waited
for the first's lock on the receipt line and gets 409 over_return naming its line."""

from decimal import Decimal

import pytest

from storeledger.inventory.models import StockBalance
from storeledger.inventory.verify import verify_ledger
from storeledger.purchasing.models import PurchaseReceiptLine, PurchaseReturn
from storeledger.purchasing.services import orders, receipts, returns
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.purchasing.services.returns import ReturnLineInput
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_returns_of_one_receipt_line_cannot_return_more_than_came_in(
    monkeypatch, wahaha, warehouse, sku
):
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    manager = factories.user("manager", roles=("store_manager",), all_stores=True)
    keepers = [
        factories.user(f"k{i}", roles=("warehouse_keeper",), all_stores=True) for i in (1, 2)
    ]
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=wahaha.id,
        warehouse_id=warehouse.id,
        lines=[
            OrderLineInput(
                sku_id=sku.id,
                quantity=Decimal(10),
                unit_id=sku.product.base_unit_id,
                price=Decimal("2.26"),
            )
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=manager, order_id=order.id)
    receipt = receipts.create_purchase_receipt(
        user=manager,
        order_id=order.id,
        lines=[ReceiptLineInput(sku_id=sku.id, quantity=Decimal(10))],
        post=True,
    )
    source = receipt.lines.get()
    drafts = [
        returns.create_purchase_return(
            user=keepers[i],
            receipt_id=receipt.id,
            lines=[ReturnLineInput(receipt_line_id=source.id, quantity=Decimal(6))],
        )
        for i in (0, 1)
    ]

    # The first to count the line's returns holds its row lock a moment: the other must wait.
    hold_locks(monkeypatch, returns, "_count_returned")
    errors: list[BaseException | None] = []
    with LockWaits() as waits:
        outcomes = race(
            [
                lambda index=index: returns.post_purchase_return(
                    user=keepers[index], return_id=drafts[index].id
                )
                for index in (0, 1)
            ],
            errors=errors,
        )

    assert sorted(outcomes) == ["ok", "over_return"], outcomes
    refused = outcomes.index("over_return")
    assert "lines.0.quantity" in errors[refused].fields
    assert waits.most >= 1  # the second return really waited for the first's row lock
    assert PurchaseReceiptLine.objects.get(pk=source.id).returned_quantity == 6
    assert PurchaseReturn.objects.filter(status="posted").count() == 1
    assert PurchaseReturn.objects.get(pk=drafts[refused].id).status == "draft"
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == 4
    assert verify_ledger().ok
