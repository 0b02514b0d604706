"""Contract of every report endpoint: 200 for an admin, 401 without login, 403 without the view
permission, every export format answers, and a number of queries that does not grow with the
number of SKUs, balances and moves."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from storeledger.inventory.ledger import MoveRequest
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

REPORTS = [
    "/api/v1/reports/stock-summary/",
    "/api/v1/reports/stock-status/",
    "/api/v1/reports/stock-status/ageing/",
]


def add_stock(warehouse, n: int, seed: int) -> None:
    for i in range(n):
        sku = factories.sku(code=f"C{seed}{i:03d}")
        for step, quantity in enumerate(("10", "-3")):
            factories.posting(
                f"c{seed}-{i}-{step}",
                [
                    MoveRequest(
                        warehouse_id=warehouse.id,
                        sku_id=sku.id,
                        quantity=Decimal(quantity),
                        move_type="stock_in" if step == 0 else "sale",
                        unit_cost=Decimal("1.50") if step == 0 else None,
                    )
                ],
            )


@pytest.mark.parametrize("url", REPORTS)
def test_report_contract(url, client_for, admin_user, warehouse):
    client = client_for(admin_user)
    add_stock(warehouse, 2, 1)
    first = client.get(url)
    assert first.status_code == 200, first.json()
    assert first.json()["count"] == 2
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_stock(warehouse, 6, 2)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert body["count"] == 8
    assert len(many.captured_queries) == len(few.captured_queries)

    for fmt, content_type in [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
        ("pdf", "application/pdf"),
    ]:
        response = client.get(f"{url}export/", {"format": fmt})
        assert response.status_code == 200 and response["Content-Type"] == content_type

    assert APIClient().get(url).status_code == 401
    nobody = factories.user("nobody", roles=(), all_stores=True)
    denied = client_for(nobody).get(url)
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    assert client_for(nobody).get(f"{url}export/").status_code == 403
