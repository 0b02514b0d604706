"""Month-end stock snapshots: the service that writes `SnapshotPeriod` / `StockSnapshot`.

A snapshot holds, per balance (warehouse × SKU × batch), the sum of its moves posted before the
instant `at`, the first midnight of a month in the company's time zone, and the sums of those
moves per kind of flow of the stock summary (`reports.kinds`: cumulative flows since the
ledger's start). The stock summary reads the opening of a period as the latest snapshot at or
before its start plus the moves between the two, instead of probing the ledger once per
balance, and the flows between two snapshots as their difference.

Exact at all times:

* `build_snapshots` (management command `build_stock_snapshots`, Celery task
  `storeledger.reports.build_stock_snapshots`, run daily) adds the missing month starts, each
  from the one before plus the month's moves (the first from every move before it), one
  transaction per month. It builds only instants at least `MARGIN` in the past: a posting
  stamped "now" (or back-dated by less than MARGIN / 2) is committed long before a snapshot
  after its time is built.
* A back-dated posting (`post_moves(posted_at=…)`, permission `inventory.post_backdated`) is
  added to every snapshot after its time, in its own transaction (`apply_backdated_posting`,
  connected to the ledger's `moves_posted` signal). On PostgreSQL the builder holds an
  EXCLUSIVE lock on the snapshot table for its month and the posting a ROW EXCLUSIVE lock
  before it reads the periods, so the two never miss each other: either the builder's read
  sees the committed posting, or the posting's update sees the builder's committed rows.

The ledger itself never changes history: a posting cannot be dated before the latest move of a
balance it changes, so only balances whose stock did not move since stay exact by adding."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from storeledger.core.quantities import ZERO
from storeledger.inventory.models import StockMove
from storeledger.org.models import Company
from storeledger.reports.kinds import KIND_COLUMNS, KINDS_BY_KEY, kind_of, kind_sql
from storeledger.reports.models import SnapshotPeriod, StockSnapshot

# Only instants at least this far in the past are snapshotted (see the module's docstring).
MARGIN = datetime.timedelta(days=1)
_CHUNK = 500  # balances per upsert statement


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(Company.current().time_zone)


def _next_month_start(after: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The first midnight of a month in `zone` strictly after `after`."""
    local = after.astimezone(zone)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime.datetime(year, month, 1, tzinfo=zone)


def _lock(mode: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_table(StockSnapshot)} IN {mode} MODE")


def build_snapshots(*, until: datetime.datetime | None = None) -> list[SnapshotPeriod]:
    """Add the snapshots at every month start after the latest one (or after the first move)
    up to `until` (default: now), never later than now − MARGIN. Returns the periods added."""
    limit = timezone.now() - MARGIN
    if until is not None:
        limit = min(limit, until)
    zone = _zone()
    added = []
    while True:
        period = _build_next(limit, zone)
        if period is None:
            return added
        added.append(period)


@transaction.atomic
def _build_next(limit: datetime.datetime, zone: zoneinfo.ZoneInfo) -> SnapshotPeriod | None:
    """One month's snapshot in a transaction of its own, or None when there is none to add."""
    _lock("EXCLUSIVE")
    previous = SnapshotPeriod.objects.order_by("-at").first()
    if previous is not None:
        after = previous.at
    else:
        first = StockMove.objects.order_by("posted_at").values_list("posted_at", flat=True)
        after = first.first()
        if after is None:
            return None
    at = _next_month_start(after, zone)
    if at > limit:
        return None
    period = SnapshotPeriod.objects.create(at=at)
    snapshot, move = _table(StockSnapshot), _table(StockMove)
    adapt = connection.ops.adapt_datetimefield_value
    # Each source row: (balance_id, quantity, value, cumulative quantity and value per kind).
    columns = ["balance_id", "quantity", "value", *KIND_COLUMNS]
    expressions = ["m.balance_id", "m.quantity", "m.value", *kind_sql("m")]
    from_moves = ", ".join(f"{e} AS {c}" for e, c in zip(expressions, columns, strict=True))
    if previous is None:
        source = f"SELECT {from_moves} FROM {move} m WHERE m.posted_at < %s"
        params: list = [adapt(at)]
    else:
        source = f"""
            SELECT {", ".join(columns)} FROM {snapshot} WHERE period_id = %s
            UNION ALL
            SELECT {from_moves} FROM {move} m
            WHERE m.posted_at >= %s AND m.posted_at < %s"""
        params = [previous.id, adapt(previous.at), adapt(at)]
    sums = [f"SUM(x.{c})" for c in columns[1:]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {snapshot} (period_id, {", ".join(columns)})
            SELECT %s, x.balance_id, {", ".join(sums)}
            FROM ({source}) x
            GROUP BY x.balance_id
            HAVING {" OR ".join(f"{total} <> 0" for total in sums)}
            """,
            [period.id, *params],
        )
    return period


def apply_backdated_posting(*, posting, moves: Sequence[StockMove]) -> None:
    """Add a back-dated posting's moves to every snapshot after its time (inside the posting's
    transaction): the quantity and value, and the cumulative flows of each move's kind. A
    constant number of statements per 500 balances whatever the periods."""
    width = 2 + len(KIND_COLUMNS)
    position = {column: 2 + i for i, column in enumerate(KIND_COLUMNS)}
    deltas: dict[int, list[Decimal]] = {}
    for move in moves:
        delta = deltas.setdefault(move.balance_id, [ZERO] * width)
        kind = KINDS_BY_KEY[kind_of(move.move_type, move.quantity)]
        for index in (0, position[kind.quantity_column]):
            delta[index] += move.quantity
        for index in (1, position[kind.value_column]):
            delta[index] += move.value
    if not deltas:
        return
    _lock("ROW EXCLUSIVE")
    at = connection.ops.adapt_datetimefield_value(posting.posted_at)
    if not SnapshotPeriod.objects.filter(at__gt=posting.posted_at).exists():
        return
    snapshot, period = _table(StockSnapshot), _table(SnapshotPeriod)
    columns = ["quantity", "value", *KIND_COLUMNS]
    row = "SELECT %s AS balance_id, " + ", ".join(f"%s AS {c}" for c in columns)
    updates = ", ".join(f"{c} = {snapshot}.{c} + excluded.{c}" for c in columns)
    items = sorted(deltas.items())  # a fixed order: concurrent postings lock rows alike
    with connection.cursor() as cursor:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            rows = " UNION ALL ".join([row] * len(chunk))
            params = [p for balance_id, figures in chunk for p in (balance_id, *figures)]
            cursor.execute(
                f"""
                INSERT INTO {snapshot} (period_id, balance_id, {", ".join(columns)})
                SELECT p.id, d.balance_id, {", ".join(f"d.{c}" for c in columns)}
                FROM {period} p CROSS JOIN ({rows}) d
                WHERE p.at > %s
                ON CONFLICT (period_id, balance_id) DO UPDATE SET {updates}
                """,
                [*params, at],
            )


def on_moves_posted(sender, *, posting, moves, backdated: bool, **kwargs) -> None:
    """Receiver of `inventory.signals.moves_posted`. Only a posting dated well before now can
    land before a snapshot: a snapshot's instant is at least MARGIN before its build, so one
    dated less than MARGIN / 2 ago (every posting at the current time) would need its
    transaction to stay open for half a day to be missed by a build. Those cost nothing."""
    if backdated and posting.posted_at < timezone.now() - MARGIN / 2:
        apply_backdated_posting(posting=posting, moves=moves)
