"""Benchmark of the batch trace (批次追溯, `reports.trace`) for a batch with 10,000 moves, on
PostgreSQL and SQLite.

Generates (once per database; again when --moves changes) one batch-tracked SKU received into
a central warehouse (one purchase receipt), shipped to 20 stores on real transfers (through
the in-transit warehouse: four moves each) and issued there by single-line stock-outs until the
batch has --moves moves, written with bulk inserts (postings, documents, moves and balances
consistent with each other: each move's quantity after it is the running sum). Then times,
each the median of --repeat requests through the API (Django's test client, a superuser):

* GET /api/v1/reports/batch-trace/?batch= — the whole trace and the first page of moves;
* the same for one store's warehouse;
* the xlsx export of every move;
* GET /api/v1/reports/batch-trace/document/?number= — the batches of one stock-out;

with the number of SQL queries of each (constant: it does not grow with the moves) and the
process's CPU time besides the wall time (the machine is shared), and
checks that the trace's totals balance (received = outflows + on hand + in transit).

Prints one JSON object per database. Usage:
    .venv/bin/python bench/batch_trace.py [--moves 10000] [--repeat 5] [--db pg|sqlite|both]
Environment: BENCH_TRACE_PG_URL (default postgres://postgres@127.0.0.1:5432/sl_bench_trace);
the SQLite file is var/bench_trace.sqlite3.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_TRACE_PG_URL", "postgres://postgres@127.0.0.1:5432/sl_bench_trace")
SQLITE_URL = f"sqlite:///{ROOT / 'var' / 'bench_trace.sqlite3'}"
STORES = 20
BATCH_NO = "BENCH-TRACE-01"


def _ensure_pg_database() -> None:
    import psycopg

    url = urlparse(PG_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _generate(moves_wanted: int) -> None:
    """The batch's ledger in bulk inserts (replacing an earlier one)."""
    import datetime

    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from storeledger.catalog.models import Product, Sku, Unit
    from storeledger.inventory.models import (
        Batch,
        MoveType,
        Posting,
        StockBalance,
        StockDocument,
        StockMove,
        Transfer,
    )
    from storeledger.org.models import Store, Warehouse, transit_warehouse

    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", password=None
    )
    unit, _ = Unit.objects.get_or_create(code="pcs", defaults={"name": "个", "precision": 0})
    product, _ = Product.objects.get_or_create(
        code="BT-MILK", defaults={"name": "追溯牛奶", "base_unit": unit, "tracking": "batch"}
    )
    sku, _ = Sku.objects.get_or_create(
        code="BT-MILK", defaults={"product": product, "name": "追溯牛奶", "purchase_price": 2}
    )
    hq, _ = Store.objects.get_or_create(code="BT00", defaults={"name": "总部"})
    central, _ = Warehouse.objects.get_or_create(
        code="BTCW", defaults={"name": "中央仓", "store": hq}
    )
    stores = []
    for n in range(1, STORES + 1):
        store, _ = Store.objects.get_or_create(code=f"BT{n:02d}", defaults={"name": f"门店{n}"})
        wh, _ = Warehouse.objects.get_or_create(
            code=f"BTW{n:02d}", defaults={"name": f"门店仓{n}", "store": store}
        )
        stores.append((store, wh))
    transit = transit_warehouse()
    batch, _ = Batch.objects.get_or_create(
        sku=sku,
        batch_no=BATCH_NO,
        defaults={
            "production_date": datetime.date(2026, 1, 1),
            "expiry_date": datetime.date(2027, 1, 1),
        },
    )
    with transaction.atomic():
        old = StockMove.objects.filter(batch=batch)
        postings = list(old.values_list("posting_id", flat=True).distinct())
        old._raw_delete(old.db)  # the bench's own rows: moves are otherwise never deleted
        Posting.objects.filter(id__in=postings)._raw_delete(Posting.objects.db)
        StockDocument.objects.filter(number__startswith="BT-SO-").delete()
        Transfer.objects.filter(number__startswith="BT-TR-").delete()
        StockBalance.objects.filter(batch=batch)._raw_delete(StockBalance.objects.db)

        warehouses = [central, transit] + [wh for _s, wh in stores]
        balances = {
            wh.id: StockBalance.objects.create(warehouse=wh, sku=sku, batch=batch)
            for wh in warehouses
        }
        start = timezone.now() - datetime.timedelta(days=200)
        on_hand = {wh.id: Decimal(0) for wh in warehouses}
        cost = Decimal("2.0000")
        rows: list[tuple] = []  # (posting index, warehouse id, move type, quantity)
        postings_made: list[Posting] = []

        def posting(kind: str, doc_id: int, number: str, at, event: str = "post") -> int:
            postings_made.append(
                Posting(
                    key=f"bench-trace:{kind}:{doc_id}:{event}",
                    document_type=kind,
                    document_id=doc_id,
                    document_number=number,
                    event=event,
                    posted_at=at,
                    user=admin,
                )
            )
            return len(postings_made) - 1

        received = Decimal(moves_wanted * 2)
        at = start
        rows.append(
            (
                posting("purchase_receipt", 1, "BT-PR-1", at),
                central.id,
                "purchase_receipt",
                received,
            )
        )
        per_store = (received / 2 / STORES).quantize(Decimal(1))
        transfers = Transfer.objects.bulk_create(
            [
                Transfer(
                    number=f"BT-TR-{n:03d}",
                    store=hq,
                    from_warehouse=central,
                    to_warehouse=wh,
                    status="posted",
                )
                for n, (_store, wh) in enumerate(stores)
            ]
        )
        for transfer in transfers:
            at += datetime.timedelta(minutes=5)
            p = posting("transfer", transfer.id, transfer.number, at, event="ship")
            rows.append((p, central.id, MoveType.TRANSFER_OUT, -per_store))
            rows.append((p, transit.id, MoveType.TRANSFER_IN, per_store))
            at += datetime.timedelta(minutes=5)
            p = posting("transfer", transfer.id, transfer.number, at, event="receive")
            rows.append((p, transit.id, MoveType.TRANSFER_OUT, -per_store))
            rows.append((p, transfer.to_warehouse_id, MoveType.TRANSFER_IN, per_store))
        outs = moves_wanted - len(rows)
        documents = StockDocument.objects.bulk_create(
            [
                StockDocument(
                    number=f"BT-SO-{n:06d}",
                    kind="stock_out",
                    store=stores[n % STORES][0],
                    warehouse=stores[n % STORES][1],
                    status="posted",
                )
                for n in range(outs)
            ]
        )
        for document in documents:
            at += datetime.timedelta(minutes=1)
            p = posting("stock_document", document.id, document.number, at)
            rows.append((p, document.warehouse_id, MoveType.STOCK_OUT, Decimal(-1)))
        made = Posting.objects.bulk_create(postings_made, batch_size=2000)
        moves = []
        for p, wh, move_type, quantity in rows:
            on_hand[wh] += quantity
            moves.append(
                StockMove(
                    posting=made[p],
                    balance=balances[wh],
                    posted_at=made[p].posted_at,
                    warehouse_id=wh,
                    sku=sku,
                    batch=batch,
                    move_type=move_type,
                    quantity=quantity,
                    unit_cost=cost,
                    value=quantity * cost,
                    balance_quantity=on_hand[wh],
                    balance_value=on_hand[wh] * cost,
                    prev_hash="bench",
                    hash="bench",
                )
            )
        StockMove.objects.bulk_create(moves, batch_size=2000)
        for wh, balance in balances.items():
            StockBalance.objects.filter(pk=balance.pk).update(
                on_hand=on_hand[wh], value=on_hand[wh] * cost, move_count=0, last_posted_at=at
            )
    from django.db import connection

    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give
        cursor.execute("ANALYZE")


