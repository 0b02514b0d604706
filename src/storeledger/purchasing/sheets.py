"""Purchasing's print templates (registered with the printing app in AppConfig.ready): the
purchase order sheet — supplier, warehouse, lines with price, VAT and amounts, totals; the
purchase receipt — lines accepted and rejected, their net and landed cost, and the landed cost
charges with their payee; the purchase return (debit note)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.core.costs import can_see_cost
from storeledger.core.errors import NotFound
from storeledger.org.currency import company_currency_sign
from storeledger.printing import pdf, templates
from storeledger.printing.documents import CENTER, RIGHT, Column, Sheet
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderRevision,
    PurchaseReceipt,
    PurchaseReceiptCharge,
    PurchaseReceiptLine,
    PurchaseReturn,
    PurchaseReturnLine,
)
from storeledger.purchasing.services.receipts import landed_unit_cost, line_value


def load_purchase_order(user, kind: str, document_id: int) -> PurchaseOrder:
    """One order with its lines in the user's scope (NotFound otherwise)."""
    queryset = PurchaseOrder.objects.select_related(
        "store", "warehouse", "supplier", "created_by", "approved_by", "sent_by"
    ).prefetch_related(
        Prefetch(
            "lines",
            PurchaseOrderLine.objects.select_related("sku", "unit").order_by("line_no"),
        ),
        Prefetch(
            "revisions",
            PurchaseOrderRevision.objects.select_related("created_by", "decided_by").order_by(
                "number"
            ),
        ),
    )
    order = scope.filter_warehouses(queryset, user).filter(pk=document_id).first()
    if order is None:
        raise NotFound()
    return order


def purchase_order_sheet(order: PurchaseOrder, user) -> Sheet:
    fields = [
        (_("Status"), order.get_status_display()),
        (_("Document date"), pdf.fmt_date(order.document_date)),
        (_("Supplier"), f"{order.supplier.code} {order.supplier.name}"),
        (_("Store"), f"{order.store.code} {order.store.name}"),
        (_("Warehouse"), f"{order.warehouse.code} {order.warehouse.name}"),
        (_("Expected date"), pdf.fmt_date(order.expected_date)),
        (_("Prices"), _("incl. tax") if order.prices_include_tax else _("excl. tax")),
        (_("Created by"), pdf.user_name(order.created_by)),
        (_("Approved by"), pdf.user_name(order.approved_by) if order.approved_by_id else ""),
        (_("Approved at"), pdf.fmt_datetime(order.approved_at)),
    ]
    if order.revision > 1 or order.revision_pending_status:
        fields.append((_("Revision"), str(order.revision)))
    columns = [
        Column(_("No."), 4, CENTER),
        Column(_("SKU code"), 13),
        Column(_("Name"), 22),
        Column(_("Unit"), 5, CENTER),
        Column(_("Quantity"), 8, RIGHT),
        Column(_("Price"), 9, RIGHT, cost=True),
        Column(_("VAT"), 5, RIGHT),
        Column(_("Discount"), 6, RIGHT),
        Column(_("Net"), 9, RIGHT, cost=True),
        Column(_("Tax"), 8, RIGHT, cost=True),
        Column(_("Amount"), 10, RIGHT, cost=True),
    ]
    rows = []
    sign = company_currency_sign()
    for line in order.lines.all():
        rows.append(
            [
                str(line.line_no),
                line.sku.code,
                line.sku.name,
                line.unit.name,
                pdf.fmt_qty(line.quantity, getattr(line.unit, "precision", 4)),
                pdf.fmt_price(line.price, sign),
                f"{line.tax_rate.normalize():f}%",
                f"{line.discount.normalize():f}%" if line.discount else "",
                pdf.fmt_money(line.net_amount),
                pdf.fmt_money(line.tax_amount),
                pdf.fmt_money(line.gross_amount),
            ]
        )
    totals = [
        "",
        _("Total"),
        "",
        "",
        "",
        "",
        "",
        "",
        pdf.fmt_money(order.total_net),
        pdf.fmt_money(order.total_tax),
        pdf.fmt_money(order.total_gross),
    ]
    return Sheet(
        title=_("Purchase order"),
        number=order.number,
        fields=fields,
        columns=columns,
        rows=rows,
        totals=totals,
        notes=order.notes,
        remarks=revision_remarks(order, show_cost=can_see_cost(user)),
    )


