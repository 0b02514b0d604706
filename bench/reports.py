"""Benchmark of the stock reports (`reports.selectors`) on a chain-sized ledger in PostgreSQL.

Generates (once; reused while the sizes match) SKUS SKUs × WAREHOUSES warehouses and --moves
moves over three years straight in SQL: balances first, then every move with its
quantity/value after it in closed form (a repeating pattern of receipts, sales, stock-outs,
transfers in, scrap and count losses), with the ledger's indexes dropped during the insert
and built again after it. Migrates (a migration that drops the snapshots makes them be
rebuilt, the ledger is kept) and builds the month-end stock snapshots (reports/snapshots.py)
when missing, timing the build. Then times, each the median of --repeat runs:

* the stock summary for the last full month, per SKU, all warehouses — as the reports run it
  (the cheaper way chosen), the flows forced as the difference of two snapshots' cumulative
  flows (`snapshot_flows=True`), and for comparison, in the same run, the flows read from the
  month's moves (`snapshot_flows=False`, the path before) and everything from the ledger
  (`use_snapshots=False`, the opening probed per balance);
* the same for one warehouse, and per warehouse × SKU;
* the summary for the last twelve months, per SKU, both ways;
* the same month by a naive full scan of the moves (SUM of every move before the end,
  grouped per SKU) for comparison;
* the stock status per warehouse × SKU (90 days of history for the slow-moving flag), its
  demand as chosen, forced through the snapshots and from the moves of the window
  (`use_snapshots=False`);
* one page (the first, and the last) of the stock status and of the month's summary per
  warehouse × SKU as the API answers it: 50 rows with the count and totals of the 100,000
  (`stock_status_page`, `stock_summary_page`), checked against the whole reports' rows;
* the stock ageing per warehouse × SKU (FIFO layers: what each balance received since each
  bucket's first day, through the snapshots), checked to hold every balance's stock on hand
  and value; its first and last page, checked against the whole report; and one warehouse's
  page of the ageing and of the stock status (a store's view);
* one back-dated posting of a new balance dated before every snapshot (rolled back);
* and checks that the summary's closing equals the naive scan's sums, and that every path
  gives the same figures.

Prints one JSON object. Usage:
    .venv/bin/python bench/reports.py [--moves 10000000] [--repeat 3]
Environment: BENCH_REPORTS_PG_URL (default postgres://postgres@127.0.0.1:5432/sl_bench_reports).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "BENCH_REPORTS_PG_URL", "postgres://postgres@127.0.0.1:5432/sl_bench_reports"
)
SKUS = 5000
WAREHOUSES = 20
YEARS = 3
CHUNK = 10  # steps of every balance per INSERT of the generator
# One cycle of moves of every balance: (quantity, move type); the stock grows by 5 a cycle.
PATTERN = [
    (10, "purchase_receipt"),
    (-3, "sale"),
    (-4, "stock_out"),
    (5, "transfer_in"),
    (-2, "scrap"),
    (-1, "count_loss"),
]


def _ensure_database() -> None:
    import psycopg

    url = urlparse(PG_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _migrate() -> None:
    env = {**os.environ, "DATABASE_URL": PG_URL}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _generated_size(conn) -> tuple[int, int]:
    """Balances and moves as generated. The moves are counted, not read off the balances'
    move_count, which a generation stopped midway wrote before its moves."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM inventory_stockbalance), "
        "(SELECT count(*) FROM inventory_stockmove)"
    ).fetchone()
    return int(row[0]), int(row[1])


