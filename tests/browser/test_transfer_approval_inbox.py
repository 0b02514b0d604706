"""End-to-end: a keeper's submitted transfer waits in the sending store manager's 待审批 inbox
(with the count on the menu) — it used to be found only under 库存 → 调拨. The transfer page
keeps its own approve button (审核) and offers 驳回 in its approval card; the manager approves
it from the inbox with a comment, the transfer shows that decision in its approval history,
and the keeper ships it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_approves_a_submitted_transfer_from_the_inbox(live_server, shop, open_page):
    from storeledger.core.models import ApprovalStep
    from storeledger.inventory.ledger import MoveRequest
    from storeledger.inventory.services import transfers as svc
    from storeledger.testing import factories

    store, warehouse = shop["store"], shop["warehouse"]
    sku = factories.sku(
        code="RICE5", name="东北大米 5kg", barcode="6900000000711", base_unit=shop["unit"]
    )
    factories.posting(
        "seed", [MoveRequest(warehouse.id, sku.id, Decimal(50), "stock_in", unit_cost=Decimal(30))]
    )
    other = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    keeper1 = factories.user(
        "keeper1", roles=("warehouse_keeper",), stores=(store,), password=PASSWORD
    )
    factories.user("manager1", roles=("store_manager",), stores=(store,), password=PASSWORD)
    transfer = svc.create_transfer(
        user=keeper1,
        from_warehouse_id=warehouse.pk,
        to_warehouse_id=other.pk,
        lines=[svc.TransferLineInput(sku_id=sku.pk, quantity=Decimal(4))],
    )
    svc.submit_transfer(user=keeper1, transfer_id=transfer.pk)
    step = ApprovalStep.objects.get(document_type="transfer", status="pending")

    manager = open_page()
    login(manager, live_server.url, "manager1")
    expect(manager.get_by_test_id("approvals-badge")).to_contain_text("1")
    manager.get_by_test_id("side-menu").get_by_text("待审批").click()
    row = manager.get_by_test_id(f"inbox-doc-{transfer.number}")
    expect(row).to_be_visible()
    expect(manager.locator(".ant-table-tbody")).to_contain_text("120.00")  # 4 × ¥30

    # the transfer page: its own approve button, and reject in the approval card
    row.click()
    expect(manager.get_by_test_id("doc-status")).to_have_text("已提交")
    expect(manager.get_by_test_id("action-approve")).to_be_visible()
    expect(manager.get_by_test_id(f"reject-{step.pk}")).to_be_visible()
    expect(manager.get_by_test_id(f"approve-{step.pk}")).to_have_count(0)
    expect(manager.get_by_test_id("approval-history")).to_contain_text("按权限审批")
    manager.go_back()

    expect(row).to_be_visible()
    shot(manager, "approvals-inbox-transfer-zh")
    manager.locator(".ant-table-tbody").get_by_role("button", name="同意").click()
    manager.get_by_test_id("decision-comment").fill("二号店缺货，同意调拨")
    manager.locator(".ant-modal").get_by_role("button", name="同意").click()
    expect(manager.locator(".ant-empty-description")).to_have_text("没有等待您审批的单据")
    expect(manager.get_by_test_id("approvals-badge")).not_to_contain_text("1")

    keeper = open_page()
    login(keeper, live_server.url, "keeper1")
    keeper.goto(f"{live_server.url}/inventory/transfers/{transfer.pk}")
    expect(keeper.get_by_test_id("doc-status")).to_have_text("已审核")
    expect(keeper.get_by_test_id("approval-history")).to_contain_text("二号店缺货，同意调拨")
    expect(keeper.get_by_test_id("approval-history")).to_contain_text("manager1")
    shot(keeper, "transfer-approval-history-zh")
    keeper.get_by_test_id("action-ship").click()
    keeper.locator(".ant-popconfirm").get_by_role("button", name="发货").click()
    expect(keeper.get_by_test_id("doc-status")).to_have_text("已发货")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.approved_by.username) == ("shipped", "manager1")
    assert manager.js_errors == [] and keeper.js_errors == []
