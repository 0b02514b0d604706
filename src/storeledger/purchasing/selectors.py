"""Read queries of purchasing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest

from storeledger.accounts import scope
from storeledger.core.errors import NotFound, PermissionDenied
from storeledger.core.quantities import qty_field_kwargs
from storeledger.purchasing.models import (
    OPEN_ORDER_STATUSES,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
    PurchaseReturn,
    PurchaseReturnLine,
    SupplierItem,
    SupplierPrice,
)


def supplier_items() -> QuerySet[SupplierItem]:
    """Supplier items with everything a list row shows, in a constant number of queries."""
    return SupplierItem.objects.select_related(
        "supplier", "sku__product__base_unit", "purchase_unit"
    )


def price_history(item: SupplierItem) -> QuerySet[SupplierPrice]:
    """Every price recorded for the item, newest first."""
    return SupplierPrice.objects.filter(item=item).select_related("recorded_by")


def price_on(item: SupplierItem, day: datetime.date) -> SupplierPrice | None:
    """The price in force on `day`: of the recorded prices whose validity covers the day, the
    one recorded last (a later correction wins over what it corrects)."""
    return (
        SupplierPrice.objects.filter(item=item, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-recorded_at", "-id")
        .first()
    )


def valid_on(queryset: QuerySet[SupplierItem], day: datetime.date) -> QuerySet[SupplierItem]:
    """Items whose current price is valid on `day`."""
    return queryset.filter(price_valid_from__lte=day).filter(
        Q(price_valid_to__isnull=True) | Q(price_valid_to__gte=day)
    )


def expecting_goods(prefix: str = "") -> Q:
    """The orders still expecting goods: approved, sent or partially received, and those whose
    revision awaits approval (expected as revised)."""
    return Q(**{f"{prefix}status__in": OPEN_ORDER_STATUSES}) | ~Q(
        **{f"{prefix}revision_pending_status": ""}
    )


def on_order(
    *,
    warehouse_ids: Sequence[int] | QuerySet | None = None,
    sku_ids: Sequence[int] | QuerySet | None = None,
) -> dict[tuple[int, int], Decimal]:
    """{(warehouse id, SKU id): quantity on order, in the base unit}: what approved, sent and
    partially received orders still expect (and those whose revision awaits approval, with
    the revised quantities). A short-closed, received or cancelled order
    expects nothing; a line received beyond its quantity expects nothing (not less than
    nothing: it does not lower another line of the same SKU). The ids may be a subquery."""
    lines = PurchaseOrderLine.objects.filter(expecting_goods("order__"))
    if warehouse_ids is not None:
        lines = lines.filter(order__warehouse_id__in=_ids(warehouse_ids))
    if sku_ids is not None:
        lines = lines.filter(sku_id__in=_ids(sku_ids))
    field = DecimalField(**qty_field_kwargs())
    rows = (
        lines.values("order__warehouse_id", "sku_id")
        .annotate(
            open=Sum(
                Greatest(
                    F("base_quantity") - F("received_quantity"),
                    Value(Decimal(0), output_field=field),
                    output_field=field,
                )
            )
        )
        .order_by()
    )
    return {
        (row["order__warehouse_id"], row["sku_id"]): row["open"]
        for row in rows
        if row["open"] and row["open"] > 0
    }


def _ids(ids: Sequence[int] | QuerySet) -> list[int] | QuerySet:
    return ids if isinstance(ids, QuerySet) else list(ids)


def _scoped_lines(user, permission: str, queryset: QuerySet, document_id: int) -> QuerySet:
    if not user.has_perm(permission):
        raise PermissionDenied()
    document = scope.filter_warehouses(queryset, user).filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return document.lines.order_by("line_no")


def order_label_lines(user, kind: str, document_id: int) -> list[tuple]:
    """Labels for what an order brings (core.doctypes `label_lines`): each line's quantity in
    its purchase unit."""
    lines = _scoped_lines(
        user, "purchasing.view_purchaseorder", PurchaseOrder.objects.all(), document_id
    )
    return list(lines.values_list("sku_id", "unit_id", "quantity"))


def receipt_label_lines(user, kind: str, document_id: int) -> list[tuple]:
    """Labels for the goods a receipt accepted (rejected goods get none)."""
    lines = _scoped_lines(
        user, "purchasing.view_purchasereceipt", PurchaseReceipt.objects.all(), document_id
    )
    return list(lines.filter(quantity__gt=0).values_list("sku_id", "unit_id", "quantity"))


# ---------------------------------------------------------------- purchase returns


def returnable_lines(
    *,
    user,
    receipt_id: int | None = None,
    supplier_id: int | None = None,
    warehouse_id: int | None = None,
) -> list[dict]:
    """The posted receipt lines (of one receipt, or of a supplier into a warehouse) in the
    user's scope, with what each took in, what went back by posted returns and what may
    still go back (in the base unit), oldest first."""
    from storeledger.accounts import scope

    lines = PurchaseReceiptLine.objects.filter(
        receipt__status=PurchaseReceiptStatus.POSTED, base_quantity__gt=0
    )
    if receipt_id is not None:
        lines = lines.filter(receipt_id=receipt_id)
    if supplier_id is not None:
        lines = lines.filter(receipt__supplier_id=supplier_id)
    if warehouse_id is not None:
        lines = lines.filter(receipt__warehouse_id=warehouse_id)
    stores = scope.store_ids(user)
    if stores is not None:
        lines = lines.filter(receipt__store_id__in=stores)
    lines = lines.select_related("receipt", "sku__product__base_unit", "unit", "batch").order_by(
        "receipt__posted_at", "receipt_id", "line_no"
    )
    return [
        {
            "receipt_line": line.id,
            "receipt": line.receipt_id,
            "receipt_number": line.receipt.number,
            "posted_at": line.receipt.posted_at,
            "sku": line.sku_id,
            "sku_code": line.sku.code,
            "sku_name": line.sku.name,
            "unit": line.unit_id,
            "unit_name": line.unit.name,
            "factor": line.factor,
            "base_unit": line.sku.product.base_unit_id,
            "base_unit_name": line.sku.product.base_unit.name,
            "base_unit_precision": line.sku.product.base_unit.precision,
            "batch": line.batch_id,
            "batch_no": line.batch.batch_no if line.batch_id else "",
            "received": line.base_quantity,
            "returned": line.returned_quantity,
            "returnable": max(line.base_quantity - line.returned_quantity, Decimal(0)),
            "unit_cost": line.unit_cost,
        }
        for line in lines
    ]


@dataclass(frozen=True)
class DebitNote:
    """A posted purchase return as the payables see it: what it takes off what is owed to
    the supplier. A reversing return (红冲 of a return) is a debit note with negative amounts,
    dated when it was posted, so the sum over a period is what the returns took off."""

    id: int
    number: str
    supplier_id: int
    store_id: int
    warehouse_id: int
    document_date: datetime.date
    posted_at: datetime.datetime
    receipt_id: int | None  # the source receipt (None when the lines span receipts)
    receipt_ids: tuple[int, ...]  # every receipt its lines came from
    reversal_of_id: int | None
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal


def supplier_debit_notes(
    *,
    supplier_id: int | None = None,
    store_ids: Sequence[int] | None = None,
    posted_from: datetime.datetime | None = None,
    posted_to: datetime.datetime | None = None,
) -> list[DebitNote]:
    """Every purchase return that took goods back to a supplier (posted, or posted and later
    reversed) and every reversing return, oldest first: the debit notes that reduce the
    payable. `posted_to` is exclusive. Two queries whatever the number of returns."""
    returns = PurchaseReturn.objects.filter(posted_at__isnull=False)
    if supplier_id is not None:
        returns = returns.filter(supplier_id=supplier_id)
    if store_ids is not None:
        returns = returns.filter(store_id__in=list(store_ids))
    if posted_from is not None:
        returns = returns.filter(posted_at__gte=posted_from)
    if posted_to is not None:
        returns = returns.filter(posted_at__lt=posted_to)
    returns = list(returns.order_by("posted_at", "id"))
    receipts: dict[int, set[int]] = {}
    for document_id, receipt in PurchaseReturnLine.objects.filter(
        document_id__in=[r.id for r in returns]
    ).values_list("document_id", "receipt_line__receipt_id"):
        receipts.setdefault(document_id, set()).add(receipt)
    return [
        DebitNote(
            id=r.id,
            number=r.number,
            supplier_id=r.supplier_id,
            store_id=r.store_id,
            warehouse_id=r.warehouse_id,
            document_date=r.document_date,
            posted_at=r.posted_at,  # type: ignore[arg-type]
            receipt_id=r.receipt_id,
            receipt_ids=tuple(sorted(receipts.get(r.id, ()))),
            reversal_of_id=r.reversal_of_id,
            total_net=r.total_net,
            total_tax=r.total_tax,
            total_gross=r.total_gross,
        )
        for r in returns
    ]


def returned_by_supplier(
    *, supplier_ids: Sequence[int] | None = None, store_ids: Sequence[int] | None = None
) -> dict[int, Decimal]:
    """{supplier id: gross amount of its debit notes (returns net of their reversals)}."""
    returns = PurchaseReturn.objects.filter(posted_at__isnull=False)
    if supplier_ids is not None:
        returns = returns.filter(supplier_id__in=list(supplier_ids))
    if store_ids is not None:
        returns = returns.filter(store_id__in=list(store_ids))
    rows = returns.values("supplier_id").annotate(total=Sum("total_gross")).order_by()
    return {row["supplier_id"]: row["total"] for row in rows}


def returned_value(
    date_from: datetime.date, date_to: datetime.date, warehouse_ids=None
) -> dict[int, Decimal]:
    """{supplier id: net value (at the receipts' cost) that went back by returns posted from
    `date_from` to `date_to` inclusive, net of the reversals posted in that time} — what the
    supplier rating counts against quality (purchasing.rating.register_returned_value)."""
    from django.utils import timezone

    def midnight(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    returns = PurchaseReturn.objects.filter(
        posted_at__gte=midnight(date_from),
        posted_at__lt=midnight(date_to + datetime.timedelta(days=1)),
    )
    if warehouse_ids is not None:
        returns = returns.filter(warehouse_id__in=list(warehouse_ids))
    rows = returns.values("supplier_id").annotate(total=Sum("total_net")).order_by()
    return {row["supplier_id"]: row["total"] for row in rows if row["total"]}
