"""Decimal precision shared by models, services and the API."""

from decimal import ROUND_HALF_UP, Decimal

QTY_DIGITS, QTY_PLACES = 18, 4
MONEY_DIGITS, MONEY_PLACES = 18, 4
PRICE_PLACES = 4

QTY_QUANT = Decimal(1).scaleb(-QTY_PLACES)
MONEY_QUANT = Decimal(1).scaleb(-MONEY_PLACES)
ZERO = Decimal(0)

# The most one document line may carry, in the SKU's base unit, and the most its value (quantity
# × unit cost) may be. The columns hold 14 digits before the point; a line within these limits
# leaves room for converting units, summing count entries and pricing it at any plausible cost,
# so no stored row can exceed its column (SQLite would keep it and fail every later read).
MAX_LINE_QUANTITY = Decimal(100_000_000)
MAX_LINE_VALUE = Decimal(1_000_000_000_000)


def qty(value: Decimal | int | str) -> Decimal:
    return _no_negative_zero(Decimal(value).quantize(QTY_QUANT, rounding=ROUND_HALF_UP))


def money(value: Decimal | int | str) -> Decimal:
    return _no_negative_zero(Decimal(value).quantize(MONEY_QUANT, rounding=ROUND_HALF_UP))


def _no_negative_zero(value: Decimal) -> Decimal:
    """-0 and 0 are equal but print differently ("-0.0000"): the ledger hashes the printed
    form and the database stores 0, so a zero is always the positive one."""
    return abs(value) if value.is_zero() else value


def qty_field_kwargs() -> dict:
    return {"max_digits": QTY_DIGITS, "decimal_places": QTY_PLACES}


def money_field_kwargs() -> dict:
    return {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}
