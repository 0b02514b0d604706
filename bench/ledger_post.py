"""Benchmark of the posting service (`inventory.ledger.post_moves`) against plain SQL.

For SQLite (a temporary file under var/) and PostgreSQL (database `sl_bench`, created when
missing), each migrated from scratch:

* service:  N documents of 5 lines (receipts and issues alternating), each
            `post_moves` in its own transaction;
* baseline: the same rows written by plain SQL (sqlite3 / psycopg): insert the posting,
            SELECT ... FOR UPDATE the 5 balances, INSERT the 5 moves, UPDATE the 5 balances,
            one transaction per document;
* queries per posting for 5 and for 50 lines (the count must not grow with the lines);
* PostgreSQL only: the same with 8 concurrent client processes.

Prints one JSON object. Usage:
    .venv/bin/python bench/ledger_post.py [--documents 300] [--clients 8] [--only sqlite|postgres]
Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/sl_bench).
Each database runs in a child process (Django is configured once per process)."""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench_ledger.sqlite3"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/sl_bench")
LINES = 5
SKUS = 60
START_STOCK = Decimal(1_000_000)


# ------------------------------------------------------------------ parent: orchestration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = run_child(args.child, args.documents, args.clients)
        print(json.dumps(result))
        return

    figures: dict = {
        "benchmark": "ledger_post",
        "documents": args.documents,
        "lines_per_document": LINES,
        "machine_cpus": os.cpu_count(),
    }
    for kind in ("sqlite", "postgres"):
        if args.only and args.only != kind:
            continue
        command = [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--documents",
            str(args.documents),
            "--clients",
            str(args.clients),
        ]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode != 0:
            figures[kind] = {"error": done.stderr.strip().splitlines()[-5:]}
            continue
        figures[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, indent=2))


# ------------------------------------------------------------------ child: one database


def setup_django(kind: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    if kind == "sqlite":
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH.relative_to(ROOT)}"
    else:
        ensure_pg_database(PG_URL)
        os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command

    if kind == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:  # a clean slate each run
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)


def ensure_pg_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class World:
    """Warehouses and SKUs with stock: one warehouse for the service, one for the baseline."""

    def __init__(self, label: str) -> None:
        from django.db import transaction

        from storeledger.inventory.ledger import MoveRequest
        from storeledger.testing import factories

        store = factories.store()
        self.warehouse = factories.warehouse(store, code=f"S{label}", allow_negative_stock=False)
        self.base_wh = factories.warehouse(store, code=f"B{label}", allow_negative_stock=False)
        self.skus = [factories.sku(code=f"{label}-{i:03d}") for i in range(SKUS)]
        with transaction.atomic():
            post(
                f"{label}-stock",
                [
                    MoveRequest(w.id, s.id, START_STOCK, "stock_in", unit_cost=Decimal("2.5"))
                    for w in (self.warehouse, self.base_wh)
                    for s in self.skus
                ],
            )

    def lines(self, doc: int, count: int = LINES) -> list[tuple[int, Decimal, Decimal | None]]:
        """(sku id, signed quantity, unit cost) of document `doc`: receipts and issues alternate."""
        out = []
        for k in range(count):
            sku = self.skus[(doc * count + k) % len(self.skus)]
            if doc % 2 == 0:
                out.append((sku.id, Decimal(3 + k), Decimal("2.40") + Decimal(k) / 10))
            else:
                out.append((sku.id, Decimal(-(2 + k)), None))
        return out


def post(key: str, moves) -> None:
    from storeledger.inventory.ledger import post_moves

    post_moves(
        key=key,
        document_type="bench",
        document_id=1,
        document_number=key[:40],
        event="post",
        user=None,
        moves=moves,
    )


