"""A user's permissions and data scope, kept per process between requests.

Every API request needs the user's role permissions (two queries in Django's ModelBackend)
and, for store-owned data, the user's scope (three queries), `GET /auth/me/` also its role
names; on the request hot path that was
a sixth of the queries. They change rarely, so each process keeps them by
(user, superuser flag, access version) and hands them to the user object of each request
(`prime`): Django's ModelBackend then finds `_perm_cache` and accounts.scope its own cache.

The access version is one row (`AccessVersion`) read with every request — inside the token
query for API tokens, one small query for a browser session — and raised after the commit of
any change that can alter a permission or a scope: a user's roles or own permissions, a
role's permissions, a data scope with its stores and warehouses, a store or warehouse
(signals below, so the Django admin and the services alike are covered). The next request in
every process then reads the new number and loads afresh: a change takes effect at once, on
every app server, with no shared cache to keep right.

A change not yet committed is not seen by other transactions; the transaction that makes it
stops using the kept values (and stores none) until it ends, and a rolled-back one clears
its process's values."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F, Subquery

from storeledger.accounts import scope

_KEPT: dict[tuple[int, bool, int], tuple[frozenset[str], object, tuple[str, ...]]] = {}
_LIMIT = 20_000  # users per process; beyond this the kept values start over
_DIRTY = "_storeledger_access_changed"
_VERSION = "_storeledger_access_version"  # the version the current request was primed under
_ROLES = "_storeledger_roles"  # on a primed user: the names of its roles (groups), sorted


def version_subquery() -> Subquery:
    """The current access version, for annotating a query that is made anyway."""
    from storeledger.accounts.models import AccessVersion

    return Subquery(AccessVersion.objects.filter(pk=1).values("version")[:1])


def current_version() -> int | None:
    from storeledger.accounts.models import AccessVersion

    return AccessVersion.objects.filter(pk=1).values_list("version", flat=True).first()


def clear() -> None:
    """Forget every kept value of this process."""
    _KEPT.clear()


def _usable() -> bool:
    """May the kept values be used and stored now? Not inside a transaction that changed
    access; once such a transaction is over (its commit raised the version, or it rolled
    back) they are usable again, from scratch."""
    if not getattr(connection, _DIRTY, False):
        return True
    if connection.in_atomic_block:
        return False
    setattr(connection, _DIRTY, False)
    clear()
    return True


def prime(user, version: int | None) -> None:
    """Give the request's `user` its permissions and scope, from this process's kept values
    for `version` (the access version read at the start of the request), loading and keeping
    them on a miss. Nothing is kept for an inactive user or without a version."""
    if user is None or not user.is_authenticated or not user.is_active or version is None:
        return
    if not _usable():
        return
    setattr(connection, _VERSION, version)
    key = (user.pk, user.is_superuser, version)
    kept = _KEPT.get(key)
    if kept is None:
        from django.contrib.auth.backends import ModelBackend

        perms = frozenset(ModelBackend().get_all_permissions(user))
        names = tuple(sorted(user.groups.values_list("name", flat=True)))
        kept = (perms, scope.load(user), names)
        if len(_KEPT) >= _LIMIT:
            clear()
        _KEPT[key] = kept
    user._perm_cache = set(kept[0])
    scope.remember(user, kept[1])
    setattr(user, _ROLES, kept[2])


def role_names(user) -> list[str]:
    """The names of the user's roles, sorted: kept with its permissions when the request
    primed the user, else read."""
    kept = getattr(user, _ROLES, None)
    if kept is not None:
        return list(kept)
    return sorted(user.groups.values_list("name", flat=True))


def request_version() -> int | None:
    """The access version the current request was primed under, for other per-process caches
    of data that changes access-like (approval rules: core.approvals); None outside a primed
    request or while this transaction changes such data."""
    if not _usable():
        return None
    return getattr(connection, _VERSION, None)


def _request_boundary(**_kwargs) -> None:
    """A request starts or ends: no version is known until the next one is primed (code run
    outside a request, e.g. a task or a test's direct service call, keeps nothing)."""
    setattr(connection, _VERSION, None)


def changed(**_kwargs) -> None:
    """Signal receiver: something that decides access changed. After the commit the version
    goes up (every process reloads); until then this transaction uses no kept values."""
    if connection.in_atomic_block:
        setattr(connection, _DIRTY, True)
    transaction.on_commit(raise_version)


def raise_version() -> None:
    """Raise the access version (after a commit) and start this process's values over."""
    from storeledger.accounts.models import AccessVersion

    if not AccessVersion.objects.filter(pk=1).update(version=F("version") + 1):
        AccessVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    setattr(connection, _DIRTY, False)
    clear()


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from storeledger.accounts.models import UserScope
    from storeledger.core.models import ApprovalLevel, ApprovalRule
    from storeledger.org.models import Store, Warehouse

    request_started.connect(_request_boundary, dispatch_uid="access-request-started")
    request_finished.connect(_request_boundary, dispatch_uid="access-request-finished")

    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
        UserScope.stores.through,
        UserScope.warehouses.through,
    ):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"access-{through}")
    # approval rules decide who must approve what: kept per process like permissions
    for model in (UserScope, Group, Permission, Store, Warehouse, ApprovalRule, ApprovalLevel):
        post_save.connect(changed, sender=model, dispatch_uid=f"access-save-{model}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"access-delete-{model}")


def _m2m_changed(action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        changed()


class AccessMiddleware:
    """After AuthenticationMiddleware: a browser session's user gets its permissions and
    scope from the kept values (one query for the version). A request with an Authorization
    header is left to its API authentication (accounts.tokens primes the token's user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_AUTHORIZATION" not in request.META and request.user.is_authenticated:
            prime(request.user, current_version())
        return self.get_response(request)


def reset_transaction_state(conn) -> None:
    """Tests: a new test's transaction has changed nothing yet, and no request is primed."""
    setattr(conn, _DIRTY, False)
    setattr(conn, _VERSION, None)
