"""Barcode label PDFs: SKU name, spec, retail price and the barcode (EAN-13 when the code is a
valid EAN-13, else Code128) with its digits, on label-printer rolls or A4 sheets."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from storeledger.catalog.models import Sku
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.org.currency import company_currency_sign
from storeledger.printing import pdf, selectors

MAX_LABELS = 1000


@dataclass(frozen=True)
class LabelSize:
    """`columns` × `rows` labels of `width` × `height` on a page (1 × 1 for label rolls)."""

    width: float
    height: float
    columns: int = 1
    rows: int = 1
    page: tuple[float, float] | None = None

    @property
    def page_size(self) -> tuple[float, float]:
        return self.page or (self.width, self.height)

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


SIZES: dict[str, LabelSize] = {
    "40x30": LabelSize(40 * mm, 30 * mm),
    "50x30": LabelSize(50 * mm, 30 * mm),
    # The common 24-up A4 sheet: 3 × 8 labels of 70 × 37.125 mm without page margins.
    "a4-3x8": LabelSize(A4[0] / 3, A4[1] / 8, columns=3, rows=8, page=A4),
}
DEFAULT_SIZE = "40x30"


@dataclass(frozen=True)
class LabelItem:
    sku_id: int
    quantity: int
    unit_id: int | None = None


@dataclass(frozen=True)
class Label:
    name: str
    spec: str
    price: str
    code: str


def labels_for_items(items: Sequence[LabelItem], *, show_price: bool) -> list[Label]:
    """The labels of the requested SKUs; NotFound for unknown SKUs, ValidationFailed for a
    unit the SKU does not have or more than MAX_LABELS labels."""
    total = sum(item.quantity for item in items)
    if total > MAX_LABELS:
        raise _too_many(total)
    skus = selectors.label_skus(sorted({item.sku_id for item in items}))
    missing = sorted({item.sku_id for item in items} - skus.keys())
    if missing:
        raise NotFound(_("Unknown SKU."), code="sku_not_found", details={"sku_ids": missing})
    labels: list[Label] = []
    sign = company_currency_sign() if show_price else ""
    for index, item in enumerate(items):
        label = _label(
            skus[item.sku_id], item.unit_id, show_price=show_price, sign=sign, index=index
        )
        labels.extend([label] * item.quantity)
    return labels


def labels_for_document(
    *, user, document_type: str, document_id: int, show_price: bool
) -> list[Label]:
    """One label per line unit of each line of a document (fractions rounded up)."""
    lines = selectors.document_label_lines(
        user=user, document_type=document_type, document_id=document_id
    )
    items = [
        LabelItem(sku_id=sku_id, unit_id=unit_id, quantity=math.ceil(abs(quantity)))
        for sku_id, unit_id, quantity in lines
        if quantity
    ]
    total = sum(item.quantity for item in items)
    if total > MAX_LABELS:
        raise _too_many(total)
    if not items:
        raise ValidationFailed(
            _("The document has no lines to print labels for."), code="no_labels"
        )
    return labels_for_items(items, show_price=show_price)


def _too_many(total: int) -> ValidationFailed:
    return ValidationFailed(
        _("At most %(max)s labels can be printed at once; this request asks for %(count)s.")
        % {"max": MAX_LABELS, "count": total},
        code="too_many_labels",
        details={"max": MAX_LABELS, "count": total},
    )


def _label(sku: Sku, unit_id: int | None, *, show_price: bool, sign: str, index: int) -> Label:
    base_unit = sku.product.base_unit
    sku_unit = None
    if unit_id is not None and unit_id != base_unit.id:
        sku_unit = next((u for u in sku.units.all() if u.unit_id == unit_id), None)
        if sku_unit is None:
            raise ValidationFailed(
                _("This SKU has no such unit."),
                code="invalid_unit",
                fields={f"items.{index}.unit": [_("This SKU has no such unit.")]},
            )
    barcodes = list(sku.barcodes.all())
    if sku_unit is None:
        code = next((b.code for b in barcodes if b.unit_id in (None, base_unit.id)), sku.code)
        price: Decimal = sku.retail_price
        unit_name = base_unit.name
    else:
        code = next((b.code for b in barcodes if b.unit_id == sku_unit.unit_id), sku.code)
        price = (
            sku_unit.retail_price
            if sku_unit.retail_price is not None
            else sku.retail_price * sku_unit.factor
        )
        unit_name = sku_unit.unit.name
    return Label(
        name=sku.name,
        spec=sku.spec,
        price=f"{pdf.fmt_price(price, sign)}/{unit_name}" if show_price else "",
        code=code,
    )


# ---------------------------------------------------------------- drawing


def render(labels: Sequence[Label], size_name: str) -> bytes:
    pdf.register_fonts()
    size = SIZES[size_name]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size.page_size)
    canvas.setTitle(_("Barcode labels"))
    canvas.setCreator("StoreLedger")
    page_height = size.page_size[1]
    for start in range(0, len(labels), size.per_page):
        for slot, label in enumerate(labels[start : start + size.per_page]):
            column, row = slot % size.columns, slot // size.columns
            x = column * size.width
            y = page_height - (row + 1) * size.height
            _draw(canvas, label, x, y, size.width, size.height, sheet=size.per_page > 1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking by characters (CJK has no spaces); Latin words break at spaces."""
    lines: list[str] = []
    current = ""
    for char in text:
        if pdf.text_width(current + char, size) <= width or not current:
            current += char
            continue
        if char != " " and " " in current and current[-1] != " " and char.isascii():
            head, _space, tail = current.rpartition(" ")
            if head:
                lines.append(head)
                current = tail + char
                continue
        lines.append(current.rstrip())
        current = "" if char == " " else char
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _fit_name(name: str, width: float, max_size: float, min_size: float) -> tuple[float, list]:
    """The largest font size (down to min_size) at which the name fits two lines; at the
    smallest size, the second line is cut with an ellipsis."""
    size = max_size
    while size >= min_size:
        lines = _wrap(name, size, width)
        if len(lines) <= 2:
            return size, lines
        size -= 0.5
    size = min_size
    lines = _wrap(name, size, width)[:2]
    second = lines[1]
    while second and pdf.text_width(second + "…", size) > width:
        second = second[:-1]
    return size, [lines[0], second + "…"]


