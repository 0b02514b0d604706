"""Real row-lock races on PostgreSQL: many threads, each with its own connection and
transaction, issue or transfer the last units of a SKU."""

import threading
from decimal import Decimal

import pytest
from django.db import transaction

from storeledger.core.services import service
from storeledger.inventory.ledger import MoveRequest, post_moves
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.verify import verify_ledger
from storeledger.testing import factories
from storeledger.testing.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 32


@service
def _post(*, key: str, moves: list[MoveRequest]) -> None:
    post_moves(
        key=key,
        document_type="race",
        document_id=1,
        document_number=key,
        event="post",
        user=None,
        moves=moves,
    )


@pytest.fixture
def stocked():
    store = factories.store("0001")
    source = factories.warehouse(store, code="WH01", allow_negative_stock=False)
    target = factories.warehouse(store, code="WH02", allow_negative_stock=False)
    item = factories.sku(code="LAST10")
    _post(
        key="in",
        moves=[MoveRequest(source.id, item.id, Decimal(10), "stock_in", unit_cost=Decimal(3))],
    )
    return source, target, item


def test_32_threads_issue_the_last_10_units(stocked):
    source, _target, item = stocked

    def issue(n):
        return lambda: _post(
            key=f"out{n}", moves=[MoveRequest(source.id, item.id, Decimal(-1), "stock_out")]
        )

    outcomes = race([issue(n) for n in range(THREADS)])

    assert sorted(outcomes) == ["insufficient_stock"] * 22 + ["ok"] * 10
    balance = StockBalance.objects.get(warehouse=source, sku=item)
    assert (balance.on_hand, balance.value, balance.move_count) == (0, 0, 11)
    assert StockMove.objects.filter(move_type="stock_out").count() == 10
    assert verify_ledger().ok


def test_transfers_race_with_issues(stocked):
    source, target, item = stocked

    def issue(n):
        return lambda: _post(
            key=f"out{n}", moves=[MoveRequest(source.id, item.id, Decimal(-1), "stock_out")]
        )

    def transfer(n):
        return lambda: _post(
            key=f"tr{n}",
            moves=[
                MoveRequest(source.id, item.id, Decimal(-1), "transfer_out"),
                MoveRequest(target.id, item.id, Decimal(1), "transfer_in", value_from=0),
            ],
        )

    outcomes = race([issue(n) if n % 2 else transfer(n) for n in range(THREADS)])

    assert sorted(outcomes) == ["insufficient_stock"] * 22 + ["ok"] * 10
    transferred = sum(1 for n, o in enumerate(outcomes) if o == "ok" and n % 2 == 0)
    assert StockBalance.objects.get(warehouse=source, sku=item).on_hand == 0
    moved = StockBalance.objects.filter(warehouse=target, sku=item).first()
    assert (moved.on_hand if moved else 0) == transferred
    if moved:
        assert moved.value == Decimal(3) * transferred
    assert StockMove.objects.filter(move_type="transfer_in").count() == transferred
    assert verify_ledger().ok


def test_two_way_transfers_do_not_deadlock(stocked):
    source, target, item = stocked
    _post(
        key="in2",
        moves=[MoveRequest(target.id, item.id, Decimal(10), "stock_in", unit_cost=Decimal(3))],
    )

    def transfer(n, a, b):
        # Lines in opposite orders: the ledger still locks the balances in one order.
        return lambda: _post(
            key=f"tr{n}",
            moves=[
                MoveRequest(a.id, item.id, Decimal(-1), "transfer_out"),
                MoveRequest(b.id, item.id, Decimal(1), "transfer_in"),
            ],
        )

    jobs = [
        transfer(n, source, target) if n % 2 else transfer(n, target, source)
        for n in range(THREADS)
    ]
    outcomes = race(jobs)

    assert outcomes == ["ok"] * THREADS
    total = sum(b.on_hand for b in StockBalance.objects.filter(sku=item))
    assert total == 20
    assert verify_ledger().ok
    with transaction.atomic():
        assert StockMove.objects.count() == 2 + 2 * THREADS


def test_32_api_clients_stock_out_the_last_10_units(stocked):
    from rest_framework.test import APIClient

    source, _target, item = stocked
    keeper = factories.user("racer", roles=("warehouse_keeper",), stores=(source.store,))
    body = {"warehouse": source.id, "lines": [{"sku": item.id, "quantity": "1"}]}
    statuses: list[tuple[int, str]] = []
    lock = threading.Lock()

    def stock_out():
        client = APIClient()
        client.force_authenticate(keeper)
        response = client.post("/api/v1/stock-outs/?post=true", body, format="json")
        with lock:
            statuses.append((response.status_code, response.json().get("code", "")))

    outcomes = race([stock_out for _ in range(THREADS)])

    assert outcomes == ["ok"] * THREADS
    assert sorted(statuses) == [(201, "")] * 10 + [(409, "insufficient_stock")] * 22
    assert StockBalance.objects.get(warehouse=source, sku=item).on_hand == 0
    assert verify_ledger().ok


def test_fefo_issues_race_over_two_batches():
    import datetime

    from django.utils import timezone

    from storeledger.inventory.ledger import get_or_create_batch

    warehouse = factories.warehouse(factories.store("0003"), code="WH9", allow_negative_stock=False)
    item = factories.sku(code="MILK10", tracking="batch")
    today = timezone.localdate()
    soon = get_or_create_batch(
        sku=item, batch_no="S", expiry_date=today + datetime.timedelta(days=2)
    )
    late = get_or_create_batch(
        sku=item, batch_no="L", expiry_date=today + datetime.timedelta(days=20)
    )
    _post(
        key="in",
        moves=[
            MoveRequest(warehouse.id, item.id, Decimal(4), "stock_in", batch_id=soon.id),
            MoveRequest(warehouse.id, item.id, Decimal(6), "stock_in", batch_id=late.id),
        ],
    )

    def issue(n):
        return lambda: _post(
            key=f"out{n}", moves=[MoveRequest(warehouse.id, item.id, Decimal(-1), "stock_out")]
        )

    outcomes = race([issue(n) for n in range(THREADS)])

    assert sorted(outcomes) == ["insufficient_stock"] * 22 + ["ok"] * 10
    assert sorted(
        StockMove.objects.filter(move_type="stock_out").values_list("batch_id", flat=True)
    ) == sorted([soon.id] * 4 + [late.id] * 6)
    assert set(StockBalance.objects.filter(sku=item).values_list("on_hand", flat=True)) == {0}
    assert verify_ledger().ok
