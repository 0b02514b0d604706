"""End-to-end: 系统设置 → 用户: head office creates a keeper with a role and one store in the
app (without a store the form shows the API's refusal on the stores field); the keeper signs
in with the password given and sees only that store's stock; the roles page lists what a role
may do in Chinese; the keeper has no settings menu."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Shelf-Count-2026"


def _open_settings(page, name: str) -> None:
    menu = page.get_by_test_id("side-menu")
    link = menu.get_by_role("link", name=name)
    if not link.is_visible():
        menu.get_by_text("系统设置", exact=True).click()
    link.click()


def test_admin_creates_a_store_keeper_who_sees_only_his_store(live_server, shop, open_page):
    from django.contrib.auth.models import User

    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    second = factories.store("0002", name="二号店")
    second_wh = factories.warehouse(second, code="WH02", name="二号店仓库")
    cola = factories.sku(code="SKU-COLA", name="可口可乐 330ml")
    for warehouse in (shop["warehouse"], second_wh):
        create_and_post_stock_document(
            user=shop["user"],
            kind="stock_in",
            warehouse_id=warehouse.id,
            lines=[StockLineInput(sku_id=cola.id, quantity=Decimal(5), unit_cost=Decimal(2))],
        )

    page = open_page(DESKTOP)
    login(page, live_server.url)
    _open_settings(page, "用户")
    page.wait_for_url("**/settings/users")
    expect(page.get_by_test_id("users-table").get_by_text("boss", exact=True)).to_be_visible()
    page.get_by_test_id("user-create").click()
    page.get_by_test_id("user-username").fill("xiaowang")
    page.get_by_test_id("user-full-name").fill("王小")
    page.get_by_test_id("user-password").fill(NEW_PASSWORD)
    page.get_by_test_id("user-roles").click()
    page.locator(".ant-select-dropdown:visible").get_by_text("仓管员", exact=True).click()
    page.keyboard.press("Escape")
    # a keeper without a store would see nothing: the API refuses, the form says why
    page.get_by_test_id("user-save").click()
    expect(page.locator(".ant-form-item-explain-error", has_text="需要门店")).to_be_visible()
    assert not User.objects.filter(username="xiaowang").exists()
    page.get_by_test_id("user-stores").click()
    page.locator(".ant-select-dropdown:visible").get_by_text("0002 二号店").click()
    page.keyboard.press("Escape")
    shot(page, "settings-user-create-zh")
    page.get_by_test_id("user-save").click()
    row = page.get_by_test_id("users-table").locator("tr", has_text="xiaowang")
    expect(row).to_contain_text("仓管员")
    expect(row).to_contain_text("二号店")
    user = User.objects.get(username="xiaowang")
    assert list(user.groups.values_list("name", flat=True)) == ["warehouse_keeper"]
    assert [s.code for s in user.scope.stores.all()] == ["0002"]
    assert user.scope.all_stores is False

    _open_settings(page, "角色权限")
    page.wait_for_url("**/settings/roles")
    page.get_by_test_id("roles").get_by_text("仓管员", exact=True).click()
    keeper_role = page.get_by_test_id("role-warehouse_keeper")
    expect(keeper_role).to_contain_text("库存流水")
    expect(keeper_role).to_contain_text("查看")
    shot(page, "settings-roles-zh")

    keeper = open_page(PHONE)
    login(keeper, live_server.url, "xiaowang", NEW_PASSWORD)
    keeper.goto(f"{live_server.url}/inventory/moves")
    cards = keeper.get_by_test_id("list-card")
    expect(cards.first).to_be_visible()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("二号店仓库")
    expect(keeper.get_by_text("一号店仓库")).to_have_count(0)
    assert keeper.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(keeper, "settings-new-keeper-phone")
    keeper.goto(f"{live_server.url}/settings/users")
    expect(keeper.get_by_text("403")).to_be_visible()

    # deactivated: the keeper cannot sign in any more
    page.goto(f"{live_server.url}/settings/users")
    row = page.get_by_test_id("users-table").locator("tr", has_text="xiaowang")
    row.get_by_role("button", name="停用").click()
    page.locator(".ant-popconfirm .ant-btn-primary").click()
    expect(page.get_by_text("用户已停用")).to_be_visible()
    assert User.objects.get(username="xiaowang").is_active is False
    assert page.js_errors == [] and keeper.js_errors == []


def test_a_user_sets_his_own_email_from_the_user_menu(live_server, shop, open_page):
    from django.contrib.auth.models import User

    page = open_page()
    login(page, live_server.url)
    page.get_by_test_id("user-menu").click()
    page.get_by_text("我的邮箱").click()
    field = page.get_by_test_id("my-email")
    field.fill("not an address")
    page.get_by_test_id("my-email-save").click()
    expect(page.get_by_text("请输入有效的电子邮箱地址")).to_be_visible()
    field.fill("boss@example.com")
    page.get_by_test_id("my-email-save").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    assert User.objects.get(username="boss").email == "boss@example.com"
    # the subscription form no longer warns about a missing address
    page.goto(f"{live_server.url}/reports/stock-status")
    page.get_by_test_id("subscribe").first.click()
    expect(page.get_by_test_id("subscription-filters")).to_be_visible()
    expect(page.get_by_test_id("subscription-no-email")).to_have_count(0)
