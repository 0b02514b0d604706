"""End-to-end: a warehouse keeper of one store sends goods to another store. The destination
list offers every active warehouse of the company (not only the keeper's own, which is the
source), and the saved transfer goes from the keeper's store to the other store."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keeper_transfers_to_another_store(live_server, shop, open_page):
    from storeledger.inventory.models import Transfer
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    juice = factories.sku(
        code="JUICE", name="橙汁 1L", barcode="6900000000024", base_unit=shop["unit"]
    )
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=juice.pk, quantity=Decimal("10"), unit_cost=Decimal("2"))],
    )
    other = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    factories.warehouse(None, code="WH00", name="中心仓")
    factories.warehouse(None, code="WH98", name="停用仓", active=False)
    factories.user(
        "keeper1", roles=("warehouse_keeper",), stores=(shop["store"],), password=PASSWORD
    )

    page = open_page()
    login(page, live_server.url, "keeper1")
    page.goto(f"{live_server.url}/inventory/transfers/new")
    expect(
        page.locator("#transfer-from").locator(
            "xpath=ancestor::div[contains(@class,'ant-select')][1]"
        )
    ).to_contain_text("WH01")
    page.locator("#transfer-to").click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    options = dropdown.locator(".ant-select-item-option")
    expect(options).to_have_count(3)
    expect(options).to_have_text(["WH00 中心仓", "WH01 一号店仓库", "WH02 二号店仓库"])
    shot(page, "transfer-destinations-keeper-zh")
    options.filter(has_text="WH02").click()
    field = page.locator("#scan-input")
    for _ in range(2):
        field.fill("6900000000024")
        field.press("Enter")
    expect(page.get_by_test_id("qty-JUICE")).to_have_value("2")
    page.get_by_test_id("transfer-save").click()
    page.wait_for_url(re.compile(r"/inventory/transfers/\d+$"))

    transfer = Transfer.objects.get(pk=int(page.url.rsplit("/", 1)[1]))
    assert (transfer.from_warehouse_id, transfer.to_warehouse_id) == (
        shop["warehouse"].pk,
        other.pk,
    )
    assert [(line.sku_id, line.quantity) for line in transfer.lines.all()] == [
        (juice.pk, Decimal("2"))
    ]
    expect(page.get_by_test_id("doc-status")).to_have_text("草稿")
    assert page.js_errors == []
