"""End-to-end: a stock-out asking for more than is in stock. While quantities are typed each line
shows the SKU's on-hand and available stock and flags a line asking for more; posting is refused
and every short line is highlighted with its available quantity, in a message that stays (not a
3-second toast naming only the first line); the line with enough stock is not marked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_short_line_is_highlighted(live_server, shop, open_page):
    from storeledger.inventory.models import StockDocument
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    skus = {}
    for code, barcode, stock in [
        ("TEA", "6900000000101", "5"),
        ("COLA", "6900000000102", "3"),
        ("WATER", "6900000000103", "10"),
    ]:
        skus[code] = factories.sku(
            code=code, name=f"{code} 饮料", barcode=barcode, base_unit=shop["unit"]
        )
        create_and_post_stock_document(
            user=shop["user"],
            kind="stock_in",
            warehouse_id=shop["warehouse"].pk,
            lines=[
                StockLineInput(
                    sku_id=skus[code].pk, quantity=Decimal(stock), unit_cost=Decimal("2")
                )
            ],
        )

    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-outs/new")
    field = page.locator("#scan-input")
    for code, barcode, quantity in [
        ("TEA", "6900000000101", "8"),
        ("COLA", "6900000000102", "4"),
        ("WATER", "6900000000103", "1"),
    ]:
        field.fill(barcode)
        field.press("Enter")
        expect(page.get_by_test_id(f"qty-{code}")).to_have_value("1")
        page.get_by_test_id(f"qty-{code}").fill(quantity)

    # while typing: on hand and available per line, the short ones flagged
    expect(page.get_by_test_id("line-stock-TEA")).to_have_text("现存 5 · 可用 5 个 · 超出可用量")
    expect(page.get_by_test_id("line-stock-COLA")).to_contain_text("超出可用量")
    expect(page.get_by_test_id("line-stock-WATER")).to_have_text("现存 10 · 可用 10 个")

    page.get_by_test_id("save-and-post").click()
    alert = page.get_by_test_id("shortage-alert")
    expect(alert).to_contain_text("库存不足：2 行")
    expect(alert.locator("li")).to_have_count(2)
    expect(alert.locator("li").nth(0)).to_contain_text("TEA")
    expect(alert.locator("li").nth(1)).to_contain_text("COLA")
    expect(alert).to_contain_text("一号店仓库")
    rows = page.locator("tr.sl-line-error")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("line-error-TEA")).to_contain_text("可用 5")
    expect(page.get_by_test_id("line-error-COLA")).to_contain_text("可用 3")
    expect(page.get_by_test_id("line-error-WATER")).to_have_count(0)
    shot(page, "stock-out-shortage-zh")
    assert not StockDocument.objects.filter(kind="stock_out").exists()
    assert page.js_errors == []
