"""The whole payables cycle on hand-computed figures: an order of 10 箱 at ¥24.00 incl. 13 %
VAT, two partial receipts, an invoice with a price difference (flagged, accepted), a partial
payment, the statement and the ageing."""

import datetime
from decimal import Decimal

import pytest

from storeledger.core.errors import PermissionDenied, StateConflict
from storeledger.finance import account, selectors
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput

D = Decimal
NOV = datetime.date(2026, 11, 1)


def day(n: int) -> datetime.date:
    return NOV.replace(day=n)


@pytest.fixture
def two_receipts(make_order, receive):
    order = make_order(10, "24.00")
    first = receive(order, 6, day(2))  # 6 × 24.00 = 144.00
    second = receive(order, 4, day(10))  # 4 × 24.00 = 96.00
    return order, first, second


def test_order_receipts_invoice_with_difference_payment_statement(
    two_receipts, wahaha, finance_user, approver, buyer
):
    _order, first, second = two_receipts
    assert selectors.supplier_balances(finance_user) == {wahaha.id: D("240.00")}

    invoice = invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="03317788",
        invoice_date=day(15),
        lines=[
            # 24.50 is 2.08 % above the order's 24.00: beyond the 1 % tolerance
            InvoiceLineInput(receipt_line_id=first.lines.get().id, price=D("24.50")),
            InvoiceLineInput(receipt_line_id=second.lines.get().id),
        ],
    )
    first_line, second_line = invoice.lines.order_by("line_no")
    assert (first_line.quantity, first_line.expected_price, first_line.price) == (
        D(6),
        D("24.0000"),
        D("24.50"),
    )
    assert first_line.price_difference and not first_line.quantity_difference
    assert not second_line.price_difference
    assert invoice.total_gross == D("243.00")  # 147.00 + 96.00
    assert invoice.receipt_amount == D("240.00")
    assert invoice.due_date == day(15) + datetime.timedelta(days=30)

    # not silently accepted: posting waits for an explicit accept, by a permitted user
    with pytest.raises(StateConflict) as refused:
        invoices.post_supplier_invoice(user=finance_user, invoice_id=invoice.id)
    assert refused.value.code == "unaccepted_differences"
    assert "lines.0.price" in refused.value.fields
    with pytest.raises(PermissionDenied):
        invoices.accept_differences(user=buyer, invoice_id=invoice.id)
    invoices.accept_differences(
        user=finance_user, invoice_id=invoice.id, comment="supplier's price rise agreed"
    )
    first_line.refresh_from_db()
    assert first_line.accepted_by == finance_user
    invoices.post_supplier_invoice(user=finance_user, invoice_id=invoice.id)

    payment = payments.create_supplier_payment(
        user=finance_user,
        supplier_id=wahaha.id,
        amount=D("200.00"),
        method="bank_transfer",
        document_date=day(20),
        allocations=[AllocationInput(amount=D("200.00"), invoice_id=invoice.id)],
        post=True,
    )
    assert payment.store_id == first.store_id

    found = selectors.statement(finance_user, supplier=wahaha, date_from=NOV, date_to=day(30))
    assert found.opening == 0
    assert [(r["number"], r["increase"], r["decrease"], r["balance"]) for r in found.rows] == [
        (first.number, D("144.00"), 0, D("144.00")),
        (second.number, D("96.00"), 0, D("240.00")),
        (invoice.number, D("3.00"), 0, D("243.00")),
        (payment.number, 0, D("200.00"), D("43.00")),
    ]
    assert found.closing == D("43.00")
    later = selectors.statement(finance_user, supplier=wahaha, date_from=day(16), date_to=day(30))
    assert (later.opening, later.closing, len(later.rows)) == (D("243.00"), D("43.00"), 1)

    # what is left is the invoice's 43.00, due 30 days after the invoice date
    [row] = selectors.ageing(finance_user, as_of=day(30))
    assert (row["not_due"], row["total"]) == (D("43.00"), D("43.00"))
    [row] = selectors.ageing(finance_user, as_of=datetime.date(2026, 12, 5))
    assert row["not_due"] == D("43.00")


