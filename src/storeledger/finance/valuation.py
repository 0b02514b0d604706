"""What purchase receipts are worth to the supplier account: the accepted quantity at the
order's price incl. tax (the order line's gross amount pro rata, to the fen — exact at a full
receipt); a receipt without an order at its net unit cost plus the supplier's VAT. And what a
receipt line's invoice should say: the order's price for the receipt line's unit, on the
invoice's tax basis. An order line whose price is revised (修订) after part of it was received
leaves what was received at the price then: receipt lines keep the order price they were
written at (PurchaseReceiptLine.order_price)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from storeledger.core.quantities import ZERO
from storeledger.purchasing.services.orders import HUNDRED, fen
from storeledger.purchasing.services.receipts import order_unit_price


def gross_price_when_received(
    *,
    order_price: Decimal | None,
    price: Decimal | None,
    order_factor: Decimal | None,
    discount: Decimal | None,
    factor: Decimal,
    tax_rate: Decimal | None,
    prices_include_tax: bool | None,
) -> Decimal | None:
    """A receipt line's order price incl. tax per its unit as it was when received — None
    unless the order line's price was revised since (then the order line's values hold)."""
    if order_price is None or price is None or order_factor is None or discount is None:
        return None
    if order_price == order_unit_price(price, order_factor, discount, factor):
        return None
    if prices_include_tax:
        return order_price
    return order_price * (HUNDRED + (tax_rate or ZERO)) / HUNDRED


def line_gross(
    *,
    base_quantity: Decimal,
    unit_cost: Decimal,
    order_gross: Decimal | None,
    order_base_quantity: Decimal | None,
    supplier_tax_rate: Decimal,
    received_gross_price: Decimal | None = None,
    factor: Decimal = Decimal(1),
) -> Decimal:
    """The amount incl. tax of `base_quantity` accepted of a receipt line: the order line's
    gross pro rata, or — the order's price revised since (`received_gross_price`, per the
    line's unit of `factor` base units) — at the price when received."""
    if base_quantity <= 0:
        return ZERO
    if received_gross_price is not None:
        return fen(received_gross_price * base_quantity / factor)
    if order_gross is not None and order_base_quantity:
        return fen(order_gross * base_quantity / order_base_quantity)
    return fen(unit_cost * base_quantity * (HUNDRED + supplier_tax_rate) / HUNDRED)


def receipt_line_gross(line) -> Decimal:
    """`line_gross` of a PurchaseReceiptLine (with order_line and receipt.supplier loaded)."""
    order_line = line.order_line
    received = None
    if order_line is not None:
        received = gross_price_when_received(
            order_price=line.order_price,
            price=order_line.price,
            order_factor=order_line.factor,
            discount=order_line.discount,
            factor=line.factor,
            tax_rate=order_line.tax_rate,
            prices_include_tax=order_line.order.prices_include_tax,
        )
    return line_gross(
        base_quantity=line.base_quantity,
        unit_cost=line.unit_cost,
        order_gross=order_line.gross_amount if order_line is not None else None,
        order_base_quantity=order_line.base_quantity if order_line is not None else None,
        supplier_tax_rate=line.receipt.supplier.tax_rate,
        received_gross_price=received,
        factor=line.factor,
    )


def expected_price(line, *, include_tax: bool) -> tuple[Decimal, Decimal]:
    """(price per the receipt line's unit on the basis `include_tax`, VAT rate) that an
    invoice of this receipt line should show: the order line's price after its discount,
    converted to the receipt line's unit — as it was when the goods were received, should the
    order's price have been revised since (the difference an invoice at the new price shows is
    an invoice price variance, flagged beyond the tolerance); without an order, the receipt's
    net unit cost."""
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
        if line.order_price is not None and line.order_price != price.quantize(Decimal("0.0001")):
            price = line.order_price
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
