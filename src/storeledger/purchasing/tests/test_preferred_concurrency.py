"""Two buyers make different suppliers preferred for one SKU at the same moment: exactly one
preferred row remains, and nobody gets a 500 (PostgreSQL, real row locks)."""

import pytest

from storeledger.partners.models import Supplier
from storeledger.purchasing import services
from storeledger.purchasing.models import SupplierItem
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_preferences_leave_one_preferred_supplier(sku):
    suppliers = [Supplier.objects.create(code=f"S{i}", name=f"供应商{i}") for i in range(6)]
    items = [add_item(s, sku) for s in suppliers]
    outcomes = race(
        [
            lambda item=item: services.set_preferred_supplier_item(user=None, item=item)
            for item in items
        ]
    )
    assert outcomes == ["ok"] * len(items)
    assert SupplierItem.objects.filter(sku=sku, preferred=True).count() == 1
