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
from django.db.models import F, Q, QuerySet, Sum, Window
from django.utils import timezone

from storeledger.catalog.models import Brand, Category, Product, Sku, Unit
from storeledger.core.quantities import MONEY_QUANT, QTY_QUANT, ZERO
from storeledger.inventory import blind
from storeledger.inventory.models import MoveType, StockBalance, StockMove
from storeledger.inventory.selectors import category_q, sku_search_q
from storeledger.inventory.services.transfers import DOCUMENT_TYPE as TRANSFER_DOCUMENT
from storeledger.inventory.services.transfers import transfers_in_transit
from storeledger.org.models import Warehouse, WarehouseKind
from storeledger.reports.models import SnapshotPeriod, StockSnapshot

# ------------------------------------------------------------------ kinds of flow

IN, OUT = "in", "out"


@dataclass(frozen=True)
class FlowKind:
    """A column of the summary: the move types it sums. `sign` splits a move type that can go
    either way (an adjustment, a transfer discrepancy) by the sign of the quantity."""

    key: str
    direction: str
    move_types: tuple[str, ...]
    sign: int = 0  # 0: every move of these types; 1: only inbound ones; -1: only outbound ones


# The kinds of 进销存: a move type always lands in the same column, whatever its sign, so a
# reversal (红冲) shows as a negative figure in the column of what it reverses. Kinds whose
# module is not built yet (sales, purchasing) read 0 until their move types appear.
FLOW_KINDS: tuple[FlowKind, ...] = (
    FlowKind("purchase_receipt", IN, (MoveType.PURCHASE_RECEIPT,)),
    FlowKind("transfer_in", IN, (MoveType.TRANSFER_IN,)),
    FlowKind("sales_return", IN, (MoveType.SALES_RETURN,)),
    FlowKind("count_gain", IN, (MoveType.COUNT_GAIN,)),
    FlowKind("other_in", IN, (MoveType.STOCK_IN,)),
    FlowKind("adjustment_in", IN, (MoveType.ADJUSTMENT, MoveType.TRANSFER_LOSS), sign=1),
    FlowKind("sale", OUT, (MoveType.SALE,)),
    FlowKind("transfer_out", OUT, (MoveType.TRANSFER_OUT,)),
    FlowKind("purchase_return", OUT, (MoveType.PURCHASE_RETURN,)),
    FlowKind("count_loss", OUT, (MoveType.COUNT_LOSS,)),
    FlowKind("scrap", OUT, (MoveType.SCRAP,)),
    FlowKind("other_out", OUT, (MoveType.STOCK_OUT,)),
    FlowKind("adjustment_out", OUT, (MoveType.ADJUSTMENT, MoveType.TRANSFER_LOSS), sign=-1),
)
IN_KINDS = [k.key for k in FLOW_KINDS if k.direction == IN]
OUT_KINDS = [k.key for k in FLOW_KINDS if k.direction == OUT]


def kind_of(move_type: str, quantity: Decimal) -> str:
    """The summary column a move lands in."""
    for kind in FLOW_KINDS:
        if move_type in kind.move_types and (kind.sign == 0 or (kind.sign > 0) == (quantity > 0)):
            return kind.key
    raise ValueError(f"unknown move type {move_type}")


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
    GROUP_SKU: "s.code, s.id",
    GROUP_WAREHOUSE_SKU: "w.code, w.id, s.code, s.id",
    GROUP_WAREHOUSE: "w.code, w.id",
    GROUP_CATEGORY: "c.code, c.id",
    GROUP_BRAND: "br.code, br.id",
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
    search: str = ""


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
    if filters.search.strip():
        rows = rows.filter(sku_search_q(filters.search))
    return rows


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


OPENING = "opening"
_DIRECTIONS = {kind.key: kind.direction for kind in FLOW_KINDS}
# (move type, 1 if inbound else 0) -> kind, the same as `kind_of`.
_KIND_OF = {
    (str(move_type), inbound): kind.key
    for kind in reversed(FLOW_KINDS)
    for move_type in kind.move_types
    for inbound in (0, 1)
    if kind.sign == 0 or (kind.sign > 0) == bool(inbound)
}


