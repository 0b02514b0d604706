"""The active approval rules are kept per process under the access version (accounts.access,
request hot path): a request reads no rule rows once they are kept, and a committed change of
a rule reaches the next request at once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from storeledger.accounts import access, tokens
from storeledger.core import approvals
from storeledger.core.models import ApprovalRule
from storeledger.inventory.ledger import MoveRequest
from storeledger.testing import factories

pytestmark = pytest.mark.django_db(transaction=True)

OUTS = "/api/v1/stock-outs/?post=true"


def token_client(user) -> APIClient:
    _token, key = tokens.issue(user=user, name="kept-rules")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_rules_are_kept_and_a_committed_change_applies_at_once(
    client_for, keeper, admin_user, warehouse, sku
):
    approvals.seed_rules()  # an earlier transactional test may have flushed the built-in rules
    factories.posting(
        "seed", [MoveRequest(warehouse.id, sku.id, Decimal(1000), "stock_in", unit_cost=Decimal(5))]
    )
    access.raise_version()
    api = token_client(keeper)
    big = {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": "500"}]}  # ¥2,500
    assert api.post(OUTS, big, format="json").json()["code"] == "approval_required"

    with CaptureQueriesContext(connection) as captured:
        again = api.post(OUTS, big, format="json")
    assert again.json()["code"] == "approval_required"
    assert not [q for q in captured.captured_queries if "core_approvalrule" in q["sql"]]

    rule = ApprovalRule.objects.get(key="inventory.stock_out.amount")
    response = client_for(admin_user).patch(
        f"/api/v1/approval-rules/{rule.id}/", {"active": False}, format="json"
    )
    assert response.status_code == 200, response.json()

    assert api.post(OUTS, big, format="json").status_code == 201
