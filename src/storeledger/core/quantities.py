"""Decimal precision shared by models, services and the API."""

from decimal import ROUND_HALF_UP, Decimal

QTY_DIGITS, QTY_PLACES = 18, 4
MONEY_DIGITS, MONEY_PLACES = 18, 4
PRICE_PLACES = 4

QTY_QUANT = Decimal(1).scaleb(-QTY_PLACES)
MONEY_QUANT = Decimal(1).scaleb(-MONEY_PLACES)
ZERO = Decimal(0)


def qty(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(QTY_QUANT, rounding=ROUND_HALF_UP)


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(MONEY_QUANT, rounding=ROUND_HALF_UP)


def qty_field_kwargs() -> dict:
    return {"max_digits": QTY_DIGITS, "decimal_places": QTY_PLACES}


def money_field_kwargs() -> dict:
    return {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}