def test_reversals_cancel_out(two_receipts, wahaha, finance_user):
    _order, first, _second = two_receipts
    invoice = invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="A1",
        invoice_date=day(15),
        lines=[InvoiceLineInput(receipt_line_id=first.lines.get().id, price=D("24.10"))],
        post=True,
    )
    assert invoice.total_gross == D("144.60")  # within the 1 % tolerance: not flagged
    payment = payments.create_supplier_payment(
        user=finance_user,
        supplier_id=wahaha.id,
        amount=D("100.00"),
        allocations=[AllocationInput(amount=D("100.00"), invoice_id=invoice.id)],
        post=True,
    )
    before = selectors.supplier_balances(finance_user)[wahaha.id]
    assert before == D("140.60")  # 240.00 + 0.60 − 100.00
    # an invoice something is paid against cannot be reversed before the payment
    with pytest.raises(StateConflict) as refused:
        invoices.reverse_supplier_invoice(user=finance_user, invoice_id=invoice.id)
    assert refused.value.code == "invoice_paid"
    payments.reverse_supplier_payment(user=finance_user, payment_id=payment.id)
    invoices.reverse_supplier_invoice(user=finance_user, invoice_id=invoice.id)
    assert selectors.supplier_balances(finance_user)[wahaha.id] == D("240.00")
    entries = account.entries(account.Query(supplier_ids=[wahaha.id]))
    assert len(entries) == 6  # 2 receipts, invoice and its reversal, payment and its reversal
    # the receipt line can be invoiced again, in full
    [line] = [
        r
        for r in selectors.uninvoiced_lines(finance_user, supplier_id=wahaha.id)
        if r["receipt"] == first.id
    ]
    assert line["open_quantity"] == D(6)


def test_ageing_buckets_by_due_date(make_order, receive, wahaha, finance_user):
    as_of = day(30)
    order = make_order(50, "24.00", day=as_of - datetime.timedelta(days=160))

    def back(days):
        return as_of - datetime.timedelta(days=days)

    receive(order, 1, back(20))  # due in 10 days: not due, 24.00
    receive(order, 2, back(50))  # 20 days overdue: 0–30, 48.00
    receive(order, 3, back(75))  # 45 days: 31–60, 72.00
    receive(order, 4, back(100))  # 70 days: 61–90, 96.00
    oldest = receive(order, 5, back(150))  # 120 days: > 90, 120.00
    payments.create_supplier_payment(
        user=finance_user,
        supplier_id=wahaha.id,
        amount=D("100.00"),
        document_date=back(10),
        allocations=[AllocationInput(amount=D("100.00"), receipt_id=oldest.id)],
        post=True,
    )
    [row] = selectors.ageing(finance_user, as_of=as_of)
    assert {k: row[k] for k in selectors.BUCKETS} == {
        "not_due": D("24.00"),
        "days_0_30": D("48.00"),
        "days_31_60": D("72.00"),
        "days_61_90": D("96.00"),
        "days_over_90": D("20.00"),
    }
    assert row["total"] == D("260.00") == selectors.supplier_balances(finance_user)[wahaha.id]
    # a receipt paid without an invoice cannot be invoiced any more
    with pytest.raises(StateConflict) as refused:
        invoices.create_supplier_invoice(
            user=finance_user,
            supplier_id=wahaha.id,
            invoice_no="X",
            invoice_date=as_of,
            lines=[InvoiceLineInput(receipt_line_id=oldest.lines.get().id)],
        )
    assert refused.value.code == "receipt_paid_directly"


