"""Stock counts (盘点): create, start (snapshot), record counted quantities, recount, submit,
approve, post, reverse and cancel.

Rules worth knowing:

* Starting a count snapshots the book quantity of every warehouse × SKU × batch with a
  non-zero on hand (limited to the count's categories and their sub-categories, and, for a
  count limited to locations, to the SKUs that ever moved at those locations). Each line keeps
  the balance and the id of its last move at that moment.
* Counted quantities are entries: a scan or a typed quantity adds, a manual "set" entry
  replaces what came before it. Once a recount (复盘) has entries, the recount entries replace
  the first count of that line.
* Submitting computes, per counted line, the moves posted after the snapshot and up to the
  line's last count (this count's own postings excluded), expected = book + those moves,
  difference = counted − expected. Uncounted lines are left out (difference empty, nothing
  posted) unless the user says `uncounted_as_zero`, in which case they count as 0 at submit time.
* Posting writes gains (count_gain, at the moving-average cost) and losses (count_loss) for
  every non-zero difference. A count whose variance value exceeds the threshold needs approval.
* A posted count is reversed by a linked reversing count document that posts the exact
  opposite moves (红冲).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.models import Barcode, Category, Sku, Tracking, Unit
from storeledger.catalog.units import (
    resolve_quantity,
)
from storeledger.core import doctypes, lifecycle
from storeledger.core.documents import transition
from storeledger.core.errors import NotFound, StateConflict, ValidationFailed
from storeledger.core.lifecycle import (
    begin_reversal,
    check_version,
    moment,
    new_number,
    stamp_created,
)
from storeledger.core.quantities import ZERO, money, qty, qty_field_kwargs
from storeledger.core.services import service
from storeledger.inventory.ledger import (
    MoveRequest,
    get_or_create_batch,
    post_moves,
    post_reversal,
    shorten_reservations,
)
from storeledger.inventory.models import (
    Batch,
    MoveType,
    Posting,
    StockBalance,
    StockCount,
    StockCountEntry,
    StockCountLine,
    StockCountStatus,
    StockMove,
)
from storeledger.org.models import Company, Location
from storeledger.org.selectors import (
    numbering_store,
    stock_warehouse,
)

DOCUMENT_TYPE = "stock_count"
S = StockCountStatus


def _from(action: str) -> tuple[str, ...]:
    """The statuses a count's `action` starts from (the registry's transition table)."""
    return doctypes.document_type("stockcount").allowed_from(action)


@dataclass(frozen=True)
class CountEntryInput:
    """One counted quantity: by SKU (id or code) or by barcode; `quantity` in `unit` (the
    base unit when empty; a case barcode brings its unit). `batch_id` or `batch_no` names the
    batch of a batch-tracked SKU."""

    quantity: Decimal
    sku_id: int | None = None
    sku_code: str | None = None
    barcode: str | None = None
    unit_id: int | None = None
    batch_id: int | None = None
    batch_no: str | None = None
    location_id: int | None = None


# ---------------------------------------------------------------- helpers


def _entry_error(index: int, field: str, message: str, code: str, **details) -> ValidationFailed:
    return ValidationFailed(
        message,
        code=code,
        fields={f"entries.{index}.{field}": [message]},
        details={"entry": index, **details},
    )


def _locations(warehouse_id: int, ids: Iterable[int]) -> list[Location]:
    ids = sorted(set(ids))
    found = list(Location.objects.filter(pk__in=ids, warehouse_id=warehouse_id))
    if len(found) != len(ids):
        missing = sorted(set(ids) - {loc.id for loc in found})
        # A location of another warehouse of the same store by its code; any other by its id:
        # another store's bin codes are not for this user to learn.
        codes = dict(
            Location.objects.filter(
                pk__in=missing, warehouse__store__warehouses=warehouse_id
            ).values_list("id", "code")
        )
        raise ValidationFailed(
            _("Locations %(locations)s are not locations of this warehouse.")
            % {"locations": ", ".join(codes.get(pk, f"#{pk}") for pk in missing)},
            code="unknown_location",
            fields={"locations": [_("Unknown location.")]},
        )
    return found


def _categories(ids: Iterable[int]) -> list[Category]:
    ids = sorted(set(ids))
    found = list(Category.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationFailed(
            _("Unknown category."),
            code="unknown_category",
            fields={"categories": [_("Unknown category.")]},
        )
    return found


def _category_condition(categories: Sequence[Category], prefix: str = "sku__") -> Q | None:
    """Q for SKUs in the categories or their sub-categories (Category.path)."""
    if not categories:
        return None
    condition = Q()
    for category in categories:
        condition |= Q(**{f"{prefix}product__category_id": category.id})
        if category.path:
            condition |= Q(**{f"{prefix}product__category__path__startswith": category.path})
    return condition


def _locked_count(count_id: int) -> StockCount:
    count = StockCount.objects.select_for_update().filter(pk=count_id).first()
    if count is None:
        raise NotFound(_("Stock count not found."))
    return count


def _count_for(user, count_id: int) -> StockCount:
    """`_locked_count`, and its warehouse must be in the user's scope (403)."""
    count = _locked_count(count_id)
    scope.ensure_warehouses(user, [count.warehouse_id])
    return count


