"""Two approvers deciding the same approval step at once (PostgreSQL, real row locks): exactly
one decision is recorded, the other approver gets 409 approval_decided."""

from decimal import Decimal

import pytest

from storeledger.core import approvals
from storeledger.core.models import ApprovalStep
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.services import documents
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_approvers_deciding_one_step_at_once_give_one_decision(monkeypatch):
    store = factories.store("0001")
    warehouse = factories.warehouse(store, code="WH01")
    sku = factories.sku(code="SKU-RACE")
    factories.posting(
        "seed", [MoveRequest(warehouse.id, sku.id, Decimal(1000), "stock_in", unit_cost=Decimal(5))]
    )
    keeper = factories.user("keeper", roles=("warehouse_keeper",), stores=(store,))
    managers = [
        factories.user(f"manager{i}", roles=("store_manager",), stores=(store,)) for i in (1, 2)
    ]
    doc = documents.create_stock_document(
        user=keeper,
        kind="stock_out",
        warehouse_id=warehouse.id,
        lines=[documents.StockLineInput(sku_id=sku.id, quantity=Decimal(500))],
    )
    documents.submit_stock_document(user=keeper, document_id=doc.id)
    [step] = ApprovalStep.objects.filter(document_id=doc.id, status="pending")

    # Whoever holds the document's lock keeps it a moment, so the other is sure to wait.
    hold_locks(monkeypatch, approvals, "check_decider")

    def decide(user, approve):
        return lambda: approvals.decide_step(
            user=user, step_id=step.id, approve=approve, comment=user.username
        )

    with LockWaits() as waits:
        outcomes = race([decide(managers[0], True), decide(managers[1], False)])

    assert sorted(outcomes) == ["approval_decided", "ok"], outcomes
    assert waits.most >= 1  # the race happened: one approver waited on the other's lock
    step.refresh_from_db()
    assert step.status in ("approved", "rejected")
    assert step.comment == step.decided_by.username
    doc.refresh_from_db()
    assert doc.status == ("approved" if step.status == "approved" else "draft")
    assert ApprovalStep.objects.filter(document_id=doc.id).count() == 1
