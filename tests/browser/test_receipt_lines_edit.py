"""End-to-end: a draft purchase receipt without an order is reopened and its lines edited as
they were entered — a SKU added by search with its price and batch, a quantity changed, a
rejected quantity with its reason, a line removed; it saves with the draft's version (the
database holds the new lines), and a stale version shows the reload message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_the_lines_of_a_receipt_without_an_order(live_server, shop, open_page):
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.models import PurchaseReceipt
    from storeledger.purchasing.services import receipts
    from storeledger.testing import factories

    unit = shop["unit"]
    cola = factories.sku(code="COLA", name="可口可乐 330ml", base_unit=unit)
    factories.sku(code="TEA", name="绿茶 500ml", base_unit=unit)
    factories.sku(code="MILK", name="纯牛奶 250ml", tracking="batch", base_unit=unit)
    supplier = Supplier.objects.create(code="S001", name="杭州娃哈哈集团")
    draft = receipts.create_purchase_receipt(
        user=shop["user"],
        supplier_id=supplier.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            receipts.ReceiptLineInput(sku_id=cola.id, quantity=Decimal(10), price=Decimal("2.00")),
            receipts.ReceiptLineInput(
                sku_id=cola.id, quantity=Decimal(1), price=Decimal("2.00"), notes="样品"
            ),
        ],
    )
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/receipts/{draft.id}")
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("receipt-lines-editor")
    expect(editor.get_by_test_id("qty-COLA")).to_have_count(2)
    # the second cola line goes (the editor shows the last line first)
    editor.locator(".ant-table-row").first.get_by_role("button").last.click()
    expect(editor.get_by_test_id("qty-COLA")).to_have_count(1)
    editor.get_by_test_id("qty-COLA").fill("12")
    expect(editor.get_by_test_id("cost-COLA")).to_have_value("2")
    editor.get_by_test_id("rejected-COLA").fill("1")
    editor.get_by_test_id("reject-reason-COLA").fill("罐体凹陷")

    search = page.get_by_test_id("sku-search")
    search.click()
    search.locator("input").fill("MILK")
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text="纯牛奶").click()
    editor.get_by_test_id("qty-MILK").fill("6")
    editor.get_by_test_id("cost-MILK").fill("3.50")
    editor.get_by_test_id("batch-no-MILK").locator("input").fill("L2611")
    shot(page, "receipt-without-order-lines-edit")
    page.get_by_test_id("receipt-save").click()
    expect(page.get_by_test_id("receipt-edit")).to_have_count(0)

    draft.refresh_from_db()
    assert (draft.version, draft.status) == (2, "draft")
    lines = [
        (
            line.sku.code,
            line.quantity,
            line.rejected_quantity,
            line.reject_reason,
            line.unit_cost,
            line.batch_no,
        )
        for line in draft.lines.order_by("line_no")
    ]
    assert lines == [
        ("COLA", Decimal(12), Decimal(1), "罐体凹陷", Decimal("2.00"), ""),
        ("MILK", Decimal(6), Decimal(0), "", Decimal("3.50"), "L2611"),
    ]

    # someone else saves in between: 409 stale_version → message, nothing changed
    page.get_by_test_id("draft-edit").click()
    page.get_by_test_id("qty-COLA").fill("13")
    PurchaseReceipt.objects.filter(pk=draft.id).update(version=F("version") + 1)
    page.get_by_test_id("receipt-save").click()
    expect(page.get_by_test_id("stale-version")).to_be_visible()
    assert draft.lines.get(sku=cola).quantity == 12
    assert page.js_errors == []


def test_create_a_receipt_without_an_order(live_server, shop, open_page):
    """采购入库 → 新建: supplier, warehouse, a SKU found by search with its quantity and price,
    saved and posted: the goods are in stock at that price."""
    from storeledger.inventory.models import StockBalance
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.models import PurchaseReceipt
    from storeledger.testing import factories

    factories.sku(code="COLA", name="可口可乐 330ml", base_unit=shop["unit"])
    Supplier.objects.create(code="S009", name="城西菜场")
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/receipts/new")
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    page.get_by_test_id("receipt-supplier").click()
    dropdown.locator(".ant-select-item-option").filter(has_text="城西菜场").click()
    page.get_by_test_id("receipt-warehouse").click()
    dropdown.locator(".ant-select-item-option").filter(has_text=shop["warehouse"].name).click()
    search = page.get_by_test_id("sku-search")
    search.click()
    search.locator("input").fill("COLA")
    dropdown.locator(".ant-select-item-option").filter(has_text="可口可乐").click()
    page.get_by_test_id("qty-COLA").fill("5")
    page.get_by_test_id("cost-COLA").fill("2.40")
    page.get_by_test_id("receipt-save-post").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")

    receipt = PurchaseReceipt.objects.get()
    assert (receipt.order_id, receipt.total_value) == (None, Decimal("12.00"))
    balance = StockBalance.objects.get(sku__code="COLA", warehouse=shop["warehouse"])
    assert (balance.on_hand, balance.value) == (5, Decimal("12.00"))
    assert page.js_errors == []