def test_cycle_with_a_return_before_the_invoice(two_receipts, wahaha, finance_user, approver):
    """order 10 箱 → receipts 6 + 4 → 1 箱 of the second goes back (a debit note of 24.00) →
    the invoice can take only 3 of the second receipt → payment → statement."""
    from storeledger.purchasing.services.returns import ReturnLineInput, create_purchase_return

    _order, first, second = two_receipts
    back = create_purchase_return(
        user=approver,
        receipt_id=second.id,
        document_date=day(12),
        lines=[ReturnLineInput(receipt_line_id=second.lines.get().id, quantity=D(1))],
        post=True,
    )
    assert back.total_gross == D("24.00")
    assert selectors.supplier_balances(finance_user)[wahaha.id] == D("216.00")
    [open_line] = [
        r
        for r in selectors.uninvoiced_lines(finance_user, supplier_id=wahaha.id)
        if r["receipt"] == second.id
    ]
    assert open_line["open_quantity"] == D(3)
    with pytest.raises(StateConflict) as refused:
        invoices.create_supplier_invoice(
            user=finance_user,
            supplier_id=wahaha.id,
            invoice_no="R1",
            invoice_date=day(15),
            lines=[InvoiceLineInput(receipt_line_id=second.lines.get().id, quantity=D(4))],
        )
    assert refused.value.code == "over_invoiced"

    invoice = invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="R1",
        invoice_date=day(15),
        lines=[
            InvoiceLineInput(receipt_line_id=first.lines.get().id, price=D("24.50")),
            InvoiceLineInput(receipt_line_id=second.lines.get().id),
        ],
    )
    assert (invoice.total_gross, invoice.receipt_amount) == (D("219.00"), D("216.00"))
    invoices.accept_differences(user=finance_user, invoice_id=invoice.id, comment="ok")
    invoices.post_supplier_invoice(user=finance_user, invoice_id=invoice.id)
    payment = payments.create_supplier_payment(
        user=finance_user,
        supplier_id=wahaha.id,
        amount=D("200.00"),
        document_date=day(20),
        allocations=[AllocationInput(amount=D("200.00"), invoice_id=invoice.id)],
        post=True,
    )
    found = selectors.statement(finance_user, supplier=wahaha, date_from=NOV, date_to=day(30))
    assert [(r["number"], r["amount"], r["balance"]) for r in found.rows] == [
        (first.number, D("144.00"), D("144.00")),
        (second.number, D("96.00"), D("240.00")),
        (back.number, D("-24.00"), D("216.00")),
        (invoice.number, D("3.00"), D("219.00")),
        (payment.number, D("-200.00"), D("19.00")),
    ]
    assert found.closing == D("19.00")
    [row] = selectors.ageing(finance_user, as_of=day(30))
    assert (row["not_due"], row["total"]) == (D("19.00"), D("19.00"))


def test_a_case_line_with_a_piece_returned_is_invoiced_to_its_last_piece(
    two_receipts, wahaha, finance_user, approver, sku
):
    """1 piece of the second receipt's 4 箱 (48 pieces) goes back: 47 pieces are open, shown as
    3.9167 箱; that quantity (given, or by default) invoices all 47 (3.9167 × 12 = 47.0004 would
    otherwise read as more than is open) and the line is then fully invoiced."""
    from storeledger.purchasing.services.returns import ReturnLineInput, create_purchase_return

    _order, _first, second = two_receipts
    line = second.lines.get()
    create_purchase_return(
        user=approver,
        receipt_id=second.id,
        document_date=day(12),
        lines=[
            ReturnLineInput(
                receipt_line_id=line.id, quantity=D(1), unit_id=sku.product.base_unit_id
            )
        ],
        post=True,
    )
    [open_line] = [
        r
        for r in selectors.uninvoiced_lines(finance_user, supplier_id=wahaha.id)
        if r["receipt"] == second.id
    ]
    assert open_line["open_quantity"] == D("3.9167")

    for number, quantity in (("P1", None), ("P2", D("3.9167"))):
        invoice = invoices.create_supplier_invoice(
            user=finance_user,
            supplier_id=wahaha.id,
            invoice_no=number,
            invoice_date=day(15),
            lines=[InvoiceLineInput(receipt_line_id=line.id, quantity=quantity)],
        )
        [invoiced] = invoice.lines.all()
        assert (invoiced.quantity, invoiced.base_quantity) == (D("3.9167"), D(47))
        assert (invoice.total_gross, invoice.receipt_amount) == (D("94.00"), D("94.00"))
        if number == "P1":
            invoices.cancel_supplier_invoice(user=finance_user, invoice_id=invoice.id)
    assert not [
        r
        for r in selectors.uninvoiced_lines(finance_user, supplier_id=wahaha.id)
        if r["receipt"] == second.id
    ]
