"""Finance's print template (registered with the printing app in AppConfig.ready): the
supplier invoice 供应商发票 — supplier, invoice number and dates, each line with the receipt it
matches, the invoice's and the order's price, VAT and amounts, the differences flagged (and
who accepted them), totals against what the receipts are worth."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.core.errors import NotFound
from storeledger.finance.models import SupplierInvoice, SupplierInvoiceLine
from storeledger.org.currency import company_currency_sign
from storeledger.printing import pdf, templates
from storeledger.printing.documents import CENTER, RIGHT, Column, Sheet


def load_supplier_invoice(user, kind: str, document_id: int) -> SupplierInvoice:
    """One invoice with its lines in the user's store scope (NotFound otherwise)."""
    queryset = SupplierInvoice.objects.select_related(
        "store", "supplier", "created_by", "approved_by", "posted_by", "reversal_of"
    ).prefetch_related(
        Prefetch(
            "lines",
            SupplierInvoiceLine.objects.select_related(
                "receipt", "receipt_line__unit", "sku", "accepted_by"
            ).order_by("line_no"),
        )
    )
    invoice = scope.filter_stores(queryset, user).filter(pk=document_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


def _difference(line: SupplierInvoiceLine) -> str:
    flags = []
    if line.price_difference:
        flags.append(_("price"))
    if line.quantity_difference:
        flags.append(_("quantity"))
    if not flags:
        return ""
    text = "/".join(flags)
    if line.accepted_at is not None:
        text = _("%(difference)s accepted by %(user)s") % {
            "difference": text,
            "user": pdf.user_name(line.accepted_by),
        }
    return text


def supplier_invoice_sheet(invoice: SupplierInvoice, user) -> Sheet:
    fields = [
        (_("Status"), invoice.get_status_display()),
        (_("Document date"), pdf.fmt_date(invoice.document_date)),
        (_("Supplier"), f"{invoice.supplier.code} {invoice.supplier.name}"),
        (_("Store"), f"{invoice.store.code} {invoice.store.name}"),
        (_("Invoice number"), invoice.invoice_no),
        (_("Invoice date"), pdf.fmt_date(invoice.invoice_date)),
        (_("Due date"), pdf.fmt_date(invoice.due_date)),
        (_("Prices"), _("incl. tax") if invoice.prices_include_tax else _("excl. tax")),
        (_("Reversal of"), invoice.reversal_of.number if invoice.reversal_of_id else ""),
        (_("Created by"), pdf.user_name(invoice.created_by)),
        (_("Posted by"), pdf.user_name(invoice.posted_by) if invoice.posted_by_id else ""),
        (_("Posted at"), pdf.fmt_datetime(invoice.posted_at)),
    ]
    columns = [
        Column(_("No."), 4, CENTER),
        Column(_("Receipt"), 13),
        Column(_("SKU code"), 11),
        Column(_("Name"), 16),
        Column(_("Unit"), 5, CENTER),
        Column(_("Quantity"), 7, RIGHT),
        Column(_("Price"), 8, RIGHT),
        Column(_("Order price"), 8, RIGHT),
        Column(_("VAT"), 5, RIGHT),
        Column(_("Net"), 8, RIGHT),
        Column(_("Tax"), 7, RIGHT),
        Column(_("Amount"), 9, RIGHT),
        Column(_("Difference"), 9),
    ]
    rows = []
    sign = company_currency_sign()
    for line in invoice.lines.all():
        unit = line.receipt_line.unit
        rows.append(
            [
                str(line.line_no),
                line.receipt.number,
                line.sku.code,
                line.sku.name,
                unit.name,
                pdf.fmt_qty(line.quantity, getattr(unit, "precision", 4)),
                pdf.fmt_price(line.price, sign),
                pdf.fmt_price(line.expected_price, sign),
                f"{line.tax_rate.normalize():f}%",
                pdf.fmt_money(line.net_amount),
                pdf.fmt_money(line.tax_amount),
                pdf.fmt_money(line.gross_amount),
                _difference(line),
            ]
        )
    totals = ["", _("Total"), "", "", "", "", "", "", ""]
    totals += [pdf.fmt_money(invoice.total_net), pdf.fmt_money(invoice.total_tax)]
    totals += [pdf.fmt_money(invoice.total_gross), ""]
    remarks = [
        _("The receipts are worth %(receipts)s incl. tax; difference %(difference)s.")
        % {
            "receipts": pdf.fmt_money(invoice.receipt_amount),
            "difference": pdf.fmt_money(invoice.difference),
        }
    ]
    return Sheet(
        title=_("Supplier invoice"),
        number=invoice.number,
        fields=fields,
        columns=columns,
        rows=rows,
        totals=totals,
        notes=invoice.notes,
        remarks=remarks,
    )


def register_finance_templates() -> None:
    templates.register(
        templates.PrintTemplate(
            "supplier_invoice", load=load_supplier_invoice, sheet=supplier_invoice_sheet
        )
    )
