import pytest

from storeledger.catalog.models import Brand
from storeledger.testing import factories


@pytest.fixture
def pcs(db):
    return factories.unit("pcs", "个")


@pytest.fixture
def box(db):
    return factories.unit("box", "箱")


@pytest.fixture
def kg(db):
    return factories.unit("kg", "千克", precision=3)


@pytest.fixture
def drinks(db):
    from storeledger.catalog.services import save_category

    food = save_category(user=None, instance=None, data={"code": "FOOD", "name": "食品"})
    return save_category(
        user=None, instance=None, data={"code": "DRINK", "name": "饮料", "parent": food}
    )


@pytest.fixture
def brand(db):
    return Brand.objects.create(code="COKE", name="可口可乐")


@pytest.fixture
def cashier(store):
    return factories.user("cashier", roles=("cashier",), stores=(store,))


@pytest.fixture
def buyer(db):
    return factories.user("buyer", roles=("buyer",), all_stores=True)
