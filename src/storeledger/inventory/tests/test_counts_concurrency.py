"""Several counters (threads) scanning the same line at once on PostgreSQL: each thread has its own
connection and transaction; no entry may be lost and the line's count is their sum."""

from decimal import Decimal

import pytest

from storeledger.core.errors import StateConflict
from storeledger.core.services import service
from storeledger.inventory.ledger import MoveRequest, post_moves
from storeledger.inventory.models import StockCount, StockCountEntry, StockCountLine
from storeledger.inventory.services import counts as services
from storeledger.testing import factories
from storeledger.testing.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCANS = 25
COUNTERS = 4


@service
def _stock_in(*, warehouse, sku, quantity):
    post_moves(
        key=f"in-{sku.code}",
        document_type="test",
        document_id=1,
        document_number="in",
        event="post",
        user=None,
        moves=[
            MoveRequest(warehouse.id, sku.id, Decimal(quantity), "stock_in", unit_cost=Decimal(2))
        ],
    )


@pytest.fixture
def counting():
    store = factories.store("0001")
    warehouse = factories.warehouse(store, code="WH01")
    cola = factories.sku(code="SKU-COLA")
    water = factories.sku(code="SKU-WATER")
    _stock_in(warehouse=warehouse, sku=cola, quantity=100)
    counters = [
        factories.user(f"counter{i}", stores=(store,), roles=("warehouse_keeper",))
        for i in range(COUNTERS)
    ]
    count = services.create_stock_count(user=counters[0], warehouse_id=warehouse.id)
    services.start_stock_count(user=counters[0], count_id=count.id)
    return count, cola, water, counters


def _scanner(count, sku, user):
    def job():
        for _ in range(SCANS):
            services.record_count(
                user=user,
                count_id=count.id,
                entries=[services.CountEntryInput(quantity=Decimal(1), sku_id=sku.id)],
            )

    return job


def test_counters_scan_the_same_line_and_no_entry_is_lost(counting):
    count, cola, _water, counters = counting
    outcomes = race([_scanner(count, cola, user) for user in counters])
    assert outcomes == ["ok"] * COUNTERS
    line = StockCountLine.objects.get(count=count, sku=cola)
    assert StockCountEntry.objects.filter(line=line).count() == COUNTERS * SCANS
    assert line.counted_quantity == Decimal(COUNTERS * SCANS)
    assert set(StockCountEntry.objects.values_list("counted_by__username", flat=True)) == {
        f"counter{i}" for i in range(COUNTERS)
    }


def test_counters_find_the_same_new_sku_at_once(counting):
    count, _cola, water, counters = counting
    outcomes = race([_scanner(count, water, user) for user in counters])
    assert outcomes == ["ok"] * COUNTERS
    line = StockCountLine.objects.get(count=count, sku=water)
    assert line.book_quantity == Decimal(0)
    assert line.counted_quantity == Decimal(COUNTERS * SCANS)
    assert StockCountLine.objects.filter(count=count, sku=water).count() == 1


def test_submit_racing_with_counters_keeps_entries_consistent(counting):
    count, cola, _water, counters = counting
    services.record_count(
        user=counters[0],
        count_id=count.id,
        entries=[services.CountEntryInput(quantity=Decimal(50), sku_id=cola.id)],
    )
    errors: list[BaseException | None] = []
    outcomes = race(
        [
            _scanner(count, cola, counters[1]),
            lambda: services.submit_stock_count(user=counters[0], count_id=count.id),
        ],
        errors=errors,
    )
    # Scans after the submit are refused (409); whatever got in before is in the difference.
    assert outcomes[1] == "ok", outcomes
    assert all(isinstance(error, StateConflict) for error in errors if error is not None), outcomes
    line = StockCountLine.objects.get(count=count, sku=cola)
    assert StockCount.objects.get(pk=count.id).status == "submitted"
    entries = StockCountEntry.objects.filter(line=line).count()
    assert line.counted_quantity == Decimal(50 + entries - 1)
    assert line.difference == line.counted_quantity - Decimal(100)
