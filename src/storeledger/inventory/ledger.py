"""The posting service: the one place that writes StockMove and StockBalance rows.

`post_moves` locks the affected balances in id order, enforces the negative-stock policy,
allocates batch-tracked outbound lines first-expiry-first-out, computes moving-average cost,
chains move hashes per balance, bulk-inserts the moves and bulk-updates the balances, with
a constant number of queries whatever the number of lines."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.catalog.models import Sku, Tracking
from storeledger.core.errors import InsufficientStock, StateConflict, ValidationFailed
from storeledger.core.quantities import ZERO, money, qty
from storeledger.inventory.models import Batch, Posting, StockBalance, StockMove
from storeledger.org.models import Company, Warehouse

GENESIS_HASH = "0" * 64

BalanceKey = tuple[int, int, int | None]  # warehouse, sku, batch


@dataclass(frozen=True)
class MoveRequest:
    """One stock change asked of the ledger. `quantity` is signed, in the SKU's base unit.

    For an outbound move of a batch-tracked SKU without a batch, the ledger allocates
    batches first-expiry-first-out (several moves when one batch is not enough)."""

    warehouse_id: int
    sku_id: int
    quantity: Decimal
    move_type: str
    batch_id: int | None = None
    location_id: int | None = None
    unit_cost: Decimal | None = None  # inbound: cost per base unit; None = current average
    value: Decimal | None = None  # an exact signed value (reversals), instead of cost × quantity
    line_id: int | None = None
    allow_expired: bool = False
    reverses_id: int | None = None


@dataclass
class _State:
    balance: StockBalance
    on_hand: Decimal
    value: Decimal
    last_hash: str
    move_count: int
    allow_negative: bool = False
    touched: bool = False
    expiry: datetime.date | None = None
    batch_no: str = ""


def move_hash(prev_hash: str, move: StockMove) -> str:
    """H(prev_hash, move fields): editing any of these fields breaks the chain."""
    parts = [
        prev_hash,
        str(move.posting_id),
        move.posted_at.astimezone(datetime.UTC).isoformat(),
        str(move.warehouse_id),
        str(move.location_id or ""),
        str(move.sku_id),
        str(move.batch_id or ""),
        move.move_type,
        f"{qty(move.quantity):f}",
        f"{money(move.unit_cost):f}",
        f"{money(move.value):f}",
        f"{qty(move.balance_quantity):f}",
        f"{money(move.balance_value):f}",
        str(move.line_id or ""),
        str(move.reverses_id or ""),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def negative_allowed(company: Company, warehouse: Warehouse, sku: Sku) -> bool:
    """SKU setting, else warehouse setting, else the company default."""
    if sku.allow_negative_stock is not None:
        return sku.allow_negative_stock
    if warehouse.allow_negative_stock is not None:
        return warehouse.allow_negative_stock
    return company.allow_negative_stock


def post_moves(
    *,
    key: str,
    document_type: str,
    document_id: int,
    document_number: str,
    event: str,
    user,
    moves: Sequence[MoveRequest],
    posted_at: datetime.datetime | None = None,
    reverses: Posting | None = None,
) -> Posting:
    """Write one posting and its moves. Must run inside the caller's transaction (a service)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post_moves must run inside a transaction (call it from a service)")
    if not moves:
        raise ValidationFailed(_("A posting needs at least one line."), code="no_lines")
    for request in moves:
        if request.quantity == 0:
            raise ValidationFailed(
                _("A stock move cannot have a zero quantity."), code="zero_quantity"
            )
    posted_at = posted_at or timezone.now()

    company = Company.current()
    skus = Sku.objects.select_related("product").in_bulk({m.sku_id for m in moves})
    warehouses = Warehouse.objects.in_bulk({m.warehouse_id for m in moves})
    _check_references(moves, skus, warehouses)

    states = _lock_balances(moves, skus)
    try:
        with transaction.atomic():
            posting = Posting.objects.create(
                key=key,
                document_type=document_type,
                document_id=document_id,
                document_number=document_number,
                event=event,
                posted_at=posted_at,
                user=user if user is not None and user.is_authenticated else None,
                reverses=reverses,
            )
    except IntegrityError as error:
        raise StateConflict(
            _("Document %(number)s has already been posted (%(event)s).")
            % {"number": document_number, "event": event},
            code="already_posted",
        ) from error

    new_moves: list[StockMove] = []
    today = timezone.localdate(posted_at)
    for request in moves:
        sku, warehouse = skus[request.sku_id], warehouses[request.warehouse_id]
        allow_negative = negative_allowed(company, warehouse, sku)
        for state, quantity in _allocate(request, sku, warehouse, states, allow_negative, today):
            new_moves.append(
                _apply(state, request, quantity, sku, warehouse, posting, posted_at, allow_negative)
            )

    StockMove.objects.bulk_create(new_moves)
    touched = [s.balance for s in states.values() if s.touched]
    now = timezone.now()
    for state in states.values():
        if state.touched:
            b = state.balance
            b.on_hand, b.value, b.last_move_hash = state.on_hand, state.value, state.last_hash
            b.move_count, b.allow_negative, b.updated_at = (
                state.move_count,
                state.allow_negative,
                now,
            )
    StockBalance.objects.bulk_update(
        touched,
        ["on_hand", "value", "last_move_hash", "move_count", "allow_negative", "updated_at"],
    )
    posting.created_moves = new_moves  # type: ignore[attr-defined]
    return posting


