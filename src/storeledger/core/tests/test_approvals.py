"""The approval engine (core.approvals) on inventory's stock documents: the built-in rules
(security probe S8: a keeper no longer posts a large stock-out alone), levels, approver ≠
requester, reject, resubmit, cancel, the inbox and the rules API."""

from decimal import Decimal

import pytest

from storeledger.core.models import ApprovalLevel, ApprovalRule, ApprovalStep
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import StockBalance, StockDocument
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

OUTS = "/api/v1/stock-outs/"


@pytest.fixture
def stocked(warehouse, sku):
    """1,000 pieces at 5.00 (a stock-out of more than 400 is worth more than ¥2,000)."""
    factories.posting(
        "seed", [MoveRequest(warehouse.id, sku.id, Decimal(1000), "stock_in", unit_cost=Decimal(5))]
    )
    return sku


def on_hand(warehouse, sku):
    return StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand


def out_body(warehouse, sku, quantity):
    return {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": quantity}]}


def submitted(api, warehouse, sku, quantity="500"):
    doc = api.post(OUTS, out_body(warehouse, sku, quantity), format="json").json()
    response = api.post(f"{OUTS}{doc['id']}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_builtin_rules_exist():
    rules = {r.key: r for r in ApprovalRule.objects.filter(key__startswith="inventory.")}
    assert set(rules) == {
        "inventory.stock_out.amount",
        "inventory.scrap.amount",
        "inventory.adjustment.amount",
        "inventory.stock_in.amount",
    }
    assert rules["inventory.stock_out.amount"].amount_above == Decimal("2000")
    assert rules["inventory.stock_in.amount"].amount_above == Decimal("5000")
    assert [(lv.role, lv.scope) for lv in rules["inventory.scrap.amount"].levels.all()] == [
        ("store_manager", "document_store")
    ]


def test_keeper_cannot_post_a_large_stock_out_alone(client_for, keeper, warehouse, stocked):
    # security probe S8: this answered 201 and posted 500 pieces (¥2,500) with no second person
    response = client_for(keeper).post(
        OUTS + "?post=true", out_body(warehouse, stocked, "500"), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "approval_required"
    assert response.json()["details"] == {"levels": ["store_manager"]}
    assert on_hand(warehouse, stocked) == Decimal(1000)
    assert not StockDocument.objects.exists()
    # positive control: a small one (¥500) still posts at once
    small = client_for(keeper).post(
        OUTS + "?post=true", out_body(warehouse, stocked, "100"), format="json"
    )
    assert small.status_code == 201
    assert on_hand(warehouse, stocked) == Decimal(900)


@pytest.mark.parametrize(
    ("resource", "quantity", "line"),
    [
        ("/api/v1/scraps/", "401", {}),
        ("/api/v1/adjustments/", "-401", {}),
        ("/api/v1/stock-ins/", "1001", {"unit_cost": "5.00"}),
    ],
)
def test_large_scraps_adjustments_and_stock_ins_need_approval_too(
    client_for, keeper, warehouse, stocked, resource, quantity, line
):
    data = {"warehouse": warehouse.id, "lines": [{"sku": stocked.id, "quantity": quantity, **line}]}
    if resource == "/api/v1/scraps/":
        data["reason"] = factories.reason().id  # a scrap says why
    response = client_for(keeper).post(resource + "?post=true", data, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "approval_required"


def test_a_draft_that_needs_approval_does_not_offer_post(client_for, keeper, warehouse, stocked):
    api = client_for(keeper)
    large = api.post(OUTS, out_body(warehouse, stocked, "500"), format="json").json()
    small = api.post(OUTS, out_body(warehouse, stocked, "10"), format="json").json()
    assert large["available_actions"] == ["submit", "cancel"]
    assert small["available_actions"] == ["submit", "post", "cancel"]
    listed = {d["id"]: d["available_actions"] for d in api.get(OUTS).json()["results"]}
    assert listed == {large["id"]: ["submit", "cancel"], small["id"]: ["submit", "post", "cancel"]}


def test_manager_approves_from_the_inbox_then_the_keeper_posts(
    client_for, keeper, manager, warehouse, stocked
):
    api = client_for(keeper)
    doc = submitted(api, warehouse, stocked)
    url = f"{OUTS}{doc['id']}/"
    [step] = doc["approval"]["steps"]
    assert doc["approval"]["pending_step"] == step["id"]
    assert doc["approval"]["can_decide"] is False
    assert (step["role"], step["status"], step["requested_by"]) == (
        "store_manager",
        "pending",
        "keeper",
    )
    assert doc["available_actions"] == ["cancel"]
    refused = api.post(url + "post/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "approval_required"

    boss = client_for(manager)
    inbox = boss.get("/api/v1/approvals/").json()
    assert inbox["count"] == 1
    [item] = inbox["results"]
    assert (item["id"], item["document_number"], item["amount"], item["url"]) == (
        step["id"],
        doc["number"],
        "2500.0000",
        url,
    )
    assert item["document_kind"] == "stock_out"
    assert boss.get("/api/v1/approvals/count/").json() == {"count": 1}
    assert client_for(keeper).get("/api/v1/approvals/").json()["count"] == 0
    seen = boss.get(url).json()
    assert seen["approval"]["can_decide"] is True
    assert "approve" in seen["available_actions"]

    decided = boss.post(
        f"/api/v1/approvals/{step['id']}/approve/", {"comment": "盘点后确认"}, format="json"
    )
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["decided_by"]) == ("approved", "manager")
    assert boss.get("/api/v1/approvals/count/").json() == {"count": 0}
    approved = api.get(url).json()
    assert (approved["status"], approved["approved_by"]) == ("approved", "manager")
    assert approved["approval"]["steps"][0]["comment"] == "盘点后确认"
    assert api.post(url + "post/").status_code == 200
    assert on_hand(warehouse, stocked) == Decimal(500)


def test_nobody_approves_their_own_document(client_for, manager, store, warehouse, stocked):
    other = factories.user("manager2", roles=("store_manager",), stores=(store,))
    doc = submitted(client_for(manager), warehouse, stocked)
    step = doc["approval"]["pending_step"]
    own = client_for(manager).post(f"{OUTS}{doc['id']}/approve/")
    assert own.status_code == 409
    assert own.json()["code"] == "approval_self"
    assert client_for(manager).get("/api/v1/approvals/").json()["count"] == 0
    assert client_for(other).post(f"/api/v1/approvals/{step}/approve/").status_code == 200


def test_another_role_or_store_is_not_your_level(
    client_for, keeper, manager, store, other_store, warehouse, stocked
):
    doc = submitted(client_for(keeper), warehouse, stocked)
    step = doc["approval"]["pending_step"]
    second_keeper = factories.user("keeper2", roles=("warehouse_keeper",), stores=(store,))
    response = client_for(second_keeper).post(f"/api/v1/approvals/{step}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == "approval_not_your_level"
    elsewhere = factories.user("manager9", roles=("store_manager",), stores=(other_store,))
    assert client_for(elsewhere).get("/api/v1/approvals/").json()["count"] == 0
    assert client_for(elsewhere).post(f"/api/v1/approvals/{step}/approve/").status_code == 404
    assert ApprovalStep.objects.get(pk=step).status == "pending"


def test_two_levels_need_two_people(client_for, keeper, manager, store, warehouse, stocked):
    rule = ApprovalRule.objects.get(key="inventory.stock_out.amount")
    ApprovalLevel.objects.create(rule=rule, sequence=2, role="admin", scope="head_office")
    both = factories.user("both", roles=("store_manager", "admin"), all_stores=True)
    head = factories.user("head", roles=("admin",), all_stores=True)
    doc = submitted(client_for(keeper), warehouse, stocked)
    first, second = doc["approval"]["steps"]
    assert (first["status"], second["status"]) == ("pending", "waiting")
    assert client_for(both).post(f"/api/v1/approvals/{first['id']}/approve/").status_code == 200
    after_one = client_for(keeper).get(f"{OUTS}{doc['id']}/").json()
    assert after_one["status"] == "submitted"
    assert after_one["approval"]["pending_step"] == second["id"]
    twice = client_for(both).post(f"/api/v1/approvals/{second['id']}/approve/")
    assert twice.status_code == 409
    assert twice.json()["code"] == "approval_twice"
    assert client_for(manager).post(f"/api/v1/approvals/{second['id']}/approve/").status_code == 403
    assert client_for(head).post(f"/api/v1/approvals/{second['id']}/approve/").status_code == 200
    final = client_for(keeper).get(f"{OUTS}{doc['id']}/").json()
    assert (final["status"], final["approved_by"]) == ("approved", "head")
    assert [s["decided_by"] for s in final["approval"]["steps"]] == ["both", "head"]


@pytest.mark.parametrize("body", [{}, {"comment": ""}, {"comment": "   "}])
def test_a_rejection_says_why(body, client_for, keeper, manager, warehouse, stocked):
    doc = submitted(client_for(keeper), warehouse, stocked)
    step = doc["approval"]["pending_step"]

    refused = client_for(manager).post(f"/api/v1/approvals/{step}/reject/", body, format="json")

    assert refused.status_code == 400
    assert refused.json()["code"] == "comment_required"
    assert list(refused.json()["fields"]) == ["comment"]
    still = client_for(keeper).get(f"{OUTS}{doc['id']}/").json()
    assert (still["status"], still["approval"]["pending_step"]) == ("submitted", step)


def test_reject_sends_back_to_draft_and_resubmit_starts_again(
    client_for, keeper, manager, warehouse, stocked
):
    api = client_for(keeper)
    doc = submitted(api, warehouse, stocked)
    step = doc["approval"]["pending_step"]
    rejected = client_for(manager).post(
        f"/api/v1/approvals/{step}/reject/", {"comment": "数量不对"}, format="json"
    )
    assert rejected.status_code == 200
    back = api.get(f"{OUTS}{doc['id']}/").json()
    assert back["status"] == "draft"
    assert [(s["status"], s["comment"]) for s in back["approval"]["steps"]] == [
        ("rejected", "数量不对")
    ]
    again = client_for(manager).post(f"/api/v1/approvals/{step}/approve/")
    assert again.status_code == 409
    assert again.json()["code"] == "approval_decided"
    resubmitted = api.post(f"{OUTS}{doc['id']}/submit/").json()
    assert [(s["round"], s["status"]) for s in resubmitted["approval"]["steps"]] == [
        (1, "rejected"),
        (2, "pending"),
    ]
    cancelled = api.post(f"{OUTS}{doc['id']}/cancel/").json()
    assert [s["status"] for s in cancelled["approval"]["steps"]] == ["rejected", "cancelled"]
    assert client_for(manager).get("/api/v1/approvals/count/").json() == {"count": 0}


def test_without_a_matching_rule_approval_works_as_before_and_is_recorded(
    client_for, admin_user, warehouse, stocked
):
    api = client_for(admin_user)
    doc = submitted(api, warehouse, stocked, "10")
    assert doc["approval"] == {"pending_step": None, "can_decide": False, "steps": []}
    approved = api.post(f"{OUTS}{doc['id']}/approve/")
    assert approved.status_code == 200
    [step] = approved.json()["approval"]["steps"]
    assert (step["role"], step["status"], step["decided_by"]) == ("", "approved", "boss")


def test_a_deactivated_rule_no_longer_applies(client_for, keeper, warehouse, stocked):
    ApprovalRule.objects.filter(key="inventory.stock_out.amount").update(active=False)
    response = client_for(keeper).post(
        OUTS + "?post=true", out_body(warehouse, stocked, "500"), format="json"
    )
    assert response.status_code == 201


# ---------------------------------------------------------------- rules API


def rule_body(**changes):
    return {
        "document_type": "stockdocument",
        "document_kind": "scrap",
        "name": "报损数量超过 50",
        "quantity_above": "50",
        "levels": [{"sequence": 1, "role": "store_manager", "scope": "document_store"}],
        **changes,
    }


def test_administrators_keep_the_rules(client_for, admin_user, keeper, warehouse, stocked):
    api = client_for(admin_user)
    created = api.post("/api/v1/approval-rules/", rule_body(), format="json")
    assert created.status_code == 201, created.json()
    rule = created.json()
    assert (rule["builtin"], rule["quantity_above"], rule["levels"][0]["role"]) == (
        False,
        "50.0000",
        "store_manager",
    )
    # now a scrap of 60 pieces (¥300) needs approval by quantity
    scrap = {
        "warehouse": warehouse.id,
        "reason": factories.reason().id,
        "lines": [{"sku": stocked.id, "quantity": "60"}],
    }
    refused = client_for(keeper).post("/api/v1/scraps/?post=true", scrap, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "approval_required"
    changed = api.patch(
        f"/api/v1/approval-rules/{rule['id']}/", {"quantity_above": "100"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["levels"] == rule["levels"]
    assert (
        client_for(keeper).post("/api/v1/scraps/?post=true", scrap, format="json").status_code
        == 201
    )
    assert api.delete(f"/api/v1/approval-rules/{rule['id']}/").status_code == 204
    builtin = ApprovalRule.objects.get(key="inventory.scrap.amount")
    kept = api.delete(f"/api/v1/approval-rules/{builtin.id}/")
    assert kept.status_code == 409
    assert kept.json()["code"] == "builtin_rule"
    types = api.get("/api/v1/approval-rules/document-types/").json()
    assert {
        "key": "stockdocument",
        "kinds": ["stock_in", "stock_out", "adjustment", "scrap"],
    } in types


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"document_type": "nothing"}, "unknown_document_type", "document_type"),
        ({"document_kind": "transfer"}, "unknown_document_kind", "document_kind"),
        ({"levels": []}, "no_levels", "levels"),
        (
            {"levels": [{"sequence": 1, "role": "pope"}]},
            "unknown_role",
            "levels.0.role",
        ),
        (
            {"levels": [{"sequence": 1, "role": "admin"}, {"sequence": 1, "role": "buyer"}]},
            "duplicate_sequence",
            "levels",
        ),
    ],
)
def test_bad_rules_are_refused(client_for, admin_user, changes, code, field):
    response = client_for(admin_user).post(
        "/api/v1/approval-rules/", rule_body(**changes), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["fields"]
    assert not ApprovalRule.objects.filter(name="报损数量超过 50").exists()


def test_only_administrators_change_rules(client_for, manager, keeper):
    assert client_for(manager).get("/api/v1/approval-rules/").status_code == 200
    assert (
        client_for(manager).post("/api/v1/approval-rules/", rule_body(), format="json").status_code
        == 403
    )
    assert client_for(keeper).delete("/api/v1/approval-rules/1/").status_code == 403


def test_the_pdf_prints_the_approval_history(client_for, keeper, manager, warehouse, stocked):
    from storeledger.printing import documents as printing

    api = client_for(keeper)
    doc = submitted(api, warehouse, stocked)
    client_for(manager).post(
        f"/api/v1/approvals/{doc['approval']['pending_step']}/reject/",
        {"comment": "请核对数量"},
        format="json",
    )
    again = api.post(f"{OUTS}{doc['id']}/submit/").json()
    client_for(manager).post(
        f"/api/v1/approvals/{again['approval']['pending_step']}/approve/",
        {"comment": "同意"},
        format="json",
    )
    sheet = printing.document_sheet(user=keeper, document_type="stock_out", document_id=doc["id"])
    assert [(row[0], row[1], row[2], row[3], row[5]) for row in sheet.approvals] == [
        ("1.1", "Store manager", "Rejected", "manager", "请核对数量"),
        ("2.1", "Store manager", "Approved", "manager", "同意"),
    ]
    response = api.get(f"{OUTS}{doc['id']}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
