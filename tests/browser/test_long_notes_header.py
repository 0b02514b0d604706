"""End-to-end: a document's long notes stay in their cell. A transfer or stock count with a
thousand characters of notes (the most notes hold) squeezed the header's other cells into a column one character
wide (the number read "D / B / - / 0 / 0 …" down the page)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = (
    "司机说箱子在路上淋了雨，请收货时逐箱检查。" * 47
)  # 987 characters: about as long as notes go


@pytest.mark.parametrize("viewport", [None, PHONE])
def test_long_notes_leave_the_header_readable(live_server, shop, open_page, viewport):
    from storeledger.inventory.services.counts import create_stock_count
    from storeledger.inventory.services.transfers import TransferLineInput, create_transfer
    from storeledger.testing import factories

    other = factories.warehouse(shop["store"], code="WH02", name="二号仓库")
    sku = factories.sku(code="TEA", name="TEA 饮料", base_unit=shop["unit"])
    transfer = create_transfer(
        user=shop["user"],
        from_warehouse_id=shop["warehouse"].pk,
        to_warehouse_id=other.pk,
        lines=[TransferLineInput(sku_id=sku.pk, quantity=Decimal(1))],
        notes=NOTES,
    )
    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk, notes=NOTES)

    page = open_page(viewport=viewport)
    login(page, live_server.url)
    pages = [(f"/inventory/transfers/{transfer.pk}", "transfer-notes")]
    if viewport is None:  # on a phone the count's header is folded away
        pages.append((f"/inventory/stock-counts/{count.pk}", "count-notes"))
    for url, notes_id in pages:
        page.goto(f"{live_server.url}{url}")
        number = page.locator(".ant-descriptions-item-content").first
        expect(number).to_contain_text("-0001-")
        # the number keeps a readable width and its notes cell does not grow the page
        assert number.bounding_box()["width"] > 120
        notes = page.get_by_test_id(notes_id)
        expect(notes).to_contain_text("逐箱检查")
        assert notes.bounding_box()["height"] < 400
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, f"long-notes-{notes_id}-{'phone' if viewport else 'desktop'}")
    assert page.js_errors == []