def _share_lock_status(count: StockCount) -> str:
    """Read the count's status under a shared row lock: concurrent counters do not block each
    other, but a submit/cancel (an UPDATE of the row) waits for them and they wait for it.
    SQLite serialises writers anyway (IMMEDIATE transactions)."""
    table = StockCount._meta.db_table
    with connection.cursor() as cursor:
        suffix = " FOR SHARE" if connection.vendor == "postgresql" else ""
        cursor.execute(f"SELECT status FROM {table} WHERE id = %s{suffix}", [count.pk])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("Stock count not found."))
    return row[0]


def _require_status(count: StockCount, status: str, allowed: Sequence[str]) -> None:
    if status not in allowed:
        raise StateConflict(
            _("A %(status)s stock count cannot do this.")
            % {"status": S(status).label if status in S.values else status},
            details={"status": status, "allowed_from": list(allowed)},
        )


def threshold_for(count: StockCount) -> Decimal:
    if count.approval_threshold is not None:
        return count.approval_threshold
    return Company.current().count_approval_threshold


def moving_average_costs(warehouse_id: int, keys: Iterable[tuple[int, int | None]]):
    """{(sku, batch): value / on hand} of the balances, else the SKU's purchase price."""
    keys = list(keys)
    sku_ids = {k[0] for k in keys}
    prices = dict(Sku.objects.filter(pk__in=sku_ids).values_list("id", "purchase_price"))
    balances = {
        (b.sku_id, b.batch_id): b
        for b in StockBalance.objects.filter(warehouse_id=warehouse_id, sku_id__in=sku_ids)
    }
    out: dict[tuple[int, int | None], Decimal] = {}
    for key in keys:
        b = balances.get(key)
        if b is not None and b.on_hand > 0:
            out[key] = money(b.value / b.on_hand)
        else:
            out[key] = money(prices[key[0]])
    return out


# ---------------------------------------------------------------- draft


@service
def create_stock_count(
    *,
    user,
    warehouse_id: int,
    category_ids: Sequence[int] = (),
    location_ids: Sequence[int] = (),
    blind: bool = False,
    notes: str = "",
    approval_threshold: Decimal | None = None,
    at: datetime.datetime | None = None,
    idempotency_key: str = "",
) -> StockCount:
    """A draft count, keeping the `idempotency_key` of the request that created it (unique per
    user)."""
    warehouse = stock_warehouse(warehouse_id, user)
    store = numbering_store(warehouse)
    if store is None:
        raise ValidationFailed(
            _("A central warehouse needs a head-office store for document numbers."),
            code="no_head_office",
            fields={"warehouse": [_("No head-office store.")]},
        )
    categories = _categories(category_ids)
    locations = _locations(warehouse.id, location_ids)
    count = StockCount.objects.create(
        number=new_number(DOCUMENT_TYPE, store.code, timezone.localdate(moment(at))),
        document_date=timezone.localdate(moment(at)),
        store=store,
        warehouse=warehouse,
        blind=blind,
        notes=notes,
        approval_threshold=approval_threshold,
        created_by=user,
        idempotency_key=idempotency_key,
    )
    stamp_created(count, at)
    count.categories.set(categories)
    count.locations.set(locations)
    return count


