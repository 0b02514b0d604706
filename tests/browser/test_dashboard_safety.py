"""End-to-end: the dashboard's "below safety stock" counts per warehouse: a store short of an item
counts although the chain in total has enough, and the card opens that store's row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_below_safety_stock_per_warehouse(live_server, shop, open_page):
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    tea = factories.sku(code="TEA", name="绿茶", base_unit=shop["unit"], safety_stock=Decimal(5))
    other = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    for warehouse, quantity in [(shop["warehouse"], "3"), (other, "10")]:
        create_and_post_stock_document(
            user=shop["user"],
            kind="stock_in",
            warehouse_id=warehouse.pk,
            lines=[StockLineInput(sku_id=tea.pk, quantity=Decimal(quantity), unit_cost=Decimal(2))],
        )
    page = open_page()
    login(page, live_server.url)
    card = page.get_by_test_id("below-safety-link")
    expect(card).to_contain_text("1")  # 13 in the chain, but 一号店 has 3 of 5
    card.click()
    rows = page.locator(".ant-table-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("一号店仓库")
    assert page.js_errors == []
