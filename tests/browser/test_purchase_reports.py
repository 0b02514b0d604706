"""End-to-end: the purchase reports — suppliers ranked by their score, the purchase analysis per
supplier with a SKU's price trend, and the open orders with the overdue ones — from two
suppliers' orders and receipts; a phone shows the ranking without scrolling sideways."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def purchases(shop):
    """娃哈哈: 100 ordered at 2.00 due today, 80 accepted and 20 rejected today (score 90.0).
    农夫山泉: 100 at 3.00 due yesterday, 50 received today: late, half filled, 26 % dearer
    than the average (score (0 + 30 × 50 + 20 × 100 + 10 × 79.5) / 100 = 43.0)."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import orders, receipts
    from storeledger.testing import factories

    today = timezone.localdate()
    cola = factories.sku(code="COLA", name="可乐 330ml", base_unit=shop["unit"])
    approver = factories.user("approver", roles=("store_manager",), all_stores=True)
    boss = shop["user"]

    def order_and_receive(code, name, price, expected, accepted, rejected="0"):
        supplier = Supplier.objects.create(
            code=code, name=name, prices_include_tax=False, tax_rate=0
        )
        order = orders.create_purchase_order(
            user=boss,
            supplier_id=supplier.id,
            warehouse_id=shop["warehouse"].id,
            expected_date=expected,
            lines=[
                orders.OrderLineInput(
                    sku_id=cola.id, quantity=Decimal(100), price=Decimal(price), tax_rate=Decimal(0)
                )
            ],
        )
        orders.submit_purchase_order(user=boss, order_id=order.id)
        orders.approve_purchase_order(user=approver, order_id=order.id)
        receipts.create_purchase_receipt(
            user=boss,
            order_id=order.id,
            lines=[
                receipts.ReceiptLineInput(
                    order_line_id=order.lines.get().id,
                    quantity=Decimal(accepted),
                    rejected_quantity=Decimal(rejected),
                    reject_reason="破损" if rejected != "0" else "",
                )
            ],
            post=True,
        )

    day = datetime.timedelta(days=1)
    order_and_receive("S001", "娃哈哈", "2.00", today, "80", rejected="20")
    order_and_receive("S002", "农夫山泉", "3.00", today - day, "50")
    return cola


def test_rating_analysis_and_open_orders(live_server, purchases, open_page):
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/reports/supplier-rating")
    rows = page.get_by_test_id("rating-table").locator("tbody tr.ant-table-row")
    expect(rows.first).to_contain_text("娃哈哈")
    expect(rows.first).to_contain_text("90.0")
    expect(rows.nth(1)).to_contain_text("农夫山泉")
    expect(rows.nth(1)).to_contain_text("43.0")
    expect(page.get_by_test_id("rating-weights")).to_contain_text("准时 40")
    shot(page, "supplier-rating-zh")

    page.goto(f"{live_server.url}/reports/purchases")
    table = page.get_by_test_id("purchases-table")
    expect(table.locator("tbody tr.ant-table-row").first).to_contain_text("娃哈哈")
    expect(table.locator("tbody tr.ant-table-row").first).to_contain_text("160.00")
    expect(page.get_by_test_id("purchase-totals")).to_contain_text("310.00")
    page.get_by_test_id("group-by").click()
    page.locator(".ant-select-item-option", has_text="按商品").click()
    page.get_by_test_id("price-trend-link").first.click()
    trend = page.get_by_test_id("price-trend-table")
    expect(trend.locator("tbody tr.ant-table-row", has_text="2.0000")).to_contain_text("娃哈哈")
    expect(trend.locator("tbody tr.ant-table-row", has_text="3.0000")).to_contain_text("农夫山泉")
    shot(page, "purchase-price-trend-zh")
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/purchasing/open-orders")
    open_lines = page.get_by_test_id("open-orders-table").locator("tbody tr.ant-table-row")
    expect(open_lines).to_have_count(2)
    expect(open_lines.first).to_contain_text("逾期 1 天")
    page.get_by_test_id("overdue-only").click()
    expect(open_lines).to_have_count(1)
    expect(open_lines.first).to_contain_text("农夫山泉")


def test_rating_on_a_phone(live_server, purchases, open_page):
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/reports/supplier-rating")
    expect(
        page.get_by_test_id("rating-table").locator("tbody tr.ant-table-row").first
    ).to_contain_text("娃哈哈")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    shot(page, "supplier-rating-phone")


def test_the_buyer_sees_each_suppliers_score_when_picking_one(live_server, purchases, open_page):
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/orders/new")
    page.get_by_test_id("po-supplier").click()
    option = page.locator(".ant-select-item-option", has_text="娃哈哈")
    expect(option).to_contain_text("评分 90.0")
    option.click()
    expect(page.get_by_test_id("po-supplier-score")).to_contain_text("供应商评分 90.0（近 90 天）")
