"""The demo's payables (issue 12): supplier invoices and payments over the demo's purchase
receipts, through the real services, so the finance pages show real figures — an invoice with
a price difference accepted by finance, one partly paid, one open, a supplier paid without
invoice, and three months of history with receipts, invoices and payments so the ageing fills
several buckets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from storeledger.catalog.models import Tracking
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput
from storeledger.org.models import Warehouse
from storeledger.purchasing.models import PurchaseReceipt, PurchaseReceiptStatus, SupplierItem
from storeledger.purchasing.services import orders, receipts

# the reference of the history's orders (the demo's other orders are one per state)
HISTORY_REFERENCE = "往期采购"
# receipts of the history: days ago, invoiced (days after the receipt) and paid (share)
HISTORY = ((100, 5, Decimal(1)), (70, 5, Decimal("0.5")), (40, 3, Decimal(0)), (15, None, None))


def load(master, today: datetime.date) -> None:
    store = master.stores.get("0001")
    if store is None:
        return
    users = master.users
    finance = users["finance1"]
    warehouse = Warehouse.objects.filter(store=store, kind="normal").order_by("id").first()
    current = list(
        PurchaseReceipt.objects.filter(store=store, status=PurchaseReceiptStatus.POSTED).order_by(
            "id"
        )
    )
    history(master, warehouse, today)
    for index, receipt in enumerate(current):
        lines = list(receipt.lines.filter(base_quantity__gt=0).order_by("line_no"))
        if not lines:
            continue
        if index == 2:  # a small supplier without invoices: paid against the receipt
            open_amount = invoices_open(receipt)
            payments.create_supplier_payment(
                user=finance,
                supplier_id=receipt.supplier_id,
                amount=open_amount,
                method="online",
                reference=f"ZFB{receipt.id:08d}",
                allocations=[AllocationInput(amount=open_amount, receipt_id=receipt.id)],
                post=True,
            )
            continue
        rise = index == 0  # the supplier's price rise, agreed by phone: 3 % on the first line
        invoice = invoices.create_supplier_invoice(
            user=finance,
            supplier_id=receipt.supplier_id,
            invoice_no=f"{44000000 + receipt.id}",
            invoice_date=today,
            lines=[
                InvoiceLineInput(
                    receipt_line_id=line.id,
                    price=_risen(line) if rise and number == 0 else None,
                )
                for number, line in enumerate(lines)
            ],
        )
        if rise:
            invoices.accept_differences(
                user=finance, invoice_id=invoice.id, comment="供应商调价，已电话确认"
            )
        invoices.post_supplier_invoice(user=finance, invoice_id=invoice.id)
        if index == 0:
            half = (invoice.total_gross / 2).quantize(Decimal("0.01"))
            payments.create_supplier_payment(
                user=finance,
                supplier_id=receipt.supplier_id,
                amount=half,
                method="bank_transfer",
                reference=f"HD{invoice.id:010d}",
                allocations=[AllocationInput(amount=half, invoice_id=invoice.id)],
                post=True,
            )


def _risen(line) -> Decimal:
    from storeledger.finance.valuation import expected_price

    price, _rate = expected_price(line, include_tax=line.receipt.supplier.prices_include_tax)
    return (price * Decimal("1.03")).quantize(Decimal("0.01"))


def invoices_open(receipt) -> Decimal:
    from storeledger.finance.sources import receipt_amounts

    return receipt_amounts([receipt.id])[receipt.id]


def history(master, warehouse, today: datetime.date) -> None:
    """Two suppliers' receipts of the last months, invoiced a few days later and paid in part
    (the oldest in full): the ageing shows several buckets."""
    users = master.users
    buyer, manager, keeper, finance = (
        users["buyer1"],
        users["manager1"],
        users["keeper1"],
        users["finance1"],
    )
    items = list(
        SupplierItem.objects.filter(preferred=True, active=True)
        .select_related("sku__product", "supplier")
        .order_by("-supplier__code", "sku__code")
    )
    by_supplier: dict[int, list[SupplierItem]] = {}
    for item in items:
        by_supplier.setdefault(item.supplier_id, []).append(item)
    for group in list(by_supplier.values())[:2]:
        item = group[0]
        for days_ago, invoiced_after, paid in HISTORY:
            day = today - datetime.timedelta(days=days_ago)
            order = orders.create_purchase_order(
                user=buyer,
                supplier_id=item.supplier_id,
                warehouse_id=warehouse.id,
                reference=HISTORY_REFERENCE,
                document_date=day - datetime.timedelta(days=item.effective_lead_time_days),
                lines=[orders.OrderLineInput(sku_id=item.sku_id, quantity=Decimal(5))],
            )
            orders.submit_purchase_order(user=buyer, order_id=order.id)
            orders.approve_purchase_order(user=manager, order_id=order.id)
            line = order.lines.get()
            batch = (
                {"batch_no": f"{day:%Y%m%d}-H{order.id}", "production_date": day}
                if item.sku.product.tracking == Tracking.BATCH
                else {}
            )
            receipt = receipts.create_purchase_receipt(
                user=keeper,
                order_id=order.id,
                document_date=day,
                reference=f"送货单 H{order.id:04d}",
                post=True,
                lines=[
                    receipts.ReceiptLineInput(
                        order_line_id=line.id, quantity=line.quantity, **batch
                    )
                ],
            )
            if invoiced_after is None:
                continue
            invoice_day = day + datetime.timedelta(days=invoiced_after)
            invoice = invoices.create_supplier_invoice(
                user=finance,
                supplier_id=item.supplier_id,
                invoice_no=f"{33000000 + receipt.id}",
                invoice_date=invoice_day,
                lines=[InvoiceLineInput(receipt_line_id=receipt.lines.get().id)],
                post=True,
            )
            if paid:
                amount = (invoice.total_gross * paid).quantize(Decimal("0.01"))
                payments.create_supplier_payment(
                    user=finance,
                    supplier_id=item.supplier_id,
                    amount=amount,
                    method="acceptance_bill" if paid == 1 else "bank_transfer",
                    document_date=invoice_day + datetime.timedelta(days=20),
                    reference=f"HP{invoice.id:06d}",
                    allocations=[AllocationInput(amount=amount, invoice_id=invoice.id)],
                    post=True,
                )
