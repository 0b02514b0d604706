"""Supplier invoices 供应商发票: each line matches a posted purchase receipt line (and so its
order line) — the three-way match (docs/finance.md §2):

- quantity: a line can invoice at most what the receipt line accepted and nothing has
  invoiced (nor returned) yet — 409 over_invoiced naming the line. Every invoice that is not
  cancelled claims its quantity from the moment it is created, under the receipts' row locks,
  so two invoices racing for one receipt line cannot both have it;
- price: the invoice's price is compared with the order's price for that unit; beyond the
  company's tolerance the line is flagged `price_difference`; an order line invoiced beyond
  its ordered quantity (over-receipts) by more than the tolerance is flagged
  `quantity_difference`. A flagged line must be accepted explicitly (permission
  finance.accept_difference_supplierinvoice) before the invoice posts (409
  unaccepted_differences otherwise) — never silently.

Posting puts the invoice on the supplier account: + its amount − what the matched receipt
lines are worth (they were on the account since their receipt), i.e. the difference."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.core import lifecycle
from storeledger.core.documents import DocumentStatus, transition
from storeledger.core.errors import NotFound, StateConflict, ValidationFailed
from storeledger.core.lifecycle import (
    approved_or_skip,
    begin_reversal,
    check_lines_present,
    check_version,
    line_error,
    moment,
    new_number,
    require_status,
    save_draft,
)
from storeledger.core.quantities import ZERO, qty
from storeledger.core.services import service
from storeledger.finance import account
from storeledger.finance.models import (
    ACTIVE_STATUSES,
    InvoiceStatus,
    SupplierInvoice,
    SupplierInvoiceLine,
    SupplierPaymentAllocation,
)
from storeledger.finance.selectors import invoiced_quantities
from storeledger.finance.valuation import due_date, expected_price, receipt_line_gross
from storeledger.org.models import Company
from storeledger.partners.models import Supplier
from storeledger.purchasing.models import (
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
)
from storeledger.purchasing.services.orders import HUNDRED, TAX_RATES, order_line_amounts

KIND = "supplier_invoice"
POST_PERM = "finance.post_supplierinvoice"
S = InvoiceStatus


@dataclass(frozen=True)
class InvoiceLineInput:
    """One invoiced receipt line: `quantity` in the receipt line's unit (default: all that is
    not invoiced yet), `price` per that unit on the invoice's tax basis (default: the
    order's), `tax_rate` in percent (default: the order line's)."""

    receipt_line_id: int
    quantity: Decimal | None = None
    price: Decimal | None = None
    tax_rate: Decimal | None = None


def get_invoice(*, user, invoice_id: int, lock: bool = True) -> SupplierInvoice:
    queryset = SupplierInvoice.objects.select_related("store", "supplier")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invoice = scope.filter_stores(queryset, user).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound(_("Supplier invoice not found."))
    return invoice


def tolerance() -> Decimal:
    return Company.current().invoice_price_tolerance


def lock_receipts(receipt_ids) -> list[PurchaseReceipt]:
    """The receipts' rows, locked in id order: invoices and payments of a receipt are
    matched one at a time."""
    return list(
        PurchaseReceipt.objects.select_for_update()
        .filter(pk__in=sorted(set(receipt_ids)))
        .order_by("pk")
    )


def _supplier(supplier_id: int) -> Supplier:
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if supplier is None:
        raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
    return supplier


def _receipt_lines(user, supplier: Supplier, lines: Sequence[InvoiceLineInput]):
    ids = [line.receipt_line_id for line in lines]
    queryset = PurchaseReceiptLine.objects.select_related(
        "receipt__supplier", "order_line__order", "sku"
    ).filter(pk__in=ids)
    found = {row.id: row for row in scope.filter_warehouses(queryset, user, "receipt__warehouse")}
    store_id = None
    for index, line in enumerate(lines):
        row = found.get(line.receipt_line_id)
        if row is None:
            message = _("Receipt line #%(id)s not found.") % {"id": line.receipt_line_id}
            raise NotFound(message, fields={f"lines.{index}.receipt_line": [message]})
        receipt = row.receipt
        if receipt.status != PurchaseReceiptStatus.POSTED:
            raise line_error(
                index,
                "receipt_line",
                _("Receipt %(number)s is not posted.") % {"number": receipt.number},
                "receipt_not_posted",
            )
        if receipt.supplier_id != supplier.id:
            raise line_error(
                index,
                "receipt_line",
                _("Receipt %(number)s is from another supplier.") % {"number": receipt.number},
                "wrong_supplier",
            )
        if store_id is None:
            store_id = receipt.store_id
        elif receipt.store_id != store_id:
            raise line_error(
                index,
                "receipt_line",
                _("An invoice covers the receipts of one store."),
                "mixed_stores",
            )
        if row.base_quantity <= 0:
            raise line_error(
                index,
                "receipt_line",
                _("Nothing was accepted on this receipt line."),
                "nothing_accepted",
            )
    return found, store_id


def _check_not_paid_directly(receipt_ids: list[int]) -> None:
    paid = (
        SupplierPaymentAllocation.objects.filter(
            receipt_id__in=receipt_ids, payment__status__in=ACTIVE_STATUSES
        )
        .values("receipt_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("receipt__number", flat=True)
    )
    numbers = sorted(paid)
    if numbers:
        raise StateConflict(
            _(
                "Receipt %(number)s was paid without an invoice; it cannot be invoiced "
                "(reverse the payment first)."
            )
            % {"number": numbers[0]},
            code="receipt_paid_directly",
            details={"receipts": numbers},
        )


def _build_lines(
    invoice: SupplierInvoice,
    lines: Sequence[InvoiceLineInput],
    receipt_lines: dict[int, PurchaseReceiptLine],
    *,
    sign: int = 1,
) -> list[SupplierInvoiceLine]:
    check_lines_present(lines)
    ids = sorted(receipt_lines)
    invoiced = invoiced_quantities(ids)
    returned = account.returned_quantities(ids)
    allowed = tolerance()
    # order lines: what other invoices claim of them (quantity flags)
    order_line_ids = {rl.order_line_id for rl in receipt_lines.values() if rl.order_line_id}
    on_order: dict[int, Decimal] = defaultdict(
        lambda: ZERO,
        SupplierInvoiceLine.objects.filter(
            order_line_id__in=order_line_ids, invoice__status__in=ACTIVE_STATUSES
        )
        .values("order_line_id")
        .annotate(total=Sum("base_quantity"))
        .values_list("order_line_id", "total")
        .order_by(),
    )
    claimed: dict[int, tuple[Decimal, Decimal]] = {}
    rows = []
    for index, line in enumerate(lines):
        rl = receipt_lines[line.receipt_line_id]
        done_base, done_amount = claimed.get(rl.id) or invoiced.get(rl.id, (ZERO, ZERO))
        open_base = rl.base_quantity - done_base - returned.get(rl.id, ZERO)
        quantity = line.quantity if line.quantity is not None else qty(open_base / rl.factor)
        if quantity <= 0:
            raise line_error(
                index,
                "quantity",
                _("The quantity must be greater than zero."),
                "bad_quantity",
            )
        base = qty(quantity * rl.factor)
        if base > open_base and quantity == qty(open_base / rl.factor):
            # the open quantity as shown (a piece returned of a case: 11.9167 cases): all of it
            base = open_base
        if base > open_base:
            message = _(
                "Receipt %(number)s line %(line)s (%(sku)s): %(quantity)s cannot be invoiced, "
                "only %(open)s is not invoiced yet."
            ) % {
                "number": rl.receipt.number,
                "line": rl.line_no,
                "sku": rl.sku.code,
                "quantity": quantity,
                "open": qty(max(open_base, ZERO) / rl.factor),
            }
            raise StateConflict(
                message,
                code="over_invoiced",
                fields={f"lines.{index}.quantity": [message]},
                details={
                    "receipt_line": rl.id,
                    "receipt": rl.receipt.number,
                    "line_no": rl.line_no,
                    "open_quantity": str(qty(max(open_base, ZERO) / rl.factor)),
                },
            )
        expected, order_rate = expected_price(rl, include_tax=invoice.prices_include_tax)
        rate = order_rate if line.tax_rate is None else line.tax_rate
        if rate not in TAX_RATES:
            raise line_error(
                index, "tax_rate", _("The VAT rate must be 13, 9, 6 or 0 %."), "bad_tax_rate"
            )
        price = expected if line.price is None else line.price
        if price < 0:
            raise line_error(index, "price", _("The price cannot be negative."), "bad_price")
        amounts = order_line_amounts(
            quantity=quantity,
            price=price,
            tax_rate=rate,
            discount=ZERO,
            tax_included=invoice.prices_include_tax,
        )
        line_amount = receipt_line_gross(rl)
        if done_base + base == rl.base_quantity:
            receipt_amount = line_amount - done_amount  # the last of the line: no fen lost
        else:
            receipt_amount = (line_amount * base / rl.base_quantity).quantize(Decimal("0.01"))
        claimed[rl.id] = (done_base + base, done_amount + receipt_amount)
        price_flag = (
            abs(price - expected) > expected * allowed / HUNDRED if expected else price != 0
        ) or rate != order_rate
        quantity_flag = False
        if rl.order_line is not None:
            on_order[rl.order_line.id] += base
            limit = rl.order_line.base_quantity * (HUNDRED + allowed) / HUNDRED
            quantity_flag = on_order[rl.order_line.id] > limit
        rows.append(
            SupplierInvoiceLine(
                invoice=invoice,
                line_no=index + 1,
                receipt_line=rl,
                receipt_id=rl.receipt_id,
                order_line_id=rl.order_line_id,
                sku_id=rl.sku_id,
                quantity=qty(quantity) * sign,
                base_quantity=base * sign,
                price=price,
                expected_price=expected,
                tax_rate=rate,
                net_amount=amounts.net * sign,
                tax_amount=amounts.tax * sign,
                gross_amount=amounts.gross * sign,
                receipt_amount=receipt_amount * sign,
                price_difference=price_flag,
                quantity_difference=quantity_flag,
            )
        )
    return rows


def _set_totals(invoice: SupplierInvoice, rows: Sequence[SupplierInvoiceLine]) -> None:
    invoice.total_net = sum((r.net_amount for r in rows), ZERO)
    invoice.total_tax = sum((r.tax_amount for r in rows), ZERO)
    invoice.total_gross = sum((r.gross_amount for r in rows), ZERO)
    invoice.receipt_amount = sum((r.receipt_amount for r in rows), ZERO)


@service
def create_supplier_invoice(
    *,
    user,
    supplier_id: int,
    invoice_no: str,
    invoice_date: datetime.date,
    lines: Sequence[InvoiceLineInput],
    document_date: datetime.date | None = None,
    notes: str = "",
    post: bool = False,
) -> SupplierInvoice:
    """A draft invoice of a supplier matching posted receipt lines of one store (posted at
    once with `post`, when nothing is flagged)."""
    supplier = _supplier(supplier_id)
    invoice_no = _invoice_no(invoice_no)
    _check_invoice_date(invoice_date)
    receipt_lines, store_id = _matched_receipt_lines(user, supplier, lines)
    _check_duplicate(supplier, invoice_no)
    document_date = document_date or invoice_date
    invoice = SupplierInvoice(
        store_id=store_id,
        supplier=supplier,
        invoice_no=invoice_no,
        invoice_date=invoice_date,
        due_date=due_date(invoice_date, supplier.payment_terms_days),
        prices_include_tax=supplier.prices_include_tax,
        document_date=document_date,
        notes=notes,
        created_by=user,
    )
    scope.ensure_stores(user, [store_id])
    rows = _build_lines(invoice, lines, receipt_lines)
    _set_totals(invoice, rows)
    invoice.number = new_number(KIND, _store_code(store_id), document_date)
    invoice.save()
    SupplierInvoiceLine.objects.bulk_create(rows)
    if post:
        _post(invoice, user)
    return invoice


def _invoice_no(invoice_no: str) -> str:
    invoice_no = invoice_no.strip()
    if not invoice_no:
        message = _("Give the invoice number.")
        raise ValidationFailed(message, fields={"invoice_no": [message]})
    return invoice_no


def _check_invoice_date(invoice_date: datetime.date) -> None:
    if invoice_date > timezone.localdate():
        message = _("The invoice date lies in the future.")
        raise ValidationFailed(message, code="future_date", fields={"invoice_date": [message]})


def _matched_receipt_lines(user, supplier: Supplier, lines: Sequence[InvoiceLineInput]):
    """The lines' receipt lines (checked) and their store, the receipts locked."""
    check_lines_present(lines)
    receipt_lines, store_id = _receipt_lines(user, supplier, lines)
    receipt_ids = sorted({rl.receipt_id for rl in receipt_lines.values()})
    lock_receipts(receipt_ids)
    _check_not_paid_directly(receipt_ids)
    return receipt_lines, store_id


