"""What the draft line editor reads back from a saved line: how the SKU is tracked, its batch
(number, expiry) and its bin location, for stock documents and transfers."""

import datetime

import pytest

from storeledger.catalog.models import Tracking
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def test_a_stock_in_line_shows_tracking_batch_and_location(client_for, keeper, warehouse, sku):
    milk = factories.sku(code="MILK", name="鲜牛奶 1L", tracking=Tracking.BATCH)
    location = Location.objects.create(warehouse=warehouse, code="A-01")
    api = client_for(keeper)
    expiry = datetime.date(2027, 1, 31)
    response = api.post(
        "/api/v1/stock-ins/",
        {
            "warehouse": warehouse.id,
            "lines": [
                {
                    "sku": milk.id,
                    "quantity": "2",
                    "batch_no": "L1",
                    "expiry_date": expiry.isoformat(),
                    "location": location.id,
                },
                {"sku": sku.id, "quantity": "3"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    tracked, plain = response.json()["lines"]
    assert (tracked["tracking"], tracked["batch_no"], tracked["expiry_date"]) == (
        "batch",
        "L1",
        "2027-01-31",
    )
    assert (tracked["location"], tracked["location_code"]) == (location.id, "A-01")
    assert (plain["tracking"], plain["batch"], plain["location"]) == ("none", None, None)


def test_a_transfer_line_shows_tracking(client_for, admin_user, store, warehouse, sku):
    branch = factories.warehouse(store, code="WH02", name="二号仓")
    response = client_for(admin_user).post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": branch.id,
            "lines": [{"sku": sku.id, "quantity": "1"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][0]["tracking"] == "none"
