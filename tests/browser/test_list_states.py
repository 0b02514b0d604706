"""End-to-end: the shared list pattern. A list whose API answers 500, or that loads while the
browser is offline, shows an error with a retry button (never the empty "暂无数据" picture), and
the retry loads the rows; while the first page loads there is a skeleton, not "暂无数据"; on a
phone a document list is cards that fit the screen; document lists filter by a date range."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRANSFERS_API = re.compile(r"/api/v1/transfers/\?")


@pytest.fixture
def transfer(shop):
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.inventory.services.transfers import TransferLineInput, create_transfer
    from storeledger.testing import factories

    juice = factories.sku(code="JUICE", name="橙汁 1L", base_unit=shop["unit"])
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=juice.pk, quantity=Decimal("5"), unit_cost=Decimal("2"))],
    )
    other = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    return create_transfer(
        user=shop["user"],
        from_warehouse_id=shop["warehouse"].pk,
        to_warehouse_id=other.pk,
        lines=[TransferLineInput(sku_id=juice.pk, quantity=Decimal("2"))],
    )


def test_a_failed_list_shows_an_error_with_retry(live_server, transfer, open_page):
    page = open_page()
    login(page, live_server.url)
    page.route(TRANSFERS_API, lambda route: route.fulfill(status=500, body="boom"))
    page.goto(f"{live_server.url}/inventory/transfers")
    error = page.get_by_test_id("list-error")
    expect(error).to_contain_text("加载失败")
    expect(error).to_contain_text("服务器出错")
    expect(page.get_by_text("暂无数据")).to_have_count(0)
    shot(page, "list-error-500-zh")

    page.unroute(TRANSFERS_API)
    page.get_by_test_id("list-retry").click()
    expect(page.get_by_role("link", name=transfer.number)).to_be_visible()
    expect(error).to_have_count(0)


def test_offline_list_says_so_and_loads_on_retry(live_server, transfer, open_page):
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/moves")
    expect(page.locator(".ant-table-row").first).to_be_visible()
    page.context.set_offline(True)
    page.get_by_test_id("side-menu").get_by_text("调拨", exact=True).click()
    error = page.get_by_test_id("list-error")
    expect(error).to_contain_text("无法连接服务器")
    expect(page.get_by_text("暂无数据")).to_have_count(0)
    page.context.set_offline(False)
    page.get_by_test_id("list-retry").click()
    expect(page.get_by_role("link", name=transfer.number)).to_be_visible()


def test_a_skeleton_while_loading_not_no_data(live_server, transfer, open_page):
    page = open_page()
    login(page, live_server.url)
    held = []
    page.route(TRANSFERS_API, lambda route: held.append(route))
    page.goto(f"{live_server.url}/inventory/transfers")
    expect(page.get_by_test_id("list-skeleton")).to_be_visible()
    expect(page.get_by_text("暂无数据")).to_have_count(0)
    for route in held:
        route.continue_()
    page.unroute(TRANSFERS_API)
    expect(page.get_by_role("link", name=transfer.number)).to_be_visible()
    expect(page.get_by_test_id("list-skeleton")).to_have_count(0)


def test_phone_document_list_is_cards_and_filters_by_date(live_server, transfer, open_page):
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/transfers")
    cards = page.get_by_test_id("list-cards")
    expect(cards.get_by_role("link", name=transfer.number)).to_be_visible()
    expect(cards).to_contain_text("草稿")
    shot(page, "list-cards-transfers-zh-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    day = transfer.document_date
    dates = page.get_by_test_id("date-range")
    dates.locator("input").first.click()
    dates.locator("input").first.fill(day.replace(year=day.year - 1).isoformat())
    dates.locator("input").first.press("Enter")
    dates.locator("input").nth(1).fill(day.replace(year=day.year - 1).isoformat())
    dates.locator("input").nth(1).press("Enter")
    expect(cards.get_by_role("link", name=transfer.number)).to_have_count(0)
    assert page.js_errors == []
