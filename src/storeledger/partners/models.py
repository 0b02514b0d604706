from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from storeledger.catalog.pinyin import initials
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.core.models import TimeStampedModel


class Partner(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(max_length=200, editable=False, db_index=True, default="")
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=0)
    tax_number = models.CharField(_("tax number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    ACCEPTANCE_BILL = "acceptance_bill", _("Bank acceptance bill")
    CHEQUE = "cheque", _("Cheque")
    ONLINE = "online", _("Online payment (Alipay, WeChat Pay)")


# The VAT rates of Chinese invoices (增值税税率), in percent.
TAX_RATE_CHOICES = [
    (Decimal(13), "13%"),
    (Decimal(9), "9%"),
    (Decimal(6), "6%"),
    (Decimal(0), "0%"),
]


class Supplier(Partner):
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=7)
    bank_account = models.CharField(_("bank account"), max_length=100, blank=True)
    payment_method = models.CharField(
        _("payment method"),
        max_length=20,
        choices=PaymentMethod.choices,
        default=PaymentMethod.BANK_TRANSFER,
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    # How the supplier quotes (Chinese invoices are either): purchase orders take it over.
    prices_include_tax = models.BooleanField(
        _("prices include tax"),
        default=True,
        help_text=_("Prices are tax-inclusive (含税价); off: tax is added to them."),
    )
    tax_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        choices=TAX_RATE_CHOICES,
        default=Decimal(13),
    )
    over_receipt_tolerance = models.DecimalField(
        _("over-receipt tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        null=True,
        blank=True,
        help_text=_("How much more than ordered may be received; empty: the company's setting."),
    )

    class Meta(Partner.Meta):
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__isnull=True)
                | models.Q(contract_start__isnull=True)
                | models.Q(contract_end__gte=models.F("contract_start")),
                name="partners_supplier_contract_dates_ordered",
            )
        ]


class MemberLevel(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=50)
    discount = models.DecimalField(
        _("discount rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(1),
        # xgettext:no-python-format
        help_text=_("1 = no discount, 0.95 = 5% off."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("member level")
        verbose_name_plural = _("member levels")

    def __str__(self) -> str:
        return self.name


class Customer(Partner):
    """A customer; with a member level it is a member (会员) of the loyalty scheme."""

    member_level = models.ForeignKey(
        MemberLevel, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("member level")
    )
    member_card_no = models.CharField(
        _("member card number"), max_length=40, null=True, blank=True, unique=True
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=18, decimal_places=2, default=0
    )

    class Meta(Partner.Meta):
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        permissions = [
            ("view_member_data", _("Can see members' names, phone numbers and addresses")),
        ]
