"""End-to-end: a keeper's return from a receipt (采购 → 采购退货 → 新建): pick the posted receipt,
see what can go back per line, return 3 of 10 with a reason and post at once; the return is
worth the receipt's price (not the average), the stock and the receipt line follow."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receipt(shop):
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import receipts
    from storeledger.testing import factories

    sku = factories.sku(code="COLA", name="可口可乐 330ml", base_unit=shop["unit"])
    wahaha = Supplier.objects.create(code="S001", name="杭州娃哈哈集团")
    return receipts.create_purchase_receipt(
        user=shop["user"],
        supplier_id=wahaha.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            receipts.ReceiptLineInput(sku_id=sku.id, quantity=Decimal(10), price=Decimal("2.00"))
        ],
        post=True,
    )


def test_return_three_of_a_receipt_line_at_its_cost(live_server, receipt, open_page):
    from storeledger.inventory.models import StockBalance
    from storeledger.purchasing.models import PurchaseReturn

    page = open_page(DESKTOP)
    login(page, live_server.url)
    menu = page.get_by_test_id("side-menu")
    link = menu.get_by_role("link", name="采购退货")
    if not link.is_visible():
        menu.get_by_text("采购", exact=True).click()
    link.click()
    expect(page).to_have_url(re.compile(r"/purchasing/returns$"))
    page.locator(".ant-card-extra").get_by_role("button", name="新建").click()
    expect(page.get_by_text("按入库单退货").first).to_be_visible()

    page.get_by_test_id("return-receipt").click()
    page.get_by_test_id("return-receipt").locator("input").fill(receipt.number[-4:])
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=receipt.number).click()
    row = page.locator(".ant-table-row").filter(has_text="COLA")
    expect(row).to_contain_text("10 个")  # received
    page.get_by_test_id("return-qty-COLA").fill("3")
    page.get_by_test_id("return-reason").fill("包装破损")
    shot(page, "purchase-return-from-receipt")
    page.get_by_test_id("return-save-post").click()

    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    expect(page.get_by_test_id("return-total-gross")).to_have_text("6.78")  # 6.00 + 13 % VAT
    expect(page.get_by_text("包装破损").first).to_be_visible()
    document = PurchaseReturn.objects.get()
    assert (document.status, document.total_net, document.total_gross) == (
        "posted",
        Decimal("6.00"),
        Decimal("6.78"),
    )
    balance = StockBalance.objects.get(sku__code="COLA")
    assert (balance.on_hand, balance.value) == (7, Decimal("14.00"))
    assert receipt.lines.get().returned_quantity == 3
    shot(page, "purchase-return-posted")
