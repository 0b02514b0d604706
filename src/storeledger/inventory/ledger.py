"""The posting service: the one place that writes StockMove and StockBalance rows.

`post_moves` locks the affected balances in id order, enforces the negative-stock policy,
allocates batch-tracked outbound lines first-expiry-first-out, computes moving-average cost,
chains move hashes per balance, bulk-inserts the moves and bulk-updates the balances, with
a constant number of queries whatever the number of lines.

`reserve` and `release` write reservations (stock promised to a document line) through the
same lock path, and a posting consumes them (`MoveRequest.reservation`): a balance's
`reserved` is always the sum of its open reservations, and available = on hand − reserved."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Field, Q
from django.db.models.base import ModelState
from django.db.models.signals import post_init
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from storeledger.catalog.models import Product, Sku, Tracking
from storeledger.core.errors import InsufficientStock, StateConflict, ValidationFailed
from storeledger.core.lifecycle import check_posting_time
from storeledger.core.quantities import ZERO, money, qty
from storeledger.core.rawsql import _columns
from storeledger.core.rawsql import _insert_parts as _rawsql_insert_parts
from storeledger.core.rawsql import insert as _insert
from storeledger.core.rawsql import row_params as _row_params
from storeledger.core.rawsql import update as _update
from storeledger.inventory import blind
from storeledger.inventory.models import Batch, Posting, Reservation, StockBalance, StockMove
from storeledger.inventory.signals import moves_posted, reservations_shortened
from storeledger.org.models import Company, Warehouse

GENESIS_HASH = "0" * 64

_new_object = object.__new__
_sha256 = hashlib.sha256

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
    # An exact signed value instead of cost × quantity: a reversal, or an outflow at a given
    # cost (a purchase return at its receipt cost; shared over a FEFO split by quantity).
    value: Decimal | None = None
    line_id: int | None = None
    allow_expired: bool = False
    reverses_id: int | None = None
    # Inbound only: take the value of the earlier request at this index of the same posting
    # (negated, scaled to this quantity), so a transfer's stock arrives at the cost it left at.
    value_from: int | None = None
    # Inbound only: the exact mirror of the earlier outbound request at this index of the same
    # posting — the same batches (its FEFO split), quantities and values, into this warehouse.
    # A transfer's ship is one posting: out of the source, the mirror into transit.
    mirror_of: int | None = None
    # Outbound only: the reserved line this request delivers, as (document type key, line id).
    # Its open reservation on this warehouse × SKU is consumed up to the quantity moved (its
    # reserved batches first), and the stock it held is available to this move.
    reservation: tuple[str, int] | None = None


@dataclass(frozen=True)
class ReserveRequest:
    """Stock to promise to one document line: a positive quantity in the SKU's base unit.

    A batch-tracked SKU without a batch is reserved first-expiry-first-out across the
    warehouse's batches that have not expired (one reservation row per batch)."""

    line_id: int
    warehouse_id: int
    sku_id: int
    quantity: Decimal
    batch_id: int | None = None
    allow_expired: bool = False


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
    batch_sku_id: int | None = None  # the SKU of the balance's batch (None: no such batch)
    last_posted_at: datetime.datetime | None = None  # of its last move, before this posting
    reserved: Decimal = ZERO  # open reservations, as changed by this operation

    @property
    def free(self) -> Decimal:
        return self.on_hand - self.reserved


def move_hash(prev_hash: str, move: StockMove | Any) -> str:
    """H(prev_hash, move fields): editing any of these fields breaks the chain."""
    return _chain_hash(
        prev_hash,
        _hash_head(move.posting_id, move.posted_at),
        move.warehouse_id,
        move.location_id,
        move.sku_id,
        move.batch_id,
        move.move_type,
        move.quantity,
        move.unit_cost,
        move.value,
        move.balance_quantity,
        move.balance_value,
        move.line_id,
        move.reverses_id,
    )


def _hash_head(posting_id: int, posted_at: datetime.datetime) -> str:
    """The part of a move's hashed text its posting gives (the same for all its moves)."""
    return f"{posting_id}|{posted_at.astimezone(datetime.UTC).isoformat()}"


def _chain_hash(
    prev_hash, head, warehouse, location, sku, batch, move_type, quantity, cost, value,
    balance_quantity, balance_value, line, reverses,
) -> str:  # fmt: skip
    """SHA-256 of prev_hash | posting | posted_at (UTC) | warehouse | location | sku | batch |
    move type | quantity | unit cost | value | quantity after | value after | line | reversed
    move (docs/ledger.md; the text is pinned by test_ledger_post)."""
    text = "|".join(
        (
            prev_hash,
            head,
            str(warehouse),
            str(location or ""),
            str(sku),
            str(batch or ""),
            move_type,
            f"{qty(quantity):f}",
            f"{money(cost):f}",
            f"{money(value):f}",
            f"{qty(balance_quantity):f}",
            f"{money(balance_value):f}",
            str(line or ""),
            str(reverses or ""),
        )
    )
    return _sha256(text.encode()).hexdigest()


def _with_quantity(request: MoveRequest, quantity: Decimal) -> MoveRequest:
    """`replace(request, quantity=quantity)` without its per-field walk (no __post_init__)."""
    copy = _new_object(MoveRequest)
    copy.__dict__.update(request.__dict__)
    copy.__dict__["quantity"] = quantity
    return copy


