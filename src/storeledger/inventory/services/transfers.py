"""Transfers between warehouses through the in-transit warehouse.

draft → submitted → approved → shipped → partially_received → posted (→ reversed).
Shipping moves the stock from the source into transit (same batches, same value);
receiving moves what arrived from transit into the destination; closing writes the
discrepancy (shipped − received) off from transit as a transfer loss at cost.

Shipped, received and discrepancy quantities of a line are in the SKU's base unit.

A line may name the bin it is picked from (`from_location`, a bin of the source warehouse):
the ship move out of the source records it. Each receipt may name per line the bin it is put
away to (a bin of the destination; by default the line's `to_location`, the bin it was last
received into): the move into the destination records it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.units import (
    load_skus,
    load_units,
    resolve_line_quantity,
    units_for,
)
from storeledger.core import lifecycle
from storeledger.core.documents import transition
from storeledger.core.errors import InsufficientStock, NotFound, ValidationFailed
from storeledger.core.held import hold_missing_reverse_one, hold_related
from storeledger.core.lifecycle import (
    approved_or_skip,
    begin_reversal,
    check_lines_present,
    check_version,
    delete_draft,
    line_error,
    moment,
    name_short_lines,
    new_number,
    require_status,
    reversal_line_ids,
    save_draft,
    stamp_created,
)
from storeledger.core.quantities import ZERO, money, qty
from storeledger.core.services import service
from storeledger.inventory.ledger import MoveRequest, post_moves, post_reversal
from storeledger.inventory.models import (
    Batch,
    MoveType,
    Posting,
    StockMove,
    Transfer,
    TransferLine,
    TransferStatus,
)
from storeledger.inventory.services.common import (
    check_batch,
    load_batches,
)
from storeledger.org.models import Location, Warehouse, WarehouseKind, transit_warehouse
from storeledger.org.selectors import (
    check_location,
    document_store,
    stock_warehouse,
)

DOCUMENT_TYPE = "transfer"
SKIP_APPROVAL_PERM = "inventory.skip_approval_transfer"
IN_TRANSIT = (TransferStatus.SHIPPED, TransferStatus.PARTIALLY_RECEIVED)


@dataclass(frozen=True)
class TransferLineInput:
    sku_id: int
    quantity: Decimal
    unit_id: int | None = None
    batch_id: int | None = None
    from_location_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class ReceiveLineInput:
    """What arrived of one transfer line, in the SKU's base unit, and the bin of the
    destination it is put away to (None: the line's `to_location`, if any). A line may be
    given more than once to put its quantity away to several bins."""

    line_id: int
    quantity: Decimal
    to_location_id: int | None = None


# ---------------------------------------------------------------- helpers


def _key(transfer_id: int, event: str) -> str:
    return f"{DOCUMENT_TYPE}:{transfer_id}:{event}"


# The users of a transfer's header and what its lines show: a service that answers with the
# transfer it holds (ship, receive; `hold_answer`) reads them with the rows it locks.
_HEADER_USERS = (
    "created_by",
    "submitted_by",
    "approved_by",
    "posted_by",
    "reversed_by",
    "cancelled_by",
    "shipped_by",
    "received_by",
)
_LINE_RELATED = ("sku__product__base_unit", "unit", "batch", "from_location", "to_location")


def get_transfer(*, user, transfer_id: int, related: Sequence[str] = ()) -> Transfer:
    """A transfer the user may see (source or destination in scope), locked (its row only;
    `related` are selected with it)."""
    queryset = Transfer.objects.select_for_update(of=("self",)).select_related(
        "from_warehouse", "to_warehouse", "store", *related
    )
    transfer = visible_transfers(queryset, user).filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(_("Transfer not found."))
    return transfer


def _source_transfer(user, transfer_id: int, related: Sequence[str] = ()) -> Transfer:
    """`get_transfer`, and the source warehouse must be in the user's scope (403)."""
    transfer = get_transfer(user=user, transfer_id=transfer_id, related=related)
    scope.ensure_warehouses(user, [transfer.from_warehouse_id])
    return transfer


def visible_transfers(queryset: QuerySet, user) -> QuerySet:
    """Transfers whose source or destination is in the user's scope."""
    allowed = scope.warehouse_ids(user)
    if allowed is None:
        return queryset
    return queryset.filter(Q(from_warehouse_id__in=allowed) | Q(to_warehouse_id__in=allowed))


def transfer_destinations() -> list[Warehouse]:
    """Every warehouse a transfer may go to: active, not in-transit, of any store (the
    destination is not limited to the user's scope; see `_warehouses`)."""
    return list(
        Warehouse.objects.select_related("store")
        .filter(active=True, kind=WarehouseKind.NORMAL)
        .order_by("code")
    )


def _warehouses(user, from_id: int, to_id: int) -> tuple[Warehouse, Warehouse]:
    if from_id == to_id:
        raise ValidationFailed(
            _("A transfer needs two different warehouses."),
            code="same_warehouse",
            fields={"to_warehouse": [_("Choose a warehouse other than the source.")]},
        )
    source = stock_warehouse(from_id, user, field="from_warehouse")
    destination = stock_warehouse(to_id, user, field="to_warehouse", scoped=False)
    return source, destination


def _load_locations(ids) -> dict[int | None, Location]:
    return Location.objects.in_bulk({i for i in ids if i is not None})


def _build_lines(transfer: Transfer, lines: Sequence[TransferLineInput]) -> list[TransferLine]:
    check_lines_present(lines)
    skus = load_skus(lines)
    units = load_units(lines)
    factors = units_for(list(skus.values()))
    batches = load_batches(lines)
    locations = _load_locations(line.from_location_id for line in lines)
    rows = []
    for index, line in enumerate(lines):
        sku = skus[line.sku_id]
        if line.quantity <= 0:
            raise line_error(
                index, "quantity", _("The quantity must be greater than zero."), "bad_quantity"
            )
        resolved = resolve_line_quantity(
            index, sku, units.get(line.unit_id) if line.unit_id else None, line.quantity, factors
        )
        batch = batches.get(line.batch_id) if line.batch_id else None
        check_batch(index, sku, batch, line.batch_id)
        if line.from_location_id is not None:
            check_location(
                index,
                "from_location",
                locations.get(line.from_location_id),
                transfer.from_warehouse,
            )
        rows.append(
            TransferLine(
                transfer=transfer,
                line_no=index + 1,
                sku=sku,
                unit=resolved.unit,
                quantity=qty(line.quantity),
                factor=resolved.factor,
                base_quantity=resolved.base_quantity,
                batch=batch,
                from_location_id=line.from_location_id,
                notes=line.notes,
            )
        )
    return rows


def _line_input(line: TransferLine) -> TransferLineInput:
    """A saved line as input again, without its bin (one of the former source)."""
    return TransferLineInput(
        sku_id=line.sku_id,
        quantity=line.quantity,
        unit_id=line.unit_id,
        batch_id=line.batch_id,
        notes=line.notes,
    )


# ---------------------------------------------------------------- draft life cycle


@service
def create_transfer(
    *,
    user,
    from_warehouse_id: int,
    to_warehouse_id: int,
    lines: Sequence[TransferLineInput],
    document_date: datetime.date | None = None,
    expected_date: datetime.date | None = None,
    notes: str = "",
    at: datetime.datetime | None = None,
    idempotency_key: str = "",
) -> Transfer:
    """A draft transfer, keeping the `idempotency_key` of the request that created it (unique
    per user)."""
    source, destination = _warehouses(user, from_warehouse_id, to_warehouse_id)
    store = document_store(source, field="from_warehouse")
    document_date = document_date or timezone.localdate(moment(at))
    transfer = Transfer(
        store=store,
        from_warehouse=source,
        to_warehouse=destination,
        document_date=document_date,
        expected_date=expected_date,
        notes=notes,
        created_by=user,
        idempotency_key=idempotency_key,
    )
    rows = _build_lines(transfer, lines)
    transfer.number = new_number("transfer", store.code, document_date)
    transfer.save()
    stamp_created(transfer, at)
    TransferLine.objects.bulk_create(rows)
    return transfer


_UNSET: object = object()


@service
def update_transfer(
    *,
    user,
    transfer_id: int,
    version: int,
    from_warehouse_id: int | None = None,
    to_warehouse_id: int | None = None,
    document_date: datetime.date | None = None,
    expected_date: datetime.date | None | object = _UNSET,
    notes: str | None = None,
    lines: Sequence[TransferLineInput] | None = None,
) -> Transfer:
    """Change a draft; `lines` (when given) replaces the whole set. A stale version is a 409."""
    transfer = get_transfer(user=user, transfer_id=transfer_id)
    require_status(transfer, [TransferStatus.DRAFT])
    scope.ensure_warehouses(user, [transfer.from_warehouse_id])
    check_version(transfer, version)
    source, destination = _warehouses(
        user,
        from_warehouse_id or transfer.from_warehouse_id,
        to_warehouse_id or transfer.to_warehouse_id,
    )
    if lines is None and source.id != transfer.from_warehouse_id:
        lines = [_line_input(line) for line in transfer.lines.order_by("line_no")]
    transfer.from_warehouse, transfer.to_warehouse = source, destination
    transfer.store = document_store(source, field="from_warehouse")
    if document_date is not None:
        transfer.document_date = document_date
    if expected_date is not _UNSET:
        transfer.expected_date = expected_date  # type: ignore[assignment]
    if notes is not None:
        transfer.notes = notes
    save_draft(
        transfer,
        version=version,
        fields={
            "from_warehouse": source,
            "to_warehouse": destination,
            "store": transfer.store,
            "document_date": transfer.document_date,
            "expected_date": transfer.expected_date,
            "notes": transfer.notes,
        },
        line_model=TransferLine,
        rows=_build_lines(transfer, lines) if lines is not None else None,
    )
    return transfer


@service
def delete_transfer(*, user, transfer_id: int) -> None:
    transfer = get_transfer(user=user, transfer_id=transfer_id)
    require_status(transfer, [TransferStatus.DRAFT])
    scope.ensure_warehouses(user, [transfer.from_warehouse_id])
    delete_draft(transfer)


@service
def cancel_transfer(*, user, transfer_id: int, at: datetime.datetime | None = None) -> Transfer:
    transfer = _source_transfer(user, transfer_id)
    lifecycle.cancel(transfer, user, at=at)
    return transfer


@service
def submit_transfer(*, user, transfer_id: int, at: datetime.datetime | None = None) -> Transfer:
    transfer = _source_transfer(user, transfer_id)
    lifecycle.submit(transfer, user, at=at)
    return transfer


@service
def approve_transfer(*, user, transfer_id: int, at: datetime.datetime | None = None) -> Transfer:
    transfer = _source_transfer(user, transfer_id)
    lifecycle.approve(transfer, user, denied=_("You may not approve transfers."), at=at)
    return transfer


# ---------------------------------------------------------------- ship and receive


@service
def ship_transfer(*, user, transfer_id: int, at: datetime.datetime | None = None) -> Transfer:
    """Post the stock-out from the source (FEFO for batch SKUs without a batch) and the same
    batches at the same value into transit. An approved transfer, or a draft/submitted one
    with the skip-approval permission."""
    transfer = _source_transfer(user, transfer_id, related=_HEADER_USERS)
    allowed = approved_or_skip(
        transfer,
        user,
        perm=SKIP_APPROVAL_PERM,
        denied=_("This transfer needs approval before it can be shipped."),
    )
    now = moment(at)
    transition(
        transfer,
        allowed_from=allowed,
        to=TransferStatus.SHIPPED,
        user=user,
        extra={"shipped_at": now, "shipped_by": user},
        at=now,
    )
    lines = list(transfer.lines.select_related(*_LINE_RELATED).order_by("line_no"))
    common = {
        "document_type": DOCUMENT_TYPE,
        "document_id": transfer.id,
        "document_number": transfer.number,
        "user": user,
        "posted_at": at,  # None: the ledger stamps the time it posts at
    }
    transit = transit_warehouse()
    # One posting, so the source and transit balances are locked together in id order: out of
    # the source, and each line's mirror (the same batches and values) into transit.
    try:
        posting = post_moves(
            key=_key(transfer.id, "ship"),
            event="ship",
            moves=[
                *(
                    MoveRequest(
                        warehouse_id=transfer.from_warehouse_id,
                        sku_id=line.sku_id,
                        quantity=-line.base_quantity,
                        move_type=MoveType.TRANSFER_OUT,
                        batch_id=line.batch_id,
                        location_id=line.from_location_id,
                        line_id=line.id,
                    )
                    for line in lines
                ),
                *(
                    MoveRequest(
                        warehouse_id=transit.id,
                        sku_id=line.sku_id,
                        quantity=line.base_quantity,
                        move_type=MoveType.TRANSFER_IN,
                        line_id=line.id,
                        mirror_of=index,
                    )
                    for index, line in enumerate(lines)
                ),
            ],
            known=_references(transfer.from_warehouse, transit, lines),
            **common,
        )
    except InsufficientStock as error:
        raise name_short_lines(error, lines) from None
    for line in lines:
        line.shipped_quantity = line.base_quantity
    TransferLine.objects.bulk_update(lines, ["shipped_quantity"])
    shipped = _transit_totals(posting.created_moves, transit.id, {})
    _hold_answer(transfer, lines, in_transit=shipped, shipped=shipped)
    return transfer


def _references(warehouse: Warehouse, transit: Warehouse, lines: list[TransferLine]):
    """The SKUs (with product) and warehouses of a transfer's posting, as the service read
    them (`post_moves(known=...)`: the ledger does not read them again)."""
    return (
        {line.sku_id: line.sku for line in lines},
        {warehouse.id: warehouse, transit.id: transit},
    )


def _transit_totals(moves, transit_id: int, start: dict) -> dict[tuple[int, int | None], list]:
    """`start` ({(line id, batch id): [quantity, value]} in transit, every pair the transfer's
    transit moves have had, zeros too) plus the transit-side `moves` of a new posting: what
    `_transit_by_line_batch` reads back after it, without reading."""
    totals = {key: list(pair) for key, pair in start.items()}
    for move in moves:
        if move.warehouse_id == transit_id and move.line_id is not None:
            pair = totals.setdefault((move.line_id, move.batch_id), [ZERO, ZERO])
            pair[0] += move.quantity
            pair[1] += move.value
    return totals


def _hold_answer(transfer: Transfer, lines: list[TransferLine], *, in_transit, shipped) -> None:
    """Let the API answer with the transfer as the service holds it (core.held): its lines
    (with what they show selected), no reversing transfer (it is not posted), and what
    `in_transit_lines` reads from the ledger — `in_transit` every (line, batch) pair's
    [quantity, value] in transit, `shipped` the ship posting's pairs (None: not known, read)."""
    hold_related(transfer, "lines", sorted(lines, key=lambda line: line.line_no))
    hold_missing_reverse_one(transfer, "reversed_by_document")
    transfer.held_transit = (  # type: ignore[attr-defined]
        {key: pair for key, pair in in_transit.items() if pair[0] != 0},
        None
        if shipped is None
        else {key: pair[0] for key, pair in shipped.items() if pair[0] > 0 and key[1] is not None},
    )


def _transit_by_line_batch(
    transfer: Transfer, *, zeros: bool = False
) -> dict[tuple[int, int | None], list[Decimal]]:
    """{(line id, batch id): [quantity, value]} still in transit, from the transit-side moves
    of this transfer's postings (`zeros`: also the pairs no longer in transit)."""
    rows = (
        StockMove.objects.filter(
            posting__document_type=DOCUMENT_TYPE,
            posting__document_id=transfer.id,
            warehouse__kind=WarehouseKind.TRANSIT,
            line_id__isnull=False,
        )
        .values("line_id", "batch_id")
        .annotate(quantity=Sum("quantity"), value=Sum("value"))
    )
    return {
        (r["line_id"], r["batch_id"]): [r["quantity"], r["value"]]
        for r in rows
        if (zeros or r["quantity"] != 0) and r["line_id"] is not None
    }


def _batch_order(batch_ids) -> dict[int | None, tuple]:
    batches = Batch.objects.in_bulk([b for b in batch_ids if b is not None])
    return {
        b: (
            (batches[b].expiry_date or datetime.date.max, batches[b].batch_no)
            if b is not None
            else (datetime.date.min, "")
        )
        for b in batch_ids
    }


@service
def receive_transfer(
    *,
    user,
    transfer_id: int,
    lines: Sequence[ReceiveLineInput] = (),
    close: bool = False,
    at: datetime.datetime | None = None,
) -> Transfer:
    """Move what arrived from transit into the destination (the batches shipped on each
    line, first-expiry first). Partial receipts may repeat; `close` (or everything arrived)
    records the discrepancy of each line and writes it off from transit at cost."""
    transfer = get_transfer(user=user, transfer_id=transfer_id, related=_HEADER_USERS)
    scope.ensure_warehouses(user, [transfer.to_warehouse_id])
    require_status(transfer, IN_TRANSIT)
    by_id = {line.id: line for line in transfer.lines.select_related(*_LINE_RELATED)}
    wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    # (line id, bin) → quantity put away there; the bin defaults to the line's to_location.
    put_away: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
    locations = _load_locations(item.to_location_id for item in lines)
    for index, item in enumerate(lines):
        if item.line_id not in by_id:
            raise line_error(
                index,
                "line",
                _("Line #%(id)s is not a line of this transfer.") % {"id": item.line_id},
                "unknown_line",
            )
        if item.quantity < 0:
            raise line_error(
                index, "quantity", _("The quantity cannot be negative."), "bad_quantity"
            )
        line = by_id[item.line_id]
        step = Decimal(1).scaleb(-line.sku.product.base_unit.precision)
        if item.quantity != item.quantity.quantize(step):
            raise line_error(
                index,
                "quantity",
                _("Too many decimal places for this unit."),
                "bad_precision",
            )
        location_id = item.to_location_id or line.to_location_id
        if item.to_location_id is not None:
            check_location(
                index,
                "to_location",
                locations.get(item.to_location_id),
                transfer.to_warehouse,
            )
        wanted[item.line_id] += qty(item.quantity)
        if item.quantity > 0:
            put_away[(item.line_id, location_id)] += qty(item.quantity)
    if not close and not any(q > 0 for q in wanted.values()):
        raise ValidationFailed(
            _("Give the received quantity of at least one line, or close the transfer."),
            code="no_lines",
            fields={"lines": [_("Nothing received.")]},
        )
    for index, item in enumerate(lines):
        line = by_id[item.line_id]
        remaining = in_transit_quantity(line)
        if wanted[line.id] > remaining:
            raise ValidationFailed(
                _("Line %(no)s (%(sku)s): %(qty)s received but only %(left)s is in transit.")
                % {
                    "no": line.line_no,
                    "sku": line.sku.code,
                    "qty": f"{wanted[line.id].normalize():f}",
                    "left": f"{remaining.normalize():f}",
                },
                code="more_than_in_transit",
                fields={f"lines.{index}.quantity": [_("More than is in transit.")]},
                details={
                    "line": line.id,
                    "requested": str(wanted[line.id]),
                    "in_transit": str(remaining),
                },
            )

    transit = transit_warehouse()
    ever_in_transit = _transit_by_line_batch(transfer, zeros=True)
    in_transit = {key: list(pair) for key, pair in ever_in_transit.items() if pair[0] != 0}
    order = _batch_order({batch for (_line, batch) in in_transit})
    now = moment(at)
    common = {
        "document_type": DOCUMENT_TYPE,
        "document_id": transfer.id,
        "document_number": transfer.number,
        "user": user,
        "posted_at": at,  # None: the ledger stamps the time it posts at
    }
    moves: list[MoveRequest] = []
    # by line; a line's bins in the order given, so the line keeps the last bin named
    for (line_id, location_id), quantity in sorted(put_away.items(), key=lambda item: item[0][0]):
        needed = quantity
        parts = sorted(
            ((batch, qv) for (lid, batch), qv in in_transit.items() if lid == line_id and qv[0]),
            key=lambda part: order[part[0]],
        )
        for batch_id, (on_hand, value) in parts:
            if needed <= 0:
                break
            take = min(on_hand, needed)
            part_value = value if take == on_hand else money(value * take / on_hand)
            moves += _pass_through(
                transit.id,
                transfer.to_warehouse_id,
                by_id[line_id].sku_id,
                _Part(line_id, batch_id, location_id, take, part_value),
            )
            in_transit[(line_id, batch_id)] = [on_hand - take, value - part_value]
            needed -= take
        by_id[line_id].received_quantity += quantity
        if location_id != by_id[line_id].to_location_id:
            by_id[line_id].to_location = locations.get(location_id)
    everything_arrived = all(in_transit_quantity(line) == 0 for line in by_id.values())
    losses: list[MoveRequest] = []
    if close or everything_arrived:
        for (line_id, batch_id), (on_hand, value) in sorted(
            in_transit.items(), key=lambda item: (item[0][0], order[item[0][1]])
        ):
            if on_hand == 0:
                continue
            losses.append(
                MoveRequest(
                    warehouse_id=transit.id,
                    sku_id=by_id[line_id].sku_id,
                    quantity=-on_hand,
                    move_type=MoveType.TRANSFER_LOSS,
                    batch_id=batch_id,
                    value=-value,
                    line_id=line_id,
                    allow_expired=True,
                )
            )
        for line in by_id.values():
            line.discrepancy_quantity = in_transit_quantity(line)
    # One posting for the receipt and the write-off of what did not arrive, so their balances
    # are locked together in id order.
    known = _references(transfer.to_warehouse, transit, list(by_id.values()))
    posted_moves: list = []
    if moves:
        receipts = Posting.objects.filter(
            document_type=DOCUMENT_TYPE, document_id=transfer.id, event="receive"
        ).count()
        posted_moves = post_moves(
            key=_key(transfer.id, f"receive:{receipts + 1}"),
            event="receive",
            moves=[*moves, *losses],
            known=known,
            **common,
        ).created_moves
    elif losses:
        posted_moves = post_moves(
            key=_key(transfer.id, "close"), event="close", moves=losses, known=known, **common
        ).created_moves
    if close or everything_arrived:
        transition(
            transfer,
            allowed_from=IN_TRANSIT,
            to=TransferStatus.POSTED,
            user=user,
            extra={"received_at": now, "received_by": user},
            at=now,
        )
    elif transfer.status != TransferStatus.PARTIALLY_RECEIVED:
        transition(
            transfer,
            allowed_from=[TransferStatus.SHIPPED],
            to=TransferStatus.PARTIALLY_RECEIVED,
            user=user,
            at=now,
        )
    TransferLine.objects.bulk_update(
        list(by_id.values()), ["received_quantity", "discrepancy_quantity", "to_location"]
    )
    # The batches shipped are the ship posting's; an untracked SKU's have none to show.
    tracked = any(batch is not None for (_line, batch) in ever_in_transit)
    _hold_answer(
        transfer,
        list(by_id.values()),
        in_transit=_transit_totals(posted_moves, transit.id, ever_in_transit),
        shipped=None if tracked else {},
    )
    return transfer


@dataclass(frozen=True)
class _Part:
    """A quantity of one batch of a line received into one bin, at its value in transit."""

    line_id: int
    batch_id: int | None
    location_id: int | None
    quantity: Decimal
    value: Decimal


def _pass_through(transit_id: int, to_id: int, sku_id: int, part: _Part) -> list[MoveRequest]:
    return [
        MoveRequest(
            warehouse_id=transit_id,
            sku_id=sku_id,
            quantity=-part.quantity,
            move_type=MoveType.TRANSFER_OUT,
            batch_id=part.batch_id,
            value=-part.value,
            line_id=part.line_id,
            allow_expired=True,
        ),
        MoveRequest(
            warehouse_id=to_id,
            sku_id=sku_id,
            quantity=part.quantity,
            move_type=MoveType.TRANSFER_IN,
            batch_id=part.batch_id,
            location_id=part.location_id,
            value=part.value,
            line_id=part.line_id,
        ),
    ]


# ---------------------------------------------------------------- reversal


@service
def reverse_transfer(
    *, user, transfer_id: int, notes: str = "", at: datetime.datetime | None = None
) -> Transfer:
    """Reverse every posting of a posted transfer (close, receipts, then shipping) in one
    linked reversing transfer. When the received stock has left the destination the ledger
    refuses with 409 insufficient_stock and nothing changes. Returns the reversing transfer."""
    original = get_transfer(user=user, transfer_id=transfer_id)
    scope.ensure_warehouses(user, [original.from_warehouse_id, original.to_warehouse_id])
    header = begin_reversal(original, kind="transfer", user=user, notes=notes, at=at)
    reversal = Transfer.objects.create(
        store_id=original.store_id,
        from_warehouse_id=original.from_warehouse_id,
        to_warehouse_id=original.to_warehouse_id,
        **header,
    )
    stamp_created(reversal, at)
    original_lines = list(original.lines.order_by("line_no"))
    TransferLine.objects.bulk_create(
        [
            TransferLine(
                transfer=reversal,
                line_no=line.line_no,
                sku_id=line.sku_id,
                unit_id=line.unit_id,
                quantity=-line.quantity,
                factor=line.factor,
                base_quantity=-line.base_quantity,
                batch_id=line.batch_id,
                from_location_id=line.from_location_id,
                to_location_id=line.to_location_id,
                shipped_quantity=-line.shipped_quantity,
                received_quantity=-line.received_quantity,
                discrepancy_quantity=-line.discrepancy_quantity,
                notes=line.notes,
            )
            for line in original_lines
        ]
    )
    line_ids = reversal_line_ids(original_lines, TransferLine.objects.filter(transfer=reversal))
    postings = Posting.objects.filter(
        document_type=DOCUMENT_TYPE, document_id=original.id, reverses__isnull=True
    ).order_by("-id")
    post_reversal(
        key=_key(original.id, "reverse"),
        postings=list(postings),  # close, receipts, then the shipment
        reversal=reversal,
        document_type=DOCUMENT_TYPE,
        user=user,
        at=at,
        line_ids=line_ids,
    )
    return reversal


# ---------------------------------------------------------------- in-transit queries


def in_transit_quantity(line: TransferLine) -> Decimal:
    """What of a line is still in transit (base unit)."""
    return line.shipped_quantity - line.received_quantity - line.discrepancy_quantity


def _shipped_by_line_batch(transfer: Transfer) -> dict[tuple[int, int | None], Decimal]:
    """{(line id, batch id): quantity} shipped: the transit-side moves of the ship posting
    (the batches the source actually gave, first-expiry-first-out when the line named none)."""
    rows = (
        StockMove.objects.filter(
            posting__document_type=DOCUMENT_TYPE,
            posting__document_id=transfer.id,
            posting__event="ship",
            warehouse__kind=WarehouseKind.TRANSIT,
            line_id__isnull=False,
        )
        .values("line_id", "batch_id")
        .annotate(quantity=Sum("quantity"))
    )
    return {
        (r["line_id"], r["batch_id"]): r["quantity"]
        for r in rows
        if r["quantity"] > 0 and r["line_id"] is not None and r["batch_id"] is not None
    }


def in_transit_lines(transfer: Transfer) -> list[dict]:
    """Per line of a transfer: shipped, received, discrepancy and still in transit, with
    the in-transit quantity and value per batch (from the transit-side ledger moves) and the
    batches shipped (batch number and expiry date)."""
    held_in_transit, held_shipped = getattr(transfer, "held_transit", (None, None))
    if held_shipped is not None:
        shipped = held_shipped
    else:
        shipped = _shipped_by_line_batch(transfer) if transfer.shipped_at else {}
    if transfer.status not in IN_TRANSIT:
        by_batch = {}
    elif held_in_transit is not None:
        by_batch = held_in_transit
    else:
        by_batch = _transit_by_line_batch(transfer)
    batch_info: dict[int, tuple[str, datetime.date | None]] = {
        b.id: (b.batch_no, b.expiry_date)
        for b in Batch.objects.filter(id__in={b for (_line, b) in [*by_batch, *shipped] if b}).only(
            "id", "batch_no", "expiry_date"
        )
    }

    def batch_no(batch_id: int | None) -> str:
        return batch_info[batch_id][0] if batch_id in batch_info else ""

    def expiry(batch_id: int | None) -> datetime.date | None:
        return batch_info[batch_id][1] if batch_id in batch_info else None

    def by_line(items: dict, line_id: int) -> list:
        return sorted(
            ((batch_id, value) for (lid, batch_id), value in items.items() if lid == line_id),
            key=lambda item: (expiry(item[0]) or datetime.date.max, batch_no(item[0])),
        )

    held_lines = getattr(transfer, "_prefetched_objects_cache", {}).get("lines")
    lines = (
        held_lines
        if held_in_transit is not None and held_lines is not None
        else transfer.lines.select_related("sku").order_by("line_no")
    )
    out = []
    for line in lines:
        out.append(
            {
                "line": line.id,
                "line_no": line.line_no,
                "sku": line.sku_id,
                "sku_code": line.sku.code,
                "shipped_quantity": line.shipped_quantity,
                "received_quantity": line.received_quantity,
                "discrepancy_quantity": line.discrepancy_quantity,
                "in_transit_quantity": in_transit_quantity(line),
                "batches": [
                    {
                        "batch": batch_id,
                        "batch_no": batch_no(batch_id),
                        "expiry_date": expiry(batch_id),
                        "quantity": quantity,
                        "value": value,
                    }
                    for batch_id, (quantity, value) in by_line(by_batch, line.id)
                ],
                "shipped_batches": [
                    {
                        "batch": batch_id,
                        "batch_no": batch_no(batch_id),
                        "expiry_date": expiry(batch_id),
                        "quantity": quantity,
                    }
                    for batch_id, quantity in by_line(shipped, line.id)
                ],
            }
        )
    return out


def transfers_in_transit(user) -> QuerySet:
    """Shipped transfers with stock still in transit, within the user's scope."""
    return visible_transfers(Transfer.objects.filter(status__in=IN_TRANSIT), user)


__all__ = [
    "ReceiveLineInput",
    "TransferLineInput",
    "approve_transfer",
    "cancel_transfer",
    "create_transfer",
    "delete_transfer",
    "get_transfer",
    "in_transit_lines",
    "in_transit_quantity",
    "receive_transfer",
    "reverse_transfer",
    "ship_transfer",
    "submit_transfer",
    "transfers_in_transit",
    "update_transfer",
    "visible_transfers",
]