@service
def update_stock_count(
    *,
    user,
    count_id: int,
    expected_version: int | None = None,
    category_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
    blind: bool | None = None,
    notes: str | None = None,
    approval_threshold: Decimal | None = None,
    set_threshold: bool = False,
) -> StockCount:
    """Change a draft count (only the given fields); a stale `expected_version` is a 409."""
    count = _count_for(user, count_id)
    _require_status(count, count.status, [S.DRAFT])
    check_version(count, expected_version)
    if category_ids is not None:
        count.categories.set(_categories(category_ids))
    if location_ids is not None:
        count.locations.set(_locations(count.warehouse_id, location_ids))
    if blind is not None:
        count.blind = blind
    if notes is not None:
        count.notes = notes
    if set_threshold:
        count.approval_threshold = approval_threshold
    count.version += 1
    count.save()
    return count


@service
def delete_stock_count(*, user, count_id: int) -> None:
    count = _count_for(user, count_id)
    _require_status(count, count.status, [S.DRAFT])
    count.delete()


@service
def cancel_stock_count(*, user, count_id: int, at: datetime.datetime | None = None) -> StockCount:
    count = _count_for(user, count_id)
    transition(count, allowed_from=_from("cancel"), to=S.CANCELLED, user=user, at=moment(at))
    return count


# ---------------------------------------------------------------- start (snapshot)


@service
def start_stock_count(*, user, count_id: int, at: datetime.datetime | None = None) -> StockCount:
    """draft → counting: snapshot the book quantities now (stamped `at` for a back-dated
    entry), one line per SKU × batch."""
    count = _count_for(user, count_id)
    _require_status(count, count.status, [S.DRAFT])
    categories = list(count.categories.all())
    location_ids = list(count.locations.values_list("id", flat=True))

    balances = StockBalance.objects.filter(warehouse_id=count.warehouse_id).exclude(on_hand=0)
    condition = _category_condition(categories)
    if condition is not None:
        balances = balances.filter(condition)
    if location_ids:
        moved = StockMove.objects.filter(
            warehouse_id=count.warehouse_id, location_id__in=location_ids
        ).values("sku_id")
        balances = balances.filter(sku_id__in=moved)
    last_move = StockMove.objects.filter(balance_id=OuterRef("pk")).order_by("-id").values("id")[:1]
    # One statement: on hand and the last move id come from the same committed state.
    rows = balances.annotate(last_move_id=Subquery(last_move)).values_list(
        "id", "sku_id", "batch_id", "on_hand", "last_move_id"
    )
    snapshot_at = moment(at)
    StockCountLine.objects.bulk_create(
        [
            StockCountLine(
                count=count,
                sku_id=sku_id,
                batch_id=batch_id,
                balance_id=balance_id,
                snapshot_move_id=last_move_id or 0,
                book_quantity=on_hand,
            )
            for balance_id, sku_id, batch_id, on_hand, last_move_id in rows
        ]
    )
    transition(
        count,
        allowed_from=_from("start"),
        to=S.COUNTING,
        user=user,
        extra={"snapshot_at": snapshot_at},
        at=snapshot_at,
    )
    return count


# ---------------------------------------------------------------- counting


@dataclass
class _Resolved:
    index: int
    sku: Sku
    batch_id: int | None
    base_quantity: Decimal
    unit: Unit
    unit_quantity: Decimal
    barcode: str
    location_id: int | None


