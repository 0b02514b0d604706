"""Supplier payments 付款: partial payments in any method, allocated to the supplier's posted
invoices — or, for goods a supplier delivers without an invoice, to posted receipts nothing
has been invoiced against (docs/finance.md §3). What is not allocated is a payment on account.

Refused with 409, nothing changed: an allocation above what is still open on its invoice or
receipt (over_allocated), a payment above what the supplier is owed in that store
(over_payment). Every payment not cancelled claims its allocations from the moment it is
created, under the targets' row locks (receipts, then invoices, each in id order), so two
payments racing for one invoice cannot both have its open amount. Posting a draft checks its
allocations again against the posted documents (a return or an invoice may have settled its
receipt since): of two drafts that no longer both fit, the first one posted wins. A posted payment is
reversed (红冲) by a payment of the negated amount and allocations."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.core import lifecycle
from storeledger.core.documents import DocumentStatus, transition
from storeledger.core.errors import NotFound, StateConflict, ValidationFailed
from storeledger.core.lifecycle import (
    begin_reversal,
    check_version,
    moment,
    new_number,
    require_status,
    save_draft,
)
from storeledger.core.quantities import ZERO, money
from storeledger.core.services import service
from storeledger.finance import aggregates
from storeledger.finance.account import ItemKey, Query
from storeledger.finance.models import (
    ACTIVE_STATUSES,
    InvoiceStatus,
    PaymentStatus,
    SupplierInvoice,
    SupplierInvoiceLine,
    SupplierPayment,
    SupplierPaymentAllocation,
)
from storeledger.finance.selectors import supplier_open_items
from storeledger.finance.services.invoices import lock_receipts
from storeledger.finance.sources import INVOICE_ITEM, RECEIPT_ITEM
from storeledger.org.models import Store
from storeledger.partners.models import PaymentMethod, Supplier
from storeledger.purchasing.models import PurchaseReceipt, PurchaseReceiptStatus

KIND = "supplier_payment"
P = PaymentStatus


@dataclass(frozen=True)
class AllocationInput:
    amount: Decimal
    invoice_id: int | None = None
    receipt_id: int | None = None


def get_payment(*, user, payment_id: int) -> SupplierPayment:
    queryset = SupplierPayment.objects.select_for_update(of=("self",)).select_related(
        "store", "supplier"
    )
    payment = scope.filter_stores(queryset, user).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound(_("Supplier payment not found."))
    return payment


def _field(index: int, name: str) -> str:
    return f"allocations.{index}.{name}"


def _targets(user, supplier: Supplier, allocations: Sequence[AllocationInput]):
    """The allocations' invoices and receipts (404 unknown or out of scope; 400 another
    supplier, mixed stores; 409 not posted, a receipt already invoiced)."""
    invoice_ids = [a.invoice_id for a in allocations if a.invoice_id]
    receipt_ids = [a.receipt_id for a in allocations if a.receipt_id]
    invoices = scope.filter_stores(SupplierInvoice.objects.all(), user).in_bulk(invoice_ids)
    receipts = scope.filter_warehouses(PurchaseReceipt.objects.all(), user).in_bulk(receipt_ids)
    invoiced = set(
        SupplierInvoiceLine.objects.filter(
            receipt_id__in=receipt_ids, invoice__status__in=ACTIVE_STATUSES
        )
        .values("receipt_id")
        .annotate(q=Sum("base_quantity"))
        .exclude(q=0)
        .values_list("receipt_id", flat=True)
    )
    stores = set()
    for index, allocation in enumerate(allocations):
        if (allocation.invoice_id is None) == (allocation.receipt_id is None):
            message = _("Allocate to one invoice or one receipt.")
            raise ValidationFailed(message, fields={_field(index, "invoice"): [message]})
        if allocation.amount <= 0:
            message = _("The amount must be greater than zero.")
            raise ValidationFailed(message, fields={_field(index, "amount"): [message]})
        if allocation.invoice_id:
            target = invoices.get(allocation.invoice_id)
            name, posted = "invoice", str(InvoiceStatus.POSTED)
        else:
            target = receipts.get(allocation.receipt_id)
            name, posted = "receipt", str(PurchaseReceiptStatus.POSTED)
        if target is None:
            message = _("Not found.")
            raise NotFound(message, fields={_field(index, name): [message]})
        if target.supplier_id != supplier.id:
            message = _("%(number)s is another supplier's.") % {"number": target.number}
            raise ValidationFailed(
                message, code="wrong_supplier", fields={_field(index, name): [message]}
            )
        if target.status != posted or getattr(target, "reversal_of_id", None):
            message = _("%(number)s is not posted.") % {"number": target.number}
            raise StateConflict(message, code="not_posted", fields={_field(index, name): [message]})
        if allocation.receipt_id and target.id in invoiced:
            message = _("Receipt %(number)s is invoiced: allocate to its invoice.") % {
                "number": target.number
            }
            raise StateConflict(
                message, code="receipt_invoiced", fields={_field(index, name): [message]}
            )
        stores.add(target.store_id)
    if len(stores) > 1:
        message = _("A payment covers the invoices and receipts of one store.")
        raise ValidationFailed(message, code="mixed_stores", fields={"allocations": [message]})
    return invoices, receipts, stores


def _item_key(allocation: AllocationInput) -> ItemKey:
    if allocation.invoice_id is not None:
        return (INVOICE_ITEM, allocation.invoice_id)
    assert allocation.receipt_id is not None  # checked by _targets
    return (RECEIPT_ITEM, allocation.receipt_id)


def _claims(supplier_id: int, store_id: int, *, exclude: int | None = None):
    """What payments not posted yet (drafts) already claim: {item: amount}, and in total."""
    drafts = SupplierPayment.objects.filter(
        supplier_id=supplier_id, store_id=store_id, status=P.DRAFT
    )
    if exclude is not None:
        drafts = drafts.exclude(pk=exclude)
    per_item: dict[ItemKey, Decimal] = defaultdict(lambda: ZERO)
    for invoice_id, receipt_id, amount in SupplierPaymentAllocation.objects.filter(
        payment__in=drafts
    ).values_list("invoice_id", "receipt_id", "amount"):
        key = (INVOICE_ITEM, invoice_id) if invoice_id else (RECEIPT_ITEM, receipt_id)
        per_item[key] += amount
    total = drafts.aggregate(total=Sum("amount"))["total"] or ZERO
    return per_item, total


def _check_open(
    supplier: Supplier,
    store_id: int,
    amount: Decimal,
    allocations: Sequence[AllocationInput],
    *,
    exclude: int | None = None,
    drafts: bool = True,
) -> None:
    """409 unless each allocation fits what is open on its item and the payment what the
    supplier is owed in the store (posted documents, less what draft payments claim — with
    `drafts` False, posted documents only: the check at posting)."""
    query = Query(supplier_ids=[supplier.id], store_ids=[store_id])
    open_by_item = {item.key: item.amount for item in supplier_open_items(query)}
    if drafts:
        claimed, claimed_total = _claims(supplier.id, store_id, exclude=exclude)
    else:
        claimed, claimed_total = defaultdict(lambda: ZERO), ZERO
    asked: dict[ItemKey, Decimal] = defaultdict(lambda: ZERO)
    for index, allocation in enumerate(allocations):
        key = _item_key(allocation)
        asked[key] += allocation.amount
        still_open = open_by_item.get(key, ZERO) - claimed[key]
        if asked[key] > still_open:
            name = "invoice" if allocation.invoice_id else "receipt"
            message = _("%(amount)s is more than the %(open)s still open on this %(what)s.") % {
                "amount": allocation.amount,
                "open": money(max(still_open - asked[key] + allocation.amount, ZERO)),
                "what": _("invoice") if name == "invoice" else _("receipt"),
            }
            raise StateConflict(
                message,
                code="over_allocated",
                fields={_field(index, "amount"): [message]},
                details={"open": str(max(still_open - asked[key] + allocation.amount, ZERO))},
            )
    owed = aggregates.supplier_balances(query).get(supplier.id, ZERO) - claimed_total
    if amount > owed:
        message = _("%(amount)s is more than the %(owed)s owed to %(supplier)s.") % {
            "amount": amount,
            "owed": max(owed, ZERO),
            "supplier": supplier.name,
        }
        raise StateConflict(
            message,
            code="over_payment",
            fields={"amount": [message]},
            details={"owed": str(max(owed, ZERO))},
        )


def _lock_targets(invoice_ids, receipt_ids) -> None:
    lock_receipts(receipt_ids)
    list(
        SupplierInvoice.objects.select_for_update()
        .filter(pk__in=sorted(set(invoice_ids)))
        .order_by("pk")
    )


@service
def create_supplier_payment(
    *,
    user,
    supplier_id: int,
    amount: Decimal,
    method: str | None = None,
    store_id: int | None = None,
    allocations: Sequence[AllocationInput] = (),
    document_date: datetime.date | None = None,
    reference: str = "",
    notes: str = "",
    post: bool = False,
) -> SupplierPayment:
    """A draft payment (posted at once with `post`) to a supplier from a store, allocated to
    its invoices or un-invoiced receipts of that store; the rest is paid on account."""
    # the supplier's row, locked: its payments are checked against what it is owed one at a time
    supplier = Supplier.objects.select_for_update().filter(pk=supplier_id).first()
    if supplier is None:
        raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
    _check_amount(amount)
    method = _method(method or supplier.payment_method)
    document_date = document_date or timezone.localdate()
    _check_date(document_date)
    invoices, receipts, stores = _targets(user, supplier, allocations)
    if store_id is None:
        if not stores:
            message = _("Choose the store that pays.")
            raise ValidationFailed(message, fields={"store": [message]})
        store_id = next(iter(stores))
    elif stores and stores != {store_id}:
        message = _("The invoices and receipts are another store's.")
        raise ValidationFailed(message, code="mixed_stores", fields={"store": [message]})
    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        raise NotFound(_("Store not found."), fields={"store": [_("Unknown store.")]})
    scope.ensure_stores(user, [store.id])
    _check_allocated(amount, allocations)
    _lock_targets(list(invoices), list(receipts))
    _check_open(supplier, store.id, amount, allocations)
    payment = SupplierPayment.objects.create(
        number=new_number(KIND, store.code, document_date),
        store=store,
        supplier=supplier,
        method=method,
        amount=amount,
        document_date=document_date,
        reference=reference,
        notes=notes,
        created_by=user,
    )
    SupplierPaymentAllocation.objects.bulk_create(_allocation_rows(payment, allocations))
    if post:
        _post(payment, user)
    return payment


def _check_amount(amount: Decimal) -> None:
    if amount <= 0:
        message = _("The amount must be greater than zero.")
        raise ValidationFailed(message, fields={"amount": [message]})


def _method(method: str) -> str:
    if method not in PaymentMethod.values:
        message = _("Unknown payment method.")
        raise ValidationFailed(message, fields={"method": [message]})
    return method


def _check_date(document_date: datetime.date) -> None:
    if document_date > timezone.localdate():
        message = _("The payment date lies in the future.")
        raise ValidationFailed(message, code="future_date", fields={"document_date": [message]})


def _check_allocated(amount: Decimal, allocations: Sequence[AllocationInput]) -> None:
    allocated = sum((a.amount for a in allocations), ZERO)
    if allocated > amount:
        message = _("The allocations (%(allocated)s) exceed the payment (%(amount)s).") % {
            "allocated": allocated,
            "amount": amount,
        }
        raise ValidationFailed(
            message, code="allocations_exceed_payment", fields={"allocations": [message]}
        )


def _allocation_rows(payment: SupplierPayment, allocations: Sequence[AllocationInput]) -> list:
    return [
        SupplierPaymentAllocation(
            payment=payment,
            line_no=index + 1,
            invoice_id=a.invoice_id,
            receipt_id=a.receipt_id,
            amount=a.amount,
        )
        for index, a in enumerate(allocations)
    ]


@service
def update_supplier_payment(
    *,
    user,
    payment_id: int,
    version: int,
    amount: Decimal | None = None,
    method: str | None = None,
    document_date: datetime.date | None = None,
    reference: str | None = None,
    notes: str | None = None,
    allocations: Sequence[AllocationInput] | None = None,
) -> SupplierPayment:
    """Change a draft payment (409 in any other status; 409 stale_version for an old
    `version`): amount, method, date, reference, notes and, when given, all its allocations —
    checked as a new payment's are (against what is open, less what other drafts claim) in
    the payment's store; the supplier and store stay."""
    payment = get_payment(user=user, payment_id=payment_id)
    require_status(payment, [P.DRAFT])
    check_version(payment, version)
    # the supplier's row, locked: its payments are checked against what it is owed one at a time
    supplier = Supplier.objects.select_for_update().get(pk=payment.supplier_id)
    fields: dict = {}
    if amount is not None:
        _check_amount(amount)
        fields["amount"] = amount
    if method is not None:
        fields["method"] = _method(method)
    if document_date is not None:
        _check_date(document_date)
        fields["document_date"] = document_date
    if reference is not None:
        fields["reference"] = reference
    if notes is not None:
        fields["notes"] = notes
    new_amount = fields.get("amount", payment.amount)
    if allocations is None:
        allocations = [
            AllocationInput(amount=a.amount, invoice_id=a.invoice_id, receipt_id=a.receipt_id)
            for a in payment.allocations.order_by("line_no")
        ]
        replace = False
    else:
        replace = True
    invoices, receipts, stores = _targets(user, supplier, allocations)
    if stores and stores != {payment.store_id}:
        message = _("The invoices and receipts are another store's.")
        raise ValidationFailed(message, code="mixed_stores", fields={"allocations": [message]})
    _check_allocated(new_amount, allocations)
    _lock_targets(list(invoices), list(receipts))
    _check_open(supplier, payment.store_id, new_amount, allocations, exclude=payment.pk)
    for name, value in fields.items():
        setattr(payment, name, value)
    save_draft(payment, version=version, fields=fields)
    if replace:
        payment.allocations.all().delete()
        SupplierPaymentAllocation.objects.bulk_create(_allocation_rows(payment, allocations))
    return payment


