"""Shared harness of the HTTP benchmarks: a fresh database with a store, a keeper and stock,
gunicorn serving it, concurrent clients, and the CPU the server and the database spent.

Measured from outside, as a client sees it: every request is a real HTTP request to gunicorn
(sync workers close the connection after each answer, so each request opens one)."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/sl_bench_http")
SQLITE_PATH = ROOT / "var" / "bench_http.sqlite3"
PASSWORD = "bench-pass-1234"
SKUS = 60
CLK_TCK = os.sysconf("SC_CLK_TCK")


def database_url(kind: str) -> str:
    if kind == "sqlite":
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    import psycopg

    name = urlparse(PG_URL).path.lstrip("/")
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL


def server_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT / "src"),
    }


def prepare(kind: str, setup_script: str, *args: str) -> tuple[dict[str, str], dict]:
    """Migrate a fresh database and run the benchmark's own setup in a child process (Django
    is configured once per process); returns the server environment and the setup's JSON."""
    env = server_env(database_url(kind))
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    done = subprocess.run(
        [PY, setup_script, "--setup", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return env, json.loads(done.stdout.strip().splitlines()[-1])


def setup_world(skus: int = SKUS, stock: str = "100000000") -> dict:
    """In a configured Django process: a store, a warehouse, SKUs with stock, and a keeper."""
    from decimal import Decimal

    from storeledger.inventory.ledger import MoveRequest
    from storeledger.testing import factories

    store = factories.store("0001", name="一号店")
    warehouse = factories.warehouse(store, code="WH01", allow_negative_stock=False)
    items = [factories.sku(code=f"B{i:04d}") for i in range(skus)]
    factories.posting(
        "bench-opening",
        [
            MoveRequest(warehouse.id, s.id, Decimal(stock), "stock_in", unit_cost=Decimal("2.5"))
            for s in items
        ],
    )
    factories.user("bench", roles=("warehouse_keeper",), stores=(store,), password=PASSWORD)
    return {"warehouse": warehouse.id, "skus": [s.id for s in items]}


def count_queries(path: str, body: dict, headers: dict | None = None) -> int:
    """Queries of one request through Django's test client, as the keeper, token-authenticated
    (a steady-state one: the token has been used before)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    token = json.loads(
        client.post(
            "/api/v1/auth/token/",
            {"username": "bench", "password": PASSWORD},
            content_type="application/json",
        ).content
    )["token"]
    extra = {"HTTP_AUTHORIZATION": f"Token {token}"}
    client.get("/api/v1/auth/me/", **extra)  # the token's first use stamps last_used_at
    for name, value in (headers or {}).items():
        extra["HTTP_" + name.upper().replace("-", "_")] = value
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, body, content_type="application/json", **extra)
    if response.status_code >= 300:
        raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
    return len(queries)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with `workers` sync workers on a free port of 127.0.0.1."""

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "storeledger.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/api/v1/auth/me/")[0] in (200, 401, 403):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def cpu_seconds(self) -> float:
        return sum(_cpu(pid) for pid in _tree(self.process.pid))

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def database_cpu_seconds() -> float:
    """CPU of every postgres process (0 for SQLite, which runs inside the workers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _cpu(int(entry.name))
            except OSError:
                continue
    return total


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _tree(root: int) -> list[int]:
    pids = [root]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == root:
                pids.append(int(entry.name))
    return pids


def request(
    port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, path, body=payload, headers=all_headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def login(port: int) -> dict[str, str]:
    status, body = request(
        port, "POST", "/api/v1/auth/token/", {"username": "bench", "password": PASSWORD}
    )
    if status != 200:
        raise RuntimeError(f"login failed: {status} {body[:200]!r}")
    return {"Authorization": f"Token {json.loads(body)['token']}"}


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    units: int = 0  # e.g. lines posted
    app_cpu: float = 0.0
    db_cpu: float = 0.0

    def figures(self, unit: str = "units") -> dict:
        ok = len(self.latencies)
        ms = sorted(x * 1000 for x in self.latencies)
        out = {
            "requests_ok": ok,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "per_second": round(ok / self.seconds, 1),
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1) if ms else None,
            "app_cpu_ms_per_request": round(self.app_cpu * 1000 / ok, 2) if ok else None,
            "db_cpu_ms_per_request": round(self.db_cpu * 1000 / ok, 2) if ok else None,
        }
        if self.units:
            out[f"{unit}_per_second"] = round(self.units / self.seconds, 1)
        return out


def run_load(
    server: Server,
    make_request: Callable[[int, int], tuple[str, str, dict | None, dict]],
    *,
    clients: int,
    seconds: float | None = None,
    total: int | None = None,
    units: Callable[[dict | None], int] | None = None,
) -> LoadResult:
    """`clients` threads send requests (method, path, body, headers) from `make_request(client,
    n)` for `seconds`, or until `total` requests have been sent. 2xx answers are timed."""
    lock = threading.Lock()
    counter = iter(range(total if total is not None else 10**12))
    result = LoadResult(seconds=0.0)
    stop_at = time.monotonic() + seconds if seconds else float("inf")

    def worker(client: int) -> None:
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            method, path, body, headers = make_request(client, n)
            started = time.monotonic()
            status, _ = request(server.port, method, path, body, headers)
            elapsed = time.monotonic() - started
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    result.latencies.append(elapsed)
                    result.units += units(body) if units else 0

    app0, db0, t0 = server.cpu_seconds(), database_cpu_seconds(), time.monotonic()
    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - t0
    result.app_cpu = server.cpu_seconds() - app0
    result.db_cpu = database_cpu_seconds() - db0
    return result


def child_main(setup: Callable[[list[str]], dict]) -> bool:
    """When run with --setup: configure Django, run `setup`, print its JSON; True if it ran."""
    if "--setup" not in sys.argv:
        return False
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
    import django

    django.setup()
    args = sys.argv[sys.argv.index("--setup") + 1 :]
    print(json.dumps(setup(args)))
    return True
