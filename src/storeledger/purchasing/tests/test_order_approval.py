"""Purchase orders through the approval engine (core.approvals) with the two-level rules the
demo seeds (purchasing.approvals.TWO_LEVELS): above ¥5,000 the store manager, above ¥50,000
head office as well; approver ≠ creator; reject back to draft; below ¥5,000 the approve
permission decides as before."""

from decimal import Decimal

import pytest

from storeledger.catalog.models import Category
from storeledger.core.models import ApprovalStep
from storeledger.purchasing.approvals import create_two_level_rules, purchase_order_facts
from storeledger.purchasing.models import PurchaseOrder
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-orders/"
INBOX = "/api/v1/approvals/"


@pytest.fixture
def rules(db):
    return create_two_level_rules()


@pytest.fixture
def buyer(store):
    return factories.user("buyer1", roles=("buyer",), stores=(store,))


@pytest.fixture
def manager(store):
    return factories.user("manager1", roles=("store_manager",), stores=(store,))


@pytest.fixture
def head(db):
    """Head office: an administrator who sees every store (as the demo's admin)."""
    return factories.user("head1", roles=("admin",), all_stores=True)


@pytest.fixture
def priced(wahaha, sku):
    """24.00 a piece (the supplier's prices include tax) from the supplier catalogue."""
    add_item(wahaha, sku, price="24.00")
    return sku


def _submitted(client, wahaha, warehouse, sku, quantity):
    body = {"supplier": wahaha.id, "warehouse": warehouse.id, "lines": []}
    body["lines"] = [{"sku": sku.id, "quantity": quantity}]
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    response = client.post(f"{URL}{created.json()['id']}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_facts_are_amount_incl_tax_store_supplier_quantity_and_categories(
    rules, client_for, buyer, wahaha, warehouse, priced
):
    order = _submitted(client_for(buyer), wahaha, warehouse, priced, "250")
    drinks = Category.objects.create(code="D", name="饮料")
    drinks.path = f"/{drinks.pk}/"
    drinks.save()
    soda = Category.objects.create(code="DS", name="碳酸饮料", parent=drinks)
    soda.path = f"{drinks.path}{soda.pk}/"
    soda.save()
    priced.product.category = soda
    priced.product.save()
    facts = purchase_order_facts(PurchaseOrder.objects.get(pk=order["id"]))
    assert facts.amount == Decimal("6000.00")
    assert facts.quantity == Decimal("250")
    assert (facts.store_id, facts.supplier_id) == (warehouse.store_id, wahaha.id)
    assert facts.kind == "purchase_order"
    assert facts.category_ids == {drinks.id, soda.id}