def _resolve_entries(
    count: StockCount, entries: Sequence[CountEntryInput], lines_by_sku
) -> list[_Resolved]:
    barcodes = {e.barcode.strip() for e in entries if e.barcode}
    barcode_rows = {
        b.code: b for b in Barcode.objects.select_related("unit").filter(code__in=barcodes)
    }
    sku_ids = {e.sku_id for e in entries if e.sku_id} | {b.sku_id for b in barcode_rows.values()}
    codes = {e.sku_code for e in entries if e.sku_code}
    skus = list(
        Sku.objects.select_related("product", "product__base_unit", "product__category").filter(
            Q(pk__in=sku_ids) | Q(code__in=codes)
        )
    )
    by_id = {s.id: s for s in skus}
    by_code = {s.code: s for s in skus}
    unit_ids = {e.unit_id for e in entries if e.unit_id}
    units = Unit.objects.in_bulk(unit_ids)
    location_ids = {e.location_id for e in entries if e.location_id}
    known_locations = set(
        Location.objects.filter(pk__in=location_ids, warehouse_id=count.warehouse_id).values_list(
            "id", flat=True
        )
    )
    count_locations = set(count.locations.values_list("id", flat=True))
    categories = list(count.categories.all())

    resolved: list[_Resolved] = []
    for index, entry in enumerate(entries):
        unit: Unit | None = None
        barcode = ""
        if entry.barcode:
            barcode = entry.barcode.strip()
            row = barcode_rows.get(barcode)
            if row is None:
                raise _entry_error(
                    index,
                    "barcode",
                    _("Unknown barcode %(code)s.") % {"code": barcode},
                    "unknown_barcode",
                    barcode=barcode,
                )
            sku = by_id[row.sku_id]
            unit = row.unit
        elif entry.sku_id:
            found = by_id.get(entry.sku_id)
            if found is None:
                raise _entry_error(index, "sku", _("Unknown SKU."), "unknown_sku")
            sku = found
        elif entry.sku_code:
            found = by_code.get(entry.sku_code)
            if found is None:
                raise _entry_error(
                    index,
                    "sku",
                    _("Unknown SKU %(code)s.") % {"code": entry.sku_code},
                    "unknown_sku",
                )
            sku = found
        else:
            raise _entry_error(index, "sku", _("Give a SKU or a barcode."), "sku_required")
        if entry.unit_id:
            if entry.unit_id not in units:
                raise _entry_error(index, "unit", _("Unknown unit."), "wrong_unit")
            unit = units[entry.unit_id]
        if entry.quantity < 0:
            raise _entry_error(
                index, "quantity", _("A counted quantity cannot be negative."), "negative_quantity"
            )
        try:
            amount = resolve_quantity(sku, unit, entry.quantity, field=f"entries.{index}.quantity")
        except ValidationFailed as error:
            error.details = {**error.details, "entry": index}
            raise
        if entry.location_id:
            if entry.location_id not in known_locations:
                raise _entry_error(
                    index, "location", _("Not a location of this warehouse."), "unknown_location"
                )
            if count_locations and entry.location_id not in count_locations:
                raise _entry_error(
                    index,
                    "location",
                    _("This location is not part of the count."),
                    "location_out_of_count",
                )
        batch_id = _entry_batch(index, entry, sku, lines_by_sku.get(sku.id, []))
        key = (sku.id, batch_id)
        in_snapshot = any(
            (line.sku_id, line.batch_id) == key for line in lines_by_sku.get(sku.id, [])
        )
        if not in_snapshot and categories and not _in_categories(sku, categories):
            raise _entry_error(
                index,
                "sku",
                _("SKU %(sku)s is outside the categories of this count.") % {"sku": sku.code},
                "sku_out_of_count",
                sku=sku.code,
            )
        resolved.append(
            _Resolved(
                index=index,
                sku=sku,
                batch_id=batch_id,
                base_quantity=amount.base_quantity,
                unit=amount.unit,
                unit_quantity=amount.quantity,
                barcode=barcode,
                location_id=entry.location_id,
            )
        )
    return resolved


def _in_categories(sku: Sku, categories: Sequence[Category]) -> bool:
    category = sku.product.category
    if category is None:
        return False
    return any(
        category.id == c.id or (c.path and category.path.startswith(c.path)) for c in categories
    )


