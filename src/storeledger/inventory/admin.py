"""Admin of the inventory app, for administrators only (see accounts/admin_site.py).

Documents, their lines, postings, moves and balances are read-only here: a document changes
only through the admin actions below, each of which calls the same service as the API (with
its status checks, permissions, data scope and ledger posting). Every list is limited to the
user's data scope, as in the API."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from storeledger.accounts import scope
from storeledger.accounts.admin_site import ScopedAdminMixin
from storeledger.core.errors import DomainError
from storeledger.inventory.models import (
    Batch,
    Posting,
    ReasonCode,
    Reservation,
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
from storeledger.inventory.services import counts as count_services
from storeledger.inventory.services import documents as document_services
from storeledger.inventory.services import transfers as transfer_services


class ReadOnlyMixin:
    """View only: no add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


def _run(modeladmin, request, queryset, call: Callable[[object, int], object], done: str) -> None:
    """Call a service for each selected document; report successes and each refusal."""
    succeeded = 0
    for obj in queryset.order_by("pk"):
        try:
            call(request.user, obj.pk)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(
            request,
            ngettext("%(action)s: %(n)d document.", "%(action)s: %(n)d documents.", succeeded)
            % {"action": done, "n": succeeded},
            messages.SUCCESS,
        )


ACTION_LABELS = {
    "submit": (_("Submit"), _("Submitted")),
    "approve": (_("Approve"), _("Approved")),
    "post": (_("Post"), _("Posted")),
    "ship": (_("Ship"), _("Shipped")),
    "cancel": (_("Cancel"), _("Cancelled")),
}


def service_action(verb: str, call: Callable[[object, int], object]):
    """An admin action `verb` that calls a document service (`call(user, pk)`) for each
    selected document, allowed by the admin's `has_<verb>_permission`."""
    label, done = ACTION_LABELS[verb]

    def action(modeladmin, request, queryset) -> None:
        _run(modeladmin, request, queryset, call, done)

    action.__name__ = verb
    return admin.action(description=label, permissions=[verb])(action)


class DocumentAdmin(ReadOnlyAdmin):
    """A document through its service actions; `perm_model` names the permissions."""

    date_hierarchy = "document_date"
    search_fields = ("number",)
    perm_model = ""

    def _may(self, request, verb: str) -> bool:
        return request.user.has_perm(f"inventory.{verb}_{self.perm_model}")

    def has_submit_permission(self, request) -> bool:
        return self._may(request, "submit")

    def has_approve_permission(self, request) -> bool:
        return self._may(request, "approve")

    def has_post_permission(self, request) -> bool:
        return self._may(request, "post")

    def has_cancel_permission(self, request) -> bool:
        return self._may(request, "change")

    def has_ship_permission(self, request) -> bool:
        return self._may(request, "ship")


class StockDocumentLineInline(ReadOnlyInline):
    model = StockDocumentLine


@admin.register(StockDocument)
class StockDocumentAdmin(DocumentAdmin):
    list_display = ("number", "kind", "status", "warehouse", "document_date", "reason")
    list_filter = ("kind", "status", ("warehouse", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("warehouse", "reason")
    inlines = [StockDocumentLineInline]
    scope_warehouse = "warehouse"
    perm_model = "stockdocument"
    actions = ["submit", "approve", "post", "cancel"]

    submit = service_action(
        "submit",
        lambda user, pk: document_services.submit_stock_document(user=user, document_id=pk),
    )

    approve = service_action(
        "approve",
        lambda user, pk: document_services.approve_stock_document(user=user, document_id=pk),
    )

    post = service_action(
        "post",
        lambda user, pk: document_services.post_stock_document(user=user, document_id=pk),
    )

    cancel = service_action(
        "cancel",
        lambda user, pk: document_services.cancel_stock_document(user=user, document_id=pk),
    )


class TransferLineInline(ReadOnlyInline):
    model = TransferLine


@admin.register(Transfer)
class TransferAdmin(DocumentAdmin):
    list_display = ("number", "status", "from_warehouse", "to_warehouse", "document_date")
    list_filter = (
        "status",
        ("from_warehouse", admin.RelatedOnlyFieldListFilter),
        ("to_warehouse", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("from_warehouse", "to_warehouse")
    inlines = [TransferLineInline]
    perm_model = "transfer"
    actions = ["submit", "approve", "ship", "cancel"]

    def scoped_queryset(self, queryset, user):
        return transfer_services.visible_transfers(queryset, user)

    submit = service_action(
        "submit",
        lambda user, pk: transfer_services.submit_transfer(user=user, transfer_id=pk),
    )

    approve = service_action(
        "approve",
        lambda user, pk: transfer_services.approve_transfer(user=user, transfer_id=pk),
    )

    ship = service_action(
        "ship",
        lambda user, pk: transfer_services.ship_transfer(user=user, transfer_id=pk),
    )

    cancel = service_action(
        "cancel",
        lambda user, pk: transfer_services.cancel_transfer(user=user, transfer_id=pk),
    )


class StockCountLineInline(ReadOnlyInline):
    model = StockCountLine
    fields = ("sku", "batch", "book_quantity", "counted_quantity", "difference")


@admin.register(StockCount)
class StockCountAdmin(DocumentAdmin):
    list_display = ("number", "status", "warehouse", "document_date", "blind")
    list_filter = ("status", ("warehouse", admin.RelatedOnlyFieldListFilter), "blind")
    list_select_related = ("warehouse",)
    inlines = [StockCountLineInline]
    scope_warehouse = "warehouse"
    perm_model = "stockcount"
    actions = ["approve", "post", "cancel"]

    approve = service_action(
        "approve",
        lambda user, pk: count_services.approve_stock_count(user=user, count_id=pk),
    )

    post = service_action(
        "post",
        lambda user, pk: count_services.post_stock_count(user=user, count_id=pk),
    )

    cancel = service_action(
        "cancel",
        lambda user, pk: count_services.cancel_stock_count(user=user, count_id=pk),
    )


@admin.register(StockCountEntry)
class StockCountEntryAdmin(ReadOnlyAdmin):
    list_display = ("line", "quantity", "counted_by", "counted_at", "is_recount")
    list_select_related = ("line", "counted_by")
    scope_warehouse = "line__count__warehouse"


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
    list_filter = (("warehouse", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("sku__code", "sku__name", "batch__batch_no")
    list_select_related = ("warehouse", "sku", "batch")
    scope_warehouse = "warehouse"


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = (
        "document_type",
        "document_id",
        "line_id",
        "warehouse",
        "sku",
        "quantity",
        "consumed",
        "released",
        "shorted",
        "updated_at",
    )
    list_filter = ("document_type", ("warehouse", admin.RelatedOnlyFieldListFilter))
    search_fields = ("sku__code", "sku__name")
    list_select_related = ("warehouse", "sku")
    scope_warehouse = "warehouse"


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("key", "document_type", "document_number", "event", "posted_at", "user")
    list_filter = ("document_type", "event")
    search_fields = ("key", "document_number")
    list_select_related = ("user",)

    def scoped_queryset(self, queryset, user):
        allowed = scope.warehouse_ids(user)
        if allowed is None:
            return queryset
        moves = StockMove.objects.filter(posting_id=OuterRef("pk"), warehouse_id__in=allowed)
        return queryset.filter(Exists(moves))


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
    list_filter = ("move_type", ("warehouse", admin.RelatedOnlyFieldListFilter))
    search_fields = ("sku__code", "posting__document_number")
    date_hierarchy = "posted_at"
    list_select_related = ("warehouse", "sku", "batch")
    scope_warehouse = "warehouse"
