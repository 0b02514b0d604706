"""Payables 应付: supplier invoices 供应商发票 matched three ways against purchase orders and
receipts, and supplier payments 付款 allocated to invoices (or to receipts not invoiced).

The supplier's account (往来) is not a table: it is derived from the posted documents
(finance.account), so it can never disagree with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from storeledger.core.documents import Document, DocumentStatus
from storeledger.core.quantities import money_field_kwargs, qty_field_kwargs
from storeledger.partners.models import PaymentMethod, Supplier

# A document that still claims what it matched or allocated (a cancelled one does not; a
# reversed one and its posted reversal cancel each other out).
ACTIVE_STATUSES = (
    DocumentStatus.DRAFT,
    DocumentStatus.SUBMITTED,
    DocumentStatus.APPROVED,
    DocumentStatus.POSTED,
    DocumentStatus.REVERSED,
)
# A document whose amounts are on the supplier's account.
BOOKED_STATUSES = (DocumentStatus.POSTED, DocumentStatus.REVERSED)


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


class SupplierInvoice(Document):
    """A supplier's VAT invoice for goods received: each line matches a purchase receipt line
    (and so its order line). Its store is the receipts' store (an invoice covers one store)."""

    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("supplier")
    )
    invoice_no = models.CharField(_("invoice number"), max_length=64)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    prices_include_tax = models.BooleanField(_("prices include tax"), default=True)
    total_net = models.DecimalField(_("net amount"), default=0, **money_field_kwargs())
    total_tax = models.DecimalField(_("tax"), default=0, **money_field_kwargs())
    total_gross = models.DecimalField(_("amount incl. tax"), default=0, **money_field_kwargs())
    receipt_amount = models.DecimalField(
        _("receipts' amount"),
        default=0,
        help_text=_("What the matched receipt lines are worth at the order's prices (incl. tax)."),
        **money_field_kwargs(),
    )

    class Meta(Document.Meta):
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        permissions = [
            ("submit_supplierinvoice", _("Can submit supplier invoices")),
            ("approve_supplierinvoice", _("Can approve supplier invoices")),
            ("post_supplierinvoice", _("Can post supplier invoices")),
            ("reverse_supplierinvoice", _("Can reverse supplier invoices")),
            (
                "accept_difference_supplierinvoice",
                _("Can accept price and quantity differences on supplier invoices"),
            ),
        ]
        indexes = [
            models.Index(fields=["supplier", "status"], name="finance_inv_supplier_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "invoice_no"],
                condition=Q(reversal_of__isnull=True)
                & Q(status__in=["draft", "submitted", "approved", "posted"]),
                name="finance_invoice_unique_number_per_supplier",
            )
        ]

    @property
    def difference(self):
        return self.total_gross - self.receipt_amount


class SupplierInvoiceLine(models.Model):
    """One invoiced quantity of a receipt line, in the receipt line's unit, at the invoice's
    price (on the invoice's tax basis). `expected_price` is the order's price for that unit;
    a difference beyond the company's tolerance is flagged and must be accepted before the
    invoice posts. `receipt_amount` is what the matched quantity is worth on the receipt."""

    invoice = models.ForeignKey(SupplierInvoice, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    receipt_line = models.ForeignKey(
        "purchasing.PurchaseReceiptLine",
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        verbose_name=_("receipt line"),
    )
    receipt = models.ForeignKey(
        "purchasing.PurchaseReceipt",
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        verbose_name=_("purchase receipt"),
    )
    order_line = models.ForeignKey(
        "purchasing.PurchaseOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    sku = models.ForeignKey(
        "catalog.Sku", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **qty_field_kwargs())
    base_quantity = models.DecimalField(_("quantity in base unit"), **qty_field_kwargs())
    price = models.DecimalField(_("price"), **money_field_kwargs())
    expected_price = models.DecimalField(_("order price"), **money_field_kwargs())
    tax_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    net_amount = models.DecimalField(_("net amount"), **money_field_kwargs())
    tax_amount = models.DecimalField(_("tax"), **money_field_kwargs())
    gross_amount = models.DecimalField(_("amount incl. tax"), **money_field_kwargs())
    receipt_amount = models.DecimalField(_("receipt amount"), **money_field_kwargs())
    price_difference = models.BooleanField(_("price difference"), default=False)
    quantity_difference = models.BooleanField(_("quantity difference"), default=False)
    accepted_at = models.DateTimeField(_("difference accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    accept_comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta:
        ordering = ["invoice", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "line_no"], name="finance_invline_unique_no"
            ),
            models.CheckConstraint(
                condition=~Q(quantity=0), name="finance_invline_quantity_not_zero"
            ),
        ]

    @property
    def flagged(self) -> bool:
        return self.price_difference or self.quantity_difference

    @property
    def needs_acceptance(self) -> bool:
        return self.flagged and self.accepted_at is None


class PaymentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


class SupplierPayment(Document):
    """Money paid to a supplier (partial payments welcome), in one method, allocated to the
    supplier's posted invoices — or to posted receipts nothing has been invoiced against;
    what is not allocated is a payment on account. A reversal (红冲) has the negated amount."""

    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.DRAFT
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="payments", verbose_name=_("supplier")
    )
    method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), **money_field_kwargs())
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("Bank reference, bill number or transaction id."),
    )

    class Meta(Document.Meta):
        verbose_name = _("supplier payment")
        verbose_name_plural = _("supplier payments")
        permissions = [
            ("post_supplierpayment", _("Can post supplier payments")),
            ("reverse_supplierpayment", _("Can reverse supplier payments")),
        ]
        indexes = [
            models.Index(fields=["supplier", "status"], name="finance_pay_supplier_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reversal_of__isnull=False) | Q(amount__gt=0),
                name="finance_payment_amount_positive",
            )
        ]


class SupplierPaymentAllocation(models.Model):
    """Part of a payment applied to one invoice or to one receipt (exactly one of them)."""

    payment = models.ForeignKey(
        SupplierPayment, on_delete=models.CASCADE, related_name="allocations"
    )
    line_no = models.PositiveIntegerField()
    invoice = models.ForeignKey(
        SupplierInvoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("supplier invoice"),
    )
    receipt = models.ForeignKey(
        "purchasing.PurchaseReceipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_allocations",
        verbose_name=_("purchase receipt"),
    )
    amount = models.DecimalField(_("amount"), **money_field_kwargs())

    class Meta:
        ordering = ["payment", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "line_no"], name="finance_allocation_unique_no"
            ),
            models.CheckConstraint(
                condition=(Q(invoice__isnull=False) & Q(receipt__isnull=True))
                | (Q(invoice__isnull=True) & Q(receipt__isnull=False)),
                name="finance_allocation_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(amount=0), name="finance_allocation_amount_not_zero"
            ),
        ]
