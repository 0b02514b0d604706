"""Read queries of payables: supplier balances, the statement of account (往来对账单), the
ageing of what is owed, open items, and the receipt lines not yet invoiced. Everything is
read from the supplier account (finance.account) within the user's stores."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from storeledger.accounts import scope
from storeledger.core.quantities import ZERO, qty
from storeledger.finance import account, aggregates
from storeledger.finance.account import Entry, ItemKey, Query
from storeledger.finance.models import ACTIVE_STATUSES, SupplierInvoiceLine
from storeledger.finance.valuation import expected_price, receipt_line_gross
from storeledger.partners.models import Supplier
from storeledger.purchasing.models import PurchaseReceiptLine, PurchaseReceiptStatus


def store_ids(user, store_id: int | None = None) -> list[int] | None:
    """The stores a payables query covers: `store_id` (checked against the scope) or the
    user's stores (None: every store)."""
    if store_id is not None:
        scope.ensure_stores(user, [store_id])
        return [store_id]
    allowed = scope.store_ids(user)
    return None if allowed is None else sorted(allowed)


# ---------------------------------------------------------------- open items


@dataclass
class OpenItem:
    key: ItemKey
    supplier_id: int
    store_id: int
    number: str
    date: datetime.date  # of the document that opened it
    due_date: datetime.date
    amount: Decimal  # still open: + owed, − a credit (payment on account, debit note)

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def document_id(self) -> int:
        return self.key[1]


def open_items(entries: list[Entry]) -> list[OpenItem]:
    """The parts of `entries` summed per item; items with nothing left open are left out."""
    items: dict[ItemKey, OpenItem] = {}
    for entry in entries:
        for part in entry.parts:
            item = items.get(part.item)
            if item is None:
                item = items[part.item] = OpenItem(
                    key=part.item,
                    supplier_id=entry.supplier_id,
                    store_id=entry.store_id,
                    number=part.number or entry.number,
                    date=entry.date,
                    due_date=part.due_date or entry.date,
                    amount=ZERO,
                )
            elif part.due_date is not None:
                item.due_date, item.number, item.date = part.due_date, part.number, entry.date
            item.amount += part.amount
    found = [item for item in items.values() if item.amount != 0]
    found.sort(key=lambda i: (i.due_date, i.number))
    return found


def supplier_open_items(query: Query) -> list[OpenItem]:
    """`open_items(account.entries(query))` without loading the entries: the open items summed
    in SQL (finance.aggregates), then only their documents' numbers read — a constant number of
    queries and a memory that grows with what is open, not with the history."""
    from storeledger.finance.models import SupplierInvoice, SupplierPayment
    from storeledger.finance.sources import INVOICE_ITEM, PAYMENT_ITEM, RECEIPT_ITEM
    from storeledger.purchasing.models import PurchaseReceipt

    rows = aggregates.open_item_rows(query)
    documents = {
        RECEIPT_ITEM: PurchaseReceipt,
        INVOICE_ITEM: SupplierInvoice,
        PAYMENT_ITEM: SupplierPayment,
    }
    wanted: dict[str, set[int]] = defaultdict(set)
    for _supplier, _store, kind, item, *_rest in rows:
        if item is not None:
            wanted[kind].add(item)
    numbers: dict[ItemKey, str] = {}
    for kind, ids in wanted.items():
        for pk, number in documents[kind].objects.filter(pk__in=ids).values_list("id", "number"):
            numbers[(kind, pk)] = number
    found = [
        OpenItem(
            key=(kind, item),
            supplier_id=supplier_id,
            store_id=store_id,
            number=numbers.get((kind, item), ""),
            date=day,
            due_date=due,
            amount=amount,
        )
        for supplier_id, store_id, kind, item, amount, day, due in rows
    ]
    found.sort(key=lambda i: (i.due_date, i.number))
    return found


@dataclass(frozen=True)
class DraftClaim:
    payment_id: int
    number: str
    amount: Decimal


