"""Shared PDF pieces: the CJK font, number/date formatting, barcode choice and drawings."""

from __future__ import annotations

import datetime
import logging
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

# The PDFs embed (a subset of) a TrueType CJK font, so Chinese prints on any machine and in any
# viewer. reportlab embeds TrueType outlines only (not the CFF outlines of Noto Sans CJK's .ttc):
# `make fonts` installs Debian's fonts-wqy-microhei; PDF_CJK_FONT names another .ttf/.ttc.
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
EMBEDDED_FONT = "StoreLedgerCJK"
# Without any such font: reportlab's built-in Adobe CID font, which is NOT embedded (a viewer
# without a Chinese font shows boxes); the system check printing.W001 says so.
FALLBACK_FONT = "STSong-Light"
FONT = FALLBACK_FONT  # the font the PDFs use, set by register_fonts()
EAN13 = "EAN13"
CODE128 = "Code128"

_registered = False


def cjk_font_path() -> Path | None:
    """The TrueType CJK font file to embed: settings.PDF_CJK_FONT, else the first installed
    candidate; None when there is none."""
    configured = getattr(settings, "PDF_CJK_FONT", "")
    for candidate in [configured] if configured else CJK_FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


def register_fonts() -> str:
    """Register the PDF font once; returns its name (also in FONT)."""
    global _registered, FONT
    if not _registered:
        path = cjk_font_path()
        if path is not None:
            # subfontIndex 0 of a collection: the simplified-Chinese face of the candidates
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, str(path), subfontIndex=0))
            FONT = EMBEDDED_FONT
        else:
            logger.warning(
                "No TrueType CJK font found: PDFs use the non-embedded %s", FALLBACK_FONT
            )
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
            FONT = FALLBACK_FONT
        _registered = True
    return FONT


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
    return pdfmetrics.stringWidth(text, register_fonts(), size)


# The yuan sign of a CJK font can be a full-width glyph (reportlab's STSong-Light: as wide as
# a Chinese character, twice a digit), which printed "¥ 2.50" with a gap; such a sign is
# drawn in a Latin face (Helvetica: one of the PDF standard fonts every viewer has).
LATIN_FONT = "Helvetica"
# the signs of org.currency that Helvetica can draw
CURRENCY_SIGNS = "¥$€£"


def price_runs(text: str, size: float) -> list[tuple[str, str]]:
    """`text` as (piece, font) runs: a leading currency sign in a Latin face when the PDF
    font's sign is wider than a digit and a half."""
    font = register_fonts()
    if text[:1] in CURRENCY_SIGNS:
        sign = pdfmetrics.stringWidth(text[0], font, size)
        digit = pdfmetrics.stringWidth("0", font, size)
        if sign > 1.5 * digit:
            return [(text[0], LATIN_FONT), (text[1:], font)]
    return [(text, font)]


def price_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, f, size) for piece, f in price_runs(text, size))


def draw_price_right(canvas, right: float, y: float, text: str, size: float) -> None:
    """Draw a price ending at `right`, its currency sign right before the digits."""
    x = right - price_width(text, size)
    for piece, font in price_runs(text, size):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)


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


def fmt_price(value: Decimal | None, sign: str) -> str:
    """A price with its currency sign (`org.currency.company_currency_sign()`)."""
    return "" if value is None else f"{sign}{fmt_money(value)}"


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
