"""The race harness of the PostgreSQL concurrency tests (tests marked `postgres` with
`django_db(transaction=True)`): jobs started at the same instant, each in its own thread — so
its own database connection and transaction — a watcher that proves a transaction really
waited for another's lock, and a way to make the lock holder keep its locks a moment so the
other one arrives meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from django.db import connection

from storeledger.core.errors import DomainError


def race(
    jobs: Sequence[Callable[[], object]], *, errors: list[BaseException | None] | None = None
) -> list[str]:
    """Run each job in its own thread, all released together by a barrier, and answer their
    outcomes in job order: "ok", the `code` of a domain error (insufficient_stock,
    state_conflict, over_receipt…), or "<type>: <message>" for any other exception, so an
    assertion on the outcomes shows it. `errors`, when given, receives each job's exception
    (None for "ok"). Every thread closes its connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [""] * len(jobs)
    raised: list[BaseException | None] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index], raised[index] = error.code, error
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertions
            outcomes[index], raised[index] = f"{type(error).__name__}: {error}", error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors is not None:
        errors[:] = raised
    return outcomes


class LockWaits:
    """While the `with` block runs, a thread with its own connection counts, every 20 ms, the
    sessions of the test database waiting for a lock (pg_stat_activity); `most` is the largest
    count seen. `most >= 1` proves that the race happened: one transaction waited for
    another's lock."""

    def __init__(self) -> None:
        self.seen: list[int] = []
        self._watching = threading.Event()
        self._thread = threading.Thread(target=self._watch)

    @property
    def most(self) -> int:
        return max(self.seen, default=0)

    def _watch(self) -> None:
        try:
            with connection.cursor() as cursor:
                while self._watching.is_set():
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock'"
                    )
                    self.seen.append(cursor.fetchone()[0])
                    time.sleep(0.02)
        finally:
            connection.close()

    def __enter__(self) -> LockWaits:
        self._watching.set()
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._watching.clear()
        self._thread.join()


def hold_locks(monkeypatch, module, name: str, seconds: float = 0.3) -> None:
    """Make `module.<name>` (the function of a service that takes its locks) keep them a moment
    after taking them, so a racing transaction arrives meanwhile and must wait for them."""
    real = getattr(module, name)

    def holds_a_moment(*args, **kwargs):
        locked = real(*args, **kwargs)
        time.sleep(seconds)
        return locked

    monkeypatch.setattr(module, name, holds_a_moment)