def draft_claims(
    supplier_id: int, store_ids: list[int] | None, *, exclude_payment: int | None = None
) -> dict[ItemKey, list[DraftClaim]]:
    """What draft payments of the supplier (in the stores; None: all) claim per open item —
    each draft's allocations count against the item's open amount from the moment it is
    saved (services.payments). `exclude_payment`: the draft being edited."""
    from storeledger.finance.models import PaymentStatus, SupplierPaymentAllocation
    from storeledger.finance.sources import INVOICE_ITEM, RECEIPT_ITEM

    rows = SupplierPaymentAllocation.objects.filter(
        payment__supplier_id=supplier_id, payment__status=PaymentStatus.DRAFT
    )
    if store_ids is not None:
        rows = rows.filter(payment__store_id__in=store_ids)
    if exclude_payment is not None:
        rows = rows.exclude(payment_id=exclude_payment)
    out: dict[ItemKey, list[DraftClaim]] = defaultdict(list)
    for payment_id, number, invoice_id, receipt_id, amount in rows.order_by(
        "payment_id", "line_no"
    ).values_list("payment_id", "payment__number", "invoice_id", "receipt_id", "amount"):
        key = (INVOICE_ITEM, invoice_id) if invoice_id else (RECEIPT_ITEM, receipt_id)
        out[key].append(DraftClaim(payment_id, number, amount))
    return dict(out)


# ---------------------------------------------------------------- balances


def supplier_balances(
    user, *, as_of: datetime.date | None = None, store_id: int | None = None
) -> dict[int, Decimal]:
    """{supplier id: what is owed on `as_of` (default today)} for suppliers with entries —
    summed in SQL (finance.aggregates), whatever the history."""
    query = Query(store_ids=store_ids(user, store_id), date_to=as_of or timezone.localdate())
    return aggregates.supplier_balances(query)


# ---------------------------------------------------------------- statement


@dataclass(frozen=True)
class Statement:
    supplier: Supplier
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    rows: list[dict]
    increase: Decimal
    decrease: Decimal
    closing: Decimal


def statement(
    user,
    *,
    supplier: Supplier,
    date_from: datetime.date,
    date_to: datetime.date,
    store_id: int | None = None,
) -> Statement:
    """往来对账单: the balance before `date_from`, every document of the period in order with
    the running balance, and the balance at the end of `date_to`. The opening balance is summed
    in SQL (finance.aggregates) and only the period's documents are read, so neither the time
    nor the memory grows with the supplier's history."""
    stores = store_ids(user, store_id)
    before = Query(
        supplier_ids=[supplier.id],
        store_ids=stores,
        date_to=date_from - datetime.timedelta(days=1),
    )
    opening = aggregates.supplier_balances(before).get(supplier.id, ZERO)
    entries = account.entries(
        Query(supplier_ids=[supplier.id], store_ids=stores, date_from=date_from, date_to=date_to)
    )
    running = opening
    rows = []
    increase = decrease = ZERO
    for entry in entries:
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
    return Statement(supplier, date_from, date_to, opening, rows, increase, decrease, running)


# ---------------------------------------------------------------- ageing

BUCKETS = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90")


def bucket_of(days_overdue: int) -> str:
    if days_overdue < 0:
        return "not_due"
    if days_overdue <= 30:
        return "days_0_30"
    if days_overdue <= 60:
        return "days_31_60"
    if days_overdue <= 90:
        return "days_61_90"
    return "days_over_90"


def ageing(
    user,
    *,
    as_of: datetime.date | None = None,
    supplier_id: int | None = None,
    store_id: int | None = None,
) -> list[dict]:
    """Per supplier, what is owed on `as_of` by how long it is past its due date (the
    supplier's payment terms from the document date): not due yet, 0–30, 31–60, 61–90 and
    more than 90 days. Each row's total is the supplier's balance."""
    as_of = as_of or timezone.localdate()
    query = Query(
        supplier_ids=None if supplier_id is None else [supplier_id],
        store_ids=store_ids(user, store_id),
        date_to=as_of,
    )
    sums = aggregates.open_item_sums(query, ageing_buckets(as_of))
    suppliers = Supplier.objects.in_bulk(list(sums))
    out = []
    for supplier_id_, sums_ in sums.items():
        supplier = suppliers[supplier_id_]
        out.append(
            {
                "supplier": supplier_id_,
                **sums_,
                "supplier_code": supplier.code,
                "supplier_name": supplier.name,
            }
        )
    out.sort(key=lambda r: (-r["total"], r["supplier_code"]))
    return out


