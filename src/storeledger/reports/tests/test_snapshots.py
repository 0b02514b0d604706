"""Month-end stock snapshots (reports/snapshots.py): each row is the sum of its balance's moves
before its instant, and stays so under back-dated postings; the stock summary read through the
snapshots equals the ledger computed from scratch, to the fen (a hypothesis property over
random postings, back-dated ones and period closes, interleaved)."""

import contextlib
import datetime
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from storeledger.core.errors import StateConflict
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.reports import selectors, snapshots
from storeledger.reports.kinds import KIND_COLUMNS, KINDS_BY_KEY
from storeledger.reports.models import SnapshotPeriod, StockSnapshot
from storeledger.reports.selectors import FLOW_KINDS, Period, StockFilters
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """TODAY is the company's date as each test starts, not as the module was imported: a run
    begun before local midnight (16:00 UTC) went on after it with yesterday's date."""
    monkeypatch.setattr(sys.modules[__name__], "TODAY", timezone.localdate())


def local(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def month_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day.replace(day=1), datetime.time()))


def receipt(warehouse, sku, quantity, cost="2.00", move_type="purchase_receipt"):
    return MoveRequest(
        warehouse_id=warehouse.id,
        sku_id=sku.id,
        quantity=D(quantity),
        move_type=move_type,
        unit_cost=D(cost),
    )


def sums_before(balance_id: int, when: datetime.datetime) -> tuple[Decimal, Decimal]:
    moves = StockMove.objects.filter(balance_id=balance_id, posted_at__lt=when)
    return (
        sum((m.quantity for m in moves), D(0)),
        sum((m.value for m in moves), D(0)),
    )


def kinds_before(balance_id: int, when: datetime.datetime) -> tuple[Decimal, ...]:
    """The cumulative flows per kind (KIND_COLUMNS order) of a balance's moves before `when`,
    from the ledger in Python (`kind_of`)."""
    totals = dict.fromkeys(KIND_COLUMNS, D(0))
    for m in StockMove.objects.filter(balance_id=balance_id, posted_at__lt=when):
        kind = KINDS_BY_KEY[selectors.kind_of(m.move_type, m.quantity)]
        totals[kind.quantity_column] += m.quantity
        totals[kind.value_column] += m.value
    return tuple(totals.values())


def assert_snapshots_exact() -> None:
    """Every balance at every snapshot: its row (or none when 0) = its moves before then, in
    total and per kind."""
    zero = (D(0),) * (2 + len(KIND_COLUMNS))
    for period in SnapshotPeriod.objects.all():
        rows = {
            s["balance_id"]: tuple(s[c] for c in ("quantity", "value", *KIND_COLUMNS))
            for s in StockSnapshot.objects.filter(period=period).values()
        }
        for balance_id in StockBalance.objects.values_list("id", flat=True):
            expected = sums_before(balance_id, period.at) + kinds_before(balance_id, period.at)
            assert rows.get(balance_id, zero) == expected, (period.at, balance_id)


def test_build_adds_each_month_start_once_and_stops_before_the_margin(warehouse, sku):
    three_months_ago = (TODAY.replace(day=1) - 70 * DAY).replace(day=15)
    factories.posting("s1", [receipt(warehouse, sku, "10")], at=local(three_months_ago))
    factories.posting("s2", [receipt(warehouse, sku, "4", "3.00")], at=local(TODAY - 40 * DAY))
    added = snapshots.build_snapshots()
    expected = []
    at = snapshots._next_month_start(local(three_months_ago), snapshots._zone())
    while at <= timezone.now() - snapshots.MARGIN:
        expected.append(at)
        at = snapshots._next_month_start(at, snapshots._zone())
    assert [p.at for p in added] == expected
    assert len(expected) >= 2
    assert snapshots.build_snapshots() == []  # nothing left to add
    assert_snapshots_exact()
    first = StockSnapshot.objects.get(period__at=expected[0])
    assert (first.quantity, first.value) == (D("10"), D("20.00"))