def _opening_parts(
    move: str, start: datetime.datetime, use_snapshots: bool
) -> tuple[str, list, list[tuple[str, list]]]:
    """The stock of each balance before `start`, as (an extra CTE and its parameters, parts of
    the UNION `x` of (balance_id, move_type, inbound, q, v) rows with move type 'opening').

    With a month-end snapshot at or before `start` (reports/snapshots.py): the snapshot's rows
    plus the moves between its instant and `start` (none on a month's first day) — one indexed
    read of the snapshot and a range of the (posted_at) index, whatever the history. Without
    one (no month is over yet, or the snapshots were never built), the ledger itself: on
    PostgreSQL a LATERAL probe per balance of `b` of the covering index (balance, posted_at, id)
    INCLUDE (balance_quantity, balance_value); elsewhere the id of that move by a correlated
    subquery on the same index."""
    adapt = connection.ops.adapt_datetimefield_value
    head = f"'{OPENING}' AS move_type, 0 AS inbound"
    period = None
    if use_snapshots:
        period = SnapshotPeriod.objects.filter(at__lte=start).order_by("-at").first()
    if period is not None:
        parts = [
            (
                f"SELECT s.balance_id, {head}, s.quantity AS q, s.value AS v "
                f"FROM {_table(StockSnapshot)} s WHERE s.period_id = %s",
                [period.id],
            )
        ]
        if period.at != start:
            parts.append(
                (
                    f"SELECT m.balance_id, {head}, m.quantity, m.value FROM {move} m "
                    "WHERE m.posted_at >= %s AND m.posted_at < %s",
                    [adapt(period.at), adapt(start)],
                )
            )
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
    return cte, [adapt(start)], [(f"SELECT balance_id, {head}, q, v FROM opening", [])]


