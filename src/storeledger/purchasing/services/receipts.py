"""Purchase receipts 采购入库: goods received against one purchase order (partially, up to the
supplier's or the company's over-receipt tolerance) or, where the role allows, without one.

Posting is one ledger posting (`post_moves`, move type `purchase_receipt`) of the accepted
quantities at the order's price converted to the base unit net of tax and discount (the order
line's rounded net amount × received / ordered, so a line received in full costs exactly its
net amount). Under the order's row lock it adds them to the order lines' received quantities
with a guarded update — two receipts racing for one order line cannot both pass the tolerance
— and moves the order to partially received or received.

Landed cost 到岸成本: a draft carries charges (freight 运费, duty 关税, insurance, other),
net of VAT, shared over its accepted lines by value (default) or by quantity (`allocate`:
each share cut to the fen, the rest on the line with the largest basis, so the shares add up
exactly). A line goes into stock at its goods value plus its share, so the stock value rises
by exactly goods + charges, and a purchase return takes the goods out at that landed cost.
A charge payable to the supplier is owed to him (finance.sources); one paid to a carrier or
a customs broker is only recorded, with its payee."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import cast

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.models import Sku, Tracking
from storeledger.catalog.units import load_skus, load_units, resolve_line_quantity, units_for
from storeledger.core import lifecycle
from storeledger.core.documents import transition
from storeledger.core.errors import (
    InsufficientStock,
    NotFound,
    PermissionDenied,
    StateConflict,
    ValidationFailed,
)
from storeledger.core.lifecycle import (
    check_lines_present,
    check_version,
    line_error,
    moment,
    name_short_lines,
    new_number,
    require_status,
    save_draft,
)
from storeledger.core.quantities import ZERO, money, qty
from storeledger.core.rawsql import insert, update
from storeledger.core.services import service
from storeledger.inventory.ledger import MoveRequest, get_or_create_batch, post_moves
from storeledger.org.models import Company
from storeledger.org.selectors import document_store, stock_warehouse
from storeledger.partners.models import Supplier
from storeledger.purchasing.models import (
    OPEN_ORDER_STATUSES,
    AllocationBasis,
    ChargeKind,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseReceipt,
    PurchaseReceiptCharge,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
    SupplierItem,
)
from storeledger.purchasing.services.orders import FEN, HUNDRED, fen

DOCUMENT_TYPE = "purchase_receipt"  # the ledger's document type of its postings
KIND = "purchase_receipt"
MOVE_TYPE = "purchase_receipt"
WITHOUT_ORDER_PERM = "purchasing.receive_without_order"
R = PurchaseReceiptStatus


@dataclass(frozen=True)
class ReceiptLineInput:
    """One received line. Against an order: `order_line_id`, or `sku_id` alone (a scan: the
    order's first line of that SKU). Quantities are in `unit_id` (default: the order line's
    unit, else the base unit). Without an order, `price` is the net price per `unit_id`
    (default: the supplier catalogue's price net of the supplier's VAT, else the SKU's
    purchase price)."""

    quantity: Decimal  # accepted
    sku_id: int | None = None
    order_line_id: int | None = None
    unit_id: int | None = None
    rejected_quantity: Decimal = ZERO
    reject_reason: str = ""
    batch_no: str = ""
    production_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    price: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class ChargeInput:
    """A landed cost charge: `amount` net of VAT (it goes into the goods' cost), `tax_amount`
    the recoverable VAT on it (recorded, not in the cost), both to the fen. Payable to the
    receipt's supplier (then owed to him on his account) or to `payee` (a carrier...)."""

    kind: str
    amount: Decimal
    tax_amount: Decimal = ZERO
    payable_to_supplier: bool = False
    payee: str = ""
    notes: str = ""


@dataclass(frozen=True)
class _Ref:
    """What catalog.units' bulk loads read of a line."""

    sku_id: int = 0
    unit_id: int | None = None


# ---------------------------------------------------------------- loading


def get_receipt(*, user, receipt_id: int) -> PurchaseReceipt:
    queryset = PurchaseReceipt.objects.select_for_update(of=("self",)).select_related(
        "warehouse", "store", "supplier", "order"
    )
    receipt = scope.filter_warehouses(queryset, user).filter(pk=receipt_id).first()
    if receipt is None:
        raise NotFound(_("Purchase receipt not found."))
    return receipt


def _lock_order(order_id: int) -> PurchaseOrder:
    """The order, locked: receipts of one order are posted one at a time."""
    return (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .get(pk=order_id)
    )


def _receivable(order: PurchaseOrder, *, field: str = "order") -> None:
    if order.status not in OPEN_ORDER_STATUSES:
        raise StateConflict(
            _("Purchase order %(number)s is %(status)s: nothing can be received against it.")
            % {"number": order.number, "status": order.get_status_display()},
            code="order_not_receivable",
            fields={field: [_("Only an approved or sent order can be received.")]},
            details={"status": order.status},
        )


def tolerance(supplier: Supplier) -> Decimal:
    """How much more than ordered may be received, in percent."""
    if supplier.over_receipt_tolerance is not None:
        return supplier.over_receipt_tolerance
    return Company.current().over_receipt_tolerance


# ---------------------------------------------------------------- lines


def _order_line_for(
    index: int, line: ReceiptLineInput, order_lines: dict[int, PurchaseOrderLine]
) -> PurchaseOrderLine:
    if line.order_line_id is not None:
        found = order_lines.get(line.order_line_id)
        if found is None:
            raise line_error(
                index,
                "order_line",
                _("Line #%(id)s is not a line of this order.") % {"id": line.order_line_id},
                "not_an_order_line",
            )
        if line.sku_id is not None and line.sku_id != found.sku_id:
            raise line_error(index, "sku", _("The SKU is not the order line's SKU."), "wrong_sku")
        return found
    candidates = [ol for ol in order_lines.values() if ol.sku_id == line.sku_id]
    if not candidates:
        raise line_error(
            index,
            "sku",
            _("This SKU is not on the order."),
            "not_on_order",
        )
    # The first line of the SKU that is still open, else its first line.
    candidates.sort(key=lambda ol: ol.line_no)
    return next((ol for ol in candidates if ol.open_quantity > 0), candidates[0])


def _net_price(supplier: Supplier, sku: Sku, factor: Decimal) -> Decimal:
    """Net price per unit of `factor` base units for a receipt without an order."""
    item = SupplierItem.objects.filter(supplier=supplier, sku=sku).first()
    if item is None:
        return sku.purchase_price * factor
    per_base = item.price / item.pack_size
    if supplier.prices_include_tax:
        per_base = per_base / (1 + supplier.tax_rate / HUNDRED)
    return per_base * factor


def _build_lines(
    receipt: PurchaseReceipt, lines: Sequence[ReceiptLineInput]
) -> list[PurchaseReceiptLine]:
    check_lines_present(lines)
    order_lines: dict[int, PurchaseOrderLine] = {}
    if receipt.order is not None:
        # with their SKUs as load_skus reads them (product, base unit): the SKUs of the lines
        order_lines = {
            ol.id: ol
            for ol in PurchaseOrderLine.objects.filter(order=receipt.order).select_related(
                "unit", "sku__product__base_unit"
            )
        }
    resolved_skus: list[tuple[PurchaseOrderLine | None, int]] = []
    for index, line in enumerate(lines):
        if receipt.order is not None:
            matched = _order_line_for(index, line, order_lines)
            resolved_skus.append((matched, matched.sku_id))
        elif line.sku_id is None:
            raise line_error(index, "sku", _("Give the SKU."), "sku_required")
        else:
            resolved_skus.append((None, line.sku_id))

    if receipt.order is not None:
        skus = {ol.sku_id: ol.sku for ol, _sku_id in resolved_skus if ol is not None}
    else:
        skus = load_skus([_Ref(sku_id=sku_id) for _order_line, sku_id in resolved_skus])
    units = load_units([_Ref(unit_id=ln.unit_id) for ln in lines])
    factors = units_for(list(skus.values()))
    rows = []
    for index, (line, (order_line, sku_id)) in enumerate(zip(lines, resolved_skus, strict=True)):
        sku = skus[sku_id]
        if line.quantity < 0 or line.rejected_quantity < 0:
            raise line_error(index, "quantity", _("Quantities cannot be negative."), "bad_quantity")
        if line.quantity == 0 and line.rejected_quantity == 0:
            raise line_error(
                index,
                "quantity",
                _("Give an accepted or a rejected quantity."),
                "bad_quantity",
            )
        if line.rejected_quantity > 0 and not line.reject_reason.strip():
            raise line_error(
                index,
                "reject_reason",
                _("Say why the goods were rejected."),
                "reject_reason_required",
            )
        unit = units.get(line.unit_id) if line.unit_id else None
        line_factors = factors
        if order_line is not None and (unit is None or unit.id == order_line.unit_id):
            # the order line's unit converts at the order line's factor (a supplier's pack);
            # resolving reads the factors of the line's SKU only
            unit = order_line.unit
            line_factors = {
                sku.id: {**factors.get(sku.id, {}), order_line.unit_id: order_line.factor}
            }
        resolved = resolve_line_quantity(index, sku, unit, line.quantity, line_factors)
        unit_id, factor, base_quantity = (
            resolved.unit.id,
            resolved.factor,
            resolved.base_quantity,
        )
        if order_line is not None:
            unit_cost = order_line.net_amount / order_line.base_quantity
        elif line.price is not None:
            if line.price < 0:
                raise line_error(index, "price", _("The price cannot be negative."), "bad_price")
            unit_cost = line.price / factor
        else:
            unit_cost = _net_price(receipt.supplier, sku, Decimal(1))
        tracked = sku.product.tracking == Tracking.BATCH
        batch_no = line.batch_no.strip()
        if tracked and line.quantity > 0 and not batch_no:
            raise line_error(
                index,
                "batch_no",
                _("SKU %(sku)s is batch-tracked: give the batch number.") % {"sku": sku.code},
                "batch_required",
            )
        if not tracked and batch_no:
            raise line_error(
                index,
                "batch_no",
                _("SKU %(sku)s is not batch-tracked: remove the batch.") % {"sku": sku.code},
                "batch_not_allowed",
            )
        if line.production_date and line.expiry_date and line.expiry_date < line.production_date:
            raise line_error(
                index,
                "expiry_date",
                _("The expiry date lies before the production date."),
                "expiry_before_production",
            )
        rows.append(
            PurchaseReceiptLine(
                receipt=receipt,
                line_no=index + 1,
                order_line=order_line,
                sku=sku,
                unit_id=unit_id,
                factor=factor,
                quantity=qty(line.quantity),
                base_quantity=base_quantity,
                rejected_quantity=qty(line.rejected_quantity),
                reject_reason=line.reject_reason.strip(),
                unit_cost=money(unit_cost),
                order_price=(
                    order_unit_price(
                        order_line.price, order_line.factor, order_line.discount, factor
                    )
                    if order_line is not None
                    else None
                ),
                batch_no=batch_no,
                production_date=line.production_date if tracked else None,
                expiry_date=line.expiry_date if tracked else None,
                notes=line.notes,
            )
        )
    return rows


def order_unit_price(
    price: Decimal, order_factor: Decimal, discount: Decimal, factor: Decimal
) -> Decimal:
    """An order line's price (per its unit of `order_factor` base units) per a receipt line's
    unit of `factor` base units, after the line's discount, on the order's tax basis."""
    return (price * factor / order_factor * (HUNDRED - discount) / HUNDRED).quantize(
        Decimal("0.0001")
    )


def price_revised_since(row: PurchaseReceiptLine) -> bool:
    """Whether the order line's price was revised (修订) after this receipt line was written:
    what was received stays at the price then (docs/purchasing.md, Revisions)."""
    ol = row.order_line
    return (
        ol is not None
        and row.order_price is not None
        and row.order_price != order_unit_price(ol.price, ol.factor, ol.discount, row.factor)
    )


def line_value(row: PurchaseReceiptLine) -> Decimal:
    """What the accepted quantity is worth, net: the order line's net amount pro rata (exact
    at a full receipt), else — without an order, or when the order's price was revised since
    the line was received — unit cost × quantity (the cost it went into stock at)."""
    if row.order_line is not None and not price_revised_since(row):
        ol = row.order_line
        return money(ol.net_amount * row.base_quantity / ol.base_quantity)
    return money(row.unit_cost * row.base_quantity)


def landed_value(row: PurchaseReceiptLine) -> Decimal:
    """What the accepted quantity costs in stock: its goods value plus its share of the
    receipt's charges."""
    return line_value(row) + row.charge_amount


def landed_unit_cost(row: PurchaseReceiptLine) -> Decimal:
    """The landed cost per base unit (the goods' net unit cost where nothing was accepted)."""
    if row.base_quantity <= 0:
        return row.unit_cost
    return money(landed_value(row) / row.base_quantity)


# ---------------------------------------------------------------- landed cost


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Share `total` (to the fen, ≥ 0) over `weights` (≥ 0, not all 0) in proportion: each
    share is cut to the fen, and what the cuts leave (less than a fen per weight) goes to the
    largest weight (the first of equal ones), so the shares add up to `total` exactly and none
    is negative."""
    basis = sum(weights, ZERO)
    if basis <= 0:
        raise ValueError("allocate needs a positive basis")
    shares = [(total * weight / basis).quantize(FEN, rounding=ROUND_DOWN) for weight in weights]
    largest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    shares[largest] += total - sum(shares, ZERO)
    return shares


def _charge_error(index: int, field: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={f"charges.{index}.{field}": [message]})


def _build_charges(
    receipt: PurchaseReceipt, charges: Sequence[ChargeInput]
) -> list[PurchaseReceiptCharge]:
    """Validate the charges (all or nothing) and build their rows (not saved)."""
    rows = []
    for index, charge in enumerate(charges):
        if charge.kind not in ChargeKind.values:
            raise _charge_error(
                index,
                "kind",
                _("Unknown charge kind %(kind)s.") % {"kind": charge.kind},
                "bad_charge_kind",
            )
        if charge.amount <= 0:
            raise _charge_error(
                index, "amount", _("A charge must be greater than zero."), "bad_charge_amount"
            )
        if charge.tax_amount < 0:
            raise _charge_error(
                index, "tax_amount", _("The tax cannot be negative."), "bad_charge_amount"
            )
        for field, value in (("amount", charge.amount), ("tax_amount", charge.tax_amount)):
            if value != fen(Decimal(value)):
                raise _charge_error(
                    index, field, _("Give the amount to the fen (0.01)."), "bad_charge_amount"
                )
        rows.append(
            PurchaseReceiptCharge(
                receipt=receipt,
                line_no=index + 1,
                kind=charge.kind,
                amount=charge.amount,
                tax_amount=Decimal(charge.tax_amount),
                payable_to_supplier=charge.payable_to_supplier,
                payee="" if charge.payable_to_supplier else charge.payee.strip(),
                notes=charge.notes,
            )
        )
    return rows


def _check_basis(basis: str) -> None:
    if basis not in AllocationBasis.values:
        message = _("Allocate the charges by value or by quantity.")
        raise ValidationFailed(
            message, code="bad_allocation_basis", fields={"allocation_basis": [message]}
        )


def allocate_charges(
    lines: Sequence[PurchaseReceiptLine], *, basis: str, total: Decimal
) -> list[PurchaseReceiptLine]:
    """Set each line's `charge_amount`: its share of `total` by `basis` over the accepted
    lines (the others get 0). 400 nothing_to_allocate when charges meet no accepted goods,
    400 allocation_basis_zero when the accepted goods have no value to share them by. Returns
    the lines whose share changed."""
    _check_basis(basis)
    accepted = [line for line in lines if line.base_quantity > 0]
    shares: dict[int, Decimal] = {}
    if total > 0:
        if not accepted:
            message = _("Nothing is accepted on this receipt: its charges have no goods to go on.")
            raise ValidationFailed(
                message, code="nothing_to_allocate", fields={"charges": [message]}
            )
        if basis == AllocationBasis.VALUE:
            weights = [line_value(line) for line in accepted]
        else:
            weights = [line.base_quantity for line in accepted]
        if sum(weights, ZERO) <= 0:
            message = _(
                "The accepted goods have no value to share the charges by: allocate them by "
                "quantity."
            )
            raise ValidationFailed(
                message, code="allocation_basis_zero", fields={"allocation_basis": [message]}
            )
        for line, share in zip(accepted, allocate(total, weights), strict=True):
            shares[id(line)] = share
    changed = []
    for line in lines:
        share = shares.get(id(line), ZERO)
        if line.charge_amount != share:
            line.charge_amount = share
            changed.append(line)
    return changed


# ---------------------------------------------------------------- services


@service
def create_purchase_receipt(
    *,
    user,
    lines: Sequence[ReceiptLineInput],
    order_id: int | None = None,
    supplier_id: int | None = None,
    warehouse_id: int | None = None,
    document_date: datetime.date | None = None,
    reference: str = "",
    notes: str = "",
    post: bool = False,
    charges: Sequence[ChargeInput] = (),
    allocation_basis: str = AllocationBasis.VALUE,
) -> PurchaseReceipt:
    """A draft receipt (posted at once with `post`): against an order (its supplier and
    warehouse), or without one with the receive-without-order permission; its landed cost
    `charges` shared over the accepted lines by `allocation_basis`."""
    order = None
    if order_id is not None:
        found = scope.filter_warehouses(PurchaseOrder.objects.all(), user).filter(pk=order_id)
        if not found.exists():
            raise NotFound(_("Purchase order not found."), fields={"order": [_("Unknown order.")]})
        order = _lock_order(order_id) if post else found.select_related("supplier").get()
        _receivable(order)
        warehouse = stock_warehouse(order.warehouse_id, user)
        supplier = order.supplier
    else:
        if not user.has_perm(WITHOUT_ORDER_PERM):
            raise PermissionDenied(
                _("You may receive goods only against a purchase order."),
                code="order_required",
                fields={"order": [_("Choose the purchase order.")]},
            )
        if supplier_id is None or warehouse_id is None:
            errors = {}
            if supplier_id is None:
                errors["supplier"] = [_("Choose the supplier.")]
            if warehouse_id is None:
                errors["warehouse"] = [_("Choose the warehouse.")]
            raise ValidationFailed(_("Supplier and warehouse are required."), fields=errors)
        warehouse = stock_warehouse(warehouse_id, user)
        supplier = Supplier.objects.filter(pk=supplier_id, active=True).first()
        if supplier is None:
            raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
    store = document_store(warehouse)
    document_date = document_date or timezone.localdate()
    receipt = PurchaseReceipt(
        store=store,
        warehouse=warehouse,
        supplier=supplier,
        order=order,
        document_date=document_date,
        reference=reference,
        notes=notes,
        created_by=user,
        allocation_basis=allocation_basis,
    )
    rows = _build_lines(receipt, lines)
    charge_rows = _build_charges(receipt, charges)
    _price(receipt, rows, charge_rows)
    receipt.number = new_number(KIND, store.code, document_date)
    receipt.save()
    for row in rows:
        row.receipt_id = receipt.id
    insert(rows)  # plain INSERT ... RETURNING: bulk_create costs more per line
    if charge_rows:
        PurchaseReceiptCharge.objects.bulk_create(charge_rows)
    if post:
        # the lines as built: their SKUs and order lines were read under the order's lock
        _post(receipt, user, order=order, lines=rows)
    return receipt


def _price(
    receipt: PurchaseReceipt,
    rows: Sequence[PurchaseReceiptLine],
    charge_rows: Sequence[PurchaseReceiptCharge],
) -> None:
    """The receipt's goods value and charges, and each line's share of the charges."""
    receipt.total_value = sum((line_value(row) for row in rows), ZERO)
    receipt.total_charges = sum((charge.amount for charge in charge_rows), ZERO)
    allocate_charges(rows, basis=receipt.allocation_basis, total=receipt.total_charges)


@service
def update_purchase_receipt(
    *,
    user,
    receipt_id: int,
    version: int,
    document_date: datetime.date | None = None,
    reference: str | None = None,
    notes: str | None = None,
    lines: Sequence[ReceiptLineInput] | None = None,
    charges: Sequence[ChargeInput] | None = None,
    allocation_basis: str | None = None,
) -> PurchaseReceipt:
    """Change a draft receipt: `lines` and `charges` (when given) replace them all, and the
    charges are shared again over the accepted lines. A posted or cancelled receipt is a 409
    (state_conflict), as is a stale `version` (stale_version)."""
    receipt = get_receipt(user=user, receipt_id=receipt_id)
    require_status(receipt, [R.DRAFT])
    check_version(receipt, version)
    if document_date is not None:
        receipt.document_date = document_date
    if reference is not None:
        receipt.reference = reference
    if notes is not None:
        receipt.notes = notes
    if allocation_basis is not None:
        _check_basis(allocation_basis)
        receipt.allocation_basis = allocation_basis
    if lines is not None:
        rows = _build_lines(receipt, lines)
    else:
        rows = list(receipt.lines.select_related("order_line").order_by("line_no"))
    if charges is not None:
        charge_rows = _build_charges(receipt, charges)
    else:
        charge_rows = list(receipt.charges.order_by("line_no"))
    _price(receipt, rows, charge_rows)
    save_draft(
        receipt,
        version=version,
        fields={
            "document_date": receipt.document_date,
            "reference": receipt.reference,
            "notes": receipt.notes,
            "allocation_basis": receipt.allocation_basis,
            "total_value": receipt.total_value,
            "total_charges": receipt.total_charges,
        },
        line_model=PurchaseReceiptLine,
        rows=rows if lines is not None else None,
    )
    if lines is None:
        PurchaseReceiptLine.objects.bulk_update(rows, ["charge_amount"])
    if charges is not None:
        receipt.charges.all().delete()
        PurchaseReceiptCharge.objects.bulk_create(charge_rows)
    return receipt


@dataclass(frozen=True)
class AllocatedLine:
    """One line of an allocation preview: its goods value, its share of the charges and
    what it would go into stock at."""

    line_no: int
    order_line_id: int | None
    sku_id: int
    base_quantity: Decimal
    value: Decimal
    charge_amount: Decimal
    landed_value: Decimal
    landed_unit_cost: Decimal


@service
def preview_charge_allocation(
    *,
    user,
    lines: Sequence[ReceiptLineInput],
    charges: Sequence[ChargeInput],
    allocation_basis: str = AllocationBasis.VALUE,
    order_id: int | None = None,
    supplier_id: int | None = None,
    warehouse_id: int | None = None,
) -> list[AllocatedLine]:
    """How `charges` would be shared over `lines` (validated as a receipt would be; the same
    errors), without saving anything: what the receipt editor shows while charges are typed."""
    receipt = PurchaseReceipt(allocation_basis=allocation_basis)
    if order_id is not None:
        order = scope.filter_warehouses(PurchaseOrder.objects.all(), user).filter(pk=order_id)
        receipt.order = order.select_related("supplier").first()
        if receipt.order is None:
            raise NotFound(_("Purchase order not found."), fields={"order": [_("Unknown order.")]})
        receipt.supplier = receipt.order.supplier
    else:
        if supplier_id is None:
            message = _("Give the order, or the supplier and the warehouse.")
            raise ValidationFailed(
                message, code="order_or_supplier_required", fields={"order": [message]}
            )
        supplier = Supplier.objects.filter(pk=supplier_id).first()
        if supplier is None:
            raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
        receipt.supplier = supplier
        if warehouse_id is not None:
            stock_warehouse(warehouse_id, user)
    rows = _build_lines(receipt, lines)
    _price(receipt, rows, _build_charges(receipt, charges))
    return [
        AllocatedLine(
            line_no=row.line_no,
            order_line_id=row.order_line_id,
            sku_id=row.sku_id,
            base_quantity=row.base_quantity,
            value=line_value(row),
            charge_amount=row.charge_amount,
            landed_value=landed_value(row),
            landed_unit_cost=landed_unit_cost(row),
        )
        for row in rows
    ]


@service
def post_purchase_receipt(*, user, receipt_id: int) -> PurchaseReceipt:
    """Post a draft receipt: stock in, the order's received quantities and status."""
    receipt = get_receipt(user=user, receipt_id=receipt_id)
    lifecycle.require_permission(receipt, user, "post")
    require_status(receipt, [R.DRAFT])
    order = _lock_order(receipt.order_id) if receipt.order_id else None
    _post(receipt, user, order=order)
    return receipt


def _post(
    receipt: PurchaseReceipt,
    user,
    *,
    order: PurchaseOrder | None,
    lines: list[PurchaseReceiptLine] | None = None,
) -> None:
    """Post the receipt. `lines`: its saved lines with their SKUs (and products) and order
    lines, read in this transaction after the order's lock (else they are read here)."""
    if order is not None:
        _receivable(order)
    transition(receipt, allowed_from=[R.DRAFT], to=R.POSTED, user=user, at=moment(None))
    if lines is None:
        lines = list(receipt.lines.select_related("sku__product", "order_line").order_by("line_no"))
    if receipt.total_charges > 0:
        # shared again over the values as they are now (an order revised since the draft)
        changed = allocate_charges(
            lines, basis=receipt.allocation_basis, total=receipt.total_charges
        )
        if changed:
            PurchaseReceiptLine.objects.bulk_update(changed, ["charge_amount"])
    if order is not None:
        _receive_on_order(order, lines, user)
    moves = []
    for line in lines:
        if line.base_quantity <= 0:
            continue
        if line.batch_no:
            line.batch = get_or_create_batch(
                sku=line.sku,
                batch_no=line.batch_no,
                production_date=line.production_date,
                expiry_date=line.expiry_date,
            )
            line.save(update_fields=["batch"])
        moves.append(
            MoveRequest(
                warehouse_id=receipt.warehouse_id,
                sku_id=line.sku_id,
                quantity=line.base_quantity,
                move_type=MOVE_TYPE,
                batch_id=line.batch_id,
                value=landed_value(line),
                line_id=line.id,
            )
        )
    if not moves:
        return  # everything rejected: nothing enters stock
    try:
        post_moves(
            key=f"{DOCUMENT_TYPE}:{receipt.id}:post",
            document_type=DOCUMENT_TYPE,
            document_id=receipt.id,
            document_number=receipt.number,
            event="post",
            user=user,
            moves=moves,
            known=(
                {line.sku_id: line.sku for line in lines},
                {receipt.warehouse_id: receipt.warehouse},
            ),
        )
    except InsufficientStock as error:  # a negative balance being refilled: not expected
        raise name_short_lines(error, lines) from None


def _receive_on_order(order: PurchaseOrder, lines: Sequence[PurchaseReceiptLine], user) -> None:
    """Add the accepted quantities to the order lines (409 over_receipt when a line would pass
    its tolerance) in one statement, and move the order on. The caller holds the order's lock,
    so the received quantities read here are the ones the update replaces."""
    allowed = tolerance(order.supplier)
    accepted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    index_of: dict[int, int] = {}
    order_lines: dict[int, PurchaseOrderLine] = {}  # as the receipt's lines read them
    for index, line in enumerate(lines):
        if line.order_line_id is None or line.base_quantity <= 0:
            continue
        accepted[line.order_line_id] += line.base_quantity
        index_of.setdefault(line.order_line_id, index)
        order_lines.setdefault(line.order_line_id, cast(PurchaseOrderLine, line.order_line))
    for order_line_id, quantity in sorted(accepted.items()):
        order_line = order_lines[order_line_id]
        limit = qty(order_line.base_quantity * (HUNDRED + allowed) / HUNDRED)
        if order_line.received_quantity + quantity > limit:
            line = lines[index_of[order_line_id]]
            raise _over_receipt(
                order_line, line.sku.code, quantity, limit, allowed, index_of[order_line_id]
            )
        order_line.received_quantity += quantity
    update(list(order_lines.values()), ["received_quantity"])  # one statement
    complete = not PurchaseOrderLine.objects.filter(
        order=order, received_quantity__lt=F("base_quantity")
    ).exists()
    to = PurchaseOrderStatus.RECEIVED if complete else PurchaseOrderStatus.PARTIALLY_RECEIVED
    if order.status != to:
        transition(order, allowed_from=list(OPEN_ORDER_STATUSES), to=to, user=user)


def _over_receipt(
    order_line: PurchaseOrderLine,
    sku_code: str,
    quantity: Decimal,
    limit: Decimal,
    allowed: Decimal,
    index: int,
) -> StateConflict:
    message = _(
        "Receiving %(qty)s of %(sku)s would exceed the order line (%(ordered)s ordered, "
        "%(received)s received, %(tolerance)s%% tolerance)."
    ) % {
        "qty": quantity,
        "sku": sku_code,
        "ordered": order_line.base_quantity,
        "received": order_line.received_quantity,
        "tolerance": allowed,
    }
    return StateConflict(
        message,
        code="over_receipt",
        fields={f"lines.{index}.quantity": [message]},
        details={
            "order_line": order_line.id,
            "ordered": str(order_line.base_quantity),
            "received": str(order_line.received_quantity),
            "receiving": str(quantity),
            "limit": str(limit),
        },
    )


@service
def cancel_purchase_receipt(*, user, receipt_id: int) -> PurchaseReceipt:
    receipt = get_receipt(user=user, receipt_id=receipt_id)
    lifecycle.cancel(receipt, user)
    return receipt


@service
def delete_purchase_receipt(*, user, receipt_id: int) -> None:
    lifecycle.delete_draft(get_receipt(user=user, receipt_id=receipt_id))
