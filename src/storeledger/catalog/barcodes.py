"""Barcode check digits: EAN-13, UPC-A, EAN-8 and internal codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def gs1_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of the digits before the check digit."""
    total = 0
    for position, char in enumerate(reversed(body)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def classify(code: str) -> str:
    """'ean13', 'upca', 'ean8' for numeric GS1 lengths, otherwise 'other'."""
    if code.isdigit():
        return {13: "ean13", 12: "upca", 8: "ean8"}.get(len(code), "other")
    return "other"


def validation_error(code: str) -> str | None:
    """None if the code is acceptable, otherwise a translated message."""
    code = code.strip()
    if not code:
        return str(_("A barcode cannot be empty."))
    if len(code) > 64 or any(ch.isspace() for ch in code):
        return str(_("A barcode has at most 64 characters and no spaces."))
    kind = classify(code)
    if kind != "other" and gs1_check_digit(code[:-1]) != int(code[-1]):
        return str(
            _("The check digit of %(code)s is wrong; it should be %(digit)s.")
            % {"code": code, "digit": gs1_check_digit(code[:-1])}
        )
    return None


def internal_ean13(prefix: str, sequence: int) -> str:
    """An in-store EAN-13 (GS1 prefixes 20-29 are for internal use) with its check digit."""
    body = f"{prefix}{sequence:0{12 - len(prefix)}d}"
    if len(body) != 12:
        raise ValueError("sequence too large for the internal barcode range")
    return body + str(gs1_check_digit(body))