def _generate(conn, per_balance: int, now: datetime.datetime) -> dict:
    """Master data and ledger in bulk SQL; returns the seconds each step took."""
    from django.contrib.auth.models import User

    from storeledger.accounts.models import UserScope
    from storeledger.catalog.models import Brand, Category, Product, Sku, Unit
    from storeledger.org.models import Store, Warehouse

    took: dict = {}
    started = time.perf_counter()
    for table in (
        "reports_snapshotperiod",
        "inventory_stockmove",
        "inventory_posting",
        "inventory_stockbalance",
    ):
        conn.execute(f"TRUNCATE {table} CASCADE")
    Sku.objects.all().delete()
    Product.objects.all().delete()
    unit, _ = Unit.objects.get_or_create(code="pcs", defaults={"name": "个", "precision": 0})
    categories = [
        Category.objects.get_or_create(code=f"BC{n:02d}", defaults={"name": f"品类{n:02d}"})[0]
        for n in range(20)
    ]
    brands = [
        Brand.objects.get_or_create(code=f"BB{n:02d}", defaults={"name": f"品牌{n:02d}"})[0]
        for n in range(50)
    ]
    products = Product.objects.bulk_create(
        [
            Product(
                code=f"BP{n:05d}",
                name=f"商品{n:05d}",
                base_unit=unit,
                category=categories[n % len(categories)],
                brand=brands[n % len(brands)],
            )
            for n in range(SKUS)
        ]
    )
    Sku.objects.bulk_create(
        [
            Sku(product=p, code=f"BS{n:05d}", name=p.name, purchase_price=1 + (n % 50) / 10)
            for n, p in enumerate(products)
        ]
    )
    for n in range(WAREHOUSES):
        store, _ = Store.objects.get_or_create(code=f"B{n:03d}", defaults={"name": f"门店{n}"})
        Warehouse.objects.get_or_create(
            code=f"BW{n:03d}", defaults={"name": f"仓库{n}", "store": store}
        )
    if not User.objects.filter(username="bench").exists():
        user = User.objects.create_superuser("bench", password=None)
        UserScope.objects.create(user=user, all_stores=True)
    took["master_data_s"] = round(time.perf_counter() - started, 1)

    cycles, rest = divmod(per_balance, len(PATTERN))
    partial = [sum(q for q, _ in PATTERN[: i + 1]) for i in range(len(PATTERN))]
    final = cycles * partial[-1] + (partial[rest - 1] if rest else 0)
    started = time.perf_counter()
    conn.execute(
        """
        INSERT INTO inventory_stockbalance (warehouse_id, sku_id, batch_id, on_hand, reserved,
            value, allow_negative, last_move_hash, move_count, updated_at)
        SELECT w.id, s.id, NULL, %(final)s, 0, %(final)s * s.purchase_price, false, '',
            %(k)s, now()
        FROM org_warehouse w CROSS JOIN catalog_sku s
        WHERE w.code LIKE 'BW%%' AND s.code LIKE 'BS%%'
        ORDER BY w.id, s.id
        """,
        {"final": final, "k": per_balance},
    )
    posting_id = conn.execute(
        """
        INSERT INTO inventory_posting (key, document_type, document_id, document_number, event,
            posted_at, user_id, reverses_id)
        VALUES ('bench', 'bench', 1, 'BENCH', 'post', now(), NULL, NULL) RETURNING id
        """
    ).fetchone()[0]
    took["balances_s"] = round(time.perf_counter() - started, 1)

    # The ledger's secondary indexes are dropped during the insert and built after it, in one
    # transaction: a generation stopped midway leaves them as they were (one that had dropped
    # them made every later run read 10 million moves without them).
    conn.execute("BEGIN")
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'inventory_stockmove' "
        "AND indexname NOT LIKE '%%_pkey'"
    ).fetchall()
    for name, _definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("SET session_replication_role = replica")  # no FK triggers for bulk rows
    span = datetime.timedelta(days=365 * YEARS)
    t0 = now - span - datetime.timedelta(days=1)
    step_seconds = span.total_seconds() / per_balance
    quantities = "ARRAY[" + ",".join(str(q) for q, _ in PATTERN) + "]"
    types = "ARRAY[" + ",".join(f"'{t}'" for _, t in PATTERN) + "]"
    partials = "ARRAY[" + ",".join(str(p) for p in partial) + "]"
    started = time.perf_counter()
    # In time order, as a real ledger is written (a month's moves share a few thousand pages):
    # CHUNK steps of every balance per statement, sorted by step and balance.
    for first in range(0, per_balance, CHUNK):
        conn.execute(
            f"""
            INSERT INTO inventory_stockmove (posting_id, balance_id, posted_at, warehouse_id,
                location_id, sku_id, batch_id, move_type, quantity, unit_cost, value,
                balance_quantity, balance_value, line_id, reverses_id, prev_hash, hash)
            SELECT %(posting)s, b.id,
                %(t0)s + make_interval(secs => (i + (b.id * 7919 %% 1000) / 1000.0) * %(step)s),
                b.warehouse_id, NULL, b.sku_id, NULL,
                ({types})[i %% 6 + 1],
                ({quantities})[i %% 6 + 1],
                s.purchase_price,
                ({quantities})[i %% 6 + 1] * s.purchase_price,
                (i / 6) * {partial[-1]} + ({partials})[i %% 6 + 1],
                ((i / 6) * {partial[-1]} + ({partials})[i %% 6 + 1]) * s.purchase_price,
                NULL, NULL, '', ''
            FROM generate_series(%(first)s::integer, %(last)s::integer) AS i
            CROSS JOIN inventory_stockbalance b
            JOIN catalog_sku s ON s.id = b.sku_id
            ORDER BY i, b.id
            """,
            {
                "posting": posting_id,
                "t0": t0,
                "step": step_seconds,
                "first": first,
                "last": min(first + CHUNK, per_balance) - 1,
            },
        )
    conn.execute("SET session_replication_role = origin")
    took["moves_insert_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    for _name, definition in indexes:
        conn.execute(definition)
    conn.execute("COMMIT")
    took["moves_indexes_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    conn.execute("VACUUM ANALYZE inventory_stockmove")
    conn.execute("VACUUM ANALYZE inventory_stockbalance")
    took["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    return took


# CPU seconds used by each timed call, in the database server's backend and in this process:
# on a shared machine the wall time is mostly waiting for a core, the CPU time is not.
CPU: dict[str, dict] = {}
_BACKEND_PID: list[int] = []


def _backend_cpu() -> float:
    """CPU seconds (user + system) of the PostgreSQL backend serving Django's connection."""
    if not _BACKEND_PID:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _BACKEND_PID.append(cursor.fetchone()[0])
    try:
        fields = Path(f"/proc/{_BACKEND_PID[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _median_seconds(repeat: int, run, name: str | None = None) -> tuple[float, object]:
    times, db_cpu, app_cpu, result = [], [], [], None
    for _ in range(repeat):
        db_started, app_started = _backend_cpu(), time.process_time()
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
        db_cpu.append(_backend_cpu() - db_started)
        app_cpu.append(time.process_time() - app_started)
    if name is not None:
        CPU[name] = {
            "db_cpu_s": round(statistics.median(db_cpu), 2),
            "app_cpu_s": round(statistics.median(app_cpu), 2),
        }
    return round(statistics.median(times), 3), result


def _time_pages(repeat: int, name: str, rows: list, page_at, totals) -> dict[str, object]:
    """Times the first and the last page of 50 rows (`page_at(offset)`, a ReportPage) as the
    API answers them; {"<name>_first_s": seconds, …, "equal_<name>_first": whether the page is
    the whole report's rows there with its count and `totals`, …}."""
    out: dict[str, object] = {}
    for end, offset in (("first", 0), ("last", max(len(rows) - 50, 0))):
        out[f"{name}_{end}_s"], page = _median_seconds(
            repeat, name=f"{name}_{end}_s", run=lambda offset=offset: page_at(offset)
        )
        out[f"equal_{name}_{end}"] = (
            page.rows == rows[offset : offset + 50]
            and page.count == len(rows)
            and page.totals == totals
        )
    return out


def _backdated_posting(now: datetime.datetime) -> float:
    """Seconds of one back-dated posting into a new balance dated before every snapshot (each
    snapshot after it gets a row), rolled back."""
    from django.db import transaction

    from storeledger.catalog.models import Sku
    from storeledger.inventory.ledger import MoveRequest, post_moves
    from storeledger.org.models import Warehouse

    sku = Sku.objects.filter(code__startswith="BS").first()
    warehouse = Warehouse.objects.create(code="XBENCH", name="仓库X")
    with transaction.atomic():
        started = time.perf_counter()
        with transaction.atomic():
            post_moves(
                key="bench-backdated",
                document_type="bench",
                document_id=2,
                document_number="BENCH-2",
                event="post",
                user=None,
                moves=[
                    MoveRequest(warehouse.id, sku.id, quantity=1, move_type="stock_in", unit_cost=1)
                ],
                posted_at=now - datetime.timedelta(days=365 * YEARS),
            )
        took = time.perf_counter() - started
        transaction.set_rollback(True)
    Warehouse.objects.filter(pk=warehouse.pk).delete()
    return round(took, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="generate the ledger even if one of that size exists",
    )
    args = parser.parse_args()
    per_balance = max(len(PATTERN), args.moves // (SKUS * WAREHOUSES))

    _ensure_database()
    _migrate()
    os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from storeledger.org.models import Warehouse
    from storeledger.reports import selectors, snapshots
    from storeledger.reports.models import SnapshotPeriod, StockSnapshot

    figures: dict = {
        "benchmark": "reports",
        "database": "postgresql",
        "skus": SKUS,
        "warehouses": WAREHOUSES,
        "machine_cpus": os.cpu_count(),
    }
    now = timezone.now()
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    expected = (SKUS * WAREHOUSES, SKUS * WAREHOUSES * per_balance)
    if args.regenerate or _generated_size(raw) != expected:
        figures["generate"] = _generate(raw, per_balance, now)
    balances, moves = _generated_size(raw)
    figures["balances"], figures["moves"] = balances, moves
    user = User.objects.get(username="bench")
    started = time.perf_counter()
    built = snapshots.build_snapshots()
    if built:
        figures["snapshots_build_s"] = round(time.perf_counter() - started, 1)
        raw.execute("VACUUM ANALYZE reports_stocksnapshot")
    figures["snapshot_months"] = SnapshotPeriod.objects.count()
    figures["snapshot_rows"] = StockSnapshot.objects.count()

    today = timezone.localdate()
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    month = selectors.Period(month_end.replace(day=1), month_end)
    year = selectors.Period(today.replace(year=today.year - 1), month_end)
    warehouse = Warehouse.objects.filter(code="BW007").first()
    one_warehouse = selectors.StockFilters(warehouse_id=warehouse.id)

    def summary(
        period,
        filters=selectors.StockFilters(),  # noqa: B008
        group_by="sku",
        snapshots=True,
        flows=None,
    ):
        return lambda: selectors.stock_summary(
            user=user,
            period=period,
            filters=filters,
            group_by=group_by,
            use_snapshots=snapshots,
            snapshot_flows=flows,
        )

    timings = {}

    def _record(measured: dict[str, object]) -> None:
        for key, value in measured.items():
            (figures if key.startswith("equal_") else timings)[key] = value

    timings["month_per_sku_s"], rows = _median_seconds(
        args.repeat, name="month_per_sku_s", run=summary(month)
    )
    timings["month_per_sku_flows_from_snapshots_s"], through_rows = _median_seconds(
        args.repeat, name="month_per_sku_flows_from_snapshots_s", run=summary(month, flows=True)
    )
    timings["month_per_sku_flows_from_moves_s"], moves_rows = _median_seconds(
        args.repeat, name="month_per_sku_flows_from_moves_s", run=summary(month, flows=False)
    )
    timings["month_per_sku_without_snapshots_s"], probe_rows = _median_seconds(
        args.repeat, name="month_per_sku_without_snapshots_s", run=summary(month, snapshots=False)
    )
    figures["month_rows"] = len(rows)
    figures["month_moves_in_period"] = raw.execute(
        "SELECT count(*) FROM inventory_stockmove WHERE posted_at >= %s AND posted_at < %s",
        [month.start, month.end],
    ).fetchone()[0]
    timings["month_one_warehouse_s"], _rows = _median_seconds(
        args.repeat, name="month_one_warehouse_s", run=summary(month, one_warehouse)
    )
    timings["month_one_warehouse_flows_from_moves_s"], _rows = _median_seconds(
        args.repeat,
        name="month_one_warehouse_flows_from_moves_s",
        run=summary(month, one_warehouse, flows=False),
    )
    timings["month_per_warehouse_sku_s"], wh_rows = _median_seconds(
        args.repeat, name="month_per_warehouse_sku_s", run=summary(month, group_by="warehouse_sku")
    )
    timings["month_per_warehouse_sku_flows_from_moves_s"], _rows = _median_seconds(
        args.repeat,
        name="month_per_warehouse_sku_flows_from_moves_s",
        run=summary(month, group_by="warehouse_sku", flows=False),
    )
    timings["year_per_sku_s"], year_rows = _median_seconds(
        args.repeat, name="year_per_sku_s", run=summary(year)
    )
    timings["year_per_sku_flows_from_moves_s"], year_moves_rows = _median_seconds(
        args.repeat, name="year_per_sku_flows_from_moves_s", run=summary(year, flows=False)
    )
    status_at = timezone.now()
    timings["stock_status_per_warehouse_sku_s"], status_rows = _median_seconds(
        args.repeat,
        name="stock_status_per_warehouse_sku_s",
        run=lambda: selectors.stock_status(user=user, now=status_at),
    )
    timings["stock_status_demand_from_snapshots_s"], status_through_rows = _median_seconds(
        args.repeat,
        name="stock_status_demand_from_snapshots_s",
        run=lambda: selectors.stock_status(user=user, now=status_at, use_snapshots=True),
    )
    timings["stock_status_demand_from_moves_s"], status_moves_rows = _median_seconds(
        args.repeat,
        name="stock_status_demand_from_moves_s",
        run=lambda: selectors.stock_status(user=user, now=status_at, use_snapshots=False),
    )
    figures["equal_status_demand_from_moves"] = (
        status_moves_rows == status_rows == status_through_rows
    )
    # What the API answers: one page of 50 rows (the first, and the last of 100,000), the count
    # and the totals of every row, sorted, counted and summed in the database.
    _record(
        _time_pages(
            args.repeat,
            "stock_status_page",
            status_rows,
            lambda offset: selectors.stock_status_page(
                user=user, now=status_at, offset=offset, limit=50
            ),
            {
                "rows": len(status_rows),
                "value": sum(r["value"] for r in status_rows),
                **{f: sum(1 for r in status_rows if r[f]) for f in selectors.ONLY_CHOICES},
            },
        )
    )
    _record(
        _time_pages(
            args.repeat,
            "month_per_warehouse_sku_page",
            wh_rows,
            lambda offset: selectors.stock_summary_page(
                user=user, period=month, group_by="warehouse_sku", offset=offset, limit=50
            ),
            selectors.summary_totals(wh_rows),
        )
    )
    del status_rows, status_through_rows, status_moves_rows  # 100,000 rows each
    timings["stock_ageing_per_warehouse_sku_s"], ageing_rows = _median_seconds(
        args.repeat,
        name="stock_ageing_per_warehouse_sku_s",
        run=lambda: selectors.stock_ageing(user=user),
    )
    figures["ageing_rows"] = len(ageing_rows)
    figures["equal_ageing_to_on_hand"] = all(
        sum(b["quantity"] for b in row["buckets"]) == row["on_hand"]
        and sum(b["value"] for b in row["buckets"]) == row["value"]
        for row in ageing_rows
    )
    _record(
        _time_pages(
            args.repeat,
            "stock_ageing_page",
            ageing_rows,
            lambda offset: selectors.stock_ageing_page(user=user, offset=offset, limit=50),
            {
                "on_hand": sum(r["on_hand"] for r in ageing_rows),
                "value": sum(r["value"] for r in ageing_rows),
                "buckets": [
                    {
                        field: sum(r["buckets"][i][field] for r in ageing_rows)
                        for field in ("quantity", "value")
                    }
                    for i in range(len(selectors.AGEING_BUCKETS) + 1)
                ],
            },
        )
    )
    # A store's view: one warehouse's page (5,000 rows), the inflows of its balances only.
    timings["stock_ageing_page_one_warehouse_s"], _page = _median_seconds(
        args.repeat,
        name="stock_ageing_page_one_warehouse_s",
        run=lambda: selectors.stock_ageing_page(
            user=user, filters=one_warehouse, offset=0, limit=50
        ),
    )
    timings["stock_status_page_one_warehouse_s"], _page = _median_seconds(
        args.repeat,
        name="stock_status_page_one_warehouse_s",
        run=lambda: selectors.stock_status_page(
            user=user, now=status_at, filters=one_warehouse, offset=0, limit=50
        ),
    )
    del ageing_rows
    timings["backdated_posting_s"] = _backdated_posting(now)

    def naive():
        return raw.execute(
            """
            SELECT sku_id,
                SUM(CASE WHEN posted_at < %(s)s THEN quantity ELSE 0 END),
                SUM(CASE WHEN posted_at < %(s)s THEN value ELSE 0 END),
                SUM(CASE WHEN posted_at >= %(s)s AND quantity > 0 THEN quantity ELSE 0 END),
                SUM(CASE WHEN posted_at >= %(s)s AND quantity < 0 THEN -quantity ELSE 0 END),
                SUM(quantity), SUM(value)
            FROM inventory_stockmove WHERE posted_at < %(e)s GROUP BY sku_id
            """,
            {"s": month.start, "e": month.end},
        ).fetchall()

    timings["month_naive_full_scan_s"], naive_rows = _median_seconds(
        max(1, args.repeat // 2), naive, name="month_naive_full_scan_s"
    )
    figures["timings"] = timings
    figures["cpu"] = CPU
    figures["speedup_vs_naive"] = round(
        timings["month_naive_full_scan_s"] / max(timings["month_per_sku_s"], 1e-6), 1
    )
    closing = {r["sku_id"]: (r["closing_quantity"], r["closing_value"]) for r in rows}
    figures["equal_to_naive_scan"] = all(
        closing.get(sku_id) == (quantity, value)
        for sku_id, _oq, _ov, _in, _out, quantity, value in naive_rows
        if quantity or value
    ) and len(wh_rows) >= len(rows)
    figures["equal_without_snapshots"] = probe_rows == rows
    figures["equal_flows_from_moves"] = (
        moves_rows == rows == through_rows and year_moves_rows == year_rows
    )

    figures["snapshot_table_mb"] = round(
        raw.execute("SELECT pg_total_relation_size('reports_stocksnapshot')").fetchone()[0] / 2**20
    )
    figures["load_average_1m"] = round(os.getloadavg()[0], 1)  # a shared machine: how busy
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
