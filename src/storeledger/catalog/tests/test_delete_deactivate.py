"""Deleting an unused SKU or product; refusing it (409, naming the users) once it has history;
deactivating instead, which hides it from scanning; internal barcodes per unit."""

from decimal import Decimal

import pytest

from storeledger.catalog.models import Barcode, Product, Sku, SkuUnit
from storeledger.inventory.models import StockMove
from storeledger.inventory.services import documents
from storeledger.inventory.services.documents import StockLineInput
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(sku):
    """A second, never used SKU of the cola's product."""
    tea = Sku.objects.create(product=sku.product, code="SKU-COLA-ZERO", name="零度可乐")
    Barcode.objects.create(sku=tea, code="6901234567892", kind="ean13", is_primary=True)
    SkuUnit.objects.create(sku=tea, unit=sku.units.get().unit, factor=Decimal(24))
    return tea


def stock_document(user, warehouse, sku, *, post: bool):
    create = documents.create_and_post_stock_document if post else documents.create_stock_document
    return create(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(5), unit_cost=Decimal("2.00"))],
    )


def test_unused_sku_is_deleted_with_its_barcodes_and_units(client_for, buyer, sku, tea):
    response = client_for(buyer).delete(f"/api/v1/skus/{tea.pk}/")
    assert response.status_code == 204
    assert not Sku.objects.filter(pk=tea.pk).exists()
    assert not Barcode.objects.filter(code="6901234567892").exists()
    assert not SkuUnit.objects.filter(sku_id=tea.pk).exists()
    assert Sku.objects.filter(pk=sku.pk).exists()  # positive control: the other SKU stays


def test_the_only_sku_is_deleted_with_its_product_not_alone(client_for, buyer, sku):
    response = client_for(buyer).delete(f"/api/v1/skus/{sku.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "last_sku"
    assert "SKU-COLA" in body["message"]
    assert Sku.objects.filter(pk=sku.pk).exists()


def test_sku_on_a_draft_document_cannot_be_deleted(client_for, buyer, manager, warehouse, sku, tea):
    document = stock_document(manager, warehouse, tea, post=False)
    response = client_for(buyer).delete(f"/api/v1/skus/{tea.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "in_use"
    assert "SKU-COLA-ZERO" in body["message"]
    assert document.number in body["message"]
    assert body["details"]["used_by"] == {"SKU-COLA-ZERO": [f"stock documents ({document.number})"]}
    assert Sku.objects.filter(pk=tea.pk).exists()


def test_sku_with_stock_cannot_be_deleted_nor_its_product(
    client_for, buyer, manager, warehouse, sku
):
    document = stock_document(manager, warehouse, sku, post=True)
    client = client_for(buyer)

    response = client.delete(f"/api/v1/skus/{sku.pk}/")
    assert response.status_code == 409
    used_by = response.json()["details"]["used_by"]["SKU-COLA"]
    assert "stock moves (1)" in used_by
    assert f"stock documents ({document.number})" in used_by
    assert "stock balances (1)" in used_by

    response = client.delete(f"/api/v1/products/{sku.product_id}/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "in_use"
    assert "SKU-COLA: " in body["message"] and "deactivate" in body["message"].lower()
    assert Product.objects.filter(pk=sku.product_id).exists()
    assert StockMove.objects.filter(sku=sku).count() == 1


def test_unused_product_is_deleted_with_all_its_skus(client_for, buyer, sku, tea):
    response = client_for(buyer).delete(f"/api/v1/products/{sku.product_id}/")
    assert response.status_code == 204
    assert not Product.objects.filter(pk=sku.product_id).exists()
    assert not Sku.objects.filter(pk__in=[sku.pk, tea.pk]).exists()
    assert not Barcode.objects.filter(sku_id__in=[sku.pk, tea.pk]).exists()


def test_deactivated_sku_is_not_scanned_but_listed_and_kept(
    client_for, buyer, manager, warehouse, sku
):
    stock_document(manager, warehouse, sku, post=True)
    client = client_for(buyer)
    code = sku.barcodes.get().code
    assert client.get("/api/v1/skus/lookup/", {"barcode": code}).status_code == 200

    response = client.post(f"/api/v1/skus/{sku.pk}/deactivate/")
    assert response.status_code == 200
    assert response.json()["active"] is False

    response = client.get("/api/v1/skus/lookup/", {"barcode": code})
    assert response.status_code == 404
    assert response.json()["code"] == "inactive_sku"
    assert "SKU-COLA" in response.json()["message"]
    found = client.get("/api/v1/skus/lookup/", {"barcode": code, "include_inactive": "true"})
    assert found.status_code == 200
    assert [
        r["code"] for r in client.get("/api/v1/skus/", {"active": "false"}).json()["results"]
    ] == ["SKU-COLA"]
    assert client.get("/api/v1/skus/", {"active": "true"}).json()["count"] == 0
    assert StockMove.objects.filter(sku=sku).count() == 1

    assert client.post(f"/api/v1/skus/{sku.pk}/activate/").json()["active"] is True
    assert client.get("/api/v1/skus/lookup/", {"barcode": code}).status_code == 200


def test_deactivated_product_hides_its_skus_from_scanning(client_for, buyer, sku):
    client = client_for(buyer)
    response = client.post(f"/api/v1/products/{sku.product_id}/deactivate/")
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert Sku.objects.get(pk=sku.pk).active is True  # the SKU keeps its own flag
    response = client.get("/api/v1/skus/lookup/", {"code": "SKU-COLA"})
    assert response.status_code == 404
    assert response.json()["code"] == "inactive_sku"
    client.post(f"/api/v1/products/{sku.product_id}/activate/")
    assert client.get("/api/v1/skus/lookup/", {"code": "SKU-COLA"}).status_code == 200


def test_cashier_may_neither_delete_nor_deactivate(client_for, cashier, sku, tea):
    client = client_for(cashier)
    assert client.delete(f"/api/v1/skus/{tea.pk}/").status_code == 403
    assert client.post(f"/api/v1/skus/{tea.pk}/deactivate/").status_code == 403
    assert client.delete(f"/api/v1/products/{sku.product_id}/").status_code == 403
    assert client.post(f"/api/v1/products/{sku.product_id}/deactivate/").status_code == 403
    assert Sku.objects.get(pk=tea.pk).active is True
    assert Sku.objects.filter(pk=tea.pk).exists()


def test_case_barcode_generated_for_a_unit_scans_as_that_unit(client_for, buyer, sku):
    box = sku.units.get().unit
    client = client_for(buyer)
    response = client.post(
        f"/api/v1/skus/{sku.pk}/generate-barcode/", {"unit": box.pk}, format="json"
    )
    assert response.status_code == 201
    code = response.json()["code"]
    assert response.json()["unit"] == box.pk
    assert response.json()["is_primary"] is False  # the SKU already has a primary barcode
    scanned = client.get("/api/v1/skus/lookup/", {"barcode": code}).json()
    assert (scanned["unit"]["code"], scanned["factor"]) == ("box", "12.0000")
    assert scanned["price"] == "42.0000"  # 12 × 3.50, no own case price


def test_generating_for_a_unit_the_sku_does_not_have_fails(client_for, buyer, sku):
    kg = factories.unit("kg", "千克", precision=3)
    response = client_for(buyer).post(
        f"/api/v1/skus/{sku.pk}/generate-barcode/", {"unit": kg.pk}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()["fields"]
    assert Barcode.objects.filter(sku=sku).count() == 1
