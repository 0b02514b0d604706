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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.models import Sku, Unit
from storeledger.catalog.units import load_skus, load_units, resolve_line_quantity, units_for
from storeledger.core import approvals, lifecycle
from storeledger.core.documents import transition
from storeledger.core.errors import (
    NotFound,
    PermissionDenied,
    StaleVersion,
    StateConflict,
    ValidationFailed,
)
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
from storeledger.purchasing.errors import (
    RevisionBelowReceived,
    RevisionNotAllowed,
    RevisionRemovesReceived,
)
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderRevision,
    PurchaseOrderRevisionStatus,
    PurchaseOrderStatus,
    PurchaseReceiptLine,
    PurchaseRequestLine,
    SupplierItem,
)

S = PurchaseOrderStatus
REV = PurchaseOrderRevisionStatus
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
    order: PurchaseOrder,
    lines: Sequence[OrderLineInput],
    user,
    *,
    approved_prices: Collection[int] = (),
) -> list[PurchaseOrderLine]:
    """Validate every line (all or nothing) and build the rows (not yet saved). The lines at
    the indexes `approved_prices` keep a price already approved (a revision): not checked
    against the catalogue again."""
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
        if index not in approved_prices:
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


def may_cancel(order: PurchaseOrder, user=None) -> bool:
    """An order awaiting approval of a revision is cancelled only if it was approved before
    (a sent or partly received order is closed, not cancelled)."""
    return order.revision_pending_status in ("", S.APPROVED)


@service
def cancel_purchase_order(*, user, order_id: int) -> PurchaseOrder:
    """Cancel an order nothing has been received against."""
    order = get_order(user=user, order_id=order_id)
    if not may_cancel(order):
        raise StateConflict(
            _(
                "Purchase order %(number)s awaits approval of revision %(revision)s; it was "
                "%(status)s before and cannot be cancelled."
            )
            % {
                "number": order.number,
                "revision": order.revision,
                "status": S(order.revision_pending_status).label,
            },
            code="revision_pending",
            details={"status_before": order.revision_pending_status},
        )
    pending = order.revision_pending_status
    lifecycle.cancel(order, user)
    if pending:  # an approved order cancelled while its revision awaited approval
        now = moment(None)
        PurchaseOrderRevision.objects.filter(order=order, status=REV.PENDING).update(
            status=REV.REJECTED, decided_at=now, decided_by=user
        )
        PurchaseOrder.objects.filter(pk=order.pk).update(revision_pending_status="")
        order.revision_pending_status = ""
    return order


# ---------------------------------------------------------------- revisions 修订

REVISABLE = (S.APPROVED, S.SENT, S.PARTIALLY_RECEIVED)
# What a revision may change on a line that stays (its SKU and received quantity stay).
REVISED_FIELDS = [
    "unit",
    "quantity",
    "factor",
    "base_quantity",
    "price",
    "tax_rate",
    "discount",
    "net_amount",
    "tax_amount",
    "gross_amount",
    "expected_date",
    "notes",
]
SNAPSHOT_DECIMALS = (
    "quantity",
    "factor",
    "base_quantity",
    "price",
    "tax_rate",
    "discount",
    "net_amount",
    "tax_amount",
    "gross_amount",
    "received_quantity",
)


@dataclass(frozen=True)
class RevisionLineInput(OrderLineInput):
    """A line of the revised order: `line_id` names the order line it changes (its SKU stays);
    None is a new line."""

    line_id: int | None = None


def _require_revisable(order: PurchaseOrder) -> None:
    if order.status in REVISABLE:
        return
    if order.revision_pending_status:
        message = _(
            "Purchase order %(number)s awaits approval of revision %(revision)s; it can be "
            "revised again once that is decided."
        ) % {"number": order.number, "revision": order.revision}
    elif order.status == S.DRAFT:
        message = _("Purchase order %(number)s is a draft: edit it instead.") % {
            "number": order.number
        }
    else:
        message = _(
            "Purchase order %(number)s is %(status)s: only an approved, sent or partially "
            "received order can be revised."
        ) % {"number": order.number, "status": order.get_status_display()}
    raise RevisionNotAllowed(
        message, details={"status": order.status, "allowed_from": [str(s) for s in REVISABLE]}
    )


