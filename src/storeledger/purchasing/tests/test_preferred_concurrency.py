"""Two buyers make different suppliers preferred for one SKU at the same moment: exactly one
preferred row remains, and nobody gets a 500 (PostgreSQL, real row locks)."""

import threading

import pytest
from django.db import connection

from storeledger.partners.models import Supplier
from storeledger.purchasing import services
from storeledger.purchasing.models import SupplierItem
from storeledger.purchasing.tests.conftest import add_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_preferences_leave_one_preferred_supplier(sku):
    suppliers = [Supplier.objects.create(code=f"S{i}", name=f"供应商{i}") for i in range(6)]
    items = [add_item(s, sku) for s in suppliers]
    barrier = threading.Barrier(len(items))
    outcomes: list[str] = [""] * len(items)

    def run(index, item):
        try:
            barrier.wait()
            services.set_preferred_supplier_item(user=None, item=item)
            outcomes[index] = "ok"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, it)) for i, it in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * len(items)
    assert SupplierItem.objects.filter(sku=sku, preferred=True).count() == 1
