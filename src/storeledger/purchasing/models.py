"""Purchasing master data: the supplier catalogue (what each supplier sells, in which unit, at
which price) with its append-only price history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from storeledger.catalog.models import Sku, Unit
from storeledger.core.documents import Document
from storeledger.core.models import TimeStampedModel
from storeledger.core.quantities import money_field_kwargs, qty_field_kwargs
from storeledger.partners.models import Supplier


class SupplierItem(TimeStampedModel):
    """One SKU as one supplier sells it. `price` and its validity are the latest recorded
    price; every price ever recorded is a `SupplierPrice` row (never changed afterwards)."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="items", verbose_name=_("supplier")
    )
    sku = models.ForeignKey(
        Sku, on_delete=models.PROTECT, related_name="supplier_items", verbose_name=_("SKU")
    )
    item_code = models.CharField(_("supplier's item code"), max_length=64, blank=True)
    purchase_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("purchase unit")
    )
    pack_size = models.DecimalField(
        _("pack size"),
        default=Decimal(1),
        help_text=_("Base units in one purchase unit."),
        **qty_field_kwargs(),
    )
    price = models.DecimalField(
        _("price"), help_text=_("Per purchase unit."), **money_field_kwargs()
    )
    price_valid_from = models.DateField(_("price valid from"))
    price_valid_to = models.DateField(_("price valid to"), null=True, blank=True)
    min_order_qty = models.DecimalField(
        _("minimum order quantity"),
        default=Decimal(0),
        help_text=_("In purchase units; 0 = no minimum."),
        **qty_field_kwargs(),
    )
    lead_time_days = models.PositiveIntegerField(
        _("lead time (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the supplier's lead time."),
    )
    preferred = models.BooleanField(_("preferred supplier"), default=False)
    active = models.BooleanField(_("active"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["sku__code", "supplier__code"]
        verbose_name = _("supplier item")
        verbose_name_plural = _("supplier items")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "sku"], name="purchasing_supplieritem_unique_supplier_sku"
            ),
            models.UniqueConstraint(
                fields=["sku"],
                condition=Q(preferred=True),
                name="purchasing_supplieritem_one_preferred_per_sku",
            ),
            models.UniqueConstraint(
                fields=["supplier", "item_code"],
                condition=~Q(item_code=""),
                name="purchasing_supplieritem_unique_item_code",
            ),
            models.CheckConstraint(
                condition=Q(price__gt=0), name="purchasing_supplieritem_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(pack_size__gt=0), name="purchasing_supplieritem_pack_size_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_order_qty__gte=0),
                name="purchasing_supplieritem_min_order_qty_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(price_valid_to__isnull=True)
                | Q(price_valid_to__gte=F("price_valid_from")),
                name="purchasing_supplieritem_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier.code} · {self.sku.code}"

    @property
    def effective_lead_time_days(self) -> int:
        return (
            self.lead_time_days if self.lead_time_days is not None else self.supplier.lead_time_days
        )


