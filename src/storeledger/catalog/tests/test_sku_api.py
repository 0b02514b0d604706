from decimal import Decimal

import pytest

from storeledger.catalog.barcodes import gs1_check_digit
from storeledger.catalog.models import Barcode, Category, Product, Sku, SkuUnit
from storeledger.testing import factories

COLA_EAN = "6901234567892"  # valid EAN-13


def ean13(body12: str) -> str:
    return body12 + str(gs1_check_digit(body12))


CASE_EAN = ean13("690123456790")


def simple_product(pcs, box, drinks, brand, **overrides):
    body = {
        "code": "P-COLA",
        "name": "可口可乐 330ml",
        "category": drinks.pk,
        "brand": brand.pk,
        "base_unit": pcs.pk,
        "tracking": "batch",
        "shelf_life_days": 365,
        "tax_rate": "0.13",
        "skus": [
            {
                "code": "COLA-330",
                "spec": "330ml",
                "purchase_price": "2.00",
                "retail_price": "3.50",
                "units": [{"unit": box.pk, "factor": "12", "retail_price": "39.00"}],
                "barcodes": [
                    {"code": COLA_EAN, "is_primary": True},
                    {"code": CASE_EAN, "unit": box.pk},
                ],
            }
        ],
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_create_product_with_sku_barcodes_and_units_in_one_request(
    client_for, buyer, pcs, box, drinks, brand
):
    response = client_for(buyer).post(
        "/api/v1/products/", simple_product(pcs, box, drinks, brand), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name_initials"] == "kkkl"
    [sku_body] = body["skus"]
    assert sku_body["code"] == "COLA-330"
    assert sku_body["name"] == "可口可乐 330ml"
    assert sku_body["units"] == [
        {
            "unit": box.pk,
            "unit_code": "box",
            "unit_name": "箱",
            "factor": "12.0000",
            "retail_price": "39.0000",
        }
    ]
    sku = Sku.objects.get(code="COLA-330")
    assert sku.product.tracking == "batch"
    assert sorted(sku.barcodes.values_list("code", "unit_id", "kind", "is_primary")) == sorted(
        [(COLA_EAN, None, "ean13", True), (CASE_EAN, box.pk, "ean13", False)]
    )

    detail = client_for(buyer).get(f"/api/v1/skus/{sku.pk}/").json()
    assert detail["category"] == {"id": drinks.pk, "code": "DRINK", "name": "饮料"}
    assert detail["base_unit"] == {"id": pcs.pk, "code": "pcs", "name": "个", "precision": 0}
    assert detail["tracking"] == "batch"
    assert detail["shelf_life_days"] == 365


@pytest.mark.django_db
def test_simple_product_without_skus_gets_one_sku(client_for, buyer, pcs):
    response = client_for(buyer).post(
        "/api/v1/products/",
        {"code": "SOAP", "name": "舒肤佳香皂", "base_unit": pcs.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    sku = Sku.objects.get()
    assert (sku.code, sku.name, sku.name_initials) == ("SOAP", "舒肤佳香皂", "sfjxz")


@pytest.mark.django_db
def test_pinyin_initials_code_name_and_barcode_search(client_for, buyer):
    cola = factories.sku(code="A1", name="可口可乐 330ml", barcode=COLA_EAN)
    factories.sku(code="A2", name="百事可乐 330ml")
    factories.sku(code="B1", name="农夫山泉")
    client = client_for(buyer)

    def codes(term):
        response = client.get("/api/v1/skus/", {"search": term})
        assert response.status_code == 200
        return [row["code"] for row in response.json()["results"]]

    assert codes("kkkl") == ["A1"]
    assert codes("KKKL") == ["A1"]
    assert codes("可乐") == ["A1", "A2"]
    assert codes(COLA_EAN) == ["A1"]
    assert codes(COLA_EAN[:6]) == []  # barcodes match exactly, not by a part
    assert codes("b1") == ["B1"]
    assert codes("nfsq") == ["B1"]
    assert codes("kl 百事") == ["A2"]
    assert cola.name_initials == "kkkl"


@pytest.mark.django_db
def test_lookup_case_barcode_returns_factor_and_case_price(client_for, cashier, pcs, box):
    sku = factories.sku(code="COLA", name="可口可乐", barcode=COLA_EAN, case_factor="12")
    Barcode.objects.create(sku=sku, code=CASE_EAN, unit=box, kind="ean13")
    client = client_for(cashier)

    case = client.get("/api/v1/skus/lookup/", {"barcode": CASE_EAN})
    assert case.status_code == 200
    body = case.json()
    assert body["sku"]["code"] == "COLA"
    assert body["unit"]["code"] == "box"
    assert body["factor"] == "12.0000"
    assert body["price"] == "42.0000"  # 12 x 3.50 (no own case price)

    SkuUnit.objects.filter(sku=sku).update(retail_price=Decimal("39"))
    assert client.get("/api/v1/skus/lookup/", {"barcode": CASE_EAN}).json()["price"] == "39.0000"

    piece = client.get("/api/v1/skus/lookup/", {"barcode": COLA_EAN}).json()
    assert (piece["unit"]["code"], piece["factor"], piece["price"]) == ("pcs", "1.0000", "3.5000")

    by_code = client.get("/api/v1/skus/lookup/", {"code": "COLA"}).json()
    assert by_code["sku"]["id"] == sku.pk
    assert by_code["barcode"] is None


@pytest.mark.django_db
def test_lookup_unknown_barcode_is_404_with_code(client_for, cashier):
    response = client_for(cashier).get(
        "/api/v1/skus/lookup/", {"barcode": "6900000000000"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_barcode"
    assert response.json()["message"] == "No SKU has the barcode or code 6900000000000."


@pytest.mark.django_db
def test_invalid_ean13_check_digit_is_400_and_creates_nothing(
    client_for, buyer, pcs, box, drinks, brand
):
    body = simple_product(pcs, box, drinks, brand)
    body["skus"][0]["barcodes"] = [{"code": "6901234567891"}]
    response = client_for(buyer).post(
        "/api/v1/products/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "skus.0.barcodes.0.code": ["The check digit of 6901234567891 is wrong; it should be 2."]
    }
    assert Product.objects.count() == 0
    assert Sku.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_barcode_names_the_sku_that_has_it(client_for, buyer, pcs, box, drinks, brand):
    factories.sku(code="OLD", name="老可乐", barcode=COLA_EAN)
    response = client_for(buyer).post(
        "/api/v1/products/",
        simple_product(pcs, box, drinks, brand),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "skus.0.barcodes.0.code": [f"Barcode {COLA_EAN} already belongs to SKU OLD 老可乐."]
    }
    assert not Product.objects.filter(code="P-COLA").exists()


@pytest.mark.django_db
def test_unknown_unit_and_unknown_category_are_400(client_for, buyer, pcs, box, drinks, brand):
    client = client_for(buyer)
    body = simple_product(pcs, box, drinks, brand, category=999999)
    response = client.post("/api/v1/products/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["category"]

    body = simple_product(pcs, box, drinks, brand)
    body["skus"][0]["units"] = [{"unit": 999999, "factor": "12"}]
    response = client.post("/api/v1/products/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["skus.0.units.0.unit"]
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_barcode_unit_must_belong_to_the_sku_and_factor_positive(client_for, buyer, pcs, box, kg):
    sku = factories.sku(code="X", barcode=COLA_EAN)
    client = client_for(buyer)
    response = client.patch(
        f"/api/v1/skus/{sku.pk}/",
        {
            "barcodes": [{"code": CASE_EAN, "unit": kg.pk}],
            "units": [{"unit": box.pk, "factor": "0"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["barcodes.0.unit", "units.0.factor"]

    fractional = client.patch(
        f"/api/v1/skus/{sku.pk}/", {"units": [{"unit": box.pk, "factor": "12.5"}]}, format="json"
    )
    assert fractional.status_code == 400
    assert list(fractional.json()["fields"]) == ["units.0.factor"]
    assert list(sku.barcodes.values_list("code", flat=True)) == [COLA_EAN]  # unchanged


@pytest.mark.django_db
def test_patch_sku_replaces_barcodes_and_units(client_for, buyer, pcs, box):
    sku = factories.sku(code="X", barcode=COLA_EAN, case_factor="6")
    response = client_for(buyer).patch(
        f"/api/v1/skus/{sku.pk}/",
        {
            "retail_price": "4.00",
            "units": [{"unit": box.pk, "factor": "24"}],
            "barcodes": [{"code": CASE_EAN, "unit": box.pk}, {"code": "ABC-123"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["retail_price"] == "4.0000"
    assert [u["factor"] for u in body["units"]] == ["24.0000"]
    assert sorted((b["code"], b["kind"]) for b in body["barcodes"]) == [
        (CASE_EAN, "ean13"),
        ("ABC-123", "other"),
    ]
    assert not Barcode.objects.filter(code=COLA_EAN).exists()


@pytest.mark.django_db
def test_cashier_may_read_but_not_create_skus(client_for, cashier, pcs):
    client = client_for(cashier)
    product = Product.objects.create(code="P", name="P", base_unit=pcs)
    assert client.get("/api/v1/skus/").status_code == 200
    response = client.post(
        "/api/v1/skus/", {"product": product.pk, "code": "S", "name": "S"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert (
        client.post(
            "/api/v1/products/", {"code": "Q", "name": "Q", "base_unit": pcs.pk}
        ).status_code
        == 403
    )
    assert Sku.objects.count() == 0


@pytest.mark.django_db
def test_add_sku_to_existing_product(client_for, buyer, pcs):
    product = Product.objects.create(code="TEE", name="T恤", base_unit=pcs)
    response = client_for(buyer).post(
        "/api/v1/skus/",
        {
            "product": product.pk,
            "code": "TEE-L",
            "name": "T恤 L",
            "attributes": {"size": "L"},
            "retail_price": "59",
            "barcodes": [{"code": COLA_EAN}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["product_code"] == "TEE"
    assert response.json()["barcodes"] == [
        {"code": COLA_EAN, "unit": None, "kind": "ean13", "is_primary": True}
    ]


@pytest.mark.django_db
def test_generate_internal_barcode(client_for, buyer, pcs, box):
    sku = factories.sku(code="BREAD", name="面包", barcode=COLA_EAN, case_factor="10")
    Barcode.objects.create(sku=sku, code=ean13("200000000001"), kind="internal")  # already used
    client = client_for(buyer)
    first = client.post(f"/api/v1/skus/{sku.pk}/generate-barcode/", {}, format="json")
    assert first.status_code == 201, first.json()
    code = first.json()["code"]
    assert code.startswith("20") and len(code) == 13
    assert int(code[-1]) == gs1_check_digit(code[:12])
    assert code != ean13("200000000001")
    second = client.post(
        f"/api/v1/skus/{sku.pk}/generate-barcode/", {"unit": box.pk}, format="json"
    ).json()
    assert second["code"] != code
    assert second["unit"] == box.pk
    assert Barcode.objects.filter(sku=sku).count() == 4


@pytest.mark.django_db
def test_variants_create_missing_combinations(client_for, buyer, pcs):
    product = Product.objects.create(code="TEE", name="T恤", base_unit=pcs)
    Sku.objects.create(
        product=product,
        code="TEE-M-红",
        name="T恤 M 红",
        attributes={"size": "M", "colour": "红"},
        retail_price=Decimal("59"),
    )
    response = client_for(buyer).post(
        f"/api/v1/products/{product.pk}/variants/",
        {"attributes": {"size": ["M", "L"], "colour": ["红", "黑"]}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert sorted(row["code"] for row in response.json()) == ["TEE-L-红", "TEE-L-黑", "TEE-M-黑"]
    assert Sku.objects.get(code="TEE-L-黑").attributes == {"size": "L", "colour": "黑"}
    assert Sku.objects.get(code="TEE-L-黑").retail_price == Decimal("59")
    assert product.skus.count() == 4


@pytest.mark.django_db
def test_delete_used_unit_is_a_409(client_for, admin_user, pcs):
    factories.sku(code="X")
    response = client_for(admin_user).delete(f"/api/v1/units/{pcs.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "in_use"
    assert body["message"] == f"Unit {pcs} cannot be deleted: it is used by products (1)."


@pytest.mark.django_db
def test_category_tree_path_descendants_and_no_cycles(client_for, buyer):
    client = client_for(buyer)
    food = client.post("/api/v1/categories/", {"code": "FOOD", "name": "食品"}).json()
    drink = client.post(
        "/api/v1/categories/", {"code": "DRINK", "name": "饮料", "parent": food["id"]}
    ).json()
    soda = client.post(
        "/api/v1/categories/", {"code": "SODA", "name": "碳酸饮料", "parent": drink["id"]}
    ).json()
    assert soda["path"] == f"/{food['id']}/{drink['id']}/{soda['id']}/"
    assert soda["level"] == 3

    below = client.get("/api/v1/categories/", {"descendants_of": food["id"]}).json()
    assert [c["code"] for c in below["results"]] == ["DRINK", "SODA"]
    children = client.get("/api/v1/categories/", {"parent": food["id"]}).json()
    assert [c["code"] for c in children["results"]] == ["DRINK"]

    cycle = client.patch(f"/api/v1/categories/{food['id']}/", {"parent": soda["id"]})
    assert cycle.status_code == 400
    assert cycle.json()["code"] == "category_cycle"
    assert list(cycle.json()["fields"]) == ["parent"]
    assert Category.objects.get(pk=food["id"]).parent_id is None

    moved = client.patch(f"/api/v1/categories/{drink['id']}/", {"parent": None}, format="json")
    assert moved.status_code == 200
    assert Category.objects.get(pk=soda["id"]).path == f"/{drink['id']}/{soda['id']}/"


@pytest.mark.django_db
def test_sku_filter_by_category_includes_subcategories(client_for, buyer, drinks, pcs):
    product = Product.objects.create(code="P", name="P", base_unit=pcs, category=drinks)
    Sku.objects.create(product=product, code="IN", name="in")
    factories.sku(code="OUT")
    body = client_for(buyer).get("/api/v1/skus/", {"category": drinks.parent_id}).json()
    assert [row["code"] for row in body["results"]] == ["IN"]