def test_one_level_above_5000_the_store_manager_approves(
    rules, client_for, buyer, manager, head, wahaha, warehouse, priced
):
    as_buyer, as_manager = client_for(buyer), client_for(manager)
    order = _submitted(as_buyer, wahaha, warehouse, priced, "250")  # ¥6,000
    assert order["status"] == "submitted"
    [step] = order["approval"]["steps"]
    assert (step["role"], step["scope"], step["status"]) == (
        "store_manager",
        "document_store",
        "pending",
    )
    assert order["available_actions"] == ["cancel"]

    # the head office alone cannot take the store manager's level
    assert client_for(head).get(INBOX).json()["count"] == 0
    refused = client_for(head).post(f"{URL}{order['id']}/approve/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "approval_not_your_level"

    seen = as_manager.get(f"{URL}{order['id']}/").json()
    assert seen["available_actions"] == ["approve", "cancel"]
    assert seen["approval"]["can_decide"] is True
    [entry] = as_manager.get(INBOX).json()["results"]
    assert (entry["document_type"], entry["document_id"]) == ("purchaseorder", order["id"])

    approved = as_manager.post(f"{URL}{order['id']}/approve/")
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert (body["status"], body["approved_by"]) == ("approved", "manager1")
    assert [(s["status"], s["decided_by"]) for s in body["approval"]["steps"]] == [
        ("approved", "manager1")
    ]
    assert body["available_actions"] == ["send", "revise", "close", "cancel"]
    # the base unit's id (the web UI receives in it)
    assert body["lines"][0]["base_unit"] == priced.product.base_unit_id
    assert as_manager.get(INBOX).json()["count"] == 0


def test_two_levels_above_50000_store_manager_then_head_office(
    rules, client_for, buyer, manager, head, wahaha, warehouse, priced
):
    as_buyer, as_manager, as_head = client_for(buyer), client_for(manager), client_for(head)
    order = _submitted(as_buyer, wahaha, warehouse, priced, "2100")  # ¥50,400
    first, second = order["approval"]["steps"]
    assert [(s["role"], s["scope"], s["status"]) for s in (first, second)] == [
        ("store_manager", "document_store", "pending"),
        ("admin", "head_office", "waiting"),
    ]
    assert as_head.get(INBOX).json()["count"] == 0  # not its turn yet

    one = as_manager.post(f"{INBOX}{first['id']}/approve/", {"comment": "同意"}, format="json")
    assert one.status_code == 200, one.json()
    after_one = as_buyer.get(f"{URL}{order['id']}/").json()
    assert after_one["status"] == "submitted"
    assert after_one["approval"]["pending_step"] == second["id"]

    # the store manager is not head office
    again = as_manager.post(f"{URL}{order['id']}/approve/")
    assert again.status_code == 403
    assert again.json()["code"] == "approval_not_your_level"
    assert as_head.get(f"{INBOX}count/").json() == {"count": 1}

    final = as_head.post(f"{URL}{order['id']}/approve/")
    assert final.status_code == 200, final.json()
    body = final.json()
    assert (body["status"], body["approved_by"]) == ("approved", "head1")
    assert [(s["decided_by"], s["comment"]) for s in body["approval"]["steps"]] == [
        ("manager1", "同意"),
        ("head1", ""),
    ]
    pdf = as_buyer.get(f"{URL}{order['id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_the_approver_is_never_the_creator(
    rules, client_for, manager, wahaha, warehouse, priced, store
):
    """A store manager may write orders too, but never approves their own."""
    order = _submitted(client_for(manager), wahaha, warehouse, priced, "250")
    own = client_for(manager).post(f"{URL}{order['id']}/approve/")
    assert own.status_code == 409
    assert own.json()["code"] == "approval_self"
    assert client_for(manager).get(INBOX).json()["count"] == 0
    assert PurchaseOrder.objects.get(pk=order["id"]).status == "submitted"
    other = factories.user("manager2", roles=("store_manager",), stores=(store,))
    assert client_for(other).post(f"{URL}{order['id']}/approve/").status_code == 200


def test_rejected_with_a_comment_goes_back_to_draft_and_is_edited_and_resubmitted(
    rules, client_for, buyer, manager, wahaha, warehouse, priced
):
    as_buyer = client_for(buyer)
    order = _submitted(as_buyer, wahaha, warehouse, priced, "250")
    step = order["approval"]["pending_step"]
    rejected = client_for(manager).post(
        f"{INBOX}{step}/reject/", {"comment": "数量太多"}, format="json"
    )
    assert rejected.status_code == 200
    back = as_buyer.get(f"{URL}{order['id']}/").json()
    assert back["status"] == "draft"
    assert [(s["status"], s["comment"]) for s in back["approval"]["steps"]] == [
        ("rejected", "数量太多")
    ]
    # 100 pieces = ¥2,400: below every rule, the approve permission decides as before
    edited = as_buyer.patch(
        f"{URL}{order['id']}/",
        {"version": back["version"], "lines": [{"sku": priced.id, "quantity": "100"}]},
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    resubmitted = as_buyer.post(f"{URL}{order['id']}/submit/").json()
    assert resubmitted["approval"]["pending_step"] is None
    approved = client_for(manager).post(f"{URL}{order['id']}/approve/")
    assert approved.status_code == 200
    steps = approved.json()["approval"]["steps"]
    assert [(s["round"], s["role"], s["status"]) for s in steps] == [
        (1, "store_manager", "rejected"),
        (2, "", "approved"),
    ]


def test_cancelling_a_submitted_order_closes_its_open_levels(
    rules, client_for, buyer, manager, wahaha, warehouse, priced
):
    order = _submitted(client_for(buyer), wahaha, warehouse, priced, "2100")
    cancelled = client_for(buyer).post(f"{URL}{order['id']}/cancel/")
    assert cancelled.status_code == 200
    statuses = ApprovalStep.objects.filter(document_type="purchaseorder").values_list(
        "status", flat=True
    )
    assert sorted(statuses) == ["cancelled", "cancelled"]
    assert client_for(manager).get(INBOX).json()["count"] == 0


def test_a_list_of_drafts_evaluates_the_rules_in_a_constant_number_of_queries(
    rules, client_for, buyer, wahaha, warehouse, priced, django_assert_max_num_queries
):
    api = client_for(buyer)
    body = {"supplier": wahaha.id, "warehouse": warehouse.id}
    body["lines"] = [{"sku": priced.id, "quantity": "250"}]
    assert api.post(URL, body, format="json").status_code == 201
    with django_assert_max_num_queries(40) as few:
        assert api.get(URL).status_code == 200
    one_row = len(few)
    for _ in range(4):
        assert api.post(URL, body, format="json").status_code == 201
    with django_assert_max_num_queries(one_row):
        listed = api.get(URL).json()
    assert listed["count"] == 5
