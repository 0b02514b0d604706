"""End-to-end: 库存流水 opens newest first; a date range (days in the company's zone), a move
type and a document number narrow it; a column header sorts it; the warehouse is named by its
name, not its code."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ledger_newest_first_with_filters(live_server, shop, open_page):
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    juice = factories.sku(code="JUICE", name="橙汁 1L", base_unit=shop["unit"])
    now = timezone.now()
    numbers = []
    for days_ago, kind, quantity in [
        (5, "stock_in", "10"),
        (3, "stock_out", "2"),
        (1, "stock_in", "7"),
    ]:
        doc = create_and_post_stock_document(
            user=shop["user"],
            kind=kind,
            warehouse_id=shop["warehouse"].pk,
            lines=[
                StockLineInput(sku_id=juice.pk, quantity=Decimal(quantity), unit_cost=Decimal("2"))
            ],
            at=now - datetime.timedelta(days=days_ago),
        )
        numbers.append(doc.number)

    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/moves")
    rows = page.get_by_test_id("stock-moves").locator(".ant-table-row")
    expect(rows).to_have_count(3)
    # newest first
    expect(rows.nth(0)).to_contain_text(numbers[2])
    expect(rows.nth(2)).to_contain_text(numbers[0])
    expect(rows.nth(0)).to_contain_text("一号店仓库")
    expect(rows.nth(0)).not_to_contain_text("WH01")

    # the day of the stock-out only (in the company's zone, Asia/Shanghai)
    zone = datetime.timezone(datetime.timedelta(hours=8))
    day = (now - datetime.timedelta(days=3)).astimezone(zone).date().isoformat()
    dates = page.get_by_test_id("date-range").locator("input")
    dates.first.click()
    dates.first.fill(day)
    dates.first.press("Enter")
    dates.nth(1).fill(day)
    dates.nth(1).press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(numbers[1])
    expect(rows.first).to_contain_text("其他出库")
    shot(page, "ledger-date-range-zh")

    # clear the dates; filter by move type, then by document number
    page.get_by_test_id("date-range").locator(".ant-picker-clear").click(force=True)
    expect(rows).to_have_count(3)
    page.get_by_test_id("move-type-filter").click()
    page.locator(".ant-select-dropdown:visible").get_by_title("其他入库").click()
    expect(rows).to_have_count(2)
    page.get_by_test_id("move-type-filter").locator(".ant-select-clear").click(force=True)
    expect(rows).to_have_count(3)
    search = page.get_by_placeholder("单号")
    search.fill(numbers[0])
    search.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(numbers[0])
    search.fill("")
    search.press("Enter")
    expect(rows).to_have_count(3)

    # sort by quantity, largest first (a second click on an ascending header)
    header = page.get_by_test_id("stock-moves").get_by_role("columnheader", name="数量", exact=True)
    header.click()
    header.click()
    expect(rows.nth(0)).to_contain_text(numbers[0])  # +10
    expect(rows.nth(2)).to_contain_text(numbers[1])  # -2
    assert page.js_errors == []
