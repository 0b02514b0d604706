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


def test_a_store_dashboards_expiring_and_payables_cards_open_that_stores_reports(
    live_server, shop, two_stores, open_page
):
    """Before, the expiring card of a store's dashboard opened the chain's expiring batches,
    and the payables card the chain's ageing: the figure was the store's, the report was not."""
    import datetime

    from django.utils import timezone

    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    milk = factories.sku(code="MILK", name="鲜牛奶", tracking="batch", base_unit=shop["unit"])
    soon = timezone.localdate() + datetime.timedelta(days=5)
    for warehouse, batch in [(shop["warehouse"], "A-ONE"), (two_stores, "B-TWO")]:
        create_and_post_stock_document(
            user=shop["user"],
            kind="stock_in",
            warehouse_id=warehouse.pk,
            lines=[
                StockLineInput(
                    sku_id=milk.pk,
                    quantity=Decimal("2"),
                    unit_cost=Decimal("4"),
                    batch_no=batch,
                    expiry_date=soon,
                )
            ],
        )
    branch = two_stores.store
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/?store={branch.pk}")
    expect(page.get_by_test_id("card-expiring")).to_contain_text("1")
    page.get_by_test_id("card-expiring").click()
    page.wait_for_url(re.compile(rf"/reports/stock-status\?tab=expiring&store={branch.pk}$"))
    table = page.get_by_test_id("expiring-table")
    expect(table.locator(".ant-table-row")).to_have_count(1)
    expect(table.locator(".ant-table-row")).to_contain_text("B-TWO")

    # the payables ageing keeps its store in the URL, as the card's link gives it
    page.goto(f"{live_server.url}/finance/ageing?store={branch.pk}")
    expect(page.get_by_test_id("ageing-store")).to_contain_text("二号店")
    page.get_by_test_id("ageing-store").locator(".ant-select-clear").click(force=True)
    page.wait_for_url(re.compile(r"/finance/ageing$"))
    assert page.js_errors == []
