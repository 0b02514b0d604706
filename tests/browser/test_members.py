"""End-to-end: 会员 under 基础资料: an administrator adds a member level (金卡, 5% off), then a
member: a customer with that level and a card number; the customer list shows the level."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(dialog, values: dict[str, str]) -> None:
    for label, value in values.items():
        dialog.get_by_label(label, exact=True).fill(value)


def test_add_a_member_level_and_a_member(live_server, shop, open_page):
    from storeledger.partners.models import Customer, MemberLevel

    page = open_page(DESKTOP)
    login(page, live_server.url)
    menu = page.get_by_test_id("side-menu")
    menu.get_by_role("link", name="会员等级").click()
    page.wait_for_url("**/master/member-levels")
    page.get_by_test_id("master-create").click()
    dialog = page.locator(".ant-modal").filter(has=page.get_by_test_id("master-save"))
    fill(dialog, {"编码": "GOLD", "名称": "金卡"})
    dialog.get_by_label("折扣率（1 = 不打折，0.95 = 九五折）", exact=True).fill("0.95")
    page.get_by_test_id("master-save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("cell", name="金卡", exact=True)).to_be_visible()
    gold = MemberLevel.objects.get(code="GOLD")
    assert gold.discount == Decimal("0.95")

    page.goto(f"{live_server.url}/master/customers")
    page.get_by_test_id("master-create").click()
    fill(dialog, {"编码": "M0001", "名称": "王小明", "会员卡号": "88000001"})
    dialog.locator(".ant-form-item").filter(has_text="会员等级").locator(".ant-select").click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text="金卡").click()
    page.get_by_test_id("master-save").click()
    expect(dialog).to_be_hidden()
    row = page.locator(".ant-table-row").filter(has_text="M0001")
    expect(row).to_contain_text("金卡")
    shot(page, "members-zh-desktop")
    member = Customer.objects.get(code="M0001")
    assert (member.member_level_id, member.member_card_no) == (gold.pk, "88000001")
    assert page.js_errors == []
