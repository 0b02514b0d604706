"""End-to-end: the stock pages of issue 3 — batches near expiry (highlighted), stock at a past
date (before and after a stock-in), in-transit stock and the stock-on-hand filters — on data
posted through the real services."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, select_id: str, text: str) -> None:
    """Choose the option with `text` of the Ant Design select whose input has `select_id`."""
    page.locator(".ant-select").filter(has=page.locator(select_id)).click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


@pytest.fixture
def batch_stock(shop):
    """A batch-tracked SKU received (other stock-in, posted) with a batch expiring in 5 days,
    and a plain SKU with stock; the wall-clock time just before the posting."""
    from storeledger.catalog.models import Tracking
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    milk = factories.sku(
        code="MILK1L",
        name="纯牛奶 1L",
        tracking=Tracking.BATCH,
        shelf_life_days=30,
        base_unit=shop["unit"],
    )
    water = factories.sku(code="WATER", name="矿泉水 550ml", base_unit=shop["unit"])
    before = timezone.localtime() - datetime.timedelta(minutes=2)
    today = timezone.localdate()
    document = create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].id,
        lines=[
            StockLineInput(
                sku_id=milk.id,
                quantity=Decimal("24"),
                batch_no="B20261",
                production_date=today - datetime.timedelta(days=25),
                expiry_date=today + datetime.timedelta(days=5),
                unit_cost=Decimal("6.50"),
            ),
            StockLineInput(sku_id=water.id, quantity=Decimal("10"), unit_cost=Decimal("1.20")),
        ],
    )
    assert document.status == "posted"
    return {
        "milk": milk,
        "water": water,
        "before": before,
        "user": shop["user"],
        "warehouse": shop["warehouse"],
    }


def test_near_expiry_and_stock_at_a_past_date(live_server, batch_stock, open_page):
    page = open_page(DESKTOP)
    login(page, live_server.url)

    # the menu lists the new pages under 库存
    menu = page.get_by_test_id("side-menu")
    expect(menu.get_by_text("历史时点库存")).to_be_visible()
    expect(menu.get_by_text("在途库存")).to_be_visible()
    menu.get_by_text("临期批次").click()
    page.wait_for_url(re.compile(r"/inventory/expiring-batches$"))

    # near expiry: within 30 days by default; 5 days ahead → orange
    row = page.locator(".ant-table-row").filter(has_text="B20261")
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bexpiry-soon\b"))
    expect(row.get_by_test_id("expiry-tag")).to_have_class(re.compile(r"ant-tag-orange"))
    expect(row).to_contain_text("5 天")
    expect(row).to_contain_text("24")
    shot(page, "expiring-batches-zh-desktop")
    # 3 days: the batch is not in the window
    pick(page, "#expiry-days", "7 天内")
    page.wait_for_url(re.compile(r"days=7"))
    expect(row).to_have_count(1)
    page.goto(f"{live_server.url}/inventory/expiring-batches?days=3")
    expect(page.locator(".ant-table-row")).to_have_count(0)
    # the link goes to the SKU's ledger
    page.goto(f"{live_server.url}/inventory/expiring-batches")
    page.locator(".ant-table-row").filter(has_text="B20261").get_by_role(
        "link", name="MILK1L 纯牛奶 1L"
    ).click()
    page.wait_for_url(re.compile(rf"/inventory/moves\?sku={batch_stock['milk'].id}"))
    expect(page.locator(".ant-table-row").filter(has_text="其他入库")).to_have_count(1)

    # stock at a past date: before the stock-in nothing, after it the quantities
    before = batch_stock["before"].strftime("%Y-%m-%dT%H:%M:00")
    page.goto(f"{live_server.url}/inventory/stock-at?at={before}")
    expect(page.get_by_test_id("zone-hint")).to_contain_text("Asia/Shanghai")
    table = page.get_by_test_id("stock-at-table")
    expect(table.locator(".ant-table-placeholder")).to_be_visible()
    expect(table.locator(".ant-table-row")).to_have_count(0)
    shot(page, "stock-at-before-zh-desktop")

    # pick a time after the posting with the date-time picker
    after = (timezone.localtime() + datetime.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    picker = page.locator("#stock-at-picker")
    picker.click()
    picker.fill(after)
    picker.press("Enter")
    page.wait_for_url(
        re.compile(r"at=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A00|at=\d{4}-\d\d-\d\dT\d\d:\d\d:00")
    )
    milk_row = table.locator(".ant-table-row").filter(has_text="MILK1L")
    expect(milk_row).to_contain_text("B20261")
    expect(milk_row).to_contain_text("24")
    expect(milk_row).to_contain_text("156.00")  # 24 × 6.50
    expect(table.locator(".ant-table-row").filter(has_text="WATER")).to_contain_text("12.00")
    shot(page, "stock-at-after-zh-desktop")

    # grouped per SKU across warehouses
    pick(page, "#group-by", "汇总方式: 按商品")
    expect(table.locator(".ant-table-row")).to_have_count(2)
    expect(table.locator(".ant-table-thead")).not_to_contain_text("批次")
    assert page.js_errors == []


def test_stock_on_hand_filters_columns_and_in_transit(live_server, batch_stock, open_page):
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/balances")
    rows = page.locator(".ant-table-row")
    expect(rows).to_have_count(2)

    # sorting by a header click: on hand descending puts MILK1L (24) before WATER (10)
    header = page.locator(".ant-table-thead th").filter(has_text="现存量")
    header.click()
    expect(rows.first).to_contain_text("WATER")
    header.click()
    expect(rows.first).to_contain_text("MILK1L")

    # group by SKU: no batch column
    pick(page, "#group-by", "汇总方式: 按商品")
    page.wait_for_url(re.compile(r"group_by=sku"))
    expect(page.locator(".ant-table-thead")).not_to_contain_text("批次")

    # hide the value column; it stays hidden after a reload
    page.get_by_test_id("column-settings").click()
    page.get_by_test_id("column-toggle-value").click()
    expect(page.locator(".ant-table-thead")).not_to_contain_text("金额")
    page.reload()
    expect(rows).to_have_count(2)
    expect(page.locator(".ant-table-thead")).not_to_contain_text("金额")

    # export: a CSV of the rows with the current filters
    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename == "stock-balances.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "MILK1L,纯牛奶 1L,24," in text
    shot(page, "stock-balances-filters-zh-desktop")

    # in-transit: a transfer shipped and not received, with its line's in-transit quantity
    from storeledger.inventory.services import transfers
    from storeledger.testing import factories

    second = factories.warehouse(shop_store(), code="WH02", name="二号店仓库")
    transfer = transfers.create_transfer(
        user=batch_stock["user"],
        from_warehouse_id=batch_stock["warehouse"].id,
        to_warehouse_id=second.id,
        lines=[transfers.TransferLineInput(sku_id=batch_stock["water"].id, quantity=Decimal("4"))],
    )
    transfers.ship_transfer(user=batch_stock["user"], transfer_id=transfer.id)
    page.goto(f"{live_server.url}/inventory/in-transit")
    row = page.locator(".ant-table-row").filter(has_text=transfer.number)
    expect(row).to_contain_text("一号店仓库 → 二号店仓库")
    row.locator(".ant-table-row-expand-icon").click()
    expect(page.get_by_test_id("transit-qty-WATER")).to_have_text("4 pcs")
    # a head-office user also sees the transit warehouse's balance
    page.get_by_role("tab", name="在途仓余额").click()
    transit = page.get_by_test_id("transit-balances").locator(".ant-table-row")
    expect(transit.filter(has_text="WATER")).to_contain_text("4")
    shot(page, "in-transit-zh-desktop")
    assert page.js_errors == []


def shop_store():
    from storeledger.org.models import Store

    return Store.objects.get(code="0001")


def test_stock_pages_on_a_phone(live_server, batch_stock, open_page):
    page = open_page(PHONE)
    login(page, live_server.url)
    for path in ("/inventory/expiring-batches", "/inventory/stock-at", "/inventory/in-transit"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.goto(f"{live_server.url}/inventory/expiring-batches")
    expect(page.locator(".ant-table-row").filter(has_text="B20261")).to_have_class(
        re.compile(r"\bexpiry-soon\b")
    )
    shot(page, "expiring-batches-zh-phone")
    page.get_by_test_id("language-switch").get_by_text("EN").click()
    expect(page.get_by_text("Batches near expiry").first).to_be_visible()
    expect(page.get_by_text("Expires within 7 days")).to_be_visible()
    expect(page.locator(".ant-table-row").filter(has_text="B20261")).to_contain_text("5 days")
    shot(page, "expiring-batches-en-phone")
    assert page.js_errors == []