def _line_snapshot(line: PurchaseOrderLine, request_lines: list[int]) -> dict:
    data = {
        "id": line.id,
        "line_no": line.line_no,
        "sku": line.sku_id,
        "sku_code": line.sku.code,
        "sku_name": line.sku.name,
        "unit": line.unit_id,
        "unit_name": line.unit.name,
        "expected_date": line.expected_date.isoformat() if line.expected_date else None,
        "notes": line.notes,
        "request_lines": request_lines,
    }
    for name in SNAPSHOT_DECIMALS:
        data[name] = str(getattr(line, name))
    return data


def _snapshot(order: PurchaseOrder, lines: Sequence[PurchaseOrderLine]) -> dict:
    """Revision `order.revision` as it stands: header, totals and lines (read-only JSON)."""
    links: dict[int, list[int]] = {}
    for order_line_id, request_line_id in PurchaseRequestLine.objects.filter(
        order_line__in=[line.id for line in lines]
    ).values_list("order_line_id", "id"):
        links.setdefault(order_line_id, []).append(request_line_id)
    return {
        "revision": order.revision,
        "status": order.status,
        "expected_date": order.expected_date.isoformat() if order.expected_date else None,
        "reference": order.reference,
        "notes": order.notes,
        "total_net": str(order.total_net),
        "total_tax": str(order.total_tax),
        "total_gross": str(order.total_gross),
        "lines": [_line_snapshot(line, links.get(line.id, [])) for line in lines],
    }


def _revised_lines(
    order: PurchaseOrder,
    current: Sequence[PurchaseOrderLine],
    lines: Sequence[RevisionLineInput],
    user,
) -> tuple[list[PurchaseOrderLine], list[PurchaseOrderLine], list[PurchaseOrderLine]]:
    """(lines changed in place, new lines, removed lines) of a revision — all checked: a line
    keeps its SKU, never orders less than was received, and a received line (or one a
    receipt is written against) stays."""
    by_id = {line.id: line for line in current}
    approved_prices = set()
    for index, line in enumerate(lines):
        old = by_id.get(line.line_id) if line.line_id is not None else None
        if old is not None and line.price == old.price and line.unit_id == old.unit_id:
            approved_prices.add(index)
    rows = _build_lines(order, lines, user, approved_prices=approved_prices)
    kept: dict[int, PurchaseOrderLine] = {}
    added: list[PurchaseOrderLine] = []
    next_no = max((line.line_no for line in current), default=0)
    for index, (line, row) in enumerate(zip(lines, rows, strict=True)):
        if line.line_id is None:
            next_no += 1
            row.line_no = next_no  # the lines that stay keep their numbers
            added.append(row)
            continue
        old = by_id.get(line.line_id)
        if old is None:
            raise line_error(
                index,
                "id",
                _("Line #%(id)s is not a line of this order.") % {"id": line.line_id},
                "not_an_order_line",
            )
        if old.id in kept:
            raise line_error(
                index,
                "id",
                _("Line #%(id)s is given twice.") % {"id": line.line_id},
                "duplicate_line",
            )
        if row.sku_id != old.sku_id:
            raise line_error(
                index,
                "sku",
                _("A line's SKU cannot change: remove the line and add a new one."),
                "revision_changes_sku",
            )
        if row.base_quantity < old.received_quantity:
            message = _(
                "Line %(no)s (%(sku)s) cannot order %(ordered)s: %(received)s have been "
                "received already (in the base unit)."
            ) % {
                "no": old.line_no,
                "sku": old.sku.code,
                "ordered": row.base_quantity.normalize(),
                "received": old.received_quantity.normalize(),
            }
            raise RevisionBelowReceived(
                message,
                fields={f"lines.{index}.quantity": [message]},
                details={
                    "line": old.id,
                    "ordered": str(row.base_quantity),
                    "received": str(old.received_quantity),
                },
            )
        for name in REVISED_FIELDS:
            setattr(old, name, getattr(row, name))
        kept[old.id] = old
    removed = [old for old in current if old.id not in kept]
    in_receipts = set(
        PurchaseReceiptLine.objects.filter(order_line__in=[line.id for line in removed])
        .values_list("order_line_id", flat=True)
        .distinct()
    )
    for gone in removed:
        if gone.received_quantity > 0 or gone.id in in_receipts:
            raise RevisionRemovesReceived(
                _(
                    "Line %(no)s (%(sku)s) cannot be removed: goods have been received on it "
                    "or a receipt is written against it."
                )
                % {"no": gone.line_no, "sku": gone.sku.code},
                fields={"lines": [_("Keep line %(no)s.") % {"no": gone.line_no}]},
                details={"line": gone.id, "received": str(gone.received_quantity)},
            )
    return list(kept.values()), added, removed


