"""End-to-end: while counting, each counted line shows its difference against the book; submitting
a count with uncounted lines warns how many and what happens to them; the success message names
what was done, once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_count_with_uncounted_lines_warns(live_server, shop, open_page):
    from storeledger.inventory.services.counts import create_stock_count, start_stock_count
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    for code, barcode in [
        ("TEA", "6900000000201"),
        ("COLA", "6900000000202"),
        ("WATER", "6900000000203"),
    ]:
        sku = factories.sku(code=code, name=f"{code} 饮料", barcode=barcode, base_unit=shop["unit"])
        create_and_post_stock_document(
            user=shop["user"],
            kind="stock_in",
            warehouse_id=shop["warehouse"].pk,
            lines=[StockLineInput(sku_id=sku.pk, quantity=Decimal("5"), unit_cost=Decimal("2"))],
        )
    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk)
    start_stock_count(user=shop["user"], count_id=count.pk)

    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    field = page.locator("#scan-input")
    for _ in range(2):
        field.fill("6900000000201")
        field.press("Enter")
        expect(page.get_by_test_id("scan-status")).to_have_attribute("data-busy", "false")
    tea = page.locator(".ant-table-row").filter(has_text="TEA")
    expect(tea.get_by_test_id("counted-TEA")).to_have_text("2")
    # the difference while counting: 2 counted against 5 in the book
    expect(tea.locator("[data-testid^=difference-]")).to_have_text("-3")
    cola = page.locator(".ant-table-row").filter(has_text="COLA")
    expect(cola.locator("[data-testid^=difference-]")).to_have_text("")

    page.get_by_test_id("action-submit").click()
    confirm = page.locator(".ant-popconfirm")
    expect(confirm.get_by_test_id("uncounted-warning")).to_have_text(
        "还有 2 行未盘：提交后这些行按账面数处理（无差异）。"
    )
    shot(page, "count-submit-uncounted-warning-zh")
    confirm.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已提交")
    notices = page.locator(".ant-message-notice")
    expect(notices).to_have_count(1)
    expect(notices).to_have_text("已提交")
    count.refresh_from_db()
    assert count.status == "submitted"
    assert page.js_errors == []
