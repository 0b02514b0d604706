"""Shared PDF pieces: the CJK font, number/date formatting, barcode choice and drawings."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

# reportlab's built-in Adobe CID font: Simplified Chinese and Latin, no font file needed.
FONT = "STSong-Light"
EAN13 = "EAN13"
CODE128 = "Code128"

_registered = False


def register_fonts() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True


def is_ean13(code: str) -> bool:
    """13 digits with a correct check digit."""
    if len(code) != 13 or not code.isascii() or not code.isdigit():
        return False
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]


def symbology(code: str) -> str:
    return EAN13 if is_ean13(code) else CODE128


def barcode_drawing(code: str, width: float, height: float, kind: str | None = None) -> Drawing:
    """The bars of `code` (EAN-13 when valid, else Code128) stretched to width × height,
    without the human-readable digits (callers print them in their own font and place)."""
    kind = kind or symbology(code)
    value = code[:12] if kind == EAN13 else code
    drawing = createBarcodeDrawing(
        kind, value=value, humanReadable=False, barHeight=height, quiet=0
    )
    factor = width / drawing.width
    drawing.scale(factor, 1)
    drawing.width = width
    return drawing


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def fmt_qty(value: Decimal | None, places: int | None = None) -> str:
    """A quantity with the unit's precision, or (places=None) without trailing zeros."""
    if value is None:
        return ""
    if places is None:
        exponent = value.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = max(0, min(int(places), 4))
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown:,.{places}f}"


def fmt_money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def fmt_price(value: Decimal | None) -> str:
    return "" if value is None else f"¥{fmt_money(value)}"


def fmt_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def fmt_date(value: datetime.date | None) -> str:
    return "" if value is None else value.isoformat()


def user_name(user) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()
