from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from storeledger.core.models import TimeStampedModel


class CostingMethod(models.TextChoices):
    MOVING_AVERAGE = "moving_average", _("Moving average")


def _rating_weight(name, default: int) -> models.DecimalField:
    """One figure's weight in the supplier score (purchasing.rating): 0–100, relative to the
    others (they need not add up to 100)."""
    return models.DecimalField(
        name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        default=default,
    )


class Company(TimeStampedModel):
    """The one company that runs StoreLedger (a single row, id=1)."""

    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    costing_method = models.CharField(
        _("costing method"),
        max_length=20,
        choices=CostingMethod.choices,
        default=CostingMethod.MOVING_AVERAGE,
    )
    count_approval_threshold = models.DecimalField(
        _("stock count variance value needing approval"),
        max_digits=18,
        decimal_places=2,
        default=500,
    )
    over_receipt_tolerance = models.DecimalField(
        _("over-receipt tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        default=0,
        help_text=_(
            "How much more than ordered a purchase receipt may take, unless the "
            "supplier sets its own."
        ),
    )
    invoice_price_tolerance = models.DecimalField(
        _("supplier invoice tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        default=1,
        help_text=_(
            "How far a supplier invoice's price may lie from the order's, and its quantity "
            "beyond the order's, before the line is flagged and needs an explicit accept."
        ),
    )
    purchase_price_margin = models.DecimalField(
        _("purchase price drop margin (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        default=20,
        help_text=_(
            "A purchase price this much below the supplier's last price needs the "
            "price-override permission."
        ),
    )
    rating_weight_on_time = _rating_weight(_("supplier rating weight: on time"), 40)
    rating_weight_fill_rate = _rating_weight(_("supplier rating weight: fill rate"), 30)
    rating_weight_quality = _rating_weight(_("supplier rating weight: quality"), 20)
    rating_weight_price = _rating_weight(_("supplier rating weight: price"), 10)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("company")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Company:
        company = cls.objects.filter(pk=1).first()
        if company is None:
            company, _created = cls.objects.get_or_create(pk=1, defaults={"name": "StoreLedger"})
        return company


class Store(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_head_office = models.BooleanField(_("head office"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    manager = models.CharField(_("manager"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WarehouseKind(models.TextChoices):
    NORMAL = "normal", _("Normal")
    TRANSIT = "transit", _("In transit")


class Warehouse(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warehouses",
        verbose_name=_("store"),
        help_text=_("Empty for a central warehouse."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=WarehouseKind.choices, default=WarehouseKind.NORMAL
    )
    allow_negative_stock = models.BooleanField(
        _("allow negative stock"),
        null=True,
        blank=True,
        help_text=_("Empty: follow the company setting."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_central(self) -> bool:
        return self.store_id is None


class Location(TimeStampedModel):
    """A bin location (货位) inside a warehouse."""

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="locations", verbose_name=_("warehouse")
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["warehouse", "code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="org_location_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.warehouse.code}/{self.code}"


def transit_warehouse_name(language_code: str) -> str:
    """The in-transit warehouse's name in the company's language (LANGUAGE_CODE): it is a
    record like any other warehouse, which users may rename."""
    return "在途" if language_code.lower().startswith("zh") else "In transit"


def transit_warehouse() -> Warehouse:
    """The virtual warehouse that holds shipped, not yet received transfer stock."""
    warehouse, _created = Warehouse.objects.get_or_create(
        code="TRANSIT",
        defaults={
            "name": transit_warehouse_name(settings.LANGUAGE_CODE),
            "kind": WarehouseKind.TRANSIT,
            "allow_negative_stock": False,
        },
    )
    return warehouse
