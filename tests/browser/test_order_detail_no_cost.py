"""End-to-end: a warehouse keeper (no cost permission) on a phone sees a purchase order, its
receipt and a return without any cost label or column (no blank 不含税金额 / 税额 / 价税合计, no
empty 入库金额 column squeezed into vertical text); the order's received and open quantities are
in the line's order unit like the ordered one ("1 箱 1 个 / 8 箱 23 个" of 10 箱), while a user
who may see costs still gets the amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order(shop):
    from storeledger.catalog.models import Unit
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import orders, receipts, returns
    from storeledger.testing import factories

    cola = factories.sku(
        code="COLA", name="可口可乐 330ml", base_unit=shop["unit"], case_factor="24"
    )
    box = Unit.objects.get(name="箱")
    supplier = Supplier.objects.create(code="S001", name="杭州娃哈哈集团")
    boss = shop["user"]
    order = orders.create_purchase_order(
        user=boss,
        supplier_id=supplier.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            orders.OrderLineInput(
                sku_id=cola.id, quantity=Decimal(10), unit_id=box.id, price=Decimal("48.00")
            )
        ],
    )
    orders.submit_purchase_order(user=boss, order_id=order.id)
    manager = factories.user("manager1", roles=("store_manager",), stores=(shop["store"],))
    orders.approve_purchase_order(user=manager, order_id=order.id)
    receipt = receipts.create_purchase_receipt(
        user=boss,
        order_id=order.id,
        post=True,
        lines=[
            receipts.ReceiptLineInput(
                order_line_id=order.lines.get().id,
                quantity=Decimal(25),
                unit_id=shop["unit"].id,
            )
        ],
    )
    back = returns.create_purchase_return(
        user=boss,
        receipt_id=receipt.id,
        lines=[
            returns.ReturnLineInput(quantity=Decimal(1), receipt_line_id=receipt.lines.get().id)
        ],
        reason="包装破损",
    )
    factories.user("keeper1", roles=("warehouse_keeper",), stores=(shop["store"],))
    return {"order": order, "receipt": receipt, "return": back}


def test_keeper_sees_no_cost_labels_and_order_units(live_server, order, open_page):
    page = open_page(PHONE)
    login(page, live_server.url, username="keeper1")
    page.goto(f"{live_server.url}/purchasing/orders/{order['order'].id}")
    expect(page.get_by_test_id("po-received-COLA")).to_have_text("1 箱 1 个")
    expect(page.get_by_test_id("po-open-COLA")).to_have_text("8 箱 23 个")
    expect(page.get_by_test_id("order-receipts")).to_contain_text(order["receipt"].number)
    for label in ("不含税金额", "税额", "价税合计", "入库金额", "单价"):
        expect(page.get_by_text(label)).to_have_count(0)
    shot(page, "po-detail-keeper-phone")

    page.goto(f"{live_server.url}/purchasing/receipts/{order['receipt'].id}")
    expect(page.get_by_text("25 个").first).to_be_visible()
    for label in ("入库金额", "成本单价"):
        expect(page.get_by_text(label)).to_have_count(0)
    shot(page, "receipt-detail-keeper-phone")

    page.goto(f"{live_server.url}/purchasing/returns/{order['return'].id}")
    expect(page.get_by_text("包装破损").first).to_be_visible()
    expect(page.get_by_test_id("return-total-gross")).to_have_count(0)
    for label in ("入库成本", "不含税金额", "退货金额"):
        expect(page.get_by_text(label)).to_have_count(0)
    shot(page, "return-detail-keeper-phone")
    assert not page.js_errors

    # who may see costs still sees them
    boss = open_page(PHONE)
    login(boss, live_server.url)
    boss.goto(f"{live_server.url}/purchasing/orders/{order['order'].id}")
    expect(boss.get_by_test_id("po-total-gross")).to_be_visible()
    expect(boss.get_by_test_id("po-received-COLA")).to_have_text("1 箱 1 个")
