"""Stock documents over the API: /api/v1/stock-ins/, stock-outs/, adjustments/, scraps/."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.inventory.models import (
    Posting,
    ReasonCode,
    StockBalance,
    StockDocument,
    StockMove,
)
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def on_hand(warehouse, sku):
    row = StockBalance.objects.filter(warehouse=warehouse, sku=sku).first()
    return row.on_hand if row else Decimal(0)


def body(warehouse, sku, quantity="5", **line):
    return {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": quantity, **line}]}


def test_stock_in_life_cycle_over_the_api(client_for, keeper, manager, warehouse, sku):
    box = sku.units.get().unit
    reason = ReasonCode.objects.get(kind="stock_in", code="GIFT")
    api = client_for(keeper)
    data = body(warehouse, sku, "2", unit=box.id, unit_cost="30.00")
    data["reason"] = reason.id
    created = api.post("/api/v1/stock-ins/", data, format="json")
    assert created.status_code == 201, created.json()
    doc = created.json()
    assert doc["status"] == "draft"
    assert doc["kind"] == "stock_in"
    assert doc["created_by"] == "keeper"
    assert doc["reason_code"] == "GIFT"
    [line] = doc["lines"]
    assert line["sku_code"] == "SKU-COLA"
    assert line["sku_name"] == "可口可乐 330ml"
    assert (line["unit_code"], line["base_unit_code"]) == ("box", "pcs")
    # the keeper may enter a cost but does not see costs (issue 8): null for him, kept
    assert (line["quantity"], line["base_quantity"], line["unit_cost"]) == (
        "2.0000",
        "24.0000",
        None,
    )
    url = f"/api/v1/stock-ins/{doc['id']}/"
    [seen_by_manager] = client_for(manager).get(url).json()["lines"]
    assert seen_by_manager["unit_cost"] == "30.0000"

    assert api.post(url + "submit/").json()["status"] == "submitted"
    assert api.post(url + "approve/").status_code == 403  # keepers do not approve
    approved = client_for(manager).post(url + "approve/")
    assert approved.json()["approved_by"] == "manager"
    posted = api.post(url + "post/")
    assert posted.status_code == 200
    assert posted.json()["status"] == "posted"
    assert posted.json()["posted_by"] == "keeper"
    assert on_hand(warehouse, sku) == Decimal(24)
    move = StockMove.objects.get()
    assert (move.quantity, move.value) == (Decimal(24), Decimal("60.0000"))

    again = api.post(url + "post/")
    assert again.status_code == 409
    assert again.json()["code"] == "state_conflict"
    assert StockMove.objects.count() == 1


def test_create_and_post_in_one_request(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    response = api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku, "10"), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "posted"
    response = api.post(
        "/api/v1/stock-outs/", {**body(warehouse, sku, "3"), "post": True}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["number"].startswith("CK-0001-")
    assert on_hand(warehouse, sku) == Decimal(7)


def test_create_and_post_without_skip_approval_is_403_and_creates_nothing(
    client_for, store, warehouse, sku
):
    clerk = factories.user("clerk", roles=(), stores=(store,))
    clerk.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="inventory",
            codename__in=["add_stockdocument", "view_stockdocument", "post_stockdocument"],
        )
    )
    api = client_for(clerk)
    response = api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "approval_required"
    assert StockDocument.objects.count() == 0
    assert StockMove.objects.count() == 0
    # positive control: a plain draft is allowed
    assert api.post("/api/v1/stock-ins/", body(warehouse, sku), format="json").status_code == 201


def test_stock_out_beyond_stock_is_409_and_changes_nothing(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku, "4"), format="json")
    response = api.post("/api/v1/stock-outs/?post=true", body(warehouse, sku, "5"), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert response.json()["details"]["available"] == "4.0000"
    assert StockDocument.objects.filter(kind="stock_out").count() == 0
    assert on_hand(warehouse, sku) == Decimal(4)


def test_shortage_names_every_short_line(client_for, keeper, warehouse, sku):
    other = factories.sku(code="SKU-TEA", name="绿茶")
    api = client_for(keeper)
    api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku, "4"), format="json")
    api.post("/api/v1/stock-ins/?post=true", body(warehouse, other, "9"), format="json")
    lines = [
        {"sku": sku.id, "quantity": "5"},  # short by 1
        {"sku": other.id, "quantity": "2"},  # enough
        {"sku": other.id, "quantity": "8"},  # short: 7 left after the line above
    ]

    response = api.post(
        "/api/v1/stock-outs/?post=true", {"warehouse": warehouse.id, "lines": lines}, format="json"
    )

    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "insufficient_stock"
    assert sorted(error["fields"]) == ["lines.0.quantity", "lines.2.quantity"]
    assert "SKU-TEA" in error["fields"]["lines.2.quantity"][0]
    assert [(s["sku"], s["requested"], s["available"]) for s in error["details"]["shortages"]] == [
        ("SKU-COLA", "5.0000", "4.0000"),
        ("SKU-TEA", "8.0000", "7.0000"),
    ]
    assert error["details"]["available"] == "4.0000"  # the first short line, as before
    assert "And 1 more line is short." in error["message"]
    assert StockDocument.objects.filter(kind="stock_out").count() == 0
    assert (on_hand(warehouse, sku), on_hand(warehouse, other)) == (Decimal(4), Decimal(9))


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"sku": 999999}, "lines.0.sku"),
        ({"quantity": "-1"}, "lines.0.quantity"),
        ({"quantity": "abc"}, "lines.0.quantity"),
        ({"unit": "kg"}, "lines.0.unit"),
        ({"location": "other"}, "lines.0.location"),
    ],
)
def test_bad_input_is_400_and_creates_nothing(
    client_for, keeper, warehouse, other_warehouse, sku, line, field
):
    line = dict(line)
    if line.get("unit") == "kg":
        line["unit"] = factories.unit("kg", "千克", 3).id
    if line.get("location") == "other":
        line["location"] = Location.objects.create(warehouse=other_warehouse, code="A1").id
    data = body(warehouse, sku)
    data["lines"][0].update(line)
    response = client_for(keeper).post("/api/v1/stock-ins/?post=true", data, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert StockDocument.objects.count() == 0
    assert StockMove.objects.count() == 0


def test_other_stores_warehouse_is_403_and_not_listed(
    client_for, keeper, admin_user, warehouse, other_warehouse, sku
):
    api = client_for(keeper)
    response = api.post("/api/v1/stock-ins/", body(other_warehouse, sku), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert StockDocument.objects.count() == 0

    boss = client_for(admin_user)
    theirs = boss.post("/api/v1/stock-ins/", body(other_warehouse, sku), format="json").json()
    mine = api.post("/api/v1/stock-ins/", body(warehouse, sku), format="json").json()
    listed = api.get("/api/v1/stock-ins/").json()
    assert [d["id"] for d in listed["results"]] == [mine["id"]]
    assert api.get(f"/api/v1/stock-ins/{theirs['id']}/").status_code == 404
    assert api.post(f"/api/v1/stock-ins/{theirs['id']}/submit/").status_code == 404
    assert [d["id"] for d in boss.get("/api/v1/stock-ins/").json()["results"]] == [
        mine["id"],
        theirs["id"],
    ]


def test_reverse_a_draft_is_409_and_reverse_a_posted_one_is_linked(
    client_for, manager, warehouse, sku
):
    api = client_for(manager)
    draft = api.post("/api/v1/stock-ins/", body(warehouse, sku), format="json").json()
    response = api.post(f"/api/v1/stock-ins/{draft['id']}/reverse/")
    assert response.status_code == 409
    assert response.json()["code"] == "state_conflict"

    posted = api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku), format="json").json()
    response = api.post(
        f"/api/v1/stock-ins/{posted['id']}/reverse/", {"notes": "wrong"}, format="json"
    )
    assert response.status_code == 201
    reversal = response.json()
    assert reversal["reversal_of"] == posted["id"]
    assert reversal["status"] == "posted"
    assert reversal["lines"][0]["quantity"] == "-5.0000"
    original = api.get(f"/api/v1/stock-ins/{posted['id']}/").json()
    assert original["status"] == "reversed"
    assert original["reversed_by"] == "manager"
    assert original["reversed_by_document"] == reversal["id"]
    assert on_hand(warehouse, sku) == Decimal(0)


def test_idempotency_key_replays_the_first_response_and_posts_once(
    client_for, keeper, warehouse, sku
):
    api = client_for(keeper)
    data = body(warehouse, sku, "3")
    first = api.post(
        "/api/v1/stock-ins/?post=true", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    second = api.post(
        "/api/v1/stock-ins/?post=true", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert StockDocument.objects.count() == 1
    assert Posting.objects.count() == 1
    assert on_hand(warehouse, sku) == Decimal(3)

    other = api.post(
        "/api/v1/stock-ins/?post=true",
        body(warehouse, sku, "4"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert StockDocument.objects.count() == 1
    assert on_hand(warehouse, sku) == Decimal(3)


def test_update_replaces_lines_and_a_stale_version_is_409(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    doc = api.post("/api/v1/adjustments/", body(warehouse, sku, "-2"), format="json").json()
    url = f"/api/v1/adjustments/{doc['id']}/"
    response = api.patch(
        url,
        {
            "version": doc["version"],
            "notes": "recount",
            "lines": [{"sku": sku.id, "quantity": "3"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == doc["version"] + 1
    assert [(ln["line_no"], ln["quantity"]) for ln in response.json()["lines"]] == [(1, "3.0000")]
    stale = api.patch(url, {"version": doc["version"], "notes": "x"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    missing = api.patch(url, {"notes": "x"}, format="json")
    assert missing.status_code == 400
    assert "version" in missing.json()["fields"]
    assert api.get(url).json()["notes"] == "recount"


def test_adjustment_zero_is_400_and_kind_routes_are_separate(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    assert (
        api.post("/api/v1/adjustments/", body(warehouse, sku, "0"), format="json").status_code
        == 400
    )
    scrap = api.post(
        "/api/v1/scraps/",
        {**body(warehouse, sku, "1"), "reason": factories.reason().id},
        format="json",
    ).json()
    assert scrap["number"].startswith("BS-0001-")
    assert api.get(f"/api/v1/stock-ins/{scrap['id']}/").status_code == 404
    assert api.get(f"/api/v1/scraps/{scrap['id']}/").status_code == 200


def test_cancel_and_delete_drafts(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    first = api.post("/api/v1/stock-outs/", body(warehouse, sku), format="json").json()
    second = api.post("/api/v1/stock-outs/", body(warehouse, sku), format="json").json()
    cancelled = api.post(f"/api/v1/stock-outs/{first['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_by"] == "keeper"
    assert api.delete(f"/api/v1/stock-outs/{second['id']}/").status_code == 204
    assert api.delete(f"/api/v1/stock-outs/{first['id']}/").status_code == 409
    assert list(StockDocument.objects.values_list("id", flat=True)) == [first["id"]]


def test_list_filters(client_for, admin_user, warehouse, other_warehouse, sku):
    api = client_for(admin_user)
    a = api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku), format="json").json()
    b = api.post("/api/v1/stock-ins/", body(other_warehouse, sku), format="json").json()

    def ids(query):
        return [d["id"] for d in api.get("/api/v1/stock-ins/" + query).json()["results"]]

    assert ids("?status=posted") == [a["id"]]
    assert ids(f"?warehouse={other_warehouse.id}") == [b["id"]]
    assert ids(f"?store={warehouse.store_id}") == [a["id"]]
    assert ids("?search=rk-0002") == [b["id"]]
    assert ids(f"?number={a['number']}") == [a["id"]]
    assert ids(f"?date_from={a['document_date']}&date_to={a['document_date']}") == [
        b["id"],
        a["id"],
    ]
    assert ids("?date_from=2999-01-01") == []


def test_reason_codes_filter_by_kind(client_for, keeper):
    response = client_for(keeper).get("/api/v1/reason-codes/?kind=scrap")
    assert response.status_code == 200
    assert [r["code"] for r in response.json()] == ["DAMAGED", "EXPIRED", "LOST"]


def test_list_query_count_does_not_grow_with_rows(client_for, admin_user, warehouse, sku):
    api = client_for(admin_user)

    def count_list_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/stock-ins/").status_code == 200
            assert api.get("/api/v1/transfers/").status_code == 200
        return len(ctx.captured_queries)

    api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku), format="json")
    few = count_list_queries()
    for _ in range(4):
        api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku), format="json")
    assert count_list_queries() == few


def test_posted_lines_carry_the_value_they_moved(client_for, manager, warehouse, sku):
    api = client_for(manager)  # a role that sees costs (keepers get null: test_cost_visibility)
    lines = [{"sku": sku.id, "quantity": "10", "unit_cost": "2.50"}]
    stock_in = api.post(
        "/api/v1/stock-ins/?post=true", {"warehouse": warehouse.id, "lines": lines}, format="json"
    ).json()
    assert [line["value"] for line in stock_in["lines"]] == ["25.0000"]
    draft = api.post(
        "/api/v1/stock-outs/", {**body(warehouse, sku, "4"), "post": False}, format="json"
    ).json()
    assert [line["value"] for line in draft["lines"]] == [None]  # not posted yet
    posted = api.post("/api/v1/stock-outs/?post=true", body(warehouse, sku, "4"), format="json")
    # issued at the moving average (2.50 a piece)
    assert [line["value"] for line in posted.json()["lines"]] == ["10.0000"]
    again = api.get(f"/api/v1/stock-outs/{posted.json()['id']}/").json()
    assert [line["value"] for line in again["lines"]] == ["10.0000"]


def test_notes_longer_than_a_document_holds_are_400(client_for, keeper, warehouse, sku):
    from storeledger.core.documents import NOTES_MAX_LENGTH

    api = client_for(keeper)
    data = body(warehouse, sku)

    too_long = {**data, "notes": "长" * (NOTES_MAX_LENGTH + 1)}
    refused = api.post("/api/v1/stock-ins/", too_long, format="json")
    kept = api.post("/api/v1/stock-ins/", {**data, "notes": "长" * NOTES_MAX_LENGTH}, format="json")

    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["notes"]
    assert kept.status_code == 201
    assert StockDocument.objects.get().notes == "长" * NOTES_MAX_LENGTH


def test_a_scrap_without_a_reason_is_a_400_on_reason(client_for, admin_user, warehouse, sku):
    api = client_for(admin_user)
    api.post("/api/v1/stock-ins/?post=true", body(warehouse, sku, unit_cost="2"), format="json")
    expected = {
        "code": "reason_required",
        "message": "A scrap needs a reason: say why the goods are scrapped.",
        "fields": {"reason": ["Choose why the goods are scrapped."]},
        "details": {},
    }
    documents = StockDocument.objects.count()
    for query in ("", "?post=true"):
        refused = api.post(f"/api/v1/scraps/{query}", body(warehouse, sku, "1"), format="json")
        assert (refused.status_code, refused.json()) == (400, expected)
    nulled = api.post(
        "/api/v1/scraps/", {**body(warehouse, sku, "1"), "reason": None}, format="json"
    )
    assert (nulled.status_code, nulled.json()) == (400, expected)
    chinese = api.post(
        "/api/v1/scraps/", body(warehouse, sku, "1"), format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert chinese.json()["message"] == "报损单必须填写报损原因：请说明商品为何报损。"
    assert chinese.json()["fields"] == {"reason": ["请选择报损原因。"]}
    assert StockDocument.objects.count() == documents

    damaged = factories.reason()
    draft = api.post(
        "/api/v1/scraps/", {**body(warehouse, sku, "1"), "reason": damaged.id}, format="json"
    ).json()
    url = f"/api/v1/scraps/{draft['id']}/"
    cleared = api.patch(url, {"version": draft["version"], "reason": None}, format="json")
    assert (cleared.status_code, cleared.json()) == (400, expected)
    assert api.get(url).json()["reason"] == damaged.id

    # a draft saved before the rule, without a reason: posting it asks for one
    StockDocument.objects.filter(pk=draft["id"]).update(reason=None)
    for action in ("submit", "post"):
        refused = api.post(url + f"{action}/")
        assert (refused.status_code, refused.json()) == (400, expected)
    assert (api.get(url).json()["status"], on_hand(warehouse, sku)) == ("draft", Decimal(5))
    fixed = api.patch(url, {"version": draft["version"], "reason": damaged.id}, format="json")
    assert fixed.status_code == 200, fixed.json()
    posted = api.post(url + "post/")
    assert (posted.status_code, posted.json()["reason_code"]) == (200, "DAMAGED")
    assert on_hand(warehouse, sku) == Decimal(4)

    # the other kinds may still leave the reason out
    stock_out = api.post("/api/v1/stock-outs/?post=true", body(warehouse, sku, "1"), format="json")
    assert (stock_out.status_code, stock_out.json()["reason"]) == (201, None)
