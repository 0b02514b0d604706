"""Error messages name things by code or name; an id appears only when nothing else
identifies it (an id that does not exist)."""

from decimal import Decimal

import pytest
from django.db import transaction

from storeledger.catalog.models import Tracking
from storeledger.core.errors import ValidationFailed
from storeledger.inventory.ledger import MoveRequest, post_moves
from storeledger.inventory.models import Batch, ReasonCode
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def stock_in(client, warehouse, line, **extra):
    body = {"warehouse": warehouse.id, "lines": [{"quantity": "1", **line}], **extra}
    response = client.post("/api/v1/stock-ins/", body, format="json")
    assert response.status_code == 400, response.json()
    return response.json()


def test_a_missing_sku_or_unit_is_named_by_its_id(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    assert stock_in(api, warehouse, {"sku": 999999})["fields"] == {
        "lines.0.sku": ["SKU #999999 does not exist."]
    }
    assert stock_in(api, warehouse, {"sku": sku.id, "unit": 999999})["fields"] == {
        "lines.0.unit": ["Unit #999999 does not exist."]
    }


def test_a_batch_of_another_sku_is_named_by_its_number(client_for, keeper, warehouse, sku):
    other = factories.sku(code="SKU-MILK", tracking=Tracking.BATCH)
    batch = Batch.objects.create(sku=other, batch_no="L-2026-01")
    api = client_for(keeper)
    assert stock_in(api, warehouse, {"sku": sku.id, "batch": batch.id})["fields"] == {
        "lines.0.batch": ["Batch L-2026-01 is not a batch of SKU SKU-COLA."]
    }
    assert stock_in(api, warehouse, {"sku": sku.id, "batch": 999999})["fields"] == {
        "lines.0.batch": ["Batch #999999 does not exist."]
    }


def test_a_location_of_another_warehouse_is_named_by_its_code(
    client_for, keeper, warehouse, other_warehouse, sku
):
    elsewhere = Location.objects.create(warehouse=other_warehouse, code="B-01-01")
    api = client_for(keeper)
    assert stock_in(api, warehouse, {"sku": sku.id, "location": elsewhere.id})["message"] == (
        "Location B-01-01 is not a location of warehouse WH01."
    )
    assert stock_in(api, warehouse, {"sku": sku.id, "location": 999999})["message"] == (
        "The chosen location does not exist."
    )
    elsewhere.warehouse = warehouse
    elsewhere.active = False
    elsewhere.save()
    assert stock_in(api, warehouse, {"sku": sku.id, "location": elsewhere.id})["message"] == (
        "Location B-01-01 of warehouse WH01 is inactive."
    )


def test_a_reason_of_another_kind_is_named_by_its_code(client_for, keeper, warehouse, sku):
    scrap_reason = ReasonCode.objects.get(kind="scrap", code="DAMAGED")
    api = client_for(keeper)
    line = {"sku": sku.id}
    body = stock_in(api, warehouse, line, reason=scrap_reason.id)
    assert body["message"] == "Reason DAMAGED 破损报损 is not a reason for this kind of document."
    body = stock_in(api, warehouse, line, reason=999999)
    assert body["message"] == "Reason #999999 does not exist."


def _post(moves):
    with transaction.atomic():
        post_moves(
            key="messages",
            document_type="test",
            document_id=1,
            document_number="T-1",
            event="post",
            user=None,
            moves=moves,
        )


def test_the_ledger_names_batches_by_number_and_missing_rows_by_id(warehouse, sku):
    milk = factories.sku(code="SKU-MILK", tracking=Tracking.BATCH)
    batch = Batch.objects.create(sku=milk, batch_no="L-2026-02")
    tea = factories.sku(code="SKU-TEA", tracking=Tracking.BATCH)
    one = Decimal(1)
    with pytest.raises(ValidationFailed) as error:
        _post([MoveRequest(warehouse.id, tea.id, one, "stock_in", batch_id=batch.id)])
    assert error.value.message == "Batch L-2026-02 is not a batch of SKU SKU-TEA."
    with pytest.raises(ValidationFailed) as error:
        _post([MoveRequest(warehouse.id, 999999, one, "stock_in")])
    assert error.value.message == "SKU #999999 does not exist."
    with pytest.raises(ValidationFailed) as error:
        _post([MoveRequest(999999, sku.id, one, "stock_in")])
    assert error.value.message == "Warehouse #999999 does not exist."


def test_count_locations_and_lines_are_named_by_code_or_missing_id(
    keeper, store, warehouse, other_warehouse, sku
):
    from storeledger.inventory.services import counts

    backroom = factories.warehouse(store, code="WH01B", name="一号店后仓")
    same_store = Location.objects.create(warehouse=backroom, code="B-02-01")
    other_store = Location.objects.create(warehouse=other_warehouse, code="C-01")
    with pytest.raises(ValidationFailed) as error:
        counts.create_stock_count(
            user=keeper,
            warehouse_id=warehouse.id,
            location_ids=[same_store.id, other_store.id, 999999],
        )
    # another store's bin is named by its id only: its code is not this keeper's to learn
    assert error.value.message == (
        f"Locations B-02-01, #{other_store.id}, #999999 are not locations of this warehouse."
    )

    count = counts.create_stock_count(user=keeper, warehouse_id=warehouse.id)
    counts.start_stock_count(user=keeper, count_id=count.id)
    with pytest.raises(ValidationFailed) as error:
        counts.request_recount(user=keeper, count_id=count.id, line_ids=[999998, 999999])
    assert error.value.message == "Lines #999998, #999999 are not lines of this count."
