"""The request hot path measured in-process: the app CPU milliseconds and the queries of one
request to each hot endpoint, through Django's test client, token-authenticated as a scanner is.

The CPU a process spends on a request is what limits a server's rate; unlike a rate or a
latency it stays meaningful on a loaded machine (the database's waits are not counted). The
figure includes the test client's own small overhead, the same for every case; the trivial
authenticated `GET /api/v1/auth/me/` is measured for scale.

Cases: stock-out with post of 1 and 5 lines (and 1 line with an Idempotency-Key), transfer
ship and receive (1 line), a count scan (1 entry). A fresh database each run (PostgreSQL by
default: `sl_bench_cpu`, dropped and created; `--db sqlite` for a file under var/).

Usage: .venv/bin/python bench/hot_path_cpu.py [--requests 300] [--db postgres|sqlite]
       [--profile CASE [--sort tottime|cumulative] [--limit 40]]
Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/sl_bench_cpu).
Prints JSON: per case the median and mean CPU ms per request and the queries of one request."""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import secrets
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/sl_bench_cpu")
SQLITE_PATH = ROOT / "var" / "bench_cpu.sqlite3"
SKUS = 60
CASES = (
    "stock_out_1",
    "stock_out_5",
    "stock_out_1_key",
    "transfer_ship_1",
    "transfer_receive_1",
    "count_scan_1",
    "get_me",
)


