"""Transaction boundary and retry for every state-changing service."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction

P = ParamSpec("P")
R = TypeVar("R")

RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected


def _is_retryable(error: BaseException) -> bool:
    cause = error.__cause__ or error
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    # SQLite reports a busy database after the busy timeout; queueing again is safe.
    return "database is locked" in str(cause)


# Set by core.idempotency for a view that runs one service and catches none of its errors:
# that service joins the request's transaction without a savepoint of its own (two statements
# fewer); if it fails, the whole transaction is rolled back and the failure's answer recorded
# afterwards (core.idempotency). Read once: services it calls keep their savepoints.
_JOIN_WITHOUT_SAVEPOINT: ContextVar[bool] = ContextVar("join_without_savepoint", default=False)


def join_next_without_savepoint(enabled: bool) -> None:
    """The next service joining the current transaction does so without a savepoint."""
    _JOIN_WITHOUT_SAVEPOINT.set(enabled)


def run_in_transaction(func: Callable[[], R]) -> R:
    """Run `func` in one transaction, retried a bounded number of times on a serialization
    failure or deadlock (SQLSTATE 40001/40P01) or a busy SQLite database. Inside an outer
    transaction it joins it without retrying (the outer boundary retries the whole unit: a
    retry never half-applies anything), in a savepoint unless `join_next_without_savepoint`
    asked otherwise (then a failure dooms the outer transaction)."""
    if connection.in_atomic_block:
        if _JOIN_WITHOUT_SAVEPOINT.get():
            _JOIN_WITHOUT_SAVEPOINT.set(False)
            with transaction.atomic(savepoint=False):
                return func()
        with transaction.atomic():
            return func()
    attempts = settings.SERVICE_RETRY_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return func()
        except DatabaseError as error:
            if attempt == attempts or not _is_retryable(error):
                raise
            time.sleep(0.005 * attempt)
    raise AssertionError("unreachable")


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run a service in one transaction (see `run_in_transaction`): retried on a
    serialization failure or deadlock, but only at the outermost boundary — a service called
    by another, or under an Idempotency-Key (core.idempotency), joins the caller's
    transaction, and the caller retries."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return run_in_transaction(lambda: func(*args, **kwargs))

    return wrapper