def test_a_backdated_posting_updates_every_later_snapshot(warehouse, other_warehouse, sku):
    old = TODAY.replace(day=1) - 80 * DAY
    factories.posting("b1", [receipt(warehouse, sku, "10")], at=local(old))
    call_command("build_stock_snapshots", stdout=open("/dev/null", "w"))  # noqa: SIM115
    periods = list(SnapshotPeriod.objects.order_by("at"))
    assert len(periods) >= 2
    # a new balance (the other warehouse) back-dated before every snapshot: rows appear
    factories.posting("b2", [receipt(other_warehouse, sku, "3", "5.00")], at=local(old + DAY))
    # and an existing balance, back-dated after its last move but before the snapshots
    factories.posting(
        "b3",
        [receipt(warehouse, sku, "-4", move_type="sale")],
        at=local(old + 2 * DAY),
    )
    assert_snapshots_exact()
    rows = StockSnapshot.objects.filter(period=periods[-1])
    assert sorted((r.quantity, r.value) for r in rows) == [
        (D("3"), D("15.00")),
        (D("6"), D("12.00")),
    ]
    # the summary of the last closed month reads the snapshot and equals the ledger
    start = timezone.localdate(periods[-2].at)
    end = timezone.localdate(periods[-1].at) - DAY
    summary = selectors.stock_summary(
        user=factories.user("snap", roles=("admin",), all_stores=True),
        period=Period(start, end),
        group_by="warehouse_sku",
    )
    assert [(r["opening_quantity"], r["closing_quantity"]) for r in summary] == [
        (D("6"), D("6")),
        (D("3"), D("3")),
    ]


def test_a_posting_dated_before_a_balances_last_move_is_still_refused(warehouse, sku):
    factories.posting("r1", [receipt(warehouse, sku, "10")], at=local(TODAY - 50 * DAY))
    snapshots.build_snapshots()
    with pytest.raises(StateConflict):
        factories.posting("r2", [receipt(warehouse, sku, "1")], at=local(TODAY - 60 * DAY))
    assert_snapshots_exact()


# ------------------------------------------------------------------ property

WAREHOUSES, SKUS = 2, 2
MOVE_TYPES = ["purchase_receipt", "stock_in", "stock_out", "sale", "adjustment", "count_loss"]
actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("post"),
            st.integers(0, WAREHOUSES - 1),
            st.integers(0, SKUS - 1),
            st.sampled_from(MOVE_TYPES),
            st.integers(1, 9),
            st.integers(0, 999),
            st.integers(1, 120),  # days before today (never in the future)
        ),
        st.tuples(st.just("close"), st.integers(0, 120)),
    ),
    min_size=1,
    max_size=16,
)


