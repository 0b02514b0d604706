"""系统设置 → 单据编号 (/api/v1/document-numbering/): every document kind's series of a day per
store; head office moves a series' next number up, never down, and never onto a number a
document already has."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from storeledger.core.models import DocumentSequence
from storeledger.inventory.services import documents as svc
from storeledger.inventory.services.documents import StockLineInput
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/document-numbering/"


def _stock_in(user, warehouse, sku):
    return svc.create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(1), unit_cost=Decimal(2))],
    )


def test_series_list_every_kind_with_the_next_number(client_for, admin_user, warehouse, sku):
    _stock_in(admin_user, warehouse, sku)
    rows = client_for(admin_user).get(URL, {"store": warehouse.store_id}).json()
    kinds = {row["kind"]: row for row in rows}
    assert {"stock_in", "stock_out", "adjustment", "scrap", "transfer", "stock_count"} <= set(kinds)
    stock_in = kinds["stock_in"]
    day = timezone.localdate()
    assert stock_in["prefix"] == "RK"
    assert stock_in["pattern"] == "RK-{store}-{yyyymmdd}-{nnnn}"
    assert stock_in["last_number"] == 1
    assert stock_in["next"] == f"RK-0001-{day:%Y%m%d}-0002"
    assert stock_in["label"] == "Other stock-in"
    assert kinds["scrap"]["last_number"] == 0


def test_moving_the_next_number_up_and_the_next_document_takes_it(
    client_for, admin_user, warehouse, sku
):
    client = client_for(admin_user)
    body = {"kind": "stock_in", "store": warehouse.store_id, "next_number": 120}
    answer = client.post(f"{URL}set-next/", body, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["next_number"] == 120
    document = _stock_in(admin_user, warehouse, sku)
    assert document.number.endswith("-0120")
    # down, or to a number already handed out: refused, nothing changed
    for number in (120, 5):
        refused = client.post(f"{URL}set-next/", {**body, "next_number": number}, format="json")
        assert refused.status_code == 400
        assert refused.json()["code"] == "number_not_above"
        assert refused.json()["details"] == {"last_number": 120}
    assert DocumentSequence.objects.get(prefix="RK").last_number == 120


def test_a_document_number_above_the_series_is_never_handed_out_again(
    client_for, admin_user, warehouse, sku
):
    document = _stock_in(admin_user, warehouse, sku)
    # the series row was reset by hand: the documents still decide
    DocumentSequence.objects.filter(prefix="RK").update(last_number=0)
    answer = client_for(admin_user).post(
        f"{URL}set-next/",
        {"kind": "stock_in", "store": warehouse.store_id, "next_number": 1},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["details"] == {"last_number": 1}
    assert document.number.endswith("-0001")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "nope", "next_number": 5},
        {"next_number": 0},
        {"next_number": 10**7},
        {"next_number": "x"},
        {"store": 999999, "next_number": 5},
        {"day": "2026-13-40", "next_number": 5},
        {"kind": None, "next_number": 5},
    ],
)
def test_bad_numbering_input_is_a_400(client_for, admin_user, store, body):
    payload = {"kind": "stock_in", "store": store.pk, **body}
    answer = client_for(admin_user).post(f"{URL}set-next/", payload, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["fields"]
    assert not DocumentSequence.objects.exists()


def test_numbering_is_head_office_and_scoped(client_for, manager, store, other_store):
    assert client_for(manager).get(URL).status_code == 403
    body = {"kind": "stock_in", "store": store.pk, "next_number": 9}
    assert client_for(manager).post(f"{URL}set-next/", body, format="json").status_code == 403
    local_admin = factories.user("local-admin", roles=("admin",), stores=(store,))
    client = client_for(local_admin)
    assert {row["store"] for row in client.get(URL).json()} == {store.pk}
    other = {**body, "store": other_store.pk}
    refused = client.post(f"{URL}set-next/", other, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "out_of_scope"
    assert client.get(URL, {"day": "yesterday"}).status_code == 400
