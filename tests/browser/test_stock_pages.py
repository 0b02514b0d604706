"""End-to-end: the stock pages of issue 3 — batches near expiry (highlighted), stock at a past
date (before and after a stock-in), in-transit stock and the stock-on-hand filters — on data
posted through the real services."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PASSWORD, PHONE, login, shot

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
    # the SKU's ledger as a workbook: the move with its running balance
    page.get_by_test_id("export").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    assert download_info.value.suggested_filename.startswith("stock-ledger-")
    with Path(download_info.value.path()).open("rb") as file:
        ledger = [list(row) for row in load_workbook(file).active.iter_rows(values_only=True)]
    [move] = ledger[3:]
    assert isinstance(move[0], datetime.datetime)
    assert move[2:5] == ["MILK1L", "纯牛奶 1L", "B20261"]
    assert move[7] == 24 and move[9] == 24  # quantity, balance after

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

    # export: the server's workbook of the rows with the current grouping and visible columns
    page.get_by_test_id("export").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert re.fullmatch(r"stock-balances-\d{8}-\d{4}\.xlsx", download.suggested_filename)
    with Path(download.path()).open("rb") as file:  # the saved download has no extension
        sheet = load_workbook(file).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.freeze_panes == "A4"
    with translation.override("zh-hans"):  # the grouping named above the header, in Chinese
        assert f"{gettext('Group by')}: {gettext('Per SKU')}" in rows[1][0]
    header = rows[2]
    assert header[:2] == ["商品编码", "商品"]  # per product: no warehouse column
    assert "金额" not in header and len(header) == 7  # the hidden value column is left out
    milk = next(row for row in rows[3:] if row[0] == "MILK1L")
    assert milk[1:5] == ["纯牛奶 1L", 24, 0, 24]  # numbers, not text
    expect(page.locator(".ant-message")).to_contain_text(download.suggested_filename)
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
    expect(page.get_by_test_id("transit-qty-WATER")).to_have_text("4 个")
    # and the in-transit stock per SKU
    page.get_by_role("tab", name="在途商品汇总").click()
    transit = page.get_by_test_id("transit-balances").locator(".ant-table-row")
    expect(transit.filter(has_text="WATER")).to_contain_text("4")
    shot(page, "in-transit-zh-desktop")
    assert page.js_errors == []


def shop_store():
    from storeledger.org.models import Store

    return Store.objects.get(code="0001")


def test_a_store_user_finds_stock_by_location_and_in_transit(live_server, batch_stock, open_page):
    """A warehouse keeper of store 0001: where is the water (a shelf and unassigned), export
    that view as csv, and the water in transit on a transfer to another store."""
    from storeledger.inventory.services import transfers
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.org.models import Location
    from storeledger.testing import factories

    warehouse, water = batch_stock["warehouse"], batch_stock["water"]
    shelf = Location.objects.create(warehouse=warehouse, code="A-01", name="饮料货架")
    create_and_post_stock_document(
        user=batch_stock["user"],
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=water.id, quantity=Decimal("6"), location_id=shelf.id)],
    )
    factories.user("clerk", roles=("warehouse_keeper",), stores=(shop_store(),), password=PASSWORD)
    boss = batch_stock["user"]
    second = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    third = factories.warehouse(
        factories.store("0003", name="三号店"), code="WH03", name="三号店仓库"
    )
    create_and_post_stock_document(
        user=boss,
        kind="stock_in",
        warehouse_id=second.id,
        lines=[StockLineInput(sku_id=water.id, quantity=Decimal("20"), unit_cost=Decimal("1"))],
    )
    for destination, quantity in ((warehouse, "4"), (third, "7")):
        transfer = transfers.create_transfer(
            user=boss,
            from_warehouse_id=second.id,
            to_warehouse_id=destination.id,
            lines=[transfers.TransferLineInput(sku_id=water.id, quantity=Decimal(quantity))],
        )
        transfers.ship_transfer(user=boss, transfer_id=transfer.id)

    page = open_page(DESKTOP)
    login(page, live_server.url, username="clerk")
    page.goto(f"{live_server.url}/inventory/balances")
    page.locator(".ant-table-row").filter(has_text="WATER").get_by_test_id("where-link").click()
    page.wait_for_url(re.compile(rf"view=location&sku={water.id}&warehouse={warehouse.id}"))
    rows = page.get_by_test_id("location-table").locator(".ant-table-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("A-01 饮料货架")
    expect(rows.nth(0)).to_contain_text("6")
    expect(rows.nth(1)).to_contain_text("未指定货位")
    expect(rows.nth(1)).to_contain_text("10")
    shot(page, "stock-by-location-zh-desktop")

    page.get_by_test_id("export").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    lines = Path(download_info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("仓库,")
    assert lines[1:] == [
        "WH01 一号店仓库,A-01 饮料货架,WATER,矿泉水 550ml,个,,,6",
        "WH01 一号店仓库,,WATER,矿泉水 550ml,个,,,10",
    ]

    # the store user sees what is in transit to their warehouse, not other stores' transfers
    page.goto(f"{live_server.url}/inventory/in-transit")
    page.get_by_role("tab", name="在途商品汇总").click()
    transit = page.get_by_test_id("transit-balances").locator(".ant-table-row")
    expect(transit).to_have_count(1)
    expect(transit.first).to_contain_text("WATER")
    expect(transit.first).to_contain_text("4")
    expect(transit.first).not_to_contain_text("11")
    shot(page, "in-transit-store-user-zh-desktop")
    assert page.js_errors == []


def test_stock_pages_on_a_phone(live_server, batch_stock, open_page):
    page = open_page(PHONE)
    login(page, live_server.url)
    for path in (
        "/inventory/expiring-batches",
        "/inventory/stock-at",
        "/inventory/in-transit",
        "/inventory/balances?view=location",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    expect(page.get_by_test_id("location-card").filter(has_text="MILK1L")).to_contain_text("24 个")
    shot(page, "stock-by-location-zh-phone")
    page.goto(f"{live_server.url}/inventory/expiring-batches")
    expect(page.get_by_test_id("list-card").filter(has_text="B20261")).to_have_class(
        re.compile(r"\bexpiry-soon\b")
    )
    shot(page, "expiring-batches-zh-phone")
    page.get_by_test_id("language-switch").get_by_text("EN").click()
    expect(page.get_by_text("Batches near expiry").first).to_be_visible()
    expect(page.get_by_text("Expires within 7 days")).to_be_visible()
    expect(page.get_by_test_id("list-card").filter(has_text="B20261")).to_contain_text("5 days")
    shot(page, "expiring-batches-en-phone")
    assert page.js_errors == []


def test_stock_on_hand_opens_per_product_with_its_unit(live_server, batch_stock, shop, open_page):
    """A store user thinks per product: batches are summed unless asked for, with the unit."""
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )

    milk = batch_stock["milk"]
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=milk.pk, quantity=Decimal("6"), unit_cost=Decimal("6.50"), batch_no="B20262"
            )
        ],
    )
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/balances")
    rows = page.locator(".ant-table-row")
    expect(rows).to_have_count(2)  # MILK1L's two batches in one row
    milk_row = rows.filter(has_text="MILK1L")
    expect(milk_row).to_contain_text("30")
    expect(milk_row.get_by_role("cell", name="个", exact=True)).to_be_visible()
    expect(page.locator(".ant-table-thead")).not_to_contain_text("批次")
    pick(page, "#group-by", "汇总方式: 按批次")
    expect(rows).to_have_count(3)
    assert page.js_errors == []
