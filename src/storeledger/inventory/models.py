"""The stock ledger (batches, balances, postings, moves) and the inventory documents.

Only `inventory.ledger.post_moves` writes StockMove and StockBalance rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from storeledger.catalog.models import Sku, Unit
from storeledger.core.documents import Document, idempotency_key_field, idempotency_key_unique
from storeledger.core.quantities import money_field_kwargs, qty_field_kwargs
from storeledger.org.models import Location, Store, Warehouse


class Batch(models.Model):
    """A batch (lot) of a batch-tracked SKU, with its expiry date for FEFO."""

    sku = models.ForeignKey(
        Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="batches"
    )
    batch_no = models.CharField(_("batch number"), max_length=64)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sku", "expiry_date", "batch_no"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(fields=["sku", "batch_no"], name="inventory_batch_unique_no")
        ]

    def __str__(self) -> str:
        return self.batch_no


class StockBalance(models.Model):
    """On hand, reserved and value of one warehouse × SKU × batch. Written only with its moves."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    sku = models.ForeignKey(
        Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="balances"
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="balances"
    )
    on_hand = models.DecimalField(_("on hand"), default=0, **qty_field_kwargs())
    reserved = models.DecimalField(_("reserved"), default=0, **qty_field_kwargs())
    value = models.DecimalField(_("value"), default=0, **money_field_kwargs())
    # The negative-stock policy in force at the last posting; the check constraint below
    # makes the database refuse negative stock where the policy forbids it.
    allow_negative = models.BooleanField(default=False)
    last_move_hash = models.CharField(max_length=64, default="")
    move_count = models.PositiveBigIntegerField(default=0)
    # When its last move was posted: a posting is stamped no earlier (time order = chain order
    # within a balance, so "the last move before t" is one index seek), and a back-dated one
    # is checked against it without reading the moves.
    last_posted_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "sku", "batch"],
                condition=Q(batch__isnull=False),
                name="inventory_balance_unique_batch",
            ),
            models.UniqueConstraint(
                fields=["warehouse", "sku"],
                condition=Q(batch__isnull=True),
                name="inventory_balance_unique_nobatch",
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="inventory_balance_reserved_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(on_hand__gte=0),
                name="inventory_balance_onhand_nonneg_unless_allowed",
            ),
        ]
        indexes = [models.Index(fields=["sku", "warehouse"], name="inventory_balance_sku_wh")]

    def __str__(self) -> str:
        return f"{self.warehouse_id}/{self.sku_id}/{self.batch_id}: {self.on_hand}"

    @property
    def available(self):
        return self.on_hand - self.reserved


class MoveType(models.TextChoices):
    STOCK_IN = "stock_in", _("Other stock-in")
    STOCK_OUT = "stock_out", _("Other stock-out")
    ADJUSTMENT = "adjustment", _("Adjustment")
    SCRAP = "scrap", _("Scrap")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    TRANSFER_LOSS = "transfer_loss", _("Transfer discrepancy")
    COUNT_GAIN = "count_gain", _("Stock count gain")
    COUNT_LOSS = "count_loss", _("Stock count loss")
    PURCHASE_RECEIPT = "purchase_receipt", _("Purchase receipt")
    PURCHASE_RETURN = "purchase_return", _("Purchase return")
    SALE = "sale", _("Sale")
    SALES_RETURN = "sales_return", _("Sales return")