def configure(db: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    import http_harness as h

    if db == "sqlite":
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
    else:
        h.PG_URL = PG_URL
        url = h.database_url("postgres")
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "false",
            "LOG_LEVEL": "ERROR",
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


class World:
    """A store with two warehouses, SKUs with stock, a keeper of both stores, an admin."""

    def __init__(self) -> None:
        from django.test import Client

        from storeledger.accounts import tokens
        from storeledger.accounts.roles import sync_roles
        from storeledger.inventory.ledger import MoveRequest
        from storeledger.inventory.services import counts as count_services
        from storeledger.testing import factories

        sync_roles()
        store = factories.store("0001", name="一号店")
        other = factories.store("0002", name="二号店")
        self.warehouse = factories.warehouse(store, code="WH01", allow_negative_stock=False)
        self.other = factories.warehouse(other, code="WH02", allow_negative_stock=False)
        self.skus = [factories.sku(code=f"B{i:04d}") for i in range(SKUS)]
        factories.posting(
            "bench-opening",
            [
                MoveRequest(
                    self.warehouse.id, s.id, Decimal(10**8), "stock_in", unit_cost=Decimal(2)
                )
                for s in self.skus
            ],
        )
        self.keeper = factories.user("bench", roles=("warehouse_keeper",), stores=(store, other))
        self.admin = factories.user("bench-admin", roles=("admin",), all_stores=True)
        self.admin.is_superuser = True
        self.admin.save()
        _token, key = tokens.issue(user=self.keeper, name="bench")
        self.client = Client()
        self.auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
        self.get("/api/v1/auth/me/")  # the token's first use stamps last_used_at
        count = count_services.create_stock_count(user=self.admin, warehouse_id=self.other.id)
        count_services.start_stock_count(user=self.admin, count_id=count.id)
        self.count_id = count.id
        self.keys = iter(range(10**9))

    def get(self, path: str):
        response = self.client.get(path, **self.auth)
        assert response.status_code == 200, response.content[:300]
        return response

    def post(self, path: str, body: dict, status: int, **headers):
        response = self.client.post(
            path, body, content_type="application/json", **self.auth, **headers
        )
        assert response.status_code == status, (path, response.status_code, response.content[:300])
        return response

    def stock_out(self, lines: int) -> dict:
        return {
            "warehouse": self.warehouse.id,
            "post": True,
            "lines": [{"sku": s.id, "quantity": "1"} for s in self.skus[:lines]],
        }

    def approved_transfer(self, lines: int = 1) -> int:
        from storeledger.inventory.services import transfers as ts

        transfer = ts.create_transfer(
            user=self.admin,
            from_warehouse_id=self.warehouse.id,
            to_warehouse_id=self.other.id,
            lines=[
                ts.TransferLineInput(sku_id=s.id, quantity=Decimal(2)) for s in self.skus[:lines]
            ],
        )
        ts.submit_transfer(user=self.admin, transfer_id=transfer.id)
        ts.approve_transfer(user=self.admin, transfer_id=transfer.id)
        return transfer.id

    def shipped_transfer(self) -> tuple[int, dict]:
        from storeledger.inventory.services import transfers as ts

        transfer_id = self.approved_transfer()
        shipped = ts.ship_transfer(user=self.admin, transfer_id=transfer_id)
        lines = [{"line": ln.id, "quantity": "2"} for ln in shipped.lines.order_by("line_no")]
        return transfer_id, {"lines": lines}

    def request_of(self, case: str):
        """(prepare, send): `prepare()` runs untimed and returns what `send` needs."""
        if case.startswith("stock_out_"):
            lines = int(case.split("_")[2])
            body = self.stock_out(lines)
            if case.endswith("_key"):
                return (
                    lambda: {"HTTP_IDEMPOTENCY_KEY": f"bench-{next(self.keys)}"},
                    lambda headers: self.post("/api/v1/stock-outs/", body, 201, **headers),
                )
            return (lambda: None, lambda _: self.post("/api/v1/stock-outs/", body, 201))
        if case == "transfer_ship_1":
            return (
                self.approved_transfer,
                lambda pk: self.post(f"/api/v1/transfers/{pk}/ship/", {}, 200),
            )
        if case == "transfer_receive_1":
            return (
                self.shipped_transfer,
                lambda arg: self.post(f"/api/v1/transfers/{arg[0]}/receive/", arg[1], 200),
            )
        if case == "count_scan_1":
            body = {"entries": [{"sku": self.skus[0].id, "quantity": "1"}]}
            url = f"/api/v1/stock-counts/{self.count_id}/entries/"
            return (lambda: None, lambda _: self.post(url, body, 201))
        if case == "get_me":
            return (lambda: None, lambda _: self.get("/api/v1/auth/me/"))
        raise ValueError(case)


def queries_of(world: World, case: str, show: bool = False) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare, send = world.request_of(case)
    arg = prepare()
    with CaptureQueriesContext(connection) as captured:
        send(arg)
    if show:
        for query in captured:
            print(query["sql"][:300], file=sys.stderr)
    return len(captured)


def cpu_of(world: World, case: str, requests: int, profiler=None) -> dict:
    prepare, send = world.request_of(case)
    for _ in range(10):  # warm: the process's kept values, the day's number series
        send(prepare())
    samples = []
    for _ in range(requests):
        arg = prepare()
        gc.collect()
        if profiler is not None:
            profiler.enable()
        started = time.thread_time()
        send(arg)
        samples.append(time.thread_time() - started)
        if profiler is not None:
            profiler.disable()
    ms = [s * 1000 for s in samples]
    return {
        "cpu_ms_median": round(statistics.median(ms), 2),
        "cpu_ms_mean": round(statistics.fmean(ms), 2),
    }


class _Sampling:
    """pyinstrument behind cProfile's enable/disable: one session per request, combined."""

    def __init__(self) -> None:
        from pyinstrument import Profiler  # optional: pip install pyinstrument

        self.make = lambda: Profiler(interval=0.0001)
        self.current = None
        self.session = None

    def enable(self) -> None:
        self.current = self.make()
        self.current.start()

    def disable(self) -> None:
        from pyinstrument.session import Session

        done = self.current.stop()
        self.session = done if self.session is None else Session.combine(self.session, done)

    def text(self, flat: bool) -> str:
        from pyinstrument.renderers import ConsoleRenderer

        return ConsoleRenderer(flat=flat, time="percent_of_total").render(self.session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--only", nargs="*", choices=CASES)
    parser.add_argument("--profile", choices=CASES)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument(
        "--pyinstrument", action="store_true", help="sample with pyinstrument (wall time)"
    )
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--show-queries", action="store_true", help="print their SQL (stderr)")
    args = parser.parse_args()
    configure(args.db)
    world = World()
    if args.profile and args.pyinstrument:
        sampling = _Sampling()
        cpu_of(world, args.profile, args.requests, sampling)
        print(sampling.text(flat=args.sort == "flat"))
        return
    if args.profile:
        profiler = cProfile.Profile(time.thread_time)  # CPU, not the waits on the database
        cpu_of(world, args.profile, args.requests, profiler)
        stats = pstats.Stats(profiler)
        stats.sort_stats(args.sort).print_stats(args.limit)
        return
    out: dict = {"benchmark": "hot_path_cpu", "db": args.db, "requests": args.requests}
    for case in args.only or CASES:
        cpu = cpu_of(world, case, args.requests)  # warms first: the steady state is counted
        out[case] = {"queries": queries_of(world, case, args.show_queries), **cpu}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
