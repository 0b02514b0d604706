"""Returns statistics 退货统计: returned quantity and value per reason, SKU, category, partner
or month over a period, and the return rate = returned ÷ what came in (was received, or for
sales: was sold) in the same period and group.

One registry of return sides (`SIDES`): purchase returns now; the sales module registers its
sales returns (against the quantity sold, per customer) the same way, and the report, its API,
export and page take them without a change. A side says how to read its posted return lines
and its base (receipt lines, sale lines) as querysets, and which field is each grouping.
Reversed returns count with their reversing document (a negative line), as in the ledger: it
takes the return's quantity, value, document and lines back out (a pair in one period leaves
no row; a return reversed in a later period is taken back in that period)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Trim, TruncMonth
from django.utils import timezone

from storeledger.accounts import scope
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, ZERO
from storeledger.inventory.selectors import category_q, sku_search_q
from storeledger.reports.selectors import Period

GROUP_REASON = "reason"
GROUP_SKU = "sku"
GROUP_CATEGORY = "category"
GROUP_MONTH = "month"
# and the side's partner ("supplier"; "customer" for sales returns): one row per partner
PARTNERS = ["supplier"]
RETURN_GROUPINGS = [GROUP_REASON, GROUP_SKU, GROUP_CATEGORY, *PARTNERS, GROUP_MONTH]

_MONEY = DecimalField(max_digits=MONEY_DIGITS + 8, decimal_places=MONEY_PLACES + 8)
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ReturnFilters:
    warehouse_id: int | None = None
    store_id: int | None = None
    partner_id: int | None = None
    category_id: int | None = None
    sku_id: int | None = None
    reason: str | None = None  # "" = returns without a reason
    search: str = ""


@dataclass(frozen=True)
class ReturnSide:
    """How one kind of return is read. `returned` and `base` answer line querysets of the
    period in the user's warehouses, before grouping; `prefix` is the path from a returned
    line to its document header, `base_prefix` from a base line to its. `partner` is the
    header's partner field (supplier, customer); `permission` the one needed to see it."""

    key: str
    permission: str
    partner: str
    returned: Callable[[Period], QuerySet]
    base: Callable[[Period], QuerySet]
    prefix: str
    base_prefix: str
    document_path: str  # the page of a return document in the web UI, "{id}" replaced
    value: Callable[[], ExpressionWrapper] = field(
        default=lambda: ExpressionWrapper(F("base_quantity") * F("unit_cost"), output_field=_MONEY)
    )


def _purchase_returned(period: Period) -> QuerySet:
    from storeledger.purchasing.models import PurchaseReturnLine, PurchaseReturnStatus

    return PurchaseReturnLine.objects.filter(
        document__status__in=(PurchaseReturnStatus.POSTED, PurchaseReturnStatus.REVERSED),
        document__posted_at__gte=period.start,
        document__posted_at__lt=period.end,
    )


def _purchase_received(period: Period) -> QuerySet:
    from storeledger.purchasing.models import PurchaseReceiptLine, PurchaseReceiptStatus

    return PurchaseReceiptLine.objects.filter(
        receipt__status=PurchaseReceiptStatus.POSTED,
        receipt__posted_at__gte=period.start,
        receipt__posted_at__lt=period.end,
    )


SIDES: dict[str, ReturnSide] = {}


def register_side(side: ReturnSide) -> None:
    SIDES[side.key] = side


register_side(
    ReturnSide(
        key="purchase",
        permission="purchasing.view_purchasereturn",
        partner="supplier",
        returned=_purchase_returned,
        base=_purchase_received,
        prefix="document__",
        base_prefix="receipt__",
        document_path="/purchasing/returns/{id}",
    )
)