def _check_duplicate(supplier: Supplier, invoice_no: str, *, exclude: int | None = None) -> None:
    """409 duplicate_invoice when the supplier's invoice number is entered already."""
    duplicate = SupplierInvoice.objects.filter(
        supplier=supplier,
        invoice_no=invoice_no,
        reversal_of__isnull=True,
        status__in=[S.DRAFT, S.SUBMITTED, S.APPROVED, S.POSTED],
    )
    if exclude is not None:
        duplicate = duplicate.exclude(pk=exclude)
    found = duplicate.first()
    if found is not None:
        message = _("Invoice %(no)s of this supplier is already entered as %(number)s.") % {
            "no": invoice_no,
            "number": found.number,
        }
        raise StateConflict(message, code="duplicate_invoice", fields={"invoice_no": [message]})


@service
def update_supplier_invoice(
    *,
    user,
    invoice_id: int,
    version: int,
    invoice_no: str | None = None,
    invoice_date: datetime.date | None = None,
    document_date: datetime.date | None = None,
    notes: str | None = None,
    lines: Sequence[InvoiceLineInput] | None = None,
) -> SupplierInvoice:
    """Change a draft invoice (409 in any other status; 409 stale_version for an old
    `version`). `lines`, when given, replace them all and are matched afresh: the draft's own
    lines no longer claim their receipt lines, differences are flagged again and need a new
    accept. The supplier stays (its receipt lines are what an invoice matches)."""
    invoice = get_invoice(user=user, invoice_id=invoice_id)
    require_status(invoice, [S.DRAFT])
    check_version(invoice, version)
    fields: dict = {}
    if invoice_no is not None:
        invoice_no = _invoice_no(invoice_no)
        _check_duplicate(invoice.supplier, invoice_no, exclude=invoice.pk)
        fields["invoice_no"] = invoice_no
    if invoice_date is not None:
        _check_invoice_date(invoice_date)
        fields["invoice_date"] = invoice_date
        fields["due_date"] = due_date(invoice_date, invoice.supplier.payment_terms_days)
    if document_date is not None:
        fields["document_date"] = document_date
    if notes is not None:
        fields["notes"] = notes
    rows = None
    if lines is not None:
        receipt_lines, store_id = _matched_receipt_lines(user, invoice.supplier, lines)
        scope.ensure_stores(user, [store_id])
        invoice.lines.all().delete()  # its own claim on the receipt lines ends here
        rows = _build_lines(invoice, lines, receipt_lines)
        _set_totals(invoice, rows)
        fields["store_id"] = store_id
        for name in ("total_net", "total_tax", "total_gross", "receipt_amount"):
            fields[name] = getattr(invoice, name)
    for name, value in fields.items():
        setattr(invoice, name, value)
    save_draft(invoice, version=version, fields=fields, line_model=SupplierInvoiceLine, rows=rows)
    return invoice


