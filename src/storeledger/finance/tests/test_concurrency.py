"""Two invoices racing for the same receipt line (PostgreSQL, real row locks): each alone fits
what is not invoiced yet, both together do not — exactly one is created, the other gets 409
over_invoiced naming the line, and the second really waited for the first's lock. The same for
two payments racing for one invoice's open amount."""

import datetime
from decimal import Decimal

import pytest

from storeledger.finance.models import SupplierInvoice, SupplierPayment
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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

    hold_locks(monkeypatch, invoices, "lock_receipts")
    errors: list[BaseException | None] = []
    with LockWaits() as waits:
        outcomes = race([invoice(0), invoice(1)], errors=errors)

    assert sorted(outcomes) == ["ok", "over_invoiced"], outcomes
    [refused] = [error for error in errors if error is not None]
    assert "lines.0.quantity" in refused.fields
    assert waits.most >= 1  # the second invoice really waited for the first's lock
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

    hold_locks(monkeypatch, payments, "_lock_targets")
    with LockWaits() as waits:
        outcomes = race([pay(0), pay(1)])

    assert sorted(outcomes) == ["ok", "over_allocated"], outcomes
    assert waits.most >= 1
    assert SupplierPayment.objects.count() == 1


def test_racing_postings_of_two_drafts_on_one_receipt(monkeypatch, make_order, receive, wahaha):
    """Two drafts share a receipt's 240.00; a return then settles 24.00, so they no longer both
    fit. Posted at the same instant, each checks what is open under the supplier's and the
    receipt's locks: exactly one posts, the other gets 409 over_allocated and stays a draft."""
    from storeledger.purchasing.services.returns import ReturnLineInput, create_purchase_return

    order = make_order(10, "24.00")
    receipt = receive(order, 10, datetime.date(2026, 11, 2))
    users = [factories.user(f"f{i}", roles=("finance",), all_stores=True) for i in (1, 2)]
    drafts = [
        payments.create_supplier_payment(
            user=users[0],
            supplier_id=wahaha.id,
            amount=Decimal(amount),
            allocations=[AllocationInput(amount=Decimal(amount), receipt_id=receipt.id)],
        )
        for amount in ("150.00", "90.00")
    ]
    create_purchase_return(
        user=factories.user("back", roles=("admin",), all_stores=True),
        receipt_id=receipt.id,
        document_date=datetime.date(2026, 11, 3),
        lines=[ReturnLineInput(receipt_line_id=receipt.lines.get().id, quantity=Decimal(1))],
        post=True,
    )

    def post(index):
        return lambda: payments.post_supplier_payment(
            user=users[index], payment_id=drafts[index].id
        )

    hold_locks(monkeypatch, payments, "_lock_targets")
    with LockWaits() as waits:
        outcomes = race([post(0), post(1)])

    assert sorted(outcomes) == ["ok", "over_allocated"], outcomes
    assert waits.most >= 1
    statuses = sorted(SupplierPayment.objects.values_list("status", flat=True))
    assert statuses == ["draft", "posted"]
