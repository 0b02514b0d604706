"""Document state buttons: a posted original offers Reverse, its reversing document (红冲)
does not (the server would refuse with 409 reversal_of_reversal)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reversing_stock_in_and_transfer_offer_no_reverse(live_server, shop, open_page):
    from storeledger.inventory.services import transfers
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
        reverse_stock_document,
    )
    from storeledger.testing import factories

    user, warehouse = shop["user"], shop["warehouse"]
    sku = factories.sku(code="COLA330", name="可口可乐 330ml")
    other = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    original = create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(10), unit_cost=Decimal("2.00"))],
    )
    second = create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(5), unit_cost=Decimal("2.00"))],
    )
    reversal = reverse_stock_document(user=user, document_id=original.id)
    transfer = transfers.create_transfer(
        user=user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other.id,
        lines=[transfers.TransferLineInput(sku_id=sku.id, quantity=Decimal(2))],
    )
    transfers.ship_transfer(user=user, transfer_id=transfer.id)
    transfers.receive_transfer(
        user=user,
        transfer_id=transfer.id,
        lines=[transfers.ReceiveLineInput(transfer.lines.get().id, Decimal(2))],
    )
    reversing_transfer = transfers.reverse_transfer(user=user, transfer_id=transfer.id)

    page = open_page(DESKTOP)
    login(page, live_server.url)
    # positive control: a posted original offers Reverse
    page.goto(f"{live_server.url}/inventory/stock-ins/{second.id}")
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    expect(page.get_by_test_id("action-reverse")).to_be_visible()

    page.goto(f"{live_server.url}/inventory/stock-ins/{reversal.id}")
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    expect(page.get_by_text(reversal.number).first).to_be_visible()
    expect(page.get_by_test_id("action-reverse")).to_have_count(0)

    page.goto(f"{live_server.url}/inventory/transfers/{reversing_transfer.id}")
    expect(page.get_by_text(reversing_transfer.number).first).to_be_visible()
    expect(page.get_by_test_id("action-reverse")).to_have_count(0)
    assert page.js_errors == []