class Posting(models.Model):
    """One posting of a document event (post, ship, receive #2, reverse). The unique key makes
    posting idempotent: the same event can never write its moves twice."""

    key = models.CharField(max_length=120, unique=True)
    document_type = models.CharField(_("document type"), max_length=40)
    document_id = models.BigIntegerField(_("document id"))
    document_number = models.CharField(_("document number"), max_length=40, db_index=True)
    event = models.CharField(_("event"), max_length=40)
    posted_at = models.DateTimeField(_("posted at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversals"
    )
    # set by the ledger on the posting it writes: its moves as written (not a column)
    created_moves: list[StockMove]

    class Meta:
        indexes = [
            models.Index(fields=["document_type", "document_id"], name="inventory_posting_doc")
        ]
        # Granted on purpose to the user who migrates history; no seeded role has it.
        permissions = [("post_backdated", "Can post at a past time (migrating history)")]

    def __str__(self) -> str:
        return self.key


class StockMove(models.Model):
    """An immutable ledger row. Never updated or deleted; corrected by a reversing posting."""

    # The warehouse, SKU and balance columns are the first of composite indexes below, which
    # serve their lookups; an index of their own would only slow every posting down.
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="moves")
    balance = models.ForeignKey(
        StockBalance, on_delete=models.PROTECT, related_name="moves", db_index=False
    )
    posted_at = models.DateTimeField(_("posted at"))
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sku = models.ForeignKey(
        Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="moves", db_index=False
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    move_type = models.CharField(_("move type"), max_length=20, choices=MoveType.choices)
    quantity = models.DecimalField(_("quantity"), **qty_field_kwargs())
    unit_cost = models.DecimalField(_("unit cost"), **money_field_kwargs())
    value = models.DecimalField(_("value"), **money_field_kwargs())
    balance_quantity = models.DecimalField(_("quantity after"), **qty_field_kwargs())
    balance_value = models.DecimalField(_("value after"), **money_field_kwargs())
    line_id = models.BigIntegerField(null=True, blank=True)
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        indexes = [
            models.Index(fields=["sku", "posted_at"], name="inventory_move_sku_time"),
            models.Index(fields=["warehouse", "posted_at"], name="inventory_move_wh_time"),
            models.Index(fields=["posted_at"], name="inventory_move_time"),
            models.Index(fields=["balance", "id"], name="inventory_move_balance"),
            # The stock of a balance at a time (reports' openings): its last move before it,
            # read from the index alone on PostgreSQL (SQLite has no INCLUDE and ignores it).
            models.Index(
                fields=["balance", "posted_at", "id"],
                include=["balance_quantity", "balance_value"],
                name="inventory_move_balance_time",
            ),
        ]

    def __str__(self) -> str:
        # as the admin's title and breadcrumb show it: "其他入库 COLA +3 (2026-12-06 07:27)"
        quantity = self.quantity.normalize() if self.quantity is not None else ""
        sign = "+" if self.quantity is not None and self.quantity > 0 else ""
        when = (
            timezone.localtime(self.posted_at).strftime("%Y-%m-%d %H:%M") if self.posted_at else ""
        )
        return f"{self.get_move_type_display()} {self.sku.code} {sign}{quantity:f} ({when})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("stock moves are immutable; post a reversal instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("stock moves are immutable; post a reversal instead")


class Reservation(models.Model):
    """Stock promised to one line of a document (a sales order) on one balance. Written only by
    the ledger (`reserve`, `release`, and a posting that consumes it), under the balance's lock;
    the balance's `reserved` is the sum of its reservations' open `quantity`.

    Generic: the document type is a registry key (`core.doctypes`), the line an id in that
    type's line table. A line has one row per balance it reserves on: one for a SKU without
    batches, one per batch when a batch-tracked line is reserved first-expiry-first-out."""

    balance = models.ForeignKey(StockBalance, on_delete=models.PROTECT, related_name="reservations")
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    sku = models.ForeignKey(Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(_("document type"), max_length=40)
    document_id = models.BigIntegerField(_("document id"))
    line_id = models.BigIntegerField(_("document line"))
    quantity = models.DecimalField(_("reserved"), default=0, **qty_field_kwargs())  # still open
    consumed = models.DecimalField(_("consumed"), default=0, **qty_field_kwargs())
    released = models.DecimalField(_("released"), default=0, **qty_field_kwargs())
    # cut back by a stock count that found less than was promised (ledger.shorten_reservations)
    shorted = models.DecimalField(_("cut by a count"), default=0, **qty_field_kwargs())
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "line_id", "balance"],
                name="inventory_reservation_line_balance",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0)
                & Q(consumed__gte=0)
                & Q(released__gte=0)
                & Q(shorted__gte=0),
                name="inventory_reservation_nonneg",
            ),
        ]
        indexes = [
            models.Index(fields=["document_type", "document_id"], name="inventory_resv_doc"),
            # verify_ledger's per-balance sums and the balance's open reservations
            models.Index(fields=["balance", "quantity"], name="inventory_resv_balance"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type}:{self.line_id} {self.quantity}"


# ---------------------------------------------------------------- inventory documents


class StockDocumentKind(models.TextChoices):
    STOCK_IN = "stock_in", _("Other stock-in")
    STOCK_OUT = "stock_out", _("Other stock-out")
    ADJUSTMENT = "adjustment", _("Adjustment")
    SCRAP = "scrap", _("Scrap")


# Each inventory document type has its own statuses (the values are the kernel's
# core.documents.DocumentStatus strings, so the generic life cycle moves them): the registry
# (inventory/doctypes.py) names its transitions from these, the API shows each as its own enum.
class StockDocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


class TransferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    SHIPPED = "shipped", _("Shipped")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    POSTED = "posted", _("Posted")  # fully received
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


class StockCountStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COUNTING = "counting", _("Counting")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


def _status_field(statuses: type[models.TextChoices]) -> models.CharField:
    return models.CharField(_("status"), max_length=20, choices=statuses.choices, default="draft")


class ReasonCode(models.Model):
    kind = models.CharField(_("document kind"), max_length=20, choices=StockDocumentKind.choices)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="inventory_reason_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# Plain strings: the f-string below runs at import time, when a lazy text would be
# rendered in LANGUAGE_CODE and make the permission names (and migrations) language-dependent.
DOCUMENT_PERMISSIONS = (
    ("submit", gettext_noop("Can submit")),
    ("approve", gettext_noop("Can approve")),
    ("post", gettext_noop("Can post")),
    ("reverse", gettext_noop("Can reverse")),
    ("skip_approval", gettext_noop("Can post without approval")),
)


def _document_permissions(model_name: str, label: str) -> list[tuple[str, str]]:
    return [(f"{verb}_{model_name}", f"{text} {label}") for verb, text in DOCUMENT_PERMISSIONS]


class StockDocument(Document):
    """Other stock-in, other stock-out, adjustment and scrap: header with lines."""

    status = _status_field(StockDocumentStatus)
    kind = models.CharField(_("kind"), max_length=20, choices=StockDocumentKind.choices)
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    reason = models.ForeignKey(
        ReasonCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("reason")
    )
    reference = models.CharField(_("external reference"), max_length=100, blank=True)
    idempotency_key = idempotency_key_field()

    class Meta(Document.Meta):
        verbose_name = _("stock document")
        verbose_name_plural = _("stock documents")
        permissions = _document_permissions("stockdocument", "stock document")
        indexes = [models.Index(fields=["kind", "status"], name="inventory_stockdoc_kind_status")]
        constraints = [idempotency_key_unique("inventory_stockdoc_idempotency_key")]


class StockDocumentLine(models.Model):
    document = models.ForeignKey(StockDocument, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    sku = models.ForeignKey(Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **qty_field_kwargs())
    factor = models.DecimalField(_("base units per unit"), **qty_field_kwargs())
    base_quantity = models.DecimalField(_("quantity in base unit"), **qty_field_kwargs())
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch_no = models.CharField(_("batch number"), max_length=64, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_cost = models.DecimalField(_("unit cost"), null=True, blank=True, **money_field_kwargs())
    allow_expired = models.BooleanField(_("issue expired batches"), default=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        ordering = ["document", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "line_no"], name="inventory_stockdocline_unique_no"
            )
        ]


class Transfer(Document):
    """A transfer between warehouses; shipping moves stock into transit, receiving out of it."""

    status = _status_field(TransferStatus)
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    from_warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("from warehouse")
    )
    to_warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("to warehouse")
    )
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = idempotency_key_field()

    class Meta(Document.Meta):
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [idempotency_key_unique("inventory_transfer_idempotency_key")]
        permissions = [
            *_document_permissions("transfer", "transfer"),
            ("ship_transfer", _("Can ship transfer")),
            ("receive_transfer", _("Can receive transfer")),
        ]


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    sku = models.ForeignKey(Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **qty_field_kwargs())
    factor = models.DecimalField(_("base units per unit"), **qty_field_kwargs())
    base_quantity = models.DecimalField(_("quantity in base unit"), **qty_field_kwargs())
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_location = models.ForeignKey(
        Location,
        verbose_name=_("from location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The bin of the source warehouse the line is picked from."),
    )
    to_location = models.ForeignKey(
        Location,
        verbose_name=_("to location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The bin of the destination warehouse the line was last received into."),
    )
    shipped_quantity = models.DecimalField(_("shipped"), default=0, **qty_field_kwargs())
    received_quantity = models.DecimalField(_("received"), default=0, **qty_field_kwargs())
    discrepancy_quantity = models.DecimalField(_("discrepancy"), default=0, **qty_field_kwargs())
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        ordering = ["transfer", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "line_no"], name="inventory_transferline_unique_no"
            )
        ]


