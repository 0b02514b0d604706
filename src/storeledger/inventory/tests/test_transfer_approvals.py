"""Transfers in the approval engine (core.approvals): a submitted transfer waits in the
approvals inbox (待审批) of whoever may approve it — its source store's manager, by the approve
permission as before, when no rule asks more — and is approved or rejected there with a
comment or on the transfer itself; rules may target transfers (valued at the source
warehouse's average cost)."""

from decimal import Decimal

import pytest

from storeledger.core.models import ApprovalStep
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import Transfer
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

TRANSFERS = "/api/v1/transfers/"
INBOX = "/api/v1/approvals/"


@pytest.fixture
def stocked(warehouse, sku):
    """100 pieces at 5.00 in the source warehouse (a case of 12 is worth 60.00)."""
    factories.posting(
        "seed", [MoveRequest(warehouse.id, sku.id, Decimal(100), "stock_in", unit_cost=Decimal(5))]
    )
    return sku


@pytest.fixture
def elsewhere(other_store):
    """The destination store's manager: the transfer is not theirs to approve."""
    return factories.user("manager2", roles=("store_manager",), stores=(other_store,))


def submitted(api, warehouse, other_warehouse, sku, cases="1"):
    box = sku.units.get().unit
    created = api.post(
        TRANSFERS,
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "unit": box.id, "quantity": cases}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    response = api.post(f"{TRANSFERS}{created.json()['id']}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_submitted_transfer_waits_in_the_source_managers_inbox_only(
    client_for, keeper, manager, elsewhere, admin_user, warehouse, other_warehouse, stocked
):
    doc = submitted(client_for(keeper), warehouse, other_warehouse, stocked)
    [step] = doc["approval"]["steps"]
    assert (step["role"], step["status"], step["requested_by"]) == ("", "pending", "keeper")
    assert doc["approval"]["pending_step"] == step["id"]
    assert doc["approval"]["can_decide"] is False  # the keeper submits, the manager approves
    assert doc["available_actions"] == ["cancel"]

    boss = client_for(manager)
    inbox = boss.get(INBOX).json()
    assert inbox["count"] == 1
    [item] = inbox["results"]
    assert (item["id"], item["document_number"], item["document_kind"]) == (
        step["id"],
        doc["number"],
        "transfer",
    )
    # 12 pieces at the source warehouse's average cost of 5.00
    assert (item["amount"], item["quantity"]) == ("60.0000", "12.0000")
    assert (item["resource"], item["url"]) == ("transfers", f"{TRANSFERS}{doc['id']}/")
    assert boss.get(f"{INBOX}count/").json() == {"count": 1}
    seen = boss.get(f"{TRANSFERS}{doc['id']}/").json()
    assert seen["approval"]["can_decide"] is True
    assert "approve" in seen["available_actions"]
    # head office approves transfers as before (the approve permission in every store)
    assert client_for(admin_user).get(f"{INBOX}count/").json() == {"count": 1}

    # not the destination's manager, not a keeper
    assert client_for(elsewhere).get(f"{INBOX}count/").json() == {"count": 0}
    assert client_for(elsewhere).post(f"{INBOX}{step['id']}/approve/").status_code == 404
    assert client_for(keeper).get(f"{INBOX}count/").json() == {"count": 0}
    refused = client_for(keeper).post(f"{INBOX}{step['id']}/approve/")
    assert refused.status_code == 403
    assert ApprovalStep.objects.get(pk=step["id"]).status == "pending"


