"""Lists at their real sizes: the ledger of a busy store (10,990 moves, 550 pages: the count of
the API's answer is raised to it) fits a 375 px phone without sideways scrolling, and the
supplier catalogue's actions stay in view on a 1440 px screen."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_ledger_fits_a_phone(live_server, shop, open_page):
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    skus = [
        factories.sku(code=f"FD00{n}", name=f"伊利 纯牛奶 250ml×{n}", base_unit=shop["unit"])
        for n in range(10, 13)
    ]
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(sku_id=s.pk, quantity=Decimal(5), unit_cost=Decimal("2")) for s in skus
        ],
    )

    def busy_store(route):
        response = route.fetch()
        body = response.json()
        body["count"] = 10_990
        route.fulfill(response=response, body=json.dumps(body))

    page = open_page(PHONE)
    page.route("**/api/v1/stock-moves/?*", busy_store)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/moves")
    cards = page.get_by_test_id("stock-moves").get_by_test_id("list-card")
    expect(cards).to_have_count(3)
    expect(page.locator(".ant-pagination").first).to_be_visible()
    shot(page, "ledger-busy-store-zh-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{width} px wide"
    assert page.js_errors == []


def test_supplier_catalogue_actions_in_view_at_1440(live_server, shop, open_page):
    from django.utils import timezone

    from storeledger.partners.models import Supplier
    from storeledger.purchasing.models import SupplierItem
    from storeledger.testing import factories

    sku = factories.sku(
        code="COLA", name="可口可乐 330ml 零度 无糖", base_unit=shop["unit"], case_factor="12"
    )
    supplier = Supplier.objects.create(code="S001", name="杭州娃哈哈集团有限公司华东分公司")
    item = SupplierItem.objects.create(
        supplier=supplier,
        sku=sku,
        purchase_unit=sku.units.get().unit,
        pack_size=Decimal(12),
        price=Decimal("25.20"),
        item_code="WHH-330-ZERO",
        price_valid_from=timezone.localdate(),
    )

    page = open_page({"width": 1440, "height": 900})
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/supplier-items")
    table = page.get_by_test_id("supplier-items-table").bounding_box()
    assert table is not None
    for action in ("history", "edit"):
        button = page.get_by_test_id(f"supplier-item-{action}-{item.pk}")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= table["x"] + table["width"], (action, box, table)
    shot(page, "supplier-catalogue-1440")
    assert page.js_errors == []
