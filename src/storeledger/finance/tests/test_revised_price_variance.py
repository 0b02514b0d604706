"""An order line's price revised (修订) after part of it was received: what was received stays
at the price then — in stock, in the receipt's value and on the supplier account — and the
supplier invoice matching compares that receipt line with the price then, so an invoice at the
new price shows the difference (an invoice price variance) as a price_difference to accept.
The rest, received after the revision, is matched at the new price."""

import datetime
from decimal import Decimal

import pytest

from storeledger.finance import selectors
from storeledger.finance.services import invoices
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.inventory.models import StockMove
from storeledger.purchasing.services import orders
from storeledger.purchasing.services.orders import RevisionLineInput

D = Decimal


@pytest.fixture
def revised_between_receipts(make_order, receive, buyer, sku, box):
    """10 箱 ordered at 24.00 incl. 13 % VAT; 6 received on 2 Nov; the price revised to 26.00;
    the other 4 received on 4 Nov. (first receipt, second receipt)"""
    order = make_order(10, "24.00")
    first = receive(order, 6, datetime.date(2026, 11, 2))
    line = order.lines.get()
    order.refresh_from_db()
    orders.revise_purchase_order(
        user=buyer,
        order_id=order.id,
        version=order.version,
        reason="供应商涨价",
        lines=[
            RevisionLineInput(
                line_id=line.id, sku_id=sku.id, quantity=D(10), unit_id=box.id, price=D("26.00")
            )
        ],
    )
    second = receive(order, 4, datetime.date(2026, 11, 4))
    return first, second


def test_received_goods_keep_the_price_then_and_the_invoice_shows_the_variance(
    revised_between_receipts, wahaha, finance_user
):
    first, second = revised_between_receipts
    first_line, second_line = first.lines.get(), second.lines.get()

    # stock: each receipt at the order's net value of its day (the order line's net 212.39 then 230.09, pro rata)
    costs = dict(
        StockMove.objects.filter(line_id__in=[first_line.id, second_line.id]).values_list(
            "line_id", "value"
        )
    )
    assert costs == {first_line.id: D("127.4340"), second_line.id: D("92.0360")}
    # the supplier account: the first receipt still owes 6 × 24.00, the second 4 × 26.00
    assert selectors.supplier_balances(finance_user)[wahaha.id] == D("248.00")
    open_lines = {
        row["receipt"]: (row["price"], row["amount"])
        for row in selectors.uninvoiced_lines(finance_user, supplier_id=wahaha.id)
    }
    assert open_lines == {
        first.id: (D("24.0000"), D("144.00")),
        second.id: (D("26.0000"), D("104.00")),
    }

    # the supplier invoices all 10 at the new price: the first receipt's line differs by 2.00 a 箱
    invoice = invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="IPV1",
        invoice_date=datetime.date(2026, 11, 5),
        lines=[
            InvoiceLineInput(receipt_line_id=first_line.id, price=D("26.00")),
            InvoiceLineInput(receipt_line_id=second_line.id, price=D("26.00")),
        ],
    )
    rows = [
        (
            row.receipt_line_id,
            row.expected_price,
            row.receipt_amount,
            row.gross_amount,
            row.price_difference,
        )
        for row in invoice.lines.order_by("line_no")
    ]
    assert rows == [
        (first_line.id, D("24.0000"), D("144.00"), D("156.00"), True),
        (second_line.id, D("26.0000"), D("104.00"), D("104.00"), False),
    ]


def test_the_migration_fills_the_price_then_of_lines_written_before_it(revised_between_receipts):
    from importlib import import_module

    from django.apps import apps

    from storeledger.purchasing.models import PurchaseReceiptLine

    backfill = import_module(
        "storeledger.purchasing.migrations.0009_backfill_receipt_order_price"
    ).backfill
    first, second = revised_between_receipts
    # as a line written before 0008 stands: no price kept
    PurchaseReceiptLine.objects.filter(receipt__in=[first, second]).update(order_price=None)

    backfill(apps, None)

    prices = dict(
        PurchaseReceiptLine.objects.filter(receipt__in=[first, second]).values_list(
            "receipt_id", "order_price"
        )
    )
    assert prices == {first.id: D("24.0000"), second.id: D("26.0000")}
