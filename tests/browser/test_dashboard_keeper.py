"""End-to-end: the dashboard of a store keeper whose store is fed by transfers. "Recent
receipts" lists the transfer shipped to the store (not only other stock-ins), and the quick
actions offer receiving (with the number waiting), a new transfer and counting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keeper_dashboard_shows_transfers_coming_in(live_server, shop, open_page):
    from storeledger.inventory.services import transfers as svc
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    user = shop["user"]
    juice = factories.sku(code="JUICE", name="橙汁 1L", base_unit=shop["unit"])
    create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=juice.pk, quantity=Decimal(5), unit_cost=Decimal("4"))],
    )
    branch = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    factories.user(
        "keeper2", roles=("warehouse_keeper",), stores=(branch.store,), password=PASSWORD
    )
    transfer = svc.create_transfer(
        user=user,
        from_warehouse_id=shop["warehouse"].pk,
        to_warehouse_id=branch.pk,
        lines=[svc.TransferLineInput(sku_id=juice.pk, quantity=Decimal(3))],
    )
    svc.submit_transfer(user=user, transfer_id=transfer.pk)
    svc.approve_transfer(user=user, transfer_id=transfer.pk)
    svc.ship_transfer(user=user, transfer_id=transfer.pk)

    page = open_page()
    login(page, live_server.url, "keeper2")
    recent = page.get_by_test_id("recent-receipts")
    expect(recent).to_contain_text(transfer.number)
    expect(recent).to_contain_text("调拨入库")
    expect(recent).not_to_contain_text("RK-")  # the other store's stock-in is not theirs
    actions = page.get_by_test_id("quick-actions")
    expect(actions.get_by_test_id("quick-transfer")).to_be_visible()
    expect(actions.get_by_test_id("quick-count")).to_be_visible()
    expect(actions.locator(".ant-badge-count")).to_have_text("1")
    shot(page, "dashboard-keeper-transfers-zh")
    actions.get_by_test_id("quick-receive").click()
    page.wait_for_url("**/inventory/in-transit")
    assert page.js_errors == []
