"""Idempotency-Key for mutating API requests: the same key with the same body returns the
stored first response; the same key with another body is a 409."""

from __future__ import annotations

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.core.api.errors import error_body
from storeledger.core.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
STALE_AFTER = datetime.timedelta(minutes=2)
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


def _conflict(message: str) -> JsonResponse:
    return JsonResponse(error_body("idempotency_conflict", message), status=409)


def run_idempotent(request: HttpRequest, user, handler) -> HttpResponse:
    """Call `handler()` at most once per (user, Idempotency-Key)."""
    key = request.META.get(HEADER, "").strip()
    if not key or request.method not in MUTATING or user is None or not user.is_authenticated:
        return handler()
    if len(key) > 200:
        return JsonResponse(
            error_body("invalid", _("The Idempotency-Key header is longer than 200 characters.")),
            status=400,
        )
    request_hash = _request_hash(request)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user,
                key=key,
                method=request.method,
                path=request.path,
                request_hash=request_hash,
            )
    except IntegrityError:
        record = IdempotencyRecord.objects.get(user=user, key=key)
        if record.request_hash != request_hash:
            return _conflict(_("This Idempotency-Key was already used for a different request."))
        if record.status_code is None:
            if timezone.now() - record.created_at < STALE_AFTER:
                return _conflict(_("A request with this Idempotency-Key is still being processed."))
            # The first attempt died without an answer (e.g. a crashed worker): run it again.
            IdempotencyRecord.objects.filter(pk=record.pk, status_code=None).delete()
            return run_idempotent(request, user, handler)
        response = HttpResponse(
            bytes(record.body), status=record.status_code, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response
    response = handler()
    if response.status_code >= 500 or response.status_code in (401, 403, 429):
        record.delete()  # not a result: let the client try again with the same key
        return response
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", "application/json"),
        body=response.content,
    )
    return response
