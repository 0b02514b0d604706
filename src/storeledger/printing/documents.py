"""A4 PDFs of inventory documents: company header, title, number with its Code128 barcode,
header fields, the lines table, totals and signature lines. Call inside the wanted language."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from storeledger.core.costs import can_see_cost
from storeledger.inventory.models import StockCount, StockDocument, StockDocumentKind, Transfer
from storeledger.org.models import Company
from storeledger.printing import pdf, selectors, templates
from storeledger.printing.selectors import hides_book, posted_line_values

MARGIN = 14 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
LEFT, RIGHT, CENTER = "LEFT", "RIGHT", "CENTER"


@dataclass
class Column:
    heading: str
    width: float  # share of the table width
    align: str = LEFT
    cost: bool = False  # a cost, value or purchase price: left out without reports.view_cost


@dataclass
class Sheet:
    title: str
    number: str
    fields: list[tuple[str, str]]
    columns: list[Column]
    rows: list[list[str]]
    totals: list[str] | None = None
    notes: str = ""
    remarks: list[str] = field(default_factory=list)
    # the approval history: (level, role, decision, by, at, comment) of every decided level
    approvals: list[list[str]] = field(default_factory=list)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=pdf.FONT, fontSize=9, leading=12)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cell_right": ParagraphStyle(
            "cell_right", parent=base, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle("head", parent=base, fontSize=8, leading=10, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
    }


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(sheet: Sheet) -> bytes:
    """The PDF bytes of one document sheet."""
    pdf.register_fonts()
    styles = _styles()
    company = Company.current()
    printed_at = pdf.fmt_datetime(timezone.now())
    page_label = _("Page %(page)s")
    printed_label = _("Printed %(time)s")
    contact = "  ".join(
        part
        for part in (
            company.address,
            f"{capfirst(_('phone'))}: {company.phone}" if company.phone else "",
        )
        if part
    )

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFont(pdf.FONT, 13)
        canvas.drawCentredString(width / 2, height - 11 * mm, company.name)
        if contact:
            canvas.setFont(pdf.FONT, 8)
            canvas.drawCentredString(width / 2, height - 15.5 * mm, contact)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, height - 18 * mm, width - MARGIN, height - 18 * mm)
        canvas.setFont(pdf.FONT, 7.5)
        canvas.drawString(MARGIN, 8 * mm, f"{sheet.number}  {printed_label % {'time': printed_at}}")
        canvas.drawRightString(width - MARGIN, 8 * mm, page_label % {"page": doc.page})
        canvas.restoreState()

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=22 * mm,
        bottomMargin=14 * mm,
        title=f"{sheet.title} {sheet.number}",
        author=company.name,
        creator="StoreLedger",
    )
    story: list = [Paragraph(_esc(sheet.title), styles["title"]), Spacer(1, 3 * mm)]
    story.append(_number_block(sheet, styles))
    story.append(Spacer(1, 3 * mm))
    fields = [(k, v) for k, v in sheet.fields if v]
    if fields:  # a report without filters has none
        story.append(_fields_table(fields, styles))
        story.append(Spacer(1, 4 * mm))
    story.append(_lines_table(sheet, styles))
    for remark in sheet.remarks:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(_esc(remark), styles["small"]))
    if sheet.approvals:
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(_esc(_("Approval history")), styles["base"]))
        story.append(Spacer(1, 1 * mm))
        story.append(_approvals_table(sheet.approvals, styles))
    if sheet.notes:
        story.append(Spacer(1, 3 * mm))
        story.append(
            Paragraph(
                f"{_esc(capfirst(_('notes')))}: {_esc(sheet.notes)}".replace("\n", "<br/>"),
                styles["base"],
            )
        )
    story.append(Spacer(1, 12 * mm))
    story.append(_signatures(styles))
    template.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _number_block(sheet: Sheet, styles) -> Table:
    barcode = pdf.barcode_drawing(sheet.number, width=62 * mm, height=11 * mm, kind=pdf.CODE128)
    number = Paragraph(
        f"{_esc(capfirst(_('number')))}: <font size=12>{_esc(sheet.number)}</font>", styles["base"]
    )
    table = Table([[number, barcode]], colWidths=[CONTENT_WIDTH - 64 * mm, 64 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _fields_table(fields: list[tuple[str, str]], styles) -> Table:
    """Header fields in three label: value pairs per row."""
    per_row = 3
    rows = []
    for start in range(0, len(fields), per_row):
        row = []
        for label, value in fields[start : start + per_row]:
            row.append(Paragraph(f"{_esc(label)}: {_esc(value)}", styles["base"]))
        row += [""] * (per_row - len(row))
        rows.append(row)
    table = Table(rows, colWidths=[CONTENT_WIDTH / per_row] * per_row)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _lines_table(sheet: Sheet, styles) -> Table:
    total_share = sum(c.width for c in sheet.columns)
    widths = [CONTENT_WIDTH * c.width / total_share for c in sheet.columns]

    def cell(text: str, column: Column):
        style = styles["cell_right"] if column.align == RIGHT else styles["cell"]
        return Paragraph(_esc(text), style)

    data = [[Paragraph(_esc(c.heading), styles["head"]) for c in sheet.columns]]
    data += [[cell(v, c) for v, c in zip(row, sheet.columns, strict=True)] for row in sheet.rows]
    if sheet.totals is not None:
        data.append([cell(v, c) for v, c in zip(sheet.totals, sheet.columns, strict=True)])
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if sheet.totals is not None:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.95, 0.95, 0.95)))
    table.setStyle(TableStyle(style))
    return table


def _approvals_table(rows: list[list[str]], styles) -> Table:
    headings = [_("Level"), _("Role"), _("Decision"), _("By"), _("At"), _("Comment")]
    widths = [0.07, 0.14, 0.1, 0.14, 0.17, 0.38]
    data = [[Paragraph(_esc(h), styles["head"]) for h in headings]]
    data += [[Paragraph(_esc(cell), styles["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=[w * CONTENT_WIDTH for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def approval_rows(document) -> list[list[str]]:
    """The decided levels of every submission of `document` (core.approvals), oldest first."""
    from storeledger.accounts.roles import ROLE_NAMES
    from storeledger.core import approvals, doctypes
    from storeledger.core.models import ApprovalStepStatus

    try:
        doctypes.for_document(document)
    except KeyError:  # not a registered document model: no approval history
        return []
    decided = (ApprovalStepStatus.APPROVED, ApprovalStepStatus.REJECTED)
    rows = []
    for step in approvals.document_steps(document):
        if step.status not in decided:
            continue
        role = str(ROLE_NAMES.get(step.role, step.role)) if step.role else "—"
        rows.append(
            [
                f"{step.round}.{step.sequence}",
                role,
                str(ApprovalStepStatus(step.status).label),
                pdf.user_name(step.decided_by),
                pdf.fmt_datetime(step.decided_at),
                step.comment,
            ]
        )
    return rows


def _signatures(styles) -> Table:
    labels = [_("Prepared by"), _("Reviewed by"), _("Warehouse keeper")]
    row = [Paragraph(f"{_esc(label)}: ____________________", styles["base"]) for label in labels]
    table = Table([row], colWidths=[CONTENT_WIDTH / 3] * 3)
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


# ---------------------------------------------------------------- the document families


def document_sheet(*, user, document_type: str, document_id: int) -> Sheet:
    """The sheet of one document in the user's scope (NotFound otherwise): `document_type` is
    a document kind ("stock_in", "transfer", "stock_count" …); its type's registry entry
    names the print template (core.doctypes, printing.templates)."""
    _doctype, template = templates.for_kind(document_type)
    document = template.load(user, document_type, document_id)
    sheet = template.sheet(document, user)
    sheet.approvals = approval_rows(document)
    return sheet if can_see_cost(user) else without_costs(sheet)


def without_costs(sheet: Sheet) -> Sheet:
    """The sheet without its cost columns (their cells and totals), the other columns
    widened to fill the table (core.costs: files leave the column out)."""
    keep = [index for index, column in enumerate(sheet.columns) if not column.cost]
    if len(keep) == len(sheet.columns):
        return sheet
    removed = sum(column.width for column in sheet.columns if column.cost)
    kept_width = sum(sheet.columns[index].width for index in keep) or 1
    sheet.columns = [
        replace(
            sheet.columns[index],
            width=sheet.columns[index].width * (1 + removed / kept_width),
        )
        for index in keep
    ]
    sheet.rows = [[row[index] for index in keep] for row in sheet.rows]
    if sheet.totals is not None:
        sheet.totals = [sheet.totals[index] for index in keep]
    return sheet


def register_inventory_templates() -> None:
    """The sheets of inventory's document types (named by inventory/doctypes.py)."""
    templates.register(
        templates.PrintTemplate(
            "stock_document",
            load=lambda user, kind, pk: selectors.stock_document(
                user=user, kind=kind, document_id=pk
            ),
            sheet=lambda document, user: stock_document_sheet(document),
        )
    )
    templates.register(
        templates.PrintTemplate(
            "transfer",
            load=lambda user, kind, pk: selectors.transfer(user=user, transfer_id=pk),
            sheet=lambda document, user: transfer_sheet(document),
        )
    )
    templates.register(
        templates.PrintTemplate(
            "stock_count",
            load=lambda user, kind, pk: selectors.stock_count(user=user, count_id=pk),
            sheet=stock_count_sheet,
        )
    )