def _entry_batch(index: int, entry: CountEntryInput, sku: Sku, lines) -> int | None:
    tracked = sku.product.tracking == Tracking.BATCH
    if not tracked:
        if entry.batch_id or entry.batch_no:
            raise _entry_error(
                index,
                "batch",
                _("SKU %(sku)s is not batch-tracked: remove the batch.") % {"sku": sku.code},
                "batch_not_allowed",
            )
        return None
    if entry.batch_id:
        batch = Batch.objects.filter(pk=entry.batch_id, sku=sku).first()
        if batch is None:
            raise _entry_error(index, "batch", _("Not a batch of this SKU."), "unknown_batch")
        return batch.id
    if entry.batch_no:
        return get_or_create_batch(sku=sku, batch_no=entry.batch_no).id
    batches = {line.batch_id for line in lines}
    if len(batches) == 1:
        return next(iter(batches))
    raise _entry_error(
        index,
        "batch",
        _("SKU %(sku)s is batch-tracked with %(n)s batches in this count: name the batch.")
        % {"sku": sku.code, "n": len(batches)},
        "batch_required",
        sku=sku.code,
        batches=len(batches),
    )


def _new_lines(count: StockCount, keys: set[tuple[int, int | None]]) -> None:
    """Lines for SKU × batch met during counting: book = on hand at the snapshot (the
    balance's quantity after its last move posted up to snapshot_at; 0 without one)."""
    if not keys:
        return
    before = StockMove.objects.filter(
        balance_id=OuterRef("pk"), posted_at__lte=count.snapshot_at
    ).order_by("-id")
    balances = {
        (b.sku_id, b.batch_id): b
        for b in StockBalance.objects.filter(
            warehouse_id=count.warehouse_id, sku_id__in={k[0] for k in keys}
        ).annotate(
            last_move_id=Subquery(before.values("id")[:1]),
            last_quantity=Subquery(before.values("balance_quantity")[:1]),
        )
    }
    lines = []
    for sku_id, batch_id in sorted(keys, key=lambda k: (k[0], k[1] or 0)):
        balance = balances.get((sku_id, batch_id))
        lines.append(
            StockCountLine(
                count=count,
                sku_id=sku_id,
                batch_id=batch_id,
                balance=balance,
                snapshot_move_id=(balance.last_move_id or 0) if balance else 0,  # type: ignore[attr-defined]
                book_quantity=(balance.last_quantity or ZERO) if balance else ZERO,  # type: ignore[attr-defined]
            )
        )
    StockCountLine.objects.bulk_create(lines, ignore_conflicts=True)


def _lock_lines(count: StockCount, keys: set[tuple[int, int | None]]):
    condition = Q()
    for sku_id, batch_id in keys:
        condition |= Q(sku_id=sku_id, batch_id=batch_id)
    return {
        (line.sku_id, line.batch_id): line
        for line in StockCountLine.objects.select_for_update()
        .filter(condition, count=count)
        .order_by("id")
    }


def counted_from_entries(entries: Sequence[StockCountEntry]) -> Decimal | None:
    """The counted quantity of one line from its entries (in id order): the recount entries
    once there are any, else the first count; a replacing entry resets the sum."""
    recount = [e for e in entries if e.is_recount]
    series = recount or [e for e in entries if not e.is_recount]
    if not series:
        return None
    total = ZERO
    for entry in series:
        total = entry.quantity if entry.replaces else total + entry.quantity
    return qty(total)


def _refresh_lines(lines: Sequence[StockCountLine], now) -> None:
    by_line: dict[int, list[StockCountEntry]] = defaultdict(list)
    for entry in StockCountEntry.objects.filter(line__in=lines).order_by("id"):
        by_line[entry.line_id].append(entry)
    for line in lines:
        line.counted_quantity = counted_from_entries(by_line[line.id])
        line.last_counted_at = now
    StockCountLine.objects.bulk_update(lines, ["counted_quantity", "last_counted_at"])