def _post(payment: SupplierPayment, user) -> None:
    lifecycle.require_permission(payment, user, "post")
    require_status(payment, [P.DRAFT])
    transition(
        payment, allowed_from=[P.DRAFT], to=DocumentStatus.POSTED, user=user, at=moment(None)
    )


def _check_still_open(payment: SupplierPayment, user) -> None:
    """At posting, a draft's allocations checked again against what is open now on posted
    documents (drafts' claims left out: the first one posted wins): since the draft was saved,
    a return may have settled part of its receipt, or the receipt been invoiced. Under the
    supplier's row lock and the targets' locks, so two drafts posted at once are checked one
    after the other (409 over_allocated, over_payment, not_posted, receipt_invoiced)."""
    supplier = Supplier.objects.select_for_update().get(pk=payment.supplier_id)
    allocations = [
        AllocationInput(amount=a.amount, invoice_id=a.invoice_id, receipt_id=a.receipt_id)
        for a in payment.allocations.order_by("line_no")
    ]
    invoices, receipts, _stores = _targets(user, supplier, allocations)
    _lock_targets(list(invoices), list(receipts))
    _check_open(supplier, payment.store_id, payment.amount, allocations, drafts=False)


@service
def post_supplier_payment(*, user, payment_id: int) -> SupplierPayment:
    payment = get_payment(user=user, payment_id=payment_id)
    lifecycle.require_permission(payment, user, "post")
    require_status(payment, [P.DRAFT])
    _check_still_open(payment, user)
    _post(payment, user)
    return payment


