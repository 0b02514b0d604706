"""Admin of the inventory app. The ledger (postings, moves, balances) is read-only here: it
changes only through the posting service. Documents are read-only once posted."""

from __future__ import annotations

from django.contrib import admin

from storeledger.core.documents import DocumentStatus
from storeledger.inventory.api.common import DOCUMENT_STAMP_FIELDS
from storeledger.inventory.models import (
    Batch,
    Posting,
    ReasonCode,
    StockBalance,
    StockCount,
    StockCountEntry,
    StockCountLine,
    StockDocument,
    StockDocumentLine,
    StockMove,
    Transfer,
    TransferLine,
)

EDITABLE_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.SUBMITTED, DocumentStatus.APPROVED)

DOCUMENT_AUDIT_FIELDS = ("number", "status", "version", *DOCUMENT_STAMP_FIELDS, "reversal_of")


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _editable(obj) -> bool:
    return obj is None or obj.status in EDITABLE_STATUSES


class DocumentLineInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)


class DocumentAdmin(admin.ModelAdmin):
    """Status and who/when are read-only (they change through the services); a posted,
    reversed or cancelled document is read-only altogether."""

    date_hierarchy = "document_date"
    search_fields = ("number",)

    def get_readonly_fields(self, request, obj=None):
        if not _editable(obj):
            return [f.name for f in self.model._meta.fields]
        return DOCUMENT_AUDIT_FIELDS

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != DocumentStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


class StockDocumentLineInline(DocumentLineInline):
    model = StockDocumentLine
    raw_id_fields = ("sku", "batch", "location")


@admin.register(StockDocument)
class StockDocumentAdmin(DocumentAdmin):
    list_display = ("number", "kind", "status", "warehouse", "document_date", "reason")
    list_filter = ("kind", "status", "warehouse")
    list_select_related = ("warehouse", "reason")
    inlines = [StockDocumentLineInline]


class TransferLineInline(DocumentLineInline):
    model = TransferLine
    raw_id_fields = ("sku", "batch")
    readonly_fields = ("shipped_quantity", "received_quantity", "discrepancy_quantity")


@admin.register(Transfer)
class TransferAdmin(DocumentAdmin):
    list_display = ("number", "status", "from_warehouse", "to_warehouse", "document_date")
    list_filter = ("status", "from_warehouse", "to_warehouse")
    list_select_related = ("from_warehouse", "to_warehouse")
    inlines = [TransferLineInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "shipped_at", "shipped_by", "received_at", "received_by"]


class StockCountLineInline(DocumentLineInline):
    model = StockCountLine
    raw_id_fields = ("sku", "batch")
    fields = ("sku", "batch", "book_quantity", "counted_quantity", "difference")
    readonly_fields = ("book_quantity", "counted_quantity", "difference")


@admin.register(StockCount)
class StockCountAdmin(DocumentAdmin):
    list_display = ("number", "status", "warehouse", "document_date", "blind")
    list_filter = ("status", "warehouse", "blind")
    list_select_related = ("warehouse",)
    inlines = [StockCountLineInline]


@admin.register(StockCountEntry)
class StockCountEntryAdmin(ReadOnlyAdmin):
    list_display = ("line", "quantity", "counted_by", "counted_at", "is_recount")
    list_select_related = ("line", "counted_by")


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ("kind", "code", "name", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("batch_no", "sku", "production_date", "expiry_date")
    search_fields = ("batch_no", "sku__code", "sku__name")
    raw_id_fields = ("sku",)
    list_select_related = ("sku",)


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    list_display = ("warehouse", "sku", "batch", "on_hand", "reserved", "value")
    list_filter = ("warehouse",)
    search_fields = ("sku__code", "sku__name", "batch__batch_no")
    list_select_related = ("warehouse", "sku", "batch")


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("key", "document_type", "document_number", "event", "posted_at", "user")
    list_filter = ("document_type", "event")
    search_fields = ("key", "document_number")
    list_select_related = ("user",)


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = (
        "posted_at",
        "move_type",
        "warehouse",
        "sku",
        "batch",
        "quantity",
        "unit_cost",
        "value",
        "balance_quantity",
    )
    list_filter = ("move_type", "warehouse")
    search_fields = ("sku__code", "posting__document_number")
    date_hierarchy = "posted_at"
    list_select_related = ("warehouse", "sku", "batch")