def _store_code(store_id: int) -> str:
    from storeledger.org.models import Store

    return Store.objects.values_list("code", flat=True).get(pk=store_id)


@service
def accept_differences(*, user, invoice_id: int, comment: str = "") -> SupplierInvoice:
    """Accept every flagged line of an invoice not posted yet (who, when, why are kept)."""
    invoice = get_invoice(user=user, invoice_id=invoice_id)
    lifecycle.require_permission(
        invoice, user, "accept", denied=_("You may not accept invoice differences.")
    )
    require_status(invoice, [S.DRAFT, S.SUBMITTED, S.APPROVED])
    pending = [line.id for line in invoice.lines.all() if line.needs_acceptance]
    if not pending:
        raise StateConflict(
            _("This invoice has no differences to accept."), code="nothing_to_accept"
        )
    SupplierInvoiceLine.objects.filter(pk__in=pending).update(
        accepted_at=moment(None), accepted_by=user, accept_comment=comment[:200]
    )
    SupplierInvoice.objects.filter(pk=invoice.pk).update(version=F("version") + 1)
    invoice.version += 1
    return invoice


@service
def submit_supplier_invoice(*, user, invoice_id: int) -> SupplierInvoice:
    invoice = get_invoice(user=user, invoice_id=invoice_id)
    lifecycle.submit(invoice, user)
    return invoice


