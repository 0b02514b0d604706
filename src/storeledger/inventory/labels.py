"""Inventory's label sources for the kernel's registry (core.doctypes `label_lines`): the lines
of a stock document or a transfer in the user's scope, as (SKU id, unit id, quantity in that
unit), for printing one barcode label per unit received or moved."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from storeledger.accounts import scope
from storeledger.core.errors import NotFound, PermissionDenied
from storeledger.inventory.models import StockDocument, Transfer

Lines = list[tuple[int, int | None, Decimal]]


def stock_document_label_lines(user, kind: str, document_id: int) -> Lines:
    if not user.has_perm("inventory.view_stockdocument"):
        raise PermissionDenied()
    documents = scope.filter_warehouses(StockDocument.objects.filter(kind=kind), user)
    document = documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return list(document.lines.order_by("line_no").values_list("sku_id", "unit_id", "quantity"))


def transfer_label_lines(user, kind: str, document_id: int) -> Lines:
    if not user.has_perm("inventory.view_transfer"):
        raise PermissionDenied()
    transfers = Transfer.objects.all()
    allowed = scope.warehouse_ids(user)
    if allowed is not None:
        transfers = transfers.filter(
            Q(from_warehouse_id__in=allowed) | Q(to_warehouse_id__in=allowed)
        )
    found = transfers.filter(pk=document_id).first()
    if found is None:
        raise NotFound()
    return list(found.lines.order_by("line_no").values_list("sku_id", "unit_id", "quantity"))
