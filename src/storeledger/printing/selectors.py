"""Read queries for printing: the documents (within the user's data scope) with their lines,
and the SKUs, units, barcodes and prices that labels need. Nothing here writes."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from storeledger.accounts import scope
from storeledger.catalog.models import Barcode, Sku, SkuUnit
from storeledger.core import doctypes
from storeledger.core.errors import NotFound
from storeledger.inventory.models import (
    StockCount,
    StockCountLine,
    StockCountStatus,
    StockDocument,
    StockDocumentLine,
    StockMove,
    Transfer,
    TransferLine,
)

# The ledger's document_type of each document family (see inventory/services).
STOCK_DOCUMENT_TYPE = "stock_document"
APPROVE_COUNT_PERM = "inventory.approve_stockcount"
_USERS = ("created_by", "submitted_by", "approved_by", "posted_by", "reversed_by")


def stock_document(*, user, kind: str, document_id: int) -> StockDocument:
    """One stock-in/out/adjustment/scrap with its lines; NotFound outside the user's scope."""
    queryset = (
        StockDocument.objects.filter(kind=kind)
        .select_related("store", "warehouse", "reason", *_USERS)
        .prefetch_related(
            Prefetch(
                "lines",
                StockDocumentLine.objects.select_related(
                    "sku", "unit", "batch", "location"
                ).order_by("line_no"),
            )
        )
    )
    document = scope.filter_warehouses(queryset, user).filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return document


def posted_line_values(document: StockDocument) -> dict[int, Decimal]:
    """Absolute value moved by each line when the document was posted (not its reversal)."""
    rows = (
        StockMove.objects.filter(
            posting__document_type=STOCK_DOCUMENT_TYPE,
            posting__document_id=document.id,
            posting__reverses__isnull=True,
            line_id__isnull=False,
        )
        .values("line_id")
        .annotate(total=Sum("value"))
    )
    values: dict[int, Decimal] = {}
    for row in rows:
        if row["line_id"] is not None:
            values[row["line_id"]] = abs(row["total"] or Decimal(0))
    return values


def transfer(*, user, transfer_id: int) -> Transfer:
    """One transfer with its lines; visible when its source or destination is in scope."""
    queryset = Transfer.objects.select_related(
        "store", "from_warehouse", "to_warehouse", "shipped_by", "received_by", *_USERS
    ).prefetch_related(
        Prefetch(
            "lines",
            TransferLine.objects.select_related(
                "sku__product__base_unit", "unit", "batch", "from_location", "to_location"
            ).order_by("line_no"),
        )
    )
    allowed = scope.warehouse_ids(user)
    if allowed is not None:
        queryset = queryset.filter(
            Q(from_warehouse_id__in=allowed) | Q(to_warehouse_id__in=allowed)
        )
    found = queryset.filter(pk=transfer_id).first()
    if found is None:
        raise NotFound()
    return found


def stock_count(*, user, count_id: int) -> StockCount:
    queryset = StockCount.objects.select_related("store", "warehouse", *_USERS).prefetch_related(
        Prefetch(
            "lines",
            StockCountLine.objects.select_related("sku__product__base_unit", "batch").order_by(
                "sku__code", "batch__batch_no", "id"
            ),
        )
    )
    count = scope.filter_warehouses(queryset, user).filter(pk=count_id).first()
    if count is None:
        raise NotFound()
    return count


def hides_book(count: StockCount, user) -> bool:
    """Blind count not yet submitted and the user may not see book quantities."""
    return (
        count.blind
        and count.status in (StockCountStatus.DRAFT, StockCountStatus.COUNTING)
        and not user.has_perm(APPROVE_COUNT_PERM)
    )


# ---------------------------------------------------------------- labels


def label_skus(sku_ids: list[int]) -> dict[int, Sku]:
    """The SKUs by id with their units and barcodes (for label text, prices and barcodes)."""
    return {
        sku.id: sku
        for sku in Sku.objects.filter(id__in=sku_ids)
        .select_related("product__base_unit")
        .prefetch_related(
            Prefetch("units", SkuUnit.objects.select_related("unit")),
            Prefetch("barcodes", Barcode.objects.order_by("-is_primary", "id")),
        )
    }


def document_label_lines(*, user, document_type: str, document_id: int) -> list[tuple]:
    """(sku_id, unit_id, quantity in the line unit) of each line of a document in scope, from
    the document type's registered `label_lines` (core.doctypes)."""
    try:
        label_lines = doctypes.for_kind(document_type).label_lines
    except KeyError:
        label_lines = None
    if label_lines is None:
        raise NotFound()
    return label_lines(user, document_type, document_id)