class SupplierPrice(models.Model):
    """A price as it was recorded: append-only, the newest recorded row that covers a day is
    the price on that day (selectors.price_on)."""

    item = models.ForeignKey(
        SupplierItem,
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("supplier item"),
    )
    price = models.DecimalField(_("price"), **money_field_kwargs())
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("supplier price")
        verbose_name_plural = _("supplier prices")
        indexes = [models.Index(fields=["item", "valid_from"], name="purchasing_price_item_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gt=0), name="purchasing_supplierprice_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="purchasing_supplierprice_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.price} {self.valid_from}"


# ---------------------------------------------------------------- purchase orders 采购订单


# ---------------------------------------------------------------- document lines


class PurchaseLine(models.Model):
    """What every purchasing document line has (order, receipt, return and request lines): its
    number in the document, the SKU in a unit, the unit's factor, the quantity in that unit and
    in the base unit, a note. Each line model adds the link to its document and its own fields."""

    line_no = models.PositiveIntegerField()
    sku = models.ForeignKey(Sku, verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **qty_field_kwargs())
    factor = models.DecimalField(_("base units per unit"), **qty_field_kwargs())
    base_quantity = models.DecimalField(_("quantity in base unit"), **qty_field_kwargs())
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        abstract = True


class TaxedAmounts(models.Model):
    """A line's VAT rate and its net, tax and gross amounts (order and return lines)."""

    tax_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    net_amount = models.DecimalField(_("net amount"), **money_field_kwargs())
    tax_amount = models.DecimalField(_("tax"), **money_field_kwargs())
    gross_amount = models.DecimalField(_("amount incl. tax"), **money_field_kwargs())

    class Meta:
        abstract = True


class PurchaseOrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    RECEIVED = "received", _("Received")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# An order whose open quantity is "on order" (expected into its warehouse).
OPEN_ORDER_STATUSES = (
    PurchaseOrderStatus.APPROVED,
    PurchaseOrderStatus.SENT,
    PurchaseOrderStatus.PARTIALLY_RECEIVED,
)


def _order_permissions() -> list[tuple[str, str]]:
    return [
        ("submit_purchaseorder", _("Can submit purchase orders")),
        ("approve_purchaseorder", _("Can approve purchase orders")),
        ("send_purchaseorder", _("Can send purchase orders to the supplier")),
        ("close_purchaseorder", _("Can short-close purchase orders")),
        ("revise_purchaseorder", _("Can revise approved purchase orders")),
        ("override_price_purchaseorder", _("Can order at a price of 0 or far below the last")),
    ]


class PurchaseOrder(Document):
    """An order to one supplier for goods into one warehouse (the warehouse's store is the
    order's store: its scope and number series). Amounts are kept on the lines, rounded to the
    fen; the header totals are their sums (services.order_line_amounts)."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PurchaseOrderStatus.choices,
        default=PurchaseOrderStatus.DRAFT,
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    warehouse = models.ForeignKey(
        "org.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier")
    )
    prices_include_tax = models.BooleanField(_("prices include tax"), default=True)
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    reference = models.CharField(_("supplier's reference"), max_length=100, blank=True)
    total_net = models.DecimalField(_("net amount"), default=0, **money_field_kwargs())
    total_tax = models.DecimalField(_("tax"), default=0, **money_field_kwargs())
    total_gross = models.DecimalField(_("amount incl. tax"), default=0, **money_field_kwargs())
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("The revision the lines show (1: as first approved).")
    )
    revision_pending_status = models.CharField(
        _("status before the revision"),
        max_length=20,
        choices=PurchaseOrderStatus.choices,
        blank=True,
        help_text=_(
            "While a revision awaits approval: the status the order returns to once it is "
            "decided; empty otherwise."
        ),
    )

    class Meta(Document.Meta):
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        permissions = _order_permissions()
        indexes = [
            models.Index(fields=["supplier", "status"], name="purchasing_po_supplier_status"),
            models.Index(fields=["warehouse", "status"], name="purchasing_po_wh_status"),
        ]


class PurchaseOrderLine(TaxedAmounts, PurchaseLine):
    """One SKU ordered in a purchase unit. `price` is per `unit` as the order quotes it (with
    or without tax: the order's `prices_include_tax`); the amounts are the line's after its
    discount, each rounded to the fen. Received quantities are in the base unit."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    price = models.DecimalField(_("price"), **money_field_kwargs())
    discount = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    received_quantity = models.DecimalField(
        _("received (base unit)"), default=Decimal(0), **qty_field_kwargs()
    )

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "line_no"], name="purchasing_poline_unique_no"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="purchasing_poline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="purchasing_poline_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0) & Q(discount__lte=100),
                name="purchasing_poline_discount_range",
            ),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0),
                name="purchasing_poline_received_not_negative",
            ),
        ]

    @property
    def open_quantity(self) -> Decimal:
        """What is still expected, in the base unit (0 once received in full or more)."""
        return max(self.base_quantity - self.received_quantity, Decimal(0))


class PurchaseOrderRevisionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    APPLIED = "applied", _("In force without approval")
    REJECTED = "rejected", _("Rejected")


