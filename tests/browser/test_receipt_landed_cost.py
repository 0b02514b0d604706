"""End-to-end (issue 12, landed cost 到岸成本): a draft purchase receipt is reopened in the web
UI; one line's accepted quantity is changed, freight to a carrier and a handling fee owed to
the supplier are added, the preview shows each line's share (cut to the fen, the fen left on
the larger line), and saving and posting takes the goods into stock at goods + charges."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(shop):
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import orders, receipts
    from storeledger.testing import factories

    unit = shop["unit"]
    cola = factories.sku(code="COLA", name="可口可乐 330ml", base_unit=unit)
    tea = factories.sku(code="TEA", name="绿茶 500ml", base_unit=unit)
    supplier = Supplier.objects.create(code="S001", name="杭州娃哈哈集团", lead_time_days=3)
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=supplier.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            # 10 at 2.26 incl. 13 % VAT = 20.00 net; 5 at 11.30 = 50.00 net
            orders.OrderLineInput(
                sku_id=cola.id, quantity=Decimal(10), unit_id=unit.id, price=Decimal("2.26")
            ),
            orders.OrderLineInput(
                sku_id=tea.id, quantity=Decimal(5), unit_id=unit.id, price=Decimal("11.30")
            ),
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=shop["user"], order_id=order.id)
    return receipts.create_purchase_receipt(
        user=shop["user"],
        order_id=order.id,
        lines=[
            receipts.ReceiptLineInput(order_line_id=ol.id, quantity=ol.quantity)
            for ol in order.lines.order_by("line_no")
        ],
    )


def test_add_freight_to_a_draft_receipt_and_post_it(live_server, draft, open_page, shop):
    from storeledger.inventory.models import StockBalance
    from storeledger.purchasing.models import PurchaseReceipt

    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/receipts/{draft.id}")
    expect(page.get_by_test_id("doc-status")).to_have_text("草稿")
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("receipt-edit")
    expect(editor.get_by_test_id("recv-accepted-TEA")).to_have_value("5")
    editor.get_by_test_id("recv-accepted-TEA").fill("4")  # one tea short: 40.00 net

    editor.get_by_test_id("charge-add").click()
    editor.get_by_test_id("charge-amount-0").fill("10.00")
    editor.get_by_test_id("charge-tax-0").fill("0.90")
    editor.get_by_test_id("charge-payee-0").fill("顺丰速运")
    editor.get_by_test_id("charge-add").click()
    editor.get_by_test_id("charge-amount-1").fill("3.33")
    editor.get_by_test_id("charge-supplier-1").check()
    expect(editor.get_by_test_id("charge-payee-1")).to_be_disabled()

    # 13.33 by value over 20.00 : 40.00 → 4.443… cut to 4.44, 8.886… cut to 8.88 + the fen left
    preview = editor.get_by_test_id("allocation-preview")
    expect(preview.get_by_test_id("alloc-share-1")).to_have_text("4.44")
    expect(preview.get_by_test_id("alloc-share-2")).to_have_text("8.89")
    # by quantity over 10 : 4 → 9.521… → 9.52 + the fen left, 3.808… → 3.80
    editor.get_by_test_id("allocation-basis").get_by_text("按数量").click()
    expect(preview.get_by_test_id("alloc-share-1")).to_have_text("9.53")
    expect(preview.get_by_test_id("alloc-share-2")).to_have_text("3.80")
    editor.get_by_test_id("allocation-basis").get_by_text("按金额").click()
    expect(preview.get_by_test_id("alloc-share-2")).to_have_text("8.89")
    shot(page, "receipt-landed-cost-zh-desktop")

    editor.get_by_test_id("receipt-save-post").click()
    expect(page.get_by_test_id("receipt-edit")).to_have_count(0)
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    expect(page.get_by_test_id("line-charge-2")).to_have_text("8.89")
    expect(page.get_by_test_id("line-landed-2")).to_have_text("12.2225")  # 48.89 / 4
    charges = page.get_by_test_id("receipt-charges-table")
    expect(charges).to_contain_text("顺丰速运")
    expect(charges).to_contain_text("应付供应商")

    receipt = PurchaseReceipt.objects.get(pk=draft.id)
    assert (receipt.status, receipt.total_value, receipt.total_charges) == (
        "posted",
        Decimal("60.00"),
        Decimal("13.33"),
    )
    values = dict(
        StockBalance.objects.filter(warehouse=shop["warehouse"]).values_list("sku__code", "value")
    )
    assert values == {"COLA": Decimal("24.44"), "TEA": Decimal("48.89")}  # 60.00 + 13.33
    assert re.search(r"/purchasing/receipts/\d+$", page.url)
    assert page.js_errors == []
