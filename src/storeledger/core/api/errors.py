"""One JSON error shape for the whole API: {"code", "message", "fields", "details"}."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from storeledger.core.errors import DomainError


def _message(value: Any) -> str:
    # DRF answers a null body (or a null nested object) with an untranslated "No data
    # provided" (not marked for translation in DRF itself).
    if getattr(value, "code", None) == "null" and str(value) == "No data provided":
        return str(_("No data provided: send a JSON object."))
    return str(value)  # a plain str, not DRF's ErrorDetail (which YAML would dump as a mapping)


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [...], "lines.0.quantity": [...]}."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            if value and all(not isinstance(v, dict | list) for v in value):
                out.setdefault(prefix or "non_field_errors", []).extend(_message(v) for v in value)
            else:
                for index, sub in enumerate(value):
                    if sub:
                        walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            out.setdefault(prefix or "non_field_errors", []).append(_message(value))

    walk("", detail)
    return out


def error_body(code: str, message: Any, fields=None, details=None) -> dict[str, Any]:
    return {
        "code": code,
        "message": str(force_str(message)),
        "fields": fields or {},
        "details": details or {},
    }


class JsonErrorResponse(JsonResponse):
    """An error answered outside DRF (Django's error handlers, the idempotency layer, the
    lockout): the same UTF-8 JSON as DRF's renderer, not ASCII with \\uXXXX escapes."""

    def __init__(self, data: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("json_dumps_params", {"ensure_ascii": False})
        super().__init__(data, **kwargs)


def bad_value_body() -> dict[str, Any]:
    return error_body(
        "invalid_value",
        _(
            "A value in the request is out of range or cannot be stored "
            "(e.g. a number with too many digits, or a NUL character)."
        ),
    )


def too_large_body(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return error_body("request_too_large", _("The request has too many fields or files."))
    return error_body(
        "request_too_large",
        _("The request body is larger than %(max)s MB.")
        % {"max": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1)},
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    # Bad values that only the database or the driver notices: an integer beyond 64 bits in a
    # filter (OverflowError on SQLite), a NUL or out-of-range value on PostgreSQL (DataError).
    if isinstance(exc, OverflowError | DataError):
        return Response(bad_value_body(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError) and "idempotency_key" in str(exc):
        # a document's own unique Idempotency-Key (core.documents.idempotency_key_unique)
        return Response(
            error_body(
                "idempotency_conflict",
                _("A document was already created with this Idempotency-Key."),
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return Response(too_large_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response(
            error_body(exc.code, exc.message, exc.fields, exc.details), status=exc.status
        )
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(
            error_body("invalid", _("The input is not valid."), fields),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("The input is not valid."), _flatten(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = detail.code if hasattr(detail, "code") else exc.default_code
        response.data = error_body(
            str(code), detail if not isinstance(detail, dict | list) else exc.default_detail
        )
    return response


# ---------------------------------------------------------------- Django's error pages


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception):
    """handler400: an oversized body read before the view (e.g. by Idempotency-Key) or any
    SuspiciousOperation, as the API's JSON error on /api/ paths."""
    if not _is_api(request):
        from django.views.defaults import bad_request as html

        return html(request, exception)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return JsonErrorResponse(too_large_body(exception), status=400)
    if isinstance(exception, SuspiciousOperation):
        return JsonErrorResponse(
            error_body("bad_request", _("The request is not valid.")), status=400
        )
    return JsonErrorResponse(error_body("bad_request", _("The request is not valid.")), status=400)


def permission_denied(request: HttpRequest, exception: Exception):
    if not _is_api(request):
        from django.views.defaults import permission_denied as html

        return html(request, exception)
    return JsonErrorResponse(
        error_body("permission_denied", _("You do not have permission to do this.")), status=403
    )


def page_not_found(request: HttpRequest, exception: Exception):
    """handler404: an unknown API URL (e.g. a non-integer id) as the JSON error."""
    if not _is_api(request):
        from django.views.defaults import page_not_found as html

        return html(request, exception)
    return JsonErrorResponse(error_body("not_found", _("Not found.")), status=404)


def server_error(request: HttpRequest):
    """handler500: the JSON error on /api/ paths (no detail: it is in the server log)."""
    if not _is_api(request):
        from django.views.defaults import server_error as html

        return html(request)
    return JsonErrorResponse(
        error_body(
            "server_error",
            _("Something went wrong on the server; it has been logged. Please try again."),
        ),
        status=500,
    )
