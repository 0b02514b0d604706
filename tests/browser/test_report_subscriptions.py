"""End-to-end: subscribe to the stock status of a warehouse from its report page (the form
prefilled with the page's filters), see it in My subscriptions, and send it now."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_from_a_report_page_and_send_now(live_server, shop, open_page):
    from storeledger.reports.models import ReportSubscription

    warehouse = shop["warehouse"]
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/reports/stock-status?warehouse={warehouse.id}")
    page.get_by_test_id("subscribe").first.click()
    # the filters for people: the warehouse's name, the choice's label
    expect(page.get_by_test_id("subscription-filters")).to_contain_text(
        f"仓库: {warehouse.code} {warehouse.name}"
    )
    expect(page.get_by_test_id("subscription-filters")).to_contain_text("汇总方式: 按仓库和商品")
    recipients = page.get_by_test_id("subscription-recipients").locator("input")
    recipients.fill("boss@example.com")
    recipients.press("Enter")
    shot(page, "report-subscription-form-zh")
    page.get_by_test_id("subscription-save").click()
    expect(page.get_by_text("已订阅")).to_be_visible()
    [subscription] = ReportSubscription.objects.all()
    assert subscription.report == "stock-status"
    # the page's filters as shown, its defaults included
    assert subscription.filters == {
        "warehouse": warehouse.id,
        "group_by": "warehouse_sku",
        "no_outflow_days": 90,
    }
    assert subscription.extra_recipients == ["boss@example.com"]

    page.goto(f"{live_server.url}/reports/subscriptions")
    row = page.get_by_test_id("subscriptions-table").locator("tbody tr.ant-table-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("库存现状")
    expect(row).to_contain_text("每天 8:00")
    expect(row).to_contain_text("boss@example.com")
    expect(row).to_contain_text("启用中")
    expect(row.get_by_test_id("subscription-filter").first).to_have_text(
        f"仓库: {warehouse.code} {warehouse.name}"
    )
    expect(row).not_to_contain_text(f"warehouse: {warehouse.id}")
    row.get_by_test_id("subscription-send-now").click()
    expect(page.get_by_text("已发送到 boss@example.com")).to_be_visible()
    shot(page, "report-subscriptions-zh")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0].startswith("stock-status-")
