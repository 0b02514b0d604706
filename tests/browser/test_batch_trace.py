"""End-to-end on the small demo chain: 批次追溯 traces a demo batch (supplier delivery into the
central warehouse, transfers to a store, what the store issued, on hand) in Chinese and in
English, the document tab finds the batches of a stock-out, and 退货统计 shows the demo's
purchase returns per reason, opening the return lines behind a figure; a store keeper sees
no values."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "demo12345"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--small", "--force", stdout=StringIO())
    from storeledger.inventory.models import StockMove

    # a batch that went from the central warehouse to a store and was issued there
    issued = (
        StockMove.objects.filter(batch__isnull=False, move_type="stock_out")
        .select_related("batch")
        .order_by("id")
        .first()
    )
    assert issued is not None
    moves = StockMove.objects.filter(batch=issued.batch)
    received = sum(
        (m.quantity for m in moves if m.move_type in ("stock_in", "purchase_receipt")),
        Decimal(0),
    )
    return {
        "batch": issued.batch,
        "stock_out": issued.posting.document_number,
        "received": received,
    }


def english(page) -> None:
    page.get_by_test_id("language-switch").get_by_text("EN", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")


def test_a_demo_batch_is_traced_in_both_languages(live_server, demo, open_page):
    page = open_page()
    login(page, live_server.url, "admin", DEMO_PASSWORD)
    batch = demo["batch"]
    page.goto(f"{live_server.url}/reports/batch-trace?batch={batch.id}")
    expect(page.get_by_text("批次追溯").first).to_be_visible()
    summary = page.get_by_test_id("trace-summary")
    expect(summary).to_contain_text(batch.batch_no)
    received = page.get_by_test_id("trace-received")
    expect(received).to_have_text(f"{demo['received'].normalize():f}")
    tree = page.get_by_test_id("trace-tree")
    expect(tree).to_contain_text("来源")
    expect(tree).to_contain_text("CW01")  # the central warehouse the supplier delivered to
    expect(tree.get_by_test_id("trace-warehouse").filter(has_text="WH000")).not_to_have_count(0)
    expect(
        page.get_by_test_id("trace-moves").locator("tbody tr.ant-table-row").first
    ).to_be_visible()
    shot(page, "batch-trace-zh")

    # the reverse: the batches a stock-out took, each opening its trace
    page.get_by_role("tab", name="单据所涉批次").click()
    page.get_by_test_id("document-number").fill(demo["stock_out"])
    page.get_by_test_id("document-number").press("Enter")
    table = page.get_by_test_id("document-batches")
    expect(table).to_contain_text(batch.batch_no)
    table.get_by_test_id("trace-batch-link").filter(has_text=batch.batch_no).first.click()
    expect(page.get_by_test_id("trace-summary")).to_contain_text(batch.batch_no)

    english(page)
    expect(page.get_by_text("Batch traceability").first).to_be_visible()
    expect(page.get_by_test_id("trace-tree")).to_contain_text("Origin")
    expect(page.get_by_test_id("trace-summary")).to_contain_text("Expiry")
    shot(page, "batch-trace-en")

    # a batch that is not there: the API's own answer, not a guess of the page's
    page.goto(f"{live_server.url}/reports/batch-trace?batch=99999999")
    expect(page.get_by_test_id("report-error")).to_contain_text("Batch not found.")
    assert page.js_errors == []


def test_returns_statistics_in_both_languages(live_server, demo, open_page):
    page = open_page()
    login(page, live_server.url, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/returns")
    table = page.get_by_test_id("returns-table")
    # the demo's returns: 包装破损 posted (1), 错发规格 posted and reversed (0)
    row = table.locator("tbody tr.ant-table-row").filter(has_text="包装破损")
    expect(row).to_contain_text("1")
    expect(page.get_by_test_id("returns-totals")).to_contain_text("退货金额")
    row.get_by_test_id("returned-link").click()
    lines = page.get_by_test_id("return-lines")
    expect(lines.locator("tbody tr.ant-table-row")).to_have_count(1)
    expect(lines).to_contain_text("包装破损")
    shot(page, "returns-zh")
    page.keyboard.press("Escape")
    english(page)
    expect(page.get_by_text("Returns statistics").first).to_be_visible()
    expect(page.get_by_test_id("returns-table")).to_contain_text("包装破损")
    shot(page, "returns-en")

    keeper = open_page(lang="en")
    login(keeper, live_server.url, "keeper1", DEMO_PASSWORD)
    keeper.goto(f"{live_server.url}/reports/returns")
    expect(
        keeper.get_by_test_id("returns-table")
        .locator("tbody tr.ant-table-row")
        .filter(has_text="包装破损")
    ).to_have_count(1)
    expect(keeper.get_by_test_id("returns-totals")).not_to_contain_text("退货金额")
    expect(keeper.get_by_test_id("returns-totals")).not_to_contain_text("Returned value")
    assert page.js_errors == [] and keeper.js_errors == []
