"""Hypothesis: random sequences of receipts, issues, transfers, count adjustments and
reversals keep every ledger invariant after every step."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from storeledger.core.errors import InsufficientStock
from storeledger.inventory.ledger import (
    MoveRequest,
    get_or_create_batch,
    post_moves,
    reversal_requests,
)
from storeledger.inventory.models import Posting, StockBalance, StockMove
from storeledger.inventory.verify import verify_ledger
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

WAREHOUSES = 3  # 0 and 2 forbid negative stock, 1 allows it
SKUS = 3  # 2 is batch-tracked (two batches, FEFO on issues without a batch)
FORBIDDING = {0, 2}

quantities = st.integers(min_value=1, max_value=12).map(Decimal)
# Zero costs (free goods, SKUs without a purchase price) are everyday retail: they make
# values of -0 that must hash like the 0 the database stores.
costs = st.one_of(
    st.just(Decimal("0")),
    st.just(Decimal("-0.00")),
    st.integers(min_value=1, max_value=999).map(lambda c: Decimal(c) / 100),
)
warehouse_ix = st.integers(0, WAREHOUSES - 1)
sku_ix = st.integers(0, SKUS - 1)
batch_ix = st.integers(0, 1)

steps = st.one_of(
    st.tuples(st.just("receive"), warehouse_ix, sku_ix, batch_ix, quantities, costs),
    st.tuples(st.just("issue"), warehouse_ix, sku_ix, st.booleans(), batch_ix, quantities),
    st.tuples(st.just("transfer"), warehouse_ix, warehouse_ix, sku_ix, batch_ix, quantities),
    st.tuples(st.just("count"), warehouse_ix, sku_ix, batch_ix, st.integers(0, 15)),
    st.tuples(st.just("reverse"), st.integers(0, 50)),
)


class World:
    def __init__(self):
        store = factories.store()
        self.warehouses = [
            factories.warehouse(store, allow_negative_stock=(i not in FORBIDDING))
            for i in range(WAREHOUSES)
        ]
        # One SKU with a purchase price, one without (valued at 0 until a costed receipt).
        self.skus = [factories.sku(purchase_price=p) for p in ("2.50", "0")]
        tracked = factories.sku(tracking="batch")
        self.skus.append(tracked)
        today = timezone.localdate()
        self.batches = [
            get_or_create_batch(
                sku=tracked, batch_no=f"B{i}", expiry_date=today + datetime.timedelta(days=d)
            )
            for i, d in enumerate((10, 30))
        ]
        self.postings: list[Posting] = []
        self.reversed: set[int] = set()
        self.serial = 0

    def batch(self, sku_i, batch_i):
        return self.batches[batch_i].id if sku_i == SKUS - 1 else None

    def on_hand(self, w, s, b):
        row = StockBalance.objects.filter(
            warehouse=self.warehouses[w], sku=self.skus[s], batch_id=b
        ).first()
        return row.on_hand if row else Decimal(0)

    def post(self, moves, reverses=None):
        self.serial += 1
        with transaction.atomic():
            posting = post_moves(
                key=f"p{self.serial}",
                document_type="prop",
                document_id=self.serial,
                document_number=f"P{self.serial}",
                event="reverse" if reverses else "post",
                user=None,
                moves=moves,
                reverses=reverses,
            )
        if reverses is None:
            self.postings.append(posting)
        return posting


def snapshot():
    return (
        StockMove.objects.count(),
        sorted(StockBalance.objects.values_list("id", "on_hand", "value", "move_count")),
    )


def run_step(world: World, step) -> bool | None:
    """Post one step. True = posted, False = refused for lack of stock (as predicted),
    None = nothing to do."""
    kind = step[0]
    wh = world.warehouses
    if kind == "receive":
        _, w, s, b, quantity, cost = step
        world.post(
            [
                MoveRequest(
                    wh[w].id,
                    world.skus[s].id,
                    quantity,
                    "stock_in",
                    batch_id=world.batch(s, b),
                    unit_cost=cost,
                )
            ]
        )
        return True
    if kind == "issue":
        _, w, s, fefo, b, quantity = step
        batch = None if (fefo and s == SKUS - 1) else world.batch(s, b)
        if batch is None and s == SKUS - 1:
            available = sum(world.on_hand(w, s, x.id) for x in world.batches)
            has_batches = StockBalance.objects.filter(warehouse=wh[w], sku=world.skus[s]).exists()
            must_fail = not has_batches or (w in FORBIDDING and available < quantity)
            # Where negative stock is allowed FEFO needs a positive total to start from.
        else:
            must_fail = w in FORBIDDING and world.on_hand(w, s, batch) < quantity
        request = MoveRequest(wh[w].id, world.skus[s].id, -quantity, "stock_out", batch_id=batch)
        return attempt(world, [request], must_fail)
    if kind == "transfer":
        _, a, b_wh, s, b, quantity = step
        if a == b_wh:
            return None
        batch = world.batch(s, b)
        moves = [
            MoveRequest(wh[a].id, world.skus[s].id, -quantity, "transfer_out", batch_id=batch),
            MoveRequest(
                wh[b_wh].id,
                world.skus[s].id,
                quantity,
                "transfer_in",
                batch_id=batch,
                value_from=0,
            ),
        ]
        must_fail = a in FORBIDDING and world.on_hand(a, s, batch) < quantity
        return attempt(world, moves, must_fail)
    if kind == "count":
        _, w, s, b, target = step
        batch = world.batch(s, b)
        difference = Decimal(target) - world.on_hand(w, s, batch)
        if difference == 0:
            return None
        world.post(
            [
                MoveRequest(
                    wh[w].id,
                    world.skus[s].id,
                    difference,
                    "count_gain" if difference > 0 else "count_loss",
                    batch_id=batch,
                )
            ]
        )
        assert world.on_hand(w, s, batch) == target
        return True
    _, pick = step
    open_postings = [p for p in world.postings if p.id not in world.reversed]
    if not open_postings:
        return None
    original = open_postings[pick % len(open_postings)]
    requests = reversal_requests(original)
    before = snapshot()
    try:
        world.post(requests, reverses=original)
    except InsufficientStock:
        assert snapshot() == before
        # Only a warehouse that forbids negative stock may refuse a reversal.
        assert any(
            r.quantity < 0 and world.warehouses.index(_wh(world, r.warehouse_id)) in FORBIDDING
            for r in requests
        )
        return False
    world.reversed.add(original.id)
    return True


def _wh(world, warehouse_id):
    return next(w for w in world.warehouses if w.id == warehouse_id)


def attempt(world, moves, must_fail) -> bool:
    before = snapshot()
    if must_fail:
        with pytest.raises(InsufficientStock):
            world.post(moves)
        assert snapshot() == before
        return False
    world.post(moves)
    return True


def check_invariants(world: World) -> None:
    result = verify_ledger()
    assert result.ok, [str(d) for d in result.discrepancies]
    for balance in StockBalance.objects.all():
        moves = list(StockMove.objects.filter(balance=balance).order_by("id"))
        assert balance.on_hand == sum((m.quantity for m in moves), Decimal(0))
        assert balance.value == sum((m.value for m in moves), Decimal(0))
        if moves:
            assert moves[-1].balance_value == balance.value
            assert moves[-1].balance_quantity == balance.on_hand
        if balance.on_hand == 0:
            assert balance.value == 0
        index = world.warehouses.index(_wh(world, balance.warehouse_id))
        if index in FORBIDDING:
            assert balance.on_hand >= 0
            assert balance.value >= 0
        if balance.on_hand > 0:
            assert balance.value >= 0


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(steps, min_size=1, max_size=25))
def test_random_postings_keep_every_invariant(db, sequence):
    with transaction.atomic():
        world = World()
        for step in sequence:
            outcome = run_step(world, step)
            event(
                f"{step[0]}: {'posted' if outcome else 'refused' if outcome is False else 'no-op'}"
            )
            check_invariants(world)
        transaction.set_rollback(True)
