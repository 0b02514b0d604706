"""Warn when the PDFs cannot embed a Chinese font (printing.W001): they then use reportlab's
built-in STSong-Light, which a viewer without a Chinese font shows as boxes."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

from storeledger.printing import pdf


@register()
def check_cjk_font(app_configs=None, **kwargs) -> list[Warning]:
    if pdf.cjk_font_path() is not None:
        return []
    configured = getattr(settings, "PDF_CJK_FONT", "")
    where = (
        f"PDF_CJK_FONT={configured} is not a file"
        if configured
        else "none of " + ", ".join(pdf.CJK_FONT_CANDIDATES) + " is installed"
    )
    return [
        Warning(
            f"PDFs cannot embed a Chinese font ({where}): Chinese prints as boxes on a viewer "
            "without one.",
            hint="Run `make fonts` (Debian's fonts-wqy-microhei) or set PDF_CJK_FONT to a "
            "TrueType (.ttf/.ttc) CJK font.",
            id="printing.W001",
        )
    ]
