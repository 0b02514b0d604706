import pytest

from storeledger.catalog.models import Product, Sku
from storeledger.testing import factories


@pytest.mark.django_db
def test_product_create_is_idempotent_with_a_key(client_for, buyer, pcs):
    client = client_for(buyer)
    body = {"code": "SOAP", "name": "香皂", "base_unit": pcs.pk}
    first = client.post("/api/v1/products/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/products/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Product.objects.count() == 1
    assert Sku.objects.count() == 1
    other = client.post(
        "/api/v1/products/", {**body, "code": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 409


@pytest.mark.django_db
def test_product_update_changes_product_fields_not_skus(client_for, buyer, drinks):
    sku = factories.sku(code="COLA")
    client = client_for(buyer)
    url = f"/api/v1/products/{sku.product_id}/"
    refused = client.patch(url, {"skus": [{"code": "NEW"}]}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["skus"]
    ok = client.patch(url, {"category": drinks.pk, "shelf_life_days": 180}, format="json")
    assert ok.status_code == 200, ok.json()
    assert client.get(f"/api/v1/skus/{sku.pk}/").json()["shelf_life_days"] == 180
    negative = client.patch(url, {"shelf_life_days": -1, "tax_rate": "2"}, format="json")
    assert sorted(negative.json()["fields"]) == ["shelf_life_days", "tax_rate"]


@pytest.mark.django_db
def test_sku_cannot_move_to_another_product(client_for, buyer):
    sku = factories.sku(code="A")
    other = factories.sku(code="B")
    response = client_for(buyer).patch(
        f"/api/v1/skus/{sku.pk}/", {"product": other.product_id}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["product"]
    sku.refresh_from_db()
    assert sku.product.code == "A"


@pytest.mark.django_db
def test_several_skus_need_their_own_codes(client_for, buyer, pcs):
    response = client_for(buyer).post(
        "/api/v1/products/",
        {"code": "TEE", "name": "T恤", "base_unit": pcs.pk, "skus": [{"code": "TEE-S"}, {}]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["skus"]
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_import_via_idempotency_key_runs_once(client_for, buyer):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from storeledger.catalog.models import Brand

    def upload():
        return SimpleUploadedFile("b.csv", io.BytesIO("code,name\nB1,康师傅\n".encode()).read())

    client = client_for(buyer)
    first = client.post("/api/v1/brands/import/", {"file": upload()}, HTTP_IDEMPOTENCY_KEY="imp")
    assert first.status_code == 200, first.json()
    assert first.json()["created"] == 1
    Brand.objects.all().delete()
    repeat = client.post("/api/v1/brands/import/", {"file": upload()}, HTTP_IDEMPOTENCY_KEY="imp")
    assert repeat.json() == first.json()
    assert Brand.objects.count() == 0  # the stored answer, not a second import
