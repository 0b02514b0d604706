"""Transfers over the API: /api/v1/transfers/ with ship/ and receive/."""

from decimal import Decimal

import pytest

from storeledger.inventory.models import StockBalance, StockMove, Transfer
from storeledger.org.models import transit_warehouse
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def on_hand(warehouse, sku):
    row = StockBalance.objects.filter(warehouse=warehouse, sku=sku).first()
    return row.on_hand if row else Decimal(0)


@pytest.fixture
def stocked(client_for, admin_user, warehouse, sku):
    response = client_for(admin_user).post(
        "/api/v1/stock-ins/?post=true",
        {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": "20"}]},
        format="json",
    )
    assert response.status_code == 201


def test_transfer_through_the_api(
    client_for, stocked, keeper, manager, other_store, warehouse, other_warehouse, sku
):
    other_keeper = factories.user("keeper2", roles=("warehouse_keeper",), stores=(other_store,))
    api, there = client_for(keeper), client_for(other_keeper)
    box = sku.units.get().unit
    created = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "unit": box.id, "quantity": "1"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    transfer = created.json()
    url = f"/api/v1/transfers/{transfer['id']}/"
    assert transfer["from_warehouse_code"] == "WH01"
    assert transfer["lines"][0]["base_quantity"] == "12.0000"

    assert api.post(url + "submit/").status_code == 200
    assert api.post(url + "ship/").status_code == 403  # needs approval first
    assert client_for(manager).post(url + "approve/").status_code == 200
    shipped = api.post(url + "ship/")
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"
    assert shipped.json()["shipped_by"] == "keeper"
    line_id = shipped.json()["lines"][0]["id"]
    assert shipped.json()["lines"][0]["in_transit_quantity"] == "12.0000"

    # the destination keeper sees it in transit
    listed = there.get("/api/v1/transfers/?in_transit=true").json()
    assert [t["id"] for t in listed["results"]] == [transfer["id"]]
    # incoming: into the user's own warehouses (the dashboard's recent receipts)
    for client, incoming, expected in (
        (there, "true", [transfer["id"]]),
        (there, "false", []),
        (api, "true", []),
        (api, "false", [transfer["id"]]),
    ):
        response = client.get(f"/api/v1/transfers/?incoming={incoming}")
        assert response.status_code == 200
        assert [t["id"] for t in response.json()["results"]] == expected, (client, incoming)

    too_much = there.post(
        url + "receive/", {"lines": [{"line": line_id, "quantity": "13"}]}, format="json"
    )
    assert too_much.status_code == 400
    assert too_much.json()["code"] == "more_than_in_transit"
    assert on_hand(other_warehouse, sku) == 0

    # the source keeper may not receive
    assert (
        api.post(
            url + "receive/", {"lines": [{"line": line_id, "quantity": "1"}]}, format="json"
        ).status_code
        == 403
    )

    partial = there.post(
        url + "receive/", {"lines": [{"line": line_id, "quantity": "10"}]}, format="json"
    )
    assert partial.status_code == 200, partial.json()
    detail = partial.json()
    assert detail["status"] == "partially_received"
    [info] = detail["in_transit"]
    assert (info["shipped_quantity"], info["received_quantity"], info["in_transit_quantity"]) == (
        "12.0000",
        "10.0000",
        "2.0000",
    )
    assert info["batches"] == [
        {
            "batch": None,
            "batch_no": "",
            "expiry_date": None,
            "quantity": "2.0000",
            "value": "4.0000",
        }
    ]
    assert info["shipped_batches"] == []  # an untracked SKU has no batches to name

    closed = there.post(url + "receive/", {"close": True}, format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == "posted"
    assert closed.json()["received_by"] == "keeper2"
    assert closed.json()["lines"][0]["discrepancy_quantity"] == "2.0000"
    assert closed.json()["lines"][0]["in_transit_quantity"] == "0.0000"
    assert on_hand(warehouse, sku) == Decimal(8)
    assert on_hand(other_warehouse, sku) == Decimal(10)
    assert on_hand(transit_warehouse(), sku) == 0
    assert there.get("/api/v1/transfers/?in_transit=true").json()["count"] == 0

    again = there.post(url + "receive/", {"close": True}, format="json")
    assert again.status_code == 409


def test_bad_transfer_input(client_for, keeper, warehouse, other_warehouse, sku):
    api = client_for(keeper)
    same = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "1"}],
        },
        format="json",
    )
    assert same.status_code == 400
    assert "to_warehouse" in same.json()["fields"]
    wrong_source = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": other_warehouse.id,
            "to_warehouse": warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "1"}],
        },
        format="json",
    )
    assert wrong_source.status_code == 403
    negative = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "-1"}],
        },
        format="json",
    )
    assert negative.status_code == 400
    assert "lines.0.quantity" in negative.json()["fields"]
    assert Transfer.objects.count() == 0