def _status_after_revision(order: PurchaseOrder, status_before: str) -> str:
    """The status a revised order returns to: the one it had — but a partly received order
    whose every line is now received in full is received."""
    if status_before != S.PARTIALLY_RECEIVED:
        return status_before
    from django.db.models import F

    open_lines = PurchaseOrderLine.objects.filter(
        order=order, received_quantity__lt=F("base_quantity")
    )
    return status_before if open_lines.exists() else S.RECEIVED


def _forget_approval_memo(order: PurchaseOrder) -> None:
    for attr in ("_approval_required", "_approval_steps"):
        if hasattr(order, attr):
            delattr(order, attr)


@service
def revise_purchase_order(
    *,
    user,
    order_id: int,
    version: int,
    reason: str,
    lines: Sequence[RevisionLineInput],
    expected_date: datetime.date | None = None,
    reference: str | None = None,
    notes: str | None = None,
) -> PurchaseOrder:
    """Revise (修订) an approved, sent or partially received order: `lines` is the whole
    revised order (a line with `line_id` changes that line, without it a new line; a line
    left out is removed). The revision before is kept as a read-only snapshot
    (PurchaseOrderRevision). When the approval rules ask for approval of the revised order
    (its new amount), it goes back through them (submitted; approved, it returns to the
    status it had, rejected, the previous revision comes back); otherwise it keeps its
    status. 409 revision_not_allowed in another status, revision_below_received,
    revision_removes_received; stale version 409."""
    order = get_order(user=user, order_id=order_id)
    lifecycle.require_permission(
        order, user, "revise", denied=_("You may not revise purchase orders.")
    )
    _require_revisable(order)
    check_version(order, version)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the order is revised."),
            code="reason_required",
            fields={"reason": [_("Give the reason for the revision.")]},
        )
    check_lines_present(lines)
    current = list(order.lines.select_related("sku", "unit").order_by("line_no"))
    snapshot = _snapshot(order, current)
    if expected_date is not None:
        order.expected_date = expected_date
    changed, added, removed = _revised_lines(order, current, lines, user)
    PurchaseOrderLine.objects.filter(pk__in=[line.id for line in removed]).delete()
    PurchaseOrderLine.objects.bulk_update(changed, REVISED_FIELDS)
    PurchaseOrderLine.objects.bulk_create(added)

    now = moment(None)
    last = order.revisions.aggregate(last=Max("number"))["last"] or 0
    number = max(last, order.revision) + 1
    fields = {
        "expected_date": order.expected_date,
        "reference": order.reference if reference is None else reference,
        "notes": order.notes if notes is None else notes,
        "revision": number,
        **_totals([*changed, *added]),
    }
    for name, value in fields.items():
        setattr(order, name, value)
    status_before = order.status
    _forget_approval_memo(order)
    needs_approval = bool(approvals.evaluate(order)[0])
    if needs_approval:
        transition(
            order,
            allowed_from=[status_before],
            to=S.SUBMITTED,
            user=user,
            at=now,
            extra={**fields, "revision_pending_status": status_before},
        )
        approvals.start(order, user, at=now)
    else:
        to = _status_after_revision(order, status_before)
        updated = PurchaseOrder.objects.filter(
            pk=order.pk, version=order.version, status=status_before
        ).update(**fields, status=to, version=order.version + 1)
        if updated != 1:
            raise StaleVersion()
        order.version += 1
        order.status = to
    PurchaseOrderRevision.objects.create(
        order=order,
        number=number,
        reason=reason[:200],
        status=REV.PENDING if needs_approval else REV.APPLIED,
        order_status=status_before,
        created_at=now,
        created_by=user,
        total_net=order.total_net,
        total_tax=order.total_tax,
        total_gross=order.total_gross,
        previous=snapshot,
    )
    return order


