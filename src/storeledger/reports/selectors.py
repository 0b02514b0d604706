"""Read queries of the reports: the stock summary (进销存汇总表) and the stock status (库存现状).

Every function takes the acting `user` and keeps only the warehouses in the user's data scope
(through `inventory.selectors`' scoped querysets). Each is a constant number of set-based
queries whatever the size of the ledger: grouping and sums run in the database.

Stock summary, how it stays exact and fast: the opening of a period is read from the latest
month-end snapshot at or before its start (reports/snapshots.py: per balance, the sum of its
moves before the snapshot's instant, kept exact under back-dated postings) plus the moves
between the snapshot and the start; the period's flows are the moves between the two times,
read through the (posted_at) index and summed per balance and kind; the closing is opening +
in − out. Without a snapshot the opening comes from the ledger alone: a balance's moves
follow each other in time, so the `balance_quantity` / `balance_value` of its last move before
the start is its stock then, found through the index (balance, posted_at, id)."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from storeledger.accounts import scope
from storeledger.catalog.models import Brand, Category, Product, Sku, Unit
from storeledger.core.quantities import MONEY_PLACES, MONEY_QUANT, QTY_PLACES, QTY_QUANT, ZERO
from storeledger.inventory import blind
from storeledger.inventory.models import MoveType, StockBalance, StockMove
from storeledger.inventory.selectors import category_q, sku_search_q
from storeledger.inventory.services.transfers import DOCUMENT_TYPE as TRANSFER_DOCUMENT
from storeledger.inventory.services.transfers import transfers_in_transit
from storeledger.org.models import Warehouse, WarehouseKind
from storeledger.purchasing.models import SupplierItem
from storeledger.purchasing.selectors import on_order
from storeledger.reports.kinds import (  # noqa: F401 (re-exported)
    FLOW_KINDS,
    IN,
    IN_KINDS,
    KIND_COLUMNS,
    OUT,
    OUT_KINDS,
    FlowKind,
    kind_of,
    kind_sql,
)
from storeledger.reports.models import SnapshotPeriod, StockSnapshot

# ------------------------------------------------------------------ kinds of flow

# The kinds live in reports.kinds (the snapshots carry them too); imported from here too.

# ------------------------------------------------------------------ groupings

GROUP_SKU = "sku"
GROUP_WAREHOUSE_SKU = "warehouse_sku"
GROUP_WAREHOUSE = "warehouse"
GROUP_CATEGORY = "category"
GROUP_BRAND = "brand"
SUMMARY_GROUPINGS = (GROUP_SKU, GROUP_WAREHOUSE_SKU, GROUP_WAREHOUSE, GROUP_CATEGORY, GROUP_BRAND)

# Per grouping: the integer keys summed by (columns of the balances in scope `b`), the
# master-data columns of a row, their joins and the order of the rows.
_GROUP_KEYS = {
    GROUP_SKU: ["sku_id"],
    GROUP_WAREHOUSE_SKU: ["warehouse_id", "sku_id"],
    GROUP_WAREHOUSE: ["warehouse_id"],
    GROUP_CATEGORY: ["category_id"],
    GROUP_BRAND: ["brand_id"],
}
# Keys that are not columns of the balance itself.
_KEY_SOURCES = {
    "category_id": F("sku__product__category_id"),
    "brand_id": F("sku__product__brand_id"),
}
_WH = ["w.id AS warehouse_id", "w.code AS warehouse_code", "w.name AS warehouse_name"]
_SKU = [
    "s.id AS sku_id",
    "s.code AS sku_code",
    "s.name AS sku_name",
    "u.name AS unit_name",
    "u.precision AS unit_precision",
]
_GROUP_COLUMNS = {
    GROUP_SKU: _SKU,
    GROUP_WAREHOUSE_SKU: _WH + _SKU,
    GROUP_WAREHOUSE: _WH,
    GROUP_CATEGORY: ["c.id AS category_id", "c.code AS category_code", "c.name AS category_name"],
    GROUP_BRAND: ["br.id AS brand_id", "br.code AS brand_code", "br.name AS brand_name"],
}
_GROUP_ORDER = {
    GROUP_SKU: "r.sku_code, r.sku_id",
    GROUP_WAREHOUSE_SKU: "r.warehouse_code, r.warehouse_id, r.sku_code, r.sku_id",
    GROUP_WAREHOUSE: "r.warehouse_code, r.warehouse_id",
    GROUP_CATEGORY: "r.category_code, r.category_id",
    GROUP_BRAND: "r.brand_code, r.brand_id",
}


@dataclass(frozen=True)
class Period:
    """[start, end) in aware datetimes: the first and the day after the last day, at midnight
    in the current time zone."""

    date_from: datetime.date
    date_to: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return _midnight(self.date_from)

    @property
    def end(self) -> datetime.datetime:
        return _midnight(self.date_to + datetime.timedelta(days=1))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


@dataclass(frozen=True)
class StockFilters:
    warehouse_id: int | None = None
    store_id: int | None = None
    category_id: int | None = None
    brand_id: int | None = None
    sku_id: int | None = None
    supplier_id: int | None = None
    search: str = ""


@dataclass(frozen=True)
class ReportPage:
    """One page of a report's rows, with the number of rows and the totals of them all."""

    count: int
    rows: list[dict]
    totals: dict


def _wide(group_by: str, filters: StockFilters) -> bool:
    """Whether the groups are a chain's every warehouse × SKU (100,000 at chain size)."""
    return (
        group_by == GROUP_WAREHOUSE_SKU and filters.warehouse_id is None and filters.sku_id is None
    )


def _narrowed(user, filters: StockFilters) -> bool:
    """Whether the balances in scope may be a small part of the chain's (a filter or the user's
    data scope keeps some): then reading only theirs beats reading every balance's."""
    return filters != StockFilters() or not scope.is_unrestricted(user)


def _run(sql: str, params: list, *, wide: bool = False) -> tuple[list[str], list]:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner cannot foresee the sizes through the CTEs and would JIT-compile a
            # query that runs in a fraction of the compile time.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            if wide:
                # It would also join 100,000 groups (or balances) to their warehouses and SKUs
                # (or snapshot rows) in nested loops it expects to be short: a third of the
                # time of the query. (For fewer its nested loops are the faster plan: one
                # warehouse 0.11 against 0.15 s.)
                cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def _supplied_by(supplier_id: int) -> QuerySet:
    """The SKUs in a supplier's catalogue (its active supplier items): the goods 'of' a
    supplier in the stock reports."""
    return SupplierItem.objects.filter(supplier_id=supplier_id, active=True).values("sku_id")


