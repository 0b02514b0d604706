"""Members' names and phone numbers are masked for roles without the member-data permission,
and only that permission exports customers (security probe S11)."""

import pytest
from rest_framework.test import APIClient

from storeledger.partners.models import Customer, MemberLevel
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    gold = MemberLevel.objects.create(code="GOLD", name="金卡")
    member = Customer.objects.create(
        code="M0001",
        name="王丽娟",
        contact="王丽娟",
        phone="13812345678",
        address="上海市徐汇区 1 弄",
        member_level=gold,
        member_card_no="XS20240037",
    )
    company = Customer.objects.create(code="C01", name="鲜果贸易有限公司", phone="021-5555")
    return member, company


def client_of(username, role, store):
    client = APIClient()
    client.force_authenticate(factories.user(username, roles=(role,), stores=(store,)))
    return client


def by_code(response):
    assert response.status_code == 200
    return {row["code"]: row for row in response.json()["results"]}


def test_a_cashier_sees_members_masked_and_cannot_export(people, store):
    cashier = client_of("cashier1", "cashier", store)
    rows = by_code(cashier.get("/api/v1/customers/"))
    member = rows["M0001"]
    assert (member["name"], member["contact"], member["phone"]) == ("王**", "王**", "138****5678")
    assert member["member_card_no"] == "******0037"
    assert member["address"] == "***"
    assert rows["C01"]["name"] == "鲜果贸易有限公司"  # a company is not personal data
    detail = cashier.get(f"/api/v1/customers/{people[0].id}/").json()
    assert detail["phone"] == "138****5678"
    # finding a member by the full phone number still works, the answer stays masked
    found = by_code(cashier.get("/api/v1/customers/", {"search": "13812345678"}))
    assert found["M0001"]["phone"] == "138****5678"
    export = cashier.get("/api/v1/customers/export/", {"format": "csv"})
    assert export.status_code == 403


def test_a_store_manager_sees_and_exports_member_data(people, store):
    manager = client_of("manager1", "store_manager", store)
    member = by_code(manager.get("/api/v1/customers/"))["M0001"]
    assert (member["name"], member["phone"]) == ("王丽娟", "13812345678")
    export = manager.get("/api/v1/customers/export/", {"format": "csv"})
    assert export.status_code == 200
    assert "13812345678" in export.content.decode("utf-8-sig")
