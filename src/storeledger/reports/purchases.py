"""Purchase analysis 采购分析: what came in from suppliers over a period (posted purchase
receipts, at their net cost), by supplier, SKU, category or month; the price trend of one SKU;
open purchase order lines and overdue deliveries. Read queries only (docs/reports.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from storeledger.accounts import scope
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES
from storeledger.inventory.selectors import category_q, sku_search_q
from storeledger.purchasing.models import (
    PurchaseOrderLine,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
)
from storeledger.purchasing.selectors import expecting_goods
from storeledger.reports.selectors import Period

GROUP_SUPPLIER = "supplier"
GROUP_SKU = "sku"
GROUP_CATEGORY = "category"
GROUP_MONTH = "month"
PURCHASE_GROUPINGS = [GROUP_SUPPLIER, GROUP_SKU, GROUP_CATEGORY, GROUP_MONTH]

_MONEY = DecimalField(max_digits=MONEY_DIGITS + 8, decimal_places=MONEY_PLACES + 8)
_CENT = Decimal("0.01")

_GROUP_FIELDS = {
    GROUP_SUPPLIER: {
        "supplier_id": F("receipt__supplier_id"),
        "supplier_code": F("receipt__supplier__code"),
        "supplier_name": F("receipt__supplier__name"),
    },
    GROUP_SKU: {
        "sku_code": F("sku__code"),
        "sku_name": F("sku__name"),
        "unit_name": F("sku__product__base_unit__name"),
    },
    GROUP_CATEGORY: {
        "category_id": F("sku__product__category_id"),
        "category_code": F("sku__product__category__code"),
        "category_name": F("sku__product__category__name"),
    },
    GROUP_MONTH: {"month": TruncMonth("receipt__posted_at")},
}


@dataclass(frozen=True)
class PurchaseFilters:
    warehouse_id: int | None = None
    store_id: int | None = None
    supplier_id: int | None = None
    category_id: int | None = None
    sku_id: int | None = None
    search: str = ""


def _filtered(lines: QuerySet, filters: PurchaseFilters, prefix: str) -> QuerySet:
    if filters.warehouse_id is not None:
        lines = lines.filter(**{f"{prefix}warehouse_id": filters.warehouse_id})
    if filters.store_id is not None:
        lines = lines.filter(**{f"{prefix}store_id": filters.store_id})
    if filters.supplier_id is not None:
        lines = lines.filter(**{f"{prefix}supplier_id": filters.supplier_id})
    if filters.sku_id is not None:
        lines = lines.filter(sku_id=filters.sku_id)
    if filters.category_id is not None:
        lines = lines.filter(category_q(filters.category_id))
    if filters.search:
        lines = lines.filter(sku_search_q(filters.search))
    return lines


def received_lines(*, user, period: Period, filters: PurchaseFilters) -> QuerySet:
    """Posted receipt lines of the period in the user's warehouses."""
    lines = PurchaseReceiptLine.objects.filter(
        receipt__status=PurchaseReceiptStatus.POSTED,
        receipt__posted_at__gte=period.start,
        receipt__posted_at__lt=period.end,
    )
    lines = scope.filter_warehouses(lines, user, field="receipt__warehouse")
    return _filtered(lines, filters, "receipt__")


def _value() -> ExpressionWrapper:
    return ExpressionWrapper(F("base_quantity") * F("unit_cost"), output_field=_MONEY)


def _rejected_value() -> ExpressionWrapper:
    return ExpressionWrapper(
        F("rejected_quantity") * F("factor") * F("unit_cost"), output_field=_MONEY
    )


def purchases(*, user, period: Period, filters: PurchaseFilters, group_by: str) -> list[dict]:
    """One row per group: receipts, lines, the accepted quantity (per SKU only: other groups
    mix units), the accepted value at net cost, the rejected value, the average unit cost (per
    SKU) and the share of the period's value; largest value first."""
    fields = _GROUP_FIELDS[group_by]
    plain = ["sku_id"] if group_by == GROUP_SKU else []
    rows = list(
        received_lines(user=user, period=period, filters=filters)
        .annotate(**fields)
        .values(*plain, *fields)
        .annotate(
            receipts=Count("receipt_id", distinct=True),
            lines=Count("id"),
            quantity=Sum("base_quantity"),
            value=Sum(_value()),
            rejected_value=Sum(_rejected_value()),
        )
        .order_by()
    )
    total = sum((row["value"] or Decimal(0) for row in rows), Decimal(0))
    for row in rows:
        row["value"] = (row["value"] or Decimal(0)).quantize(_CENT)
        row["rejected_value"] = (row["rejected_value"] or Decimal(0)).quantize(_CENT)
        row["share"] = (100 * row["value"] / total).quantize(Decimal("0.1")) if total else None
        if group_by == GROUP_SKU:
            row["average_cost"] = (
                (row["value"] / row["quantity"]).quantize(Decimal("0.0001"))
                if row["quantity"]
                else None
            )
        else:
            row["quantity"] = row["average_cost"] = None
        if group_by == GROUP_MONTH:
            row["month"] = timezone.localtime(row["month"]).date().replace(day=1)
    if group_by == GROUP_MONTH:
        rows.sort(key=lambda row: row["month"])
    else:
        rows.sort(key=lambda row: (-row["value"], str(row.get(f"{group_by}_code") or "")))
    return rows


