"""Real races on PostgreSQL through the document services: transfers shipping while
stock-outs issue the last units, and one document posted by many threads at once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from storeledger.core.errors import InsufficientStock, StateConflict
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.services import documents, transfers
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.transfers import TransferLineInput
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import transit_warehouse
from storeledger.testing import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str | None] = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            job()
            outcomes[index] = "ok"
        except InsufficientStock:
            outcomes[index] = "insufficient"
        except StateConflict:
            outcomes[index] = "conflict"
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


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

    outcomes = _race([ship(t) for t in approved] + [issue] * 8)

    assert sorted(set(outcomes)) == ["insufficient", "ok"], outcomes
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

    outcomes = _race([post] * 8)

    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("conflict") == 7, outcomes
    assert StockMove.objects.filter(move_type="stock_out").count() == 1
    assert StockBalance.objects.get(warehouse=source, sku=item).on_hand == 6
    assert verify_ledger().ok
