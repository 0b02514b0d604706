"""Two receipts of the same order line racing (PostgreSQL, real row locks): each alone is within
the tolerance, both together are not — exactly one posts, the other gets 409 over_receipt, and
the second really waited for the first's lock on the order."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from storeledger.core.errors import StateConflict
from storeledger.inventory.models import StockBalance
from storeledger.inventory.verify import verify_ledger
from storeledger.purchasing.models import PurchaseOrderLine, PurchaseReceipt
from storeledger.purchasing.services import orders, receipts
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.testing import factories

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

    real_lock = receipts._lock_order

    def holds_the_order_a_moment(order_id):
        locked = real_lock(order_id)
        time.sleep(0.3)  # the other receipt arrives meanwhile and must wait
        return locked

    monkeypatch.setattr(receipts, "_lock_order", holds_the_order_a_moment)
    barrier = threading.Barrier(2)
    outcomes = ["", ""]
    waits_seen: list[int] = []
    watching = threading.Event()

    def run(index):
        try:
            barrier.wait()
            receipts.create_purchase_receipt(
                user=keepers[index],
                order_id=order.id,
                lines=[ReceiptLineInput(sku_id=sku.id, quantity=Decimal(6))],
                post=True,
            )
            outcomes[index] = "ok"
        except StateConflict as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    def watch():
        try:
            with connection.cursor() as cursor:
                while watching.is_set():
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock'"
                    )
                    waits_seen.append(cursor.fetchone()[0])
                    time.sleep(0.02)
        finally:
            connection.close()

    watching.set()
    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    watching.clear()
    watcher.join()

    assert sorted(outcomes) == ["ok", "over_receipt"], outcomes
    assert max(waits_seen) >= 1  # the second receipt really waited for the first's lock
    assert PurchaseOrderLine.objects.get(order=order).received_quantity == 6
    assert PurchaseReceipt.objects.filter(status="posted").count() == 1
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == 6
    assert verify_ledger().ok
