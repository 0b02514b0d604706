import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from storeledger.partners.models import Customer, MemberLevel, Supplier
from storeledger.testing import factories


@pytest.fixture
def buyer(db):
    return factories.user("buyer", roles=("buyer",), all_stores=True)


@pytest.fixture
def manager_all(db):
    return factories.user("mgr", roles=("store_manager",), all_stores=True)


def csv_upload(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("x.csv", buffer.getvalue().encode("utf-8-sig"))


@pytest.mark.django_db
def test_supplier_crud_and_pinyin_search(client_for, buyer):
    client = client_for(buyer)
    created = client.post(
        "/api/v1/suppliers/",
        {"code": "S001", "name": "杭州娃哈哈集团", "phone": "0571-1234", "lead_time_days": 3},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["name_initials"] == "hzwhhjt"
    Supplier.objects.create(code="S002", name="农夫山泉股份")
    assert [
        s["code"] for s in client.get("/api/v1/suppliers/", {"search": "whh"}).json()["results"]
    ] == ["S001"]
    assert [
        s["code"] for s in client.get("/api/v1/suppliers/", {"search": "1234"}).json()["results"]
    ] == ["S001"]
    ordered = client.get("/api/v1/suppliers/", {"ordering": "-code"}).json()["results"]
    assert [s["code"] for s in ordered] == ["S002", "S001"]
    bad = client.post("/api/v1/suppliers/", {"code": "S001", "name": "dup", "lead_time_days": -1})
    assert bad.status_code == 400
    assert sorted(bad.json()["fields"]) == ["code", "lead_time_days"]


@pytest.mark.django_db
def test_customer_with_member_level_and_card(client_for, manager_all):
    gold = MemberLevel.objects.create(code="GOLD", name="金卡", discount="0.90")
    client = client_for(manager_all)
    response = client.post(
        "/api/v1/customers/",
        {"code": "C1", "name": "王小明", "member_level": gold.pk, "member_card_no": "M0001"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["member_level_name"] == "金卡"
    # two customers without a card are fine (NULL, not "")
    assert (
        client.post(
            "/api/v1/customers/", {"code": "C2", "name": "甲", "member_card_no": ""}
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/customers/", {"code": "C3", "name": "乙", "member_card_no": ""}
        ).status_code
        == 201
    )
    assert [
        c["code"] for c in client.get("/api/v1/customers/", {"search": "M0001"}).json()["results"]
    ] == ["C1"]
    assert [
        c["code"] for c in client.get("/api/v1/customers/", {"search": "wxm"}).json()["results"]
    ] == ["C1"]
    assert client.get("/api/v1/customers/", {"member_level": gold.pk}).json()["count"] == 1
    level = client.post("/api/v1/member-levels/", {"code": "VIP", "name": "VIP", "discount": "1.5"})
    assert level.status_code == 400


@pytest.mark.django_db
def test_customer_import_bad_member_level_imports_nothing(client_for, manager_all):
    MemberLevel.objects.create(code="GOLD", name="金卡")
    rows = [
        ["code", "name", "member_level", "phone"],
        ["C1", "张三", "GOLD", "138"],
        ["C2", "李四", "PLATINUM", "139"],
    ]
    response = client_for(manager_all).post("/api/v1/customers/import/", {"file": csv_upload(rows)})
    assert response.status_code == 400
    assert [(r["row"], list(r["fields"])) for r in response.json()["details"]["rows"]] == [
        (3, ["member_level"])
    ]
    assert Customer.objects.count() == 0
    rows[2][2] = "GOLD"
    ok = client_for(manager_all).post("/api/v1/customers/import/", {"file": csv_upload(rows)})
    assert (ok.json()["created"], ok.json()["updated"], ok.json()["refused"]) == (2, 0, 0)


@pytest.mark.django_db
def test_supplier_export_import_round_trip(client_for, buyer):
    Supplier.objects.create(code="S1", name="供应商一", payment_terms_days=30, lead_time_days=5)
    client = client_for(buyer)
    content = client.get("/api/v1/suppliers/export/", {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:2] == ["code", "name"]
    assert rows[1][rows[0].index("payment_terms_days")] == "30"
    rows[1][1] = "供应商一(新)"
    response = client.post("/api/v1/suppliers/import/", {"file": csv_upload(rows)})
    assert (response.json()["created"], response.json()["updated"]) == (0, 1)
    assert Supplier.objects.get(code="S1").name == "供应商一(新)"
    assert Supplier.objects.get(code="S1").lead_time_days == 5
