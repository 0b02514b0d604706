"""The dashboards (经营看板): the key figures of every store in the user's scope (head office)
or of one store, read from the ledger, purchasing and payables. Sales do not exist yet, so
the figures are those of stock, purchasing and payables.

Every figure is summed in the database, or from the reports' own selectors (the stock
summary gives the period's in/out and the turnover, `stock_value_by` the categories), so a
figure here equals the report it drills down to. A constant number of queries whatever the
number of stores, SKUs or moves: each query is grouped per store, never run per store.
Head office also gets the central warehouses (of no store) as a row of their own (CENTRAL).

The figures a user's role may not read are None: purchasing without the permission to see
orders (receipts), payables without the one to see supplier invoices, and every value, cost
and amount without `reports.view_cost`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from storeledger.accounts import scope
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, MONEY_QUANT, ZERO
from storeledger.finance import account, aggregates
from storeledger.finance.roles import VIEW_ACCOUNT
from storeledger.inventory import blind
from storeledger.inventory.models import StockCount, StockMove
from storeledger.inventory.selectors import NEAR_EXPIRY_DAYS
from storeledger.inventory.services.transfers import transfers_in_transit
from storeledger.org.models import Store, Warehouse, WarehouseKind
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseReceipt,
    PurchaseReceiptStatus,
)
from storeledger.purchasing.selectors import expecting_goods
from storeledger.reports.models import can_see_cost
from storeledger.reports.selectors import (
    _DIRECTIONS,
    _KIND_OF,
    FLOW_KINDS,
    GROUP_WAREHOUSE,
    IN,
    TURNOVER_KINDS,
    Period,
    StockFilters,
    _turnover_figures,
    scoped_balances,
    stock_summary,
    stock_value_by,
)

CENTRAL = 0  # the key of the central warehouses (of no store) among the stores' figures
OUTSIDE = -1  # a warehouse outside the dashboard's stores
PERIOD_DAYS = 30  # the period of in/out, turnover and the trend: the last 30 days, today last
TOP_CATEGORIES = 8
DUE_SOON_DAYS = 7  # payables "due soon": due within the next 7 days
OPEN_COUNT_STATUSES = ("draft", "counting", "submitted", "approved")
VIEW_ORDERS = "purchasing.view_purchaseorder"
VIEW_RECEIPTS = "purchasing.view_purchasereceipt"
_MONEY = DecimalField(max_digits=MONEY_DIGITS + 8, decimal_places=MONEY_PLACES + 8)

# The figures of a store (and of them all together); the value ones are None without the cost
# permission, the purchasing / payables ones without their module's permission.
STOCK_FIGURES = (
    "stock_value",
    "in_value",
    "out_value",
    "consumed_value",
    "sku_count",
    "turnover",
    "days_of_inventory",
    "below_safety_stock",
    "negative_stock",
    "zero_stock",
    "expiring_batches",
    "open_counts",
    "transfers_in_transit",
)
ORDER_FIGURES = ("open_orders", "on_order_value", "pending_approvals", "overdue_orders")
RECEIPT_FIGURES = ("receipts_month", "receipts_month_value")
PAYABLE_FIGURES = ("payables", "payables_overdue", "payables_due_soon")
VALUE_FIGURES = frozenset(
    {
        "stock_value",
        "in_value",
        "out_value",
        "consumed_value",
        "turnover",
        "days_of_inventory",
        "on_order_value",
        "receipts_month_value",
        *PAYABLE_FIGURES,
    }
)
_COUNTS = frozenset(
    {
        "sku_count",
        "below_safety_stock",
        "negative_stock",
        "zero_stock",
        "expiring_batches",
        "open_counts",
        "transfers_in_transit",
        "open_orders",
        "pending_approvals",
        "overdue_orders",
        "receipts_month",
    }
)


def period_of(today: datetime.date) -> Period:
    return Period(today - datetime.timedelta(days=PERIOD_DAYS - 1), today)


def dashboard(*, user, store_id: int | None = None, today: datetime.date | None = None) -> dict:
    """The figures of the stores in the user's scope (or of `store_id`, checked against the
    scope: 403 out_of_scope), per store and together, with the period's flows per kind, the
    top categories by stock value and the daily trend of stock value, in and out."""
    if store_id is not None:
        scope.ensure_stores(user, [store_id])
    today = today or timezone.localdate()
    period = period_of(today)
    filters = StockFilters(store_id=store_id)
    show_cost = can_see_cost(user)
    sections = {
        "orders": user.has_perm(VIEW_ORDERS),
        "receipts": user.has_perm(VIEW_RECEIPTS),
        "payables": user.has_perm(VIEW_ACCOUNT),
    }

    stores = scope.filter_stores(Store.objects.all(), user, field="id")
    if store_id is not None:
        stores = stores.filter(pk=store_id)
    store_rows = list(stores.values("id", "code", "name").order_by("code", "id"))
    warehouses = scope.filter_warehouses(
        Warehouse.objects.exclude(kind=WarehouseKind.TRANSIT), user, field="id"
    )
    if store_id is not None:
        warehouses = warehouses.filter(store_id=store_id)
    else:  # head office: the central warehouses (of no store) too, as a row of their own
        warehouses = warehouses.filter(
            Q(store_id__in=[s["id"] for s in store_rows]) | Q(store__isnull=True)
        )
    store_of = {
        warehouse: CENTRAL if store is None else store
        for warehouse, store in warehouses.values_list("id", "store_id")
    }
    figures: dict[int, dict] = {s["id"]: _empty_figures() for s in store_rows}
    if CENTRAL in store_of.values():
        figures[CENTRAL] = _empty_figures()

    def add(store: int | None, name: str, amount) -> None:
        store = CENTRAL if store is None else store
        if store in figures and amount is not None:
            figures[store][name] += amount

    # stock summary of the period per warehouse: closing (= stock value now), in, out, kinds
    kinds = {kind.key: {"quantity": ZERO, "value": ZERO} for kind in FLOW_KINDS}
    openings: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in stock_summary(user=user, period=period, filters=filters, group_by=GROUP_WAREHOUSE):
        store = store_of.get(row["warehouse_id"], OUTSIDE)
        add(store, "stock_value", row["closing_value"])
        add(store, "in_value", row["in_value"])
        add(store, "out_value", row["out_value"])
        add(store, "consumed_value", sum((row["flows"][k]["value"] for k in TURNOVER_KINDS), ZERO))
        if store != OUTSIDE:
            openings[store] += row["opening_value"]
        for key, flow in row["flows"].items():
            kinds[key]["quantity"] += flow["quantity"]
            kinds[key]["value"] += flow["value"]

    balances = scoped_balances(user, filters)
    for row in (
        balances.filter(on_hand__gt=0)
        .values(store_key=F("warehouse__store_id"))
        .annotate(skus=Count("sku_id", distinct=True))
        .order_by()
    ):
        add(row["store_key"], "sku_count", row["skus"])
    sku_count = balances.filter(on_hand__gt=0).values("sku_id").distinct().count()

    # alerts per warehouse × SKU (as the stock status report counts them): below safety
    # stock, negative, zero; only the rows that are one of them come back
    alerts = (
        balances.values("warehouse_id", "sku_id", safety=F("sku__safety_stock"))
        .annotate(quantity=Sum("on_hand"))
        .filter(Q(quantity__lt=F("safety")) | Q(quantity__lte=0))
        .order_by()
    )
    for row in alerts:
        store = store_of.get(row["warehouse_id"], OUTSIDE)
        add(store, "below_safety_stock", int(row["quantity"] < row["safety"]))
        add(store, "negative_stock", int(row["quantity"] < 0))
        add(store, "zero_stock", int(row["quantity"] == 0))

    limit = today + datetime.timedelta(days=NEAR_EXPIRY_DAYS)
    for row in (
        balances.filter(batch__isnull=False, on_hand__gt=0, batch__expiry_date__lte=limit)
        .values(store_key=F("warehouse__store_id"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(row["store_key"], "expiring_batches", row["n"])

    counts = scope.filter_warehouses(
        StockCount.objects.filter(status__in=OPEN_COUNT_STATUSES), user
    )
    for row in counts.values("store_id").annotate(n=Count("id")).order_by():
        add(row["store_id"], "open_counts", row["n"])

    transit = transfers_in_transit(user).values(store_key=F("to_warehouse__store_id"))
    for row in transit.annotate(n=Count("id")).order_by():
        add(row["store_key"], "transfers_in_transit", row["n"])

    if sections["orders"]:
        _add_orders(user, add, today)
    if sections["receipts"]:
        _add_receipts(user, add, today)
    if sections["payables"]:
        _add_payables(add, sorted(set(figures) - {CENTRAL}), today)

    trend = _trend(user, store_id, period, sum((f["stock_value"] for f in figures.values()), ZERO))

    for store, row in figures.items():
        _turnover(row, openings[store])
    totals = _empty_figures()
    for row in figures.values():
        for name in totals:
            if name not in ("turnover", "days_of_inventory"):
                totals[name] += row[name]
    totals["sku_count"] = sku_count  # distinct SKUs: one sold in two stores counts once
    _turnover(totals, sum(openings.values(), ZERO))

    def shown(row: dict) -> dict:
        out = dict(row)
        for names, allowed in (
            (ORDER_FIGURES, sections["orders"]),
            (RECEIPT_FIGURES, sections["receipts"]),
            (PAYABLE_FIGURES, sections["payables"]),
        ):
            if not allowed:
                for name in names:
                    out[name] = None
        if not show_cost:
            for name in VALUE_FIGURES:
                out[name] = None
        return out

    categories = stock_value_by(user=user, filters=filters, dimension="category")
    return {
        "date": today,
        "date_from": period.date_from,
        "date_to": period.date_to,
        "month_from": today.replace(day=1),
        "store": store_id,
        "show_cost": show_cost,
        "sections": sections,
        "near_expiry_days": NEAR_EXPIRY_DAYS,
        "totals": shown(totals),
        "stores": [
            {"store": s["id"], "store_code": s["code"], "store_name": s["name"]}
            | shown(figures[s["id"]])
            for s in store_rows
        ]
        + (
            [{"store": None, "store_code": None, "store_name": None} | shown(figures[CENTRAL])]
            if CENTRAL in figures
            else []
        ),
        "kinds": [
            {
                "key": kind.key,
                "direction": kind.direction,
                "quantity": kinds[kind.key]["quantity"],
                "value": kinds[kind.key]["value"] if show_cost else None,
            }
            for kind in FLOW_KINDS
        ],
        "categories": [
            {
                "category": row["key"],
                "category_code": row["code"],
                "category_name": row["name"],
                "value": row["value"],
            }
            for row in categories[:TOP_CATEGORIES]
        ]
        if show_cost
        else [],
        "trend": [
            day if show_cost else {**day, "stock_value": None, "in_value": None, "out_value": None}
            for day in trend
        ],
    }


def _empty_figures() -> dict:
    row: dict = {name: 0 if name in _COUNTS else ZERO for name in STOCK_FIGURES}
    row.update({name: 0 if name in _COUNTS else ZERO for name in ORDER_FIGURES})
    row.update({name: 0 if name in _COUNTS else ZERO for name in RECEIPT_FIGURES})
    row.update(dict.fromkeys(PAYABLE_FIGURES, ZERO))
    return row


def _turnover(row: dict, opening: Decimal) -> None:
    """Turnover by value over the period (as the turnover report computes it)."""
    _average, row["turnover"], row["days_of_inventory"] = _turnover_figures(
        row["consumed_value"], opening, row["stock_value"], PERIOD_DAYS
    )


def _add_orders(user, add, today: datetime.date) -> None:
    orders = scope.filter_warehouses(PurchaseOrder.objects.all(), user)
    for row in (
        orders.values("store_id")
        .annotate(
            open=Count("id", filter=expecting_goods()),
            pending=Count("id", filter=Q(status=PurchaseOrderStatus.SUBMITTED)),
        )
        .order_by()
    ):
        add(row["store_id"], "open_orders", row["open"])
        add(row["store_id"], "pending_approvals", row["pending"])
    lines = scope.filter_warehouses(
        PurchaseOrderLine.objects.filter(
            expecting_goods("order__"), received_quantity__lt=F("base_quantity")
        ),
        user,
        field="order__warehouse",
    )
    overdue = Q(expected_date__lt=today) | Q(
        expected_date__isnull=True, order__expected_date__lt=today
    )
    open_value = ExpressionWrapper(
        F("net_amount") * (F("base_quantity") - F("received_quantity")) / F("base_quantity"),
        output_field=_MONEY,
    )
    for row in (
        lines.values(store_key=F("order__store_id"))
        .annotate(value=Sum(open_value), overdue=Count("order_id", filter=overdue, distinct=True))
        .order_by()
    ):
        add(row["store_key"], "on_order_value", (row["value"] or ZERO).quantize(MONEY_QUANT))
        add(row["store_key"], "overdue_orders", row["overdue"])


def _add_receipts(user, add, today: datetime.date) -> None:
    start = Period(today.replace(day=1), today).start
    receipts = scope.filter_warehouses(
        PurchaseReceipt.objects.filter(status=PurchaseReceiptStatus.POSTED, posted_at__gte=start),
        user,
    )
    for row in (
        receipts.values("store_id").annotate(n=Count("id"), value=Sum("total_value")).order_by()
    ):
        add(row["store_id"], "receipts_month", row["n"])
        add(row["store_id"], "receipts_month_value", row["value"] or ZERO)


def _add_payables(add, store_ids: list[int], today: datetime.date) -> None:
    """What is owed to suppliers per store on `today`: in total, past its due date, and due
    within DUE_SOON_DAYS (as the payables ageing counts open items)."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    yesterday = today - datetime.timedelta(days=1)
    buckets = [
        aggregates.Bucket("payables_overdue", last=yesterday),
        aggregates.Bucket("payables_due_soon", first=today, last=soon),
    ]
    query = account.Query(store_ids=store_ids, date_to=today)
    for store_id, sums in aggregates.open_item_sums(query, buckets, group_by="store").items():
        add(store_id, "payables", sums["total"])
        for bucket in buckets:
            add(store_id, bucket.name, sums[bucket.name])


