"""End-to-end: a product without a barcode (loose fruit, say) is added to a stock-out by
searching its name's pinyin initials, on a phone; the quantity is set and the document posted."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_a_line_by_searching_and_post(live_server, shop, open_page):
    from storeledger.catalog.models import Barcode
    from storeledger.inventory.models import StockBalance
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    apple = factories.sku(code="APPLE-FJ", name="富士苹果", base_unit=shop["unit"])
    Barcode.objects.filter(sku=apple).delete()
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=apple.pk, quantity=Decimal(10), unit_cost=Decimal(3))],
    )

    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-outs/new")
    search = page.get_by_test_id("sku-search")
    search.click()
    search.locator("input").fill("fspg")  # 富士苹果
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text="富士苹果").click()
    expect(page.get_by_test_id("scan-status")).to_have_text("已添加 富士苹果")
    quantity = page.get_by_test_id("qty-APPLE-FJ")
    expect(quantity).to_have_value("1")
    quantity.fill("4")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "stock-out-search-added-zh-phone")

    page.get_by_test_id("save-and-post").click()
    page.wait_for_url(re.compile(r"/inventory/stock-outs/\d+$"))
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    assert StockBalance.objects.get(sku=apple, warehouse=shop["warehouse"]).on_hand == 6