class _LazyCompany:
    """The company row, read only when a SKU and its warehouse both follow the default."""

    _company: Company | None = None

    @property
    def allow_negative_stock(self) -> bool:
        if self._company is None:
            self._company = Company.current()
        return self._company.allow_negative_stock


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
    known: References | None = None,
) -> Posting:
    """Write one posting and its moves. Must run inside the caller's transaction (a service).
    `known`: SKUs (with their product) and warehouses the caller has read in this
    transaction, by id; the posting does not read them again.

    `posted_at` back-dates the posting (history, imports); None is now — stamped once the
    balances are locked, and never before the last move of a locked balance (a clock a little
    behind another server's), so within a balance time order is chain (id) order. A balance's
    moves follow each other in time: each carries the running balance and the moving-average
    cost after it and chains the hash of the one before, so a posting cannot be dated before
    the latest move of a balance it changes (409 backdated_posting)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post_moves must run inside a transaction (call it from a service)")
    if not moves:
        raise ValidationFailed(_("A posting needs at least one line."), code="no_lines")
    # Quantities are kept at the ledger's precision from the start, so FEFO splits, the
    # negative-stock check and the cost division all see the value that is stored.
    moves = [_with_quantity(m, qty(m.quantity)) for m in moves]
    for index, request in enumerate(moves):
        if request.quantity == 0:
            raise ValidationFailed(
                _("A stock move cannot have a zero quantity."), code="zero_quantity"
            )
        source = request.value_from
        if source is not None and not (
            0 <= source < index and request.quantity > 0 and moves[source].quantity < 0
        ):
            raise ValueError("value_from must name an earlier outbound request")
        mirror = request.mirror_of
        if mirror is not None and not (
            0 <= mirror < index
            and moves[mirror].mirror_of is None
            and moves[mirror].sku_id == request.sku_id
            and request.quantity == -moves[mirror].quantity > 0
            and request.batch_id is None
            and request.value is None
            and request.value_from is None
        ):
            raise ValueError("mirror_of must name an earlier outbound request of the same SKU")
        if request.reservation is not None and (request.quantity > 0 or mirror is not None):
            raise ValueError("only an outbound request consumes a reservation")
    backdated = posted_at is not None
    if posted_at is not None:
        check_posting_time(posted_at)

    skus, warehouses = _read_references(moves, known)
    _check_references(moves, skus, warehouses)

    posting_ids: list[int] = []
    states = _lock_balances(moves, skus, posting_ids)
    _check_batches(moves, states, skus)
    reservations = _open_reservations(moves, states)
    if posted_at is None:
        posted_at = _now_after(states)
    poster = user if user is not None and user.is_authenticated else None
    posting = _loaded(
        Posting,
        None,
        {
            "id": None,
            "key": key,
            "document_type": document_type,
            "document_id": document_id,
            "document_number": document_number,
            "event": event,
            "posted_at": posted_at,
            "user_id": None if poster is None else poster.pk,
            "reverses_id": None if reverses is None else reverses.pk,
        },
    )
    # cached as `user=` and `reverses=` would
    posting._state.fields_cache.update(user=poster, reverses=reverses)

    def already_posted() -> StateConflict:
        return StateConflict(
            _("Document %(number)s has already been posted (%(event)s).")
            % {"number": document_number, "event": event},
            code="already_posted",
        )

    # PostgreSQL: the id drawn with the locks; the posting is written with its moves below,
    # in one statement. Elsewhere (SQLite: no network round trips) it is written now.
    one_statement = bool(posting_ids)
    if one_statement:
        posting.id = posting_ids[-1]
    elif not _insert([posting], on_conflict_nothing=True):
        raise already_posted()

    new_moves: list[StockMove] = []
    head = _hash_head(posting.id, posted_at) if posting.id is not None else ""
    today = timezone.localdate(posted_at)
    company = _LazyCompany()
    request_values: list[Decimal] = []
    request_moves: list[list[StockMove]] = []
    shortages: list[tuple[int, MoveRequest, InsufficientStock]] = []
    for index, request in enumerate(moves):
        sku, warehouse = skus[request.sku_id], warehouses[request.warehouse_id]
        allow_negative = negative_allowed(company, warehouse, sku)  # type: ignore[arg-type]
        if request.mirror_of is not None:
            mirrored = [
                _apply(
                    _mirror_state(states, request.warehouse_id, request.sku_id, origin),
                    replace(request, batch_id=origin.batch_id, value=-origin.value),
                    -origin.quantity,
                    sku,
                    warehouse,
                    posting,
                    posted_at,
                    allow_negative,
                    head,
                )
                for origin in request_moves[request.mirror_of]
            ]
            new_moves.extend(mirrored)
            request_moves.append(mirrored)
            request_values.append(sum((m.value for m in mirrored), ZERO))
            continue
        if request.value_from is not None:
            origin = moves[request.value_from]
            request = replace(  # noqa: PLW2901 - the request with its value filled in
                request,
                value=money(
                    -request_values[request.value_from] * request.quantity / -origin.quantity
                ),
            )
        total = ZERO
        made: list[StockMove] = []
        prefer = _consume(request, states, reservations) if reservations else set()
        try:
            allocations = _allocate(
                request, sku, warehouse, states, allow_negative, today, prefer=prefer
            )
            rest = request.value
            for position, (state, quantity) in enumerate(allocations):
                part = _value_part(request, quantity, rest, last=position == len(allocations) - 1)
                move = _apply(
                    state, part, quantity, sku, warehouse, posting, posted_at, allow_negative, head
                )
                if rest is not None:
                    rest -= move.value
                total += move.value
                made.append(move)
        except InsufficientStock as shortage:
            # Go on, so that one refusal names every short line; nothing is written.
            shortages.append((index, request, shortage))
        new_moves.extend(made)
        request_moves.append(made)
        request_values.append(total)
    try:
        if shortages:
            raise _all_short(_hide_blind(shortages, user, skus, warehouses))
        if backdated:
            _check_not_before_latest(states, posted_at, skus, warehouses)
    except (InsufficientStock, StateConflict):
        if one_statement and Posting.objects.filter(key=key).exists():
            raise already_posted() from None  # as the posting's insert refuses it first
        raise
    if not one_statement:
        _insert(new_moves)
    touched = []
    now = timezone.now()
    for state in states.values():
        if state.touched or state.reserved != state.balance.reserved:
            b = state.balance
            b.on_hand, b.value, b.last_move_hash = state.on_hand, state.value, state.last_hash
            b.move_count, b.allow_negative, b.updated_at = (
                state.move_count,
                state.allow_negative,
                now,
            )
            b.reserved = state.reserved
            if state.touched:
                b.last_posted_at = max(state.last_posted_at or posted_at, posted_at)
            touched.append(b)
    if one_statement:
        if not _write_posting(posting, new_moves, touched):
            raise already_posted()
    else:
        _write_balances(touched)
    if reservations:
        _write_reservations([r for rows in reservations.values() for r in rows], now)
    moves_posted.send(Posting, posting=posting, moves=new_moves, backdated=backdated)
    posting.created_moves = new_moves
    return posting


def _write_posting(posting: Posting, moves: list[StockMove], balances: list[StockBalance]) -> bool:
    """PostgreSQL: insert the posting (its id drawn with the locks) unless its key exists,
    and — only if it was inserted — its moves and the balances' new values, in one statement
    (writable CTEs; each set of rows as one array a column, `core.rawsql`). The moves get
    their ids in their order. False when the key was posted already (nothing written)."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    p_fields, p_head, p_row, _tail, _unnest = _rawsql_insert_parts(connection, Posting._meta)
    m_fields, m_head, _row, _tail, m_unnest = _rawsql_insert_parts(connection, StockMove._meta)
    pk = cast(Field, StockBalance._meta.pk)
    b_fields = [cast(Field, StockBalance._meta.get_field(name)) for name in _BALANCE_FIELDS]
    params = [posting.id]
    params += _row_params([posting], p_fields, connection, adding=True, key=("posting", "one"))
    move_params = _row_params(moves, m_fields, connection, adding=True, key=("move", "one"))
    balance_params = _row_params(
        balances, [pk, *b_fields], connection, adding=None, key=("balance", "one")
    )
    if not m_unnest or any(hasattr(v, "as_sql") for v in (*move_params, *balance_params)):
        raise RuntimeError("a posting's rows are plain values")  # pragma: no cover
    params += _columns(move_params, len(m_fields))
    casts = [f"::{f.cast_db_type(connection)}" for f in (pk, *b_fields)]
    params += _columns(balance_params, len(b_fields) + 1)
    table = quote(StockBalance._meta.db_table)
    columns = ", ".join(["id", *(f"v{i}" for i in range(len(b_fields)))])
    assignments = ", ".join(f"{quote(f.column)} = v.v{i}" for i, f in enumerate(b_fields))
    sql = (
        f"WITH p AS ({p_head.replace('(', '(id, ', 1)}VALUES (%s, {p_row[1:]} "
        f"ON CONFLICT DO NOTHING RETURNING id), "
        f"m AS ({m_head}SELECT * FROM UNNEST({', '.join(m_unnest)}) "
        "WHERE EXISTS (SELECT FROM p) RETURNING id), "
        f"u AS (UPDATE {table} SET {assignments} FROM (SELECT * FROM UNNEST("
        + ", ".join(f"(%s){cast}[]" for cast in casts)
        + f")) AS v ({columns}) WHERE {table}.{quote(pk.column)} = v.id "
        "AND EXISTS (SELECT FROM p)) "
        "SELECT id FROM m ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return False
    alias = connection.alias
    for obj, pk_value in zip(moves, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = alias
    posting._state.adding = False
    posting._state.db = alias
    return True


def _now_after(states: dict[BalanceKey, _State]) -> datetime.datetime:
    """Now, or the last move time of a locked balance when that is later (a clock behind)."""
    now = timezone.now()
    latest = [s.last_posted_at for s in states.values() if s.last_posted_at is not None]
    return max([now, *latest])


def _check_not_before_latest(states, posted_at, skus, warehouses) -> None:
    """409 when a touched balance already has a move later than `posted_at` (only for
    back-dated postings; the locked balance row holds its last move's time)."""
    later = [
        s
        for s in states.values()
        if s.touched and s.last_posted_at and s.last_posted_at > posted_at
    ]
    if later:
        state = max(later, key=lambda s: s.last_posted_at)
        raise StateConflict(
            _(
                "Stock of %(sku)s in warehouse %(warehouse)s already has a move at %(last)s; "
                "a posting cannot be dated before it (%(at)s)."
            )
            % {
                "sku": skus[state.balance.sku_id].code,
                "warehouse": warehouses[state.balance.warehouse_id].code,
                "last": timezone.localtime(state.last_posted_at).strftime("%Y-%m-%d %H:%M:%S"),
                "at": timezone.localtime(posted_at).strftime("%Y-%m-%d %H:%M:%S"),
            },
            code="backdated_posting",
        )


_BALANCE_FIELDS = (
    "on_hand",
    "reserved",
    "value",
    "last_move_hash",
    "move_count",
    "allow_negative",
    "updated_at",
    "last_posted_at",
)


def _write_balances(balances: list[StockBalance], names: Sequence[str] = _BALANCE_FIELDS) -> None:
    """One set-based UPDATE of every touched balance (a VALUES list joined on id,
    `core.rawsql.update`: Django's bulk_update costs more Python time than the rest of the
    posting)."""
    _update(balances, names)


References = tuple[dict[int, Sku], dict[int, Warehouse]]


def _read_references(moves, known: References | None = None) -> References:
    """The SKUs (with product) and warehouses of the lines, as model instances holding the
    fields the posting needs (the others deferred), in one plain query (the ORM's compile
    time would double it). Those the caller read in its transaction already (`known`) are
    not read again."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    known_skus, known_warehouses = known or ({}, {})
    skus: dict[int, Sku] = {}
    warehouses: dict[int, Warehouse] = {}
    sku_ids = []
    for sku_id in sorted({m.sku_id for m in moves}):
        if sku_id in known_skus:
            skus[sku_id] = known_skus[sku_id]
        else:
            sku_ids.append(sku_id)
    warehouse_ids = []
    for warehouse_id in sorted({m.warehouse_id for m in moves}):
        if warehouse_id in known_warehouses:
            warehouses[warehouse_id] = known_warehouses[warehouse_id]
        else:
            warehouse_ids.append(warehouse_id)
    parts: list[str] = []
    params: list = []
    if sku_ids:
        parts.append(
            "SELECT 's', s.id, s.code, s.name, s.purchase_price, s.allow_negative_stock, p.id, "
            f"p.tracking, p.shelf_life_days FROM {quote(Sku._meta.db_table)} s "
            f"JOIN {quote(Product._meta.db_table)} p ON p.id = s.product_id "
            f"WHERE s.id IN ({', '.join(['%s'] * len(sku_ids))})"
        )
        params.extend(sku_ids)
    if warehouse_ids:
        # the same columns: the warehouse's kind where the product's tracking is
        parts.append(
            "SELECT 'w', id, code, name, NULL, allow_negative_stock, NULL, kind, NULL "
            f"FROM {quote(Warehouse._meta.db_table)} "
            f"WHERE id IN ({', '.join(['%s'] * len(warehouse_ids))})"
        )
        params.extend(warehouse_ids)
    if not parts:
        return skus, warehouses
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    alias = connection.alias
    for kind, pk, code, name, price, negative, product_id, tracking, shelf_life in rows:
        negative = None if negative is None else bool(negative)
        if kind == "w":
            warehouses[pk] = _loaded(
                Warehouse,
                alias,
                {
                    "id": pk,
                    "code": code,
                    "name": name,
                    "allow_negative_stock": negative,
                    "kind": tracking,
                },
            )
            continue
        sku = _loaded(
            Sku,
            alias,
            {
                "id": pk,
                "product_id": product_id,
                "code": code,
                "name": name,
                "purchase_price": _db_decimal(price),
                "allow_negative_stock": negative,
            },
        )
        product = _loaded(
            Product, alias, {"id": product_id, "tracking": tracking, "shelf_life_days": shelf_life}
        )
        _SKU_PRODUCT.set_cached_value(sku, product)
        skus[pk] = sku
    return skus, warehouses


_SKU_PRODUCT: Any = Sku._meta.get_field("product")


def _loaded(model, alias: str | None, values: dict[str, Any]):
    """An instance of `model` as the ORM loads one with `.only(*values)`: the fields read, the
    others deferred (a field missing from the instance's `__dict__` is deferred, as
    `Model.from_db` leaves it). With `alias` None, a new unsaved instance of those values
    (every concrete field given), as `model(**values)` would make it.

    Django's `__init__` walks every field and sets each through its descriptor, which cost
    more than the rest of a posting's work on its lines; with no `post_init` receiver (the
    only thing `__init__` does besides) the instance is the same when its `__dict__` is filled
    directly (`test_ledger_post` compares both)."""
    if post_init.receivers:  # pragma: no cover - none in this project; keep Django's path
        if alias is None:
            return model(**values)
        names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
        return model.from_db(alias, names, [values[name] for name in names])
    obj = _new_object(model)
    state = obj._state = ModelState()
    if alias is not None:
        state.adding = False
        state.db = alias
    obj.__dict__.update(values)
    return obj


def _check_references(moves, skus, warehouses) -> None:
    for request in moves:
        if request.sku_id not in skus:
            raise ValidationFailed(
                _("SKU #%(id)s does not exist.") % {"id": request.sku_id}, code="unknown_sku"
            )
        if request.warehouse_id not in warehouses:
            raise ValidationFailed(
                _("Warehouse #%(id)s does not exist.") % {"id": request.warehouse_id},
                code="unknown_warehouse",
            )
        tracked = skus[request.sku_id].product.tracking == Tracking.BATCH
        mirror = request.mirror_of is not None  # takes the batches of its origin
        if tracked and request.batch_id is None and request.quantity > 0 and not mirror:
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


def _check_batches(moves, states, skus) -> None:
    """A batch named on a line must exist and belong to the line's SKU (checked on the locked
    rows, whose batch is joined, so it costs no query)."""
    for request in moves:
        if request.batch_id is None:
            continue
        state = states.get((request.warehouse_id, request.sku_id, request.batch_id))
        if state is None or state.batch_sku_id is None:
            raise ValidationFailed(
                _("Batch #%(id)s does not exist.") % {"id": request.batch_id},
                code="unknown_batch",
            )
        if state.batch_sku_id != request.sku_id:
            raise ValidationFailed(
                _("Batch %(batch)s is not a batch of SKU %(sku)s.")
                % {"batch": state.batch_no, "sku": skus[request.sku_id].code},
                code="unknown_batch",
            )


def _is_fefo(request: MoveRequest, skus) -> bool:
    return (
        request.batch_id is None
        and request.quantity < 0
        and skus[request.sku_id].product.tracking == Tracking.BATCH
    )


def _lock_balances(
    moves: Sequence[MoveRequest], skus, posting_ids: list[int] | None = None
) -> dict[BalanceKey, _State]:
    """Lock every balance the posting may touch, in id order (deadlock-free), creating the
    missing rows first. FEFO lines lock all batches of their warehouse × SKU. With
    `posting_ids` (PostgreSQL), the lock statement also draws the posting's id from its
    sequence (appended to the list; see `_select_locked`)."""
    explicit: set[BalanceKey] = set()
    fefo: set[tuple[int, int]] = set()
    for m in moves:
        if m.mirror_of is not None:
            origin = moves[m.mirror_of]
            if _is_fefo(origin, skus):
                # The mirror of a FEFO line lands on the batches the allocation picks: every
                # existing balance of that SKU there is locked with the rest, in id order; one
                # for a batch new there is created when the move is made.
                fefo.add((m.warehouse_id, m.sku_id))
            else:
                explicit.add((m.warehouse_id, m.sku_id, origin.batch_id))
        elif _is_fefo(m, skus):
            fefo.add((m.warehouse_id, m.sku_id))
        else:
            explicit.add((m.warehouse_id, m.sku_id, m.batch_id))

    def select() -> dict[BalanceKey, _State]:
        # Few OR-terms whatever the number of lines: per warehouse, the SKUs without batch,
        # the batches (a batch belongs to one SKU) and the SKUs allocated FEFO.
        plain: dict[int, set[int]] = {}
        batched: dict[int, set[int]] = {}
        for wh, sku, batch in explicit:
            if batch is None:
                plain.setdefault(wh, set()).add(sku)
            else:
                batched.setdefault(wh, set()).add(batch)
        by_warehouse: dict[int, set[int]] = {}
        for wh, sku in fefo:
            by_warehouse.setdefault(wh, set()).add(sku)
        parts: list[str] = []
        params: list = []

        def term(sql: str, head: list, ids: set[int]) -> None:
            parts.append(f"({sql} IN ({', '.join(['%s'] * len(ids))}))")
            params.extend([*head, *sorted(ids)])

        for wh, ids in plain.items():
            term("b.warehouse_id = %s AND b.batch_id IS NULL AND b.sku_id", [wh], ids)
        for wh, ids in batched.items():
            term("b.warehouse_id = %s AND b.batch_id", [wh], ids)
        for wh, ids in by_warehouse.items():
            term("b.warehouse_id = %s AND b.sku_id", [wh], ids)
        return _select_locked(" OR ".join(parts), params, posting_ids)

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


def _mirror_state(states, warehouse_id: int, sku_id: int, origin: StockMove) -> _State:
    """The balance a mirror move of `origin` goes to: locked with the others up front when it
    exists, else created and locked now (a new row nobody else can hold yet)."""
    key = (warehouse_id, sku_id, origin.batch_id)
    if key not in states:
        StockBalance.objects.bulk_create(
            [StockBalance(warehouse_id=warehouse_id, sku_id=sku_id, batch_id=origin.batch_id)],
            ignore_conflicts=True,
        )
        states.update(
            _select_locked(
                "b.warehouse_id = %s AND b.sku_id = %s AND b.batch_id = %s",
                [warehouse_id, sku_id, origin.batch_id],
            )
        )
    return states[key]


def _select_locked(
    where: str, params: list, posting_ids: list[int] | None = None
) -> dict[BalanceKey, _State]:
    """SELECT ... FOR UPDATE of the balances matching `where`, in id order, with their batch.

    Plain SQL: the ORM spends more time compiling this query than the database running it,
    and this is the hot path of every stock change. On PostgreSQL with `posting_ids`, the same
    statement draws the next posting id from its sequence (appended to the list when a row is
    locked), so the posting's moves can be hashed and the posting, its moves and the balances
    written in one statement (`_write_posting`) — one round trip instead of three."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    head, extra, join = "", "", ""
    if posting_ids is not None and connection.vendor == "postgresql":
        table = Posting._meta.db_table
        head = f"WITH n AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence('{table}', 'id'))) "
        extra, join = ", n.nextval", " CROSS JOIN n"
    sql = (
        f"{head}SELECT b.id, b.warehouse_id, b.sku_id, b.batch_id, b.on_hand, b.reserved, "
        "b.value, b.allow_negative, b.last_move_hash, b.move_count, bt.expiry_date, bt.batch_no, "
        f"bt.sku_id, b.last_posted_at{extra} FROM {quote(StockBalance._meta.db_table)} b "
        f"LEFT OUTER JOIN {quote(Batch._meta.db_table)} bt ON bt.id = b.batch_id{join} "
        f"WHERE {where} ORDER BY b.id"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF b"
    elif connection.features.has_select_for_update:  # pragma: no cover
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    alias = connection.alias
    if extra and rows:
        posting_ids.append(rows[0][14])  # type: ignore[union-attr]
    states: dict[BalanceKey, _State] = {}
    for row in rows:
        (pk, wh, sku, batch, on_hand, reserved, value, allow_negative, last_hash, count) = row[:10]
        expiry, batch_no, batch_sku, last_posted_at = row[10:14]
        balance = _loaded(
            StockBalance,
            alias,
            {
                "id": pk,
                "warehouse_id": wh,
                "sku_id": sku,
                "batch_id": batch,
                "on_hand": _db_decimal(on_hand),
                "reserved": _db_decimal(reserved),
                "value": _db_decimal(value),
                "allow_negative": bool(allow_negative),
                "last_move_hash": last_hash,
                "move_count": count,
                "last_posted_at": _db_datetime(last_posted_at),
                "updated_at": None,  # not read (set when the balance is written)
            },
        )
        if isinstance(expiry, str):
            expiry = datetime.date.fromisoformat(expiry)
        states[(wh, sku, batch)] = _State(
            balance=balance,
            on_hand=balance.on_hand,
            value=balance.value,
            last_hash=last_hash or GENESIS_HASH,
            move_count=count,
            allow_negative=balance.allow_negative,
            expiry=expiry,
            batch_no=batch_no or "",
            batch_sku_id=batch_sku,
            last_posted_at=balance.last_posted_at,
            reserved=balance.reserved,
        )
    return states


def _db_datetime(value) -> datetime.datetime | None:
    """A datetime column as read by a plain cursor (SQLite: naive UTC, maybe as text)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _db_decimal(value) -> Decimal:
    """A decimal column as read by a plain cursor (SQLite hands back int or float)."""
    if isinstance(value, float):
        value = repr(value)
    return qty(value)  # quantities and money share the same 4 places


def _allocate(request, sku, warehouse, states, allow_negative, today, prefer=()):
    """(state, signed quantity) pairs for one request; FEFO across batches when needed
    (the batches in `prefer` — whose reservation the request consumes — first)."""
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
        key=lambda s: (
            s.balance.id not in prefer,
            s.expiry or datetime.date.max,
            s.batch_no,
            s.balance.id,
        ),
    )
    usable = [
        s for s in candidates if request.allow_expired or s.expiry is None or s.expiry >= today
    ]
    needed = -request.quantity
    allocations = []
    for state in usable:
        free = state.free
        if free <= 0:
            continue
        take = min(free, needed)
        allocations.append((state, -take))
        needed -= take
        if needed == 0:
            return allocations
    available = sum((max(s.free, ZERO) for s in usable), ZERO)
    if not allow_negative or not usable:
        raise _insufficient(
            sku,
            warehouse,
            -request.quantity,
            available,
            expired_excluded=len(usable) < len(candidates),
        )
    # Negative stock allowed: the rest goes on the batch that expires first (one move per
    # balance: added to that batch's allocation when it already has one).
    for index, (state, quantity) in enumerate(allocations):
        if state is usable[0]:
            allocations[index] = (state, quantity - needed)
            return allocations
    allocations.append((usable[0], -needed))
    return allocations


def _value_part(
    request: MoveRequest, quantity: Decimal, rest: Decimal | None, *, last: bool
) -> MoveRequest:
    """The request one allocation of a FEFO split is applied with. An exact `value` (an
    outflow at a given cost: a purchase return at the cost its goods came in with) is shared
    by quantity, and the last batch takes what the earlier moves left of it (a batch emptied
    leaves with the value it held), so the moves add up to the value asked."""
    if request.value is None or rest is None or (last and rest == request.value):
        return request
    if last:
        return replace(request, value=rest)
    return replace(request, value=money(request.value * quantity / request.quantity))


def _insufficient(
    sku, warehouse, requested, available, expired_excluded=False
) -> InsufficientStock:
    message = _(
        "Not enough stock of %(sku)s %(name)s in warehouse %(warehouse)s: "
        "requested %(requested)s, available %(available)s."
    ) % {
        "sku": sku.code,
        "name": sku.name,
        "warehouse": warehouse.name,
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


def _hide_blind(shortages, user, skus, warehouses):
    """A counter refused during a blind count of the warehouse learns the short line and the
    quantity asked for, not what is on hand or available there (inventory.blind)."""
    hidden = blind.blind_warehouse_ids(user)
    if not hidden:
        return shortages
    out = []
    for index, request, error in shortages:
        if error.details["warehouse_id"] in hidden:
            sku, warehouse = skus[request.sku_id], warehouses[request.warehouse_id]
            message = _(
                "Not enough stock of %(sku)s %(name)s in warehouse %(warehouse)s for "
                "%(requested)s (a blind count is open there: its stock is not shown)."
            ) % {
                "sku": sku.code,
                "name": sku.name,
                "warehouse": warehouse.name,
                "requested": f"{Decimal(error.details['requested']).normalize():f}",
            }
            details = {k: v for k, v in error.details.items() if k != "available"}
            error = InsufficientStock(message, details={**details, "book_hidden": True})
        out.append((index, request, error))
    return out


def _all_short(shortages: list[tuple[int, MoveRequest, InsufficientStock]]) -> InsufficientStock:
    """One refusal for a posting with short requests: the first one's message and details,
    and every short request in `details["shortages"]` (index, line, SKU, requested, available)
    so that a document service can name each of its lines."""
    first = shortages[0][2]
    listed = [
        {"request": index, "line_id": request.line_id, "message": error.message, **error.details}
        for index, request, error in shortages
    ]
    message = first.message
    if len(shortages) > 1:
        more = len(shortages) - 1
        also = ngettext(
            "And %(count)d more line is short.", "And %(count)d more lines are short.", more
        )
        message = f"{first.message} {also % {'count': more}}"
    return InsufficientStock(message, details={**first.details, "shortages": listed})


def _apply(
    state: _State, request, quantity, sku, warehouse, posting, posted_at, allow_negative, head=""
) -> StockMove:
    quantity = qty(quantity)
    if quantity < 0 and not allow_negative:
        available = state.free
        if available + quantity < 0:
            raise _insufficient(sku, warehouse, -quantity, max(available, ZERO))
    average = sku.purchase_price
    if state.on_hand != 0 and state.value / state.on_hand >= 0:
        average = state.value / state.on_hand
    new_on_hand = state.on_hand + quantity
    if request.value is not None:
        value = money(request.value)
        if quantity < 0 and new_on_hand > 0 and state.value + value < 0:
            # An exact reversal value larger than what is left (the stock was issued at a
            # lower average since): leave at the average so the value never turns negative.
            value = money(quantity * average)
    elif quantity > 0:
        cost = request.unit_cost if request.unit_cost is not None else average
        value = money(quantity * cost)
        if state.on_hand < 0 < new_on_hand:
            # Stock crosses from negative to positive: what remains is valued at this cost.
            value = money(new_on_hand * cost) - state.value
    else:
        value = money(quantity * average)
    if new_on_hand == 0:
        value = -state.value  # leave no value residue on an empty balance
    new_value = state.value + value
    unit_cost = money(abs(value / quantity))
    balance = state.balance
    prev_hash = state.last_hash
    values = {
        "id": None,
        "posting_id": posting.id,
        "balance_id": balance.id,
        "posted_at": posted_at,
        "warehouse_id": request.warehouse_id,
        "location_id": request.location_id,
        "sku_id": request.sku_id,
        "batch_id": balance.batch_id,
        "move_type": request.move_type,
        "quantity": quantity,
        "unit_cost": unit_cost,
        "value": value,
        "balance_quantity": new_on_hand,
        "balance_value": new_value,
        "line_id": request.line_id,
        "reverses_id": request.reverses_id,
        "prev_hash": prev_hash,
    }
    values["hash"] = _chain_hash(
        prev_hash,
        head or _hash_head(posting.id, posted_at),
        request.warehouse_id,
        request.location_id,
        request.sku_id,
        balance.batch_id,
        request.move_type,
        quantity,
        unit_cost,
        value,
        new_on_hand,
        new_value,
        request.line_id,
        request.reverses_id,
    )
    move = _loaded(StockMove, None, values)
    # The posting and the balance are cached on the move as `posting=` and `balance=` would.
    cache = move._state.fields_cache
    cache["posting"], cache["balance"] = posting, balance
    state.on_hand, state.value, state.last_hash = new_on_hand, new_value, move.hash
    state.move_count += 1
    # The check constraint refuses negative on-hand unless the balance allows it. A balance
    # that went negative under an earlier policy stays allowed until it is back at zero or
    # above, so a receipt into it is not refused by the database.
    state.allow_negative = allow_negative or new_on_hand < 0
    state.touched = True
    return move


# ---------------------------------------------------------------- reservations

_ReservationKey = tuple[str, int]  # document type key, line id


def _open_reservations(
    moves: Sequence[MoveRequest], states: dict[BalanceKey, _State]
) -> dict[_ReservationKey, list[Reservation]]:
    """The open reservations the posting's requests consume, on the balances it locked (read
    after the locks: only a holder of a balance's lock changes its reservations). One query,
    and none when no request names a reservation."""
    wanted: dict[str, set[int]] = {}
    for m in moves:
        if m.reservation is not None:
            wanted.setdefault(m.reservation[0], set()).add(m.reservation[1])
    if not wanted:
        return {}
    balance_ids = [s.balance.id for s in states.values()]
    terms = [Q(document_type=t, line_id__in=sorted(ids)) for t, ids in wanted.items()]
    rows = Reservation.objects.filter(
        reduce(or_, terms), balance_id__in=balance_ids, quantity__gt=0
    ).order_by("id")
    found: dict[_ReservationKey, list[Reservation]] = {}
    for row in rows:
        found.setdefault((row.document_type, row.line_id), []).append(row)
    return found


def _consume(
    request: MoveRequest,
    states: dict[BalanceKey, _State],
    reservations: dict[_ReservationKey, list[Reservation]],
) -> set[int]:
    """Consume the request's reservation up to its quantity: the reserved stock becomes free
    for this move. Returns the balance ids consumed from (the move takes those batches first)."""
    if request.reservation is None:
        return set()
    by_balance = {s.balance.id: s for s in states.values()}
    rows = [
        r
        for r in reservations.get(request.reservation, [])
        if r.quantity > 0
        and by_balance[r.balance_id].balance.warehouse_id == request.warehouse_id
        and by_balance[r.balance_id].balance.sku_id == request.sku_id
    ]

    def order(row: Reservation):
        state = by_balance[row.balance_id]
        named = state.balance.batch_id == request.batch_id
        return (not named, state.expiry or datetime.date.max, state.batch_no, row.balance_id)

    needed = -request.quantity
    used: set[int] = set()
    for row in sorted(rows, key=order):
        if needed <= 0:
            break
        take = min(row.quantity, needed)
        row.quantity -= take
        row.consumed += take
        by_balance[row.balance_id].reserved -= take
        needed -= take
        used.add(row.balance_id)
    return used


def _write_reservations(rows: list[Reservation], now: datetime.datetime) -> None:
    changed = [r for r in rows if r.pk is not None]
    for row in rows:
        row.updated_at = now
    if changed:
        Reservation.objects.bulk_update(
            changed, ["quantity", "consumed", "released", "shorted", "updated_at"]
        )
    new = [r for r in rows if r.pk is None]
    if new:
        for row in new:
            row.created_at = now
        Reservation.objects.bulk_create(new)


def reserve(
    *, document_type: str, document_id: int, lines: Sequence[ReserveRequest]
) -> list[Reservation]:
    """Promise stock to document lines (a sales order): each line's quantity must be available
    (on hand − reserved, expired batches left out) in its warehouse, whatever the warehouse's
    negative-stock policy — a promise needs stock. Must run inside the caller's transaction,
    which holds its document's row lock.

    Locks the balances in id order like a posting (creating missing rows), then adds to the
    line's reservation rows and the balances' `reserved`. All or nothing: a short line refuses
    the whole call with 409 `insufficient_stock`, naming every short line in
    `details["shortages"]` (line, SKU, warehouse, requested, available)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve must run inside a transaction (call it from a service)")
    if not lines:
        raise ValidationFailed(_("A reservation needs at least one line."), code="no_lines")
    requests = []
    for line in lines:
        if qty(line.quantity) <= 0:
            raise ValidationFailed(
                _("A reserved quantity must be greater than zero."), code="invalid_quantity"
            )
        requests.append(
            MoveRequest(
                warehouse_id=line.warehouse_id,
                sku_id=line.sku_id,
                quantity=-qty(line.quantity),
                move_type="reserve",
                batch_id=line.batch_id,
                line_id=line.line_id,
                allow_expired=line.allow_expired,
            )
        )
    skus, warehouses = _read_references(requests)
    _check_references(requests, skus, warehouses)
    states = _lock_balances(requests, skus)
    _check_batches(requests, states, skus)
    by_balance = {s.balance.id: s for s in states.values()}
    existing = {
        (r.line_id, r.balance_id): r
        for r in Reservation.objects.filter(
            document_type=document_type,
            line_id__in=sorted({line.line_id for line in lines}),
            balance_id__in=sorted(by_balance),
        )
    }
    today = timezone.localdate()
    shortages: list[tuple[int, MoveRequest, InsufficientStock]] = []
    written: dict[tuple[int, int], Reservation] = {}
    for index, (line, request) in enumerate(zip(lines, requests, strict=True)):
        sku, warehouse = skus[request.sku_id], warehouses[request.warehouse_id]
        try:
            allocations = _allocate(request, sku, warehouse, states, False, today)
            for state, quantity in allocations:
                if state.free + quantity < 0:
                    raise _insufficient(sku, warehouse, -quantity, max(state.free, ZERO))
        except InsufficientStock as shortage:
            shortages.append((index, request, shortage))
            continue
        for state, quantity in allocations:
            key = (line.line_id, state.balance.id)
            row = written.get(key) or existing.get(key)
            if row is None:
                row = Reservation(
                    balance_id=state.balance.id,
                    warehouse_id=request.warehouse_id,
                    sku_id=request.sku_id,
                    document_type=document_type,
                    document_id=document_id,
                    line_id=line.line_id,
                )
            elif row.document_id != document_id:
                raise ValueError(f"line {line.line_id} belongs to another {document_type}")
            row.quantity += -quantity
            state.reserved += -quantity
            written[key] = row
    if shortages:
        raise _all_short(shortages)
    _save_reservations(list(written.values()), states)
    return list(written.values())


def release(
    *,
    document_type: str,
    document_id: int,
    lines: dict[int, Decimal | None] | None = None,
) -> Decimal:
    """Give back reserved stock of a document: every open reservation (`lines` None), or per
    line id its whole open quantity (None) or that much of it (its latest-expiring batches
    first). Returns the quantity released. Must run inside the caller's transaction; locks the
    reservations' balances in id order like a posting. Releasing more than a line holds is a
    400 `not_reserved` that changes nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("release must run inside a transaction (call it from a service)")
    open_rows = Reservation.objects.filter(
        document_type=document_type, document_id=document_id, quantity__gt=0
    )
    if lines is not None:
        open_rows = open_rows.filter(line_id__in=sorted(lines))
    balance_ids = sorted(set(open_rows.values_list("balance_id", flat=True)))
    if not balance_ids:
        states: dict[BalanceKey, _State] = {}
    else:
        states = _select_locked(
            f"b.id IN ({', '.join(['%s'] * len(balance_ids))})", list(balance_ids)
        )
    by_balance = {s.balance.id: s for s in states.values()}
    rows = list(open_rows.filter(balance_id__in=sorted(by_balance)).order_by("id"))
    by_line: dict[int, list[Reservation]] = {}
    for row in rows:
        by_line.setdefault(row.line_id, []).append(row)
    wanted = lines if lines is not None else dict.fromkeys(by_line)
    total = ZERO
    for line_id, quantity in wanted.items():
        held = by_line.get(line_id, [])
        open_quantity = sum((r.quantity for r in held), ZERO)
        needed = open_quantity if quantity is None else qty(quantity)
        if needed < 0 or needed > open_quantity:
            raise ValidationFailed(
                _("Line %(line)s holds %(held)s reserved; %(asked)s cannot be released.")
                % {
                    "line": line_id,
                    "held": f"{open_quantity.normalize():f}",
                    "asked": f"{needed.normalize():f}",
                },
                code="not_reserved",
            )

        def latest_first(row: Reservation):
            state = by_balance[row.balance_id]
            return (state.expiry or datetime.date.max, state.batch_no, row.balance_id)

        for row in sorted(held, key=latest_first, reverse=True):
            if needed <= 0:
                break
            take = min(row.quantity, needed)
            row.quantity -= take
            row.released += take
            by_balance[row.balance_id].reserved -= take
            needed -= take
            total += take
    _save_reservations(rows, states)
    return total


def shorten_reservations(*, balances: dict[BalanceKey, Decimal]) -> list[Reservation]:
    """Before a stock count posts its losses: the count records what is physically there, so
    where the stock left after a loss (on hand − the `balances[key]` lost) is less than is
    reserved on that balance, its open reservations are cut back to what is left — the newest
    reservation first, so the oldest promises are kept (the cut quantity is `shorted` on the
    row, apart from what its owner released) — and the loss then takes only free stock.
    Returns the reservation rows cut, and tells their owners with the signal
    `inventory.signals.reservations_shortened` (in the same transaction).

    Must run inside the caller's transaction, before its `post_moves`: it locks the balances of
    every key given (the count's whole posting, gains too) in id order, as the posting does, so
    the posting finds them locked already."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("shorten_reservations must run inside a transaction")
    ids = sorted(
        pk
        for pk, wh, sku, batch in StockBalance.objects.filter(
            warehouse_id__in=sorted({key[0] for key in balances}),
            sku_id__in=sorted({key[1] for key in balances}),
        ).values_list("id", "warehouse_id", "sku_id", "batch_id")
        if (wh, sku, batch) in balances
    )
    if not ids:
        return []
    states = _select_locked(f"b.id IN ({', '.join(['%s'] * len(ids))})", ids)
    short = {
        state.balance.id: state.reserved - max(state.on_hand - balances[key], ZERO)
        for key, state in states.items()
        if state.reserved > max(state.on_hand - balances[key], ZERO)
    }
    if not short:
        return []
    by_balance = {s.balance.id: s for s in states.values()}
    rows = list(
        Reservation.objects.filter(balance_id__in=sorted(short), quantity__gt=0).order_by(
            "-created_at", "-id"
        )
    )
    cut: list[Reservation] = []
    for row in rows:  # newest first
        take = min(row.quantity, short[row.balance_id])
        if take <= 0:
            continue
        row.quantity -= take
        row.shorted += take
        by_balance[row.balance_id].reserved -= take
        short[row.balance_id] -= take
        cut.append(row)
    _save_reservations(cut, states)
    reservations_shortened.send(sender=Reservation, reservations=cut)
    return cut


def _save_reservations(rows: list[Reservation], states: dict[BalanceKey, _State]) -> None:
    """Write changed reservation rows and the `reserved` of their (locked) balances."""
    now = timezone.now()
    changed = []
    for state in states.values():
        if state.reserved != state.balance.reserved:
            state.balance.reserved, state.balance.updated_at = state.reserved, now
            changed.append(state.balance)
    _write_balances(changed, ("reserved", "updated_at"))
    _write_reservations(rows, now)


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


def get_posting(key: str) -> Posting:
    """The posting written under `key` (a document's `<type>:<id>:post`)."""
    return Posting.objects.get(key=key)


def post_reversal(
    *,
    key: str,
    postings: Sequence[Posting],
    reversal,
    document_type: str,
    user,
    at: datetime.datetime | None,
    line_ids: dict[int | None, int] | None = None,
) -> Posting:
    """Post the exact opposite of `postings` (in the order given: the latest first) as ONE
    posting of the reversing document — so all its balances are locked together, in id order
    — its line ids mapped through `line_ids` when given, back-dated to `at` when given. Each
    move names the move it reverses; the posting names the first of the originals."""
    moves = [move for posting in postings for move in reversal_requests(posting)]
    if line_ids is not None:
        moves = [replace(move, line_id=line_ids.get(move.line_id)) for move in moves]
    return post_moves(
        key=key,
        document_type=document_type,
        document_id=reversal.id,
        document_number=reversal.number,
        event="reverse",
        user=user,
        moves=moves,
        posted_at=at,
        reverses=min(postings, key=lambda posting: posting.id),
    )


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