@service
def record_count(
    *,
    user,
    count_id: int,
    entries: Sequence[CountEntryInput],
    recount: bool = False,
    replace: bool = False,
    at: datetime.datetime | None = None,
) -> list[StockCountEntry]:
    """Add counted quantities (a repeated scan adds). `replace=True` sets each line's count to
    the given quantity (manual entry). `recount=True` records recount entries for lines whose
    recount was requested. Several counters may record at once: lines are locked in id order."""
    if not entries:
        raise ValidationFailed(
            _("Give at least one counted quantity."),
            code="no_entries",
            fields={"entries": [_("This list may not be empty.")]},
        )
    count = StockCount.objects.filter(pk=count_id).first()
    if count is None:
        raise NotFound(_("Stock count not found."))
    scope.ensure_warehouses(user, [count.warehouse_id])
    _require_status(count, _share_lock_status(count), [S.COUNTING])

    existing = defaultdict(list)
    for line in StockCountLine.objects.filter(count=count):
        existing[line.sku_id].append(line)
    resolved = _resolve_entries(count, entries, existing)
    keys = {(r.sku.id, r.batch_id) for r in resolved}
    _new_lines(
        count,
        {
            k
            for k in keys
            if not any((ln.sku_id, ln.batch_id) == k for ln in existing.get(k[0], []))
        },
    )
    lines = _lock_lines(count, keys)
    for r in resolved:  # each entry's line with its SKU as read (product, base unit): the answer's
        lines[(r.sku.id, r.batch_id)].sku = r.sku
    if recount:
        for r in resolved:
            if not lines[(r.sku.id, r.batch_id)].recount_requested:
                raise _entry_error(
                    r.index,
                    "sku",
                    _("No recount was requested for SKU %(sku)s.") % {"sku": r.sku.code},
                    "recount_not_requested",
                    sku=r.sku.code,
                )
    now = moment(at)
    created = StockCountEntry.objects.bulk_create(
        [
            StockCountEntry(
                line=lines[(r.sku.id, r.batch_id)],
                quantity=r.base_quantity,
                is_recount=recount,
                replaces=replace,
                unit=r.unit,
                unit_quantity=r.unit_quantity,
                barcode=r.barcode,
                location_id=r.location_id,
                counted_by=user,
            )
            for r in resolved
        ]
    )
    stamp_created(created, at, field="counted_at")
    _refresh_lines(list(lines.values()), now)
    return created


@service
def set_line_count(
    *,
    user,
    count_id: int,
    line_id: int,
    quantity: Decimal,
    recount: bool = False,
    at: datetime.datetime | None = None,
) -> StockCountLine:
    """Manual entry: set a line's counted quantity (base unit), replacing earlier entries."""
    line = (
        StockCountLine.objects.select_related("sku").filter(pk=line_id, count_id=count_id).first()
    )
    if line is None:
        raise NotFound(_("Stock count line not found."), fields={"line": [_("Unknown line.")]})
    record_count(
        user=user,
        count_id=count_id,
        entries=[CountEntryInput(quantity=quantity, sku_id=line.sku_id, batch_id=line.batch_id)],
        recount=recount,
        replace=True,
        at=at,
    )
    line.refresh_from_db()
    return line


@service
def request_recount(*, user, count_id: int, line_ids: Sequence[int]) -> list[StockCountLine]:
    """复盘: mark lines for a recount; recount entries will replace their first count."""
    line_ids = sorted(set(line_ids))
    if not line_ids:
        raise ValidationFailed(
            _("Choose the lines to recount."),
            code="no_lines",
            fields={"lines": [_("This list may not be empty.")]},
        )
    count = _count_for(user, count_id)
    _require_status(count, count.status, [S.COUNTING])
    lines = list(
        StockCountLine.objects.select_for_update()
        .filter(count=count, pk__in=line_ids)
        .order_by("id")
    )
    if len(lines) != len(line_ids):
        missing = sorted(set(line_ids) - {line.id for line in lines})
        raise ValidationFailed(
            _("Lines %(lines)s are not lines of this count.")
            % {"lines": ", ".join(f"#{pk}" for pk in missing)},
            code="unknown_line",
            fields={"lines": [_("Unknown line.")]},
            details={"line_ids": missing},
        )
    StockCountLine.objects.filter(pk__in=line_ids).update(recount_requested=True)
    for line in lines:
        line.recount_requested = True
    return lines


