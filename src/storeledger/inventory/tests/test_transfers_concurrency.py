"""Real races on PostgreSQL through the document services: transfers shipping while
stock-outs issue the last units, and one document posted by many threads at once."""

from decimal import Decimal

import pytest

from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.services import documents, transfers
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.transfers import TransferLineInput
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import transit_warehouse
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup():
    store = factories.store("0001")
    other = factories.store("0002")
    source = factories.warehouse(store, code="WH01", allow_negative_stock=False)
    target = factories.warehouse(other, code="WH02", allow_negative_stock=False)
    item = factories.sku(code="LAST10")
    boss = factories.user("boss", roles=("admin",), all_stores=True)
    documents.create_and_post_stock_document(
        user=boss,
        kind="stock_in",
        warehouse_id=source.id,
        lines=[StockLineInput(sku_id=item.id, quantity=Decimal(10), unit_cost=Decimal(3))],
    )
    transit_warehouse()
    return source, target, item, boss


def test_transfers_race_with_stock_outs_for_the_last_units(setup):
    source, target, item, boss = setup
    approved = []
    for _ in range(8):
        transfer = transfers.create_transfer(
            user=boss,
            from_warehouse_id=source.id,
            to_warehouse_id=target.id,
            lines=[TransferLineInput(sku_id=item.id, quantity=Decimal(1))],
        )
        transfers.submit_transfer(user=boss, transfer_id=transfer.id)
        transfers.approve_transfer(user=boss, transfer_id=transfer.id)
        approved.append(transfer.id)

    def ship(transfer_id):
        return lambda: transfers.ship_transfer(user=boss, transfer_id=transfer_id)

    def issue():
        return documents.create_and_post_stock_document(
            user=boss,
            kind="stock_out",
            warehouse_id=source.id,
            lines=[StockLineInput(sku_id=item.id, quantity=Decimal(1))],
        )

    outcomes = race([ship(t) for t in approved] + [issue] * 8)

    assert sorted(set(outcomes)) == ["insufficient_stock", "ok"], outcomes
    assert outcomes.count("ok") == 10
    assert StockBalance.objects.get(warehouse=source, sku=item).on_hand == 0
    shipped = outcomes[:8].count("ok")
    assert StockBalance.objects.get(warehouse=transit_warehouse(), sku=item).on_hand == shipped
    assert verify_ledger().ok


def test_one_document_posted_by_many_threads_posts_once(setup):
    source, _target, item, boss = setup
    document = documents.create_stock_document(
        user=boss,
        kind="stock_out",
        warehouse_id=source.id,
        lines=[StockLineInput(sku_id=item.id, quantity=Decimal(4))],
    )

    def post():
        documents.post_stock_document(user=boss, document_id=document.id)

    outcomes = race([post] * 8)

    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("state_conflict") == 7, outcomes
    assert StockMove.objects.filter(move_type="stock_out").count() == 1
    assert StockBalance.objects.get(warehouse=source, sku=item).on_hand == 6
    assert verify_ledger().ok


def test_shipping_out_of_a_store_racing_a_receipt_into_it_never_deadlocks(monkeypatch):
    """Ship S→C against receive C→S. The transit balance is older (lower id) than the store's,
    as in the usual history (central ships to the store first). Each service event is one
    posting locking the union of its balances in id order, so one waits for the other and
    neither is aborted: zero deadlock retries. Each posting holds its locks a moment, and a
    watcher sees a backend waiting on a lock — the race really happened."""

    from storeledger.core import services as core_services
    from storeledger.inventory import ledger

    central = factories.warehouse(factories.store("0000"), code="C01", allow_negative_stock=False)
    shop = factories.warehouse(factories.store("0001"), code="S01", allow_negative_stock=False)
    item = factories.sku(code="RACE")
    boss = factories.user("boss", roles=("admin",), all_stores=True)

    def stock_in(warehouse, quantity):
        documents.create_and_post_stock_document(
            user=boss,
            kind="stock_in",
            warehouse_id=warehouse.id,
            lines=[
                StockLineInput(sku_id=item.id, quantity=Decimal(quantity), unit_cost=Decimal(2))
            ],
        )

    def transfer(source, target, quantity):
        return transfers.create_transfer(
            user=boss,
            from_warehouse_id=source.id,
            to_warehouse_id=target.id,
            lines=[TransferLineInput(sku_id=item.id, quantity=Decimal(quantity))],
        )

    stock_in(central, 30)
    rounds = []
    for _ in range(3):
        inbound = transfer(central, shop, 4)
        transfers.ship_transfer(user=boss, transfer_id=inbound.id)  # creates transit first
        stock_in(shop, 5)
        rounds.append((inbound, transfer(shop, central, 3)))
    transit = StockBalance.objects.get(warehouse=transit_warehouse(), sku=item)
    assert transit.id < StockBalance.objects.get(warehouse=shop, sku=item).id

    retried: list[str] = []
    real_is_retryable = core_services._is_retryable

    def spy(error):
        retryable = real_is_retryable(error)
        if retryable:
            retried.append(str(error))
        return retryable

    monkeypatch.setattr(core_services, "_is_retryable", spy)
    hold_locks(monkeypatch, ledger, "_select_locked")
    outcomes = []
    with LockWaits() as waits:
        for inbound, outbound in rounds:
            line = inbound.lines.get()
            outcomes += race(
                [
                    lambda outbound=outbound: transfers.ship_transfer(
                        user=boss, transfer_id=outbound.id
                    ),
                    lambda inbound=inbound, line=line: transfers.receive_transfer(
                        user=boss,
                        transfer_id=inbound.id,
                        lines=[transfers.ReceiveLineInput(line.id, Decimal(4))],
                    ),
                ]
            )

    assert outcomes == ["ok"] * 6
    assert retried == []
    assert waits.most >= 1  # one posting waited for the other's locks
    # 30 - 12 shipped + 9 back in transit; the shop: 15 in + 12 received - 9 shipped
    assert StockBalance.objects.get(warehouse=shop, sku=item).on_hand == Decimal(18)
    assert StockBalance.objects.get(warehouse=central, sku=item).on_hand == Decimal(18)
    assert StockBalance.objects.get(warehouse=transit_warehouse(), sku=item).on_hand == Decimal(9)
    assert verify_ledger().ok
