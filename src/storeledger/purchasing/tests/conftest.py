import datetime
from decimal import Decimal

import pytest

from storeledger.partners.models import Supplier
from storeledger.purchasing import services
from storeledger.testing import factories


@pytest.fixture
def buyer(db):
    return factories.user("buyer", roles=("buyer",), all_stores=True)


@pytest.fixture
def wahaha(db):
    return Supplier.objects.create(code="S001", name="杭州娃哈哈集团", lead_time_days=3)


@pytest.fixture
def nongfu(db):
    return Supplier.objects.create(code="S002", name="农夫山泉股份", lead_time_days=5)


@pytest.fixture
def box_unit(sku):
    return sku.units.get().unit  # the factory's 箱 of 12


def add_item(supplier, sku, *, price="24.00", user=None, **fields):
    data = services.SupplierItemData(
        supplier=supplier,
        sku=sku,
        price=Decimal(price),
        price_valid_from=fields.pop("price_valid_from", datetime.date(2026, 1, 1)),
        **fields,
    )
    return services.create_supplier_item(user=user, data=data)
