"""Costs only for those who may see them (issue 8): unit costs, moving-average costs, stock,
move and line values and purchase prices are null in JSON and left out of files (xlsx/csv/PDF)
for a user without reports.view_cost — of the seeded roles the warehouse keeper, the cashier
and the viewer; the admin, store manager, buyer and finance see them."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from storeledger.accounts.roles import sync_roles
from storeledger.core.costs import COST_PERMISSION
from storeledger.inventory.ledger import MoveRequest
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


@pytest.fixture
def stocked(warehouse, sku):
    """10 on hand at 2.50 (value 25.00)."""
    factories.posting(
        "in-cost",
        [MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal("2.50"))],
    )
    return warehouse


@pytest.fixture
def keeper_api(client_for, keeper):
    return client_for(keeper)


@pytest.fixture
def manager_api(client_for, manager):
    return client_for(manager)


def _csv(response) -> str:
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def test_which_seeded_roles_see_costs():
    holders = {
        group.name
        for group in Group.objects.filter(
            permissions__codename="view_cost", permissions__content_type__app_label="reports"
        )
    }
    assert COST_PERMISSION == "reports.view_cost"
    assert holders == {"admin", "store_manager", "buyer", "finance"}


def test_stock_balances_hide_value_and_average_cost(stocked, keeper_api, manager_api):
    [kept] = keeper_api.get("/api/v1/stock-balances/").json()["results"]
    [shown] = manager_api.get("/api/v1/stock-balances/").json()["results"]

    assert (kept["on_hand"], kept["value"], kept["average_cost"]) == ("10.0000", None, None)
    assert (shown["value"], shown["average_cost"]) == ("25.0000", "2.5000")


def test_stock_exports_leave_the_cost_columns_out(stocked, keeper_api, manager_api):
    params = {"format": "csv"}
    keeper_text = _csv(keeper_api.get("/api/v1/stock-balances/export/", params))
    manager_text = _csv(manager_api.get("/api/v1/stock-balances/export/", params))
    moves_keeper = _csv(keeper_api.get("/api/v1/stock-moves/export/", params))
    moves_manager = _csv(manager_api.get("/api/v1/stock-moves/export/", params))

    assert "Average cost" in manager_text and "25" in manager_text
    assert "Average cost" not in keeper_text and "Value" not in keeper_text
    assert "25" not in keeper_text and "2.5" not in keeper_text
    assert "Unit cost" in moves_manager and "Value after" in moves_manager
    assert "Unit cost" not in moves_keeper and "Value after" not in moves_keeper


def test_stock_moves_hide_cost_and_values(stocked, keeper_api, manager_api):
    [kept] = keeper_api.get("/api/v1/stock-moves/").json()["results"]
    [shown] = manager_api.get("/api/v1/stock-moves/").json()["results"]

    assert [kept[k] for k in ("unit_cost", "value", "balance_value")] == [None, None, None]
    assert kept["quantity"] == "10.0000"
    assert [shown[k] for k in ("unit_cost", "value")] == ["2.5000", "25.0000"]


def test_stock_document_lines_and_pdf_hide_costs(
    warehouse, sku, keeper, manager, keeper_api, manager_api
):
    body = {
        "warehouse": warehouse.id,
        "post": True,
        "lines": [{"sku": sku.id, "quantity": "4", "unit_cost": "3.00"}],
    }
    created = manager_api.post("/api/v1/stock-ins/", body, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/stock-ins/{created.json()['id']}/"

    [kept] = keeper_api.get(url).json()["lines"]
    [shown] = manager_api.get(url).json()["lines"]

    assert (kept["unit_cost"], kept["value"]) == (None, None)
    assert (shown["unit_cost"], shown["value"]) == ("3.0000", "12.0000")

    from storeledger.printing import documents

    document_id = created.json()["id"]
    keeper_sheet = documents.document_sheet(
        user=keeper, document_type="stock_in", document_id=document_id
    )
    manager_sheet = documents.document_sheet(
        user=manager, document_type="stock_in", document_id=document_id
    )
    assert "Unit cost" in [str(c.heading) for c in manager_sheet.columns]
    assert "12.00" in manager_sheet.totals
    headings = [str(c.heading) for c in keeper_sheet.columns]
    assert "Unit cost" not in headings and "Value" not in headings
    assert all(len(row) == len(headings) for row in keeper_sheet.rows)
    assert len(keeper_sheet.totals) == len(headings)
    assert "12.00" not in keeper_sheet.totals and "3.00" not in keeper_sheet.rows[0]
    assert keeper_api.get(f"{url}pdf/").status_code == 200


def test_a_keeper_editing_a_priced_draft_keeps_its_costs(warehouse, sku, keeper_api, manager_api):
    """The keeper sees the manager's costs as blank; saving the draft with a changed quantity
    (and the blank costs sent back) keeps them per base unit; a line the keeper adds takes the
    default."""
    body = {
        "warehouse": warehouse.id,
        "lines": [
            {"sku": sku.id, "quantity": "4", "unit_cost": "3.00"},
            {"sku": sku.id, "quantity": "1", "unit_cost": "5.00"},
        ],
    }
    created = manager_api.post("/api/v1/stock-ins/", body, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/stock-ins/{created.json()['id']}/"
    other_sku = factories.sku(code="SKU-WATER", name="矿泉水")
    seen = keeper_api.get(url).json()
    assert [line["unit_cost"] for line in seen["lines"]] == [None, None]

    edit = {
        "version": seen["version"],
        "lines": [
            {"sku": sku.id, "quantity": "6", "unit_cost": None},
            {"sku": sku.id, "quantity": "2"},
            {"sku": other_sku.id, "quantity": "1"},
        ],
    }
    saved = keeper_api.patch(url, edit, format="json")
    assert saved.status_code == 200, saved.json()

    lines = manager_api.get(url).json()["lines"]
    assert [(line["quantity"], line["unit_cost"]) for line in lines] == [
        ("6.0000", "3.0000"),
        ("2.0000", "5.0000"),
        ("1.0000", None),
    ]


def test_count_sheet_values_are_hidden(stocked, sku, keeper_api, manager_api):
    count = manager_api.post("/api/v1/stock-counts/", {"warehouse": stocked.id}).json()
    manager_api.post(f"/api/v1/stock-counts/{count['id']}/start/")
    keeper_api.post(
        f"/api/v1/stock-counts/{count['id']}/entries/", {"sku": sku.id, "quantity": "8"}
    )
    assert keeper_api.post(f"/api/v1/stock-counts/{count['id']}/submit/", {}).status_code == 200

    kept = keeper_api.get(f"/api/v1/stock-counts/{count['id']}/sheet/").json()
    shown = manager_api.get(f"/api/v1/stock-counts/{count['id']}/sheet/").json()

    assert kept["lines"][0]["difference"] == "-2.0000"  # quantities stay
    assert (kept["lines"][0]["unit_cost"], kept["lines"][0]["difference_value"]) == (None, None)
    assert kept["totals"]["difference_value"] is None
    assert shown["lines"][0]["difference_value"] == "-5.0000"
    assert shown["totals"]["difference_value"] == "-5.0000"


def test_sku_purchase_price_is_hidden_in_the_api_and_export(sku, keeper_api, manager_api):
    assert keeper_api.get(f"/api/v1/skus/{sku.id}/").json()["purchase_price"] is None
    assert manager_api.get(f"/api/v1/skus/{sku.id}/").json()["purchase_price"] is not None
    header_keeper = _csv(keeper_api.get("/api/v1/skus/export/", {"format": "csv"})).splitlines()[0]
    header_manager = _csv(manager_api.get("/api/v1/skus/export/", {"format": "csv"})).splitlines()[
        0
    ]

    assert "purchase_price" in header_manager
    assert "purchase_price" not in header_keeper
    assert "retail_price" in header_keeper  # not a cost


def test_supplier_catalogue_prices_are_hidden_from_the_keeper(sku, keeper_api, client_for):
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.tests.conftest import add_item

    supplier = Supplier.objects.create(code="S-COST", name="杭州娃哈哈集团")
    item = add_item(supplier, sku, price="24.00")
    buyer = factories.user("buyer1", roles=("buyer",), all_stores=True)

    kept = keeper_api.get(f"/api/v1/supplier-items/{item.id}/").json()
    shown = client_for(buyer).get(f"/api/v1/supplier-items/{item.id}/").json()

    assert (kept["price"], kept["base_unit_price"]) == (None, None)
    assert shown["price"] == "24.0000"
