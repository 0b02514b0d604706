"""Purchasing master data: the supplier catalogue (what each supplier sells, in which unit, at
which price) with its append-only price history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from storeledger.catalog.models import Sku, Unit
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
