"""Inventory's part of the approval engine (core.approvals): the facts approval rules are
evaluated on for a stock document and a transfer, and the built-in rules (security probe S8: a keeper no
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
    """The facts of one stock document (see `stock_document_facts_many`); of a document its
    service holds with its lines, their SKUs and the SKUs' stock in the warehouse
    (`held_stock`, read with the SKUs), from those rows without a query (request hot path)."""
    stock = getattr(document, "held_stock", None)
    if stock is None:
        return stock_document_facts_many([document])[document.pk]
    lines = [
        (
            line.sku_id,
            line.quantity,
            line.base_quantity,
            line.unit_cost,
            line.sku.purchase_price,
            category.path if (category := line.sku.product.category) is not None else None,
        )
        for line in document.lines.all()
    ]
    averages = {(document.warehouse_id, sku_id): held for sku_id, held in stock.items()}
    return _facts(
        {document.pk: document},
        [(document.pk, *line) for line in lines],
        averages,
        {document.pk: document.warehouse_id},
    )[document.pk]


def stock_document_facts_many(documents: list) -> dict[int, ApprovalFacts]:
    """Amount = the value a document moves: a line's given cost, else the average cost of
    the SKU in the document's warehouse now (its purchase price without stock); quantity =
    the sum of the lines' base quantities (absolute); the categories of its SKUs with their
    ancestors. Two queries for any number of documents."""
    from storeledger.inventory.models import StockDocumentLine

    by_id = {document.pk: document for document in documents}
    lines = list(
        StockDocumentLine.objects.filter(document_id__in=list(by_id)).values_list(
            "document_id",
            "sku_id",
            "quantity",
            "base_quantity",
            "unit_cost",
            "sku__purchase_price",
            "sku__product__category__path",
        )
    )
    warehouse_of = {pk: document.warehouse_id for pk, document in by_id.items()}
    averages = _averages({(warehouse_of[line[0]], line[1]) for line in lines})
    return _facts(by_id, lines, averages, warehouse_of)


def transfer_facts(transfer) -> ApprovalFacts:
    """The facts of one transfer (see `transfer_facts_many`)."""
    return transfer_facts_many([transfer])[transfer.pk]


def transfer_facts_many(transfers: list) -> dict[int, ApprovalFacts]:
    """A transfer is valued as a stock document that takes its lines out of the source
    warehouse: amount = the lines' base quantities at the SKU's average cost in the source
    warehouse now (its purchase price without stock); quantity = the sum of the lines' base
    quantities; store = the source's store (the transfer's own); the categories of its SKUs
    with their ancestors. Two queries for any number of transfers."""
    from storeledger.inventory.models import TransferLine

    by_id = {transfer.pk: transfer for transfer in transfers}
    lines = [
        (transfer_id, sku_id, quantity, base_quantity, None, purchase_price, path)
        for transfer_id, sku_id, quantity, base_quantity, purchase_price, path in (
            TransferLine.objects.filter(transfer_id__in=list(by_id)).values_list(
                "transfer_id",
                "sku_id",
                "quantity",
                "base_quantity",
                "sku__purchase_price",
                "sku__product__category__path",
            )
        )
    ]
    warehouse_of = {pk: transfer.from_warehouse_id for pk, transfer in by_id.items()}
    averages = _averages({(warehouse_of[line[0]], line[1]) for line in lines})
    return _facts(by_id, lines, averages, warehouse_of, kind="transfer")


def _averages(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """{(warehouse id, SKU id): (on hand, value)} of the SKUs in stock there (one query)."""
    from storeledger.inventory.models import StockBalance

    if not pairs:
        return {}
    rows = (
        StockBalance.objects.filter(
            warehouse_id__in={w for w, _sku in pairs},
            sku_id__in={sku for _w, sku in pairs},
            on_hand__gt=0,
        )
        .values("warehouse_id", "sku_id")
        .annotate(on_hand=Sum("on_hand"), value=Sum("value"))
    )
    return {(r["warehouse_id"], r["sku_id"]): (r["on_hand"], r["value"]) for r in rows}


def _facts(
    by_id: dict,
    lines: list,
    averages: dict[tuple[int, int], tuple[Decimal, Decimal]],
    warehouse_of: dict[int, int],
    kind: str | None = None,
) -> dict[int, ApprovalFacts]:
    """The facts of the documents `by_id` from their `lines` ((document id, SKU id, quantity,
    base quantity, unit cost or None, purchase price, category path)), each line valued in
    its document's warehouse (`warehouse_of`); `kind` (None: each document's own)."""
    totals: dict[int, list] = {pk: [ZERO, ZERO, set()] for pk in by_id}
    for document_id, sku_id, line_qty, base_qty, unit_cost, purchase_price, path in lines:
        total = totals[document_id]
        total[1] += abs(base_qty)
        if unit_cost is not None:
            total[0] += abs(line_qty) * unit_cost
        else:
            on_hand, value = averages.get((warehouse_of[document_id], sku_id), (ZERO, ZERO))
            average = value / on_hand if on_hand else purchase_price
            total[0] += abs(base_qty) * average
        total[2].update(int(part) for part in (path or "").split("/") if part)
    return {
        pk: ApprovalFacts(
            store_id=by_id[pk].store_id,
            kind=kind or by_id[pk].kind,
            amount=money(amount),
            quantity=qty(quantity),
            category_ids=frozenset(categories),
        )
        for pk, (amount, quantity, categories) in totals.items()
    }
