"""End-to-end: a report URL whose filters the API refuses (bookmarked or shared) shows the API's
message above the table, not an empty "no data" table, and keeps the filters — the period the
wrong way round, a date that is no calendar day, a warehouse outside the user's stores; the
dashboard likewise."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(shop):
    from storeledger.testing import factories

    other = factories.store("0002", name="二号店")
    hidden = factories.warehouse(other, code="WH02", name="二号店仓库")
    factories.user("manager1", roles=("store_manager",), stores=(shop["store"],))
    return hidden


def test_refused_report_filters_show_the_api_message(live_server, shop, manager, open_page):
    page = open_page()
    login(page, live_server.url, username="manager1")
    base = f"{live_server.url}/reports/stock-summary"

    page.goto(f"{base}?date_from=2026-12-05&date_to=2026-12-01")
    error = page.get_by_test_id("report-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("报表无法生成")
    assert page.get_by_test_id("report-filters").is_visible()
    # the filters stay as the URL has them
    expect(page.locator(".ant-picker-range input").first).to_have_value("2026-12-05")
    shot(page, "report-error-reversed-period")

    page.goto(f"{base}?date_from=2026-02-30&date_to=2026-03-05")
    expect(page.get_by_test_id("report-error")).to_be_visible()
    # not 2026-03-02 (what dayjs makes of 02-30) while the API is asked for 02-30
    expect(page.locator(".ant-picker-range input").first).to_have_value("")
    assert "2026-02-30" in page.url
    shot(page, "report-error-no-such-day")

    page.goto(f"{base}?warehouse={manager.id}")
    expect(page.get_by_test_id("report-error")).to_be_visible()
    assert f"warehouse={manager.id}" in page.url
    shot(page, "report-error-other-warehouse")

    # the other reports share the table, the dashboard its alert
    page.goto(
        f"{live_server.url}/reports/turnover?group_by=nonsense&date_from=2026-12-05&date_to=2026-12-01"
    )
    expect(page.get_by_test_id("report-error")).to_be_visible()
    page.goto(f"{live_server.url}/reports/stock-status?warehouse={manager.id}")
    expect(page.get_by_test_id("report-error").first).to_be_visible()
    page.goto(f"{live_server.url}/?store={manager.store_id}")
    expect(page.get_by_test_id("dashboard-error").get_by_test_id("report-error")).to_be_visible()
    shot(page, "report-error-dashboard")
    assert not page.js_errors