@service
def approve_supplier_invoice(*, user, invoice_id: int) -> SupplierInvoice:
    invoice = get_invoice(user=user, invoice_id=invoice_id)
    lifecycle.approve(invoice, user, denied=_("You may not approve supplier invoices."))
    return invoice


@service
def post_supplier_invoice(*, user, invoice_id: int) -> SupplierInvoice:
    invoice = get_invoice(user=user, invoice_id=invoice_id)
    _post(invoice, user)
    return invoice


def _post(invoice: SupplierInvoice, user) -> None:
    lifecycle.require_permission(invoice, user, "post")
    allowed = approved_or_skip(
        invoice, user, perm=POST_PERM, denied=_("You may not post supplier invoices.")
    )
    require_status(invoice, allowed)
    pending = [
        (index, line)
        for index, line in enumerate(invoice.lines.order_by("line_no"))
        if line.needs_acceptance
    ]
    if pending:
        message = _("Line %(line)s differs from the order beyond the tolerance: accept it first.")
        raise StateConflict(
            _("The invoice has differences nobody has accepted yet."),
            code="unaccepted_differences",
            fields={
                f"lines.{index}.price": [message % {"line": line.line_no}]
                for index, line in pending
            },
            details={"lines": [line.line_no for _index, line in pending]},
        )
    transition(invoice, allowed_from=allowed, to=DocumentStatus.POSTED, user=user)