def stock_summary(
    *,
    user,
    period: Period,
    filters: StockFilters = StockFilters(),  # noqa: B008 (frozen dataclass)
    group_by: str = GROUP_SKU,
    use_snapshots: bool = True,
) -> list[dict]:
    """进销存汇总表: per group (SKU, warehouse × SKU, warehouse, category or brand) the opening
    quantity and value at the period's start, each kind of inflow and outflow during the
    period (outflows as positive figures), and the closing = opening + in − out.

    One SQL statement, one aggregation: the openings of the balances in scope (see
    `_opening_parts`) and their moves of the period, summed per group (integer keys carried by
    the balances in scope), move type and direction, then joined to the grouping's master data;
    the kinds become columns here. Groups without stock at the start and without moves in the
    period are left out. `use_snapshots=False` reads the opening from the ledger alone (tests
    and the benchmark compare the two)."""
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
    opening_cte, opening_params, parts = _opening_parts(move, period.start, use_snapshots)
    narrow, narrow_params = "", []
    if filters.warehouse_id is not None:
        narrow, narrow_params = narrow + " AND m.warehouse_id = %s", [filters.warehouse_id]
    if filters.sku_id is not None:
        narrow, narrow_params = narrow + " AND m.sku_id = %s", [*narrow_params, filters.sku_id]
    start, end = (connection.ops.adapt_datetimefield_value(t) for t in (period.start, period.end))
    parts.append(
        (
            "SELECT m.balance_id, m.move_type, CASE WHEN m.quantity > 0 THEN 1 ELSE 0 END, "
            f"m.quantity, m.value FROM {move} m "
            f"WHERE m.posted_at >= %s AND m.posted_at < %s{narrow}",
            [start, end, *narrow_params],
        )
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
    sql = f"""
        WITH b AS ({balances_sql}),{opening_cte}
        x (balance_id, move_type, inbound, q, v) AS ({union}),
        g AS (
            SELECT {", ".join(f"b.{k}" for k in keys)}, x.move_type, x.inbound,
                SUM(x.q) AS q, SUM(x.v) AS v
            FROM x JOIN b ON b.id = x.balance_id
            GROUP BY {", ".join(f"b.{k}" for k in keys)}, x.move_type, x.inbound
        )
        SELECT {", ".join(_GROUP_COLUMNS[group_by])}, g.move_type, g.inbound, g.q, g.v
        FROM g {" ".join(joins[key] for key in keys)}
        ORDER BY {_GROUP_ORDER[group_by]}
    """
    params = [*balance_params, *opening_params, *(p for _sql, ps in parts for p in ps)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner cannot foresee the sizes through the CTEs and would JIT-compile a
            # query that runs in a fraction of the compile time.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description][:-4]
        records = cursor.fetchall()
    # Many small dicts at once: the cyclic GC would scan them again and again (2-3× slower).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _pivot(names, records)
    finally:
        if enabled:
            gc.enable()


def _dec(value, places: Decimal) -> Decimal:
    """The ledger's decimals (SQLite sums them as floats or ints); -0 made 0."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        value = value.quantize(places)
    return abs(value) if value.is_zero() else value


def _empty_row(names: list[str], values) -> dict:
    row = dict(zip(names, values, strict=False))
    row.update(opening_quantity=ZERO, opening_value=ZERO)
    row["flows"] = {kind.key: {"quantity": ZERO, "value": ZERO} for kind in FLOW_KINDS}
    return row


def _pivot(names: list[str], records: list) -> list[dict]:
    """Rows of (group columns…, move type, inbound, q, v), ordered by group, into one dict per
    group with the figures of every kind, in/out totals and the closing."""
    width = len(names)
    rows: list[dict] = []
    current: tuple | None = None
    row: dict = {}
    for record in records:
        key = tuple(record[:width])
        if key != current:
            current, row = key, _empty_row(names, key)
            rows.append(row)
        move_type, inbound = record[width], record[width + 1]
        q, v = _dec(record[width + 2], QTY_QUANT), _dec(record[width + 3], MONEY_QUANT)
        if move_type == OPENING:
            row["opening_quantity"], row["opening_value"] = q, v
            continue
        kind = _KIND_OF.get((move_type, int(inbound)))
        if kind is None:
            raise ValueError(f"unknown move type {move_type}")
        flow = row["flows"][kind]
        if _DIRECTIONS[kind] == IN:
            flow["quantity"] += q
            flow["value"] += v
        else:
            flow["quantity"] = _dec(flow["quantity"] - q, QTY_QUANT)
            flow["value"] = _dec(flow["value"] - v, MONEY_QUANT)
    kept = []
    for row in rows:
        moved = any(f["quantity"] or f["value"] for f in row["flows"].values())
        if not moved and not row["opening_quantity"] and not row["opening_value"]:
            continue
        totals = {IN: [ZERO, ZERO], OUT: [ZERO, ZERO]}
        for kind, figures in row["flows"].items():
            totals[_DIRECTIONS[kind]][0] += figures["quantity"]
            totals[_DIRECTIONS[kind]][1] += figures["value"]
        row["in_quantity"], row["in_value"] = totals[IN]
        row["out_quantity"], row["out_value"] = totals[OUT]
        row["closing_quantity"] = row["opening_quantity"] + row["in_quantity"] - row["out_quantity"]
        row["closing_value"] = row["opening_value"] + row["in_value"] - row["out_value"]
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


_SKU_VALUES = {
    "sku_code": F("sku__code"),
    "sku_name": F("sku__name"),
    "unit_name": F("sku__product__base_unit__name"),
    "unit_precision": F("sku__product__base_unit__precision"),
    "safety_stock": F("sku__safety_stock"),
    "max_stock": F("sku__max_stock"),
    "category_name": F("sku__product__category__name"),
    "brand_name": F("sku__product__brand__name"),
}
_WAREHOUSE_VALUES = {"warehouse_code": F("warehouse__code"), "warehouse_name": F("warehouse__name")}


def _demand(
    user, filters: StockFilters, keys: tuple[str, ...], now: datetime.datetime, no_outflow_days: int
) -> dict[tuple, tuple[Decimal, Decimal]]:
    """Per key: demand of the last COVER_DAYS and of the last `no_outflow_days` (positive),
    from the moves of those days only (the (posted_at) index)."""
    cover_from = now - datetime.timedelta(days=COVER_DAYS)
    idle_from = now - datetime.timedelta(days=no_outflow_days)
    moves = StockMove.objects.filter(
        balance_id__in=scoped_balances(user, filters).values("id"),
        posted_at__gte=min(cover_from, idle_from),
        posted_at__lte=now,
        move_type__in=DEMAND_MOVE_TYPES,
    )
    rows = moves.values(*keys).annotate(
        cover=Sum("quantity", filter=Q(posted_at__gte=cover_from)),
        idle=Sum("quantity", filter=Q(posted_at__gte=idle_from)),
    )
    return {
        tuple(row[k] for k in keys): (-(row["cover"] or ZERO), -(row["idle"] or ZERO))
        for row in rows.order_by()
    }


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


def stock_status(
    *,
    user,
    filters: StockFilters = StockFilters(),  # noqa: B008 (frozen dataclass)
    group_by: str = GROUP_WAREHOUSE_SKU,
    only: str | None = None,
    no_outflow_days: int = 90,
    now: datetime.datetime | None = None,
) -> list[dict]:
    """库存现状: per warehouse × SKU (or per SKU) on hand, reserved, available, in transit
    towards it, value, the demand of the last 30 days and the days of cover it gives
    (available ÷ daily demand; None without demand), and flags: below safety stock, above
    max stock, no outflow in `no_outflow_days` (slow-moving / dead stock, with stock on
    hand). `only` keeps the rows with one flag. Three queries whatever the size."""
    if group_by not in GROUP_STATUS:
        raise ValueError(f"group_by must be one of {GROUP_STATUS}")
    now = now or timezone.now()
    keys = _status_keys(group_by)
    fields = {**_SKU_VALUES, **(_WAREHOUSE_VALUES if "warehouse_id" in keys else {})}
    balances = (
        scoped_balances(user, filters)
        .values(*keys, **fields)
        .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"), value=Sum("value"))
        .order_by(*(["warehouse_code"] if "warehouse_id" in keys else []), "sku_code")
    )
    demand = _demand(user, filters, keys, now, no_outflow_days)
    transit = _in_transit_to(user, filters, keys)
    rows = []
    for row in balances:
        key = tuple(row[k] for k in keys)
        cover_demand, idle_demand = demand.get(key, (ZERO, ZERO))
        row["available"] = row["on_hand"] - row["reserved"]
        row["in_transit"] = transit.get(key, ZERO)
        row["demand_30d"] = cover_demand
        row["days_of_cover"] = (
            (row["available"] * COVER_DAYS / cover_demand).quantize(Decimal("0.1"))
            if cover_demand > 0
            else None
        )
        row["below_safety_stock"] = row["on_hand"] < row["safety_stock"]
        row["above_max_stock"] = row["max_stock"] is not None and row["on_hand"] > row["max_stock"]
        row["no_outflow"] = row["on_hand"] > 0 and idle_demand <= 0
        if only is None or row[only]:
            rows.append(row)
    return rows


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


def stock_ageing(
    *,
    user,
    filters: StockFilters = StockFilters(),  # noqa: B008
    group_by: str = GROUP_WAREHOUSE_SKU,
    today: datetime.date | None = None,
) -> list[dict]:
    """Ageing by days since receipt: the stock on hand of each balance is taken to be its
    latest inbound moves (first in, first out), each layer aged from its move's date, and
    summed into AGEING_BUCKETS per warehouse × SKU (or SKU), quantity and value (a layer's
    value at its share of the balance's value). One window query over the inbound moves."""
    if group_by not in GROUP_STATUS:
        raise ValueError(f"group_by must be one of {GROUP_STATUS}")
    today = today or timezone.localdate()
    balances = scoped_balances(user, filters).filter(on_hand__gt=0)
    inbound = (
        StockMove.objects.filter(balance_id__in=balances.values("id"), quantity__gt=0)
        .annotate(
            newer=Window(
                Sum("quantity"),
                partition_by=[F("balance_id")],
                order_by=[F("posted_at").desc(), F("id").desc()],
            )
        )
        .values("balance_id", "posted_at", "quantity", "newer")
    )
    on_hand = {
        b["id"]: (b["on_hand"], b["value"], b["warehouse_id"], b["sku_id"])
        for b in balances.values("id", "on_hand", "value", "warehouse_id", "sku_id")
    }
    keys = _status_keys(group_by)
    buckets: dict[tuple, list[Decimal]] = {}
    values: dict[tuple, list[Decimal]] = {}
    for move in inbound.iterator(chunk_size=5000):
        stock, value, warehouse_id, sku_id = on_hand[move["balance_id"]]
        before = move["newer"] - move["quantity"]  # newer inbound quantity than this move
        layer = min(move["quantity"], stock - before)
        if layer <= 0:
            continue
        age = (today - timezone.localdate(move["posted_at"])).days
        index = next((i for i, limit in enumerate(AGEING_BUCKETS) if age <= limit), None)
        index = len(AGEING_BUCKETS) if index is None else index
        key = (warehouse_id, sku_id) if len(keys) == 2 else (sku_id,)
        bucket = buckets.setdefault(key, [ZERO] * (len(AGEING_BUCKETS) + 1))
        amounts = values.setdefault(key, [ZERO] * (len(AGEING_BUCKETS) + 1))
        bucket[index] += layer
        amounts[index] += (value * layer / stock).quantize(MONEY_QUANT)
    fields = {**_SKU_VALUES, **(_WAREHOUSE_VALUES if len(keys) == 2 else {})}
    details = {
        tuple(row[k] for k in keys): row
        for row in balances.values(*keys, **fields)
        .annotate(on_hand=Sum("on_hand"), value=Sum("value"))
        .order_by()
    }
    rows = []
    for key in sorted(
        buckets, key=lambda k: (details[k].get("warehouse_code") or "", details[k]["sku_code"])
    ):
        row = dict(details[key])
        row["buckets"] = [
            {"quantity": q, "value": v} for q, v in zip(buckets[key], values[key], strict=True)
        ]
        rows.append(row)
    return rows


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