def scoped_balances(user, filters: StockFilters) -> QuerySet:
    """The balances the user may see that the filters keep. In-transit warehouses are left out
    unless one is asked for by id (their stock is shown by the in-transit report)."""
    rows = blind.filter_book(StockBalance.objects.all(), user)
    if filters.warehouse_id is not None:
        rows = rows.filter(warehouse_id=filters.warehouse_id)
    else:
        rows = rows.exclude(warehouse__kind=WarehouseKind.TRANSIT)
    if filters.store_id is not None:
        rows = rows.filter(warehouse__store_id=filters.store_id)
    if filters.sku_id is not None:
        rows = rows.filter(sku_id=filters.sku_id)
    if filters.category_id is not None:
        rows = rows.filter(category_q(filters.category_id))
    if filters.brand_id is not None:
        rows = rows.filter(sku__product__brand_id=filters.brand_id)
    if filters.supplier_id is not None:
        rows = rows.filter(sku_id__in=_supplied_by(filters.supplier_id))
    if filters.search.strip():
        rows = rows.filter(sku_search_q(filters.search))
    return rows


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_DIRECTIONS = {kind.key: kind.direction for kind in FLOW_KINDS}
# (move type, 1 if inbound else 0) -> kind, the same as `kind_of`.
_KIND_OF = {
    (str(move_type), inbound): kind.key
    for kind in reversed(FLOW_KINDS)
    for move_type in kind.move_types
    for inbound in (0, 1)
    if kind.sign == 0 or (kind.sign > 0) == bool(inbound)
}
# The figures of a row of the summary's aggregation, after its group columns: the opening
# quantity and value, then per kind its quantity and value in the ledger's sign (KIND_COLUMNS).
_FIGURES = ("oq", "ov", *KIND_COLUMNS)


# The sums of the figures. Most are 0 for most balances (a balance has a few kinds of flow):
# leaving the zeros out of each sum saves a sixth of the query (NULL when all are: read as 0).
_SUMS = tuple(f"SUM(x.{f}) FILTER (WHERE x.{f} <> 0) AS {f}" for f in _FIGURES)


def _snapshot_part(period_id: int, opening: bool, flows: int, narrow: bool) -> tuple[str, list]:
    """A part of the UNION `x`: a snapshot's rows, their quantity and value as opening (or 0)
    and their cumulative flows times `flows` (1, -1 or 0); with `narrow`, only the rows of the
    balances in scope `b` (looked up through the (period, balance) index when few)."""
    figures = ["s.quantity", "s.value"] if opening else ["0", "0"]
    sign = {1: "", -1: "-"}
    figures += [f"{sign[flows]}s.{c}" if flows else "0" for c in KIND_COLUMNS]
    sql = (
        f"SELECT s.balance_id, {', '.join(figures)} FROM {_table(StockSnapshot)} s "
        "WHERE s.period_id = %s"
    )
    if narrow:
        sql += " AND s.balance_id IN (SELECT b.id FROM b)"
    return sql, [period_id]


def _moves_part(
    move: str,
    start: datetime.datetime,
    end: datetime.datetime,
    opening: bool,
    flows: int,
    narrow: str = "",
    narrow_params: list | None = None,
) -> tuple[str, list]:
    """A part of the UNION `x`: the moves of [start, end), their quantity and value as opening
    (or 0) and each in its kind's columns times `flows` (1, -1 or 0)."""
    figures = ["m.quantity", "m.value"] if opening else ["0", "0"]
    figures += kind_sql("m", flows) if flows else ["0"] * len(KIND_COLUMNS)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT m.balance_id, {', '.join(figures)} FROM {move} m "
        f"WHERE m.posted_at >= %s AND m.posted_at < %s{narrow}"
    )
    return sql, [adapt(start), adapt(end), *(narrow_params or [])]


# What reading one snapshot row costs, in moves read through the (posted_at) index (a snapshot
# row is wide: 28 figures). Only chooses between two exact ways of reading the same figures.
SNAPSHOT_ROW_COST = 2.0


@dataclass(frozen=True)
class _Sizes:
    moves_per_second: float  # the ledger's average density of moves over its history
    snapshot_rows: float  # rows of one snapshot