# ---------------------------------------------------------------- submit, approve, post


@service
def submit_stock_count(
    *, user, count_id: int, uncounted_as_zero: bool = False, at: datetime.datetime | None = None
) -> StockCount:
    """counting → submitted: compute expected quantities, differences and their values."""
    count = _count_for(user, count_id)
    _require_status(count, count.status, [S.COUNTING])
    now = moment(at)
    lines = list(StockCountLine.objects.select_for_update().filter(count=count).order_by("id"))
    if not any(line.counted_quantity is not None for line in lines) and not uncounted_as_zero:
        raise ValidationFailed(
            _("Nothing has been counted yet."),
            code="nothing_counted",
        )
    # Lines created during counting may have no balance yet; link the ones that exist now.
    balances = {
        (b.sku_id, b.batch_id): b.id
        for b in StockBalance.objects.filter(
            warehouse_id=count.warehouse_id, sku_id__in={line.sku_id for line in lines}
        )
    }
    for line in lines:
        if line.counted_quantity is None and uncounted_as_zero:
            line.counted_quantity = ZERO
            line.last_counted_at = now
        if line.balance_id is None:
            line.balance_id = balances.get((line.sku_id, line.batch_id))
    StockCountLine.objects.bulk_update(lines, ["counted_quantity", "last_counted_at", "balance"])

    after = (
        StockMove.objects.filter(
            balance_id=OuterRef("balance_id"),
            id__gt=OuterRef("snapshot_move_id"),
            posted_at__lte=OuterRef("last_counted_at"),
        )
        .exclude(posting__document_type=DOCUMENT_TYPE, posting__document_id=count.id)
        .order_by()
        .values("balance_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    moved = dict(
        StockCountLine.objects.filter(count=count)
        .annotate(
            moved=Coalesce(
                Subquery(after, output_field=DecimalField(**qty_field_kwargs())),
                Value(ZERO),
                output_field=DecimalField(**qty_field_kwargs()),
            )
        )
        .values_list("id", "moved")
    )
    costs = moving_average_costs(count.warehouse_id, {(ln.sku_id, ln.batch_id) for ln in lines})
    threshold = threshold_for(count)
    needs_approval = False
    for line in lines:
        line.unit_cost = costs[(line.sku_id, line.batch_id)]
        if line.counted_quantity is None:
            line.moves_after_snapshot = ZERO
            line.difference = None
            line.difference_value = None
            continue
        line.moves_after_snapshot = qty(moved.get(line.id) or ZERO)
        expected = line.book_quantity + line.moves_after_snapshot
        line.difference = qty(line.counted_quantity - expected)
        line.difference_value = money(line.difference * line.unit_cost)
        if abs(line.difference_value) > threshold:
            needs_approval = True
    StockCountLine.objects.bulk_update(
        lines, ["moves_after_snapshot", "difference", "unit_cost", "difference_value"]
    )
    transition(
        count,
        allowed_from=_from("submit"),
        to=S.SUBMITTED,
        user=user,
        extra={"needs_approval": needs_approval, "uncounted_as_zero": uncounted_as_zero},
        at=now,
    )
    return count


@service
def approve_stock_count(*, user, count_id: int, at: datetime.datetime | None = None) -> StockCount:
    count = _count_for(user, count_id)
    _require_status(count, count.status, _from("approve"))
    if not count.needs_approval:
        raise StateConflict(
            _("This stock count has no variance above the threshold; post it directly."),
            code="approval_not_required",
        )
    lifecycle.approve(count, user, denied=_("You may not approve stock counts."), at=at)
    return count


@service
def post_stock_count(*, user, count_id: int, at: datetime.datetime | None = None) -> StockCount:
    """Post gains (count_gain) and losses (count_loss) for every non-zero difference
    (back-dated to `at` when given)."""
    count = _count_for(user, count_id)
    if count.status == S.SUBMITTED and count.needs_approval:
        raise StateConflict(
            _(
                "Stock count %(number)s has variances above the threshold and must be approved "
                "before posting."
            )
            % {"number": count.number},
            code="approval_required",
        )
    _require_status(count, count.status, _from("post"))
    every_line = list(StockCountLine.objects.filter(count=count).order_by("id"))
    differences: dict[int, Decimal] = {ln.id: ln.difference for ln in every_line if ln.difference}
    lines = [line for line in every_line if line.id in differences]
    if any(differences[line.id] < 0 for line in lines):
        # A count records what is there: it posts even where it finds less than is reserved;
        # those reservations are cut back, the newest first (docs/ledger.md, Reservations).
        lost: dict[tuple[int, int, int | None], Decimal] = defaultdict(Decimal)
        for line in lines:
            lost[(count.warehouse_id, line.sku_id, line.batch_id)] -= differences[line.id]
        shorten_reservations(balances={key: max(q, ZERO) for key, q in lost.items()})
    if lines:
        # Gains come in at the moving-average cost as it is now; losses go out at it anyway.
        costs = moving_average_costs(count.warehouse_id, {(ln.sku_id, ln.batch_id) for ln in lines})
        posting = post_moves(
            key=f"{DOCUMENT_TYPE}:{count.id}:post",
            document_type=DOCUMENT_TYPE,
            document_id=count.id,
            document_number=count.number,
            event="post",
            user=user,
            moves=[
                MoveRequest(
                    warehouse_id=count.warehouse_id,
                    sku_id=line.sku_id,
                    batch_id=line.batch_id,
                    quantity=differences[line.id],
                    move_type=(
                        MoveType.COUNT_GAIN if differences[line.id] > 0 else MoveType.COUNT_LOSS
                    ),
                    unit_cost=(
                        costs[(line.sku_id, line.batch_id)] if differences[line.id] > 0 else None
                    ),
                    line_id=line.id,
                    allow_expired=True,
                )
                for line in lines
            ],
            posted_at=at,
        )
        # The sheet shows what was posted: value and unit cost of the moves.
        values: dict[int | None, Decimal] = defaultdict(Decimal)
        for move in posting.created_moves:
            values[move.line_id] += move.value
        for line in lines:
            line.difference_value = money(values[line.id])
            line.unit_cost = money(abs(line.difference_value / differences[line.id]))
        StockCountLine.objects.bulk_update(lines, ["difference_value", "unit_cost"])
    transition(count, allowed_from=_from("post"), to=S.POSTED, user=user, at=moment(at))
    return count


@service
def reverse_stock_count(
    *, user, count_id: int, notes: str = "", at: datetime.datetime | None = None
) -> StockCount:
    """红冲: a linked reversing count (posted, negated differences) posts the exact opposite
    moves; the original becomes reversed."""
    count = _count_for(user, count_id)
    header = begin_reversal(count, kind=DOCUMENT_TYPE, user=user, notes=notes, at=at)
    reversal = StockCount.objects.create(
        store=count.store,
        warehouse=count.warehouse,
        blind=False,
        snapshot_at=count.snapshot_at,
        **header,
    )
    stamp_created(reversal, at)
    originals = list(StockCountLine.objects.filter(count=count).order_by("id"))
    StockCountLine.objects.bulk_create(
        [
            StockCountLine(
                count=reversal,
                sku_id=line.sku_id,
                batch_id=line.batch_id,
                balance_id=line.balance_id,
                snapshot_move_id=line.snapshot_move_id,
                book_quantity=line.book_quantity,
                counted_quantity=line.counted_quantity,
                last_counted_at=line.last_counted_at,
                moves_after_snapshot=line.moves_after_snapshot,
                difference=-line.difference if line.difference is not None else None,
                unit_cost=line.unit_cost,
                difference_value=(
                    -line.difference_value if line.difference_value is not None else None
                ),
            )
            for line in originals
        ]
    )
    original_posting = Posting.objects.filter(key=f"{DOCUMENT_TYPE}:{count.id}:post").first()
    if original_posting is not None:
        post_reversal(
            key=f"{DOCUMENT_TYPE}:{count.id}:reverse",
            postings=[original_posting],
            reversal=reversal,
            document_type=DOCUMENT_TYPE,
            user=user,
            at=at,
        )
    return reversal
