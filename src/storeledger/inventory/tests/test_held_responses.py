"""A created (and posted) stock document is answered from the rows its service holds, not
read back (issue 9): the 201 body is exactly what a GET of the document answers."""

from __future__ import annotations

import datetime

import pytest

from storeledger.catalog.models import Tracking
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, admin_user):
    return client_for(admin_user)


def created_and_read(api, path: str, body: dict) -> tuple[dict, dict]:
    created = api.post(path, body, format="json")
    assert created.status_code == 201, created.json()
    read = api.get(f"{path}{created.json()['id']}/")
    assert read.status_code == 200
    return created.json(), read.json()


@pytest.mark.parametrize("post", [True, False])
def test_stock_in_answer_is_the_document_as_read(api, warehouse, sku, post):
    milk = factories.sku(code="MILK", name="鲜牛奶 1L", tracking=Tracking.BATCH)
    location = Location.objects.create(warehouse=warehouse, code="A-01")
    box = sku.units.get().unit
    created, read = created_and_read(
        api,
        "/api/v1/stock-ins/",
        {
            "warehouse": warehouse.id,
            "post": post,
            "notes": "held",
            "lines": [
                {"sku": sku.id, "unit": box.id, "quantity": "2", "unit_cost": "24.00"},
                {
                    "sku": milk.id,
                    "quantity": "5",
                    "batch_no": "L-1",
                    "production_date": "2026-11-01",
                    "expiry_date": "2026-12-31",
                    "location": location.id,
                    "unit_cost": "3.10",
                },
                {"sku": sku.id, "quantity": "1"},
            ],
        },
    )
    assert created == read
    assert created["status"] == ("posted" if post else "draft")
    assert [line["value"] for line in created["lines"]] == (
        ["48.0000", "15.5000", "2.0000"] if post else [None, None, None]
    )
    assert created["lines"][1]["location_code"] == "A-01"
    assert created["lines"][1]["batch_no"] == "L-1"
    assert created["lines"][0]["base_quantity"] == "24.0000"
    assert created["number"].startswith("RK-0001-")


def test_stock_out_answer_is_the_document_as_read(api, warehouse, sku):
    created, _ = created_and_read(
        api,
        "/api/v1/stock-ins/",
        {"warehouse": warehouse.id, "post": True, "lines": [{"sku": sku.id, "quantity": "10"}]},
    )
    day = datetime.date(2026, 11, 30)
    created, read = created_and_read(
        api,
        "/api/v1/stock-outs/",
        {
            "warehouse": warehouse.id,
            "post": True,
            "document_date": day.isoformat(),
            "lines": [{"sku": sku.id, "quantity": "3"}],
        },
    )
    assert created == read
    assert created["number"] == "CK-0001-20261130-0001"
    assert created["posted_by"] == "boss" and created["created_by"] == "boss"
    assert created["available_actions"] == ["reverse"]
    assert created["lines"][0]["value"] == "6.0000"
