"""Purchase returns 采购退货: goods sent back to the supplier they came from, at the cost they
came in with.

A line names a posted receipt line of the return's supplier and warehouse (`receipt_line`), or
a SKU's batch of that supplier (`batch`: allocated over the supplier's posted receipt lines of
that batch in the warehouse, oldest first, one return line per receipt line). Each line goes
out at its receipt line's landed cost (the net goods cost plus its share of the receipt's
freight, duty... charges; receipts.landed_value pro rata) — not the warehouse's current
average — as an exact `value` of its `purchase_return` move (inventory.ledger), and is worth
to the supplier (the debit note: the goods only, not the charges), net, tax and
gross, the receipt's prices pro rata (the order line's amounts, or the receipt's net price and
the supplier's VAT without an order): a return of a whole line is worth exactly what it came
in at.

Life cycle (purchasing/doctypes.py): draft → submitted → approved (the approval engine's rules
decide who; core.lifecycle.approve) → posted; a draft or submitted return is posted at once by
who may skip approval unless a rule asks for approval; posted → reversed (红冲) by a linked
reversing document whose moves undo the original exactly.

What was returned is counted on each receipt line (`returned_quantity`) by a guarded UPDATE
when the return posts (and taken back when it is reversed): two returns of one receipt line
racing cannot together return more than it took in — the second waits for the first's row
lock and gets 409 over_return naming its line."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.units import load_units, resolve_line_quantity, units_for
from storeledger.core import lifecycle
from storeledger.core.approvals import ApprovalFacts
from storeledger.core.documents import DocumentStatus, transition
from storeledger.core.errors import InsufficientStock, NotFound, StateConflict, ValidationFailed
from storeledger.core.lifecycle import (
    approved_or_skip,
    begin_reversal,
    check_lines_present,
    check_version,
    line_error,
    moment,
    name_short_lines,
    new_number,
    require_status,
    reversal_line_ids,
    save_draft,
)
from storeledger.core.quantities import ZERO, money, qty
from storeledger.core.services import service
from storeledger.inventory.ledger import MoveRequest, get_posting, post_moves, post_reversal
from storeledger.org.selectors import document_store, stock_warehouse
from storeledger.partners.models import Supplier
from storeledger.purchasing.models import (
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
    PurchaseReturn,
    PurchaseReturnLine,
)
from storeledger.purchasing.services.orders import HUNDRED, fen
from storeledger.purchasing.services.receipts import landed_unit_cost, landed_value

DOCUMENT_TYPE = "purchase_return"  # the ledger's document type of its postings
KIND = "purchase_return"
MOVE_TYPE = "purchase_return"
SKIP_APPROVAL_PERM = "purchasing.skip_approval_purchasereturn"
S = DocumentStatus


@dataclass(frozen=True)
class ReturnLineInput:
    """One line as a client gives it: a receipt line, or a batch of the return's supplier
    (with the SKU implied by the batch); `quantity` in `unit_id` (default: the receipt line's
    unit, else the SKU's base unit)."""

    quantity: Decimal
    receipt_line_id: int | None = None
    batch_id: int | None = None
    unit_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class _Ref:
    unit_id: int | None = None


# ---------------------------------------------------------------- loading


def get_return(*, user, return_id: int, lock: bool = True) -> PurchaseReturn:
    """A return in the user's scope (404 otherwise), locked for the rest of the transaction."""
    queryset = PurchaseReturn.objects.select_related("warehouse", "store", "supplier", "receipt")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    document = scope.filter_warehouses(queryset, user).filter(pk=return_id).first()
    if document is None:
        raise NotFound(_("Purchase return not found."))
    return document


def returnable(line: PurchaseReceiptLine) -> Decimal:
    """What may still go back of a receipt line, in the base unit (posted returns only)."""
    return max(line.base_quantity - line.returned_quantity, ZERO)


def _receipt_lines(*, supplier_id: int, warehouse_id: int):
    return PurchaseReceiptLine.objects.filter(
        receipt__status=PurchaseReceiptStatus.POSTED,
        receipt__supplier_id=supplier_id,
        receipt__warehouse_id=warehouse_id,
        base_quantity__gt=0,
    ).select_related("receipt", "order_line", "unit", "sku__product__base_unit", "batch")


# ---------------------------------------------------------------- amounts


def line_amounts(
    source: PurchaseReceiptLine, base_quantity: Decimal, supplier: Supplier
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(tax rate, net, tax, gross) of `base_quantity` of a receipt line at the receipt's
    prices: the order line's net and gross pro rata (so a whole order line is exact), or,
    without an order, the receipt's net cost and the supplier's VAT rate."""
    order_line = source.order_line
    if order_line is not None:
        share = base_quantity / order_line.base_quantity
        net = fen(order_line.net_amount * share)
        gross = fen(order_line.gross_amount * share)
        return order_line.tax_rate, net, gross - net, gross
    rate = supplier.tax_rate
    net = fen(source.unit_cost * base_quantity)
    tax = fen(net * rate / HUNDRED)
    return rate, net, tax, net + tax


# ---------------------------------------------------------------- lines


def _build_lines(
    document: PurchaseReturn, lines: Sequence[ReturnLineInput]
) -> list[PurchaseReturnLine]:
    """Validate every line (all or nothing) and build the rows (not saved). A line asking for
    more than its receipt line (or the supplier's batch) still has is 409 over_return."""
    check_lines_present(lines)
    candidates = list(
        _receipt_lines(
            supplier_id=document.supplier_id, warehouse_id=document.warehouse_id
        ).order_by("receipt__posted_at", "receipt_id", "line_no")
    )
    by_id = {line.id: line for line in candidates}
    units = load_units([_Ref(unit_id=ln.unit_id) for ln in lines])
    # Drafts ask; what is asked of each receipt line within this return adds up.
    asked: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows: list[PurchaseReturnLine] = []
    for index, line in enumerate(lines):
        if line.quantity <= 0:
            raise line_error(
                index, "quantity", _("The quantity must be greater than zero."), "bad_quantity"
            )
        if (line.receipt_line_id is None) == (line.batch_id is None):
            raise line_error(
                index,
                "receipt_line",
                _("Give the receipt line or the batch the goods came in with."),
                "source_required",
            )
        if line.receipt_line_id is not None:
            source = by_id.get(line.receipt_line_id)
            if source is None or (
                document.receipt_id is not None and source.receipt_id != document.receipt_id
            ):
                raise line_error(
                    index,
                    "receipt_line",
                    _(
                        "Receipt line #%(id)s is not a posted receipt line of this supplier "
                        "and warehouse."
                    )
                    % {"id": line.receipt_line_id},
                    "not_returnable",
                )
            sources = [source]
        else:
            sources = [c for c in candidates if c.batch_id == line.batch_id]
            if document.receipt_id is not None:
                sources = [c for c in sources if c.receipt_id == document.receipt_id]
            if not sources:
                raise line_error(
                    index,
                    "batch",
                    _("Batch #%(id)s did not come from this supplier into this warehouse.")
                    % {"id": line.batch_id},
                    "not_returnable",
                )
        first = sources[0]
        sku = first.sku
        unit = units.get(line.unit_id) if line.unit_id else None
        factors = units_for([sku])
        if unit is None or unit.id == first.unit_id:
            # the receipt line's unit converts at its factor (a supplier's pack)
            unit = first.unit
            factors = {**factors, sku.id: {**factors.get(sku.id, {}), unit.id: first.factor}}
        resolved = resolve_line_quantity(index, sku, unit, line.quantity, factors)
        wanted = resolved.base_quantity
        available = sum((returnable(s) - asked[s.id] for s in sources), ZERO)
        if wanted > available:
            raise over_return(index, first, wanted, available)
        for source in sources:
            if wanted <= 0:
                break
            take = min(returnable(source) - asked[source.id], wanted)
            if take <= 0:
                continue
            asked[source.id] += take
            wanted -= take
            rate, net, tax, gross = line_amounts(source, take, document.supplier)
            in_unit = take / resolved.factor
            rows.append(
                PurchaseReturnLine(
                    document=document,
                    line_no=len(rows) + 1,
                    receipt_line=source,
                    sku=sku,
                    unit=resolved.unit,
                    factor=resolved.factor,
                    quantity=qty(in_unit),
                    base_quantity=take,
                    batch_id=source.batch_id,
                    unit_cost=landed_unit_cost(source),
                    tax_rate=rate,
                    net_amount=net,
                    tax_amount=tax,
                    gross_amount=gross,
                    notes=line.notes,
                )
            )
    return rows


def over_return(
    index: int, source: PurchaseReceiptLine, wanted: Decimal, available: Decimal
) -> StateConflict:
    """409 over_return on `lines.<index>.quantity`: more than the receipt line has left."""
    message = _(
        "Line %(line)s: %(wanted)s %(unit)s of %(sku)s cannot go back: only %(available)s "
        "of what receipt %(receipt)s took in from this supplier has not been returned."
    ) % {
        "line": index + 1,
        "wanted": f"{qty(wanted).normalize():f}",
        "unit": source.sku.product.base_unit.name,
        "sku": source.sku.code,
        "available": f"{qty(max(available, ZERO)).normalize():f}",
        "receipt": source.receipt.number,
    }
    return StateConflict(
        message,
        code="over_return",
        fields={f"lines.{index}.quantity": [message]},
        details={
            "line": index + 1,
            "receipt_line": source.id,
            "received": str(source.base_quantity),
            "returned": str(source.returned_quantity),
            "returning": str(qty(wanted)),
            "available": str(qty(max(available, ZERO))),
        },
    )


def _totals(rows: Sequence[PurchaseReturnLine]) -> dict[str, Decimal]:
    return {
        "total_net": sum((row.net_amount for row in rows), ZERO),
        "total_tax": sum((row.tax_amount for row in rows), ZERO),
        "total_gross": sum((row.gross_amount for row in rows), ZERO),
    }


# ---------------------------------------------------------------- approval facts


def approval_facts(document: PurchaseReturn) -> ApprovalFacts:
    """What approval rules see of a return: its amount incl. tax, quantity, store, supplier
    and the categories of its SKUs."""
    lines = list(document.lines.values_list("base_quantity", "sku__product__category__path"))
    categories = {int(part) for _q, path in lines for part in (path or "").split("/") if part}
    return ApprovalFacts(
        store_id=document.store_id,
        kind=KIND,
        amount=document.total_gross,
        quantity=sum((abs(q) for q, _path in lines), ZERO),
        supplier_id=document.supplier_id,
        category_ids=frozenset(categories),
    )


# ---------------------------------------------------------------- services


def _header(
    user,
    *,
    receipt_id: int | None,
    supplier_id: int | None,
    warehouse_id: int | None,
) -> tuple[PurchaseReceipt | None, Supplier, int]:
    if receipt_id is not None:
        receipt = (
            scope.filter_warehouses(PurchaseReceipt.objects.all(), user)
            .select_related("supplier")
            .filter(pk=receipt_id)
            .first()
        )
        if receipt is None:
            raise NotFound(
                _("Purchase receipt not found."), fields={"receipt": [_("Unknown receipt.")]}
            )
        if receipt.status != PurchaseReceiptStatus.POSTED:
            raise StateConflict(
                _("Receipt %(number)s is not posted: nothing of it can go back.")
                % {"number": receipt.number},
                code="receipt_not_posted",
                fields={"receipt": [_("Only a posted receipt can be returned.")]},
            )
        return receipt, receipt.supplier, receipt.warehouse_id
    if supplier_id is None or warehouse_id is None:
        errors = {}
        if supplier_id is None:
            errors["supplier"] = [_("Choose the supplier.")]
        if warehouse_id is None:
            errors["warehouse"] = [_("Choose the warehouse.")]
        raise ValidationFailed(
            _("Give the receipt, or the supplier and the warehouse."), fields=errors
        )
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if supplier is None:
        raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
    return None, supplier, warehouse_id


@service
def create_purchase_return(
    *,
    user,
    lines: Sequence[ReturnLineInput],
    receipt_id: int | None = None,
    supplier_id: int | None = None,
    warehouse_id: int | None = None,
    document_date: datetime.date | None = None,
    reason: str = "",
    reference: str = "",
    notes: str = "",
    post: bool = False,
) -> PurchaseReturn:
    """A draft return against a posted receipt (its supplier and warehouse), or to a supplier
    from a warehouse; posted at once with `post` (who may skip approval, no rule applying)."""
    receipt, supplier, warehouse_id = _header(
        user, receipt_id=receipt_id, supplier_id=supplier_id, warehouse_id=warehouse_id
    )
    warehouse = stock_warehouse(warehouse_id, user)
    store = document_store(warehouse)
    document_date = document_date or timezone.localdate()
    document = PurchaseReturn(
        store=store,
        warehouse=warehouse,
        supplier=supplier,
        receipt=receipt,
        document_date=document_date,
        reason=reason,
        reference=reference,
        notes=notes,
        created_by=user,
    )
    rows = _build_lines(document, lines)
    for field, value in _totals(rows).items():
        setattr(document, field, value)
    document.number = new_number(KIND, store.code, document_date)
    document.save()
    PurchaseReturnLine.objects.bulk_create(rows)
    if post:
        _post(document, user)
    return document


@service
def update_purchase_return(
    *,
    user,
    return_id: int,
    version: int,
    lines: Sequence[ReturnLineInput] | None = None,
    document_date: datetime.date | None = None,
    reason: str | None = None,
    reference: str | None = None,
    notes: str | None = None,
) -> PurchaseReturn:
    """Change a draft (409 otherwise; 409 stale_version for an old `version`)."""
    document = get_return(user=user, return_id=return_id)
    require_status(document, [S.DRAFT])
    check_version(document, version)
    fields: dict = {}
    for name, value in (
        ("document_date", document_date),
        ("reason", reason),
        ("reference", reference),
        ("notes", notes),
    ):
        if value is not None:
            fields[name] = value
            setattr(document, name, value)
    rows = None
    if lines is not None:
        rows = _build_lines(document, lines)
        fields.update(_totals(rows))
    save_draft(document, version=version, fields=fields, line_model=PurchaseReturnLine, rows=rows)
    return document


@service
def delete_purchase_return(*, user, return_id: int) -> None:
    document = get_return(user=user, return_id=return_id)
    lifecycle.delete_draft(document)


@service
def submit_purchase_return(*, user, return_id: int) -> PurchaseReturn:
    document = get_return(user=user, return_id=return_id)
    lifecycle.require_permission(document, user, "submit")
    lifecycle.submit(document, user)
    return document


@service
def approve_purchase_return(*, user, return_id: int, comment: str = "") -> PurchaseReturn:
    document = get_return(user=user, return_id=return_id)
    lifecycle.approve(
        document, user, denied=_("You may not approve purchase returns."), comment=comment
    )
    return document


@service
def cancel_purchase_return(*, user, return_id: int) -> PurchaseReturn:
    document = get_return(user=user, return_id=return_id)
    lifecycle.require_permission(document, user, "cancel")
    lifecycle.cancel(document, user)
    return document


@service
def post_purchase_return(*, user, return_id: int) -> PurchaseReturn:
    """Post an approved return (a draft or submitted one with the skip-approval permission
    when no rule asks for approval): the goods leave at their receipt cost."""
    document = get_return(user=user, return_id=return_id)
    _post(document, user)
    return document


def _post(document: PurchaseReturn, user) -> None:
    lifecycle.require_permission(document, user, "post")
    allowed = approved_or_skip(
        document,
        user,
        perm=SKIP_APPROVAL_PERM,
        denied=_("This purchase return needs approval before it can be posted."),
    )
    transition(document, allowed_from=allowed, to=S.POSTED, user=user, at=moment(None))
    lines = list(
        document.lines.select_related(
            "receipt_line__receipt", "receipt_line__order_line", "sku__product__base_unit"
        ).order_by("line_no")
    )
    _count_returned(lines)
    moves = [
        MoveRequest(
            warehouse_id=document.warehouse_id,
            sku_id=line.sku_id,
            quantity=-line.base_quantity,
            move_type=MOVE_TYPE,
            batch_id=line.batch_id,
            value=-_cost_out(line),
            line_id=line.id,
            allow_expired=True,  # expired goods go back to the supplier too
        )
        for line in lines
    ]
    try:
        post_moves(
            key=f"{DOCUMENT_TYPE}:{document.id}:post",
            document_type=DOCUMENT_TYPE,
            document_id=document.id,
            document_number=document.number,
            event="post",
            user=user,
            moves=moves,
        )
    except InsufficientStock as error:  # sold or moved since it came in
        raise name_short_lines(error, lines) from None


def _cost_out(line: PurchaseReturnLine) -> Decimal:
    """What a return line takes out of stock: its receipt line's landed value (goods plus
    its share of the receipt's charges) pro rata, so a whole line leaves at exactly what it
    came in at."""
    source = line.receipt_line
    if line.base_quantity == source.base_quantity:
        return landed_value(source)
    return money(landed_value(source) * line.base_quantity / source.base_quantity)


def _count_returned(lines: Sequence[PurchaseReturnLine]) -> None:
    """Add each line to its receipt line's returned quantity by a guarded UPDATE (in receipt
    line order, so two returns lock the same rows in the same order): 409 over_return naming
    the first line that would take back more than its receipt line took in."""
    wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    index_of: dict[int, int] = {}
    for index, line in enumerate(lines):
        wanted[line.receipt_line_id] += line.base_quantity
        index_of.setdefault(line.receipt_line_id, index)
    for receipt_line_id, quantity in sorted(wanted.items()):
        updated = PurchaseReceiptLine.objects.filter(
            pk=receipt_line_id, returned_quantity__lte=F("base_quantity") - quantity
        ).update(returned_quantity=F("returned_quantity") + quantity)
        if updated != 1:
            index = index_of[receipt_line_id]
            source = lines[index].receipt_line
            source.refresh_from_db(fields=["returned_quantity"])
            raise over_return(index, source, quantity, returnable(source))


@service
def reverse_purchase_return(
    *, user, return_id: int, notes: str = "", at: datetime.datetime | None = None
) -> PurchaseReturn:
    """红冲: a posted return is undone by a linked reversing return (its own number, posted,
    negated lines and amounts) whose moves bring the goods back at exactly the value they
    left with; the receipt lines may be returned again. Returns the reversing document."""
    original = get_return(user=user, return_id=return_id)
    lifecycle.require_permission(original, user, "reverse")
    header = begin_reversal(original, kind=KIND, user=user, notes=notes, at=at)
    reversal = PurchaseReturn.objects.create(
        store_id=original.store_id,
        warehouse_id=original.warehouse_id,
        supplier_id=original.supplier_id,
        receipt_id=original.receipt_id,
        reason=original.reason,
        reference=original.reference,
        total_net=-original.total_net,
        total_tax=-original.total_tax,
        total_gross=-original.total_gross,
        **header,
    )
    original_lines = list(original.lines.order_by("line_no"))
    PurchaseReturnLine.objects.bulk_create(
        [
            PurchaseReturnLine(
                document=reversal,
                line_no=line.line_no,
                receipt_line_id=line.receipt_line_id,
                sku_id=line.sku_id,
                unit_id=line.unit_id,
                factor=line.factor,
                quantity=-line.quantity,
                base_quantity=-line.base_quantity,
                batch_id=line.batch_id,
                unit_cost=line.unit_cost,
                tax_rate=line.tax_rate,
                net_amount=-line.net_amount,
                tax_amount=-line.tax_amount,
                gross_amount=-line.gross_amount,
                notes=line.notes,
            )
            for line in original_lines
        ]
    )
    taken_back: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in original_lines:
        taken_back[line.receipt_line_id] += line.base_quantity
    for receipt_line_id, quantity in sorted(taken_back.items()):
        PurchaseReceiptLine.objects.filter(pk=receipt_line_id).update(
            returned_quantity=F("returned_quantity") - quantity
        )
    post_reversal(
        key=f"{DOCUMENT_TYPE}:{original.id}:reverse",
        postings=[get_posting(f"{DOCUMENT_TYPE}:{original.id}:post")],
        reversal=reversal,
        document_type=DOCUMENT_TYPE,
        user=user,
        at=at,
        line_ids=reversal_line_ids(
            original_lines, PurchaseReturnLine.objects.filter(document=reversal)
        ),
    )
    return reversal
