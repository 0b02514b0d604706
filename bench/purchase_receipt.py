"""Benchmark of posting a purchase receipt against an order (`purchasing.services.receipts.
create_purchase_receipt(..., post=True)`): a 5-line and a 50-line receipt, each receiving every
line of an approved order in full, timed over `--runs` receipts (p50, p95, mean in ms) with the
queries of one posting counted. The order is made and approved, and the receipt's input lines
read from its order lines, before the clock starts.

For SQLite (a temporary file under var/) and PostgreSQL (database `sl_bench_purchasing`, created
when missing), each migrated from scratch in a child process. Prints one JSON object; the issue's
target is a 50-line receipt costing less than 2× a 5-line one, and p95 < 100 ms on PostgreSQL.
Usage:
    .venv/bin/python bench/purchase_receipt.py [--runs 200] [--only sqlite|postgres]
Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/sl_bench_purchasing)."""

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from ledger_post import ensure_pg_database  # noqa: E402  (bench/ is not a package)

SQLITE_PATH = ROOT / "var" / "bench_purchasing.sqlite3"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/sl_bench_purchasing")
SIZES = (5, 50)
SKUS = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.runs)))
        return
    figures: dict = {
        "benchmark": "purchase_receipt",
        "runs": args.runs,
        "machine_cpus": os.cpu_count(),
    }
    for kind in ("sqlite", "postgres"):
        if args.only and args.only != kind:
            continue
        command = [sys.executable, __file__, "--child", kind, "--runs", str(args.runs)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode != 0:
            figures[kind] = {"error": done.stderr.strip().splitlines()[-5:]}
            continue
        figures[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, indent=2))


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


class World:
    """A store with a warehouse, a supplier, SKUs, a buyer, an approver and a receiver."""

    def __init__(self) -> None:
        from storeledger.partners.models import Supplier
        from storeledger.testing import factories

        store = factories.store("0001")
        self.warehouse = factories.warehouse(store, code="WH01")
        self.supplier = Supplier.objects.create(code="S001", name="bench supplier")
        self.skus = [factories.sku(code=f"P{i:03d}") for i in range(SKUS)]
        self.buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
        self.approver = factories.user("approver", roles=("store_manager",), stores=(store,))
        self.receiver = factories.user("receiver", roles=("warehouse_keeper",), stores=(store,))

    def approved_order(self, run: int, lines: int):
        from storeledger.purchasing.services import orders

        first = (run * lines) % len(self.skus)
        picked = [self.skus[(first + k) % len(self.skus)] for k in range(lines)]
        order = orders.create_purchase_order(
            user=self.buyer,
            supplier_id=self.supplier.id,
            warehouse_id=self.warehouse.id,
            lines=[
                orders.OrderLineInput(
                    sku_id=sku.id,
                    quantity=Decimal(10 + k),
                    unit_id=sku.product.base_unit_id,
                    price=Decimal("2.26"),
                )
                for k, sku in enumerate(picked)
            ],
        )
        orders.submit_purchase_order(user=self.buyer, order_id=order.id)
        return orders.approve_purchase_order(user=self.approver, order_id=order.id)

    def receipt_lines(self, order) -> list:
        """The receipt's input, every order line in full (read here, before the clock starts)."""
        from storeledger.purchasing.services import receipts

        return [
            receipts.ReceiptLineInput(order_line_id=line.id, quantity=line.quantity)
            for line in order.lines.order_by("id")
        ]

    def receive(self, order, lines: list) -> None:
        from storeledger.purchasing.services import receipts

        receipts.create_purchase_receipt(
            user=self.receiver, order_id=order.id, lines=lines, post=True
        )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(world: World, lines: int, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    orders = [world.approved_order(run, lines) for run in range(runs + 2)]
    inputs = [world.receipt_lines(order) for order in orders]  # before the clock starts
    world.receive(orders[0], inputs[0])  # warms the caches (and the day's number series)
    with CaptureQueriesContext(connection) as captured:
        world.receive(orders[1], inputs[1])
    timings = []
    for order, receipt_lines in zip(orders[2:], inputs[2:], strict=True):
        started = time.perf_counter()
        world.receive(order, receipt_lines)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "lines": lines,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "queries_per_posting": len(captured),
    }


def run_child(kind: str, runs: int) -> dict:
    setup_django(kind)
    world = World()
    results = {f"lines_{size}": measure(world, size, runs) for size in SIZES}
    small, large = results["lines_5"], results["lines_50"]
    results["p50_ratio_50_to_5"] = round(large["p50_ms"] / small["p50_ms"], 2)
    return results


if __name__ == "__main__":
    main()