def _draw(
    canvas: Canvas, label: Label, x: float, y: float, width: float, height: float, sheet: bool
) -> None:
    # Sheet labels keep clear of the printer's unprintable page edge.
    pad_x = 4 * mm if sheet else 2 * mm
    pad_y = 3.5 * mm if sheet else 1.5 * mm
    inner = width - 2 * pad_x
    top = y + height - pad_y
    scale = min(height / (30 * mm), 1.3)

    name_size, name_lines = _fit_name(label.name, inner, 9 * scale, 5.5)
    for line in name_lines:
        top -= name_size * 1.1
        canvas.setFont(pdf.FONT, name_size)
        canvas.drawString(x + pad_x, top, line)

    detail_size = 7 * scale
    price_size = 10 * scale
    if label.spec or label.price:
        top -= max(price_size if label.price else detail_size, detail_size) * 1.15
        price_width = pdf.price_width(label.price, price_size) if label.price else 0
        if label.price:
            pdf.draw_price_right(canvas, x + width - pad_x, top, label.price, price_size)
        if label.spec:
            spec = label.spec
            room = inner - price_width - 1.5 * mm
            while spec and pdf.text_width(spec, detail_size) > room:
                spec = spec[:-1]
            canvas.setFont(pdf.FONT, detail_size)
            canvas.drawString(x + pad_x, top, spec)

    digits_size = 7 * scale
    bottom = y + pad_y
    bar_bottom = bottom + digits_size + 0.8 * mm
    bar_height = max(top - 1.2 * mm - bar_bottom, 4 * mm)
    bar_width = min(inner, 46 * mm)
    drawing = pdf.barcode_drawing(label.code, width=bar_width, height=bar_height)
    renderPDF.draw(drawing, canvas, x + (width - bar_width) / 2, bar_bottom)
    canvas.setFont(pdf.FONT, digits_size)
    canvas.drawCentredString(x + width / 2, bottom, label.code)