def test_ship_is_idempotent_per_key_and_reverse(
    client_for, stocked, admin_user, warehouse, other_warehouse, sku
):
    api = client_for(admin_user)
    transfer = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "5"}],
        },
        format="json",
    ).json()
    url = f"/api/v1/transfers/{transfer['id']}/"
    api.post(url + "submit/")
    api.post(url + "approve/")
    first = api.post(url + "ship/", HTTP_IDEMPOTENCY_KEY="ship-1")
    second = api.post(url + "ship/", HTTP_IDEMPOTENCY_KEY="ship-1")
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert StockMove.objects.filter(move_type="transfer_out").count() == 1
    assert api.post(url + "ship/").status_code == 409

    line_id = first.json()["lines"][0]["id"]
    api.post(url + "receive/", {"lines": [{"line": line_id, "quantity": "5"}]}, format="json")
    reversed_ = api.post(url + "reverse/", {}, format="json")
    assert reversed_.status_code == 201
    assert reversed_.json()["reversal_of"] == transfer["id"]
    assert api.get(url).json()["status"] == "reversed"
    assert on_hand(warehouse, sku) == Decimal(20)
    assert on_hand(other_warehouse, sku) == 0


def test_update_and_delete_a_draft_transfer(client_for, keeper, warehouse, other_warehouse, sku):
    api = client_for(keeper)
    transfer = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "1"}],
        },
        format="json",
    ).json()
    url = f"/api/v1/transfers/{transfer['id']}/"
    updated = api.put(
        url,
        {
            "version": transfer["version"],
            "expected_date": "2026-12-01",
            "lines": [{"sku": sku.id, "quantity": "4"}, {"sku": sku.id, "quantity": "2"}],
        },
        format="json",
    )
    assert updated.status_code == 200, updated.json()
    assert updated.json()["expected_date"] == "2026-12-01"
    assert [ln["quantity"] for ln in updated.json()["lines"]] == ["4.0000", "2.0000"]
    stale = api.patch(url, {"version": transfer["version"], "notes": "x"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    api.post(url + "submit/")
    assert api.delete(url).status_code == 409
    assert Transfer.objects.count() == 1
    assert api.post(url + "cancel/").json()["status"] == "cancelled"
    draft = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "1"}],
        },
        format="json",
    ).json()
    assert api.delete(f"/api/v1/transfers/{draft['id']}/").status_code == 204
    assert list(Transfer.objects.values_list("id", flat=True)) == [transfer["id"]]


def test_destinations_are_every_active_warehouse_of_the_company(
    client_for, keeper, warehouse, other_warehouse, other_store
):
    inactive = factories.warehouse(other_store, code="WH99", name="旧仓库", active=False)
    central = factories.warehouse(None, code="WH00", name="中心仓")
    transit_warehouse()
    listed = client_for(keeper).get("/api/v1/transfers/destinations/")
    assert listed.status_code == 200
    codes = [row["code"] for row in listed.json()]
    assert codes == sorted([central.code, warehouse.code, other_warehouse.code])
    assert inactive.code not in codes
    own = next(row for row in listed.json() if row["code"] == other_warehouse.code)
    assert own == {
        "id": other_warehouse.id,
        "code": other_warehouse.code,
        "name": other_warehouse.name,
        "store_name": other_store.name,
    }
    # the keeper's own list of warehouses stays scoped (positive control of the test's point)
    scoped = client_for(keeper).get("/api/v1/warehouses/").json()["results"]
    assert other_warehouse.code not in [row["code"] for row in scoped]


def test_destinations_need_the_right_to_create_transfers(client_for, store):
    viewer = factories.user("viewer1", roles=("viewer",), stores=(store,))
    answer = client_for(viewer).get("/api/v1/transfers/destinations/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