def _check_references(moves, skus, warehouses) -> None:
    for request in moves:
        if request.sku_id not in skus:
            raise ValidationFailed(
                _("Unknown SKU %(id)s.") % {"id": request.sku_id}, code="unknown_sku"
            )
        if request.warehouse_id not in warehouses:
            raise ValidationFailed(
                _("Unknown warehouse %(id)s.") % {"id": request.warehouse_id},
                code="unknown_warehouse",
            )
        tracked = skus[request.sku_id].product.tracking == Tracking.BATCH
        if tracked and request.batch_id is None and request.quantity > 0:
            raise ValidationFailed(
                _("SKU %(sku)s is batch-tracked: stock coming in needs a batch number.")
                % {"sku": skus[request.sku_id].code},
                code="batch_required",
            )
        if not tracked and request.batch_id is not None:
            raise ValidationFailed(
                _("SKU %(sku)s is not batch-tracked: remove the batch.")
                % {"sku": skus[request.sku_id].code},
                code="batch_not_allowed",
            )


def _is_fefo(request: MoveRequest, skus) -> bool:
    return (
        request.batch_id is None
        and request.quantity < 0
        and skus[request.sku_id].product.tracking == Tracking.BATCH
    )


def _lock_balances(moves: Sequence[MoveRequest], skus) -> dict[BalanceKey, _State]:
    """Lock every balance the posting may touch, in id order (deadlock-free), creating the
    missing rows first. FEFO lines lock all batches of their warehouse × SKU."""
    explicit: set[BalanceKey] = set()
    fefo: set[tuple[int, int]] = set()
    for m in moves:
        if _is_fefo(m, skus):
            fefo.add((m.warehouse_id, m.sku_id))
        else:
            explicit.add((m.warehouse_id, m.sku_id, m.batch_id))

    def select() -> dict[BalanceKey, _State]:
        condition = Q()
        for wh, sku, batch in explicit:
            condition |= Q(warehouse_id=wh, sku_id=sku, batch_id=batch)
        for wh, sku in fefo:
            condition |= Q(warehouse_id=wh, sku_id=sku)
        rows = (
            StockBalance.objects.select_for_update(of=("self",))
            .select_related("batch")
            .filter(condition)
            .order_by("id")
        )
        return {
            (b.warehouse_id, b.sku_id, b.batch_id): _State(
                balance=b,
                on_hand=b.on_hand,
                value=b.value,
                last_hash=b.last_move_hash or GENESIS_HASH,
                move_count=b.move_count,
                allow_negative=b.allow_negative,
                expiry=b.batch.expiry_date if b.batch else None,
                batch_no=b.batch.batch_no if b.batch else "",
            )
            for b in rows
        }

    states = select()
    missing = explicit - states.keys()
    if missing:
        StockBalance.objects.bulk_create(
            [
                StockBalance(warehouse_id=w, sku_id=s, batch_id=b)
                for w, s, b in sorted(missing, key=str)
            ],
            ignore_conflicts=True,
        )
        states = select()
    return states


def _allocate(request, sku, warehouse, states, allow_negative, today):
    """(state, signed quantity) pairs for one request; FEFO across batches when needed."""
    if (
        request.batch_id is not None
        or sku.product.tracking != Tracking.BATCH
        or request.quantity > 0
    ):
        return [
            (states[(request.warehouse_id, request.sku_id, request.batch_id)], request.quantity)
        ]
    candidates = sorted(
        (
            s
            for (wh, sk, batch), s in states.items()
            if wh == request.warehouse_id and sk == request.sku_id and batch is not None
        ),
        key=lambda s: (s.expiry or datetime.date.max, s.batch_no, s.balance.id),
    )
    usable = [
        s for s in candidates if request.allow_expired or s.expiry is None or s.expiry >= today
    ]
    needed = -request.quantity
    allocations = []
    for state in usable:
        free = state.on_hand - state.balance.reserved
        if free <= 0:
            continue
        take = min(free, needed)
        allocations.append((state, -take))
        needed -= take
        if needed == 0:
            return allocations
    available = sum((max(s.on_hand - s.balance.reserved, ZERO) for s in usable), ZERO)
    if not allow_negative or not usable:
        raise _insufficient(
            sku,
            warehouse,
            -request.quantity,
            available,
            expired_excluded=len(usable) < len(candidates),
        )
    # Negative stock allowed: the rest goes on the batch that expires first.
    allocations.append((usable[0], -needed))
    return allocations


