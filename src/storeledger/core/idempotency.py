"""Idempotency-Key for mutating API requests: the same key with the same body returns the
stored first response; the same key with another body is a 409.

The stored response commits in the same transaction as the request's changes, so there is no
moment at which the changes are committed and the answer is not: a process that dies before the
commit leaves no changes, one that dies after it leaves the answer to replay. In order:

1. claim: a pending record (user, key, request hash) is committed in its own short transaction,
   so a concurrent request with the same key sees it;
2. run: one transaction locks the record (PostgreSQL: FOR UPDATE; SQLite: the IMMEDIATE
   transaction serialises writers), re-reads it — another attempt may have finished first: then
   its answer is replayed — runs the view and stores its answer in the record. Serialization
   failures and deadlocks are retried here, the whole unit at once (services called inside join
   this transaction);
3. a request that raises, or answers 5xx/401/403/429 (not a result), rolls back and deletes its
   claim: the client may retry with the same key at once.

A pending key whose request is still running answers 409 idempotency_conflict with Retry-After
(the running request holds the record's row lock on PostgreSQL, the write lock on SQLite). A
pending key left by a process that died is free again at once: its run never committed, so
running it now cannot do anything twice."""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.core.api.errors import error_body
from storeledger.core.models import IdempotencyRecord
from storeledger.core.services import run_in_transaction

logger = logging.getLogger(__name__)

HEADER = "HTTP_IDEMPOTENCY_KEY"
STALE_AFTER = datetime.timedelta(minutes=2)  # other databases: a younger claim is running
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


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


def _conflict(message: str) -> JsonResponse:
    return JsonResponse(error_body("idempotency_conflict", message), status=409)


def _in_flight() -> JsonResponse:
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


def _still_running(record: IdempotencyRecord) -> bool:
    """Is the request that claimed this pending record still running? Its run holds the
    record's row lock (PostgreSQL) or the database's write lock (SQLite, IMMEDIATE
    transactions) until it commits or rolls back; probe it without waiting."""
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.select_for_update(nowait=True).filter(
                    pk=record.pk
                ).exists()
        except OperationalError:
            return True
        return False
    if connection.vendor == "sqlite":
        # Any writer counts as running: at worst the client retries a second later.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            (saved,) = cursor.fetchone()
            cursor.execute("PRAGMA busy_timeout = 0")
            try:
                with transaction.atomic():  # BEGIN IMMEDIATE: the write lock, or busy at once
                    IdempotencyRecord.objects.filter(pk=record.pk).exists()
            except OperationalError:
                return True
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(saved)}")
        return False
    return timezone.now() - record.created_at < STALE_AFTER  # pragma: no cover


def _run(pk: int, handler) -> HttpResponse:
    """The request's transaction: lock the claim, run the view, store its answer."""
    record = IdempotencyRecord.objects.select_for_update().filter(pk=pk).first()
    if record is None:  # its owner failed and let go of it a moment ago
        return _in_flight()
    if record.status_code is not None:  # another attempt with this key finished first
        return _replay(record)
    response = handler()
    if response.status_code >= 500 or response.status_code in (401, 403, 429):
        raise _NotAResult(response)  # not a result: roll back, let the client try again
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    IdempotencyRecord.objects.filter(pk=pk, status_code=None).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", "application/json"),
        body=response.content,
    )
    return response


def _release(pk: int) -> None:
    """Delete a claim whose request failed (best effort: when the database is gone, the claim
    stays pending and is free again once its transaction is known to be over)."""
    try:
        IdempotencyRecord.objects.filter(pk=pk, status_code=None).delete()
    except DatabaseError:
        logger.warning("could not release Idempotency-Key claim %s", pk, exc_info=True)


def _answer_for_existing(record: IdempotencyRecord, request_hash: str) -> HttpResponse | None:
    """The answer to a request whose key is already claimed; None: run it (its claim was
    left by a request that died before committing anything)."""
    if record.request_hash != request_hash:
        return _conflict(_("This Idempotency-Key was already used for a different request."))
    if record.status_code is not None:
        return _replay(record)
    if _still_running(record):
        return _in_flight()
    return None


def run_idempotent(request: HttpRequest, user, handler) -> HttpResponse:
    """Call `handler()` at most once per (user, Idempotency-Key), its answer stored in the
    same transaction as its changes."""
    key = request.META.get(HEADER, "").strip()
    if not key or request.method not in MUTATING or user is None or not user.is_authenticated:
        return handler()
    if len(key) > 200:
        return JsonResponse(
            error_body("invalid", _("The Idempotency-Key header is longer than 200 characters.")),
            status=400,
        )
    request_hash = _request_hash(request)
    # Read first (a plain read waits for no writer), then claim.
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=request.method,
                    path=request.path,
                    request_hash=request_hash,
                )
        except IntegrityError:  # claimed by a concurrent request a moment ago
            record = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if record is None:  # and released by its failed request since
                return _in_flight()
            answer = _answer_for_existing(record, request_hash)
            if answer is not None:
                return answer
    else:
        answer = _answer_for_existing(record, request_hash)
        if answer is not None:
            return answer
    try:
        return run_in_transaction(lambda: _run(record.pk, handler))
    except _NotAResult as outcome:
        _release(record.pk)
        return outcome.response
    except Exception:
        _release(record.pk)
        raise
