"""API tokens: issue (a random key shown once, its SHA-256 stored), check, revoke.

A token expires after `API_TOKEN_DAYS` days unless asked for fewer or more (at most
`API_TOKEN_MAX_DAYS`); signing out with a token revokes that token; a password change revokes
all of the user's tokens (security probe S7)."""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from storeledger.accounts import access
from storeledger.accounts.models import AccessVersion, ApiToken, Profile
from storeledger.core.rawsql import Columns, cache_related

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
    token = _read(key_hash(key), timezone.now())
    if token is None or not token.user.is_active:
        return None
    access.prime(token.user, token.access_version)  # type: ignore[attr-defined]
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@functools.cache
def _columns() -> tuple[Columns, Columns, Columns]:
    return Columns(ApiToken, "t"), Columns(get_user_model(), "u"), Columns(Profile, "pr")


@functools.cache
def _token_sql(vendor: str) -> str:
    """The statement of `_read` (built once per database vendor: its quoting)."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    _TOKEN, _USER, _PROFILE = _columns()  # noqa: N806 - constants of this function
    return (
        f"SELECT {_TOKEN.sql()}, {_USER.sql()}, {_PROFILE.sql()}, "
        f"(SELECT version FROM {quote(AccessVersion._meta.db_table)} WHERE id = 1) "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(user_model._meta.db_table)} u ON u.id = t.user_id "
        f"LEFT JOIN {quote(Profile._meta.db_table)} pr ON pr.user_id = u.id "
        "WHERE t.key_hash = %s AND t.expires_at > %s"
    )


def _read(hashed: str, now: datetime.datetime) -> ApiToken | None:
    """The token with its user, the user's profile and the access version (as
    `token.access_version`): the query of every API request, in plain SQL (compiling it with
    the ORM cost more than the rest of a small request's authentication)."""
    _TOKEN, _USER, _PROFILE = _columns()  # noqa: N806 - constants of this function
    expires = ApiToken._meta.get_field("expires_at")
    with connection.cursor() as cursor:
        cursor.execute(
            _token_sql(connection.vendor), [hashed, expires.get_db_prep_value(now, connection)]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token = _TOKEN.instance(row, 0)
    user = _USER.instance(row, _TOKEN.width)
    profile = _PROFILE.instance(row, _TOKEN.width + _USER.width)
    assert token is not None and user is not None
    cache_related(token, "user", user)
    type(user).profile.related.set_cached_value(user, profile)  # None: no profile, no query
    if profile is not None:
        cache_related(profile, "user", user)
    token.access_version = row[-1]  # type: ignore[attr-defined]
    return token


def revoke_all(user) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]
