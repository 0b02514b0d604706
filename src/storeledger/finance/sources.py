"""The built-in sources of the supplier account (finance.account): posted purchase receipts,
purchase returns (debit notes), supplier invoices and supplier payments. Each reads its
documents in a constant number of queries whatever their number."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from storeledger.core.quantities import ZERO
from storeledger.finance.account import (
    Entry,
    Part,
    Query,
    Source,
    filter_query,
    register_returned_quantities,
    register_source,
)
from storeledger.finance.models import (
    BOOKED_STATUSES,
    SupplierInvoice,
    SupplierInvoiceLine,
    SupplierPayment,
    SupplierPaymentAllocation,
)
from storeledger.finance.valuation import due_date, gross_price_when_received, line_gross
from storeledger.purchasing.models import (
    PurchaseReceipt,
    PurchaseReceiptCharge,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
    PurchaseReturn,
    PurchaseReturnLine,
)

RECEIPT, INVOICE, PAYMENT = "purchase_receipt", "supplier_invoice", "supplier_payment"
RETURN = "purchase_return"
RECEIPT_ITEM, INVOICE_ITEM, PAYMENT_ITEM = "purchasereceipt", "supplierinvoice", "supplierpayment"


def receipt_amounts(receipt_ids: list[int]) -> dict[int, Decimal]:
    """{receipt id: the accepted goods' amount incl. tax (finance.valuation), plus the landed
    cost charges payable to the supplier, incl. their tax}. A charge paid to another party (a
    carrier, a customs broker) is not owed to the supplier and is left out."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for receipt_id, amount in (
        PurchaseReceiptCharge.objects.filter(receipt_id__in=receipt_ids, payable_to_supplier=True)
        .values("receipt_id")
        .annotate(amount=Sum(F("amount") + F("tax_amount")))
        .values_list("receipt_id", "amount")
        .order_by("receipt_id")
    ):
        totals[receipt_id] += amount
    rows = PurchaseReceiptLine.objects.filter(
        receipt_id__in=receipt_ids, base_quantity__gt=0
    ).values_list(
        "receipt_id",
        "base_quantity",
        "unit_cost",
        "order_line__gross_amount",
        "order_line__base_quantity",
        "receipt__supplier__tax_rate",
        "factor",
        "order_price",
        "order_line__price",
        "order_line__factor",
        "order_line__discount",
        "order_line__tax_rate",
        "order_line__order__prices_include_tax",
    )
    for (
        receipt_id,
        base,
        unit_cost,
        order_gross,
        order_base,
        rate,
        factor,
        order_price,
        price,
        order_factor,
        discount,
        order_rate,
        with_tax,
    ) in rows:
        totals[receipt_id] += line_gross(
            base_quantity=base,
            unit_cost=unit_cost,
            order_gross=order_gross,
            order_base_quantity=order_base,
            supplier_tax_rate=rate,
            received_gross_price=gross_price_when_received(
                order_price=order_price,
                price=price,
                order_factor=order_factor,
                discount=discount,
                factor=factor,
                tax_rate=order_rate,
                prices_include_tax=with_tax,
            ),
            factor=factor,
        )
    return totals


def receipt_entries(query: Query) -> list[Entry]:
    receipts = list(
        filter_query(
            PurchaseReceipt.objects.filter(status=PurchaseReceiptStatus.POSTED), query
        ).values_list(
            "id",
            "number",
            "document_date",
            "supplier_id",
            "store_id",
            "supplier__payment_terms_days",
            "reference",
            "posted_at",
        )
    )
    amounts = receipt_amounts([row[0] for row in receipts])
    out = []
    for pk, number, day, supplier_id, store_id, terms, reference, posted_at in receipts:
        amount = amounts.get(pk, ZERO)
        out.append(
            Entry(
                source=RECEIPT,
                document_id=pk,
                number=number,
                date=day,
                supplier_id=supplier_id,
                store_id=store_id,
                amount=amount,
                parts=(Part((RECEIPT_ITEM, pk), amount, due_date(day, terms), number),),
                reference=reference,
                posted_at=posted_at,
            )
        )
    return out


def return_entries(query: Query) -> list[Entry]:
    """Debit notes: every purchase return that took goods back (posted, or posted and later
    reversed) at its amount incl. tax (the receipt's prices), and every reversing return
    (negative amounts); each settles the receipts its lines came from."""
    returns = list(
        filter_query(PurchaseReturn.objects.filter(posted_at__isnull=False), query).values_list(
            "id",
            "number",
            "document_date",
            "supplier_id",
            "store_id",
            "reference",
            "posted_at",
            "reversal_of_id",
            "total_gross",
        )
    )
    by_receipt: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for document_id, receipt_id, amount in (
        PurchaseReturnLine.objects.filter(document_id__in=[row[0] for row in returns])
        .values("document_id", "receipt_line__receipt_id")
        .annotate(amount=Sum("gross_amount"))
        .values_list("document_id", "receipt_line__receipt_id", "amount")
        .order_by("document_id", "receipt_line__receipt_id")
    ):
        by_receipt[document_id].append((receipt_id, amount))
    return [
        Entry(
            source=RETURN,
            document_id=pk,
            number=number,
            date=day,
            supplier_id=supplier_id,
            store_id=store_id,
            amount=-gross,
            parts=tuple(Part((RECEIPT_ITEM, r), -amount) for r, amount in by_receipt[pk]),
            reference=reference,
            reversal=reversal_of is not None,
            posted_at=posted_at,
        )
        for pk, number, day, supplier_id, store_id, reference, posted_at, reversal_of, gross in (
            returns
        )
    ]


