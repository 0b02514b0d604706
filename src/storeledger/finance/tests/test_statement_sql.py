"""The statement of account with its opening balance summed in SQL and only the period's
documents read: the same statement as the former Python computation (every entry up to the end
of the period loaded, those before it summed) on a small ledger with invoices, payments on
account, a return and an invoice difference on either side of a period boundary; the open items
summed in SQL as the Python sum of the entries; and a constant number of queries whatever the
number of earlier documents, with no entry built for what lies before the period."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.core.quantities import ZERO
from storeledger.finance import account, selectors
from storeledger.finance.models import SupplierPayment
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput
from storeledger.purchasing.services.returns import ReturnLineInput, create_purchase_return

D = Decimal


def oct_(n: int) -> datetime.date:
    return datetime.date(2026, 10, n)


def nov(n: int) -> datetime.date:
    return datetime.date(2026, 11, n)


def python_statement(user, *, supplier, date_from, date_to) -> selectors.Statement:
    """The statement as it was computed before: every entry up to `date_to` loaded in Python,
    those before `date_from` summed into the opening balance."""
    entries = account.entries(
        account.Query(
            supplier_ids=[supplier.id], store_ids=selectors.store_ids(user), date_to=date_to
        )
    )
    opening = sum((e.amount for e in entries if e.date < date_from), ZERO)
    running, rows, increase, decrease = opening, [], ZERO, ZERO
    for entry in entries:
        if entry.date < date_from:
            continue
        running += entry.amount
        if entry.amount >= 0:
            increase += entry.amount
        else:
            decrease -= entry.amount
        src = account.source(entry.source)
        rows.append(
            {
                "date": entry.date,
                "source": entry.source,
                "source_title": str(src.title),
                "api_path": src.api_path,
                "document_id": entry.document_id,
                "number": entry.number,
                "reference": entry.reference,
                "reversal": entry.reversal,
                "store": entry.store_id,
                "increase": entry.amount if entry.amount >= 0 else ZERO,
                "decrease": -entry.amount if entry.amount < 0 else ZERO,
                "amount": entry.amount,
                "balance": running,
            }
        )
    return selectors.Statement(
        supplier, date_from, date_to, opening, rows, increase, decrease, running
    )


@pytest.fixture
def ledger(make_order, receive, wahaha, finance_user, approver):
    """October: two receipts (144.00, 96.00), an invoice of the first at 24.10 (+0.60
    difference), 50.00 paid on account. November: a return of 1 box of the second receipt,
    the second invoiced at 24.10 (a difference after the boundary on a receipt before it), a
    payment of the first invoice with 20.00 more on account, and that payment reversed."""
    order = make_order(20, "24.00", day=datetime.date(2026, 9, 1))
    first = receive(order, 6, oct_(2))
    second = receive(order, 4, oct_(20))
    invoice = invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="OCT-1",
        invoice_date=oct_(28),
        lines=[InvoiceLineInput(receipt_line_id=first.lines.get().id, price=D("24.10"))],
        post=True,
    )
    payments.create_supplier_payment(
        user=finance_user,
        supplier_id=wahaha.id,
        amount=D("50.00"),
        store_id=first.store_id,
        document_date=oct_(30),
        post=True,
    )
    create_purchase_return(
        user=approver,
        receipt_id=second.id,
        document_date=nov(3),
        lines=[ReturnLineInput(receipt_line_id=second.lines.get().id, quantity=D(1))],
        post=True,
    )
    invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="NOV-1",
        invoice_date=nov(5),
        lines=[InvoiceLineInput(receipt_line_id=second.lines.get().id, price=D("24.10"))],
        post=True,
    )
    paid = payments.create_supplier_payment(
        user=finance_user,
        supplier_id=wahaha.id,
        amount=D("164.60"),
        document_date=nov(10),
        allocations=[AllocationInput(amount=D("144.60"), invoice_id=invoice.id)],
        post=True,
    )
    reversal = payments.reverse_supplier_payment(user=finance_user, payment_id=paid.id)
    # a reversal is dated the day it is made: move it to the 12th so the ledger is fixed
    SupplierPayment.objects.filter(pk=reversal.pk).update(document_date=nov(12))
    return wahaha


PERIODS = [
    (oct_(1), oct_(31)),
    (nov(1), nov(30)),
    (oct_(21), nov(4)),
    (nov(4), nov(11)),
    (nov(11), nov(30)),
    (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)),  # nothing in it
    (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)),  # before the first document
]


@pytest.mark.parametrize(("date_from", "date_to"), PERIODS)
def test_statement_as_the_python_sum_of_every_entry(ledger, finance_user, date_from, date_to):
    found = selectors.statement(finance_user, supplier=ledger, date_from=date_from, date_to=date_to)
    assert found == python_statement(
        finance_user, supplier=ledger, date_from=date_from, date_to=date_to
    )
    assert found.closing == found.opening + found.increase - found.decrease


def test_hand_computed_november(ledger, finance_user):
    found = selectors.statement(finance_user, supplier=ledger, date_from=nov(1), date_to=nov(30))
    # 144.00 + 96.00 + 0.60 (difference) − 50.00 on account
    assert found.opening == D("190.60")
    assert [(r["source"], r["amount"]) for r in found.rows] == [
        ("purchase_return", D("-24.00")),
        ("supplier_invoice", D("0.30")),  # 3 boxes at 24.10 against 24.00
        ("supplier_payment", D("-164.60")),
        ("supplier_payment", D("164.60")),  # its reversal
    ]
    assert found.closing == D("166.90")


def test_constant_queries_whatever_the_earlier_documents(
    make_order, receive, wahaha, finance_user, monkeypatch
):
    order = make_order(40, "24.00", day=datetime.date(2026, 1, 5))
    store_id = receive(order, 1, datetime.date(2026, 2, 1)).store_id
    receive(order, 1, nov(2))

    def pay_on_account(day: datetime.date) -> None:
        payments.create_supplier_payment(
            user=finance_user,
            supplier_id=wahaha.id,
            amount=D("1.00"),
            store_id=store_id,
            document_date=day,
            post=True,
        )

    pay_on_account(datetime.date(2026, 3, 1))

    def statement():
        return selectors.statement(finance_user, supplier=wahaha, date_from=nov(1), date_to=nov(30))

    def open_items():
        return selectors.supplier_open_items(account.Query(supplier_ids=[wahaha.id]))

    statement()  # the user's permissions and stores are cached after the first call
    with CaptureQueriesContext(connection) as few:
        statement()
    with CaptureQueriesContext(connection) as few_open:
        assert len(open_items()) == 3
    for n in range(2, 12):
        receive(order, 1, datetime.date(2026, 2, n))
        pay_on_account(datetime.date(2026, 3, n))
    loaded = []
    for key, src in list(account._SOURCES.items()):  # count the entries the sources build

        def counted(query, _entries=src.entries):
            found = list(_entries(query))
            loaded.extend(found)
            return found

        monkeypatch.setitem(account._SOURCES, key, dataclasses.replace(src, entries=counted))
    with CaptureQueriesContext(connection) as many:
        found = statement()
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as many_open:
        found_open = open_items()
    assert len(many_open) == len(few_open)  # the sums, then the numbers of the open ones
    assert len(found_open) == 23  # 12 receipts, 11 payments on account
    # the statement built the period's receipt only, the open items no entry at all
    assert len(loaded) == 1
    assert found.opening == D("24.00") * 11 - D("11.00")
    assert len(found.rows) == 1


def _both_open_items(query: account.Query):
    return (
        selectors.supplier_open_items(query),
        selectors.open_items(account.entries(query)),
    )


@pytest.mark.parametrize("date_to", [None, oct_(31), nov(4), nov(11)])
def test_open_items_in_sql_as_the_python_sum_of_the_entries(ledger, date_to):
    query = account.Query(supplier_ids=[ledger.id], date_to=date_to)
    in_sql, in_python = _both_open_items(query)
    assert in_sql == in_python
    assert in_sql  # the ledger leaves items open on every one of these days


def test_open_items_of_the_ledger_by_hand(ledger, finance_user):
    found = selectors.supplier_open_items(account.Query(supplier_ids=[ledger.id]))
    # the October invoice (144.60, its payment reversed), the second receipt less the 1 box
    # returned and the 72.00 invoiced (0.00: left out), the November invoice 72.30, and
    # the 50.00 paid on account; the reversed payment's 20.00 on account cancels out
    assert sorted((item.kind, item.amount) for item in found) == [
        ("supplierinvoice", D("72.30")),
        ("supplierinvoice", D("144.60")),
        ("supplierpayment", D("-50.00")),
    ]
    assert sum(item.amount for item in found) == D("166.90")  # the closing balance
