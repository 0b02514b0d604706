"""Read queries of the stock ledger: stock on hand / reserved / available / value, stock at a
past time, the ledger of a SKU with running balance and source documents, in-transit stock,
stock per bin location and batches near expiry.

Every function takes the acting `user` and keeps only warehouses in the user's data scope.
Each returns a lazy queryset of dicts (or a list), built with a constant number of queries
(joins and aggregates in SQL, no per-row look-ups)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from storeledger.catalog.models import Barcode, Category, Sku
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES, ZERO
from storeledger.inventory import blind
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.services.documents import DOCUMENT_TYPE as STOCK_DOCUMENT
from storeledger.inventory.services.transfers import DOCUMENT_TYPE as TRANSFER_DOCUMENT
from storeledger.inventory.services.transfers import transfers_in_transit
from storeledger.org.models import Company, Warehouse, WarehouseKind

GROUP_BY_BATCH = "batch"  # one row per warehouse × SKU × batch
GROUP_BY_SKU = "warehouse_sku"  # one row per warehouse × SKU (batches summed)
GROUP_BY_SKU_TOTAL = "sku"  # one row per SKU across the warehouses in scope
GROUPINGS = (GROUP_BY_BATCH, GROUP_BY_SKU, GROUP_BY_SKU_TOTAL)

_QTY = DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
_MONEY = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)

_WAREHOUSE_FIELDS = {
    "warehouse_code": F("warehouse__code"),
    "warehouse_name": F("warehouse__name"),
}
# The unit fields let an export show each quantity with its unit's precision.
_SKU_FIELDS = {
    "sku_code": F("sku__code"),
    "sku_name": F("sku__name"),
    "safety_stock": F("sku__safety_stock"),
    "unit_code": F("sku__product__base_unit__code"),
    "unit_name": F("sku__product__base_unit__name"),
    "unit_precision": F("sku__product__base_unit__precision"),
}
_BATCH_FIELDS = {"batch_no": F("batch__batch_no"), "expiry_date": F("batch__expiry_date")}
_GROUP_FIELDS = {
    GROUP_BY_BATCH: {**_WAREHOUSE_FIELDS, **_SKU_FIELDS, **_BATCH_FIELDS},
    GROUP_BY_SKU: {**_WAREHOUSE_FIELDS, **_SKU_FIELDS},
    GROUP_BY_SKU_TOTAL: _SKU_FIELDS,
}
_GROUP_KEYS = {
    GROUP_BY_BATCH: ("warehouse_id", "sku_id", "batch_id"),
    GROUP_BY_SKU: ("warehouse_id", "sku_id"),
    GROUP_BY_SKU_TOTAL: ("sku_id",),
}
_GROUP_ORDER = {
    GROUP_BY_BATCH: ("warehouse_code", "sku_code", "expiry_date", "batch_no", "batch_id"),
    GROUP_BY_SKU: ("warehouse_code", "sku_code"),
    GROUP_BY_SKU_TOTAL: ("sku_code",),
}


# `ordering=` names of the stock-balance API → the row fields they sort by.
BALANCE_ORDERINGS = {
    "warehouse_code": "warehouse_code",
    "sku_code": "sku_code",
    "sku_name": "sku_name",
    "expiry_date": "expiry_date",
    "on_hand": "qty_on_hand",
    "reserved": "qty_reserved",
    "available": "qty_available",
    "value": "stock_value",
    "safety_stock": "safety_stock",
}


def category_q(category_id: int, prefix: str = "sku__product__category") -> Q:
    """The category and every sub-category (Category.path is "/1/4/9/")."""
    path = Category.objects.filter(pk=category_id).values("path")
    return Q(**{f"{prefix}_id": category_id}) | Q(
        **{f"{prefix}__path__startswith": Subquery(path[:1])}
    )


def sku_search_q(text: str, prefix: str = "sku__") -> Q:
    """Every whitespace-separated term matches the SKU code, name, an exact barcode or the
    pinyin initials of the name."""
    conditions = []
    for term in text.split()[:5]:
        parts = [
            Q(**{f"{prefix}code__icontains": term}),
            Q(**{f"{prefix}name__icontains": term}),
            Q(**{f"{prefix}id__in": Barcode.objects.filter(code=term).values("sku_id")}),
        ]
        if term.isascii() and term.isalpha():
            parts.append(Q(**{f"{prefix}name_initials__icontains": term.lower()}))
        conditions.append(reduce(or_, parts))
    return reduce(lambda a, b: a & b, conditions, Q())


def _scoped_balances(user) -> QuerySet:
    return blind.filter_book(StockBalance.objects.all(), user)


def stock_balances(
    *,
    user,
    warehouse_id: int | None = None,
    store_id: int | None = None,
    sku_id: int | None = None,
    batch_id: int | None = None,
    category_id: int | None = None,
    search: str = "",
    group_by: str = GROUP_BY_BATCH,
    only_available: bool = False,
    below_safety_stock: bool = False,
    include_transit: bool = False,
    ordering: str = "",
) -> QuerySet:
    """On hand, reserved, available, value and average cost, grouped per warehouse × SKU ×
    batch (default), per warehouse × SKU, or per SKU across the warehouses in scope.
    `ordering` is a name of BALANCE_ORDERINGS, "-" first for descending; the grouping's
    natural order breaks ties (a name the grouping lacks, e.g. expiry_date per SKU, is ignored).

    `below_safety_stock` lists the warehouse × SKU rows (the SKU rows when grouped by SKU)
    whose on hand is below the SKU's safety stock, see `_below_safety_stock`."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}")
    rows = _scoped_balances(user)
    if not include_transit:
        rows = rows.exclude(warehouse__kind=WarehouseKind.TRANSIT)
    if warehouse_id is not None:
        rows = rows.filter(warehouse_id=warehouse_id)
    if store_id is not None:
        rows = rows.filter(warehouse__store_id=store_id)
    if sku_id is not None:
        rows = rows.filter(sku_id=sku_id)
    if batch_id is not None:
        rows = rows.filter(batch_id=batch_id)
    if category_id is not None:
        rows = rows.filter(category_q(category_id))
    if search.strip():
        rows = rows.filter(sku_search_q(search))
    if below_safety_stock:
        group_by = GROUP_BY_SKU_TOTAL if group_by == GROUP_BY_SKU_TOTAL else GROUP_BY_SKU
        skus = Sku.objects.filter(active=True, safety_stock__gt=0)
        if sku_id is not None:
            skus = skus.filter(pk=sku_id)
        if category_id is not None:
            skus = skus.filter(category_q(category_id, prefix="product__category"))
        if search.strip():
            skus = skus.filter(sku_search_q(search, prefix=""))
        warehouses = (
            _stock_warehouses(user, warehouse_id=warehouse_id, store_id=store_id)
            if group_by == GROUP_BY_SKU
            else None
        )
        rows = _below_safety_stock(rows, skus, warehouses, only_available=only_available)
    else:
        rows = _with_available(
            rows.values(*_GROUP_KEYS[group_by], **_GROUP_FIELDS[group_by]).annotate(
                qty_on_hand=Sum("on_hand"), qty_reserved=Sum("reserved"), stock_value=Sum("value")
            )
        )
        if only_available:
            rows = rows.filter(qty_available__gt=0)
    order = list(_GROUP_ORDER[group_by])
    field = BALANCE_ORDERINGS.get(ordering.lstrip("-"))
    available_fields = {
        "qty_on_hand",
        "qty_reserved",
        "qty_available",
        "stock_value",
        *_GROUP_FIELDS[group_by],
    }
    if field in available_fields:
        order.insert(0, f"-{field}" if ordering.startswith("-") else field)
    return rows.order_by(*order)