def _insufficient(
    sku, warehouse, requested, available, expired_excluded=False
) -> InsufficientStock:
    message = _(
        "Not enough stock of %(sku)s %(name)s in warehouse %(warehouse)s: "
        "requested %(requested)s, available %(available)s."
    ) % {
        "sku": sku.code,
        "name": sku.name,
        "warehouse": warehouse.code,
        "requested": f"{qty(requested).normalize():f}",
        "available": f"{qty(available).normalize():f}",
    }
    if expired_excluded:
        message += " " + _("Expired batches are not issued unless you allow it.")
    return InsufficientStock(
        message,
        details={
            "sku_id": sku.id,
            "sku": sku.code,
            "warehouse_id": warehouse.id,
            "warehouse": warehouse.code,
            "requested": str(qty(requested)),
            "available": str(qty(available)),
        },
    )


def _apply(
    state: _State, request, quantity, sku, warehouse, posting, posted_at, allow_negative
) -> StockMove:
    quantity = qty(quantity)
    if quantity < 0 and not allow_negative:
        available = state.on_hand - state.balance.reserved
        if available + quantity < 0:
            raise _insufficient(sku, warehouse, -quantity, max(available, ZERO))
    average = state.value / state.on_hand if state.on_hand > 0 else sku.purchase_price
    if request.value is not None:
        value = money(request.value)
    elif quantity > 0:
        value = money(quantity * (request.unit_cost if request.unit_cost is not None else average))
    else:
        value = money(quantity * average)
    new_on_hand = state.on_hand + quantity
    if new_on_hand == 0:
        value = -state.value  # leave no value residue on an empty balance
    new_value = state.value + value
    unit_cost = money(abs(value / quantity))
    move = StockMove(
        posting=posting,
        balance=state.balance,
        posted_at=posted_at,
        warehouse_id=request.warehouse_id,
        location_id=request.location_id,
        sku_id=request.sku_id,
        batch_id=state.balance.batch_id,
        move_type=request.move_type,
        quantity=quantity,
        unit_cost=unit_cost,
        value=value,
        balance_quantity=new_on_hand,
        balance_value=new_value,
        line_id=request.line_id,
        reverses_id=request.reverses_id,
        prev_hash=state.last_hash,
    )
    move.hash = move_hash(state.last_hash, move)
    state.on_hand, state.value, state.last_hash = new_on_hand, new_value, move.hash
    state.move_count += 1
    state.allow_negative = allow_negative
    state.touched = True
    return move


def reversal_requests(posting: Posting) -> list[MoveRequest]:
    """The moves that undo a posting exactly: same balances, negated quantity and value."""
    return [
        MoveRequest(
            warehouse_id=m.warehouse_id,
            sku_id=m.sku_id,
            quantity=-m.quantity,
            move_type=m.move_type,
            batch_id=m.batch_id,
            location_id=m.location_id,
            value=-m.value,
            line_id=m.line_id,
            reverses_id=m.id,
            allow_expired=True,
        )
        for m in posting.moves.order_by("id")
    ]


def get_or_create_batch(
    *, sku: Sku, batch_no: str, production_date=None, expiry_date=None
) -> Batch:
    """The batch of `sku` numbered `batch_no`; a new one takes the given dates (expiry from
    the shelf life when only the production date is known)."""
    batch_no = batch_no.strip()
    if not batch_no:
        raise ValidationFailed(_("A batch number is required."), code="batch_required")
    if expiry_date is None and production_date and sku.product.shelf_life_days:
        expiry_date = production_date + datetime.timedelta(days=sku.product.shelf_life_days)
    try:
        with transaction.atomic():
            batch, _created = Batch.objects.get_or_create(
                sku=sku,
                batch_no=batch_no,
                defaults={"production_date": production_date, "expiry_date": expiry_date},
            )
    except IntegrityError:
        batch = Batch.objects.get(sku=sku, batch_no=batch_no)
    return batch
