"""A month of a shop's invoices replayed through the API: 2,000 multi-line stock-outs with
`"post": true`, each with its invoice number as `Idempotency-Key`, from 8 clients, against
gunicorn with 2 sync workers; then the same invoices again (every one must replay, none post).

Invoice sizes follow a real online shop's (UCI Online Retail, Dec 2010: about 21 lines an
invoice, most short, a long tail): exponential with mean 20, capped at 150, from a fixed seed,
so every run replays the same month. Prints JSON: documents/s, lines/s,
p50/p99, statuses, and whether the replay posted nothing new.

Usage: .venv/bin/python bench/invoice_replay.py [--invoices 2000] [--clients 8]
                                                [--only postgres|sqlite]"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import http_harness as h  # noqa: E402 - the harness sits beside this script

SKUS = 400


def setup(args: list[str]) -> dict:
    world = h.setup_world(skus=SKUS)
    from storeledger.inventory.models import StockMove

    world["moves_before"] = StockMove.objects.count()
    return world


def invoices(count: int, skus: list[int], warehouse: int) -> list[dict]:
    rng = random.Random(20101201)
    out = []
    for n in range(count):
        size = min(150, max(1, round(rng.expovariate(1 / 20))))
        out.append(
            {
                "warehouse": warehouse,
                "post": True,
                "reference": f"INV-{536365 + n}",
                "lines": [
                    {"sku": sku, "quantity": str(rng.randint(1, 24))}
                    for sku in rng.sample(skus, size)
                ],
            }
        )
    return out


def moves_count(env: dict) -> int:
    import subprocess

    done = subprocess.run(
        [
            h.PY,
            "manage.py",
            "shell",
            "-c",
            "from storeledger.inventory.models import StockMove; print(StockMove.objects.count())",
        ],
        cwd=h.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


def run(kind: str, count: int, clients: int) -> dict:
    env, world = h.prepare(kind, __file__)
    month = invoices(count, world["skus"], world["warehouse"])
    with h.Server(env) as server:
        auth = h.login(server.port)

        def make(client, n):
            key = {"Idempotency-Key": month[n]["reference"]}
            return "POST", "/api/v1/stock-outs/", month[n], {**auth, **key}

        def lines(body):
            return len(body["lines"])

        first = h.run_load(server, make, clients=clients, total=count, units=lines)
        after_first = moves_count(env)
        replay = h.run_load(server, make, clients=clients, total=count, units=lines)
        after_replay = moves_count(env)
    return {
        "invoices": count,
        "lines": sum(len(i["lines"]) for i in month),
        "first_pass": first.figures("lines"),  # per_second: documents
        "replay": replay.figures("lines"),
        "replay_posted_nothing": after_first == after_replay,
        "moves_posted": after_first - world["moves_before"],
    }


def main() -> None:
    if h.child_main(setup):
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", choices=("postgres", "sqlite"))
    args = parser.parse_args()
    out = {"benchmark": "invoice_replay", "clients": args.clients, "machine_cpus": os.cpu_count()}
    for kind in ("postgres", "sqlite"):
        if args.only in (None, kind):
            out[kind] = run(kind, args.invoices, args.clients)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
