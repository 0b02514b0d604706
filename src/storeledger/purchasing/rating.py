"""Supplier rating 供应商评分: per supplier and period, four figures computed from the posted
documents, each a percentage, and their weighted score (docs/purchasing.md, "Supplier rating").

- on time 准时交货率: of the receipt lines against an order line with an expected date (the
  line's, else the order's), the share received on or before that date;
- fill rate 满足率: of the order lines due in the period (approved or later, not cancelled),
  the ordered value that was received, each line counted up to its ordered quantity;
- quality 质量合格率: 1 − (rejected + returned) ÷ (accepted + rejected), by value at the
  receipt's cost, over the receipts of the period (and the returns of the period);
- price 价格竞争力: what the supplier charged for the SKUs it delivered against what the same
  quantities cost on average from every supplier in the period (price index, 100 = average);
  the figure is 100 × average ÷ supplier's, at most 100: a supplier at or below the average
  gets 100, one 25 % dearer 80.

The score is the weighted mean of the figures a supplier has data for (a supplier with no order
due has no fill rate; its weight is shared out among the others), weights from the company
settings. Rows are limited to the given warehouses (the user's scope)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from storeledger.partners.models import Supplier
from storeledger.purchasing.models import (
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
)

FIGURES = ("on_time", "fill_rate", "quality", "price")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
PLACES = Decimal("0.1")

# Orders that were committed to the supplier: their lines count for the fill rate.
_COMMITTED = (
    PurchaseOrderStatus.APPROVED,
    PurchaseOrderStatus.SENT,
    PurchaseOrderStatus.PARTIALLY_RECEIVED,
    PurchaseOrderStatus.RECEIVED,
    PurchaseOrderStatus.CLOSED,
)


@dataclass(frozen=True)
class Weights:
    on_time: Decimal = Decimal(40)
    fill_rate: Decimal = Decimal(30)
    quality: Decimal = Decimal(20)
    price: Decimal = Decimal(10)

    @classmethod
    def of_company(cls) -> Weights:
        from storeledger.org.models import Company

        company = Company.current()
        return cls(
            on_time=company.rating_weight_on_time,
            fill_rate=company.rating_weight_fill_rate,
            quality=company.rating_weight_quality,
            price=company.rating_weight_price,
        )


# A source of returned value per supplier in a period, registered by the module that keeps
# purchase returns: (date_from, date_to, warehouse ids or None) -> {supplier id: value}.
ReturnedValue = Callable[[datetime.date, datetime.date, "Iterable[int] | None"], dict[int, Decimal]]
_returned_value_sources: list[ReturnedValue] = []


def register_returned_value(source: ReturnedValue) -> ReturnedValue:
    _returned_value_sources.append(source)
    return source


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (HUNDRED * part / whole).quantize(PLACES, ROUND_HALF_UP)


def _in_scope(queryset: QuerySet, warehouse_ids: Iterable[int] | None, field: str) -> QuerySet:
    if warehouse_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": list(warehouse_ids)})


def _receipt_lines(date_from, date_to, warehouse_ids) -> list[dict]:
    lines = PurchaseReceiptLine.objects.filter(
        receipt__status=PurchaseReceiptStatus.POSTED,
        receipt__posted_at__gte=_midnight(date_from),
        receipt__posted_at__lt=_midnight(date_to + datetime.timedelta(days=1)),
    )
    lines = _in_scope(lines, warehouse_ids, "receipt__warehouse_id")
    return list(
        lines.annotate(
            supplier_id=F("receipt__supplier_id"),
            posted_at=F("receipt__posted_at"),
            line_expected=F("order_line__expected_date"),
            order_expected=F("order_line__order__expected_date"),
        ).values(
            "supplier_id",
            "sku_id",
            "posted_at",
            "line_expected",
            "order_expected",
            "order_line_id",
            "base_quantity",
            "factor",
            "rejected_quantity",
            "unit_cost",
        )
    )


def _due_order_lines(date_from, date_to, warehouse_ids) -> list[dict]:
    due_line = Q(expected_date__gte=date_from, expected_date__lte=date_to)
    due_order = Q(
        expected_date__isnull=True,
        order__expected_date__gte=date_from,
        order__expected_date__lte=date_to,
    )
    lines = PurchaseOrderLine.objects.filter(order__status__in=_COMMITTED).filter(
        due_line | due_order
    )
    lines = _in_scope(lines, warehouse_ids, "order__warehouse_id")
    return list(
        lines.annotate(supplier_id=F("order__supplier_id")).values(
            "supplier_id", "base_quantity", "received_quantity", "net_amount"
        )
    )


@dataclass
class _Tally:
    on_time: int = 0
    timed: int = 0
    due_value: Decimal = ZERO
    filled_value: Decimal = ZERO
    accepted_value: Decimal = ZERO
    rejected_value: Decimal = ZERO
    returned_value: Decimal = ZERO
    receipt_lines: int = 0
    charged: Decimal = ZERO
    at_average: Decimal = ZERO


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _tally_receipts(tallies: dict[int, _Tally], lines: list[dict]) -> None:
    # SKU -> [quantity, value] over every supplier: the average the price figure compares to.
    market: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    bought: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        tally = tallies[line["supplier_id"]]
        tally.receipt_lines += 1
        expected = line["line_expected"] or line["order_expected"]
        if line["order_line_id"] is not None and expected is not None:
            tally.timed += 1
            if _local_date(line["posted_at"]) <= expected:
                tally.on_time += 1
        accepted = line["base_quantity"]
        rejected = line["rejected_quantity"] * line["factor"]
        tally.accepted_value += accepted * line["unit_cost"]
        tally.rejected_value += rejected * line["unit_cost"]
        if accepted > 0:
            value = accepted * line["unit_cost"]
            market[line["sku_id"]][0] += accepted
            market[line["sku_id"]][1] += value
            bought[(line["supplier_id"], line["sku_id"])][0] += accepted
            bought[(line["supplier_id"], line["sku_id"])][1] += value
    for (supplier_id, sku_id), (quantity, value) in bought.items():
        market_quantity, market_value = market[sku_id]
        tallies[supplier_id].charged += value
        tallies[supplier_id].at_average += quantity * market_value / market_quantity


def _tally_orders(tallies: dict[int, _Tally], lines: list[dict]) -> None:
    for line in lines:
        tally = tallies[line["supplier_id"]]
        share = min(line["received_quantity"] / line["base_quantity"], Decimal(1))
        tally.due_value += line["net_amount"]
        tally.filled_value += line["net_amount"] * share


def _figures(tally: _Tally) -> dict[str, Decimal | None]:
    received = tally.accepted_value + tally.rejected_value
    price_index = _percent(tally.charged, tally.at_average)
    price = None
    if price_index is not None and price_index > 0:
        price = min(HUNDRED, (HUNDRED * HUNDRED / price_index).quantize(PLACES, ROUND_HALF_UP))
    quality = None
    if received > 0:
        bad = min(tally.rejected_value + tally.returned_value, received)
        quality = (HUNDRED - HUNDRED * bad / received).quantize(PLACES, ROUND_HALF_UP)
    return {
        "on_time": _percent(Decimal(tally.on_time), Decimal(tally.timed)),
        "fill_rate": _percent(tally.filled_value, tally.due_value),
        "quality": quality,
        "price_index": price_index,
        "price": price,
    }


def score(figures: dict[str, Decimal | None], weights: Weights) -> Decimal | None:
    """The weighted mean of the figures present; None when none is."""
    total = weight_sum = ZERO
    for name in FIGURES:
        value, weight = figures[name], getattr(weights, name)
        if value is not None and weight > 0:
            total += value * weight
            weight_sum += weight
    return (total / weight_sum).quantize(PLACES, ROUND_HALF_UP) if weight_sum else None


def supplier_ratings(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    warehouse_ids: Iterable[int] | None = None,
    supplier_ids: Iterable[int] | None = None,
    weights: Weights | None = None,
) -> list[dict]:
    """One row per supplier with documents in the period, best score first."""
    weights = weights or Weights.of_company()
    scope = None if warehouse_ids is None else list(warehouse_ids)
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    _tally_receipts(tallies, _receipt_lines(date_from, date_to, scope))
    _tally_orders(tallies, _due_order_lines(date_from, date_to, scope))
    for source in _returned_value_sources:
        for supplier_id, value in source(date_from, date_to, scope).items():
            tallies[supplier_id].returned_value += value
    wanted = None if supplier_ids is None else set(supplier_ids)
    ids = [i for i in tallies if wanted is None or i in wanted]
    suppliers = Supplier.objects.in_bulk(ids)
    rows = []
    for supplier_id in ids:
        tally, supplier = tallies[supplier_id], suppliers[supplier_id]
        figures = _figures(tally)
        rows.append(
            {
                "supplier_id": supplier_id,
                "supplier_code": supplier.code,
                "supplier_name": supplier.name,
                **figures,
                "score": score(figures, weights),
                "receipt_lines": tally.receipt_lines,
                "received_value": (tally.accepted_value + tally.rejected_value).quantize(
                    Decimal("0.01")
                ),
                "returned_value": tally.returned_value.quantize(Decimal("0.01")),
            }
        )
    rows.sort(key=lambda row: (row["score"] is None, -(row["score"] or 0), row["supplier_code"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["score"] is not None else None
    return rows