def play(actions, prefix: str):
    """A new store's ledger from hypothesis `actions`: postings (a refused back-dated one is
    skipped) and snapshot builds. (store, its warehouses, the SKUs)"""
    SnapshotPeriod.objects.all().delete()
    store = factories.store()
    warehouses = [factories.warehouse(store, allow_negative_stock=True) for _ in range(WAREHOUSES)]
    skus = [factories.sku() for _ in range(SKUS)]
    for index, action in enumerate(actions):
        if action[0] == "close":
            snapshots.build_snapshots(until=local(TODAY - action[1] * DAY))
            continue
        _post, w, s, move_type, quantity, cents, days_ago = action
        sign = -1 if move_type in ("stock_out", "sale", "count_loss") else 1
        if move_type == "adjustment" and cents % 2:
            sign = -1
        # dated before the balance's latest move: refused, as it must be
        with contextlib.suppress(StateConflict):
            factories.posting(
                f"{prefix}{store.id}-{index}",
                [receipt(warehouses[w], skus[s], sign * quantity, D(cents) / 100, move_type)],
                at=local(TODAY - days_ago * DAY, hour=index % 24),
            )
    return store, warehouses, skus


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=actions,
    start_offset=st.integers(0, 125),
    length=st.integers(0, 60),
    whole_months=st.booleans(),
)
def test_summary_through_snapshots_equals_the_ledger(
    admin_user, actions, start_offset, length, whole_months
):
    store, warehouses, skus = play(actions, "x")
    assert_snapshots_exact()

    date_from = TODAY - start_offset * DAY
    date_to = min(date_from + length * DAY, TODAY)
    if whole_months:  # from a month's first day to a month's last day: no move read at all
        date_from = date_from.replace(day=1)
        date_to = (date_to.replace(day=28) + 4 * DAY).replace(day=1) - DAY
    period = Period(date_from, date_to)
    uses_snapshot = SnapshotPeriod.objects.filter(at__lte=period.start).exists()
    event(f"opening read through a snapshot: {uses_snapshot}")
    through = SnapshotPeriod.objects.filter(at__gt=period.start, at__lte=period.end).exists()
    event(f"flows read as a difference of snapshots: {uses_snapshot and through}")
    rows = selectors.stock_summary(
        user=admin_user,
        period=period,
        filters=StockFilters(store_id=store.id),
        group_by="warehouse_sku",
    )
    by_key = {(r["warehouse_id"], r["sku_id"]): r for r in rows}
    for balance in StockBalance.objects.filter(warehouse__store=store):
        opening = sums_before(balance.id, period.start)
        closing = sums_before(balance.id, period.end)
        row = by_key.get((balance.warehouse_id, balance.sku_id))
        if row is None:
            assert opening == (0, 0) and closing == (0, 0), uses_snapshot
            continue
        assert (row["opening_quantity"], row["opening_value"]) == opening, uses_snapshot
        assert (row["closing_quantity"], row["closing_value"]) == closing, uses_snapshot
        in_period = StockMove.objects.filter(
            balance=balance, posted_at__gte=period.start, posted_at__lt=period.end
        )
        for kind in FLOW_KINDS:
            expected = sum(
                (
                    m.quantity
                    for m in in_period
                    if selectors.kind_of(m.move_type, m.quantity) == kind.key
                ),
                D(0),
            )
            sign = 1 if kind.direction == selectors.IN else -1
            assert row["flows"][kind.key]["quantity"] == sign * expected
    # and the same figures as the ledger alone (the opening probed per balance)
    from_scratch = selectors.stock_summary(
        user=admin_user,
        period=period,
        filters=StockFilters(store_id=store.id),
        group_by="warehouse_sku",
        use_snapshots=False,
    )
    assert from_scratch == rows
    # and the flows read from the moves of the period (the opening through the snapshots)
    from_moves = selectors.stock_summary(
        user=admin_user,
        period=period,
        filters=StockFilters(store_id=store.id),
        group_by="warehouse_sku",
        snapshot_flows=False,
    )
    assert from_moves == rows
    # and the flows always as a difference of snapshots where there are two (by default the
    # cheaper way is taken)
    through_snapshots = selectors.stock_summary(
        user=admin_user,
        period=period,
        filters=StockFilters(store_id=store.id),
        group_by="warehouse_sku",
        snapshot_flows=True,
    )
    assert through_snapshots == rows


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=actions,
    now_offset=st.integers(0, 40),
    hours=st.integers(0, 23),
    no_outflow_days=st.integers(1, 150),
)
def test_stock_status_demand_through_snapshots_equals_the_ledger(
    admin_user, actions, now_offset, hours, no_outflow_days
):
    """The demand of the stock status (30 days for the cover, N days for the slow-moving flag)
    read through the snapshots' cumulative flows equals the moves of the window summed in
    Python, and the status computed from the moves alone."""
    store, warehouses, skus = play(actions, "d")
    now = local(TODAY - now_offset * DAY, hour=hours)
    cuts = (now - selectors.COVER_DAYS * DAY, now - no_outflow_days * DAY)
    event(f"demand read through snapshots: {bool(selectors._window_terms(now, cuts, True)[0])}")
    filters = StockFilters(store_id=store.id)
    rows = selectors.stock_status(
        user=admin_user,
        filters=filters,
        now=now,
        no_outflow_days=no_outflow_days,
        use_snapshots=True,
    )
    from_moves = selectors.stock_status(
        user=admin_user,
        filters=filters,
        now=now,
        no_outflow_days=no_outflow_days,
        use_snapshots=False,
    )
    assert rows == from_moves
    demand_types = set(selectors.DEMAND_MOVE_TYPES)
    for row in rows:
        moves = [
            m
            for m in StockMove.objects.filter(
                warehouse_id=row["warehouse_id"], sku_id=row["sku_id"], posted_at__lte=now
            )
            if m.move_type in demand_types
        ]
        cover = -sum((m.quantity for m in moves if m.posted_at >= now - 30 * DAY), D(0))
        idle = -sum((m.quantity for m in moves if m.posted_at >= now - no_outflow_days * DAY), D(0))
        assert row["demand_30d"] == cover
        assert row["no_outflow"] == (row["on_hand"] > 0 and idle <= 0)


