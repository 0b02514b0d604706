"""Per-user data scope: which stores and warehouses a user may see and change.

Every queryset of store- or warehouse-owned data goes through `filter_*`, and every service
that changes such data calls `ensure_warehouses` / `ensure_stores` before it writes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from storeledger.core.errors import OutOfScope

_CACHE_ATTR = "_storeledger_scope"


def _load(user) -> tuple[frozenset[int], frozenset[int]] | None:
    """None = unrestricted; otherwise (store ids, warehouse ids). Kept on the user object
    (for the request), given to it by accounts.access from the process's kept values."""
    if user is None or not user.is_authenticated:
        return (frozenset(), frozenset())
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is not False:
        return cached
    result = load(user)
    setattr(user, _CACHE_ATTR, result)
    return result


def remember(user, value: tuple[frozenset[int], frozenset[int]] | None) -> None:
    setattr(user, _CACHE_ATTR, value)


def load(user) -> tuple[frozenset[int], frozenset[int]] | None:
    """The user's scope as the database has it (see `_load`)."""
    from storeledger.accounts.models import UserScope
    from storeledger.org.models import Warehouse

    result: tuple[frozenset[int], frozenset[int]] | None
    scope = UserScope.objects.filter(user=user).first()
    if user.is_superuser or (scope is not None and scope.all_stores):
        result = None
    elif scope is None:
        result = (frozenset(), frozenset())
    else:
        store_ids = frozenset(scope.stores.values_list("id", flat=True))
        warehouse_ids = frozenset(
            Warehouse.objects.filter(
                Q(store_id__in=store_ids) | Q(id__in=scope.warehouses.values("id"))
            ).values_list("id", flat=True)
        )
        result = (store_ids, warehouse_ids)
    return result


def forget(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_unrestricted(user) -> bool:
    return _load(user) is None


def store_ids(user) -> frozenset[int] | None:
    scope = _load(user)
    return None if scope is None else scope[0]


def warehouse_ids(user) -> frozenset[int] | None:
    scope = _load(user)
    return None if scope is None else scope[1]


def filter_warehouses(queryset: QuerySet, user, field: str = "warehouse") -> QuerySet:
    """Keep rows whose `field` (a warehouse FK path, or "id" for warehouses) is in scope."""
    allowed = warehouse_ids(user)
    if allowed is None:
        return queryset
    lookup = (
        "id__in" if field == "id" else f"{field}_id__in" if "__" not in field else f"{field}__in"
    )
    return queryset.filter(**{lookup: allowed})


def filter_stores(queryset: QuerySet, user, field: str = "store") -> QuerySet:
    allowed = store_ids(user)
    if allowed is None:
        return queryset
    lookup = (
        "id__in" if field == "id" else f"{field}_id__in" if "__" not in field else f"{field}__in"
    )
    return queryset.filter(**{lookup: allowed})


def ensure_warehouses(user, ids: Iterable[int | None]) -> None:
    allowed = warehouse_ids(user)
    if allowed is None:
        return
    outside = sorted({i for i in ids if i is not None} - allowed)
    if outside:
        raise OutOfScope(details={"warehouse_ids": outside})


def ensure_stores(user, ids: Iterable[int | None]) -> None:
    allowed = store_ids(user)
    if allowed is None:
        return
    outside = sorted({i for i in ids if i is not None} - allowed)
    if outside:
        raise OutOfScope(details={"store_ids": outside})
