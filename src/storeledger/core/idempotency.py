"""Idempotency-Key for mutating API requests: the same key with the same body returns the
stored first response; the same key with another body is a 409.

The key is recorded in the request's own transaction, and its answer stored in it too, so
there is no moment at which the changes are committed and the answer is not: a process that
dies before the commit leaves neither, one that dies after it leaves the answer to replay. It
costs the request two statements and no transaction of its own (request hot path, issue 9):

1. the transaction's first statement inserts the key's record (user, key, request hash). The
   record is unique per user and key: while another request with the key is running, the
   insert waits for it to end (PostgreSQL waits on the uncommitted row, SQLite's IMMEDIATE
   transactions wait for the write lock); if that request committed, the insert fails and its
   stored answer is replayed (or a 409 when the body differs) — a retry sent while the first
   attempt still runs gets the first attempt's answer;
2. the view runs (services called inside join this transaction; serialization failures and
   deadlocks are retried here, the whole unit at once);
3. its answer is written into the record, committed with the changes;
4. a request that raises, or answers 5xx/401/403/429 (not a result), rolls back: its record
   goes with it and the client may retry with the same key at once.

A view that runs one service and catches none of its errors (`single_service_actions` of the
view, e.g. a scanner's stock-out) lets that service join the transaction without a savepoint
(two statements fewer). When the service fails, the transaction is doomed: it is rolled back
whole (the record with it), and the failure's answer (a 4xx, kept like any other) is recorded
in a short transaction of its own — or, if another request with the key committed meanwhile,
that request's answer is given.

A record is never committed without its answer; a pending one (status NULL) can only be left
by an older version of this code, which committed the key first, and it is freed."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from storeledger.core.api.errors import JsonErrorResponse, error_body
from storeledger.core.models import IdempotencyRecord
from storeledger.core.services import join_next_without_savepoint, run_in_transaction

HEADER = "HTTP_IDEMPOTENCY_KEY"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def key_of(request) -> str:
    """The request's Idempotency-Key ("" without one), for a service to keep on what it
    creates (a Django or DRF request)."""
    return request.META.get(HEADER, "").strip()


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update((request.method or "").encode())
    digest.update(request.get_full_path().encode())
    if request.content_type == "multipart/form-data":
        _hash_form(digest, request)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _hash_form(digest, request: HttpRequest) -> None:
    """A multipart body by its parsed content: every field, and each file's name and content
    hash. The raw body would differ on a retry, since each attempt draws a new boundary."""
    for name, values in sorted(request.POST.lists()):
        digest.update(repr(("field", name, values)).encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            content = hashlib.sha256()
            for chunk in upload.chunks():
                content.update(chunk)
            upload.seek(0)  # the view reads the file again
            digest.update(repr(("file", name, upload.name, content.hexdigest())).encode())


class _NotAResult(Exception):  # noqa: N818 - carries a response out of the transaction
    """An answer that is not kept (5xx, 401, 403, 429): its transaction rolls back."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


RETRY_AFTER_SECONDS = 1


def _conflict(message: str) -> JsonErrorResponse:
    return JsonErrorResponse(error_body("idempotency_conflict", message), status=409)


def _in_flight() -> JsonErrorResponse:
    response = _conflict(
        _("A request with this Idempotency-Key is still being processed; retry shortly.")
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response


class _Taken(Exception):  # noqa: N818 - a signal out of the transaction
    """The key's record is committed already (by an earlier request with the key)."""


class _Failed(Exception):  # noqa: N818 - carries a response out of the transaction
    """The view's service failed without a savepoint: the transaction rolls back whole and
    the answer is recorded after it (`_record_failure`)."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def _record_failure(request: HttpRequest, user, key: str, request_hash: str, response):
    """Record the key with the answer of a failed request, in a transaction of its own (the
    request's own was rolled back); the answer of another request that took the key in the
    meantime instead."""
    try:
        run_in_transaction(
            lambda: IdempotencyRecord.objects.create(
                user=user,
                key=key,
                method=request.method or "",
                path=request.path,
                request_hash=request_hash,
                status_code=response.status_code,
                content_type=response.get("Content-Type", "application/json"),
                body=response.content,
            )
        )
    except IntegrityError:
        return _answer_for_taken(user, key, request_hash) or response
    return response


def _run(
    request: HttpRequest, user, key: str, request_hash: str, handler, single_service: bool
) -> HttpResponse:
    """The request's transaction: record the key, run the view, store its answer."""
    try:
        record = IdempotencyRecord.objects.create(
            user=user,
            key=key,
            method=request.method or "",  # set on every request Django serves
            path=request.path,
            request_hash=request_hash,
        )
    except IntegrityError:  # the first statement: nothing to undo but the transaction
        raise _Taken from None
    join_next_without_savepoint(single_service)
    try:
        response = handler()
    finally:
        join_next_without_savepoint(False)
    if response.status_code >= 500 or response.status_code in (401, 403, 429):
        raise _NotAResult(response)  # not a result: roll back, let the client try again
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    if transaction.get_rollback():  # the service failed and doomed the transaction
        raise _Failed(response)
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", "application/json"),
        body=response.content,
    )
    return response


def _answer_for_taken(user, key: str, request_hash: str) -> HttpResponse | None:
    """The answer to a request whose key is recorded; None: run it (the record is gone, or
    it is a pending claim of an older version, which never ran to an answer)."""
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        return None
    if record.request_hash != request_hash:
        return _conflict(_("This Idempotency-Key was already used for a different request."))
    if record.status_code is not None:
        return _replay(record)
    IdempotencyRecord.objects.filter(pk=record.pk, status_code=None).delete()
    return None


def run_idempotent(
    request: HttpRequest, user, handler, *, single_service: bool = False
) -> HttpResponse:
    """Call `handler()` at most once per (user, Idempotency-Key), its answer stored in the
    same transaction as its changes. `single_service`: the view runs one service and catches
    none of its errors (it joins without a savepoint, see above)."""
    key = request.META.get(HEADER, "").strip()
    if not key or request.method not in MUTATING or user is None or not user.is_authenticated:
        return handler()
    if len(key) > 200:
        return JsonErrorResponse(
            error_body("invalid", _("The Idempotency-Key header is longer than 200 characters.")),
            status=400,
        )
    request_hash = _request_hash(request)
    for _attempt in range(3):
        try:
            return run_in_transaction(
                lambda: _run(request, user, key, request_hash, handler, single_service)
            )
        except _NotAResult as outcome:
            return outcome.response
        except _Failed as outcome:
            return _record_failure(request, user, key, request_hash, outcome.response)
        except _Taken:
            answer = _answer_for_taken(user, key, request_hash)
            if answer is not None:
                return answer
    return _in_flight()  # taken and freed again and again: let the client come back
