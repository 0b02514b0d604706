"""API tokens: issue (a random key shown once, its SHA-256 stored), check, revoke.

A token expires after `API_TOKEN_DAYS` days unless asked for fewer or more (at most
`API_TOKEN_MAX_DAYS`); signing out with a token revokes that token; a password change revokes
all of the user's tokens (security probe S7)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from storeledger.accounts import access
from storeledger.accounts.models import ApiToken

LAST_USED_EVERY = datetime.timedelta(minutes=5)  # write last_used_at at most this often


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    days = days or settings.API_TOKEN_DAYS
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=key_hash(key),
        prefix=key[:8],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, key


def check(key: str) -> ApiToken | None:
    """The live token with this key (not expired, of an active user), or None; one query,
    which also brings the user, the user's profile (language) and the access version, with
    which the user's permissions and scope come from this process's kept values."""
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .annotate(access_version=access.version_subquery())
        .filter(key_hash=key_hash(key), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    access.prime(token.user, token.access_version)  # type: ignore[attr-defined]
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_all(user) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]
