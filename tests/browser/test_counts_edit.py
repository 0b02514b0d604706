"""End-to-end: on a phone, edit a draft stock count's header (categories, locations, approval
threshold, blind mode, notes) from its detail page, saved with the count's version; a stale
version (someone else saved in between) shows the reload message and reloads the latest header;
starting the count then snapshots only the SKUs of the edited scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def category(code: str, name: str):
    from storeledger.catalog.models import Category

    node = Category.objects.create(code=code, name=name)
    Category.objects.filter(pk=node.pk).update(path=f"/{node.pk}/")
    return node


def stock_in(shop, sku, location, quantity: str) -> None:
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )

    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=sku.pk,
                quantity=Decimal(quantity),
                unit_cost=Decimal("2"),
                location_id=location.pk,
            )
        ],
    )


def pick(page, test_id: str, option: str) -> None:
    """Choose `option` in the (tree) select `test_id` and close its dropdown."""
    page.get_by_test_id(test_id).click()
    page.locator(".ant-select-dropdown:visible").get_by_title(option, exact=True).click()
    page.keyboard.press("Escape")


def test_edit_a_draft_count_header_and_start_it(live_server, shop, open_page):
    from storeledger.inventory.models import StockCount, StockCountLine
    from storeledger.inventory.services.counts import create_stock_count
    from storeledger.org.models import Location
    from storeledger.testing import factories

    drinks, snacks = category("DRINK", "饮料"), category("SNACK", "零食")
    shelf_a = Location.objects.create(warehouse=shop["warehouse"], code="A-01", name="饮料架")
    shelf_b = Location.objects.create(warehouse=shop["warehouse"], code="B-02", name="零食架")
    for code, name, group, shelf, quantity in [
        ("TEA", "绿茶 500ml", drinks, shelf_a, "5"),
        ("CHIPS", "薯片 70g", snacks, shelf_a, "3"),
        ("WATER", "矿泉水 550ml", drinks, shelf_b, "2"),
    ]:
        sku = factories.sku(code=code, name=name, base_unit=shop["unit"])
        sku.product.category = group
        sku.product.save()
        stock_in(shop, sku, shelf, quantity)
    count = create_stock_count(
        user=shop["user"], warehouse_id=shop["warehouse"].pk, notes="月度盘点"
    )

    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    expect(page.get_by_test_id("doc-status")).to_have_text("草稿")
    expect(page.get_by_test_id("count-categories")).to_have_text("全部分类")
    expect(page.get_by_test_id("count-threshold")).to_have_text("按公司设置")

    # edit the scope, threshold, blind mode and notes
    page.get_by_test_id("count-header-edit").click()
    editor = page.get_by_test_id("count-header-editor")
    expect(editor.get_by_test_id("count-edit-notes")).to_have_value("月度盘点")
    pick(page, "count-edit-categories", "DRINK 饮料")
    pick(page, "count-edit-locations", "A-01 饮料架")
    editor.get_by_test_id("count-edit-threshold").fill("300")
    editor.get_by_test_id("count-edit-blind").click()
    editor.get_by_test_id("count-edit-notes").fill("饮料架盘点")
    shot(page, "count-header-edit-zh-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    editor.get_by_test_id("count-header-save").click()
    expect(page.get_by_test_id("count-header-editor")).to_have_count(0)

    count.refresh_from_db()
    assert count.version == 2
    assert [c.code for c in count.categories.all()] == ["DRINK"]
    assert [loc.code for loc in count.locations.all()] == ["A-01"]
    assert (count.approval_threshold, count.blind, count.notes) == (
        Decimal("300"),
        True,
        "饮料架盘点",
    )
    expect(page.get_by_test_id("count-categories")).to_have_text("DRINK 饮料")
    expect(page.get_by_test_id("count-locations")).to_have_text("A-01 饮料架")
    expect(page.get_by_test_id("count-threshold")).to_have_text("300.00")
    expect(page.get_by_test_id("count-blind")).to_have_text("是")
    expect(page.get_by_test_id("count-notes")).to_have_text("饮料架盘点")

    # someone else saves in between: saving answers 409 stale_version → message and reload
    page.get_by_test_id("count-header-edit").click()
    page.get_by_test_id("count-edit-notes").fill("不会保存")
    StockCount.objects.filter(pk=count.pk).update(version=F("version") + 1, notes="别人改的")
    page.get_by_test_id("count-header-save").click()
    expect(page.get_by_test_id("stale-version")).to_be_visible()
    count.refresh_from_db()
    assert (count.version, count.notes) == (3, "别人改的")
    page.get_by_test_id("stale-reload").click()
    expect(page.get_by_test_id("stale-version")).to_have_count(0)
    expect(page.get_by_test_id("count-edit-notes")).to_have_value("别人改的")
    page.get_by_test_id("count-header-cancel").click()

    # start: the snapshot has only the drinks on shelf A-01; the header is no longer editable
    page.get_by_test_id("action-start").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="开始盘点").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("盘点中")
    expect(page.get_by_test_id("count-header-edit")).to_have_count(0)
    lines = StockCountLine.objects.filter(count=count)
    assert [(line.sku.code, line.book_quantity) for line in lines] == [("TEA", Decimal("5"))]
    shot(page, "count-started-zh-phone")
    assert page.js_errors == []