@service
def cancel_supplier_invoice(*, user, invoice_id: int) -> SupplierInvoice:
    """Cancel an invoice not posted: its receipt lines are free to invoice again."""
    invoice = get_invoice(user=user, invoice_id=invoice_id)
    lifecycle.cancel(invoice, user)
    return invoice


@service
def delete_supplier_invoice(*, user, invoice_id: int) -> None:
    lifecycle.delete_draft(get_invoice(user=user, invoice_id=invoice_id))


@service
def reverse_supplier_invoice(*, user, invoice_id: int, notes: str = "") -> SupplierInvoice:
    """红冲: a posted invoice nothing is paid against gets a reversing invoice with the negated
    lines; its receipt lines can be invoiced again."""
    original = get_invoice(user=user, invoice_id=invoice_id)
    lifecycle.require_permission(original, user, "reverse")
    paid = SupplierPaymentAllocation.objects.filter(
        invoice=original, payment__status__in=ACTIVE_STATUSES
    ).aggregate(total=Sum("amount"))["total"]
    if paid:
        raise StateConflict(
            _("Payments are allocated to invoice %(number)s: reverse them first.")
            % {"number": original.number},
            code="invoice_paid",
            details={"allocated": str(paid)},
        )
    header = begin_reversal(original, kind=KIND, user=user, notes=notes, at=None)
    reversal = SupplierInvoice.objects.create(
        **header,
        store=original.store,
        supplier=original.supplier,
        invoice_no=original.invoice_no,
        invoice_date=original.invoice_date,
        due_date=original.due_date,
        prices_include_tax=original.prices_include_tax,
        total_net=-original.total_net,
        total_tax=-original.total_tax,
        total_gross=-original.total_gross,
        receipt_amount=-original.receipt_amount,
    )
    rows = []
    for line in original.lines.order_by("line_no"):
        line.pk = None
        line.invoice = reversal
        for field in (
            "quantity",
            "base_quantity",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "receipt_amount",
        ):
            setattr(line, field, -getattr(line, field))
        rows.append(line)
    SupplierInvoiceLine.objects.bulk_create(rows)
    return reversal