def _group_fields(side: ReturnSide, group_by: str, prefix: str) -> dict:
    partner = f"{prefix}{side.partner}"
    if group_by == side.partner:
        return {
            "partner_id": F(f"{partner}_id"),
            "partner_code": F(f"{partner}__code"),
            "partner_name": F(f"{partner}__name"),
        }
    return {
        GROUP_REASON: {"reason_text": Trim(F(f"{prefix}reason"))},
        GROUP_SKU: {
            "sku_code": F("sku__code"),
            "sku_name": F("sku__name"),
            "unit_name": F("sku__product__base_unit__name"),
            "unit_precision": F("sku__product__base_unit__precision"),
        },
        GROUP_CATEGORY: {
            "category_id": F("sku__product__category_id"),
            "category_code": F("sku__product__category__code"),
            "category_name": F("sku__product__category__name"),
        },
        GROUP_MONTH: {"month": TruncMonth(f"{prefix}posted_at")},
    }[group_by]


def _filtered(lines: QuerySet, side: ReturnSide, filters: ReturnFilters, prefix: str) -> QuerySet:
    if filters.warehouse_id is not None:
        lines = lines.filter(**{f"{prefix}warehouse_id": filters.warehouse_id})
    if filters.store_id is not None:
        lines = lines.filter(**{f"{prefix}store_id": filters.store_id})
    if filters.partner_id is not None:
        lines = lines.filter(**{f"{prefix}{side.partner}_id": filters.partner_id})
    if filters.sku_id is not None:
        lines = lines.filter(sku_id=filters.sku_id)
    if filters.category_id is not None:
        lines = lines.filter(category_q(filters.category_id))
    if filters.search:
        lines = lines.filter(sku_search_q(filters.search))
    return lines


def returned_lines(*, user, side: ReturnSide, period: Period, filters: ReturnFilters) -> QuerySet:
    """The side's posted return lines of the period in the user's warehouses."""
    lines = scope.filter_warehouses(side.returned(period), user, field=f"{side.prefix}warehouse")
    lines = _filtered(lines, side, filters, side.prefix)
    if filters.reason is not None:
        lines = lines.annotate(reason_text=Trim(F(f"{side.prefix}reason"))).filter(
            reason_text=filters.reason.strip()
        )
    return lines


def _key(row: dict, group_by: str):
    return {
        GROUP_REASON: lambda: row.get("reason_text") or "",
        GROUP_SKU: lambda: row["sku_id"],
        GROUP_CATEGORY: lambda: row["category_id"],
        GROUP_MONTH: lambda: row["month"],
    }.get(group_by, lambda: row["partner_id"])()


# A reversing document's lines are negative: it takes its return's document and lines back out
# of the counts, as its quantities take back the quantity and value.
_IN = Q(base_quantity__gt=0)
_BACK = Q(base_quantity__lt=0)


def _grouped(lines: QuerySet, fields: dict, group_by: str, value, prefix: str) -> list[dict]:
    plain = ["sku_id"] if group_by == GROUP_SKU else []
    return list(
        lines.annotate(**fields)
        .values(*plain, *fields)
        .annotate(
            documents=Count(f"{prefix}id", distinct=True, filter=_IN)
            - Count(f"{prefix}id", distinct=True, filter=_BACK),
            lines=Count("id", filter=_IN) - Count("id", filter=_BACK),
            quantity=Coalesce(Sum("base_quantity"), ZERO, output_field=_MONEY),
            value=Coalesce(Sum(value()), ZERO, output_field=_MONEY),
        )
        .order_by()
    )


def _rate(part: Decimal, whole: Decimal | None) -> Decimal | None:
    return (100 * part / whole).quantize(_TENTH) if whole else None