def service_run(world: World, prefix: str, documents: range) -> int:
    from django.db import transaction

    from storeledger.inventory.ledger import MoveRequest

    for doc in documents:
        moves = [
            MoveRequest(
                world.warehouse.id,
                sku_id,
                quantity,
                "stock_in" if quantity > 0 else "stock_out",
                unit_cost=cost,
            )
            for sku_id, quantity, cost in world.lines(doc)
        ]
        with transaction.atomic():
            post(f"{prefix}-{doc}", moves)
    return len(documents) * LINES


# ---- plain-SQL baseline

_MOVE_COLUMNS = (
    "posting_id, balance_id, posted_at, warehouse_id, location_id, sku_id, batch_id, move_type, "
    "quantity, unit_cost, value, balance_quantity, balance_value, line_id, reverses_id, "
    "prev_hash, hash"
)


def baseline_run(kind: str, world: World, prefix: str, documents: range) -> int:
    """The same rows as the service, written by hand-written SQL, one transaction each."""
    from django.conf import settings

    balance_ids = balance_map(world.base_wh.id)
    if kind == "sqlite":
        import sqlite3

        conn = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=20000")
        mark, begin, lock_suffix = "?", "BEGIN IMMEDIATE", ""
    else:
        import psycopg

        conn = psycopg.connect(PG_URL)
        mark, begin, lock_suffix = "%s", None, " FOR UPDATE"
    cursor = conn.cursor()
    for doc in documents:
        lines = world.lines(doc)
        now = datetime.datetime.now(datetime.UTC)
        stamp: object = now if kind == "postgres" else now.strftime("%Y-%m-%d %H:%M:%S.%f")
        if begin:
            cursor.execute(begin)
        cursor.execute(
            "INSERT INTO inventory_posting (key, document_type, document_id, document_number, "
            f"event, posted_at) VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, {mark}) "
            "RETURNING id",
            [f"{prefix}-{doc}", "bench", 1, f"{prefix}-{doc}"[:40], "post", stamp],
        )
        posting_id = cursor.fetchone()[0]
        ids = sorted(balance_ids[sku_id] for sku_id, _q, _c in lines)
        cursor.execute(
            "SELECT id, on_hand, value, last_move_hash FROM inventory_stockbalance "
            f"WHERE id IN ({', '.join([mark] * len(ids))}) ORDER BY id{lock_suffix}",
            ids,
        )
        state = {row[0]: [Decimal(str(row[1])), Decimal(str(row[2])), row[3]] for row in cursor}
        move_rows, updates = [], []
        for sku_id, quantity, cost in lines:
            balance_id = balance_ids[sku_id]
            on_hand, value, last_hash = state[balance_id]
            unit_cost = cost if cost is not None else (value / on_hand).quantize(Decimal("0.0001"))
            move_value = (quantity * unit_cost).quantize(Decimal("0.0001"))
            on_hand, value = on_hand + quantity, value + move_value
            state[balance_id] = [on_hand, value, last_hash]
            row = [posting_id, balance_id, stamp, world.base_wh.id, None, sku_id, None]
            row += ["stock_in" if quantity > 0 else "stock_out", quantity, unit_cost, move_value]
            row += [on_hand, value, None, None, last_hash, "0" * 64]
            move_rows.append(row)
            updates.append([on_hand, value, "0" * 64, stamp, balance_id])
        if kind == "sqlite":
            move_rows = [[str(v) if isinstance(v, Decimal) else v for v in r] for r in move_rows]
            updates = [[str(v) if isinstance(v, Decimal) else v for v in r] for r in updates]
        placeholders = "(" + ", ".join([mark] * 17) + ")"
        cursor.execute(
            f"INSERT INTO inventory_stockmove ({_MOVE_COLUMNS}) VALUES "
            + ", ".join([placeholders] * len(move_rows)),
            [v for r in move_rows for v in r],
        )
        cursor.executemany(
            f"UPDATE inventory_stockbalance SET on_hand = {mark}, value = {mark}, "
            f"move_count = move_count + 1, last_move_hash = {mark}, updated_at = {mark} "
            f"WHERE id = {mark}",
            updates,
        )
        conn.commit() if kind == "postgres" else cursor.execute("COMMIT")
    conn.close()
    return len(documents) * LINES


