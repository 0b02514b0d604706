"""Inventory's part of the approval engine (core.approvals): the facts approval rules are
evaluated on for a stock document, and the built-in rules (security probe S8: a keeper no
longer posts a large stock-out, scrap, adjustment or cost-bearing stock-in alone)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from storeledger.core.approvals import ApprovalFacts
from storeledger.core.quantities import ZERO, money, qty

# Built-in rules, created once per database (core.approvals_seed; an administrator may change
# their thresholds and levels, or deactivate them).
STOCK_OUT_LIMIT = Decimal("2000")
STOCK_IN_LIMIT = Decimal("5000")


def default_rules() -> list[dict]:
    manager = [{"sequence": 1, "role": "store_manager", "scope": "document_store"}]
    names = {
        "stock_out": "出库金额超过 ¥2,000 需店长审批",
        "scrap": "报损金额超过 ¥2,000 需店长审批",
        "adjustment": "调整金额超过 ¥2,000 需店长审批",
        "stock_in": "入库金额超过 ¥5,000 需店长审批",
    }
    return [
        {
            "key": f"inventory.{kind}.amount",
            "document_type": "stockdocument",
            "document_kind": kind,
            "name": name,
            "amount_above": STOCK_IN_LIMIT if kind == "stock_in" else STOCK_OUT_LIMIT,
            "levels": manager,
        }
        for kind, name in names.items()
    ]


def stock_document_facts(document) -> ApprovalFacts:
    """Amount = the value the document moves: a line's given cost, else the average cost of
    the SKU in the document's warehouse now (its purchase price without stock); quantity =
    the sum of the lines' base quantities (absolute); the categories of its SKUs with their
    ancestors. Two queries."""
    from storeledger.inventory.models import StockBalance

    lines = list(
        document.lines.values_list(
            "sku_id",
            "quantity",
            "base_quantity",
            "unit_cost",
            "sku__purchase_price",
            "sku__product__category__path",
        )
    )
    averages = {
        row["sku_id"]: (row["on_hand"], row["value"])
        for row in StockBalance.objects.filter(
            warehouse_id=document.warehouse_id,
            sku_id__in={line[0] for line in lines},
            on_hand__gt=0,
        )
        .values("sku_id")
        .annotate(on_hand=Sum("on_hand"), value=Sum("value"))
    }
    amount, quantity = ZERO, ZERO
    categories: set[int] = set()
    for sku_id, line_qty, base_qty, unit_cost, purchase_price, path in lines:
        quantity += abs(base_qty)
        if unit_cost is not None:
            amount += abs(line_qty) * unit_cost
        else:
            on_hand, value = averages.get(sku_id, (ZERO, ZERO))
            average = value / on_hand if on_hand else purchase_price
            amount += abs(base_qty) * average
        categories.update(int(part) for part in (path or "").split("/") if part)
    return ApprovalFacts(
        store_id=document.store_id,
        kind=document.kind,
        amount=money(amount),
        quantity=qty(quantity),
        category_ids=frozenset(categories),
    )
