"""End-to-end: 系统设置 → 公司参数: an administrator turns negative stock on and sets the
stock-count approval threshold in the app; a warehouse keeper has no settings menu."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PASSWORD, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_changes_the_company_parameters(live_server, shop, open_page):
    from storeledger.org.models import Company
    from storeledger.testing import factories

    page = open_page(DESKTOP)
    login(page, live_server.url)
    menu = page.get_by_test_id("side-menu")
    link = menu.get_by_role("link", name="公司参数")
    if not link.is_visible():
        menu.get_by_text("系统设置", exact=True).click()
    link.click()
    page.wait_for_url("**/settings/company")
    expect(page.get_by_test_id("company-time-zone")).to_have_value(Company.current().time_zone)
    page.get_by_test_id("company-negative").click()
    page.get_by_test_id("company-threshold").fill("500")
    page.get_by_test_id("company-save").click()
    expect(page.get_by_text("公司参数已保存")).to_be_visible()
    shot(page, "company-settings-zh")
    company = Company.current()
    assert (company.allow_negative_stock, company.count_approval_threshold) == (
        True,
        Decimal("500.00"),
    )

    page.get_by_test_id("company-time-zone").fill("Mars/Olympus")
    page.get_by_test_id("company-save").click()
    expect(page.locator(".ant-form-item-explain-error")).to_be_visible()
    assert Company.current().time_zone != "Mars/Olympus"

    factories.user(
        "keeper1", roles=("warehouse_keeper",), stores=(shop["store"],), password=PASSWORD
    )
    keeper = open_page(DESKTOP)
    login(keeper, live_server.url, "keeper1")
    expect(keeper.get_by_test_id("side-menu").get_by_text("库存", exact=True)).to_be_visible()
    expect(keeper.get_by_test_id("side-menu").get_by_text("系统设置")).to_have_count(0)
    assert page.js_errors == [] and keeper.js_errors == []


def test_amounts_show_the_company_currency_once_it_is_saved(live_server, shop, open_page):
    """The dashboard showed ¥ whatever the currency; it shows the saved one's sign at once."""
    import re

    from storeledger.org.models import Company

    page = open_page(DESKTOP)
    login(page, live_server.url)
    money = page.get_by_test_id("card-stock-value").get_by_test_id("card-money")
    expect(money).to_have_text(re.compile(r"^¥\d"))
    page.goto(f"{live_server.url}/settings/company")
    page.get_by_test_id("company-currency").fill("usd")
    page.get_by_test_id("company-save").click()
    expect(page.get_by_text("公司参数已保存")).to_be_visible()
    assert Company.current().currency == "USD"
    page.get_by_test_id("side-menu").get_by_role("link", name="首页").click()
    expect(money).to_have_text(re.compile(r"^\$\d"))
    expect(money).to_have_attribute("title", re.compile(r"^\$\d"))
    shot(page, "dashboard-usd")
    assert page.js_errors == []
