"""Two buyers consolidating the same approved request at once (PostgreSQL, real row locks):
exactly one order is made, the other buyer waited for the request's lock and gets 409
already_ordered."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from storeledger.core.errors import StateConflict
from storeledger.purchasing.models import PurchaseOrder, PurchaseRequest, PurchaseRequestLine
from storeledger.purchasing.services import requests
from storeledger.purchasing.services.requests import RequestLineInput
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_consolidations_order_a_request_once(monkeypatch, wahaha, warehouse, sku):
    keeper = factories.user("keeper", roles=("warehouse_keeper",), all_stores=True)
    manager = factories.user("manager", roles=("store_manager",), all_stores=True)
    buyers = [factories.user(f"b{i}", roles=("buyer",), all_stores=True) for i in (1, 2)]
    add_item(wahaha, sku, price="2.00", preferred=True)
    document = requests.create_purchase_request(
        user=keeper,
        warehouse_id=warehouse.id,
        lines=[RequestLineInput(sku_id=sku.id, quantity=Decimal(6))],
    )
    requests.submit_purchase_request(user=keeper, request_id=document.id)
    requests.approve_purchase_request(user=manager, request_id=document.id)

    real_items = requests.supplier_items_for

    def holds_the_request_a_moment(sku_ids):
        found = real_items(sku_ids)
        time.sleep(0.3)  # the other consolidation arrives meanwhile and must wait
        return found

    monkeypatch.setattr(requests, "supplier_items_for", holds_the_request_a_moment)
    barrier = threading.Barrier(2)
    outcomes = ["", ""]
    waits_seen: list[int] = []
    watching = threading.Event()

    def run(index):
        try:
            barrier.wait()
            requests.consolidate_purchase_requests(user=buyers[index], request_ids=[document.id])
            outcomes[index] = "ok"
        except StateConflict as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    def watch():
        try:
            with connection.cursor() as cursor:
                while watching.is_set():
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock'"
                    )
                    waits_seen.append(cursor.fetchone()[0])
                    time.sleep(0.02)
        finally:
            connection.close()

    watching.set()
    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    watching.clear()
    watcher.join()

    assert sorted(outcomes) == ["already_ordered", "ok"], outcomes
    assert max(waits_seen) >= 1  # the second really waited for the first's lock
    assert PurchaseOrder.objects.count() == 1
    assert PurchaseRequest.objects.get(pk=document.id).status == "ordered"
    line = PurchaseRequestLine.objects.get(document=document)
    assert line.order_line.order_id == PurchaseOrder.objects.get().id