def test_approved_from_the_inbox_with_a_comment_then_shipped(
    client_for, keeper, manager, warehouse, other_warehouse, stocked
):
    api = client_for(keeper)
    doc = submitted(api, warehouse, other_warehouse, stocked)
    url = f"{TRANSFERS}{doc['id']}/"
    assert api.post(url + "ship/").status_code == 403  # still needs approval
    step = doc["approval"]["pending_step"]
    decided = client_for(manager).post(
        f"{INBOX}{step}/approve/", {"comment": "同意调拨"}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    assert (decided.json()["status"], decided.json()["decided_by"]) == ("approved", "manager")
    approved = api.get(url).json()
    assert (approved["status"], approved["approved_by"]) == ("approved", "manager")
    assert [
        (s["status"], s["decided_by"], s["comment"]) for s in approved["approval"]["steps"]
    ] == [("approved", "manager", "同意调拨")]
    assert "ship" in approved["available_actions"]
    assert client_for(manager).get(f"{INBOX}count/").json() == {"count": 0}
    shipped = api.post(url + "ship/")
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"


def test_rejected_from_the_inbox_goes_back_to_draft_with_the_comment(
    client_for, keeper, manager, warehouse, other_warehouse, stocked
):
    api = client_for(keeper)
    doc = submitted(api, warehouse, other_warehouse, stocked)
    url = f"{TRANSFERS}{doc['id']}/"
    step = doc["approval"]["pending_step"]
    rejected = client_for(manager).post(
        f"{INBOX}{step}/reject/", {"comment": "二号店不缺货"}, format="json"
    )
    assert rejected.status_code == 200
    back = api.get(url).json()
    assert back["status"] == "draft"
    assert [(s["status"], s["comment"]) for s in back["approval"]["steps"]] == [
        ("rejected", "二号店不缺货")
    ]
    assert client_for(manager).post(f"{INBOX}{step}/approve/").json()["code"] == "approval_decided"
    again = api.post(url + "submit/").json()
    assert [(s["round"], s["status"]) for s in again["approval"]["steps"]] == [
        (1, "rejected"),
        (2, "pending"),
    ]
    cancelled = api.post(url + "cancel/").json()
    assert [s["status"] for s in cancelled["approval"]["steps"]] == ["rejected", "cancelled"]
    assert client_for(manager).get(f"{INBOX}count/").json() == {"count": 0}


def test_the_transfers_own_approve_decides_the_same_step(
    client_for, keeper, manager, warehouse, other_warehouse, stocked
):
    doc = submitted(client_for(keeper), warehouse, other_warehouse, stocked)
    url = f"{TRANSFERS}{doc['id']}/"
    approved = client_for(manager).post(url + "approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert [
        (s["id"], s["status"], s["decided_by"]) for s in approved.json()["approval"]["steps"]
    ] == [(doc["approval"]["pending_step"], "approved", "manager")]
    assert client_for(manager).get(f"{INBOX}count/").json() == {"count": 0}


def test_a_manager_approves_or_ships_their_own_transfer_as_before(
    client_for, manager, warehouse, other_warehouse, stocked
):
    # today's rule: a transfer's approve permission includes its creator (no four eyes on
    # transfers unless a rule asks for it) — the inbox offers what the button allows
    api = client_for(manager)
    first = submitted(api, warehouse, other_warehouse, stocked)
    assert api.get(f"{INBOX}count/").json() == {"count": 1}
    step = first["approval"]["pending_step"]
    assert api.post(f"{INBOX}{step}/approve/").status_code == 200
    assert Transfer.objects.get(pk=first["id"]).status == "approved"

    # shipping a submitted transfer past approval (the skip permission) closes its step
    second = submitted(api, warehouse, other_warehouse, stocked)
    assert "ship" in second["available_actions"]
    shipped = api.post(f"{TRANSFERS}{second['id']}/ship/")
    assert shipped.status_code == 200, shipped.json()
    assert [s["status"] for s in shipped.json()["approval"]["steps"]] == ["cancelled"]
    assert api.get(f"{INBOX}count/").json() == {"count": 0}


def test_rules_target_transfers_by_amount(
    client_for, admin_user, keeper, manager, store, warehouse, other_warehouse, stocked
):
    other = factories.user("manager3", roles=("store_manager",), stores=(store,))
    rules = client_for(admin_user)
    types = rules.get("/api/v1/approval-rules/document-types/").json()
    assert {"key": "transfer", "kinds": ["transfer"]} in types
    rule = {
        "name": "调拨金额超过 ¥100 需店长审批",
        "document_type": "transfer",
        "amount_above": "100",
        "levels": [{"sequence": 1, "role": "store_manager", "scope": "document_store"}],
    }
    assert rules.post("/api/v1/approval-rules/", rule, format="json").status_code == 201

    # 2 cases = 24 × 5.00 = 120.00: the rule's level, four eyes included
    api = client_for(manager)
    large = submitted(api, warehouse, other_warehouse, stocked, cases="2")
    [step] = large["approval"]["steps"]
    assert (step["role"], step["rule_name"]) == ("store_manager", rule["name"])
    assert ApprovalStep.objects.get(pk=step["id"]).amount == Decimal("120")
    assert "ship" not in large["available_actions"]
    refused = api.post(f"{TRANSFERS}{large['id']}/ship/")
    assert (refused.status_code, refused.json()["code"]) == (403, "approval_required")
    own = api.post(f"{TRANSFERS}{large['id']}/approve/")
    assert (own.status_code, own.json()["code"]) == (409, "approval_self")
    assert client_for(other).post(f"{INBOX}{step['id']}/approve/").status_code == 200

    # 1 case = 60.00: no rule matches, by permission as before
    small = submitted(client_for(keeper), warehouse, other_warehouse, stocked)
    assert [s["role"] for s in small["approval"]["steps"]] == [""]


def test_transfers_submitted_before_the_upgrade_join_the_inbox(
    client_for, keeper, manager, warehouse, other_warehouse, stocked
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "storeledger.inventory.migrations.0016_submitted_transfers_in_the_inbox"
    )
    api = client_for(keeper)
    old = submitted(api, warehouse, other_warehouse, stocked)
    ApprovalStep.objects.filter(document_id=old["id"]).delete()  # as submitted before
    new = submitted(api, warehouse, other_warehouse, stocked)
    assert client_for(manager).get(f"{INBOX}count/").json() == {"count": 1}

    migration.add_steps(apps, None)
    migration.add_steps(apps, None)  # once per transfer

    [step] = ApprovalStep.objects.filter(document_id=old["id"])
    assert (step.role, step.status, step.store_id, step.requested_by_id, step.round) == (
        "",
        "pending",
        warehouse.store_id,
        keeper.id,
        1,
    )
    assert ApprovalStep.objects.filter(document_id=new["id"]).count() == 1
    assert client_for(manager).get(f"{INBOX}count/").json() == {"count": 2}
    decided = client_for(manager).post(f"{INBOX}{step.id}/approve/")
    assert decided.status_code == 200
    assert Transfer.objects.get(pk=old["id"]).status == "approved"


def test_a_manager_given_the_source_warehouse_finds_and_decides_it_in_the_inbox(
    client_for, keeper, warehouse, other_warehouse, other_store, stocked
):
    """A manager of store 2 given the source warehouse WH01 (not its store) may approve a
    transfer out of WH01 on the transfer itself (its condition: the source warehouse in scope);
    the inbox shows them its step, opens it and takes the decision there as well. Another
    manager of store 2 without WH01 sees nothing and is answered 404 for the step."""
    doc = submitted(client_for(keeper), warehouse, other_warehouse, stocked)
    [step] = doc["approval"]["steps"]
    given = factories.user(
        "manager_wh01", roles=("store_manager",), stores=(other_store,), warehouses=(warehouse,)
    )
    api = client_for(given)
    seen = api.get(f"{TRANSFERS}{doc['id']}/").json()
    assert "approve" in seen["available_actions"] and seen["approval"]["can_decide"] is True
    inbox = api.get(INBOX).json()
    assert [item["id"] for item in inbox["results"]] == [step["id"]]
    assert api.get(f"{INBOX}count/").json() == {"count": 1}

    without = client_for(
        factories.user("manager_b", roles=("store_manager",), stores=(other_store,))
    )
    assert without.get(INBOX).json()["count"] == 0
    refused = without.post(f"{INBOX}{step['id']}/approve/", {"comment": "?"}, format="json")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"

    approved = api.post(f"{INBOX}{step['id']}/approve/", {"comment": "好"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert Transfer.objects.get(pk=doc["id"]).status == "approved"
    assert api.get(INBOX).json()["count"] == 0
