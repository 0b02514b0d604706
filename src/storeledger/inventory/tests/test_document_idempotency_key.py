"""A stock document, transfer or stock count created under an Idempotency-Key keeps the key,
unique per user (issue 7): even with the key's stored answer gone, the same key cannot make a
second document."""

from __future__ import annotations

import pytest

from storeledger.core.models import IdempotencyRecord
from storeledger.inventory.models import StockCount, StockDocument, Transfer
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/stock-ins/"


def _stock_in(api, warehouse, sku, key: str, quantity: str = "2"):
    return api.post(
        URL,
        {"warehouse": warehouse.id, "post": True, "lines": [{"sku": sku.id, "quantity": quantity}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_the_document_keeps_its_key(client_for, admin_user, warehouse, sku):
    created = _stock_in(client_for(admin_user), warehouse, sku, "scanner-7-0001")
    assert created.status_code == 201
    document = StockDocument.objects.get(pk=created.json()["id"])
    assert document.idempotency_key == "scanner-7-0001"


def test_without_its_stored_answer_the_key_still_makes_one_document(
    client_for, admin_user, warehouse, sku
):
    api = client_for(admin_user)
    assert _stock_in(api, warehouse, sku, "scanner-7-0002").status_code == 201
    IdempotencyRecord.objects.all().delete()  # the answer lost (e.g. purged)

    again = _stock_in(api, warehouse, sku, "scanner-7-0002", quantity="3")

    assert again.status_code == 409
    assert again.json()["code"] == "idempotency_conflict"
    assert StockDocument.objects.count() == 1
    # positive control: another key makes another document
    assert _stock_in(api, warehouse, sku, "scanner-7-0003").status_code == 201
    assert StockDocument.objects.count() == 2


def test_the_key_is_unique_per_user(client_for, admin_user, warehouse, sku):
    other = factories.user("boss2", roles=("admin",), all_stores=True)
    assert _stock_in(client_for(admin_user), warehouse, sku, "k-1").status_code == 201
    assert _stock_in(client_for(other), warehouse, sku, "k-1").status_code == 201
    assert list(StockDocument.objects.values_list("idempotency_key", flat=True)) == ["k-1"] * 2


def test_a_document_created_without_a_key_keeps_none(client_for, admin_user, warehouse, sku):
    api = client_for(admin_user)
    for _ in range(2):
        response = api.post(
            URL,
            {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": "1"}]},
            format="json",
        )
        assert response.status_code == 201
    assert list(StockDocument.objects.values_list("idempotency_key", flat=True)) == ["", ""]


def test_transfers_and_counts_keep_their_key_too(
    client_for, admin_user, warehouse, other_warehouse, sku
):
    api = client_for(admin_user)
    transfer = {
        "from_warehouse": warehouse.id,
        "to_warehouse": other_warehouse.id,
        "lines": [{"sku": sku.id, "quantity": "1"}],
    }
    count = {"warehouse": warehouse.id}
    for url, body, model, key in (
        ("/api/v1/transfers/", transfer, Transfer, "pda-3-0001"),
        ("/api/v1/stock-counts/", count, StockCount, "pda-3-0002"),
    ):
        created = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert created.status_code == 201, created.json()
        assert model.objects.get(pk=created.json()["id"]).idempotency_key == key
        IdempotencyRecord.objects.all().delete()  # the answer lost
        again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert (again.status_code, again.json()["code"]) == (409, "idempotency_conflict")
        assert model.objects.count() == 1


def test_a_failed_stock_out_under_a_key_is_kept_and_replayed(client_for, admin_user, sku):
    """A stock-out's service joins the key's transaction without a savepoint (issue 9): when
    it fails, nothing it wrote stays, and its answer is still kept for the key and replayed;
    the key then makes no other document."""
    store = factories.store("0009")
    strict = factories.warehouse(store, code="WH09", allow_negative_stock=False)
    api = client_for(admin_user)
    body = {"warehouse": strict.id, "post": True, "lines": [{"sku": sku.id, "quantity": "5"}]}

    first = api.post("/api/v1/stock-outs/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-409")
    again = api.post("/api/v1/stock-outs/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-409")

    assert first.status_code == 409
    assert first.json()["code"] == "insufficient_stock"
    assert again.status_code == 409
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert StockDocument.objects.count() == 0
    record = IdempotencyRecord.objects.get(key="k-409")
    assert record.status_code == 409
    other = {**body, "lines": [{"sku": sku.id, "quantity": "6"}]}
    conflict = api.post("/api/v1/stock-outs/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-409")
    assert conflict.json()["code"] == "idempotency_conflict"
