"""Two invoices racing for the same receipt line (PostgreSQL, real row locks): each alone fits
what is not invoiced yet, both together do not — exactly one is created, the other gets 409
over_invoiced naming the line, and the second really waited for the first's lock. The same for
two payments racing for one invoice's open amount."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from storeledger.core.errors import StateConflict
from storeledger.finance.models import SupplierInvoice, SupplierPayment
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput
from storeledger.testing import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(monkeypatch, module, name, calls):
    """Run `calls` (two callables) at once, the first lock holder sleeping a moment after
    taking its locks; answers (outcomes, the most sessions seen waiting for a lock)."""
    real = getattr(module, name)

    def holds_a_moment(*args, **kwargs):
        found = real(*args, **kwargs)
        time.sleep(0.3)  # the other one arrives meanwhile and must wait
        return found

    monkeypatch.setattr(module, name, holds_a_moment)
    barrier = threading.Barrier(2)
    outcomes = ["", ""]
    waits_seen: list[int] = [0]
    watching = threading.Event()

    def run(index):
        try:
            barrier.wait()
            calls[index]()
            outcomes[index] = "ok"
        except StateConflict as error:
            outcomes[index] = error.code
            outcomes.append(error.fields)
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
    return outcomes, max(waits_seen)


def test_racing_invoices_of_one_receipt_line(monkeypatch, make_order, receive, wahaha):
    order = make_order(10, "24.00")
    receipt = receive(order, 10, datetime.date(2026, 11, 2))
    line_id = receipt.lines.get().id
    users = [factories.user(f"f{i}", roles=("finance",), all_stores=True) for i in (1, 2)]

    def invoice(index):
        return lambda: invoices.create_supplier_invoice(
            user=users[index],
            supplier_id=wahaha.id,
            invoice_no=f"N{index}",
            invoice_date=datetime.date(2026, 11, 3),
            lines=[InvoiceLineInput(receipt_line_id=line_id, quantity=Decimal(6))],
        )

    outcomes, waited = _race(monkeypatch, invoices, "lock_receipts", [invoice(0), invoice(1)])

    assert sorted(outcomes[:2]) == ["ok", "over_invoiced"], outcomes
    assert "lines.0.quantity" in outcomes[2]
    assert waited >= 1  # the second invoice really waited for the first's lock
    assert SupplierInvoice.objects.count() == 1
    assert SupplierInvoice.objects.get().lines.get().quantity == 6


def test_racing_payments_of_one_invoice(monkeypatch, make_order, receive, wahaha):
    order = make_order(10, "24.00")
    receipt = receive(order, 10, datetime.date(2026, 11, 2))
    users = [factories.user(f"f{i}", roles=("finance",), all_stores=True) for i in (1, 2)]
    invoice = invoices.create_supplier_invoice(
        user=users[0],
        supplier_id=wahaha.id,
        invoice_no="N1",
        invoice_date=datetime.date(2026, 11, 3),
        lines=[InvoiceLineInput(receipt_line_id=receipt.lines.get().id)],
        post=True,
    )

    def pay(index):
        return lambda: payments.create_supplier_payment(
            user=users[index],
            supplier_id=wahaha.id,
            amount=Decimal("150.00"),
            allocations=[AllocationInput(amount=Decimal("150.00"), invoice_id=invoice.id)],
            post=True,
        )

    outcomes, waited = _race(monkeypatch, payments, "_lock_targets", [pay(0), pay(1)])

    assert sorted(outcomes[:2]) == ["ok", "over_allocated"], outcomes
    assert waited >= 1
    assert SupplierPayment.objects.count() == 1