def returned_quantities(receipt_line_ids) -> dict[int, Decimal]:
    """{receipt line id: base quantity gone back to the supplier} (purchasing counts it)."""
    return dict(
        PurchaseReceiptLine.objects.filter(
            pk__in=list(receipt_line_ids), returned_quantity__gt=0
        ).values_list("id", "returned_quantity")
    )


def invoice_entries(query: Query) -> list[Entry]:
    invoices = list(
        filter_query(
            SupplierInvoice.objects.filter(status__in=BOOKED_STATUSES), query
        ).select_related("reversal_of")
    )
    by_receipt: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for invoice_id, receipt_id, amount in (
        SupplierInvoiceLine.objects.filter(invoice_id__in=[i.id for i in invoices])
        .values("invoice_id", "receipt_id")
        .annotate(amount=Sum("receipt_amount"))
        .values_list("invoice_id", "receipt_id", "amount")
        .order_by("invoice_id", "receipt_id")
    ):
        by_receipt[invoice_id].append((receipt_id, amount))
    out = []
    for invoice in invoices:
        original = invoice.reversal_of or invoice
        parts = [
            Part(
                (INVOICE_ITEM, original.id),
                invoice.total_gross,
                original.due_date if invoice.reversal_of_id is None else None,
                original.number,
            )
        ]
        parts += [Part((RECEIPT_ITEM, r), -amount) for r, amount in by_receipt[invoice.id]]
        out.append(
            Entry(
                source=INVOICE,
                document_id=invoice.id,
                number=invoice.number,
                date=invoice.document_date,
                supplier_id=invoice.supplier_id,
                store_id=invoice.store_id,
                amount=invoice.total_gross - invoice.receipt_amount,
                parts=tuple(parts),
                reference=invoice.invoice_no,
                reversal=invoice.reversal_of_id is not None,
                posted_at=invoice.posted_at,
            )
        )
    return out


def payment_entries(query: Query) -> list[Entry]:
    payments = list(
        filter_query(SupplierPayment.objects.filter(status__in=BOOKED_STATUSES), query).only(
            "id",
            "number",
            "document_date",
            "supplier_id",
            "store_id",
            "amount",
            "reference",
            "posted_at",
            "reversal_of_id",
        )
    )
    allocations: dict[int, list[Part]] = defaultdict(list)
    for payment_id, invoice_id, receipt_id, amount in SupplierPaymentAllocation.objects.filter(
        payment_id__in=[p.id for p in payments]
    ).values_list("payment_id", "invoice_id", "receipt_id", "amount"):
        item = (INVOICE_ITEM, invoice_id) if invoice_id else (RECEIPT_ITEM, receipt_id)
        allocations[payment_id].append(Part(item, -amount))
    out = []
    for payment in payments:
        parts = allocations[payment.id]
        rest = payment.amount - sum((-p.amount for p in parts), ZERO)
        if rest:
            original_id = payment.reversal_of_id or payment.id
            parts.append(
                Part(
                    (PAYMENT_ITEM, original_id),
                    -rest,
                    payment.document_date if payment.reversal_of_id is None else None,
                    payment.number,
                )
            )
        out.append(
            Entry(
                source=PAYMENT,
                document_id=payment.id,
                number=payment.number,
                date=payment.document_date,
                supplier_id=payment.supplier_id,
                store_id=payment.store_id,
                amount=-payment.amount,
                parts=tuple(parts),
                reference=payment.reference,
                reversal=payment.reversal_of_id is not None,
                posted_at=payment.posted_at,
            )
        )
    return out


def register() -> None:
    register_source(
        Source(RECEIPT, _("Purchase receipt"), receipt_entries, api_path="purchase-receipts")
    )
    register_source(
        Source(RETURN, _("Purchase return"), return_entries, api_path="purchase-returns")
    )
    register_returned_quantities(RETURN, returned_quantities)
    register_source(
        Source(INVOICE, _("Supplier invoice"), invoice_entries, api_path="supplier-invoices")
    )
    register_source(
        Source(PAYMENT, _("Supplier payment"), payment_entries, api_path="supplier-payments")
    )