def _people(document) -> list[tuple[str, str]]:
    rows = [
        (_("Created by"), pdf.user_name(document.created_by)),
        (_("Created at"), pdf.fmt_datetime(document.created_at)),
    ]
    if document.approved_by_id:
        rows += [
            (_("Approved by"), pdf.user_name(document.approved_by)),
            (_("Approved at"), pdf.fmt_datetime(document.approved_at)),
        ]
    if document.posted_by_id:
        rows += [
            (_("Posted by"), pdf.user_name(document.posted_by)),
            (_("Posted at"), pdf.fmt_datetime(document.posted_at)),
        ]
    if document.reversed_by_id:
        rows += [
            (_("Reversed by"), pdf.user_name(document.reversed_by)),
            (_("Reversed at"), pdf.fmt_datetime(document.reversed_at)),
        ]
    return rows


def _place(obj) -> str:
    return f"{obj.code} {obj.name}"


def _precision(unit) -> int:
    return getattr(unit, "precision", 4)


def _item_columns(name_width: float, spec_width: float) -> list[Column]:
    """The columns every lines table starts with: No., SKU code, name, spec, unit."""
    return [
        Column(_("No."), 4, CENTER),
        Column(_("SKU code"), 14),
        Column(_("Name"), name_width),
        Column(_("Spec"), spec_width),
        Column(_("Unit"), 5, CENTER),
    ]


