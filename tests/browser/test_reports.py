"""End-to-end: the 报表 pages — the stock summary of this month (opening, in, out, closing and
totals), drill-down from a figure to the ledger moves behind it, the grouping per warehouse,
the stock status with its flags and the ageing tab, on a PC and a phone, with a role that may
not see costs getting no values."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(shop):
    """COLA: 30 received at 2.00 before this month's start, 12 received at 2.00 and 5 issued
    this month (today, so always in the default period); safety stock 50."""
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可乐 330ml", base_unit=shop["unit"], safety_stock=50)
    month_start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate().replace(day=1), datetime.time.min)
    )

    def post(kind, quantity, cost=None):
        create_and_post_stock_document(
            user=shop["user"],
            kind=kind,
            warehouse_id=shop["warehouse"].id,
            lines=[
                StockLineInput(
                    sku_id=cola.id,
                    quantity=Decimal(quantity),
                    unit_cost=None if cost is None else Decimal(cost),
                )
            ],
        )

    # history before the month (straight through the ledger, as a migration would)
    from storeledger.inventory.ledger import MoveRequest

    factories.posting(
        "history",
        [
            MoveRequest(
                warehouse_id=shop["warehouse"].id,
                sku_id=cola.id,
                quantity=Decimal("30"),
                move_type="stock_in",
                unit_cost=Decimal("2.00"),
            )
        ],
        at=month_start - datetime.timedelta(days=3),
    )
    post("stock_in", "12", cost="2.00")
    post("stock_out", "5")
    return cola


def english(page) -> None:
    page.get_by_test_id("language-switch").get_by_text("EN", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")


def test_stock_summary_drills_into_the_ledger(live_server, ledger, open_page):
    page = open_page(lang="en")
    login(page, live_server.url)
    english(page)
    page.goto(f"{live_server.url}/reports/stock-summary")
    table = page.get_by_test_id("summary-table")
    row = table.locator("tbody tr", has_text="COLA")
    expect(row).to_contain_text("30")  # opening
    expect(row).to_contain_text("37")  # closing
    expect(row).to_contain_text("74.00")  # closing value
    totals = page.get_by_test_id("summary-totals")
    expect(totals).to_contain_text("Total")
    expect(totals).to_contain_text("37")
    expect(page.get_by_test_id("chart")).to_be_visible()
    expect(table.locator("thead")).to_contain_text("Other stock-out")
    expect(table.locator("thead")).not_to_contain_text("Sales returns")  # no such moves yet
    shot(page, "reports-stock-summary-en")

    page.get_by_test_id("export").click()
    expect(page.get_by_test_id("export-pdf")).to_be_visible()
    page.keyboard.press("Escape")

    # the 5 out: the ledger of COLA in this period, other stock-outs only
    row.get_by_role("link", name="5", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/inventory/moves\?.*move_type=stock_out"))
    expect(page.get_by_test_id("move-type-filter")).to_contain_text("Other stock-out")
    expect(page.locator(".ant-table-tbody tr.ant-table-row")).to_have_count(1)

    page.goto(f"{live_server.url}/reports/stock-summary?group_by=warehouse")
    expect(
        page.get_by_test_id("summary-table").locator("tbody tr", has_text="WH01")
    ).to_contain_text("37")
    assert page.js_errors == []


def test_stock_status_and_ageing_on_a_phone_in_chinese(live_server, ledger, shop, open_page):
    page = open_page(viewport=PHONE, lang="zh-CN")
    login(page, live_server.url)
    page.goto(f"{live_server.url}/reports/stock-status")
    expect(page.locator(".ant-card-head-title").first).to_contain_text("库存现状")
    row = page.get_by_test_id("status-table").locator("tbody tr", has_text="COLA")
    expect(row).to_contain_text("37")
    expect(row).to_contain_text("低于安全库存")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width  # wide tables scroll inside themselves
    shot(page, "reports-stock-status-phone-zh")
    page.get_by_role("tab", name="库龄分析").click()
    ageing = page.get_by_test_id("ageing-table").locator("tbody tr", has_text="COLA")
    expect(ageing).to_contain_text("37")
    page.get_by_role("tab", name="临期批次").click()
    expect(page.get_by_test_id("expiring-table")).to_be_visible()
    assert page.js_errors == []


def test_stock_status_of_one_suppliers_goods_with_what_is_on_order(
    live_server, ledger, shop, open_page
):
    """The supplier filter keeps the SKUs of its catalogue; 在订 / On order shows what its
    approved order still expects."""
    from storeledger.inventory.ledger import MoveRequest
    from storeledger.partners.models import Supplier
    from storeledger.purchasing import services
    from storeledger.purchasing.services import orders
    from storeledger.testing import factories

    juice = factories.sku(code="JUICE", name="橙汁", base_unit=shop["unit"])
    factories.posting(
        "juice",
        [
            MoveRequest(
                warehouse_id=shop["warehouse"].id,
                sku_id=juice.id,
                quantity=Decimal("6"),
                move_type="stock_in",
                unit_cost=Decimal("3.00"),
            )
        ],
    )
    wahaha = Supplier.objects.create(code="S001", name="杭州娃哈哈集团")
    services.create_supplier_item(
        user=None, data=services.SupplierItemData(supplier=wahaha, sku=ledger, price=Decimal("2"))
    )
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=wahaha.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            orders.OrderLineInput(
                sku_id=ledger.id,
                quantity=Decimal("24"),
                unit_id=shop["unit"].id,
                price=Decimal("2"),
            )
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=shop["user"], order_id=order.id)

    page = open_page(lang="en")
    login(page, live_server.url)
    english(page)
    page.goto(f"{live_server.url}/reports/stock-status")
    table = page.get_by_test_id("status-table")
    expect(table.locator("tbody tr", has_text="JUICE")).to_have_count(1)
    page.get_by_test_id("filter-supplier").click()
    page.get_by_title("S001 杭州娃哈哈集团").click()
    expect(page).to_have_url(re.compile(rf"supplier={wahaha.id}"))
    expect(table.locator("tbody tr", has_text="JUICE")).to_have_count(0)
    expect(table.locator("thead")).to_contain_text("On order")
    row = table.locator("tbody tr", has_text="COLA")
    on_order_index = table.locator("thead th").all_inner_texts().index("On order")
    expect(row.locator("td").nth(on_order_index)).to_have_text("24")
    shot(page, "reports-stock-status-supplier-en")
    assert page.js_errors == []


def test_a_keeper_sees_quantities_without_values(live_server, ledger, shop, open_page):
    from storeledger.testing import factories

    factories.user(
        "keeper", roles=("warehouse_keeper",), stores=(shop["store"],), password=PASSWORD
    )
    page = open_page(lang="en")
    login(page, live_server.url, username="keeper")
    english(page)
    page.goto(f"{live_server.url}/reports/stock-summary")
    row = page.get_by_test_id("summary-table").locator("tbody tr", has_text="COLA")
    expect(row).to_contain_text("37")
    expect(page.get_by_text("You may not see costs")).to_be_visible()
    expect(row).not_to_contain_text("74.00")
    assert page.js_errors == []


def test_turnover_in_both_languages(live_server, ledger, open_page):
    page = open_page(lang="zh-CN")
    login(page, live_server.url)
    page.goto(f"{live_server.url}/reports/turnover")
    expect(page.locator(".ant-card-head-title").first).to_contain_text("库存周转率")
    row = page.get_by_test_id("turnover-table").locator("tbody tr", has_text="COLA")
    # opening 30, closing 37: average 33.5; consumed 5 (the stock-out): 5 / 33.5 = 0.15
    expect(row).to_contain_text("33.5")
    expect(row).to_contain_text("0.15")
    expect(page.get_by_test_id("turnover-totals")).to_contain_text("0.15")
    expect(page.get_by_test_id("chart")).to_be_visible()
    english(page)
    expect(page.locator(".ant-card-head-title").first).to_contain_text("Inventory turnover")
    shot(page, "reports-turnover-en")
    # the name opens the stock summary of that SKU in the same period
    row.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/reports/stock-summary\?.*sku="))
    expect(
        page.get_by_test_id("summary-table").locator("tbody tr", has_text="COLA")
    ).to_contain_text("37")
    assert page.js_errors == []