ATP_PER_WAREHOUSE = "warehouse"
ATP_PER_STORE = "store"


def available_to_promise(
    *,
    user,
    sku_ids: Iterable[int],
    per: str = ATP_PER_WAREHOUSE,
    warehouse_id: int | None = None,
    store_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet:
    """What can still be promised (a sales order's reservation, a quote): per SKU × warehouse
    (`per="warehouse"`) or per SKU × store (`per="store"`, the store's warehouses summed;
    central warehouses have store None), rows with `qty_on_hand`, `qty_reserved` and
    `qty_promisable` = Σ max(on hand − reserved, 0) over balances not of an expired batch — what
    `inventory.ledger.reserve` would accept now. In-transit stock is left out. `user` None
    reads every warehouse (a service's own check), else the user's data scope. One query."""
    if per not in (ATP_PER_WAREHOUSE, ATP_PER_STORE):
        raise ValueError("per must be 'warehouse' or 'store'")
    today = today or timezone.localdate()
    rows = StockBalance.objects.filter(sku_id__in=list(sku_ids)).exclude(
        warehouse__kind=WarehouseKind.TRANSIT
    )
    if user is not None:
        rows = blind.filter_book(rows, user)
    if warehouse_id is not None:
        rows = rows.filter(warehouse_id=warehouse_id)
    if store_id is not None:
        rows = rows.filter(warehouse__store_id=store_id)
    free = Greatest(F("on_hand") - F("reserved"), Value(ZERO, output_field=_QTY))
    expired = Q(batch__expiry_date__lt=today)
    keys = ("sku_id", "warehouse_id") if per == ATP_PER_WAREHOUSE else ("sku_id", "store_id")
    if per == ATP_PER_STORE:
        rows = rows.annotate(store_id=F("warehouse__store_id"))
    return (
        rows.values(*keys)
        .annotate(
            qty_on_hand=Sum("on_hand"),
            qty_reserved=Sum("reserved"),
            qty_promisable=Coalesce(
                Sum(Case(When(expired, then=Value(ZERO, output_field=_QTY)), default=free)),
                Value(ZERO, output_field=_QTY),
                output_field=_QTY,
            ),
        )
        .order_by(*keys)
    )


def _stock_warehouses(user, *, warehouse_id: int | None, store_id: int | None) -> QuerySet:
    """The active stock-holding (not in-transit) warehouses in scope, optionally one or a
    store's."""
    warehouses = blind.filter_book(Warehouse.objects.filter(active=True), user, "id")
    warehouses = warehouses.exclude(kind=WarehouseKind.TRANSIT)
    if warehouse_id is not None:
        warehouses = warehouses.filter(pk=warehouse_id)
    if store_id is not None:
        warehouses = warehouses.filter(store_id=store_id)
    return warehouses


def _with_available(rows: QuerySet) -> QuerySet:
    return rows.annotate(
        qty_available=ExpressionWrapper(F("qty_on_hand") - F("qty_reserved"), output_field=_QTY)
    )


def _below_safety_stock(
    balances: QuerySet, skus: QuerySet, warehouses: QuerySet | None, *, only_available: bool
) -> QuerySet:
    """SKUs (with a safety stock) whose on hand is below it: per SKU over `balances` when
    `warehouses` is None, else per warehouse × SKU. Safety stock is set per SKU and applies
    to every warehouse, so a SKU never stocked in a warehouse — the most urgent case — is a
    row with 0 on hand; that is why the rows start from the SKUs, not from the balances.
    Per warehouse, one SELECT per warehouse in scope joined by UNION ALL (a store user has
    one or two; SQLite allows 500)."""

    def total(field: str, warehouse: Warehouse | None) -> Coalesce:
        match = balances.filter(sku_id=OuterRef("pk"))
        if warehouse is not None:
            match = match.filter(warehouse_id=warehouse.pk)
        sums = match.values("sku_id").annotate(total=Sum(field)).values("total")
        output = _MONEY if field == "value" else _QTY
        return Coalesce(Subquery(sums, output_field=output), Value(ZERO), output_field=output)

    def rows_for(warehouse: Warehouse | None) -> QuerySet:
        fields: dict[str, Combinable] = {
            "sku_id": F("pk"),
            "sku_code": F("code"),
            "sku_name": F("name"),
            "unit_code": F("product__base_unit__code"),
            "unit_name": F("product__base_unit__name"),
            "unit_precision": F("product__base_unit__precision"),
        }
        if warehouse is not None:
            fields = {
                "warehouse_id": Value(warehouse.pk),
                "warehouse_code": Value(warehouse.code),
                "warehouse_name": Value(warehouse.name),
                **fields,
            }
        rows = _with_available(
            skus.annotate(
                qty_on_hand=total("on_hand", warehouse),
                qty_reserved=total("reserved", warehouse),
                stock_value=total("value", warehouse),
            )
        ).filter(qty_on_hand__lt=F("safety_stock"))
        if only_available:
            rows = rows.filter(qty_available__gt=0)
        return rows.order_by().values(
            "safety_stock", "qty_on_hand", "qty_reserved", "stock_value", "qty_available", **fields
        )

    if warehouses is None:
        return rows_for(None)
    parts = [rows_for(warehouse) for warehouse in warehouses.order_by("code")]
    if not parts:
        return rows_for(Warehouse(pk=0, code="", name="")).none()
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def average_cost(on_hand: Decimal, value: Decimal) -> Decimal | None:
    """Moving-average unit cost of a row (None when nothing is on hand)."""
    if not on_hand:
        return None
    return (value / on_hand).quantize(Decimal(1).scaleb(-MONEY_PLACES))


def stock_at(
    *,
    user,
    at: datetime.datetime,
    warehouse_id: int | None = None,
    sku_id: int | None = None,
    group_by: str = GROUP_BY_BATCH,
) -> QuerySet:
    """On hand and value at `at`: the sums of the moves posted at or before it (the
    (sku, posted_at) and (warehouse, posted_at) indexes serve the two usual filters; a sum
    is right even for back-dated postings, where "last move before t" would not be)."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}")
    moves = blind.filter_book(StockMove.objects.filter(posted_at__lte=at), user)
    if warehouse_id is not None:
        moves = moves.filter(warehouse_id=warehouse_id)
    if sku_id is not None:
        moves = moves.filter(sku_id=sku_id)
    return (
        moves.values(*_GROUP_KEYS[group_by], **_GROUP_FIELDS[group_by])
        .annotate(qty_on_hand=Sum("quantity"), stock_value=Sum("value"))
        .order_by(*_GROUP_ORDER[group_by])
    )


def stock_document_line_values(document_id: int) -> dict[int, Decimal]:
    """The value each line of a stock document moved when it was posted (absolute; its
    reversal left out), by line id — one query."""
    rows = (
        StockMove.objects.filter(
            posting__document_type=STOCK_DOCUMENT,
            posting__document_id=document_id,
            posting__reverses__isnull=True,
            line_id__isnull=False,
        )
        .values("line_id")
        .annotate(total=Sum("value"))
    )
    return {row["line_id"]: abs(row["total"] or ZERO) for row in rows}


# The ledger's `ordering=` names → ORDER BY (ties broken by the move's id, in the same direction).
MOVE_ORDERINGS: dict[str, tuple[str, ...]] = {
    "posted_at": ("posted_at",),
    "quantity": ("quantity", "posted_at"),
    "sku_code": ("sku__code", "posted_at"),
    "warehouse_code": ("warehouse__code", "posted_at"),
    "move_type": ("move_type", "posted_at"),
}


def move_ordering(ordering: str) -> list[str]:
    """ORDER BY of a ledger `ordering=` value ("posted_at", "-quantity", ...)."""
    descending = ordering.startswith("-")
    fields = MOVE_ORDERINGS[ordering.lstrip("-")]
    sign = "-" if descending else ""
    return [f"{sign}{field}" for field in fields] + [f"{sign}id"]


def stock_moves(
    *,
    user,
    warehouse_id: int | None = None,
    sku_id: int | None = None,
    batch_id: int | None = None,
    move_type: str | None = None,
    document_type: str | None = None,
    document_number: str | None = None,
    date_from: datetime.datetime | None = None,
    date_to: datetime.datetime | None = None,
    search: str = "",
    ordering: str = "posted_at",
) -> QuerySet:
    """Ledger rows with their source document, oldest first (posted_at, id) unless `ordering`
    says otherwise (see MOVE_ORDERINGS; "-posted_at": newest first).

    When filtered by SKU (optionally warehouse and batch) and nothing else narrows the rows,
    each row carries `running_quantity` / `running_value`: the stock of that SKU in that
    scope right after the move (the opening stock before `date_from` is added)."""
    moves = blind.filter_book(StockMove.objects.all(), user)
    if warehouse_id is not None:
        moves = moves.filter(warehouse_id=warehouse_id)
    if sku_id is not None:
        moves = moves.filter(sku_id=sku_id)
    if batch_id is not None:
        moves = moves.filter(batch_id=batch_id)
    opening_moves = moves
    if move_type:
        moves = moves.filter(move_type=move_type)
    if document_type:
        moves = moves.filter(posting__document_type=document_type)
    if document_number:
        moves = moves.filter(posting__document_number=document_number)
    if date_from is not None:
        moves = moves.filter(posted_at__gte=date_from)
    if date_to is not None:
        moves = moves.filter(posted_at__lte=date_to)
    if search.strip():
        moves = moves.filter(sku_search_q(search))
    moves = moves.select_related("warehouse", "sku", "batch", "posting", "posting__user")
    running = sku_id is not None and not (
        move_type or document_type or document_number or search.strip()
    )
    if running:
        opening_qty, opening_value = ZERO, ZERO
        if date_from is not None:
            totals = opening_moves.filter(posted_at__lt=date_from).aggregate(
                q=Coalesce(Sum("quantity"), Value(ZERO), output_field=_QTY),
                v=Coalesce(Sum("value"), Value(ZERO), output_field=_MONEY),
            )
            opening_qty, opening_value = totals["q"], totals["v"]
        order = [F("posted_at").asc(), F("id").asc()]
        moves = moves.annotate(
            running_quantity=ExpressionWrapper(
                Window(Sum("quantity"), order_by=order) + Value(opening_qty),
                output_field=_QTY,
            ),
            running_value=ExpressionWrapper(
                Window(Sum("value"), order_by=order) + Value(opening_value),
                output_field=_MONEY,
            ),
        )
    return moves.order_by(*move_ordering(ordering))


def in_transit(*, user, sku_id: int | None = None, warehouse_id: int | None = None) -> QuerySet:
    """Stock shipped on transfers and not yet received, per SKU × batch: the in-transit
    warehouse's moves of the transfers in transit that the user may see (source or
    destination in scope — all of them for an unrestricted user), optionally only those
    leaving from or going to `warehouse_id`."""
    transfers = transfers_in_transit(user)
    if warehouse_id is not None:
        transfers = transfers.filter(
            Q(from_warehouse_id=warehouse_id) | Q(to_warehouse_id=warehouse_id)
        )
    moves = StockMove.objects.filter(
        warehouse__kind=WarehouseKind.TRANSIT,
        posting__document_type=TRANSFER_DOCUMENT,
        posting__document_id__in=transfers.values("id"),
    )
    if sku_id is not None:
        moves = moves.filter(sku_id=sku_id)
    return (
        _with_available(
            moves.values(*_GROUP_KEYS[GROUP_BY_BATCH], **_GROUP_FIELDS[GROUP_BY_BATCH]).annotate(
                qty_on_hand=Sum("quantity"),
                qty_reserved=Value(ZERO, output_field=_QTY),
                stock_value=Sum("value"),
            )
        )
        .exclude(qty_on_hand=0)
        .order_by(*_GROUP_ORDER[GROUP_BY_BATCH])
    )


def stock_by_location(
    *,
    user,
    warehouse_id: int | None = None,
    location_id: int | None = None,
    sku_id: int | None = None,
    search: str = "",
) -> QuerySet:
    """On hand per warehouse × bin location × SKU × batch, summed from the moves (balances do
    not keep the location): where a SKU is. Moves posted without a location count as
    unassigned (location null), so the rows of a warehouse × SKU × batch add up to its
    balance. Rows that come to zero are left out."""
    moves = blind.filter_book(StockMove.objects.all(), user)
    moves = moves.exclude(warehouse__kind=WarehouseKind.TRANSIT)
    if warehouse_id is not None:
        moves = moves.filter(warehouse_id=warehouse_id)
    if location_id is not None:
        moves = moves.filter(location_id=location_id)
    if sku_id is not None:
        moves = moves.filter(sku_id=sku_id)
    if search.strip():
        moves = moves.filter(sku_search_q(search))
    return (
        moves.values(
            "location_id",
            *_GROUP_KEYS[GROUP_BY_BATCH],
            location_code=F("location__code"),
            location_name=F("location__name"),
            **_GROUP_FIELDS[GROUP_BY_BATCH],
        )
        .annotate(qty_on_hand=Sum("quantity"))
        .exclude(qty_on_hand=0)
        .order_by(
            "warehouse_code",
            F("location_code").asc(nulls_last=True),
            "sku_code",
            F("expiry_date").asc(nulls_first=True),
            "batch_no",
            "batch_id",
        )
    )


def batches(
    *,
    user,
    expiring_within_days: int | None = None,
    warehouse_id: int | None = None,
    sku_id: int | None = None,
    include_empty: bool = False,
    today: datetime.date | None = None,
    within: QuerySet | None = None,
) -> QuerySet:
    """Batches with their on hand per warehouse, soonest expiry first. With
    `expiring_within_days`, only batches expiring by today + N days (expired ones too); with
    `within` (a query of balance ids), only those balances."""
    rows = _scoped_balances(user).filter(batch__isnull=False)
    if within is not None:
        rows = rows.filter(id__in=within)
    rows = rows.exclude(warehouse__kind=WarehouseKind.TRANSIT)
    if not include_empty:
        rows = rows.filter(on_hand__gt=0)
    if warehouse_id is not None:
        rows = rows.filter(warehouse_id=warehouse_id)
    if sku_id is not None:
        rows = rows.filter(sku_id=sku_id)
    if expiring_within_days is not None:
        limit = (today or timezone.localdate()) + datetime.timedelta(days=expiring_within_days)
        rows = rows.filter(batch__expiry_date__lte=limit)
    rows = rows.values(
        *_GROUP_KEYS[GROUP_BY_BATCH],
        **_GROUP_FIELDS[GROUP_BY_BATCH],
        production_date=F("batch__production_date"),
    ).annotate(qty_on_hand=Sum("on_hand"), qty_reserved=Sum("reserved"), stock_value=Sum("value"))
    return _with_available(rows).order_by("expiry_date", "sku_code", "batch_no", "warehouse_code")


# ------------------------------------------------------------------ dashboard

NEAR_EXPIRY_DAYS = 30  # the near-expiry page's default window
TREND_DAYS = 7


def dashboard(
    *, user, warehouse_id: int | None = None, now: datetime.datetime | None = None
) -> dict:
    """The figures of the home page, summed in the database over every balance and move in
    the user's scope (optionally one warehouse): stock value and SKUs on hand, value per
    warehouse, in-transit value, SKUs below safety stock (as the stock list's filter counts
    them, per SKU), batches expiring within NEAR_EXPIRY_DAYS, and the stock-in/out of today
    and of the last TREND_DAYS days in the company's time zone. Seven queries, whatever
    the number of rows (plus those loading the user's scope once)."""
    zone = zoneinfo.ZoneInfo(Company.current().time_zone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    balances = _scoped_balances(user).exclude(warehouse__kind=WarehouseKind.TRANSIT)
    if warehouse_id is not None:
        balances = balances.filter(warehouse_id=warehouse_id)
    in_stock = Q(on_hand__gt=0)
    totals = balances.aggregate(
        value=Coalesce(Sum("value"), Value(ZERO), output_field=_MONEY),
        skus=Count("sku_id", filter=in_stock, distinct=True),
    )
    warehouses = list(
        balances.values("warehouse_id", **_WAREHOUSE_FIELDS)
        .annotate(
            stock_value=Sum("value"),
            qty_on_hand=Sum("on_hand"),
            sku_count=Count("sku_id", filter=in_stock, distinct=True),
        )
        .order_by("-stock_value", "warehouse_code")
    )
    in_transit_value = in_transit(user=user, warehouse_id=warehouse_id).aggregate(
        total=Coalesce(Sum("stock_value"), Value(ZERO), output_field=_MONEY)
    )["total"]
    # per warehouse × SKU: a store short of an item counts even when the chain in total is not
    below = stock_balances(
        user=user, warehouse_id=warehouse_id, group_by=GROUP_BY_SKU, below_safety_stock=True
    ).count()
    expiring = batches(
        user=user, warehouse_id=warehouse_id, expiring_within_days=NEAR_EXPIRY_DAYS, today=today
    ).count()
    days = _daily_moves(user, warehouse_id, zone, today)
    return {
        "date": today,
        "time_zone": str(zone),
        "stock_value": totals["value"],
        "sku_count": totals["skus"],
        "in_transit_value": in_transit_value,
        "below_safety_stock": below,
        "near_expiry_days": NEAR_EXPIRY_DAYS,
        "expiring_batches": expiring,
        "warehouses": warehouses,
        "today": days[-1],
        "trend": days,
    }


def _daily_moves(
    user, warehouse_id: int | None, zone: datetime.tzinfo, today: datetime.date
) -> list[dict]:
    """Moves in and out per day of the last TREND_DAYS days (today last), each day with its
    counts and values per move type; in-transit warehouse moves left out (a transfer counts
    once out of its source and once into its destination). One query, grouped by day and
    move type in the database."""
    first = today - datetime.timedelta(days=TREND_DAYS - 1)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    moves = blind.filter_book(StockMove.objects.filter(posted_at__gte=start), user)
    moves = moves.exclude(warehouse__kind=WarehouseKind.TRANSIT)
    if warehouse_id is not None:
        moves = moves.filter(warehouse_id=warehouse_id)
    # A move's side is the side of its kind, not of its sign: the reversal (红冲) of a stock-in
    # takes stock out, but it is less stock-in (its value lowers the day's "in"), not a
    # stock-out; likewise the reversal of a stock-out lowers the day's "out".
    original = Q(reverses__isnull=True)
    inbound = (original & Q(quantity__gt=0)) | (~original & Q(quantity__lt=0))
    outbound = (original & Q(quantity__lt=0)) | (~original & Q(quantity__gt=0))
    groups = (
        moves.annotate(day=TruncDate("posted_at", tzinfo=zone))
        .values("day", "move_type")
        .annotate(
            in_moves=Count("id", filter=inbound),
            out_moves=Count("id", filter=outbound),
            in_value=Coalesce(Sum("value", filter=inbound), Value(ZERO), output_field=_MONEY),
            out_value=Coalesce(Sum("value", filter=outbound), Value(ZERO), output_field=_MONEY),
        )
        .order_by("day", "move_type")
    )
    days = {
        first + datetime.timedelta(days=n): {
            "date": first + datetime.timedelta(days=n),
            "in_moves": 0,
            "out_moves": 0,
            "in_value": ZERO,
            "out_value": ZERO,
            "by_move_type": [],
        }
        for n in range(TREND_DAYS)
    }
    for group in groups:
        day = days.get(group["day"])
        if day is None:  # posted after `now` (a clock skew between app and database)
            continue
        out_value = -group["out_value"]
        day["in_moves"] += group["in_moves"]
        day["out_moves"] += group["out_moves"]
        day["in_value"] += group["in_value"]
        day["out_value"] += out_value
        day["by_move_type"].append(
            {
                "move_type": group["move_type"],
                "moves": group["in_moves"] + group["out_moves"],
                "in_value": group["in_value"],
                "out_value": out_value,
            }
        )
    return list(days.values())