def _item_cells(line_no: int, sku, unit) -> list[str]:
    return [str(line_no), sku.code, sku.name, sku.spec, unit.name]


def _totals(leading: int, line_count: int, trailing: list[str]) -> list[str]:
    """A totals row: "Total" and the line count under the first columns, then `trailing`."""
    return ["", _("Total"), _line_count(line_count), *[""] * (leading - 3), *trailing]


def _batch_no(line) -> str:
    if line.batch is not None:
        return line.batch.batch_no
    return getattr(line, "batch_no", "")


def _code(location) -> str:
    return location.code if location is not None else ""


def _location(line) -> str:
    return _code(line.location)


def stock_document_sheet(document: StockDocument) -> Sheet:
    titles: dict[str, str] = {
        StockDocumentKind.STOCK_IN: _("Other stock-in slip"),
        StockDocumentKind.STOCK_OUT: _("Other stock-out slip"),
        StockDocumentKind.ADJUSTMENT: _("Stock adjustment slip"),
        StockDocumentKind.SCRAP: _("Scrap slip"),
    }
    values = posted_line_values(document)
    fields = [
        (_("Status"), document.get_status_display()),
        (_("Document date"), pdf.fmt_date(document.document_date)),
        (_("Store"), _place(document.store)),
        (_("Warehouse"), _place(document.warehouse)),
    ]
    if document.reason is not None:
        fields.append((_("Reason"), document.reason.name))
    if document.reference:
        fields.append((_("External reference"), document.reference))
    fields += _people(document)
    lines = list(document.lines.all())
    with_location = any(line.location_id for line in lines)
    columns = [
        *_item_columns(20 if with_location else 22, 10),
        Column(_("Quantity"), 9, RIGHT),
        Column(_("Batch"), 10),
        *([Column(_("Location"), 8)] if with_location else []),
        Column(_("Unit cost"), 9, RIGHT, cost=True),
        Column(_("Value"), 10, RIGHT, cost=True),
    ]
    rows: list[list[str]] = []
    total_qty = Decimal(0)
    total_value = Decimal(0)
    has_value = False
    for line in lines:
        value = values.get(line.id)
        unit_cost = line.unit_cost
        if value is None and unit_cost is not None:
            value = abs(line.quantity) * unit_cost
        if unit_cost is None and value is not None and line.quantity:
            unit_cost = value / abs(line.quantity)
        if value is not None:
            has_value = True
            total_value += value
        total_qty += line.quantity
        rows.append(
            [
                *_item_cells(line.line_no, line.sku, line.unit),
                pdf.fmt_qty(line.quantity, _precision(line.unit)),
                _batch_no(line),
                *([_location(line)] if with_location else []),
                pdf.fmt_money(unit_cost),
                pdf.fmt_money(value),
            ]
        )
    trailing = [pdf.fmt_qty(total_qty), "", *([""] if with_location else []), ""]
    trailing.append(pdf.fmt_money(total_value) if has_value else "")
    totals = _totals(5, len(rows), trailing)
    return Sheet(
        title=titles[document.kind],
        number=document.number,
        fields=fields,
        columns=columns,
        rows=rows,
        totals=totals,
        notes=document.notes,
    )


