"""End-to-end: the dashboards. Head office (every store) in Chinese: the figures of both stores,
the comparison table, a store's own dashboard from it, and a figure opening its report with
the store and period in the URL. A keeper of one store in English lands on his store and sees
counts, no values."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_stores(shop):
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    tea = factories.sku(code="TEA", name="绿茶", base_unit=shop["unit"], safety_stock=Decimal(5))
    branch = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    for warehouse, quantity in [(shop["warehouse"], "3"), (branch, "10")]:
        create_and_post_stock_document(
            user=shop["user"],
            kind="stock_in",
            warehouse_id=warehouse.pk,
            lines=[StockLineInput(sku_id=tea.pk, quantity=Decimal(quantity), unit_cost=Decimal(2))],
        )
    return branch


def test_head_office_and_store_dashboards_zh(live_server, shop, two_stores, open_page):
    page = open_page()
    login(page, live_server.url)
    expect(page.get_by_test_id("board-title")).to_contain_text("总部看板")
    expect(page.get_by_test_id("card-stock-value")).to_contain_text("¥26.00")  # 3×2 + 10×2
    rows = page.get_by_test_id("board-stores").locator(".ant-table-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("chart-stores").get_by_test_id("chart")).to_be_visible()
    shot(page, "dashboard-head-office-zh")

    rows.filter(has_text="二号店").get_by_role("link").click()
    page.wait_for_url(re.compile(r"\?store=\d+"))
    expect(page.get_by_test_id("board-title")).to_contain_text("门店看板 · 二号店")
    expect(page.get_by_test_id("card-stock-value")).to_contain_text("¥20.00")
    expect(page.get_by_test_id("below-safety-link")).to_contain_text("0")
    page.get_by_test_id("card-in").click()
    page.wait_for_url(re.compile(r"/reports/stock-summary\?group_by=warehouse&date_from=.*store="))
    expect(page.locator(".ant-table-row")).to_have_count(1)
    expect(page.locator(".ant-table-row").first).to_contain_text("二号店仓库")
    assert page.js_errors == []


def test_store_keeper_dashboard_en(live_server, shop, two_stores, open_page):
    from storeledger.testing import factories

    factories.user(
        "keeper1", roles=("warehouse_keeper",), stores=(shop["store"],), password=PASSWORD
    )
    page = open_page()
    login(page, live_server.url, "keeper1")
    page.get_by_test_id("language-switch").get_by_text("EN", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    expect(page.get_by_test_id("board-title")).to_contain_text("Store dashboard · 一号店")
    expect(page.get_by_test_id("board-no-cost")).to_be_visible()
    expect(page.get_by_test_id("below-safety-link")).to_contain_text("1")  # 3 of 5
    expect(page.get_by_test_id("card-sku-count")).to_contain_text("1")
    expect(page.get_by_test_id("card-stock-value")).to_have_count(0)
    expect(page.get_by_test_id("chart-trend")).to_have_count(0)
    expect(page.get_by_test_id("board-store")).to_have_count(0)  # one store: no selector
    shot(page, "dashboard-store-keeper-en")
    assert page.js_errors == []