class PurchaseOrderRevision(models.Model):
    """One revision (修订) of an approved order: revision `number` replaced revision
    `number` − 1, whose header and lines are kept here as they were (`previous`, read-only:
    totals, dates, reference, notes and every line with what had been received). Written
    only by purchasing.services.orders."""

    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("purchase order"),
    )
    number = models.PositiveIntegerField(_("revision"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=PurchaseOrderRevisionStatus.choices
    )
    order_status = models.CharField(
        _("order status before"), max_length=20, choices=PurchaseOrderStatus.choices
    )
    created_at = models.DateTimeField(_("revised at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revised by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    total_net = models.DecimalField(_("net amount"), **money_field_kwargs())
    total_tax = models.DecimalField(_("tax"), **money_field_kwargs())
    total_gross = models.DecimalField(_("amount incl. tax"), **money_field_kwargs())
    previous = models.JSONField(_("previous revision"), default=dict)

    class Meta:
        verbose_name = _("purchase order revision")
        verbose_name_plural = _("purchase order revisions")
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "number"], name="purchasing_porevision_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} R{self.number}"


# ---------------------------------------------------------------- purchase receipts 采购入库


class PurchaseReceiptStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


class AllocationBasis(models.TextChoices):
    """How a receipt's landed cost charges are shared over its accepted lines."""

    VALUE = "value", _("By value")
    QUANTITY = "quantity", _("By quantity")


class ChargeKind(models.TextChoices):
    FREIGHT = "freight", _("Freight")
    DUTY = "duty", _("Duty")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Other")


class PurchaseReceipt(Document):
    """Goods received from a supplier into a warehouse, against one purchase order (or,
    where the role allows, without one). Posting writes `purchase_receipt` moves for the
    accepted quantities and adds them to the order lines' received quantities."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PurchaseReceiptStatus.choices,
        default=PurchaseReceiptStatus.DRAFT,
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    warehouse = models.ForeignKey(
        "org.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("supplier")
    )
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("purchase order"),
    )
    reference = models.CharField(_("delivery note"), max_length=100, blank=True)
    total_value = models.DecimalField(_("value (net)"), default=0, **money_field_kwargs())
    allocation_basis = models.CharField(
        _("landed cost allocated by"),
        max_length=10,
        choices=AllocationBasis.choices,
        default=AllocationBasis.VALUE,
    )
    total_charges = models.DecimalField(
        _("landed cost charges (net)"), default=0, **money_field_kwargs()
    )

    class Meta(Document.Meta):
        verbose_name = _("purchase receipt")
        verbose_name_plural = _("purchase receipts")
        permissions = [
            ("post_purchasereceipt", _("Can post purchase receipts")),
            ("receive_without_order", _("Can receive goods without a purchase order")),
        ]


class PurchaseReceiptLine(PurchaseLine):
    """One SKU received: the accepted quantity goes into stock, the rejected one goes back to
    the supplier (with a reason). `unit_cost` is per base unit, net of tax and discount."""

    receipt = models.ForeignKey(PurchaseReceipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt_lines",
    )
    quantity = models.DecimalField(_("accepted quantity"), **qty_field_kwargs())
    base_quantity = models.DecimalField(_("accepted (base unit)"), **qty_field_kwargs())
    rejected_quantity = models.DecimalField(
        _("rejected quantity"), default=Decimal(0), **qty_field_kwargs()
    )
    reject_reason = models.CharField(_("reason for rejecting"), max_length=200, blank=True)
    unit_cost = models.DecimalField(_("unit cost (base unit, net)"), **money_field_kwargs())
    order_price = models.DecimalField(
        _("order price when received"),
        null=True,
        blank=True,
        help_text=_(
            "The order line's price per this line's unit after its discount, on the order's "
            "tax basis, when the line was written (a later revision of the order's price does "
            "not change what was received)."
        ),
        **money_field_kwargs(),
    )
    batch = models.ForeignKey(
        "inventory.Batch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch_no = models.CharField(_("batch number"), max_length=64, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    returned_quantity = models.DecimalField(
        _("returned (base unit)"), default=Decimal(0), **qty_field_kwargs()
    )
    charge_amount = models.DecimalField(
        _("landed cost charges"),
        default=Decimal(0),
        help_text=_("The receipt's charges allocated to the accepted quantity, to the fen."),
        **money_field_kwargs(),
    )

    class Meta:
        verbose_name = _("purchase receipt line")
        verbose_name_plural = _("purchase receipt lines")
        ordering = ["receipt", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt", "line_no"], name="purchasing_receiptline_unique_no"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(rejected_quantity__gte=0),
                name="purchasing_receiptline_quantities_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) | Q(rejected_quantity__gt=0),
                name="purchasing_receiptline_something_received",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__gte=0)
                & Q(returned_quantity__lte=F("base_quantity")),
                name="purchasing_receiptline_returned_within_accepted",
            ),
        ]


class PurchaseReceiptCharge(models.Model):
    """A landed cost charge of a receipt (到岸成本: freight 运费, duty 关税, insurance...):
    `amount` (net of VAT) goes into the cost of the accepted goods, allocated over the lines
    by the receipt's basis; `tax_amount` is recoverable input VAT, recorded, not in the cost.
    A charge payable to the receipt's supplier is owed to him on the supplier account;
    otherwise it is paid to `payee` (a carrier, a customs broker), not the supplier."""

    receipt = models.ForeignKey(PurchaseReceipt, on_delete=models.CASCADE, related_name="charges")
    line_no = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=ChargeKind.choices)
    amount = models.DecimalField(_("amount (net)"), **money_field_kwargs())
    tax_amount = models.DecimalField(_("tax"), default=Decimal(0), **money_field_kwargs())
    payable_to_supplier = models.BooleanField(_("payable to the supplier"), default=False)
    payee = models.CharField(_("payee / carrier"), max_length=100, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("purchase receipt charge")
        verbose_name_plural = _("purchase receipt charges")
        ordering = ["receipt", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt", "line_no"], name="purchasing_receiptcharge_unique_no"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="purchasing_receiptcharge_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(tax_amount__gte=0),
                name="purchasing_receiptcharge_tax_not_negative",
            ),
        ]


# ---------------------------------------------------------------- purchase returns 采购退货


class PurchaseReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseReturn(Document):
    """Goods sent back to the supplier they came from, out of the warehouse they came into.
    Every line names the posted receipt line its goods came in on (a return by batch is
    allocated over that supplier's receipt lines of the batch), and goes out at the cost it
    came in with. The return's value (net, tax, gross at the receipt's prices) is a debit
    note against the supplier (selectors.supplier_debit_notes)."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PurchaseReturnStatus.choices,
        default=PurchaseReturnStatus.DRAFT,
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    warehouse = models.ForeignKey(
        "org.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="returns", verbose_name=_("supplier")
    )
    receipt = models.ForeignKey(
        PurchaseReceipt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returns",
        verbose_name=_("purchase receipt"),
        help_text=_("The receipt every line comes from; empty when the lines span receipts."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    reference = models.CharField(_("supplier's reference"), max_length=100, blank=True)
    total_net = models.DecimalField(_("net amount"), default=0, **money_field_kwargs())
    total_tax = models.DecimalField(_("tax"), default=0, **money_field_kwargs())
    total_gross = models.DecimalField(_("amount incl. tax"), default=0, **money_field_kwargs())

    class Meta(Document.Meta):
        verbose_name = _("purchase return")
        verbose_name_plural = _("purchase returns")
        permissions = [
            ("submit_purchasereturn", _("Can submit purchase returns")),
            ("approve_purchasereturn", _("Can approve purchase returns")),
            ("post_purchasereturn", _("Can post purchase returns")),
            ("skip_approval_purchasereturn", _("Can post purchase returns without approval")),
            ("reverse_purchasereturn", _("Can reverse posted purchase returns")),
        ]
        indexes = [
            models.Index(fields=["supplier", "status"], name="purchasing_pr_supplier_status"),
        ]


class PurchaseReturnLine(TaxedAmounts, PurchaseLine):
    """Goods of one receipt line going back: `quantity` in `unit`, `base_quantity` in the base
    unit, at the receipt line's cost per base unit (`unit_cost`, net); net, tax and gross at
    the receipt's prices. On a reversing document the quantities and amounts are negative."""

    document = models.ForeignKey(PurchaseReturn, on_delete=models.CASCADE, related_name="lines")
    receipt_line = models.ForeignKey(
        PurchaseReceiptLine,
        on_delete=models.PROTECT,
        related_name="return_lines",
        verbose_name=_("receipt line"),
    )
    batch = models.ForeignKey(
        "inventory.Batch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_cost = models.DecimalField(_("unit cost (base unit, net)"), **money_field_kwargs())

    class Meta:
        verbose_name = _("purchase return line")
        verbose_name_plural = _("purchase return lines")
        ordering = ["document", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "line_no"], name="purchasing_returnline_unique_no"
            ),
        ]


# ---------------------------------------------------------------- purchase requests 采购申请


class PurchaseRequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PARTIALLY_ORDERED = "partially_ordered", _("Partly ordered")
    ORDERED = "ordered", _("Ordered")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseRequest(Document):
    """A store asks head office to buy goods for one of its warehouses. Once approved, buyers
    consolidate several requests into draft purchase orders grouped by supplier; each request
    line is linked to the order line that orders it."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PurchaseRequestStatus.choices,
        default=PurchaseRequestStatus.DRAFT,
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    warehouse = models.ForeignKey(
        "org.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)

    class Meta(Document.Meta):
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        permissions = [
            ("submit_purchaserequest", _("Can submit purchase requests")),
            ("approve_purchaserequest", _("Can approve purchase requests")),
            ("consolidate_purchaserequest", _("Can turn purchase requests into orders")),
        ]


class PurchaseRequestLine(PurchaseLine):
    """One SKU asked for, in a unit, by a date; `order_line` once it has been ordered."""

    document = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="lines")
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request_lines",
        verbose_name=_("order line"),
    )

    class Meta:
        verbose_name = _("purchase request line")
        verbose_name_plural = _("purchase request lines")
        ordering = ["document", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "line_no"], name="purchasing_requestline_unique_no"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="purchasing_requestline_quantity_positive"
            ),
        ]
