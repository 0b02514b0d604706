"""Purchase orders 采购订单: draft edits, the life cycle (submit, approve by another user, send,
short-close, cancel; through core.lifecycle and the registry in purchasing.doctypes) and the
amounts.

Amounts (docs/purchasing.md): each line's amount is quantity × price × (1 − discount %),
then rounded to the fen (0.01, ROUND_HALF_UP):
- tax-exclusive prices: net = round(amount), tax = round(net × rate), gross = net + tax;
- tax-inclusive prices: gross = round(amount), net = round(gross / (1 + rate)), tax = gross − net.
The order's totals are the sums of its rounded lines (never recomputed from unrounded
figures), so the lines always add up to the header, as on a Chinese VAT invoice."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.models import Sku, Unit
from storeledger.catalog.units import load_skus, load_units, resolve_line_quantity, units_for
from storeledger.core import lifecycle
from storeledger.core.documents import transition
from storeledger.core.errors import NotFound, PermissionDenied, ValidationFailed
from storeledger.core.lifecycle import (
    check_lines_present,
    check_version,
    line_error,
    moment,
    new_number,
    require_status,
    save_draft,
)
from storeledger.core.quantities import ZERO, qty
from storeledger.core.services import service
from storeledger.org.models import Company
from storeledger.org.selectors import document_store, stock_warehouse
from storeledger.partners.models import Supplier
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    SupplierItem,
)

S = PurchaseOrderStatus
FEN = Decimal("0.01")
HUNDRED = Decimal(100)
TAX_RATES = (Decimal(13), Decimal(9), Decimal(6), Decimal(0))
OVERRIDE_PRICE_PERM = "purchasing.override_price_purchaseorder"
KIND = "purchase_order"


@dataclass(frozen=True)
class OrderLineInput:
    """One line as a client gives it. Omitted unit, price and tax rate come from the supplier
    catalogue (its purchase unit and current price) and the supplier (its VAT rate)."""

    sku_id: int
    quantity: Decimal
    unit_id: int | None = None
    price: Decimal | None = None  # per `unit_id`, on the order's tax basis
    tax_rate: Decimal | None = None  # percent: 13, 9, 6 or 0
    discount: Decimal = ZERO  # percent
    expected_date: datetime.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal
    gross: Decimal


def fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def order_line_amounts(
    *, quantity: Decimal, price: Decimal, tax_rate: Decimal, discount: Decimal, tax_included: bool
) -> LineAmounts:
    """Net, tax and gross of one line, each to the fen (the rule in the module docstring)."""
    amount = quantity * price * (HUNDRED - discount) / HUNDRED
    rate = tax_rate / HUNDRED
    if tax_included:
        gross = fen(amount)
        net = fen(gross / (1 + rate))
        return LineAmounts(net=net, tax=gross - net, gross=gross)
    net = fen(amount)
    tax = fen(net * rate)
    return LineAmounts(net=net, tax=tax, gross=net + tax)


# ---------------------------------------------------------------- loading


def get_order(*, user, order_id: int, lock: bool = True) -> PurchaseOrder:
    """An order in the user's scope (404 otherwise), locked for the rest of the transaction."""
    queryset = PurchaseOrder.objects.select_related("warehouse", "store", "supplier")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    order = scope.filter_warehouses(queryset, user).filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("Purchase order not found."))
    return order


def _supplier(supplier_id: int) -> Supplier:
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if supplier is None:
        raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
    if not supplier.active:
        raise ValidationFailed(
            _("Supplier %(code)s is inactive.") % {"code": supplier.code},
            code="inactive_supplier",
            fields={"supplier": [_("Inactive supplier.")]},
        )
    return supplier


# ---------------------------------------------------------------- lines


def _catalogue_price(item: SupplierItem, factor: Decimal) -> Decimal:
    """The catalogue's price (per purchase unit of `pack_size` base units) for a unit of
    `factor` base units."""
    return item.price * factor / item.pack_size


def _check_price(
    index: int, user, *, sku: Sku, price: Decimal, factor: Decimal, item: SupplierItem | None
) -> None:
    """A negative price is a 400; a price of 0, or more than the company's margin below the
    catalogue's last price, needs the price-override permission (403 otherwise)."""
    if price < 0:
        raise line_error(index, "price", _("The price cannot be negative."), "bad_price")
    if user.has_perm(OVERRIDE_PRICE_PERM):
        return
    if price == 0:
        message = _("A price of 0 for %(sku)s needs the price-override permission.") % {
            "sku": sku.code
        }
        raise PermissionDenied(
            message, code="price_override_required", fields={f"lines.{index}.price": [message]}
        )
    if item is None:
        return
    margin = Company.current().purchase_price_margin
    last = _catalogue_price(item, factor)
    floor = last * (HUNDRED - margin) / HUNDRED
    if price < floor:
        message = _(
            "The price %(price)s of %(sku)s is more than %(margin)s%% below its last price "
            "%(last)s; that needs the price-override permission."
        ) % {"price": price, "sku": sku.code, "margin": margin, "last": fen(last)}
        raise PermissionDenied(
            message,
            code="price_override_required",
            fields={f"lines.{index}.price": [message]},
            details={"last_price": str(fen(last)), "margin": str(margin)},
        )