@service
def cancel_supplier_payment(*, user, payment_id: int) -> SupplierPayment:
    payment = get_payment(user=user, payment_id=payment_id)
    lifecycle.cancel(payment, user)
    return payment


@service
def delete_supplier_payment(*, user, payment_id: int) -> None:
    payment = get_payment(user=user, payment_id=payment_id)
    require_status(payment, [P.DRAFT])
    payment.allocations.all().delete()
    payment.delete()


@service
def reverse_supplier_payment(*, user, payment_id: int, notes: str = "") -> SupplierPayment:
    """红冲: the payment's negation (amount and allocations); what it paid is open again."""
    original = get_payment(user=user, payment_id=payment_id)
    lifecycle.require_permission(original, user, "reverse")
    header = begin_reversal(original, kind=KIND, user=user, notes=notes, at=None)
    reversal = SupplierPayment.objects.create(
        **header,
        store=original.store,
        supplier=original.supplier,
        method=original.method,
        amount=-original.amount,
        reference=original.reference,
    )
    SupplierPaymentAllocation.objects.bulk_create(
        SupplierPaymentAllocation(
            payment=reversal,
            line_no=a.line_no,
            invoice_id=a.invoice_id,
            receipt_id=a.receipt_id,
            amount=-a.amount,
        )
        for a in original.allocations.order_by("line_no")
    )
    return reversal
