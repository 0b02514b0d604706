"""End-to-end: on a phone the 待审批 inbox shows each approval as a card — amount, who asked
when, the level — with its approve/reject buttons. It was a table scrolled sideways behind a
fixed actions column: a manager saw the document number and the buttons, not the amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_approves_from_a_card_on_the_phone(live_server, shop, open_page):
    from storeledger.inventory.ledger import MoveRequest
    from storeledger.inventory.models import StockDocument
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_stock_document,
        submit_stock_document,
    )
    from storeledger.testing import factories

    store, warehouse = shop["store"], shop["warehouse"]
    sku = factories.sku(code="OIL5L", name="金龙鱼 5L", base_unit=shop["unit"])
    factories.posting(
        "seed", [MoveRequest(warehouse.id, sku.id, Decimal(100), "stock_in", unit_cost=Decimal(50))]
    )
    keeper = factories.user("keeper1", roles=("warehouse_keeper",), stores=(store,))
    factories.user("manager1", roles=("store_manager",), stores=(store,), password=PASSWORD)
    document = create_stock_document(
        user=keeper,
        kind="stock_out",
        warehouse_id=warehouse.pk,
        lines=[StockLineInput(sku_id=sku.pk, quantity=Decimal(60))],  # ¥3,000
    )
    submit_stock_document(user=keeper, document_id=document.pk)

    page = open_page(viewport=PHONE)
    login(page, live_server.url, "manager1")
    page.goto(f"{live_server.url}/approvals")
    card = page.get_by_test_id("list-card").filter(has_text=document.number)
    expect(card).to_be_visible()
    expect(card).to_contain_text("3,000.00")
    expect(card).to_contain_text("keeper1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "approvals-inbox-phone-zh")
    card.get_by_role("button", name="同意").click()
    page.get_by_test_id("decision-comment").fill("同意")
    page.locator(".ant-modal").get_by_role("button", name="同意").click()
    expect(page.locator(".ant-empty-description")).to_have_text("没有等待您审批的单据")
    assert StockDocument.objects.get().status == "approved"
    assert page.js_errors == []