def ageing_from_the_ledger(balance: StockBalance, today: datetime.date) -> list[Decimal]:
    """A balance's ageing buckets in Python: its newest inflows (the summary's in-kinds, a
    reversal of one taking it back) hold its stock, oldest bucket last."""
    inflows = [
        m
        for m in StockMove.objects.filter(balance=balance)
        if KINDS_BY_KEY[selectors.kind_of(m.move_type, m.quantity)].direction == selectors.IN
    ]
    held, buckets = D(0), []
    for days in selectors.AGEING_BUCKETS:
        since = timezone.make_aware(datetime.datetime.combine(today - days * DAY, datetime.time()))
        received = sum((m.quantity for m in inflows if m.posted_at >= since), D(0))
        layer = max(held, min(balance.on_hand, received)) - held
        buckets.append(layer)
        held += layer
    return [*buckets, balance.on_hand - held]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=actions)
def test_stock_ageing_through_snapshots_equals_the_ledger(admin_user, actions):
    """What each balance received since each bucket's first day, read through the snapshots'
    cumulative inflows, gives the buckets of the moves alone and of the ledger in Python; a
    row's bucket values add up to its value."""
    store, warehouses, _skus = play(actions, "a")
    filters = StockFilters(store_id=store.id)
    starts = tuple(
        timezone.make_aware(datetime.datetime.combine(TODAY - days * DAY, datetime.time()))
        for days in selectors.AGEING_BUCKETS
    )
    event(
        f"read through snapshots: {bool(selectors._window_terms(timezone.now(), starts, True)[0])}"
    )
    rows = selectors.stock_ageing(user=admin_user, filters=filters, today=TODAY, use_snapshots=True)
    from_moves = selectors.stock_ageing(
        user=admin_user, filters=filters, today=TODAY, use_snapshots=False
    )
    assert rows == from_moves
    # unfiltered, every balance's inflows are read (no join to those in scope): the same rows
    ids = {w.id for w in warehouses}
    every = selectors.stock_ageing(user=admin_user, today=TODAY, use_snapshots=True)
    assert [r for r in every if r["warehouse_id"] in ids] == rows
    by_key = {(r["warehouse_id"], r["sku_id"]): r for r in rows}
    with_stock = StockBalance.objects.filter(warehouse__store=store, on_hand__gt=0)
    assert set(by_key) == {(b.warehouse_id, b.sku_id) for b in with_stock}
    for balance in with_stock:
        row = by_key[(balance.warehouse_id, balance.sku_id)]
        assert [b["quantity"] for b in row["buckets"]] == ageing_from_the_ledger(balance, TODAY)
        assert sum(b["value"] for b in row["buckets"]) == row["value"] == balance.value
