"""Transaction boundary and retry for every state-changing service."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
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


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run a service in one transaction; retry a bounded number of times on a
    serialization failure or deadlock, but only at the outermost boundary (an inner
    call joins the caller's transaction, so a retry never half-applies anything)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            with transaction.atomic():
                return func(*args, **kwargs)
        attempts = settings.SERVICE_RETRY_ATTEMPTS
        for attempt in range(1, attempts + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except DatabaseError as error:
                if attempt == attempts or not _is_retryable(error):
                    raise
                time.sleep(0.005 * attempt)
        raise AssertionError("unreachable")

    return wrapper
