"""Who is signing in from where, and what a locked-out client is told.

The client address comes from `REMOTE_ADDR`, or — behind `TRUSTED_PROXY_COUNT` reverse proxies
that append to `X-Forwarded-For` — from the entry that the outermost trusted proxy appended.
Anything a client writes into `X-Forwarded-For` itself is to the left of that and ignored, so
a client cannot pick its own throttle or lockout key (security probe S2).

Failed sign-ins are counted by django-axes (settings `AXES_*`) per account and per address, on
the API's token and session logins and on the admin's login alike; after
`LOGIN_FAILURE_LIMIT` failures that account or address is refused for `LOGIN_LOCKOUT_MINUTES`.
An administrator unlocks it in the admin (Axes → access attempts: delete) or with
`manage.py axes_reset_username <name>` / `axes_reset_ip <address>`."""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from storeledger.core.api.errors import JsonErrorResponse, error_body

logger = logging.getLogger("storeledger.security")


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the trusted proxies saw it (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return _valid(remote) or remote or None
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        # fewer hops than configured: the request did not come through all the proxies
        return _valid(forwarded[0]) if forwarded else _valid(remote) or remote or None
    return _valid(forwarded[-proxies]) or remote or None


def lockout_message() -> str:
    return _(
        "Too many failed sign-ins: this account or this address is locked for %(minutes)d "
        "minutes. Ask an administrator to unlock it sooner."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: the API's JSON error (429) on /api/
    paths, a short page elsewhere (the admin's login)."""
    username = (credentials or {}).get("username", "")
    logger.warning(
        "sign-in refused (locked out): username=%r ip=%s path=%s",
        username,
        client_ip(request),
        request.path,
    )
    if request.path.startswith("/api/"):
        return JsonErrorResponse(
            error_body(
                "locked_out",
                lockout_message(),
                details={"retry_after_minutes": settings.LOGIN_LOCKOUT_MINUTES},
            ),
            status=429,
            headers={"Retry-After": str(settings.LOGIN_LOCKOUT_MINUTES * 60)},
        )
    return HttpResponse(
        f"<!doctype html><title>429</title><p>{escape(lockout_message())}</p>",
        status=429,
        headers={"Retry-After": str(settings.LOGIN_LOCKOUT_MINUTES * 60)},
    )
