"""End-to-end: the supplier catalogue (采购 → 供应商商品): add a supplier's item in a case of 12,
change its price (the old one stays in the history), make another supplier preferred, the
phone width, and the page in English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, test_id: str, text: str, search: str | None = None) -> None:
    page.get_by_test_id(test_id).click()
    if search:
        page.get_by_test_id(test_id).locator("input").fill(search)
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


@pytest.fixture
def catalogue(shop):
    from storeledger.partners.models import Supplier
    from storeledger.testing import factories

    sku = factories.sku(
        code="COLA", name="可口可乐 330ml", base_unit=shop["unit"], case_factor="12"
    )
    wahaha = Supplier.objects.create(code="S001", name="杭州娃哈哈集团", lead_time_days=3)
    nongfu = Supplier.objects.create(code="S002", name="农夫山泉股份", lead_time_days=5)
    return {"sku": sku, "wahaha": wahaha, "nongfu": nongfu}


def test_buyer_adds_an_item_changes_its_price_and_sees_the_history(
    live_server, catalogue, open_page
):
    from storeledger.purchasing.models import SupplierItem

    page = open_page(DESKTOP)
    login(page, live_server.url)
    menu = page.get_by_test_id("side-menu")
    link = menu.get_by_role("link", name="供应商商品")
    if not link.is_visible():
        menu.get_by_text("采购", exact=True).click()
    link.click()
    expect(page.get_by_text("供应商商品").first).to_be_visible()

    page.get_by_test_id("supplier-item-create").click()
    pick(page, "supplier-item-supplier", "杭州娃哈哈集团", search="S001")
    pick(page, "supplier-item-sku", "可口可乐", search="COLA")
    pick(page, "supplier-item-unit", "箱")
    page.get_by_test_id("supplier-item-price").fill("25.2")
    page.get_by_test_id("supplier-item-code").fill("WHH-330")
    page.get_by_test_id("supplier-item-preferred").click()
    page.get_by_test_id("supplier-item-save").click()
    table = page.get_by_test_id("supplier-items-table")
    row = table.locator(".ant-table-row").filter(has_text="WHH-330")
    expect(row).to_contain_text("箱 × 12 个")
    expect(row).to_contain_text("25.20")
    expect(row).to_contain_text("2.10")  # per base unit
    expect(row).to_contain_text("首选")
    item = SupplierItem.objects.get()
    assert (item.price, item.pack_size, item.preferred) == (Decimal("25.2"), Decimal(12), True)

    # a bad price is refused with the server's message on the field, nothing saved
    page.get_by_test_id(f"supplier-item-history-{item.pk}").click()
    page.get_by_test_id("change-price-price").fill("0")
    page.get_by_test_id("change-price-save").click()
    expect(
        page.locator(".ant-form-item-explain-error").filter(has_text="价格必须大于零")
    ).to_be_visible()
    assert item.prices.count() == 1

    page.get_by_test_id("change-price-price").fill("26.4")
    page.get_by_test_id("change-price-note").fill("年度调价")
    page.get_by_test_id("change-price-save").click()
    history = page.get_by_test_id("price-history")
    expect(history.locator(".ant-table-row")).to_have_count(2)
    expect(history.locator(".ant-table-row").first).to_contain_text("26.40")
    expect(history.locator(".ant-table-row").first).to_contain_text("年度调价")
    expect(history.locator(".ant-table-row").nth(1)).to_contain_text("25.20")
    shot(page, "supplier-item-history-zh-desktop")
    page.keyboard.press("Escape")
    expect(row).to_contain_text("26.40")

    # another supplier, made preferred: the first one stops being it
    page.get_by_test_id("supplier-item-create").click()
    pick(page, "supplier-item-supplier", "农夫山泉股份", search="S002")
    pick(page, "supplier-item-sku", "可口可乐", search="COLA")
    page.get_by_test_id("supplier-item-price").fill("2.05")
    page.get_by_test_id("supplier-item-preferred").click()
    page.get_by_test_id("supplier-item-save").click()
    expect(table.locator(".ant-table-row")).to_have_count(2)
    expect(table.locator(".ant-table-row").filter(has_text="农夫山泉股份")).to_contain_text("首选")
    expect(table.locator(".ant-table-row").filter(has_text="WHH-330")).not_to_contain_text("首选")
    assert list(
        SupplierItem.objects.filter(preferred=True).values_list("supplier__code", flat=True)
    ) == ["S002"]

    page.get_by_test_id("supplier-items-preferred").click()
    page.locator(".ant-select-item-option").filter(has_text="仅首选").click()
    expect(table.locator(".ant-table-row")).to_have_count(1)
    shot(page, "supplier-items-zh-desktop")
    assert page.js_errors == []


def test_supplier_catalogue_on_a_phone_and_in_english(live_server, catalogue, open_page):
    from storeledger.purchasing import services

    services.create_supplier_item(
        user=None,
        data=services.SupplierItemData(
            supplier=catalogue["wahaha"],
            sku=catalogue["sku"],
            price=Decimal("25.20"),
            purchase_unit=catalogue["sku"].units.get().unit,
            preferred=True,
        ),
    )
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/supplier-items")
    card = page.get_by_test_id("supplier-item-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("¥25.20 / 箱 × 12 个")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    shot(page, "supplier-items-zh-phone")
    card.get_by_text("价格历史").click()
    expect(page.get_by_test_id("price-history").locator(".ant-table-row")).to_have_count(1)
    assert page.js_errors == []

    english = open_page(DESKTOP, lang="en")
    login(english, live_server.url)
    english.get_by_test_id("language-switch").get_by_text("EN").click()
    english.goto(f"{live_server.url}/purchasing/supplier-items")
    expect(english.get_by_text("Supplier catalogue").first).to_be_visible()
    expect(english.get_by_test_id("supplier-items-table")).to_contain_text("Preferred")
    shot(english, "supplier-items-en-desktop")
    assert english.js_errors == []
