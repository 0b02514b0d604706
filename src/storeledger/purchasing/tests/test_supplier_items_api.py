"""`/api/v1/supplier-items/`: the list (filters, search, ordering, a pinned query count), the
writes through the services, the price history, roles, and every bad input in the one shape."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.catalog.services import save_category
from storeledger.purchasing.models import SupplierItem, SupplierPrice
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/supplier-items/"


def csv_upload(rows, name="items.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"))


def assert_error(response, status, code, fields=()):
    body = response.json()
    assert response.status_code == status, body
    assert sorted(body) == ["code", "details", "fields", "message"]
    assert body["code"] == code
    assert sorted(body["fields"]) == sorted(fields)
    return body


def test_create_read_and_base_unit_price(client_for, buyer, wahaha, sku, box_unit):
    client = client_for(buyer)
    response = client.post(
        URL,
        {
            "supplier": wahaha.pk,
            "sku": sku.pk,
            "purchase_unit": box_unit.pk,
            "price": "25.20",
            "price_valid_from": "2026-01-01",
            "item_code": "WHH-330",
            "min_order_qty": "10",
            "preferred": True,
            "price_note": "合同价",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pack_size"] == "12.0000"
    assert body["price"] == "25.2000"
    assert body["base_unit_price"] == "2.1000"
    assert body["effective_lead_time_days"] == 3
    assert body["supplier_detail"] == {"id": wahaha.pk, "code": "S001", "name": "杭州娃哈哈集团"}
    assert body["sku_detail"]["code"] == "SKU-COLA"
    assert body["sku_detail"]["base_unit"]["name"] == "个"
    assert body["purchase_unit_detail"]["name"] == "箱"
    assert "price_note" not in body
    prices = client.get(f"{URL}{body['id']}/prices/").json()
    assert [(p["price"], p["valid_from"], p["recorded_by"]) for p in prices] == [
        ("25.2000", "2026-01-01", "buyer")
    ]


def test_patch_price_appends_history_with_the_note(client_for, buyer, wahaha, sku):
    item = add_item(wahaha, sku, price="2.00")
    client = client_for(buyer)
    response = client.patch(
        f"{URL}{item.pk}/",
        {"price": "2.30", "price_valid_from": "2026-03-01", "price_note": "涨价"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["price"] == "2.3000"
    prices = client.get(f"{URL}{item.pk}/prices/").json()
    assert [(p["price"], p["valid_from"], p["note"]) for p in prices] == [
        ("2.3000", "2026-03-01", "涨价"),
        ("2.0000", "2026-01-01", ""),
    ]
    # a change of another field writes no price
    assert client.patch(f"{URL}{item.pk}/", {"notes": "x"}, format="json").status_code == 200
    assert SupplierPrice.objects.filter(item=item).count() == 2


def test_change_price_and_set_preferred_actions(client_for, buyer, wahaha, nongfu, sku):
    first = add_item(wahaha, sku, preferred=True)
    second = add_item(nongfu, sku, price="23.00")
    client = client_for(buyer)
    changed = client.post(
        f"{URL}{second.pk}/change-price/",
        {"price": "22.50", "valid_from": "2026-02-01", "note": "促销"},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["price"], changed.json()["price_valid_from"]) == (
        "22.5000",
        "2026-02-01",
    )
    preferred = client.post(f"{URL}{second.pk}/set-preferred/")
    assert preferred.status_code == 200, preferred.json()
    assert preferred.json()["preferred"] is True
    first.refresh_from_db()
    assert first.preferred is False


def test_list_filters_search_and_ordering(client_for, buyer, wahaha, nongfu, sku):
    water = factories.sku(code="SKU-WATER", name="农夫山泉 550ml", barcode="6921168509256")
    drinks = save_category(user=None, instance=None, data={"code": "DRINK", "name": "饮料"})
    water.product.category = drinks
    water.product.save()
    add_item(wahaha, sku, price="2.00", preferred=True)
    add_item(nongfu, water, price="1.20", item_code="NF-550", preferred=True)
    add_item(wahaha, water, price="1.30", price_valid_to=datetime.date(2026, 1, 31))
    client = client_for(buyer)

    def keys(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return [
            (r["supplier_detail"]["code"], r["sku_detail"]["code"])
            for r in response.json()["results"]
        ]

    assert keys() == [("S001", "SKU-COLA"), ("S001", "SKU-WATER"), ("S002", "SKU-WATER")]
    assert keys(supplier=nongfu.pk) == [("S002", "SKU-WATER")]
    assert keys(sku=sku.pk) == [("S001", "SKU-COLA")]
    assert keys(preferred="true") == [("S001", "SKU-COLA"), ("S002", "SKU-WATER")]
    assert keys(category=drinks.pk) == [("S001", "SKU-WATER"), ("S002", "SKU-WATER")]
    assert keys(valid_on="2026-02-15") == [("S001", "SKU-COLA"), ("S002", "SKU-WATER")]
    assert keys(search="NF-550") == [("S002", "SKU-WATER")]
    assert keys(search="6921168509256") == [("S001", "SKU-WATER"), ("S002", "SKU-WATER")]
    assert keys(search="nfsq") == [("S001", "SKU-WATER"), ("S002", "SKU-WATER")]
    assert keys(search="whh") == [("S001", "SKU-COLA"), ("S001", "SKU-WATER")]
    assert keys(ordering="-price") == [
        ("S001", "SKU-COLA"),
        ("S001", "SKU-WATER"),
        ("S002", "SKU-WATER"),
    ]
    assert keys(ordering="price") == [
        ("S002", "SKU-WATER"),
        ("S001", "SKU-WATER"),
        ("S001", "SKU-COLA"),
    ]


def test_list_query_count_does_not_grow_with_rows(client_for, buyer, wahaha, nongfu):
    client = client_for(buyer)
    for index in range(2):
        add_item(wahaha, factories.sku(code=f"A{index}", case_factor="6"), price="5")
    assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).json()["count"] == 2
    for index in range(8):
        item_sku = factories.sku(code=f"B{index}", case_factor="6")
        add_item(nongfu, item_sku, price="5", purchase_unit=item_sku.units.get().unit)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 10
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 6


@pytest.mark.parametrize(
    ("role", "view", "edit"),
    [
        ("admin", 200, 201),
        ("buyer", 200, 201),
        ("store_manager", 200, 403),
        ("warehouse_keeper", 200, 403),
        ("finance", 200, 403),
        ("viewer", 200, 403),
        ("cashier", 403, 403),
    ],
)
def test_head_office_edits_others_read(client_for, role, view, edit, wahaha, sku, store):
    user = factories.user(f"u-{role}", roles=(role,), stores=(store,))
    client = client_for(user)
    assert client.get(URL).status_code == view
    response = client.post(URL, {"supplier": wahaha.pk, "sku": sku.pk, "price": "2"}, format="json")
    assert response.status_code == edit, response.json()
    if edit == 403:
        assert response.json()["code"] == "permission_denied"
        assert SupplierItem.objects.count() == 0


def test_price_history_cannot_be_changed_by_any_role(db):
    from storeledger.accounts.roles import role_permissions

    granted = {p for perms in role_permissions().values() for p in perms}
    assert "purchasing.view_supplierprice" in granted  # positive control
    assert not granted & {
        "purchasing.add_supplierprice",
        "purchasing.change_supplierprice",
        "purchasing.delete_supplierprice",
    }


def test_anonymous_gets_401(api):
    assert api.get(URL).status_code == 401


def test_bad_input_is_400_in_the_one_shape(client_for, buyer, wahaha, sku):
    client = client_for(buyer)
    assert_error(client.post(URL, {}, format="json"), 400, "invalid", ["price", "sku", "supplier"])
    assert_error(
        client.post(
            URL,
            {"supplier": wahaha.pk, "sku": sku.pk, "price": "-1", "lead_time_days": -3},
            format="json",
        ),
        400,
        "invalid",
        ["lead_time_days", "price"],
    )
    assert_error(
        client.post(
            URL,
            {"supplier": 10**6, "sku": "abc", "price": "NaN", "price_valid_from": "9999-12-31"},
            format="json",
        ),
        400,
        "invalid",
        ["price", "price_valid_from", "sku", "supplier"],
    )
    assert_error(
        client.post(URL, {"supplier": 10**30, "sku": sku.pk, "price": "2"}, format="json"),
        400,
        "number_out_of_range",
        fields=("supplier",),
    )
    assert_error(
        client.post(URL, {"supplier": wahaha.pk, "sku": sku.pk, "price": "0"}, format="json"),
        400,
        "invalid",
        ["price"],
    )
    assert_error(client.post(URL, [1, 2], format="json"), 400, "invalid", ["non_field_errors"])
    assert SupplierItem.objects.count() == 0


def test_duplicate_and_bad_changes_are_400(client_for, buyer, wahaha, nongfu, sku):
    item = add_item(wahaha, sku)
    client = client_for(buyer)
    body = assert_error(
        client.post(URL, {"supplier": wahaha.pk, "sku": sku.pk, "price": "2"}, format="json"),
        400,
        "invalid",
        ["sku"],
    )
    assert body["fields"]["sku"] == ["Supplier S001 already has SKU SKU-COLA in its catalogue."]
    assert_error(
        client.patch(f"{URL}{item.pk}/", {"supplier": nongfu.pk}, format="json"),
        400,
        "invalid",
        ["supplier"],
    )
    assert_error(
        client.post(f"{URL}{item.pk}/change-price/", {"price": "x"}, format="json"),
        400,
        "invalid",
        ["price"],
    )
    assert_error(
        client.post(
            f"{URL}{item.pk}/change-price/",
            {"price": "3", "valid_from": "2026-05-01", "valid_to": "2026-04-01"},
            format="json",
        ),
        400,
        "invalid",
        ["price_valid_to"],
    )
    assert SupplierPrice.objects.filter(item=item).count() == 1


def test_filters_with_bad_values_are_400_not_500(client_for, buyer, wahaha, sku):
    add_item(wahaha, sku)
    client = client_for(buyer)
    assert_error(client.get(URL, {"supplier": "abc"}), 400, "invalid", ["supplier"])
    assert_error(client.get(URL, {"valid_on": "yesterday"}), 400, "invalid", ["valid_on"])
    assert_error(client.get(URL, {"supplier": str(10**30)}), 400, "invalid", ["supplier"])
    unknown_category = client.get(URL, {"category": "999999"})
    assert unknown_category.json()["count"] == 0


def test_unknown_item_is_404(client_for, buyer):
    client = client_for(buyer)
    assert_error(client.get(f"{URL}999999/prices/"), 404, "not_found")
    assert_error(client.post(f"{URL}999999/set-preferred/"), 404, "not_found")


def test_delete_removes_the_item_with_its_history(client_for, buyer, wahaha, sku):
    item = add_item(wahaha, sku)
    assert client_for(buyer).delete(f"{URL}{item.pk}/").status_code == 204
    assert SupplierItem.objects.count() == 0
    assert SupplierPrice.objects.count() == 0


def test_a_supplier_or_sku_in_the_catalogue_is_in_use(client_for, wahaha, sku, admin_user):
    add_item(wahaha, sku)
    client = client_for(admin_user)
    body = assert_error(client.delete(f"/api/v1/suppliers/{wahaha.pk}/"), 409, "in_use")
    assert body["details"]["used_by"] == ["supplier items"]


def test_export_then_import_round_trips_and_changes_prices(client_for, buyer, wahaha, nongfu, sku):
    add_item(wahaha, sku, price="2.00", item_code="W1", preferred=True)
    client = client_for(buyer)
    exported = client.get(f"{URL}export/", {"format": "csv"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "supplier",
        "sku",
        "item_code",
        "purchase_unit",
        "pack_size",
        "price",
        "price_valid_from",
        "price_valid_to",
        "min_order_qty",
        "lead_time_days",
        "preferred",
        "active",
        "notes",
    ]
    assert rows[1][:7] == ["S001", "SKU-COLA", "W1", "pcs", "1", "2", "2026-01-01"]
    rows[1][5], rows[1][6] = "2.10", "2026-04-01"  # a new price
    rows.append(["S002", "SKU-COLA", "N1", "box", "", "24", "2026-04-01", "", "5", "", "", "", ""])
    imported = client.post(f"{URL}import/", {"file": csv_upload(rows)}, format="multipart")
    assert imported.status_code == 200, imported.json()
    assert (imported.json()["created"], imported.json()["updated"]) == (1, 1)
    first = SupplierItem.objects.get(supplier=wahaha)
    assert first.price == Decimal("2.10")
    assert list(first.prices.values_list("price", flat=True)) == [Decimal("2.1"), Decimal("2")]
    assert first.prices.first().note == "Imported"
    second = SupplierItem.objects.get(supplier=nongfu)
    assert (second.pack_size, second.min_order_qty, second.preferred) == (
        Decimal(12),
        Decimal(5),
        False,
    )


def test_import_with_a_bad_row_imports_nothing(client_for, buyer, wahaha, sku):
    client = client_for(buyer)
    rows = [
        ["supplier", "sku", "price", "pack_size", "purchase_unit"],
        ["S001", "SKU-COLA", "2.00", "", ""],
        ["S404", "SKU-COLA", "2.00", "", ""],
        ["S001", "SKU-COLA", "2.50", "", ""],
    ]
    response = client.post(f"{URL}import/", {"file": csv_upload(rows)}, format="multipart")
    body = assert_error(response, 400, "import_invalid")
    assert sorted(row["row"] for row in body["details"]["rows"]) == [3, 4]
    assert SupplierItem.objects.count() == 0
    # positive control: the good row alone imports
    ok = client.post(f"{URL}import/", {"file": csv_upload(rows[:2])}, format="multipart")
    assert ok.status_code == 200, ok.json()
    assert SupplierItem.objects.count() == 1


def test_import_rule_errors_name_the_row(client_for, buyer, wahaha, sku):
    rows = [
        ["supplier", "sku", "price", "purchase_unit", "pack_size"],
        ["S001", "SKU-COLA", "30", "box", "24"],
    ]
    response = client_for(buyer).post(
        f"{URL}import/", {"file": csv_upload(rows)}, format="multipart"
    )
    body = assert_error(response, 400, "import_invalid")
    assert body["details"]["rows"][0]["row"] == 2
    assert list(body["details"]["rows"][0]["fields"]) == ["pack_size"]
    assert SupplierItem.objects.count() == 0


def test_keeper_cannot_import(client_for, keeper):
    rows = [["supplier", "sku", "price"], ["S001", "SKU-COLA", "2"]]
    response = client_for(keeper).post(
        f"{URL}import/", {"file": csv_upload(rows)}, format="multipart"
    )
    assert_error(response, 403, "permission_denied")


def test_errors_speak_chinese_when_asked(client_for, buyer, wahaha, sku):
    add_item(wahaha, sku)
    response = client_for(buyer).post(
        URL,
        {"supplier": wahaha.pk, "sku": sku.pk, "price": "2"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = assert_error(response, 400, "invalid", ["sku"])
    assert body["fields"]["sku"] == ["供应商 S001 的目录中已有商品 SKU-COLA。"]
