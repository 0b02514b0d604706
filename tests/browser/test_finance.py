"""End-to-end: finance enters a supplier's invoice from its un-invoiced receipts with a price
above the order's (flagged before saving and on the invoice), accepts the difference, posts
it, and the statement of account (往来对账单) shows the hand-computed closing balance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, test_id: str, text: str) -> None:
    page.get_by_test_id(test_id).click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


@pytest.fixture
def received(shop):
    """10 箱 of cola ordered at ¥24.00 incl. VAT from 娃哈哈 and received: ¥240.00 owed."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import orders, receipts
    from storeledger.testing import factories

    sku = factories.sku(
        code="COLA", name="可口可乐 330ml", base_unit=shop["unit"], case_factor="12"
    )
    box = sku.units.get().unit
    wahaha = Supplier.objects.create(code="S001", name="杭州娃哈哈集团", payment_terms_days=30)
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=wahaha.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            orders.OrderLineInput(
                sku_id=sku.id, quantity=Decimal(10), unit_id=box.id, price=Decimal("24.00")
            )
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=shop["user"], order_id=order.id)
    receipt = receipts.create_purchase_receipt(
        user=shop["user"],
        order_id=order.id,
        document_date=timezone.localdate().replace(day=1),
        lines=[receipts.ReceiptLineInput(order_line_id=order.lines.get().id, quantity=Decimal(10))],
        post=True,
    )
    factories.user("fin", roles=("finance",), all_stores=True, password=PASSWORD)
    return {"receipt": receipt, "supplier": wahaha}


def test_invoice_with_a_price_difference_then_the_statement(live_server, received, open_page):
    from storeledger.finance.models import SupplierInvoice

    page = open_page(DESKTOP)
    login(page, live_server.url, username="fin")
    menu = page.get_by_test_id("side-menu")
    link = menu.get_by_role("link", name="供应商发票")
    if not link.is_visible():
        menu.get_by_text("财务", exact=True).click()
    link.click()
    page.get_by_role("link", name="新建").click()

    pick(page, "invoice-supplier", "杭州娃哈哈集团")
    line_id = received["receipt"].lines.get().id
    expect(page.get_by_test_id(f"qty-{line_id}")).to_have_value("10")
    page.get_by_test_id("invoice-no").fill("03317788")
    page.locator(".ant-table-row").first.locator(".ant-checkbox-input").check()
    price = page.get_by_test_id(f"price-{line_id}")
    price.fill("24.50")  # 2.08 % above the order's price: beyond the 1 % tolerance
    expect(page.get_by_test_id(f"flag-{line_id}")).to_be_visible()
    expect(page.get_by_test_id("invoice-preview-total")).to_have_text("245.00")
    page.get_by_test_id("invoice-save").click()

    expect(page.get_by_test_id("invoice-total")).to_have_text("245.00")
    expect(page.get_by_test_id("invoice-difference")).to_have_text("5.00")
    expect(page.get_by_test_id("needs-acceptance")).to_be_visible()
    expect(page.get_by_test_id("action-post")).to_have_count(1)
    page.get_by_test_id("action-accept").click()
    page.get_by_test_id("accept-comment").fill("供应商调价已确认")
    page.locator(".ant-modal-footer .ant-btn-primary").click()
    expect(page.get_by_test_id("needs-acceptance")).to_have_count(0)
    page.get_by_test_id("action-post").click()
    page.locator(".ant-popconfirm .ant-btn-primary").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    invoice = SupplierInvoice.objects.get()
    assert (invoice.status, invoice.total_gross) == ("posted", Decimal("245.00"))

    # 往来对账单: 240.00 received + 5.00 invoice difference = 245.00 owed
    page.goto(f"{live_server.url}/finance/statement")
    pick(page, "statement-supplier", "杭州娃哈哈集团")
    expect(page.get_by_test_id("statement-opening")).to_have_text("0.00")
    expect(page.get_by_test_id("statement-closing")).to_have_text("245.00")
    expect(page.locator(".ant-table-row")).to_have_count(2)
    assert page.js_errors == []
