"""The request hot path, measured from outside: `POST /api/v1/stock-outs/` with `"post": true`
(1 line and 5 lines) against gunicorn with 2 sync workers, at 1 and 16 clients, and a trivial
authenticated GET (`/api/v1/auth/me/`) for scale; on PostgreSQL and SQLite, each fresh.

Prints JSON: per case the rate, p50 and p99 latency, the server's and the database's CPU
milliseconds per request, and the queries one request makes (Django test client, in-process).
Stock-outs take random SKUs of 60 with ample stock (a store's mix, not one hot row).

Usage: .venv/bin/python bench/http_hot_path.py [--seconds 10] [--only postgres|sqlite]
Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/sl_bench_http)."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import http_harness as h  # noqa: E402 - the harness sits beside this script


def setup(args: list[str]) -> dict:
    world = h.setup_world()
    sku = world["skus"][0]
    # Steady state: the day's first stock-out also creates its number series row, and a token's
    # first use stamps last_used_at (once every few minutes); neither is counted.
    h.count_queries("/api/v1/stock-outs/", stock_out(world["warehouse"], [sku]))
    queries = {}
    for lines in (1, 5):
        body = stock_out(world["warehouse"], world["skus"][:lines])
        queries[f"stock_out_{lines}_line"] = h.count_queries("/api/v1/stock-outs/", body)
    queries["stock_out_1_line_with_idempotency_key"] = h.count_queries(
        "/api/v1/stock-outs/",
        stock_out(world["warehouse"], [sku]),
        {"Idempotency-Key": "bench-queries-1"},
    )
    return {**world, "queries": queries}


def stock_out(warehouse: int, skus: list[int]) -> dict:
    return {
        "warehouse": warehouse,
        "post": True,
        "lines": [{"sku": sku, "quantity": "1"} for sku in skus],
    }


def run(kind: str, seconds: float) -> dict:
    env, world = h.prepare(kind, __file__)
    figures: dict = {"queries_per_request": world["queries"]}
    with h.Server(env) as server:
        auth = h.login(server.port)
        for lines in (1, 5):
            for clients in (1, 16):
                rng = random.Random(lines * 100 + clients)

                def make(client, n, lines=lines, rng=rng):
                    skus = rng.sample(world["skus"], lines)
                    body = stock_out(world["warehouse"], skus)
                    return "POST", "/api/v1/stock-outs/", body, auth

                result = h.run_load(server, make, clients=clients, seconds=seconds)
                figures[f"stock_out_{lines}_line_{clients}_clients"] = result.figures()
        me = h.run_load(
            server,
            lambda c, n: ("GET", "/api/v1/auth/me/", None, auth),
            clients=16,
            seconds=seconds / 2,
        )
        figures["get_me_16_clients"] = me.figures()
    return figures


def main() -> None:
    if h.child_main(setup):
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--only", choices=("postgres", "sqlite"))
    args = parser.parse_args()
    out = {
        "benchmark": "http_hot_path",
        "gunicorn_sync_workers": 2,
        "seconds_per_case": args.seconds,
        "machine_cpus": os.cpu_count(),
    }
    for kind in ("postgres", "sqlite"):
        if args.only in (None, kind):
            out[kind] = run(kind, args.seconds)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
