"""End-to-end: print a posted stock-in as a PDF (new tab) and print barcode labels for its
lines; both answers are PDFs made by the server."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def posted_stock_in(shop):
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可口可乐 330ml", base_unit=shop["unit"])
    return create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].id,
        lines=[StockLineInput(sku_id=cola.id, quantity=Decimal("3"), unit_cost=Decimal("2"))],
    )


def test_print_a_posted_stock_in_and_its_labels(live_server, open_page, posted_stock_in):
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/{posted_stock_in.id}")
    expect(page.get_by_text(posted_stock_in.number).first).to_be_visible()
    shot(page, "printing-stock-in-detail-zh")

    pdf_path = f"/api/v1/stock-ins/{posted_stock_in.id}/pdf/"
    with page.context.expect_event(
        "response", predicate=lambda response: pdf_path in response.url
    ) as answer:
        page.get_by_test_id("print-document").click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "lang=zh-hans" in response.url

    with page.expect_response(lambda r: r.url.endswith("/api/v1/labels/?lang=zh-hans")) as labels:
        page.get_by_test_id("print-labels").click()
        page.locator(".ant-dropdown-menu-item").filter(has_text="A4").click()
    response = labels.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert int(response.headers["content-length"]) > 1000
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_the_labels_page_scans_and_prints(live_server, open_page, posted_stock_in):
    barcode = posted_stock_in.lines.get().sku.barcodes.get().code
    page = open_page(lang="en")
    login(page, live_server.url)
    page.get_by_test_id("language-switch").get_by_text("EN").click()
    page.goto(f"{live_server.url}/master/labels")
    scan = page.locator("#scan-input")
    scan.fill(barcode)
    scan.press("Enter")
    scan.fill(barcode)
    scan.press("Enter")
    row = page.locator(".ant-table-row").filter(has_text="COLA")
    expect(row.locator("input")).to_have_value("2")
    shot(page, "printing-labels-page-en")
    with page.expect_response(lambda r: "/api/v1/labels/" in r.url) as labels:
        page.get_by_role("button", name="Print labels").click()
    response = labels.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "lang=en" in response.url
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_the_labels_page_on_a_phone_shows_each_count(live_server, open_page, posted_stock_in):
    """On a 375 px phone the number of labels of a row is in view, not behind the table's
    sideways scroll: each row is one cell with the SKU above its count."""
    barcode = posted_stock_in.lines.get().sku.barcodes.get().code
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/labels")
    scan = page.locator("#scan-input")
    scan.fill(barcode)
    scan.press("Enter")
    copies = page.get_by_test_id("label-copies-COLA")
    expect(copies).to_have_value("1")
    box = copies.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
    expect(page.get_by_test_id("label-row-COLA")).to_contain_text("标签张数")
    copies.fill("3")
    expect(page.get_by_text("共 3 张")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "printing-labels-page-zh-phone")
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_a_stock_document_on_a_phone_shows_each_quantity(live_server, open_page, posted_stock_in):
    """On a 375 px phone a document's line shows its quantity and amount in view (one cell per
    line), not behind the lines table's sideways scroll, in Chinese and in English."""
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/{posted_stock_in.id}")
    quantity = page.get_by_test_id("quantity-COLA")
    expect(quantity).to_have_text("3 个")
    expect(page.get_by_test_id("amount-COLA")).to_have_text("6.00")
    expect(page.get_by_test_id("doc-totals")).to_contain_text("合计")
    for element in (quantity, page.get_by_test_id("amount-COLA")):
        box = element.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "stock-in-detail-zh-phone")
    page.get_by_test_id("language-switch").get_by_text("EN").click()
    expect(page.get_by_test_id("doc-totals")).to_contain_text("Total")
    box = quantity.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
    shot(page, "stock-in-detail-en-phone")
    assert page.js_errors == []  # type: ignore[attr-defined]
