"""End-to-end on a 375 px phone: counting a shelf. The scan box is at the top of the count page
(the header folds away under it), the sheet is one card per line with the batch number and
expiry date, nothing scrolls sideways, and a count typed into a card is saved."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_count_a_shelf_on_a_phone(live_server, shop, open_page):
    from storeledger.inventory.models import StockCountLine
    from storeledger.inventory.services.counts import create_stock_count, start_stock_count
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    milk = factories.sku(code="MILK", name="纯牛奶 250ml", tracking="batch", base_unit=shop["unit"])
    today = timezone.localdate()
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=milk.pk,
                quantity=Decimal(quantity),
                unit_cost=Decimal("2"),
                batch_no=batch_no,
                expiry_date=today + datetime.timedelta(days=days),
            )
            for batch_no, quantity, days in [("A2601", "3", 30), ("A2602", "4", 60)]
        ],
    )
    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk)
    start_stock_count(user=shop["user"], count_id=count.pk)

    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    cards = page.get_by_test_id("count-sheet").get_by_test_id("list-card")
    expect(cards).to_have_count(2)
    scan_box = page.locator("#scan-input").bounding_box()
    assert scan_box is not None and scan_box["y"] < 250, scan_box  # no scrolling to reach it
    expect(page.get_by_test_id("doc-status")).to_have_text("盘点中")
    later = cards.filter(has_text="A2602")
    expect(later).to_contain_text((today + datetime.timedelta(days=60)).isoformat())
    expect(later).to_contain_text("未盘")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "count-sheet-zh-phone")

    later.get_by_test_id("set-count-MILK").fill("5")
    later.get_by_test_id("set-count-MILK").press("Enter")
    expect(later.get_by_test_id("counted-MILK")).to_have_text("5")
    line = StockCountLine.objects.get(count=count, batch__batch_no="A2602")
    assert line.counted_quantity == Decimal(5)

    # the header is one tap away
    page.get_by_text("单据信息").click()
    expect(page.get_by_test_id("count-header")).to_contain_text(count.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == []


def test_count_sheet_views_fit_a_phone_in_english(live_server, shop, open_page):
    """The sheet's views (All / Not counted / With difference / To recount, with their counts)
    are longer in English than a 375 px phone: they wrap instead of scrolling the page sideways."""
    from storeledger.inventory.services.counts import create_stock_count, start_stock_count
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    skus = [
        factories.sku(code=f"SKU{n}", name=f"商品{n}", base_unit=shop["unit"]) for n in range(12)
    ]
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(sku_id=s.pk, quantity=Decimal(5), unit_cost=Decimal(2)) for s in skus
        ],
    )
    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk)
    start_stock_count(user=shop["user"], count_id=count.pk)

    page = open_page(PHONE, lang="en")
    login(page, live_server.url)
    page.get_by_test_id("language-switch").get_by_text("EN").click()
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    views = page.get_by_test_id("sheet-view")
    expect(views).to_contain_text("Not counted (12)")
    expect(views).to_contain_text("To recount (0)")
    box = views.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "count-sheet-en-phone")
    assert page.js_errors == []
