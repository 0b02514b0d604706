"""What purchase receipts are worth to the supplier account: the accepted quantity at the
order's price incl. tax (the order line's gross amount pro rata, to the fen — exact at a full
receipt); a receipt without an order at its net unit cost plus the supplier's VAT. And what a
receipt line's invoice should say: the order's price for the receipt line's unit, on the
invoice's tax basis."""

from __future__ import annotations

import datetime
from decimal import Decimal

from storeledger.core.quantities import ZERO
from storeledger.purchasing.services.orders import HUNDRED, fen


def line_gross(
    *,
    base_quantity: Decimal,
    unit_cost: Decimal,
    order_gross: Decimal | None,
    order_base_quantity: Decimal | None,
    supplier_tax_rate: Decimal,
) -> Decimal:
    """The amount incl. tax of `base_quantity` accepted of a receipt line."""
    if base_quantity <= 0:
        return ZERO
    if order_gross is not None and order_base_quantity:
        return fen(order_gross * base_quantity / order_base_quantity)
    return fen(unit_cost * base_quantity * (HUNDRED + supplier_tax_rate) / HUNDRED)


def receipt_line_gross(line) -> Decimal:
    """`line_gross` of a PurchaseReceiptLine (with order_line and receipt.supplier loaded)."""
    order_line = line.order_line
    return line_gross(
        base_quantity=line.base_quantity,
        unit_cost=line.unit_cost,
        order_gross=order_line.gross_amount if order_line is not None else None,
        order_base_quantity=order_line.base_quantity if order_line is not None else None,
        supplier_tax_rate=line.receipt.supplier.tax_rate,
    )


def expected_price(line, *, include_tax: bool) -> tuple[Decimal, Decimal]:
    """(price per the receipt line's unit on the basis `include_tax`, VAT rate) that an
    invoice of this receipt line should show: the order line's price after its discount,
    converted to the receipt line's unit; without an order, the receipt's net unit cost."""
    order_line = line.order_line
    if order_line is not None:
        rate = order_line.tax_rate
        price = (
            order_line.price
            * line.factor
            / order_line.factor
            * (HUNDRED - order_line.discount)
            / HUNDRED
        )
        ordered_with_tax = order_line.order.prices_include_tax
    else:
        rate = line.receipt.supplier.tax_rate
        price = line.unit_cost * line.factor
        ordered_with_tax = False
    if ordered_with_tax and not include_tax:
        price = price * HUNDRED / (HUNDRED + rate)
    elif include_tax and not ordered_with_tax:
        price = price * (HUNDRED + rate) / HUNDRED
    return price.quantize(Decimal("0.0001")), rate


def due_date(day: datetime.date, terms_days: int) -> datetime.date:
    return day + datetime.timedelta(days=terms_days)