def _restore(order: PurchaseOrder, previous: dict) -> dict:
    """Put the lines of a snapshot back (a rejected revision): changed lines get their values
    back, added ones go, removed ones come back with their ids and request links. Nothing
    was received while the revision awaited approval. Answers the header fields."""
    wanted = previous["lines"]
    ids = [data["id"] for data in wanted]
    PurchaseOrderLine.objects.filter(order=order).exclude(pk__in=ids).delete()
    existing = PurchaseOrderLine.objects.in_bulk(ids)
    back: list[PurchaseOrderLine] = []
    again: list[PurchaseOrderLine] = []
    for data in wanted:
        row = existing.get(data["id"]) or PurchaseOrderLine(
            id=data["id"],
            order=order,
            sku_id=data["sku"],
            received_quantity=Decimal(data["received_quantity"]),
        )
        row.line_no = data["line_no"]
        row.unit_id = data["unit"]
        row.expected_date = (
            datetime.date.fromisoformat(data["expected_date"]) if data["expected_date"] else None
        )
        row.notes = data["notes"]
        for name in SNAPSHOT_DECIMALS:
            if name != "received_quantity":
                setattr(row, name, Decimal(data[name]))
        (back if row.id in existing else again).append(row)
    PurchaseOrderLine.objects.bulk_update(back, ["line_no", *REVISED_FIELDS])
    PurchaseOrderLine.objects.bulk_create(again)
    for row, data in ((row, d) for row in again for d in wanted if d["id"] == row.id):
        PurchaseRequestLine.objects.filter(
            pk__in=data["request_lines"], order_line__isnull=True
        ).update(order_line=row)
    return {
        "expected_date": (
            datetime.date.fromisoformat(previous["expected_date"])
            if previous["expected_date"]
            else None
        ),
        "reference": previous["reference"],
        "notes": previous["notes"],
        "revision": previous["revision"],
        "total_net": Decimal(previous["total_net"]),
        "total_tax": Decimal(previous["total_tax"]),
        "total_gross": Decimal(previous["total_gross"]),
    }


def revision_outcome(
    order: PurchaseOrder, user, approved: bool, at: datetime.datetime
) -> tuple[str, dict] | None:
    """The approval engine's hook (core.doctypes `approval_outcome`): a revision approved
    at its last level returns the order to the status it had; a rejected one restores the
    previous revision, in that status too. An order without a pending revision: None (the
    plain way)."""
    status_before = order.revision_pending_status
    if not status_before:
        return None
    revision = (
        PurchaseOrderRevision.objects.select_for_update()
        .filter(order=order, status=REV.PENDING)
        .order_by("-number")
        .first()
    )
    if revision is None:
        return None
    extra: dict = {"revision_pending_status": ""}
    if approved:
        extra.update(approved_at=at, approved_by=user)
    else:
        extra.update(_restore(order, revision.previous))
    PurchaseOrderRevision.objects.filter(pk=revision.pk).update(
        status=REV.APPROVED if approved else REV.REJECTED, decided_at=at, decided_by=user
    )
    return _status_after_revision(order, status_before), extra