def ageing_buckets(as_of: datetime.date) -> list[aggregates.Bucket]:
    """The ageing's buckets as ranges of due dates (`bucket_of` of the days past due)."""
    days = lambda n: as_of - datetime.timedelta(days=n)  # noqa: E731
    return [
        aggregates.Bucket("not_due", first=days(-1)),
        aggregates.Bucket("days_0_30", first=days(30), last=as_of),
        aggregates.Bucket("days_31_60", first=days(60), last=days(31)),
        aggregates.Bucket("days_61_90", first=days(90), last=days(61)),
        aggregates.Bucket("days_over_90", last=days(91)),
    ]


# ---------------------------------------------------------------- invoicing


def invoiced_quantities(
    receipt_line_ids: list[int], *, exclude_invoice: int | None = None
) -> dict[int, tuple[Decimal, Decimal]]:
    """{receipt line id: (base quantity, receipt amount)} claimed by invoices that are not
    cancelled (a reversed invoice and its reversal cancel out), but `exclude_invoice`."""
    lines = SupplierInvoiceLine.objects.filter(
        receipt_line_id__in=receipt_line_ids, invoice__status__in=ACTIVE_STATUSES
    )
    if exclude_invoice is not None:
        lines = lines.exclude(invoice_id=exclude_invoice)
    return {
        row["receipt_line_id"]: (row["base"], row["amount"])
        for row in lines.values("receipt_line_id")
        .annotate(base=Sum("base_quantity"), amount=Sum("receipt_amount"))
        .order_by()
    }


def uninvoiced_lines(
    user,
    *,
    supplier_id: int,
    store_id: int | None = None,
    include_tax: bool | None = None,
    invoice_id: int | None = None,
) -> list[dict]:
    """The posted receipt lines of a supplier with a quantity not yet invoiced (nor
    returned), with the order's price an invoice should show; `invoice_id`: a draft being
    edited, whose own lines count as not invoiced."""
    supplier = Supplier.objects.get(pk=supplier_id)
    if include_tax is None:
        include_tax = supplier.prices_include_tax
    queryset = PurchaseReceiptLine.objects.filter(
        receipt__supplier_id=supplier_id,
        receipt__status=PurchaseReceiptStatus.POSTED,
        base_quantity__gt=0,
    ).select_related("receipt__supplier", "order_line__order", "sku", "unit")
    stores = store_ids(user, store_id)
    if stores is not None:
        queryset = queryset.filter(receipt__store_id__in=stores)
    lines = list(queryset.order_by("receipt__document_date", "receipt_id", "line_no"))
    ids = [line.id for line in lines]
    invoiced = invoiced_quantities(ids, exclude_invoice=invoice_id)
    returned = account.returned_quantities(ids)
    out = []
    for line in lines:
        done, _amount = invoiced.get(line.id, (ZERO, ZERO))
        open_base = line.base_quantity - done - returned.get(line.id, ZERO)
        if open_base <= 0:
            continue
        price, rate = expected_price(line, include_tax=include_tax)
        out.append(
            {
                "receipt_line": line.id,
                "receipt": line.receipt_id,
                "receipt_number": line.receipt.number,
                "receipt_date": line.receipt.document_date,
                "store": line.receipt.store_id,
                "order_line": line.order_line_id,
                "order_number": line.order_line.order.number if line.order_line else None,
                "sku": line.sku_id,
                "sku_code": line.sku.code,
                "sku_name": line.sku.name,
                "unit_name": line.unit.name,
                "received_quantity": line.quantity,
                "open_quantity": qty(open_base / line.factor),
                "price": price,
                "tax_rate": rate,
                "amount": receipt_line_gross(line),
            }
        )
    return out