def load_purchase_receipt(user, kind: str, document_id: int) -> PurchaseReceipt:
    """One receipt with its lines and charges in the user's scope (NotFound otherwise)."""
    queryset = PurchaseReceipt.objects.select_related(
        "store", "warehouse", "supplier", "order", "created_by", "posted_by"
    ).prefetch_related(
        Prefetch(
            "lines",
            PurchaseReceiptLine.objects.select_related("sku", "unit", "order_line").order_by(
                "line_no"
            ),
        ),
        Prefetch("charges", PurchaseReceiptCharge.objects.order_by("line_no")),
    )
    receipt = scope.filter_warehouses(queryset, user).filter(pk=document_id).first()
    if receipt is None:
        raise NotFound()
    return receipt


def purchase_receipt_sheet(receipt: PurchaseReceipt, user) -> Sheet:
    """The receipt 采购入库单: lines with their net value, share of the charges and landed
    unit cost; the charges (kind, amount, tax, who is paid) below the lines."""
    fields = [
        (_("Status"), receipt.get_status_display()),
        (_("Document date"), pdf.fmt_date(receipt.document_date)),
        (_("Supplier"), f"{receipt.supplier.code} {receipt.supplier.name}"),
        (_("Store"), f"{receipt.store.code} {receipt.store.name}"),
        (_("Warehouse"), f"{receipt.warehouse.code} {receipt.warehouse.name}"),
        (_("Purchase order"), receipt.order.number if receipt.order_id else ""),
        (_("Delivery note"), receipt.reference),
        (_("Created by"), pdf.user_name(receipt.created_by)),
        (_("Posted by"), pdf.user_name(receipt.posted_by) if receipt.posted_by_id else ""),
        (_("Posted at"), pdf.fmt_datetime(receipt.posted_at)),
    ]
    columns = [
        Column(_("No."), 4, CENTER),
        Column(_("SKU code"), 12),
        Column(_("Name"), 19),
        Column(_("Unit"), 5, CENTER),
        Column(_("Accepted"), 8, RIGHT),
        Column(_("Rejected"), 7, RIGHT),
        Column(_("Batch"), 9),
        Column(_("Net"), 9, RIGHT, cost=True),
        Column(_("Charges"), 8, RIGHT, cost=True),
        Column(_("Landed unit cost"), 9, RIGHT, cost=True),
    ]
    rows = []
    for line in receipt.lines.all():
        places = getattr(line.unit, "precision", 4)
        rows.append(
            [
                str(line.line_no),
                line.sku.code,
                line.sku.name,
                line.unit.name,
                pdf.fmt_qty(line.quantity, places),
                pdf.fmt_qty(line.rejected_quantity, places) if line.rejected_quantity else "",
                line.batch_no,
                pdf.fmt_money(line_value(line)),
                pdf.fmt_money(line.charge_amount) if line.charge_amount else "",
                pdf.fmt_qty(landed_unit_cost(line)),  # to 4 places, as the ledger keeps it
            ]
        )
    totals = ["", _("Total"), "", "", "", "", "", pdf.fmt_money(receipt.total_value)]
    totals += [pdf.fmt_money(receipt.total_charges) if receipt.total_charges else "", ""]
    remarks = []
    charges = list(receipt.charges.all())
    if charges and can_see_cost(user):
        remarks.append(
            _("Landed cost charges, allocated %(basis)s:")
            % {"basis": receipt.get_allocation_basis_display().lower()}
        )
        for charge in charges:
            payee = (
                _("payable to the supplier")
                if charge.payable_to_supplier
                else _("paid to %(payee)s") % {"payee": charge.payee or _("another party")}
            )
            parts = [
                f"{charge.line_no}. {charge.get_kind_display()} {pdf.fmt_money(charge.amount)}",
                _("tax %(tax)s") % {"tax": pdf.fmt_money(charge.tax_amount)}
                if charge.tax_amount
                else "",
                payee,
                charge.notes,
            ]
            remarks.append(" · ".join(part for part in parts if part))
    return Sheet(
        title=_("Purchase receipt"),
        number=receipt.number,
        fields=fields,
        columns=columns,
        rows=rows,
        totals=totals,
        notes=receipt.notes,
        remarks=remarks,
    )


