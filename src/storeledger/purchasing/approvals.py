"""Purchasing's part of the approval engine (core.approvals): the facts approval rules are
evaluated on for a purchase order — its amount incl. tax, its store, its supplier and the
categories (with their ancestors) of the SKUs it orders. The demo seeds two levels on them
(store manager above ¥5,000, head office above ¥50,000); an administrator adds others on the
approval-rules page."""

from __future__ import annotations

from decimal import Decimal

from storeledger.core.approvals import ApprovalFacts
from storeledger.core.quantities import qty


def purchase_order_facts(order) -> ApprovalFacts:
    """The facts of one purchase order (see `purchase_order_facts_many`)."""
    return purchase_order_facts_many([order])[order.pk]


def purchase_order_facts_many(orders: list) -> dict[int, ApprovalFacts]:
    """Amount = the order's gross total (the sum of its lines rounded to the fen, kept on the
    header by the services); quantity = the sum of the lines' base quantities; the categories
    of its SKUs with their ancestors. One query for any number of orders."""
    from storeledger.purchasing.models import PurchaseOrderLine

    by_id = {order.pk: order for order in orders}
    quantities = {pk: qty(0) for pk in by_id}
    categories: dict[int, set[int]] = {pk: set() for pk in by_id}
    rows = PurchaseOrderLine.objects.filter(order_id__in=list(by_id)).values_list(
        "order_id", "base_quantity", "sku__product__category__path"
    )
    for order_id, base_quantity, path in rows:
        quantities[order_id] += base_quantity
        categories[order_id].update(int(part) for part in (path or "").split("/") if part)
    return {
        pk: ApprovalFacts(
            store_id=order.store_id,
            kind="purchase_order",
            amount=order.total_gross,
            quantity=qty(quantities[pk]),
            supplier_id=order.supplier_id,
            category_ids=frozenset(categories[pk]),
        )
        for pk, order in by_id.items()
    }


# The demo's (and a typical chain's) two levels for purchase orders: the store manager above
# ¥5,000, head office as well above ¥50,000. Not built in: the demo seeds them
# (demo.loader), an administrator chooses their own on the approval-rules page.
TWO_LEVELS = (
    ("采购订单超过 ¥5,000 需店长审批", Decimal("5000"), 1, "store_manager", "document_store"),
    ("采购订单超过 ¥50,000 需总部审批", Decimal("50000"), 2, "admin", "head_office"),
)


def create_two_level_rules() -> list:
    """Create the rules of TWO_LEVELS (through the engine's own service)."""
    from storeledger.core import approvals

    return [
        approvals.save_rule(
            user=None,
            values={"document_type": "purchaseorder", "name": name, "amount_above": above},
            levels=[approvals.LevelInput(sequence, role, scope)],
        )
        for name, above, sequence, role, scope in TWO_LEVELS
    ]