def _median_ms(repeat: int, run) -> tuple[float, float, object]:
    """Median wall time and median CPU time of this process (the server's Python work,
    without the database server's: less sensitive to a busy shared machine), in ms."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return (
        round(statistics.median(times) * 1000, 1),
        round(statistics.median(cpu) * 1000, 1),
        result,
    )


def _child(db: str, moves_wanted: int, repeat: int) -> None:
    os.environ["DATABASE_URL"] = PG_URL if db == "pg" else SQLITE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from storeledger.inventory.models import Batch, StockMove

    batch = Batch.objects.filter(batch_no=BATCH_NO).first()
    generated = None
    if batch is None or StockMove.objects.filter(batch=batch).count() != moves_wanted:
        started = time.perf_counter()
        _generate(moves_wanted)
        generated = round(time.perf_counter() - started, 1)
        batch = Batch.objects.get(batch_no=BATCH_NO)
    client = APIClient()
    client.force_authenticate(User.objects.get(username="bench"))
    url = "/api/v1/reports/batch-trace/"
    store_wh = StockMove.objects.filter(batch=batch, move_type="stock_out").first().warehouse_id
    number = (
        StockMove.objects.filter(batch=batch, move_type="stock_out")
        .values_list("posting__document_number", flat=True)
        .first()
    )

    def get(path, query):
        def run():
            response = client.get(path, query)
            assert response.status_code == 200, response.content[:300]
            if hasattr(response, "streaming_content"):
                return b"".join(response.streaming_content)
            return response.json()

        return run

    figures: dict = {"database": "postgresql" if db == "pg" else "sqlite", "moves": moves_wanted}
    if generated is not None:
        figures["generated_s"] = generated
    cases = {
        "trace": (url, {"batch": batch.id}),
        "trace_one_warehouse": (url, {"batch": batch.id, "warehouse": store_wh}),
        "export_xlsx": (url + "export/", {"batch": batch.id, "format": "xlsx"}),
        "document_batches": (url + "document/", {"number": number}),
    }
    get(*cases["trace"])()  # warm: kept permissions, scope, translations
    for name, (path, query) in cases.items():
        with CaptureQueriesContext(connection) as queries:
            get(path, query)()
        figures[f"{name}_queries"] = len(queries)
        figures[f"{name}_ms"], figures[f"{name}_cpu_ms"], result = _median_ms(
            repeat, get(path, query)
        )
        if name == "trace":
            totals = result["totals"]
            out = sum(Decimal(o["quantity"]) for o in totals["outflows"])
            figures["trace_moves"] = totals["moves"]
            figures["trace_balances"] = Decimal(totals["received"]) == (
                out + Decimal(totals["on_hand"]) + Decimal(totals["in_transit"])
            )
            figures["trace_response_kb"] = round(len(json.dumps(result)) / 1024, 1)
    figures["load_average_1m"] = round(os.getloadavg()[0], 1)  # a shared machine: how busy
    print(json.dumps(figures, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", choices=["pg", "sqlite", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.db, args.moves, args.repeat)
        return
    for db in ("pg", "sqlite") if args.db == "both" else (args.db,):
        url = PG_URL if db == "pg" else SQLITE_URL
        if db == "pg":
            _ensure_pg_database()
        else:
            (ROOT / "var").mkdir(exist_ok=True)
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--db",
                db,
                "--moves",
                str(args.moves),
                "--repeat",
                str(args.repeat),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )


if __name__ == "__main__":
    main()