def revision_remarks(order: PurchaseOrder, *, show_cost: bool) -> list[str]:
    """The revision history (修订记录) of an order, one line per revision: number, status,
    who and when, the amount before → after (for who may see costs) and the reason."""
    out = []
    for revision in order.revisions.all():
        amounts = (
            f"{pdf.fmt_money(Decimal(revision.previous['total_gross']))} → "
            f"{pdf.fmt_money(revision.total_gross)}"
            if show_cost
            else ""
        )
        out.append(
            _("Revision %(number)s (%(status)s) %(by)s %(at)s %(amounts)s: %(reason)s")
            % {
                "number": revision.number,
                "status": revision.get_status_display(),
                "by": pdf.user_name(revision.created_by),
                "at": pdf.fmt_datetime(revision.created_at),
                "amounts": amounts,
                "reason": revision.reason,
            }
        )
    return out


def load_purchase_return(user, kind: str, document_id: int) -> PurchaseReturn:
    """One return with its lines in the user's scope (NotFound otherwise)."""
    queryset = PurchaseReturn.objects.select_related(
        "store", "warehouse", "supplier", "receipt", "created_by", "approved_by", "posted_by"
    ).prefetch_related(
        Prefetch(
            "lines",
            PurchaseReturnLine.objects.select_related(
                "sku", "unit", "batch", "receipt_line__receipt"
            ).order_by("line_no"),
        )
    )
    document = scope.filter_warehouses(queryset, user).filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return document


def purchase_return_sheet(document: PurchaseReturn, user) -> Sheet:
    """The debit note 采购退货单: supplier, source receipts, lines at the receipt's prices."""
    fields = [
        (_("Status"), document.get_status_display()),
        (_("Document date"), pdf.fmt_date(document.document_date)),
        (_("Supplier"), f"{document.supplier.code} {document.supplier.name}"),
        (_("Store"), f"{document.store.code} {document.store.name}"),
        (_("Warehouse"), f"{document.warehouse.code} {document.warehouse.name}"),
        (_("Purchase receipt"), document.receipt.number if document.receipt_id else ""),
        (_("Reason"), document.reason),
        (_("Created by"), pdf.user_name(document.created_by)),
        (_("Posted by"), pdf.user_name(document.posted_by) if document.posted_by_id else ""),
        (_("Posted at"), pdf.fmt_datetime(document.posted_at)),
    ]
    columns = [
        Column(_("No."), 4, CENTER),
        Column(_("SKU code"), 13),
        Column(_("Name"), 20),
        Column(_("Receipt"), 14),
        Column(_("Batch"), 9),
        Column(_("Unit"), 5, CENTER),
        Column(_("Quantity"), 8, RIGHT),
        Column(_("VAT"), 5, RIGHT),
        Column(_("Net"), 9, RIGHT, cost=True),
        Column(_("Tax"), 8, RIGHT, cost=True),
        Column(_("Amount"), 10, RIGHT, cost=True),
    ]
    rows = [
        [
            str(line.line_no),
            line.sku.code,
            line.sku.name,
            line.receipt_line.receipt.number,
            line.batch.batch_no if line.batch_id else "",
            line.unit.name,
            pdf.fmt_qty(line.quantity, getattr(line.unit, "precision", 4)),
            f"{line.tax_rate.normalize():f}%",
            pdf.fmt_money(line.net_amount),
            pdf.fmt_money(line.tax_amount),
            pdf.fmt_money(line.gross_amount),
        ]
        for line in document.lines.all()
    ]
    totals = ["", _("Total"), "", "", "", "", "", ""]
    totals += [pdf.fmt_money(document.total_net), pdf.fmt_money(document.total_tax)]
    totals += [pdf.fmt_money(document.total_gross)]
    return Sheet(
        title=_("Purchase return"),
        number=document.number,
        fields=fields,
        columns=columns,
        rows=rows,
        totals=totals,
        notes=document.notes,
    )


def register_purchasing_templates() -> None:
    templates.register(
        templates.PrintTemplate(
            "purchase_receipt", load=load_purchase_receipt, sheet=purchase_receipt_sheet
        )
    )
    templates.register(
        templates.PrintTemplate(
            "purchase_order", load=load_purchase_order, sheet=purchase_order_sheet
        )
    )
    templates.register(
        templates.PrintTemplate(
            "purchase_return", load=load_purchase_return, sheet=purchase_return_sheet
        )
    )