def returns(
    *, user, side: ReturnSide, period: Period, filters: ReturnFilters, group_by: str
) -> list[dict]:
    """One row per group: return documents and lines, the returned quantity (base units; a
    category, partner or month adds up different SKUs' units) and value at the cost the
    goods came in with, what came in in the period (the base) and the return rates by
    quantity and by value (null per reason: nothing comes in with a reason; null without a
    base). Largest quantity first; months in order. Two queries."""
    fields = _group_fields(side, group_by, side.prefix)
    lines = returned_lines(user=user, side=side, period=period, filters=filters)
    rows = [
        row
        for row in _grouped(lines, fields, group_by, side.value, side.prefix)
        if row["documents"] or row["lines"] or row["quantity"] or row["value"]
    ]  # a return reversed in the same period leaves nothing
    base: dict = {}
    if group_by != GROUP_REASON:
        base_lines = scope.filter_warehouses(
            side.base(period), user, field=f"{side.base_prefix}warehouse"
        )
        base_lines = _filtered(base_lines, side, filters, side.base_prefix)
        base_fields = _group_fields(side, group_by, side.base_prefix)
        base = {
            _key(row, group_by): row
            for row in _grouped(base_lines, base_fields, group_by, side.value, side.base_prefix)
        }
    for row in rows:
        key = _key(row, group_by)
        row["value"] = row["value"].quantize(_CENT)
        came_in = base.get(key)
        row["base_quantity"] = (
            came_in["quantity"] if came_in else (None if group_by == GROUP_REASON else ZERO)
        )
        row["base_value"] = came_in["value"].quantize(_CENT) if came_in else None
        row["return_rate"] = _rate(row["quantity"], row["base_quantity"])
        row["return_rate_by_value"] = _rate(row["value"], came_in["value"] if came_in else None)
        if group_by == GROUP_REASON:
            row["reason"] = row.pop("reason_text") or ""
        if group_by == GROUP_MONTH:
            row["month"] = timezone.localtime(row["month"]).date().replace(day=1)
    if group_by == GROUP_MONTH:
        rows.sort(key=lambda row: row["month"])
    else:
        rows.sort(key=lambda row: (-row["quantity"], str(_key(row, group_by) or "")))
    return rows


def return_totals(rows: list[dict]) -> dict:
    return {
        "documents": None,
        "lines": sum(row["lines"] for row in rows),
        "quantity": sum((row["quantity"] for row in rows), ZERO),
        "value": sum((row["value"] for row in rows), ZERO),
    }


def return_lines(*, user, side: ReturnSide, period: Period, filters: ReturnFilters) -> list[dict]:
    """The return lines behind a figure (drill-down): document, date, partner, warehouse,
    SKU, batch, quantity, value, reason; newest first."""
    lines = returned_lines(user=user, side=side, period=period, filters=filters)
    rows = list(
        lines.annotate(line_value=side.value())
        .values(
            "id",
            "sku_id",
            "base_quantity",
            "line_value",
            return_id=F(f"{side.prefix}id"),
            return_number=F(f"{side.prefix}number"),
            return_status=F(f"{side.prefix}status"),
            posted_at=F(f"{side.prefix}posted_at"),
            return_reason=F(f"{side.prefix}reason"),
            partner_id=F(f"{side.prefix}{side.partner}_id"),
            partner_code=F(f"{side.prefix}{side.partner}__code"),
            partner_name=F(f"{side.prefix}{side.partner}__name"),
            warehouse_id=F(f"{side.prefix}warehouse_id"),
            warehouse_code=F(f"{side.prefix}warehouse__code"),
            warehouse_name=F(f"{side.prefix}warehouse__name"),
            sku_code=F("sku__code"),
            sku_name=F("sku__name"),
            unit_name=F("sku__product__base_unit__name"),
            unit_precision=F("sku__product__base_unit__precision"),
            batch_no=F("batch__batch_no"),
        )
        .order_by(f"-{side.prefix}posted_at", "-id")
    )
    for row in rows:
        row["document_id"] = row.pop("return_id")
        row["document_number"] = row.pop("return_number")
        row["document_status"] = row.pop("return_status")
        row["reason"] = row.pop("return_reason")
        row["quantity"] = row.pop("base_quantity")
        row["value"] = row.pop("line_value").quantize(_CENT)
        row["date"] = timezone.localtime(row.pop("posted_at")).date()
        row["side"] = side.key
    return rows