def transfer_sheet(transfer: Transfer) -> Sheet:
    fields = [
        (_("Status"), transfer.get_status_display()),
        (_("Document date"), pdf.fmt_date(transfer.document_date)),
        (_("Expected date"), pdf.fmt_date(transfer.expected_date)),
        (_("From warehouse"), _place(transfer.from_warehouse)),
        (_("To warehouse"), _place(transfer.to_warehouse)),
        (_("Store"), _place(transfer.store)),
        *_people(transfer),
    ]
    if transfer.shipped_by_id:
        fields += [
            (_("Shipped by"), pdf.user_name(transfer.shipped_by)),
            (_("Shipped at"), pdf.fmt_datetime(transfer.shipped_at)),
        ]
    if transfer.received_by_id:
        fields += [
            (_("Received by"), pdf.user_name(transfer.received_by)),
            (_("Received at"), pdf.fmt_datetime(transfer.received_at)),
        ]
    lines = list(transfer.lines.all())
    # A bin column (picked from / put away to) only when a line names one.
    bins = [
        (heading, field)
        for heading, field in (
            (_("From location"), "from_location"),
            (_("To location"), "to_location"),
        )
        if any(getattr(line, f"{field}_id") for line in lines)
    ]
    columns = [
        *_item_columns(20 - 4 * len(bins), 9 - 2 * len(bins)),
        Column(_("Quantity"), 8, RIGHT),
        Column(_("Batch"), 9),
        *(Column(heading, 6) for heading, _field in bins),
        Column(_("Shipped"), 8, RIGHT),
        Column(_("Received"), 8, RIGHT),
        Column(_("Discrepancy"), 8, RIGHT),
    ]
    rows = []
    sums = [Decimal(0)] * 3
    for line in lines:
        moved = [line.shipped_quantity, line.received_quantity, line.discrepancy_quantity]
        sums = [a + b for a, b in zip(sums, moved, strict=True)]
        base_places = _precision(line.sku.product.base_unit)
        rows.append(
            [
                *_item_cells(line.line_no, line.sku, line.unit),
                pdf.fmt_qty(line.quantity, _precision(line.unit)),
                _batch_no(line),
                *(_code(getattr(line, field)) for _heading, field in bins),
                *(pdf.fmt_qty(q, base_places) for q in moved),
            ]
        )
    totals = _totals(7 + len(bins), len(rows), [pdf.fmt_qty(q) for q in sums])
    return Sheet(
        title=_("Transfer slip"),
        number=transfer.number,
        fields=fields,
        columns=columns,
        rows=rows,
        totals=totals,
        notes=transfer.notes,
        remarks=[_("Shipped, received and discrepancy are in the base unit.")],
    )


def stock_count_sheet(count: StockCount, user) -> Sheet:
    """The count sheet. For a counter of an open blind count it has no book, difference or
    value column at all (an empty column would still say where the figures go)."""
    hidden = hides_book(count, user)
    fields = [
        (_("Status"), count.get_status_display()),
        (_("Document date"), pdf.fmt_date(count.document_date)),
        (_("Store"), _place(count.store)),
        (_("Warehouse"), _place(count.warehouse)),
        (_("Blind count"), _("Yes") if count.blind else _("No")),
        (_("Book quantities taken at"), pdf.fmt_datetime(count.snapshot_at)),
        *_people(count),
    ]
    columns = [*_item_columns(21, 9), Column(_("Batch"), 9)]
    if hidden:
        columns.append(Column(_("Counted"), 16, RIGHT))
    else:
        columns += [
            Column(_("Book"), 8, RIGHT),
            Column(_("Counted"), 8, RIGHT),
            Column(_("Difference"), 8, RIGHT),
            Column(_("Difference value"), 9, RIGHT, cost=True),
        ]
    rows = []
    total_difference = Decimal(0)
    total_value = Decimal(0)
    for index, line in enumerate(count.lines.all(), start=1):
        unit = line.sku.product.base_unit
        places = _precision(unit)
        counted = pdf.fmt_qty(line.counted_quantity, places)
        if hidden:
            rows.append([*_item_cells(index, line.sku, unit), _batch_no(line), counted])
            continue
        total_difference += line.difference or 0
        total_value += line.difference_value or 0
        rows.append(
            [
                *_item_cells(index, line.sku, unit),
                _batch_no(line),
                pdf.fmt_qty(line.book_quantity, places),
                counted,
                pdf.fmt_qty(line.difference, places),
                pdf.fmt_money(line.difference_value),
            ]
        )
    if hidden:
        totals = _totals(6, len(rows), [""])
    else:
        trailing = [pdf.fmt_qty(total_difference), pdf.fmt_money(total_value)]
        totals = _totals(8, len(rows), trailing)
    remarks = [_("Blind count: book quantities are hidden until the count is submitted.")]
    return Sheet(
        title=_("Stock count sheet"),
        number=count.number,
        fields=fields,
        columns=columns,
        rows=rows,
        totals=totals,
        notes=count.notes,
        remarks=remarks if hidden else [],
    )


def _line_count(count: int) -> str:
    return ngettext("%(count)s line", "%(count)s lines", count) % {"count": count}
