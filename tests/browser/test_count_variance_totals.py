"""End-to-end: a submitted stock count says what it gains and loses, and its value, above the
sheet. The count page showed only "已盘 2 / 3 行": a manager deciding whether to approve or post
had to page through every line to learn the total variance the approval threshold is about."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted_count(shop):
    from storeledger.inventory.services.counts import (
        CountEntryInput,
        create_stock_count,
        record_count,
        start_stock_count,
        submit_stock_count,
    )
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    skus = {}
    for code, barcode, cost in [
        ("TEA", "6900000000301", "2.50"),
        ("COLA", "6900000000302", "1000.00"),
        ("WATER", "6900000000303", "1.00"),
    ]:
        sku = factories.sku(code=code, name=f"{code} 饮料", barcode=barcode, base_unit=shop["unit"])
        create_and_post_stock_document(
            user=shop["user"],
            kind="stock_in",
            warehouse_id=shop["warehouse"].pk,
            lines=[StockLineInput(sku_id=sku.pk, quantity=Decimal("5"), unit_cost=Decimal(cost))],
        )
        skus[code] = sku
    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk)
    start_stock_count(user=shop["user"], count_id=count.pk)
    # TEA: 9 counted, 5 in the book (+4 × 2.50); COLA: 3 counted (-2 × 1,000.00)
    record_count(
        user=shop["user"],
        count_id=count.pk,
        entries=[
            CountEntryInput(quantity=Decimal(9), sku_id=skus["TEA"].pk),
            CountEntryInput(quantity=Decimal(3), sku_id=skus["COLA"].pk),
        ],
    )
    submit_stock_count(user=shop["user"], count_id=count.pk)
    return count


@pytest.mark.parametrize(
    ("lang", "viewport", "text"),
    [
        (
            "zh-CN",
            None,
            "已盘 2 / 3 行 · 盘盈 4，盘亏 -2 · 金额：盘盈 10.00，盘亏 -2,000.00，净差异 -1,990.00",
        ),
        (
            "en",
            PHONE,
            "2 of 3 lines counted · gains 4, losses -2 · value: gains 10.00, losses -2,000.00, "
            "net -1,990.00",
        ),
    ],
)
def test_submitted_count_shows_its_gains_losses_and_value(
    live_server, shop, open_page, lang, viewport, text
):
    count = _submitted_count(shop)
    page = open_page(viewport=viewport, lang=lang)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    expect(page.get_by_test_id("count-totals")).to_have_text(text)
    shot(page, f"count-variance-totals-{lang}")
    assert page.js_errors == []


def test_counting_count_shows_no_variance_yet(live_server, shop, open_page):
    from storeledger.inventory.services.counts import create_stock_count, start_stock_count

    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk)
    start_stock_count(user=shop["user"], count_id=count.pk)
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    expect(page.get_by_test_id("count-totals")).to_have_text("已盘 0 / 0 行")
    expect(page.get_by_test_id("count-variance")).to_have_count(0)
