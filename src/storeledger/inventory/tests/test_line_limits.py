"""A line's quantity and value stay within what the columns hold.

A keeper typing a scanner's 14-digit barcode into a quantity field, or 99999999999999 boxes,
used to be accepted: the base quantity (× the case factor) or the value (× the unit cost)
did not fit the 18-digit columns. PostgreSQL refused the row with a 500; SQLite stored it, and
from then on every read of that row failed — the stock-in list, the transfer, the count sheet
answered 500 for everybody. Now such a line is a 400 on its field and nothing is saved.
"""

from decimal import Decimal

import pytest

from storeledger.accounts.roles import sync_roles
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import StockCount, StockCountLine, StockDocument, Transfer
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

HUGE = "99999999999999"  # 14 digits: what the API's quantity fields let through


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


@pytest.fixture
def stocked(warehouse, sku):
    factories.posting(
        "limits-in",
        [MoveRequest(warehouse.id, sku.id, Decimal(100), "stock_in", unit_cost=Decimal("2.50"))],
    )
    return warehouse


def _box(sku):
    return sku.units.get().unit


def test_huge_quantity_in_cases_is_400_and_the_list_still_reads(client_for, manager, stocked, sku):
    api = client_for(manager)
    body = {
        "warehouse": stocked.id,
        "lines": [{"sku": sku.id, "unit": _box(sku).id, "quantity": HUGE, "unit_cost": "1"}],
    }
    response = api.post("/api/v1/stock-ins/", body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()
    assert error["code"] == "quantity_too_large"
    assert set(error) == {"code", "message", "fields", "details"}
    assert list(error["fields"]) == ["lines.0.quantity"]
    assert not StockDocument.objects.exists()
    assert api.get("/api/v1/stock-ins/").status_code == 200

    # positive control: the most a line may hold is accepted (as a draft)
    body["lines"][0]["quantity"] = "8333333"  # 99,999,996 pieces
    response = api.post("/api/v1/stock-ins/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][0]["base_quantity"] == "99999996.0000"
    assert api.get("/api/v1/stock-ins/").status_code == 200


def test_huge_line_value_is_400(client_for, manager, stocked, sku):
    api = client_for(manager)
    body = {
        "warehouse": stocked.id,
        "lines": [{"sku": sku.id, "quantity": "1000000", "unit_cost": "99999999999"}],
    }
    response = api.post("/api/v1/adjustments/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "value_too_large"
    assert list(response.json()["fields"]) == ["lines.0.unit_cost"]
    assert not StockDocument.objects.exists()

    body["lines"][0]["unit_cost"] = "1000000"  # a value of 10^12: the limit, accepted
    response = api.post("/api/v1/adjustments/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (
        client_for(manager).get(f"/api/v1/adjustments/{response.json()['id']}/").status_code == 200
    )


def test_huge_transfer_quantity_is_400(client_for, manager, stocked, sku, store):
    second = factories.warehouse(store, code="WH01B")
    api = client_for(manager)
    body = {
        "from_warehouse": stocked.id,
        "to_warehouse": second.id,
        "lines": [{"sku": sku.id, "unit": _box(sku).id, "quantity": HUGE}],
    }
    response = api.post("/api/v1/transfers/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "quantity_too_large"
    assert not Transfer.objects.exists()
    body["lines"][0]["quantity"] = "2"
    assert api.post("/api/v1/transfers/", body, format="json").status_code == 201


def test_huge_count_is_400_and_the_sheet_still_reads(client_for, keeper, manager, stocked, sku):
    api = client_for(keeper)
    count = api.post("/api/v1/stock-counts/", {"warehouse": stocked.id}, format="json").json()
    url = f"/api/v1/stock-counts/{count['id']}/"
    assert api.post(url + "start/").status_code == 200
    line = StockCountLine.objects.get(count_id=count["id"], sku=sku)

    response = api.post(url + "set-count/", {"line": line.id, "quantity": HUGE}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "quantity_too_large"
    response = api.post(url + "entries/", {"sku": sku.id, "quantity": HUGE}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "quantity_too_large"
    line.refresh_from_db()
    assert line.counted_quantity is None

    response = api.post(url + "set-count/", {"line": line.id, "quantity": "97"}, format="json")
    assert response.status_code == 200, response.json()
    assert api.post(url + "submit/", {}, format="json").status_code == 200
    sheet = client_for(manager).get(url + "sheet/")
    assert sheet.status_code == 200
    assert sheet.json()["totals"]["loss_quantity"] == "-3.0000"
    assert StockCount.objects.get(pk=count["id"]).status == "submitted"
