"""系统设置 → 出入库类别: head office keeps the reason codes of stock documents
(/api/v1/reason-codes/); a used one keeps its kind and code and is deactivated, not deleted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storeledger.inventory.models import ReasonCode
from storeledger.inventory.services import documents as svc
from storeledger.inventory.services.documents import StockLineInput

pytestmark = pytest.mark.django_db

URL = "/api/v1/reason-codes/"


def _use(reason, user, warehouse, sku):
    return svc.create_and_post_stock_document(
        user=user,
        kind=reason.kind,
        warehouse_id=warehouse.id,
        reason_id=reason.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(1), unit_cost=Decimal(2))],
    )


def test_admin_creates_renames_and_deletes_an_unused_reason(client_for, admin_user):
    client = client_for(admin_user)
    made = client.post(URL, {"kind": "scrap", "code": "MOULD", "name": "霉变报损"}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["active"] is True
    assert body["in_use"] is False
    renamed = client.patch(f"{URL}{body['id']}/", {"name": "霉变"}, format="json")
    assert renamed.json()["name"] == "霉变"
    scraps = client.get(URL, {"kind": "scrap", "search": "MOULD"}).json()
    assert [r["code"] for r in scraps] == ["MOULD"]
    assert client.delete(f"{URL}{body['id']}/").status_code == 204
    assert not ReasonCode.objects.filter(pk=body["id"]).exists()


def test_a_used_reason_is_deactivated_not_deleted_and_keeps_its_code(
    client_for, admin_user, warehouse, sku
):
    client = client_for(admin_user)
    reason = ReasonCode.objects.create(kind="stock_in", code="GIFT2", name="赠品")
    _use(reason, admin_user, warehouse, sku)
    row = client.get(f"{URL}{reason.pk}/").json()
    assert row["in_use"] is True
    refused = client.delete(f"{URL}{reason.pk}/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "in_use"
    assert "Deactivate it instead" in refused.json()["message"]
    fixed = client.patch(f"{URL}{reason.pk}/", {"code": "OTHER"}, format="json")
    assert fixed.status_code == 400
    assert fixed.json()["code"] == "reason_in_use"
    assert "code" in fixed.json()["fields"]
    off = client.patch(f"{URL}{reason.pk}/", {"active": False}, format="json")
    assert off.status_code == 200
    reason.refresh_from_db()
    assert (reason.code, reason.active) == ("GIFT2", False)
    # the form's list of active reasons no longer offers it
    active = client.get(URL, {"kind": "stock_in", "active": "true"}).json()
    assert "GIFT2" not in [r["code"] for r in active]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "nonsense", "code": "X", "name": "x"},
        {"kind": "scrap", "code": "", "name": "x"},
        {"kind": "scrap", "code": "EXPIRED", "name": "again"},  # taken in its kind
        {"kind": "scrap", "code": "X" * 40, "name": "x"},
        {"kind": "scrap", "name": "x"},
    ],
)
def test_bad_reason_input_is_a_400(client_for, admin_user, body):
    before = ReasonCode.objects.count()
    answer = client_for(admin_user).post(URL, body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["fields"]
    assert ReasonCode.objects.count() == before


def test_stores_pick_reasons_but_head_office_keeps_them(client_for, manager, keeper):
    assert client_for(keeper).get(URL).status_code == 200
    assert client_for(manager).get(URL).status_code == 200
    for user in (manager, keeper):
        answer = client_for(user).post(
            URL, {"kind": "scrap", "code": "Z", "name": "z"}, format="json"
        )
        assert answer.status_code == 403
    assert not ReasonCode.objects.filter(code="Z").exists()
