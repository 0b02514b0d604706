"""End-to-end: counting a batch-tracked SKU with several batches in the count. The sheet shows
each line's batch number and expiry date; scanning the SKU opens a batch picker, and the scan
counts on the batch picked, or on a batch number typed in that is not in the book."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARCODE = "6900000000062"


def scan(page, code: str) -> None:
    field = page.locator("#scan-input")
    field.fill(code)
    field.press("Enter")


def test_scan_a_batch_item_picks_the_batch(live_server, shop, open_page):
    from storeledger.inventory.models import StockCountLine
    from storeledger.inventory.services.counts import create_stock_count, start_stock_count
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    milk = factories.sku(
        code="MILK", name="纯牛奶 250ml", tracking="batch", barcode=BARCODE, base_unit=shop["unit"]
    )
    today = timezone.localdate()
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=milk.pk,
                quantity=Decimal(quantity),
                unit_cost=Decimal("2"),
                batch_no=batch_no,
                expiry_date=today + datetime.timedelta(days=days),
            )
            for batch_no, quantity, days in [("A2601", "3", 30), ("A2602", "4", 60)]
        ],
    )
    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk)
    start_stock_count(user=shop["user"], count_id=count.pk)

    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    later = (today + datetime.timedelta(days=60)).isoformat()
    row = page.locator(".ant-table-row").filter(has_text="A2602")
    expect(row).to_contain_text(later)
    expect(row).to_contain_text("未盘")

    # the scan asks for the batch; picking A2602 counts one on that line
    scan(page, BARCODE)
    picker = page.get_by_test_id("batch-picker")
    expect(picker).to_be_visible()
    expect(picker.locator(".ant-table-row")).to_have_count(2)
    shot(page, "count-batch-picker-zh")
    picker.get_by_test_id("batch-pick-A2602").click()
    expect(picker).to_be_hidden()
    expect(row.get_by_test_id("counted-MILK")).to_have_text("1")
    expect(page.locator(".ant-table-row").filter(has_text="A2601")).to_contain_text("未盘")

    # a batch found on the shelf that the book does not have: typed in, it gets its own line
    scan(page, BARCODE)
    picker.get_by_test_id("batch-other").fill("A2699")
    picker.get_by_test_id("batch-other-ok").click()
    expect(page.locator(".ant-table-row").filter(has_text="A2699")).to_contain_text("1")

    counted = {
        line.batch.batch_no: line.counted_quantity
        for line in StockCountLine.objects.filter(count=count).select_related("batch")
    }
    assert counted == {"A2601": None, "A2602": Decimal("1"), "A2699": Decimal("1")}
    assert page.js_errors == []