def balance_map(warehouse_id: int) -> dict[int, int]:
    from storeledger.inventory.models import StockBalance

    return dict(StockBalance.objects.filter(warehouse_id=warehouse_id).values_list("sku_id", "id"))


def queries_per_posting(world: World, lines: int, key: str) -> int:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from storeledger.inventory.ledger import MoveRequest

    moves = [
        MoveRequest(world.warehouse.id, world.skus[k].id, Decimal(1), "stock_in")
        for k in range(lines)
    ]
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        post(key, moves)
    # BEGIN/COMMIT of the outer transaction are not statements of the posting itself.
    return len(captured.captured_queries)


def timed(function, *args) -> float:
    """Moves per second of one call."""
    started = time.perf_counter()
    moves = function(*args)
    return moves / (time.perf_counter() - started)


def _concurrent_worker(args) -> None:
    mode, kind, label, prefix, start, count = args
    from django.db import connections

    connections.close_all()
    world = World.__new__(World)
    _attach(world, label)
    documents = range(start, start + count)
    if mode == "service":
        service_run(world, prefix, documents)
    else:
        baseline_run(kind, world, prefix, documents)
    connections.close_all()


def _attach(world: World, label: str) -> None:
    from storeledger.catalog.models import Sku
    from storeledger.org.models import Warehouse

    world.warehouse = Warehouse.objects.get(code=f"S{label}")
    world.base_wh = Warehouse.objects.get(code=f"B{label}")
    world.skus = list(Sku.objects.filter(code__startswith=f"{label}-").order_by("code"))


def concurrent(kind: str, mode: str, label: str, clients: int, documents: int) -> float:
    """Moves per second with `clients` processes posting at once (separate rows per client
    would hide lock contention, so all clients share the same SKUs)."""
    from django.db import connections

    connections.close_all()
    per_client = max(1, documents // clients)
    jobs = [(mode, kind, label, f"{mode}-c{c}", c * per_client, per_client) for c in range(clients)]
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(clients) as pool:
        pool.map(_concurrent_worker, jobs)
    elapsed = time.perf_counter() - started
    return clients * per_client * LINES / elapsed


def run_child(kind: str, documents: int, clients: int) -> dict:
    setup_django(kind)
    world = World("W")
    warm = max(10, documents // 10)
    service_run(world, "warm-s", range(warm))
    baseline_run(kind, world, "warm-b", range(warm))
    service, baseline = [], []
    for round_no in range(3):  # interleaved rounds, median of each
        chunk = range(documents * round_no, documents * (round_no + 1))
        service.append(timed(service_run, world, f"s{round_no}", chunk))
        baseline.append(timed(baseline_run, kind, world, f"b{round_no}", chunk))
    s, b = statistics.median(service), statistics.median(baseline)
    result = {
        "service_moves_per_s": round(s),
        "baseline_moves_per_s": round(b),
        "ratio_service_to_baseline": round(s / b, 2),
        "service_documents_per_s": round(s / LINES),
        "queries_per_posting_5_lines": queries_per_posting(world, 5, "q5"),
        "queries_per_posting_50_lines": queries_per_posting(world, 50, "q50"),
    }
    if kind == "postgres" and clients > 1:
        cs = concurrent(kind, "service", "W", clients, documents)
        cb = concurrent(kind, "baseline", "W", clients, documents)
        result[f"concurrent_{clients}_clients"] = {
            "service_moves_per_s": round(cs),
            "baseline_moves_per_s": round(cb),
            "ratio_service_to_baseline": round(cs / cb, 2),
        }
    from storeledger.inventory.verify import verify_ledger

    check = verify_ledger(warehouse="SW")
    result["service_ledger_verified"] = check.ok
    return result


if __name__ == "__main__":
    main()