def _build_lines(
    order: PurchaseOrder, lines: Sequence[OrderLineInput], user
) -> list[PurchaseOrderLine]:
    """Validate every line (all or nothing) and build the rows (not yet saved)."""
    check_lines_present(lines)
    skus = load_skus(lines)
    units = load_units(lines)
    factors = units_for(list(skus.values()))
    items = {
        item.sku_id: item
        for item in SupplierItem.objects.filter(
            supplier=order.supplier, sku_id__in=list(skus)
        ).select_related("purchase_unit")
    }
    rows = []
    for index, line in enumerate(lines):
        sku = skus[line.sku_id]
        item = items.get(sku.id)
        if line.quantity <= 0:
            raise line_error(
                index, "quantity", _("The quantity must be greater than zero."), "bad_quantity"
            )
        if not (sku.active and sku.product.active):
            raise line_error(
                index,
                "sku",
                _("SKU %(sku)s is deactivated and cannot be ordered.") % {"sku": sku.code},
                "inactive_sku",
            )
        unit: Unit | None = units.get(line.unit_id) if line.unit_id else None
        if unit is None and item is not None:
            unit = item.purchase_unit
        if item is not None and unit is not None and unit.id == item.purchase_unit_id:
            # The catalogue's pack size is what this supplier's purchase unit holds.
            sku_factors = {**factors.get(sku.id, {}), unit.id: item.pack_size}
            factors_for_line = {**factors, sku.id: sku_factors}
        else:
            factors_for_line = factors
        resolved = resolve_line_quantity(index, sku, unit, line.quantity, factors_for_line)
        price = line.price
        if price is None:
            if item is None:
                raise line_error(
                    index,
                    "price",
                    _("%(sku)s is not in this supplier's catalogue: give a price.")
                    % {"sku": sku.code},
                    "price_required",
                )
            price = fen(_catalogue_price(item, resolved.factor))
        _check_price(index, user, sku=sku, price=price, factor=resolved.factor, item=item)
        tax_rate = order.supplier.tax_rate if line.tax_rate is None else line.tax_rate
        if tax_rate not in TAX_RATES:
            raise line_error(
                index, "tax_rate", _("The VAT rate must be 13, 9, 6 or 0 %."), "bad_tax_rate"
            )
        if not ZERO <= line.discount <= HUNDRED:
            raise line_error(
                index,
                "discount",
                _("The discount is a percentage from 0 to 100."),
                "bad_discount",
            )
        amounts = order_line_amounts(
            quantity=resolved.quantity,
            price=price,
            tax_rate=tax_rate,
            discount=line.discount,
            tax_included=order.prices_include_tax,
        )
        rows.append(
            PurchaseOrderLine(
                order=order,
                line_no=index + 1,
                sku=sku,
                unit=resolved.unit,
                quantity=qty(resolved.quantity),
                factor=resolved.factor,
                base_quantity=resolved.base_quantity,
                price=price,
                tax_rate=tax_rate,
                discount=line.discount,
                net_amount=amounts.net,
                tax_amount=amounts.tax,
                gross_amount=amounts.gross,
                expected_date=line.expected_date or order.expected_date,
                notes=line.notes,
            )
        )
    return rows


def _totals(rows: Sequence[PurchaseOrderLine]) -> dict[str, Decimal]:
    return {
        "total_net": sum((row.net_amount for row in rows), ZERO),
        "total_tax": sum((row.tax_amount for row in rows), ZERO),
        "total_gross": sum((row.gross_amount for row in rows), ZERO),
    }


# ---------------------------------------------------------------- draft


@service
def create_purchase_order(
    *,
    user,
    supplier_id: int,
    warehouse_id: int,
    lines: Sequence[OrderLineInput],
    document_date: datetime.date | None = None,
    expected_date: datetime.date | None = None,
    reference: str = "",
    notes: str = "",
) -> PurchaseOrder:
    """A draft order to a supplier for a warehouse in the user's scope; prices are
    tax-inclusive or not as the supplier quotes."""
    warehouse = stock_warehouse(warehouse_id, user)
    store = document_store(warehouse)
    supplier = _supplier(supplier_id)
    document_date = document_date or timezone.localdate()
    order = PurchaseOrder(
        store=store,
        warehouse=warehouse,
        supplier=supplier,
        prices_include_tax=supplier.prices_include_tax,
        document_date=document_date,
        expected_date=expected_date,
        reference=reference,
        notes=notes,
        created_by=user,
    )
    rows = _build_lines(order, lines, user)
    for field, value in _totals(rows).items():
        setattr(order, field, value)
    order.number = new_number(KIND, store.code, document_date)
    order.save()
    PurchaseOrderLine.objects.bulk_create(rows)
    return order


