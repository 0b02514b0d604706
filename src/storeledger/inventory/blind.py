"""Blind stock counts stay blind (security probe S9, issue 8).

While a blind count (盲盘) of a warehouse is open — a draft or counting, until it is submitted —
a user without `inventory.approve_stockcount` (the counters: warehouse keepers; cashiers,
viewers) must not learn that warehouse's book stock anywhere, or counting blind would be
pointless. Managers and administrators, who approve the variances, keep seeing it.

Where stock is read, one rule:
- a warehouse named on purpose (`?warehouse=`, a report or the dashboard for one warehouse)
  is refused: 403 `blind_count`, naming the count;
- lists and figures over several warehouses leave that warehouse out (its rows, its moves,
  its share of totals, values and dashboard figures), as they leave out warehouses outside the
  user's scope;
- the count itself hides book, expected and difference (inventory.api.counts, printing);
- a refused posting (409 `insufficient_stock`) names the short line and the requested
  quantity but not what is on hand or available.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from storeledger.accounts import scope
from storeledger.core.errors import PermissionDenied
from storeledger.inventory.models import StockCountStatus

# Who sees book quantities during a blind count (approving its variances needs them).
BOOK_PERMISSION = "inventory.approve_stockcount"
OPEN = (StockCountStatus.DRAFT, StockCountStatus.COUNTING)


class BlindCount(PermissionDenied):
    code = "blind_count"
    default_message = _(
        "A blind stock count of this warehouse is open: its stock is not shown to counters "
        "until the count is submitted."
    )


def sees_book(user) -> bool:
    return user is None or user.has_perm(BOOK_PERMISSION)


def blind_warehouse_ids(user) -> frozenset[int]:
    """The warehouses whose book stock `user` may not read now (empty for a service, None)."""
    from storeledger.inventory.models import StockCount

    if sees_book(user):
        return frozenset()
    return frozenset(
        StockCount.objects.filter(blind=True, status__in=OPEN).values_list(
            "warehouse_id", flat=True
        )
    )


def filter_book(queryset: QuerySet, user, field: str = "warehouse") -> QuerySet:
    """`scope.filter_warehouses`, and without the warehouses under a blind count for `user`
    (a subquery of the same statement: no query of its own, however often a page asks)."""
    from storeledger.inventory.models import StockCount

    queryset = scope.filter_warehouses(queryset, user, field)
    if sees_book(user):
        return queryset
    open_blind = StockCount.objects.filter(blind=True, status__in=OPEN).values("warehouse_id")
    lookup = "id__in" if field == "id" else f"{field}_id__in"
    return queryset.exclude(**{lookup: open_blind})


def ensure_book_visible(user, warehouse_ids: Iterable[int | None]) -> None:
    """403 `blind_count` when one of these warehouses is under a blind count for `user`."""
    wanted = {i for i in warehouse_ids if i is not None}
    if not wanted:
        return
    hidden = sorted(wanted & blind_warehouse_ids(user))
    if hidden:
        from storeledger.inventory.models import StockCount

        numbers = list(
            StockCount.objects.filter(
                blind=True, status__in=OPEN, warehouse_id__in=hidden
            ).values_list("number", flat=True)
        )
        raise BlindCount(details={"warehouse_ids": hidden, "counts": sorted(numbers)})