class StockCount(Document):
    """A stock count (盘点) of one warehouse, optionally limited to categories or locations."""

    status = _status_field(StockCountStatus)
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    categories = models.ManyToManyField(
        "catalog.Category", blank=True, verbose_name=_("categories")
    )
    locations = models.ManyToManyField(Location, blank=True, verbose_name=_("locations"))
    blind = models.BooleanField(_("blind count"), default=False)
    snapshot_at = models.DateTimeField(_("book quantities taken at"), null=True, blank=True)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    approval_threshold = models.DecimalField(
        _("variance value needing approval"),
        null=True,
        blank=True,
        help_text=_("Empty: the company setting."),
        max_digits=18,
        decimal_places=2,
    )
    uncounted_as_zero = models.BooleanField(_("uncounted lines count as zero"), default=False)
    idempotency_key = idempotency_key_field()

    class Meta(Document.Meta):
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        constraints = [idempotency_key_unique("inventory_stockcount_idempotency_key")]
        permissions = [
            *_document_permissions("stockcount", "stock count"),
            ("count_stockcount", _("Can enter counts")),
        ]


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The balance the book quantity was read from and the id of its last move at that moment:
    # moves of the balance with a larger id came after the snapshot (ids grow in chain order
    # per balance because postings lock the balance row).
    balance = models.ForeignKey(
        StockBalance, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot_move_id = models.BigIntegerField(default=0)
    book_quantity = models.DecimalField(
        _("book quantity at snapshot"), default=0, **qty_field_kwargs()
    )
    counted_quantity = models.DecimalField(
        _("counted"), null=True, blank=True, **qty_field_kwargs()
    )
    last_counted_at = models.DateTimeField(_("last counted at"), null=True, blank=True)
    recount_requested = models.BooleanField(_("recount requested"), default=False)
    moves_after_snapshot = models.DecimalField(default=0, **qty_field_kwargs())
    difference = models.DecimalField(_("difference"), null=True, blank=True, **qty_field_kwargs())
    unit_cost = models.DecimalField(_("unit cost"), null=True, blank=True, **money_field_kwargs())
    difference_value = models.DecimalField(
        _("difference value"), null=True, blank=True, **money_field_kwargs()
    )

    class Meta:
        ordering = ["count", "sku", "batch"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "sku", "batch"],
                condition=Q(batch__isnull=False),
                name="inventory_countline_unique_batch",
            ),
            models.UniqueConstraint(
                fields=["count", "sku"],
                condition=Q(batch__isnull=True),
                name="inventory_countline_unique_nobatch",
            ),
        ]


class StockCountEntry(models.Model):
    """One counted quantity by one counter (a repeated scan adds a new entry)."""

    line = models.ForeignKey(StockCountLine, on_delete=models.CASCADE, related_name="entries")
    quantity = models.DecimalField(_("quantity"), **qty_field_kwargs())
    is_recount = models.BooleanField(default=False)
    # A manual entry sets the line's count (replaces what came before) instead of adding.
    replaces = models.BooleanField(default=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_quantity = models.DecimalField(
        _("quantity in the entered unit"), null=True, blank=True, **qty_field_kwargs()
    )
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counted_at = models.DateTimeField(_("counted at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