def _trend(user, store_id: int | None, period: Period, closing: Decimal) -> list[dict]:
    """Per day of the period: in and out values (by the kind of each move, as the stock
    summary counts them: a reversal lowers its own side) and the stock value at the end of the
    day (the value now less the net value of the later days). One query, grouped by day, move
    type and direction."""
    moves = blind.filter_book(
        StockMove.objects.filter(posted_at__gte=period.start, posted_at__lt=period.end), user
    ).exclude(warehouse__kind=WarehouseKind.TRANSIT)
    if store_id is not None:
        moves = moves.filter(warehouse__store_id=store_id)
    inbound = Q(quantity__gt=0)
    groups = (
        moves.annotate(day=TruncDate("posted_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "move_type")
        .annotate(
            in_value=Sum("value", filter=inbound),
            out_value=Sum("value", filter=~inbound),
        )
        .order_by()
    )
    days = {
        period.date_from + datetime.timedelta(days=n): {"in_value": ZERO, "out_value": ZERO}
        for n in range(PERIOD_DAYS)
    }
    for group in groups:
        day = days.get(group["day"])
        if day is None:
            continue
        for inbound_, value in ((1, group["in_value"]), (0, group["out_value"])):
            if value is None:
                continue
            kind = _KIND_OF[(str(group["move_type"]), inbound_)]
            if _DIRECTIONS[kind] == IN:
                day["in_value"] += value
            else:
                day["out_value"] -= value
    trend = []
    value = closing
    for date in sorted(days, reverse=True):
        day = days[date]
        trend.append(
            {
                "date": date,
                "stock_value": value.quantize(MONEY_QUANT),
                "in_value": day["in_value"].quantize(MONEY_QUANT),
                "out_value": day["out_value"].quantize(MONEY_QUANT),
            }
        )
        value -= day["in_value"] - day["out_value"]
    trend.reverse()
    return trend