def receipt_count(*, user, period: Period, filters: PurchaseFilters) -> int:
    """The distinct receipts of the whole report: per SKU or category one receipt can span
    several rows, so the rows' counts may add up to more."""
    return received_lines(user=user, period=period, filters=filters).aggregate(
        receipts=Count("receipt_id", distinct=True)
    )["receipts"]


def purchase_totals(rows: list[dict], *, receipts: int | None = None) -> dict:
    """The report's Total row: `receipts` from `receipt_count` (not the rows' sum)."""
    return {
        "receipts": receipts,
        "lines": sum(row["lines"] for row in rows),
        "value": sum((row["value"] for row in rows), Decimal(0)),
        "rejected_value": sum((row["rejected_value"] for row in rows), Decimal(0)),
    }


def by_month(*, user, period: Period, filters: PurchaseFilters) -> list[dict]:
    """The chart's series: value per month of the period."""
    return purchases(user=user, period=period, filters=filters, group_by=GROUP_MONTH)


def price_trend(*, user, period: Period, filters: PurchaseFilters) -> list[dict]:
    """Every receipt of the SKU in the period: date, supplier, net cost per base unit and
    quantity, oldest first (the chart draws one line per supplier)."""
    lines = received_lines(user=user, period=period, filters=filters).filter(base_quantity__gt=0)
    rows = list(
        lines.values(
            "unit_cost",
            "base_quantity",
            receipt_number=F("receipt__number"),
            posted_at=F("receipt__posted_at"),
            supplier_id=F("receipt__supplier_id"),
            supplier_code=F("receipt__supplier__code"),
            supplier_name=F("receipt__supplier__name"),
        ).order_by("receipt__posted_at", "id")
    )
    for row in rows:
        row["date"] = timezone.localtime(row.pop("posted_at")).date()
        row["quantity"] = row.pop("base_quantity")
    return rows


def open_order_lines(
    *, user, filters: PurchaseFilters, overdue_only: bool = False, today: datetime.date
) -> list[dict]:
    """Order lines still expecting goods (`expecting_goods`: an order whose revision awaits
    approval too), with the open quantity and value and the days overdue (expected date of
    the line, else the order's, before today); most overdue first."""
    lines = PurchaseOrderLine.objects.filter(
        expecting_goods("order__"), received_quantity__lt=F("base_quantity")
    )
    lines = scope.filter_warehouses(lines, user, field="order__warehouse")
    lines = _filtered(lines, filters, "order__")
    if overdue_only:
        lines = lines.filter(
            Q(expected_date__lt=today)
            | Q(expected_date__isnull=True, order__expected_date__lt=today)
        )
    rows = list(
        lines.values(
            "base_quantity",
            "received_quantity",
            "net_amount",
            "line_no",
            "order_id",
            "sku_id",
            order_number=F("order__number"),
            order_status=F("order__status"),
            supplier_id=F("order__supplier_id"),
            supplier_code=F("order__supplier__code"),
            supplier_name=F("order__supplier__name"),
            warehouse_id=F("order__warehouse_id"),
            warehouse_code=F("order__warehouse__code"),
            warehouse_name=F("order__warehouse__name"),
            sku_code=F("sku__code"),
            sku_name=F("sku__name"),
            unit_name=F("sku__product__base_unit__name"),
            line_expected=F("expected_date"),
            order_expected=F("order__expected_date"),
        )
    )
    for row in rows:
        row["expected_date"] = row.pop("line_expected") or row.pop("order_expected")
        row.pop("order_expected", None)
        row["ordered_quantity"] = row.pop("base_quantity")
        row["open_quantity"] = row["ordered_quantity"] - row["received_quantity"]
        net = row.pop("net_amount")
        row["open_value"] = (net * row["open_quantity"] / row["ordered_quantity"]).quantize(_CENT)
        expected = row["expected_date"]
        row["days_overdue"] = (today - expected).days if expected and expected < today else 0
    rows.sort(key=lambda row: (-row["days_overdue"], row["order_number"], row["line_no"]))
    return rows
