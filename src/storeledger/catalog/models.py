from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from storeledger.catalog.pinyin import initials
from storeledger.core.models import TimeStampedModel
from storeledger.core.quantities import money_field_kwargs, qty_field_kwargs


class Category(TimeStampedModel):
    """A node of the category tree; `path` ("/1/4/9/") makes "all descendants" one LIKE query."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["path", "sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Brand(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class Unit(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=50)
    precision = models.PositiveSmallIntegerField(
        _("decimal places"), default=0, help_text=_("0 for pieces, 3 for kilograms.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Tracking(models.TextChoices):
    NONE = "none", _("None")
    BATCH = "batch", _("Batch")


class Product(TimeStampedModel):
    """A product (style); its SKUs are the variants that are stocked and sold."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(max_length=200, editable=False, db_index=True, default="")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("category")
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("brand")
    )
    base_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("base unit")
    )
    tracking = models.CharField(
        _("tracking"), max_length=10, choices=Tracking.choices, default=Tracking.NONE
    )
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    tax_rate = models.DecimalField(
        _("tax rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.13"),
        validators=[MinValueValidator(Decimal(0))],
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)


class Sku(TimeStampedModel):
    """A stock-keeping unit: one variant of a product (e.g. size M, colour red)."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="skus", verbose_name=_("product")
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(max_length=200, editable=False, db_index=True, default="")
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    purchase_price = models.DecimalField(_("purchase price"), default=0, **money_field_kwargs())
    retail_price = models.DecimalField(_("retail price"), default=0, **money_field_kwargs())
    member_price = models.DecimalField(
        _("member price"), null=True, blank=True, **money_field_kwargs()
    )
    allow_negative_stock = models.BooleanField(
        _("allow negative stock"),
        null=True,
        blank=True,
        help_text=_("Empty: follow the warehouse setting."),
    )
    safety_stock = models.DecimalField(_("safety stock"), default=0, **qty_field_kwargs())
    max_stock = models.DecimalField(_("max stock"), null=True, blank=True, **qty_field_kwargs())
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)


class SkuUnit(models.Model):
    """An alternative unit of a SKU: 1 box = `factor` base units, with its own price."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("unit"))
    factor = models.DecimalField(
        _("base units per unit"),
        validators=[MinValueValidator(Decimal("0.0001"))],
        **qty_field_kwargs(),
    )
    retail_price = models.DecimalField(
        _("retail price"), null=True, blank=True, **money_field_kwargs()
    )

    class Meta:
        verbose_name = _("unit conversion")
        verbose_name_plural = _("unit conversions")
        constraints = [
            models.UniqueConstraint(fields=["sku", "unit"], name="catalog_skuunit_unique"),
            models.CheckConstraint(
                condition=models.Q(factor__gt=0), name="catalog_skuunit_factor_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.unit} = {self.factor}"


class BarcodeKind(models.TextChoices):
    EAN13 = "ean13", "EAN-13"
    UPCA = "upca", "UPC-A"
    EAN8 = "ean8", "EAN-8"
    INTERNAL = "internal", _("Internal")
    OTHER = "other", _("Other")


class Barcode(models.Model):
    """A barcode of a SKU; with a unit, scanning it means one of that unit (e.g. a case of 12)."""

    code = models.CharField(_("barcode"), max_length=64, unique=True)
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="barcodes")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("unit"),
        help_text=_("Empty: the base unit."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BarcodeKind.choices)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("barcode")
        verbose_name_plural = _("barcodes")

    def __str__(self) -> str:
        return self.code
