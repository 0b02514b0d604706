import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from storeledger.org.models import Company, Location, Store, Warehouse, transit_warehouse
from storeledger.testing import factories


def csv_upload(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("x.csv", buffer.getvalue().encode("utf-8-sig"))


@pytest.mark.django_db
def test_company_read_by_anyone_changed_by_admin_only(client_for, admin_user, keeper):
    Company.current()
    assert client_for(keeper).get("/api/v1/company/").json()["currency"] == "CNY"
    denied = client_for(keeper).patch("/api/v1/company/", {"name": "X"}, format="json")
    assert denied.status_code == 403
    response = client_for(admin_user).patch(
        "/api/v1/company/", {"name": "好邻居连锁", "allow_negative_stock": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    company = Company.current()
    assert (company.name, company.allow_negative_stock) == ("好邻居连锁", True)
    bad = client_for(admin_user).patch(
        "/api/v1/company/", {"time_zone": "Mars/Base"}, format="json"
    )
    assert bad.status_code == 400
    assert list(bad.json()["fields"]) == ["time_zone"]


@pytest.mark.django_db
def test_company_purchasing_settings_and_rating_weights_are_saved(client_for, admin_user):
    # the purchasing settings were in the API's answer but refused by the service (a 500)
    response = client_for(admin_user).patch(
        "/api/v1/company/",
        {
            "over_receipt_tolerance": "5",
            "purchase_price_margin": "15",
            "invoice_price_tolerance": "2",
            "rating_weight_on_time": "50",
            "rating_weight_price": "0",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    company = Company.current()
    assert (company.over_receipt_tolerance, company.purchase_price_margin) == (5, 15)
    assert (company.invoice_price_tolerance, company.rating_weight_on_time) == (2, 50)
    assert company.rating_weight_price == 0
    too_heavy = client_for(admin_user).patch(
        "/api/v1/company/", {"rating_weight_quality": "101"}, format="json"
    )
    assert too_heavy.status_code == 400
    assert list(too_heavy.json()["fields"]) == ["rating_weight_quality"]


@pytest.mark.django_db
def test_lists_respect_data_scope(client_for, manager, warehouse, other_warehouse):
    Location.objects.create(warehouse=warehouse, code="A-01")
    Location.objects.create(warehouse=other_warehouse, code="B-01")
    client = client_for(manager)
    assert [s["code"] for s in client.get("/api/v1/stores/").json()["results"]] == ["0001"]
    assert [w["code"] for w in client.get("/api/v1/warehouses/").json()["results"]] == ["WH01"]
    assert [loc["code"] for loc in client.get("/api/v1/locations/").json()["results"]] == ["A-01"]
    assert client.get(f"/api/v1/warehouses/{other_warehouse.pk}/").status_code == 404


@pytest.mark.django_db
def test_location_outside_scope_is_403_and_not_created(
    client_for, manager, warehouse, other_warehouse
):
    client = client_for(manager)
    ok = client.post("/api/v1/locations/", {"warehouse": warehouse.pk, "code": "A-02"})
    assert ok.status_code == 201, ok.json()
    denied = client.post("/api/v1/locations/", {"warehouse": other_warehouse.pk, "code": "B-02"})
    assert denied.status_code == 403
    assert denied.json()["code"] == "out_of_scope"
    assert not Location.objects.filter(code="B-02").exists()
    moved = client.patch(f"/api/v1/locations/{ok.json()['id']}/", {"warehouse": other_warehouse.pk})
    assert moved.status_code == 403
    assert Location.objects.get(code="A-02").warehouse == warehouse


@pytest.mark.django_db
def test_warehouse_outside_scope_is_403(client_for, store, other_store, warehouse):
    # a user allowed to change warehouses, but only for store 0001
    user = factories.user("regional", roles=("admin",), stores=(store,))
    client = client_for(user)
    created = client.post(
        "/api/v1/warehouses/", {"code": "WH01B", "name": "后仓", "store": store.pk}
    )
    assert created.status_code == 201, created.json()
    denied = client.post(
        "/api/v1/warehouses/", {"code": "WH02B", "name": "X", "store": other_store.pk}
    )
    assert denied.status_code == 403
    assert denied.json()["code"] == "out_of_scope"
    central = client.post("/api/v1/warehouses/", {"code": "CENTRAL", "name": "中央仓"})
    assert central.status_code == 403
    moved = client.patch(f"/api/v1/warehouses/{warehouse.pk}/", {"store": other_store.pk})
    assert moved.status_code == 403
    assert not Warehouse.objects.filter(code__in=["WH02B", "CENTRAL"]).exists()
    warehouse.refresh_from_db()
    assert warehouse.store == store


@pytest.mark.django_db
def test_transit_warehouse_hidden_and_read_only(client_for, admin_user, warehouse):
    transit = transit_warehouse()
    client = client_for(admin_user)
    assert [w["code"] for w in client.get("/api/v1/warehouses/").json()["results"]] == ["WH01"]
    listed = client.get("/api/v1/warehouses/", {"kind": "transit"}).json()["results"]
    assert [w["code"] for w in listed] == ["TRANSIT"]
    response = client.patch(f"/api/v1/warehouses/{transit.pk}/", {"name": "X"})
    assert response.status_code == 403
    assert response.json()["code"] == "transit_read_only"
    assert client.delete(f"/api/v1/warehouses/{transit.pk}/").status_code == 403
    created = client.post("/api/v1/warehouses/", {"code": "W9", "name": "W9", "kind": "transit"})
    assert created.status_code == 201
    assert created.json()["kind"] == "normal"


@pytest.mark.django_db
def test_store_crud_and_search(client_for, admin_user):
    client = client_for(admin_user)
    created = client.post("/api/v1/stores/", {"code": "0009", "name": "九号店", "manager": "李四"})
    assert created.status_code == 201, created.json()
    store_id = created.json()["id"]
    assert client.get("/api/v1/stores/", {"search": "李四"}).json()["count"] == 1
    assert client.patch(f"/api/v1/stores/{store_id}/", {"active": False}).json()["active"] is False
    assert client.get("/api/v1/stores/", {"active": "true"}).json()["count"] == 0
    assert client.delete(f"/api/v1/stores/{store_id}/").status_code == 204
    assert not Store.objects.filter(code="0009").exists()


@pytest.mark.django_db
def test_store_with_warehouse_cannot_be_deleted(client_for, admin_user, warehouse):
    response = client_for(admin_user).delete(f"/api/v1/stores/{warehouse.store_id}/")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"


@pytest.mark.django_db
def test_location_import_by_warehouse_and_code_with_scope(
    client_for, manager, warehouse, other_warehouse
):
    Location.objects.create(warehouse=warehouse, code="A-01", name="旧")
    client = client_for(manager)
    ok = client.post(
        "/api/v1/locations/import/",
        {
            "file": csv_upload(
                [["warehouse", "code", "name"], ["WH01", "A-01", "新"], ["WH01", "A-02", "二"]]
            )
        },
    )
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["created"], ok.json()["updated"], ok.json()["refused"]) == (1, 1, 0)
    assert Location.objects.get(code="A-01").name == "新"

    denied = client.post(
        "/api/v1/locations/import/",
        {"file": csv_upload([["warehouse", "code"], ["WH01", "A-03"], ["WH02", "B-01"]])},
    )
    assert denied.status_code == 400
    rows = denied.json()["details"]["rows"]
    assert [r["row"] for r in rows] == [3]
    assert not Location.objects.filter(code__in=["A-03", "B-01"]).exists()


@pytest.mark.django_db
def test_warehouse_export_import_round_trip(client_for, admin_user, warehouse):
    factories.warehouse(None, code="CW", name="中央仓")
    client = client_for(admin_user)
    exported = client.get("/api/v1/warehouses/export/", {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows == [
        ["code", "name", "store", "allow_negative_stock", "address", "active"],
        ["CW", "中央仓", "", "", "", "true"],
        ["WH01", "一号店仓库", "0001", "", "", "true"],
    ]
    response = client.post("/api/v1/warehouses/import/", {"file": csv_upload(rows)})
    assert response.status_code == 200, response.json()
    assert response.json()["updated"] == 2
    assert Warehouse.objects.get(code="CW").store is None


@pytest.mark.django_db
def test_company_refuses_a_made_up_currency_and_a_negative_count_threshold(client_for, admin_user):
    """The settings took "😀" (or "usd") as the currency and -1 as the stock-count approval
    threshold, with which every count, even one without a difference, waited for approval."""
    api = client_for(admin_user)
    for bad in ("😀", "RMB1", "", "C"):
        response = api.patch("/api/v1/company/", {"currency": bad}, format="json")
        assert response.status_code == 400, (bad, response.json())
        assert list(response.json()["fields"]) == ["currency"]
    response = api.patch("/api/v1/company/", {"count_approval_threshold": "-1"}, format="json")
    assert response.status_code == 400, response.json()
    assert list(response.json()["fields"]) == ["count_approval_threshold"]
    zh = api.patch(
        "/api/v1/company/", {"currency": "😀"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "ISO 4217" in zh.json()["message"] and "货币" in zh.json()["message"]
    company = Company.current()
    assert (company.currency, company.count_approval_threshold) == ("CNY", 500)
    # positive control: a real code (any case) and zero are taken
    response = api.patch(
        "/api/v1/company/", {"currency": "usd", "count_approval_threshold": "0"}, format="json"
    )
    assert response.status_code == 200, response.json()
    company.refresh_from_db()
    assert (company.currency, company.count_approval_threshold) == ("USD", 0)
