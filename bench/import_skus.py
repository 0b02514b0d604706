"""Benchmark of the SKU import (`core.tabular.import_table` with the SKU sheet, what
`POST /api/v1/skus/import/` and its background job run).

For each database (SQLite: a temporary file under var/; PostgreSQL: database `sl_bench_import`,
created when missing) and each size (default 20,000 and 100,000 rows), a fresh migrated database
imports a generated csv of new SKUs (every second pair of SKUs shares a product, each has an EAN-13
barcode, a category, a brand and prices), then imports the same file again (every row an update).
Figures: seconds, rows/s, SQL queries, peak memory of the process (ru_maxrss) and its growth
during the import.

Prints one JSON object. Usage:
    .venv/bin/python bench/import_skus.py [--rows 20000 100000] [--only sqlite|postgres]
Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/sl_bench_import).
Each run is a child process (Django is configured once per process, memory is per run)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench_import.sqlite3"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/sl_bench_import")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.rows[0])))
        return
    figures: dict = {"benchmark": "import_skus", "machine_cpus": os.cpu_count()}
    for kind in ("sqlite", "postgres"):
        if args.only and args.only != kind:
            continue
        figures[kind] = {}
        for rows in args.rows:
            command = [sys.executable, __file__, "--child", kind, "--rows", str(rows)]
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
            if done.returncode != 0:
                figures[kind][str(rows)] = {"error": done.stderr.strip().splitlines()[-5:]}
                continue
            figures[kind][str(rows)] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, indent=2))


def _ean13(number: int) -> str:
    body = f"69{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def sku_csv(rows: int) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(
        [
            "code",
            "name",
            "product_code",
            "base_unit",
            "category",
            "brand",
            "purchase_price",
            "retail_price",
            "barcode",
        ]
    )
    for i in range(rows):
        writer.writerow(
            [
                f"B{i:07d}",
                f"测试商品 {i} 330ml",
                f"P{i // 2:07d}",
                "pcs",
                f"C{i // 2 % 20:02d}",  # a product's fields are the same on its SKUs' rows
                f"BR{i // 2 % 50:02d}",
                f"{1 + i % 97}.50",
                f"{3 + i % 89}.90",
                _ean13(i),
            ]
        )
    return text.getvalue().encode("utf-8")


def _setup_database(kind: str) -> None:
    if kind == "sqlite":
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
        return
    import psycopg

    url = urlparse(PG_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = PG_URL


def _max_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_child(kind: str, rows: int) -> dict:
    _setup_database(kind)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from storeledger.catalog.api import SkuResource
    from storeledger.catalog.models import Brand, Category, Sku, Unit
    from storeledger.core import tabular
    from storeledger.testing import factories

    Unit.objects.create(code="pcs", name="个")
    for i in range(20):
        Category.objects.create(code=f"C{i:02d}", name=f"类别{i}", path="")
    for category in Category.objects.all():
        Category.objects.filter(pk=category.pk).update(path=f"/{category.pk}/")
    Brand.objects.bulk_create([Brand(code=f"BR{i:02d}", name=f"品牌{i}") for i in range(50)])
    user = factories.user("bench", roles=("admin",), all_stores=True)
    data = sku_csv(rows)

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    result: dict = {"rows": rows, "file_mb": round(len(data) / 1024 / 1024, 1)}
    for label in ("create", "update"):
        queries = 0
        before = _max_rss_mb()
        start = time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                outcome = tabular.import_table(
                    resource=SkuResource(user), data=data, filename="skus.csv"
                )
        except Exception as error:  # the figure is the refusal itself (e.g. a row limit)
            result[label] = {"refused": getattr(error, "code", type(error).__name__)}
            break
        seconds = time.perf_counter() - start
        result[label] = {
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds),
            "queries": queries,
            "created": outcome.get("created"),
            "updated": outcome.get("updated"),
            "peak_rss_mb": _max_rss_mb(),
            "rss_growth_mb": round(_max_rss_mb() - before, 1),
        }
    result["skus"] = Sku.objects.count()
    return result


if __name__ == "__main__":
    main()
