"""End-to-end: a transfer picked from a bin of the source (chosen in the line editor after
scanning), shipped, then received in two steps into bins of the destination: part at a desktop,
the rest on a phone (375×812), where the dialog offers the bin the line was last received into.
The detail page shows both bins, and the stock by location follows."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, code: str) -> None:
    field = page.locator("#scan-input")
    field.fill(code)
    field.press("Enter")


def pick(page, select, text: str) -> None:
    """Pick the option containing `text` of the Ant Design select `select` (a locator)."""
    select.click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


@pytest.fixture
def bins(shop):
    """JUICE: 10 on A-01 of WH01; WH02 (same store) with the bins B-01 and B-02."""
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.org.models import Location
    from storeledger.testing import factories

    juice = factories.sku(
        code="JUICE", name="橙汁 1L", barcode="6900000000024", base_unit=shop["unit"]
    )
    shelf_a = Location.objects.create(warehouse=shop["warehouse"], code="A-01", name="饮料架")
    branch = factories.warehouse(shop["store"], code="WH02", name="二号仓")
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=juice.pk,
                quantity=Decimal("10"),
                unit_cost=Decimal("2"),
                location_id=shelf_a.pk,
            )
        ],
    )
    return {
        "juice": juice,
        "branch": branch,
        "A-01": shelf_a,
        "B-01": Location.objects.create(warehouse=branch, code="B-01", name="收货区"),
        "B-02": Location.objects.create(warehouse=branch, code="B-02", name="冷柜"),
    }


def fill_receipt(page, quantity: str, bin_code: str, *, close: bool) -> None:
    """In the open receive dialog: the quantity arrived, its bin, and whether receiving is done."""
    dialog = page.locator(".ant-modal")
    dialog.get_by_test_id("receive-JUICE").fill(quantity)
    pick(page, dialog.get_by_test_id("receive-location-JUICE"), bin_code)
    closing = dialog.get_by_role("checkbox")
    if closing.is_checked() != close:
        closing.click()


def test_ship_from_a_bin_and_receive_into_bins(live_server, shop, bins, open_page):
    from storeledger.inventory import selectors
    from storeledger.inventory.models import Transfer

    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/transfers/new")
    pick(page, page.locator("#transfer-to"), "WH02")
    for _ in range(4):
        scan(page, "6900000000024")
    expect(page.get_by_test_id("qty-JUICE")).to_have_value("4")
    page.locator("tr", has_text="JUICE").locator(".ant-table-row-expand-icon").click()
    pick(page, page.get_by_test_id("location-JUICE"), "A-01")
    shot(page, "transfer-location-pick-zh-desktop")
    page.get_by_test_id("transfer-save").click()
    page.wait_for_url(re.compile(r"/inventory/transfers/\d+$"))
    transfer = Transfer.objects.get(pk=int(page.url.rsplit("/", 1)[1]))
    assert transfer.lines.get().from_location == bins["A-01"]
    lines = page.locator(".ant-card-body > .ant-table-wrapper")
    expect(lines.get_by_role("columnheader", name="调出货位")).to_be_visible()
    expect(lines.get_by_role("cell", name="A-01", exact=True)).to_be_visible()

    page.get_by_test_id("action-ship").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="发货").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已发货")

    # desktop: 3 arrive, put away to B-01; receiving goes on
    page.get_by_test_id("action-receive").click()
    fill_receipt(page, "3", "B-01", close=False)
    shot(page, "transfer-receive-location-zh-desktop")
    page.get_by_test_id("receive-confirm").click()
    # 1 has not arrived yet: it stays in transit
    page.get_by_test_id("receive-confirm-differences").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("部分收货")
    expect(lines.get_by_role("cell", name="B-01", exact=True)).to_be_visible()

    # phone: the last one, offered into B-01 again, goes to B-02 instead; receiving is done
    phone = open_page(PHONE)
    login(phone, live_server.url)
    phone.goto(f"{live_server.url}/inventory/transfers/{transfer.pk}")
    phone.get_by_test_id("action-receive").click()
    dialog = phone.locator(".ant-modal")
    expect(dialog.get_by_test_id("receive-JUICE")).to_have_value("")
    expect(dialog.get_by_test_id("receive-diff-JUICE")).to_have_text("未清点")
    expect(dialog.get_by_test_id("receive-location-JUICE")).to_contain_text("B-01")
    fill_receipt(phone, "1", "B-02", close=True)
    shot(phone, "transfer-receive-location-zh-phone")
    box = dialog.get_by_test_id("receive-location-JUICE").bounding_box()
    assert box is not None and box["width"] >= 100
    phone.get_by_test_id("receive-confirm").click()
    expect(phone.get_by_test_id("doc-status")).to_have_text("已过账")
    phone_lines = phone.locator(".ant-card-body > .ant-table-wrapper")
    # on a phone a line is one cell: its bins as "from → put away", then its figures
    expect(phone_lines.get_by_role("cell").filter(has_text="JUICE")).to_contain_text("A-01 → B-02")
    shot(phone, "transfer-received-locations-zh-phone")

    rows = selectors.stock_by_location(user=shop["user"], sku_id=bins["juice"].pk)
    assert [(r["warehouse_code"], r["location_code"], r["qty_on_hand"]) for r in rows] == [
        ("WH01", "A-01", Decimal("6")),
        ("WH02", "B-01", Decimal("3")),
        ("WH02", "B-02", Decimal("1")),
    ]
    assert page.js_errors == [] and phone.js_errors == []
