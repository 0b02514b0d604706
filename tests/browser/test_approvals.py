"""End-to-end (issue 8 item 8, issue 12): a keeper's stock-out above ¥2,000 cannot be posted
alone; "save and post" saves it and submits it for approval instead, and it waits in the store
manager's 待审批 inbox (with the count on the menu); the manager approves it there with a
comment; the keeper then posts it, and the document shows who approved it with that comment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keeper_stock_out_approved_by_the_manager_from_the_inbox(live_server, shop, open_page):
    from storeledger.inventory.ledger import MoveRequest
    from storeledger.inventory.models import StockBalance, StockDocument
    from storeledger.testing import factories

    store, warehouse = shop["store"], shop["warehouse"]
    sku = factories.sku(
        code="OIL5L", name="金龙鱼 5L", barcode="6900000000501", base_unit=shop["unit"]
    )
    factories.posting(
        "seed", [MoveRequest(warehouse.id, sku.id, Decimal(100), "stock_in", unit_cost=Decimal(50))]
    )
    factories.user("keeper1", roles=("warehouse_keeper",), stores=(store,), password=PASSWORD)
    factories.user("manager1", roles=("store_manager",), stores=(store,), password=PASSWORD)

    keeper = open_page()
    login(keeper, live_server.url, "keeper1")
    keeper.goto(f"{live_server.url}/inventory/stock-outs/new")
    field = keeper.locator("#scan-input")
    field.fill("6900000000501")
    field.press("Enter")
    keeper.get_by_test_id("qty-OIL5L").fill("60")  # 60 × ¥50 = ¥3,000
    # "save and post": the rule holds it, so it is saved and submitted for that approval
    keeper.get_by_test_id("save-and-post").click()
    expect(keeper.locator(".ant-message")).to_contain_text("已保存并提交审批")
    expect(keeper.locator(".ant-message")).to_contain_text("须先经审批（店长）")
    expect(keeper.get_by_test_id("approval-history")).to_contain_text("待审批")
    assert StockDocument.objects.get().status == "submitted"
    expect(keeper.get_by_test_id("action-post")).to_have_count(0)
    document = StockDocument.objects.get()

    manager = open_page()
    login(manager, live_server.url, "manager1")
    expect(manager.get_by_test_id("approvals-badge")).to_contain_text("1")
    manager.get_by_test_id("side-menu").get_by_text("待审批").click()
    expect(manager.get_by_test_id(f"inbox-doc-{document.number}")).to_be_visible()
    expect(manager.locator(".ant-table-tbody")).to_contain_text("3,000.00")
    shot(manager, "approvals-inbox-zh")
    manager.locator(".ant-table-tbody").get_by_role("button", name="同意").click()
    manager.get_by_test_id("decision-comment").fill("已核对，同意出库")
    manager.locator(".ant-modal").get_by_role("button", name="同意").click()
    expect(manager.locator(".ant-empty-description")).to_have_text("没有等待您审批的单据")
    expect(manager.get_by_test_id("approvals-badge")).not_to_contain_text("1")

    keeper.reload()
    keeper.get_by_test_id("action-post").click()
    keeper.locator(".ant-popconfirm").get_by_role("button", name="过账").click()
    expect(keeper.locator(".ant-descriptions")).to_contain_text("已过账")
    expect(keeper.get_by_test_id("approval-history")).to_contain_text("已核对，同意出库")
    expect(keeper.get_by_test_id("approval-history")).to_contain_text("manager1")
    shot(keeper, "approvals-document-history-zh")
    document.refresh_from_db()
    assert (document.status, document.approved_by.username) == ("posted", "manager1")
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == Decimal(40)
    assert keeper.js_errors == [] and manager.js_errors == []