def _sizes() -> _Sizes | None:
    """The planner's statistics of the ledger and the snapshots (PostgreSQL), None when unknown
    (SQLite, never analysed): to choose the cheaper of two exact ways of reading flows."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples FROM pg_class c WHERE c.oid IN (%s::regclass, "
            "%s::regclass)",
            [StockMove._meta.db_table, StockSnapshot._meta.db_table],
        )
        tuples = dict(cursor.fetchall())
    moves = tuples.get(StockMove._meta.db_table, -1)
    rows = tuples.get(StockSnapshot._meta.db_table, -1)
    first = StockMove.objects.order_by("posted_at").values_list("posted_at", flat=True).first()
    periods = SnapshotPeriod.objects.count()
    if moves <= 0 or rows <= 0 or first is None or not periods:
        return None
    span = max((timezone.now() - first).total_seconds(), 1.0)
    return _Sizes(moves / span, rows / periods)


def _cheaper_through_snapshots(
    extra_snapshots: int, through_moves: datetime.timedelta, direct_moves: datetime.timedelta
) -> bool:
    """Whether reading `extra_snapshots` more snapshots and the moves of `through_moves` costs
    less than reading the moves of `direct_moves` (by the ledger's average density; by time
    alone when the sizes are not known)."""
    sizes = _sizes()
    if sizes is None:
        return through_moves < direct_moves
    through = (
        extra_snapshots * sizes.snapshot_rows * SNAPSHOT_ROW_COST
        + through_moves.total_seconds() * sizes.moves_per_second
    )
    return through < direct_moves.total_seconds() * sizes.moves_per_second


def _summary_parts(
    move: str,
    period: Period,
    use_snapshots: bool,
    narrow: str,
    narrow_params: list,
    snapshot_flows: bool | None = None,
) -> tuple[str, list, list[tuple[str, list]]]:
    """The parts of the UNION `x` of (balance_id, opening quantity, opening value, flows per
    kind…) rows whose sums per group are the summary, with an extra CTE and its parameters.

    The opening: the latest month-end snapshot at or before the start plus the moves between
    its instant and the start (none on a month's first day) — one indexed read of the snapshot
    and a range of the (posted_at) index, whatever the history.

    The flows: with a later snapshot at or before the end, the cumulative flows of that
    snapshot minus those of the opening's (snapshot and moves up to the start) plus the moves
    between it and the end — two indexed reads of snapshots whatever the length of the period;
    a run of whole months reads no move at all. Otherwise the moves of the period.

    Without a snapshot before the start (no month is over yet, or the snapshots were never
    built), the opening comes from the ledger itself: on PostgreSQL a LATERAL probe per balance
    of `b` of the covering index (balance, posted_at, id) INCLUDE (balance_quantity,
    balance_value); elsewhere the id of that move by a correlated subquery on the same index."""
    start, end = period.start, period.end
    first = last = None
    if use_snapshots:
        periods = SnapshotPeriod.objects.filter(at__lte=end).order_by("-at")
        first = periods.filter(at__lte=start).first()
        last = periods.first() if first is not None else None
    if first is not None:
        # The flows as a difference of snapshots (else the moves of the period), when cheaper.
        through = last is not None and last.at > start
        if through and snapshot_flows is None:
            through = _cheaper_through_snapshots(1, end - last.at, end - start)
        elif snapshot_flows is False:
            through = False
        parts = [_snapshot_part(first.id, True, -1 if through else 0, bool(narrow))]
        if first.at != start:
            parts.append(_moves_part(move, first.at, start, True, -1 if through else 0))
        if through:
            parts.append(_snapshot_part(last.id, False, 1, bool(narrow)))
            if last.at != end:
                parts.append(_moves_part(move, last.at, end, False, 1, narrow, narrow_params))
        else:
            parts.append(_moves_part(move, start, end, False, 1, narrow, narrow_params))
        return "", [], parts
    if connection.vendor == "postgresql":
        cte = f"""
            opening AS (
                SELECT b.id AS balance_id, o.q, o.v FROM b CROSS JOIN LATERAL (
                    SELECT m.balance_quantity AS q, m.balance_value AS v FROM {move} m
                    WHERE m.balance_id = b.id AND m.posted_at < %s
                    ORDER BY m.posted_at DESC, m.id DESC LIMIT 1
                ) o
            ),"""
    else:
        cte = f"""
            opening AS (
                SELECT m.balance_id, m.balance_quantity AS q, m.balance_value AS v
                FROM {move} m WHERE m.id IN (
                    SELECT (
                        SELECT m2.id FROM {move} m2
                        WHERE m2.balance_id = b.id AND m2.posted_at < %s
                        ORDER BY m2.posted_at DESC, m2.id DESC LIMIT 1
                    ) FROM b
                )
            ),"""
    zeros = ", ".join(["0"] * len(KIND_COLUMNS))
    parts = [
        (f"SELECT balance_id, q, v, {zeros} FROM opening", []),
        _moves_part(move, start, end, False, 1, narrow, narrow_params),
    ]
    return cte, [connection.ops.adapt_datetimefield_value(start)], parts


def _summary_sql(
    user,
    period: Period,
    filters: StockFilters,
    group_by: str,
    use_snapshots: bool,
    snapshot_flows: bool | None,
) -> tuple[str, str, list]:
    """The summary's groups as the CTE `r` (group columns, then the figures `_FIGURES`), the
    groups without opening and flows left out; and the FROM and ORDER BY clauses over `r`. The
    caller puts its SELECT list between."""
    if group_by not in SUMMARY_GROUPINGS:
        raise ValueError(f"group_by must be one of {SUMMARY_GROUPINGS}")
    keys = _GROUP_KEYS[group_by]
    balances_sql, balance_params = (
        scoped_balances(user, filters)
        .values(
            "id",
            *(key for key in keys if key not in _KEY_SOURCES),
            **{key: _KEY_SOURCES[key] for key in keys if key in _KEY_SOURCES},
        )
        .query.sql_with_params()
    )
    move = _table(StockMove)
    narrow, narrow_params = "", []
    if filters.warehouse_id is not None:
        narrow, narrow_params = narrow + " AND m.warehouse_id = %s", [filters.warehouse_id]
    if filters.sku_id is not None:
        narrow, narrow_params = narrow + " AND m.sku_id = %s", [*narrow_params, filters.sku_id]
    if not narrow and _narrowed(user, filters):  # a store, a category, the user's scope…
        narrow = " AND m.balance_id IN (SELECT b.id FROM b)"
    extra_cte, extra_params, parts = _summary_parts(
        move, period, use_snapshots, narrow, narrow_params, snapshot_flows
    )
    joins = {
        "sku_id": f"""JOIN {_table(Sku)} s ON s.id = g.sku_id
            JOIN {_table(Product)} p ON p.id = s.product_id
            JOIN {_table(Unit)} u ON u.id = p.base_unit_id""",
        "warehouse_id": f"JOIN {_table(Warehouse)} w ON w.id = g.warehouse_id",
        "category_id": f"LEFT JOIN {_table(Category)} c ON c.id = g.category_id",
        "brand_id": f"LEFT JOIN {_table(Brand)} br ON br.id = g.brand_id",
    }
    union = " UNION ALL ".join(sql for sql, _params in parts)
    group = ", ".join(f"b.{k}" for k in keys)
    # a group is kept when one of its figures is not 0 at the ledger's places (as `_rows`)
    kept = " OR ".join(
        f"ROUND(COALESCE(g.{f}, 0), {QTY_PLACES if i % 2 == 0 else MONEY_PLACES}) <> 0"
        for i, f in enumerate(_FIGURES)
    )
    head = f"""
        WITH b AS ({balances_sql}),{extra_cte}
        x (balance_id, {", ".join(_FIGURES)}) AS ({union}),
        g AS (
            SELECT {group}, {", ".join(_SUMS)}
            FROM x JOIN b ON b.id = x.balance_id
            GROUP BY {group}
        ),
        r AS (
            SELECT {", ".join(_GROUP_COLUMNS[group_by])}, {", ".join(f"g.{f}" for f in _FIGURES)}
            FROM g {" ".join(joins[key] for key in keys)}
            WHERE {kept}
        )
    """
    params = [*balance_params, *extra_params, *(p for _sql, ps in parts for p in ps)]
    return head, f" FROM r ORDER BY {_GROUP_ORDER[group_by]}", params


def _without_gc(build, *args):
    """Many small dicts at once: the cyclic GC would scan them again and again (2-3× slower)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build(*args)
    finally:
        if enabled:
            gc.enable()


def stock_summary(
    *,
    user,
    period: Period,
    filters: StockFilters = StockFilters(),  # noqa: B008 (frozen dataclass)
    group_by: str = GROUP_SKU,
    use_snapshots: bool = True,
    snapshot_flows: bool | None = None,
) -> list[dict]:
    """进销存汇总表: per group (SKU, warehouse × SKU, warehouse, category or brand) the opening
    quantity and value at the period's start, each kind of inflow and outflow during the
    period (outflows as positive figures), and the closing = opening + in − out.

    One SQL statement, one aggregation: the openings and flows of the balances in scope (see
    `_summary_parts`), one column per figure, summed per group (integer keys carried by the
    balances in scope), then joined to the grouping's master data: one row per group. Groups
    without stock at the start and without flows in the period are left out.
    `use_snapshots=False` reads everything from the ledger alone, `snapshot_flows=False` the
    flows from the moves of the period and `True` from the snapshots (by default, whichever
    reads less); tests and the benchmark compare them. Every row: the exports; a page is
    `stock_summary_page`."""
    head, tail, params = _summary_sql(
        user, period, filters, group_by, use_snapshots, snapshot_flows
    )
    names, records = _run(f"{head} SELECT r.*{tail}", params, wide=_wide(group_by, filters))
    return _without_gc(_rows, names[: -len(_FIGURES)], records)


def stock_summary_page(
    *,
    user,
    period: Period,
    offset: int,
    limit: int,
    filters: StockFilters = StockFilters(),  # noqa: B008 (frozen dataclass)
    group_by: str = GROUP_SKU,
) -> ReportPage:
    """One page of `stock_summary` (the rows from `offset`, at most `limit`), with the number of
    rows and the totals of them all (`summary_totals`): the database sorts, counts and sums
    every group, only the page's rows come out of it (one statement, whatever the rows)."""
    head, tail, params = _summary_sql(user, period, filters, group_by, True, None)
    window = ", ".join(
        ["COUNT(*) OVER () AS total_rows", *(f"SUM(r.{f}) OVER () AS total_{f}" for f in _FIGURES)]
    )
    names, records = _run(
        f"{head} SELECT r.*, {window}{tail} LIMIT %s OFFSET %s",
        [*params, limit, offset],
        wide=_wide(group_by, filters),
    )
    width = len(names) - 1 - len(_FIGURES)  # the group columns and figures of a row
    group_width = width - len(_FIGURES)
    totals = summary_totals([])
    count = 0
    if records:
        count = int(records[0][width])
        # the totals are a row of their own: the sums of every group's figures
        totals = (_rows([], [records[0][width + 1 :]]) or [totals])[0]
    rows = _rows(names[:group_width], [r[:width] for r in records])
    return ReportPage(count=count, rows=rows, totals=totals)


def _dec(value, places: Decimal) -> Decimal:
    """The ledger's decimals (SQLite sums them as floats or ints); -0 made 0."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        value = value.quantize(places)
    return abs(value) if value.is_zero() else value


# Per kind: its position among the figures and the sign that shows it (outflows positive).
_KIND_FIGURES = tuple(
    (kind.key, kind.direction, 2 + 2 * i, 1 if kind.direction == IN else -1)
    for i, kind in enumerate(FLOW_KINDS)
)


def _rows(names: list[str], records: list) -> list[dict]:
    """Rows of (group columns…, opening quantity and value, quantity and value per kind), one
    per group, into one dict per group with the figures of every kind (outflows as positive
    figures), in/out totals and the closing. Groups without opening and flows are left out."""
    width = len(names)
    kept = []
    for record in records:
        figures = record[width:]
        row = dict(zip(names, record[:width], strict=True))
        opening_q, opening_v = _dec(figures[0], QTY_QUANT), _dec(figures[1], MONEY_QUANT)
        flows = {}
        totals = {IN: [ZERO, ZERO], OUT: [ZERO, ZERO]}
        moved = False
        for key, direction, index, sign in _KIND_FIGURES:
            q = _dec(figures[index], QTY_QUANT)
            v = _dec(figures[index + 1], MONEY_QUANT)
            if sign < 0:
                q, v = _dec(-q, QTY_QUANT), _dec(-v, MONEY_QUANT)
            moved = moved or bool(q) or bool(v)
            flows[key] = {"quantity": q, "value": v}
            totals[direction][0] += q
            totals[direction][1] += v
        if not moved and not opening_q and not opening_v:
            continue
        row["opening_quantity"], row["opening_value"] = opening_q, opening_v
        row["flows"] = flows
        row["in_quantity"], row["in_value"] = totals[IN]
        row["out_quantity"], row["out_value"] = totals[OUT]
        row["closing_quantity"] = opening_q + totals[IN][0] - totals[OUT][0]
        row["closing_value"] = opening_v + totals[IN][1] - totals[OUT][1]
        kept.append(row)
    return kept


def summary_totals(rows: Iterable[dict]) -> dict:
    """The totals line of a summary (quantities in mixed units summed as numbers)."""
    total: dict = {
        "opening_quantity": ZERO,
        "opening_value": ZERO,
        "in_quantity": ZERO,
        "in_value": ZERO,
        "out_quantity": ZERO,
        "out_value": ZERO,
        "closing_quantity": ZERO,
        "closing_value": ZERO,
        "flows": {k.key: {"quantity": ZERO, "value": ZERO} for k in FLOW_KINDS},
    }
    for row in rows:
        for key in (
            "opening_quantity",
            "opening_value",
            "in_quantity",
            "in_value",
            "out_quantity",
            "out_value",
            "closing_quantity",
            "closing_value",
        ):
            total[key] += row[key]
        for kind, figures in row["flows"].items():
            total["flows"][kind]["quantity"] += figures["quantity"]
            total["flows"][kind]["value"] += figures["value"]
    return total


# ------------------------------------------------------------------ stock status

# The outflows that measure demand (days of cover, slow-moving stock): what leaves for use,
# not count losses, scrap or corrections.
DEMAND_MOVE_TYPES = (MoveType.SALE, MoveType.STOCK_OUT, MoveType.TRANSFER_OUT)
COVER_DAYS = 30
GROUP_STATUS = (GROUP_WAREHOUSE_SKU, GROUP_SKU)
ONLY_CHOICES = ("below_safety_stock", "above_max_stock", "no_outflow")
AGEING_BUCKETS = (30, 60, 90, 180, 365)  # upper bounds in days; the last bucket is older


def _status_keys(group_by: str) -> tuple[str, ...]:
    return ("warehouse_id", "sku_id") if group_by == GROUP_WAREHOUSE_SKU else ("sku_id",)


# The kinds of the snapshots' cumulative flows that are the demand (DEMAND_MOVE_TYPES).
_DEMAND_COLUMNS = tuple(
    kind.quantity_column
    for kind in FLOW_KINDS
    if kind.sign == 0 and set(kind.move_types) <= set(DEMAND_MOVE_TYPES)
)
_TICK = datetime.timedelta(microseconds=1)  # the ledger's time resolution


def _window_terms(
    now: datetime.datetime, cuts: tuple[datetime.datetime, ...], force: bool | None = None
) -> tuple[dict[int, list[int]], list[tuple[datetime.datetime, datetime.datetime, list[int]]]]:
    """Each flow of (cut, now] is cum(now) − cum(cut), cum(t) the moves before t. A cum(t) is
    read as the nearest snapshot's cumulative flows (reports/snapshots.py), plus the moves
    between it and t (or minus those between t and it, for a snapshot after t). Returns the
    coefficients per snapshot and per interval of time of the moves, one per cut, or ({}, [])
    when there is no snapshot or (unless `force`) reading the moves of the window is cheaper."""
    end = now + _TICK  # the moves at `now` are in the window
    instants = list(
        SnapshotPeriod.objects.filter(at__lte=end).order_by("at").values_list("id", "at")
    )
    if not instants:
        return {}, []
    snapshots: dict[int, list[int]] = {}
    weights: list[tuple[datetime.datetime, list[int]]] = []  # a step function of time

    def add(t: datetime.datetime, coefficients: list[int]) -> None:
        anchor_id, anchor = min(instants, key=lambda p: abs(p[1] - t))
        totals = snapshots.setdefault(anchor_id, [0] * len(cuts))
        for i, c in enumerate(coefficients):
            totals[i] += c
        if t > anchor:
            weights.extend([(anchor, coefficients), (t, [-c for c in coefficients])])
        elif t < anchor:
            weights.extend([(t, [-c for c in coefficients]), (anchor, coefficients)])

    add(end, [1] * len(cuts))
    for index, cut in enumerate(cuts):
        add(cut, [-1 if i == index else 0 for i in range(len(cuts))])
    intervals = []
    level = [0] * len(cuts)
    times = sorted({t for t, _c in weights})
    for left, right in zip(times, times[1:], strict=False):
        for t, coefficients in weights:
            if t == left:
                level = [a + b for a, b in zip(level, coefficients, strict=True)]
        if any(level):
            intervals.append((left, right, list(level)))
    read = sum((right - left for left, right, _c in intervals), datetime.timedelta())
    snapshots = {k: v for k, v in snapshots.items() if any(v)}
    if force is None and not _cheaper_through_snapshots(len(snapshots), read, end - min(cuts)):
        return {}, []
    return snapshots, intervals


def _flows_since(
    name: str,
    now: datetime.datetime,
    cuts: tuple[datetime.datetime, ...],
    columns: tuple[str, ...],
    condition: str,
    use_snapshots: bool | None,
    narrow: bool,
) -> tuple[str, list]:
    """Two CTEs ending in `name` (the columns of `b`, f0, f1, …): per balance of `b`, the quantity of
    its moves matching `condition` (SQL over the move `m`) posted after each cut up to `now`,
    in the ledger's sign. Through the snapshots' cumulative `columns` (the same moves' kinds)
    where that reads fewer moves (`_window_terms`), else from the moves of the window (the
    (posted_at) index); `use_snapshots` False or True forces one way (tests, benchmark).

    Each cut's figure is a combination, with the coefficients of `_window_terms`, of parts:
    each snapshot's cumulative figure, joined to the balance (a snapshot has one row per
    balance), and each range of moves' sum per balance. The moves are only those of `b`'s
    balances when `narrow`; otherwise every balance's (cheaper when `b` holds most of them)."""
    snapshot_terms, intervals = (
        _window_terms(now, cuts, use_snapshots) if use_snapshots is not False else ({}, [])
    )
    if not snapshot_terms and not intervals:  # the moves of the window, between the cuts
        times = sorted({*cuts, now + _TICK})
        intervals = [
            (left, right, [1 if left >= cut else 0 for cut in cuts])
            for left, right in zip(times, times[1:], strict=False)
        ]
    adapt = connection.ops.adapt_datetimefield_value
    move, snapshot = _table(StockMove), _table(StockSnapshot)
    only_b = " AND m.balance_id IN (SELECT b.id FROM b)" if narrow else ""
    terms: list[list[str]] = [[] for _cut in cuts]  # per cut, its signed parts
    joins, join_params = [], []
    for n, (period_id, weights) in enumerate(snapshot_terms.items()):
        total = " + ".join(f"s{n}.{c}" for c in columns)
        joins.append(f"LEFT JOIN {snapshot} s{n} ON s{n}.period_id = %s AND s{n}.balance_id = b.id")
        join_params.append(period_id)
        for i, weight in enumerate(weights):
            if weight:
                terms[i].append(f"{weight} * COALESCE({total}, 0)")
    moves, move_params = [], []
    for n, (left, right, weights) in enumerate(intervals):
        moves.append(
            f"SELECT m.balance_id, {n} AS part, m.quantity FROM {move} m "
            f"WHERE m.posted_at >= %s AND m.posted_at < %s AND ({condition}){only_b}"
        )
        move_params += [adapt(left), adapt(right)]
        for i, weight in enumerate(weights):
            if weight:
                terms[i].append(f"{weight} * COALESCE(mv.a{n}, 0)")
    figures = ", ".join(f"{' + '.join(parts) or '0'} AS f{i}" for i, parts in enumerate(terms))
    sums = ", ".join(
        f"SUM(x.quantity) FILTER (WHERE x.part = {n}) AS a{n}" for n in range(len(moves))
    )
    moves_cte, moves_join = "", ""
    if moves:
        moves_cte = f"""
        {name}_moves AS (
            SELECT x.balance_id, {sums} FROM ({" UNION ALL ".join(moves)}) x
            GROUP BY x.balance_id
        ),"""
        moves_join = f"LEFT JOIN {name}_moves mv ON mv.balance_id = b.id"
    sql = f"""{moves_cte}
        {name} AS (
            SELECT b.*, {figures} FROM b {moves_join} {" ".join(joins)}
        )"""
    return sql, [*move_params, *join_params]


def _demand(
    now: datetime.datetime, no_outflow_days: int, use_snapshots: bool | None, narrow: bool
) -> tuple[str, list]:
    """The CTE `demand` (the balances of `b`, f0, f1): minus each one's demand of the last
    COVER_DAYS and of the last `no_outflow_days` (`_flows_since`: three snapshots and the
    moves of at most about a month and a half, or the window's moves)."""
    cuts = (
        now - datetime.timedelta(days=COVER_DAYS),
        now - datetime.timedelta(days=no_outflow_days),
    )
    demand_types = ", ".join(f"'{t}'" for t in DEMAND_MOVE_TYPES)
    return _flows_since(
        "demand",
        now,
        cuts,
        _DEMAND_COLUMNS,
        f"m.move_type IN ({demand_types})",
        use_snapshots,
        narrow,
    )


def _in_transit_to(user, filters: StockFilters, keys: tuple[str, ...]) -> dict[tuple, Decimal]:
    """Per key: the quantity shipped to the warehouse (or SKU) and not yet received."""
    destinations = dict(transfers_in_transit(user).values_list("id", "to_warehouse_id"))
    if not destinations:
        return {}
    moves = StockMove.objects.filter(
        warehouse__kind=WarehouseKind.TRANSIT,
        posting__document_type=TRANSFER_DOCUMENT,
        posting__document_id__in=list(destinations),
    )
    if filters.sku_id is not None:
        moves = moves.filter(sku_id=filters.sku_id)
    if filters.category_id is not None:
        moves = moves.filter(category_q(filters.category_id))
    if filters.brand_id is not None:
        moves = moves.filter(sku__product__brand_id=filters.brand_id)
    if filters.supplier_id is not None:
        moves = moves.filter(sku_id__in=_supplied_by(filters.supplier_id))
    allowed_warehouses = None
    if filters.warehouse_id is not None or filters.store_id is not None:
        warehouses = Warehouse.objects.all()
        if filters.warehouse_id is not None:
            warehouses = warehouses.filter(pk=filters.warehouse_id)
        if filters.store_id is not None:
            warehouses = warehouses.filter(store_id=filters.store_id)
        allowed_warehouses = set(warehouses.values_list("id", flat=True))
    totals: dict[tuple, Decimal] = {}
    for row in moves.values("posting__document_id", "sku_id").annotate(q=Sum("quantity")):
        warehouse_id = destinations[row["posting__document_id"]]
        if allowed_warehouses is not None and warehouse_id not in allowed_warehouses:
            continue
        key = (warehouse_id, row["sku_id"]) if "warehouse_id" in keys else (row["sku_id"],)
        totals[key] = totals.get(key, ZERO) + row["q"]
    return totals


def _on_order_for(user, filters: StockFilters, keys: tuple[str, ...]) -> dict[tuple, Decimal]:
    """Per key: what open purchase orders still expect for the balances in scope."""
    balances = scoped_balances(user, filters)
    expected = on_order(
        warehouse_ids=balances.values("warehouse_id"), sku_ids=balances.values("sku_id")
    )
    totals: dict[tuple, Decimal] = {}
    for (warehouse_id, sku_id), quantity in expected.items():
        key = (warehouse_id, sku_id) if "warehouse_id" in keys else (sku_id,)
        totals[key] = totals.get(key, ZERO) + quantity
    return totals


_FLAGS = ONLY_CHOICES  # the status flags, 0/1 columns of the status query


def _status_sql(
    user,
    filters: StockFilters,
    group_by: str,
    only: str | None,
    no_outflow_days: int,
    now: datetime.datetime,
    use_snapshots: bool | None,
) -> tuple[str, str, list]:
    """The status rows as the CTE `r`, one row per group with its master data, on hand,
    reserved, value, demand sums (`cover`, `idle`: minus the demand) and flags; and the FROM,
    WHERE (`only`) and ORDER BY clauses over `r`. The caller puts its SELECT list between."""
    if group_by not in GROUP_STATUS:
        raise ValueError(f"group_by must be one of {GROUP_STATUS}")
    keys = _status_keys(group_by)
    balances_sql, balance_params = (
        scoped_balances(user, filters)
        .values("id", *keys, "on_hand", "reserved", "value")
        .query.sql_with_params()
    )
    demand_sql, demand_params = _demand(
        now, no_outflow_days, use_snapshots, narrow=_narrowed(user, filters)
    )
    group = ", ".join(f"b.{k}" for k in keys)
    warehouse = (
        (
            "g.warehouse_id, w.code AS warehouse_code, w.name AS warehouse_name,",
            f"JOIN {_table(Warehouse)} w ON w.id = g.warehouse_id",
        )
        if "warehouse_id" in keys
        else ("", "")
    )
    places = QTY_PLACES
    sql = f"""
        WITH b AS ({balances_sql}),{demand_sql},
        g AS (
            SELECT {group}, SUM(b.on_hand) AS on_hand, SUM(b.reserved) AS reserved,
                SUM(b.value) AS value, SUM(b.f0) AS cover, SUM(b.f1) AS idle
            FROM demand b GROUP BY {group}
        ),
        r AS (
            SELECT {warehouse[0]} g.sku_id, s.code AS sku_code, s.name AS sku_name,
                u.name AS unit_name, u.precision AS unit_precision,
                s.safety_stock, s.max_stock, c.name AS category_name, br.name AS brand_name,
                g.on_hand, g.reserved, g.value, g.cover, g.idle,
                CASE WHEN ROUND(g.on_hand, {places}) < ROUND(s.safety_stock, {places})
                    THEN 1 ELSE 0 END AS below_safety_stock,
                CASE WHEN ROUND(g.on_hand, {places}) > ROUND(s.max_stock, {places})
                    THEN 1 ELSE 0 END AS above_max_stock,
                CASE WHEN ROUND(g.on_hand, {places}) > 0
                    AND ROUND(g.idle, {places}) >= 0
                    THEN 1 ELSE 0 END AS no_outflow
            FROM g {warehouse[1]}
            JOIN {_table(Sku)} s ON s.id = g.sku_id
            JOIN {_table(Product)} p ON p.id = s.product_id
            JOIN {_table(Unit)} u ON u.id = p.base_unit_id
            LEFT JOIN {_table(Category)} c ON c.id = p.category_id
            LEFT JOIN {_table(Brand)} br ON br.id = p.brand_id
        )
    """
    tail = " FROM r"
    if only is not None:
        if only not in _FLAGS:
            raise ValueError(f"only must be one of {_FLAGS}")
        tail += f" WHERE r.{only} = 1"
    order = "r.warehouse_code, r.warehouse_id, " if "warehouse_id" in keys else ""
    tail += f" ORDER BY {order}r.sku_code, r.sku_id"
    return sql, tail, [*balance_params, *demand_params]


_STATUS_QTY = ("on_hand", "reserved", "safety_stock")


def _status_rows(
    names: list[str], records: list, transit: dict, ordered: dict, keys: tuple[str, ...]
) -> list[dict]:
    rows = []
    for record in records:
        row = dict(zip(names, record, strict=False))
        for name in _STATUS_QTY:
            row[name] = _dec(row[name], QTY_QUANT)
        if row["max_stock"] is not None:
            row["max_stock"] = _dec(row["max_stock"], QTY_QUANT)
        row["value"] = _dec(row["value"], MONEY_QUANT)
        key = tuple(row[k] for k in keys)
        cover_demand = _dec(-(row.pop("cover") or 0), QTY_QUANT)
        row.pop("idle")
        row["available"] = row["on_hand"] - row["reserved"]
        row["in_transit"] = transit.get(key, ZERO)
        row["on_order"] = ordered.get(key, ZERO)
        row["demand_30d"] = cover_demand
        row["days_of_cover"] = (
            (row["available"] * COVER_DAYS / cover_demand).quantize(Decimal("0.1"))
            if cover_demand > 0
            else None
        )
        for flag in _FLAGS:
            row[flag] = bool(row[flag])
        rows.append(row)
    return rows


def stock_status(
    *,
    user,
    filters: StockFilters = StockFilters(),  # noqa: B008 (frozen dataclass)
    group_by: str = GROUP_WAREHOUSE_SKU,
    only: str | None = None,
    no_outflow_days: int = 90,
    now: datetime.datetime | None = None,
    use_snapshots: bool | None = None,
) -> list[dict]:
    """库存现状: per warehouse × SKU (or per SKU) on hand, reserved, available, in transit
    towards it, on order (open purchase orders), value, the demand of the last 30 days and the
    days of cover it gives (available ÷ daily demand; None without demand), and flags: below
    safety stock, above max stock, no outflow in `no_outflow_days` (slow-moving / dead stock,
    with stock on hand). `only` keeps the rows with one flag. A few queries whatever the size;
    the demand through the month-end snapshots when that reads less (`_demand`;
    `use_snapshots=False`: the moves of the window only, `True`: the snapshots whenever there
    are; for the tests and the benchmark). Every row: the exports; a page is
    `stock_status_page`."""
    keys = _status_keys(group_by)
    head, tail, params = _status_sql(
        user, filters, group_by, only, no_outflow_days, now or timezone.now(), use_snapshots
    )
    names, records = _run(f"{head} SELECT r.*{tail}", params, wide=not _narrowed(user, filters))
    transit = _in_transit_to(user, filters, keys)
    ordered = _on_order_for(user, filters, keys)
    return _status_rows(names, records, transit, ordered, keys)


def stock_status_page(
    *,
    user,
    offset: int,
    limit: int,
    filters: StockFilters = StockFilters(),  # noqa: B008 (frozen dataclass)
    group_by: str = GROUP_WAREHOUSE_SKU,
    only: str | None = None,
    no_outflow_days: int = 90,
    now: datetime.datetime | None = None,
    use_snapshots: bool | None = None,
) -> ReportPage:
    """One page of `stock_status` (the rows from `offset`, at most `limit`), with the number of
    rows, their total value and how many carry each flag: the database sorts, counts and sums
    every row, only the page's rows come out of it (one statement, whatever the rows)."""
    keys = _status_keys(group_by)
    head, tail, params = _status_sql(
        user, filters, group_by, only, no_outflow_days, now or timezone.now(), use_snapshots
    )
    window = ", ".join(
        [
            "COUNT(*) OVER () AS total_rows",
            "SUM(r.value) OVER () AS total_value",
            *(f"SUM(r.{flag}) OVER () AS total_{flag}" for flag in _FLAGS),
        ]
    )
    names, records = _run(
        f"{head} SELECT r.*, {window}{tail} LIMIT %s OFFSET %s",
        [*params, limit, offset],
        wide=not _narrowed(user, filters),
    )
    width = len(names) - 2 - len(_FLAGS)
    totals = {"value": ZERO, "rows": 0, **dict.fromkeys(_FLAGS, 0)}
    if records:
        first = records[0][width:]
        totals = {
            "value": _dec(first[1], MONEY_QUANT),
            "rows": int(first[0]),
            **{flag: int(first[2 + i]) for i, flag in enumerate(_FLAGS)},
        }
    transit = _in_transit_to(user, filters, keys) if records else {}
    ordered = _on_order_for(user, filters, keys) if records else {}
    rows = _status_rows(names[:width], [r[:width] for r in records], transit, ordered, keys)
    return ReportPage(count=totals["rows"], rows=rows, totals=totals)


def stock_value_by(*, user, filters: StockFilters = StockFilters(), dimension: str) -> list[dict]:  # noqa: B008
    """On hand and value per category (of the product, uncategorised as null) or warehouse."""
    field = {"category": "sku__product__category", "warehouse": "warehouse"}[dimension]
    rows = (
        scoped_balances(user, filters)
        .values(key=F(f"{field}_id"), code=F(f"{field}__code"), name=F(f"{field}__name"))
        .annotate(on_hand=Sum("on_hand"), value=Sum("value"))
        .order_by("-value", "code")
    )
    return list(rows)


# What ages stock: the summary's inflows (receipts, transfers in, returns, gains, stock-ins),
# a reversal (红冲) of one taking its quantity back; and the snapshots' columns of the same.
_RECEIPT_COLUMNS = tuple(kind.quantity_column for kind in FLOW_KINDS if kind.direction == IN)
_RECEIPT_CONDITION = " OR ".join(
    f"({kind.sql_condition('m')})" for kind in FLOW_KINDS if kind.direction == IN
)
_AGES = len(AGEING_BUCKETS) + 1  # the buckets, the last one older than AGEING_BUCKETS[-1] days


def _greatest(*terms: str) -> str:
    return f"{'GREATEST' if connection.vendor == 'postgresql' else 'MAX'}({', '.join(terms)})"


def _least(*terms: str) -> str:
    return f"{'LEAST' if connection.vendor == 'postgresql' else 'MIN'}({', '.join(terms)})"


def _ageing_sql(
    user,
    filters: StockFilters,
    group_by: str,
    today: datetime.date,
    now: datetime.datetime,
    use_snapshots: bool | None,
) -> tuple[str, str, list]:
    """The ageing rows as the CTE `r`: per group its master data, on hand, value, and per bucket
    i its quantity `q<i>` and value `v<i>`; and the FROM and ORDER BY clauses over `r`.

    Per balance with stock: `y` holds what it received since each bucket's first day (the
    company's midnight AGEING_BUCKETS[i] days ago, `_flows_since`). The newest receipts
    cover the stock, so the buckets up to the i-th hold h<i> = the largest min(on hand,
    received since) of the buckets up to it, the rest is older. Values: the buckets up to the
    i-th are worth ROUND(value × h<i> ÷ on hand), so a balance's buckets add up to its value."""
    if group_by not in GROUP_STATUS:
        raise ValueError(f"group_by must be one of {GROUP_STATUS}")
    keys = _status_keys(group_by)
    balances_sql, balance_params = (
        scoped_balances(user, filters)
        .filter(on_hand__gt=0)
        .values("id", "warehouse_id", "sku_id", "on_hand", "value")
        .query.sql_with_params()
    )
    starts = tuple(_midnight(today - datetime.timedelta(days=days)) for days in AGEING_BUCKETS)
    received_sql, received_params = _flows_since(
        "y",
        now,
        starts,
        _RECEIPT_COLUMNS,
        _RECEIPT_CONDITION,
        use_snapshots,
        narrow=_narrowed(user, filters),
    )
    last = len(starts) - 1
    held = ", ".join(
        _greatest("0", *(_least("y.on_hand", f"y.f{j}") for j in range(i + 1))) + f" AS h{i}"
        for i in range(len(starts))
    )
    group = ", ".join(f"h.{k}" for k in keys)
    cumulative = ", ".join(
        f"SUM(h.h{i}) AS h{i}, "
        f"SUM(ROUND(h.value * 1.0 * h.h{i} / h.on_hand, {MONEY_PLACES})) AS k{i}"
        for i in range(len(starts))
    )
    # each bucket: what the buckets up to it hold less what the newer ones do
    figures = ", ".join(
        [
            "g.h0 AS q0, g.k0 AS v0",
            *(
                f"g.h{i} - g.h{i - 1} AS q{i}, g.k{i} - g.k{i - 1} AS v{i}"
                for i in range(1, last + 1)
            ),
            f"g.on_hand - g.h{last} AS q{last + 1}, g.value - g.k{last} AS v{last + 1}",
        ]
    )
    warehouse = (
        (
            "w.id AS warehouse_id, w.code AS warehouse_code, w.name AS warehouse_name,",
            f"JOIN {_table(Warehouse)} w ON w.id = g.warehouse_id",
        )
        if "warehouse_id" in keys
        else ("", "")
    )
    # computed once per balance (inlined, each bucket's sums would compute them again)
    once = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    head = f"""
        WITH b AS ({balances_sql}),{received_sql},
        h AS {once}(SELECT y.*, {held} FROM y),
        g AS (SELECT {group}, SUM(h.on_hand) AS on_hand, SUM(h.value) AS value, {cumulative}
            FROM h GROUP BY {group}),
        r AS (
            SELECT {warehouse[0]} s.id AS sku_id, s.code AS sku_code, s.name AS sku_name,
                u.name AS unit_name, u.precision AS unit_precision, g.on_hand, g.value,
                {figures}
            FROM g {warehouse[1]}
            JOIN {_table(Sku)} s ON s.id = g.sku_id
            JOIN {_table(Product)} p ON p.id = s.product_id
            JOIN {_table(Unit)} u ON u.id = p.base_unit_id
        )
    """
    order = "r.warehouse_code, r.warehouse_id, " if "warehouse_id" in keys else ""
    tail = f" FROM r ORDER BY {order}r.sku_code, r.sku_id"
    return head, tail, [*balance_params, *received_params]


def _ageing_buckets(figures) -> list[dict]:
    """(q0, v0, q1, v1, …) into the buckets' quantity and value."""
    return [
        {
            "quantity": _dec(figures[2 * i], QTY_QUANT),
            "value": _dec(figures[2 * i + 1], MONEY_QUANT),
        }
        for i in range(_AGES)
    ]


def _ageing_rows(names: list[str], records: list) -> list[dict]:
    width = len(names) - 2 * _AGES
    rows = []
    for record in records:
        row = dict(zip(names[:width], record[:width], strict=True))
        row["on_hand"] = _dec(row["on_hand"], QTY_QUANT)
        row["value"] = _dec(row["value"], MONEY_QUANT)
        row["buckets"] = _ageing_buckets(record[width:])
        rows.append(row)
    return rows


def stock_ageing(
    *,
    user,
    filters: StockFilters = StockFilters(),  # noqa: B008
    group_by: str = GROUP_WAREHOUSE_SKU,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    use_snapshots: bool | None = None,
) -> list[dict]:
    """Ageing by days since receipt: the stock on hand of each balance is taken to be its
    latest inflows (first in, first out), each layer aged from its move's day in the company's
    time zone, and summed into AGEING_BUCKETS per warehouse × SKU (or SKU), quantity and value
    (`_ageing_sql`). One statement; what each balance received since each bucket's first day
    through the month-end snapshots where that reads fewer moves. Every row: the exports; a
    page is `stock_ageing_page`."""
    head, tail, params = _ageing_sql(
        user,
        filters,
        group_by,
        today or timezone.localdate(),
        now or timezone.now(),
        use_snapshots,
    )
    names, records = _run(f"{head} SELECT r.*{tail}", params, wide=not _narrowed(user, filters))
    return _ageing_rows(names, records)


def stock_ageing_page(
    *,
    user,
    offset: int,
    limit: int,
    filters: StockFilters = StockFilters(),  # noqa: B008
    group_by: str = GROUP_WAREHOUSE_SKU,
) -> ReportPage:
    """One page of `stock_ageing` with the number of rows and the totals of them all (on hand,
    value and each bucket's quantity and value), sorted, counted and summed in the database."""
    head, tail, params = _ageing_sql(
        user, filters, group_by, timezone.localdate(), timezone.now(), None
    )
    figures = ["on_hand", "value", *(f"{f}{i}" for i in range(_AGES) for f in ("q", "v"))]
    window = ", ".join(
        ["COUNT(*) OVER () AS total_rows", *(f"SUM(r.{f}) OVER () AS total_{f}" for f in figures)]
    )
    names, records = _run(
        f"{head} SELECT r.*, {window}{tail} LIMIT %s OFFSET %s",
        [*params, limit, offset],
        wide=not _narrowed(user, filters),
    )
    width = len(names) - 1 - len(figures)
    totals = {"on_hand": ZERO, "value": ZERO, "buckets": _ageing_buckets([None] * 2 * _AGES)}
    count = 0
    if records:
        count = int(records[0][width])
        sums = records[0][width + 1 :]
        totals = {
            "on_hand": _dec(sums[0], QTY_QUANT),
            "value": _dec(sums[1], MONEY_QUANT),
            "buckets": _ageing_buckets(sums[2:]),
        }
    rows = _ageing_rows(names[:width], [r[:width] for r in records])
    return ReportPage(count=count, rows=rows, totals=totals)


# ------------------------------------------------------------------ turnover

# What a period's turnover counts as consumed: sales and other stock-outs (issues for use). Not
# transfers (stock moving inside the chain), scrap, count losses or corrections.
TURNOVER_KINDS = ("sale", "other_out")
TURNOVER_GROUPINGS = (GROUP_SKU, GROUP_WAREHOUSE, GROUP_CATEGORY, GROUP_BRAND)
_RATE = Decimal("0.01")
_DAYS = Decimal("0.1")


def _turnover_figures(consumed: Decimal, opening: Decimal, closing: Decimal, days: int):
    """(average stock, turnover = consumed ÷ average, days of inventory = days ÷ turnover);
    None where a figure has no meaning (no stock on average, nothing consumed)."""
    average = (opening + closing) / 2
    if average <= 0:
        return average, None, None
    turnover = (consumed / average).quantize(_RATE)
    cover = (average * days / consumed).quantize(_DAYS) if consumed > 0 else None
    return average, turnover, cover


def turnover(
    *,
    user,
    period: Period,
    filters: StockFilters = StockFilters(),  # noqa: B008 (frozen dataclass)
    group_by: str = GROUP_SKU,
) -> list[dict]:
    """库存周转率: per SKU (warehouse, category or brand) over a period, what was consumed
    (TURNOVER_KINDS, at moving-average cost) against the average stock ((opening + closing) ÷
    2): turnover = consumed ÷ average stock, days of inventory = the period's days ÷ turnover,
    by quantity and by value. Read from the stock summary (the same snapshots, the same
    figures), so it equals the ledger as the summary does. Slowest first (lowest turnover)."""
    if group_by not in TURNOVER_GROUPINGS:
        raise ValueError(f"group_by must be one of {TURNOVER_GROUPINGS}")
    days = (period.date_to - period.date_from).days + 1
    rows = stock_summary(user=user, period=period, filters=filters, group_by=group_by)
    for row in rows:
        flows = row.pop("flows")
        row["consumed_quantity"] = sum((flows[k]["quantity"] for k in TURNOVER_KINDS), ZERO)
        row["consumed_value"] = sum((flows[k]["value"] for k in TURNOVER_KINDS), ZERO)
        (row["average_quantity"], row["turnover"], row["days_of_inventory"]) = _turnover_figures(
            row["consumed_quantity"], row["opening_quantity"], row["closing_quantity"], days
        )
        (row["average_value"], row["turnover_by_value"], row["days_of_inventory_by_value"]) = (
            _turnover_figures(
                row["consumed_value"], row["opening_value"], row["closing_value"], days
            )
        )
        row["average_value"] = row["average_value"].quantize(MONEY_QUANT)
        row["average_quantity"] = row["average_quantity"].quantize(QTY_QUANT)
    rows.sort(key=lambda r: (r["turnover"] is None, r["turnover"] or ZERO))
    return rows


def turnover_totals(rows: list[dict], period: Period) -> dict:
    """The totals line: the sums, and the turnover of them all together."""
    days = (period.date_to - period.date_from).days + 1
    total = {
        key: sum((row[key] for row in rows), ZERO)
        for key in (
            "opening_quantity",
            "opening_value",
            "closing_quantity",
            "closing_value",
            "consumed_quantity",
            "consumed_value",
        )
    }
    (total["average_quantity"], total["turnover"], total["days_of_inventory"]) = _turnover_figures(
        total["consumed_quantity"], total["opening_quantity"], total["closing_quantity"], days
    )
    (total["average_value"], total["turnover_by_value"], total["days_of_inventory_by_value"]) = (
        _turnover_figures(
            total["consumed_value"], total["opening_value"], total["closing_value"], days
        )
    )
    return total
