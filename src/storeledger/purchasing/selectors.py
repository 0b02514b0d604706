"""Read queries of purchasing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
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


def on_order(
    *, warehouse_ids: Sequence[int] | None = None, sku_ids: Sequence[int] | None = None
) -> dict[tuple[int, int], Decimal]:
    """{(warehouse id, SKU id): quantity on order, in the base unit}: what approved, sent and
    partially received orders still expect. A short-closed, received or cancelled order
    expects nothing; a line received beyond its quantity expects nothing (not less than
    nothing: it does not lower another line of the same SKU)."""
    lines = PurchaseOrderLine.objects.filter(order__status__in=OPEN_ORDER_STATUSES)
    if warehouse_ids is not None:
        lines = lines.filter(order__warehouse_id__in=list(warehouse_ids))
    if sku_ids is not None:
        lines = lines.filter(sku_id__in=list(sku_ids))
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