@service
def update_purchase_order(
    *,
    user,
    order_id: int,
    version: int,
    supplier_id: int | None = None,
    warehouse_id: int | None = None,
    document_date: datetime.date | None = None,
    expected_date: datetime.date | None = None,
    reference: str | None = None,
    notes: str | None = None,
    lines: Sequence[OrderLineInput] | None = None,
) -> PurchaseOrder:
    """Change a draft; `lines` (when given) replaces them all. Any other status is a 409 (an
    approved order is changed by a revision, not edited); a stale version is a 409."""
    order = get_order(user=user, order_id=order_id)
    require_status(order, [S.DRAFT])
    check_version(order, version)
    reprice = False
    if warehouse_id is not None and warehouse_id != order.warehouse_id:
        order.warehouse = stock_warehouse(warehouse_id, user)
        order.store = document_store(order.warehouse)
    if supplier_id is not None and supplier_id != order.supplier_id:
        order.supplier = _supplier(supplier_id)
        order.prices_include_tax = order.supplier.prices_include_tax
        reprice = True
    if document_date is not None:
        order.document_date = document_date
    if expected_date is not None:
        order.expected_date = expected_date
    if reference is not None:
        order.reference = reference
    if notes is not None:
        order.notes = notes
    if lines is None and reprice:
        lines = [_line_input(line) for line in order.lines.all()]
    rows = _build_lines(order, lines, user) if lines is not None else None
    totals = _totals(rows) if rows is not None else {}
    for field, value in totals.items():
        setattr(order, field, value)
    save_draft(
        order,
        version=version,
        fields={
            "warehouse": order.warehouse,
            "store": order.store,
            "supplier": order.supplier,
            "prices_include_tax": order.prices_include_tax,
            "document_date": order.document_date,
            "expected_date": order.expected_date,
            "reference": order.reference,
            "notes": order.notes,
            **totals,
        },
        line_model=PurchaseOrderLine,
        rows=rows,
    )
    return order


def _line_input(line: PurchaseOrderLine) -> OrderLineInput:
    return OrderLineInput(
        sku_id=line.sku_id,
        quantity=line.quantity,
        unit_id=line.unit_id,
        price=line.price,
        tax_rate=line.tax_rate,
        discount=line.discount,
        expected_date=line.expected_date,
        notes=line.notes,
    )


@service
def delete_purchase_order(*, user, order_id: int) -> None:
    """Delete a draft (its number is not reused)."""
    lifecycle.delete_draft(get_order(user=user, order_id=order_id))


# ---------------------------------------------------------------- life cycle


@service
def submit_purchase_order(*, user, order_id: int) -> PurchaseOrder:
    order = get_order(user=user, order_id=order_id)
    lifecycle.submit(order, user)
    return order


@service
def approve_purchase_order(*, user, order_id: int) -> PurchaseOrder:
    """submitted → approved, by a user with the approve permission who did not create it."""
    order = get_order(user=user, order_id=order_id)
    lifecycle.approve(order, user, denied=_("You may not approve purchase orders."))
    return order


@service
def send_purchase_order(*, user, order_id: int) -> PurchaseOrder:
    """approved → sent: the order has gone to the supplier."""
    order = get_order(user=user, order_id=order_id)
    lifecycle.require_permission(order, user, "send")
    now = moment(None)
    transition(
        order,
        allowed_from=[S.APPROVED],
        to=S.SENT,
        user=user,
        extra={"sent_at": now, "sent_by": user},
    )
    return order


@service
def close_purchase_order(*, user, order_id: int, reason: str = "") -> PurchaseOrder:
    """Short-close an open order: what is not received yet is no longer expected (it leaves
    "on order"); what was received stays."""
    order = get_order(user=user, order_id=order_id)
    lifecycle.require_permission(order, user, "close")
    now = moment(None)
    transition(
        order,
        allowed_from=[S.APPROVED, S.SENT, S.PARTIALLY_RECEIVED],
        to=S.CLOSED,
        user=user,
        extra={"closed_at": now, "closed_by": user, "close_reason": reason},
    )
    return order


@service
def cancel_purchase_order(*, user, order_id: int) -> PurchaseOrder:
    """Cancel an order nothing has been received against."""
    order = get_order(user=user, order_id=order_id)
    lifecycle.cancel(order, user)
    return order
