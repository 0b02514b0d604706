"""Read queries of purchasing."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from storeledger.purchasing.models import SupplierItem, SupplierPrice


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
