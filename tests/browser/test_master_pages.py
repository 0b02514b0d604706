"""End-to-end: the master-data list pages: a warehouse's bin locations managed from its row
(create, edit, delete, deactivate when used), sorting, filters, column settings, export of what
the list shows, import with the errors of each row, and the phone width."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_dialog(page, values: dict[str, str]) -> None:
    dialog = page.locator(".ant-modal").filter(has=page.get_by_test_id("master-save"))
    for label, value in values.items():
        dialog.get_by_label(label, exact=True).fill(value)
    page.get_by_test_id("master-save").click()
    expect(dialog).to_be_hidden()


def test_bin_locations_are_managed_inside_their_warehouse(live_server, shop, open_page):
    from storeledger.inventory.services.documents import StockLineInput, create_stock_document
    from storeledger.org.models import Location
    from storeledger.testing import factories

    warehouse = shop["warehouse"]
    factories.warehouse(shop["store"], code="WH02", name="二号仓")
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/warehouses")
    page.get_by_test_id("master-detail-WH01").click()
    drawer = page.locator(".ant-drawer-content")
    expect(drawer).to_contain_text("货位 · WH01 一号店仓库")

    # create two bins; the warehouse comes from the row, the form does not ask for it
    for code, name in (("A-01", "A 区 1 号"), ("A-02", "A 区 2 号")):
        drawer.get_by_test_id("master-create").click()
        expect(page.locator(".ant-modal").get_by_label("仓库", exact=True)).to_have_count(0)
        fill_dialog(page, {"编码": code, "名称": name})
        expect(drawer.get_by_role("cell", name=code, exact=True)).to_be_visible()
    assert set(Location.objects.filter(warehouse=warehouse).values_list("code", flat=True)) == {
        "A-01",
        "A-02",
    }

    drawer.get_by_test_id("master-edit-A-02").click()
    fill_dialog(page, {"名称": "A 区 2 号（冷藏）"})
    expect(drawer.get_by_role("cell", name="A 区 2 号（冷藏）")).to_be_visible()

    # never used: deleted
    drawer.get_by_test_id("master-delete-A-02").click()
    page.get_by_test_id("master-delete-confirm").click()
    expect(drawer.get_by_role("cell", name="A-02", exact=True)).to_have_count(0)
    assert not Location.objects.filter(code="A-02").exists()

    # used by a document line: delete refused, deactivated instead
    sku = factories.sku(code="COLA", name="可口可乐 330ml", base_unit=shop["unit"])
    bin_a1 = Location.objects.get(code="A-01")
    create_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(1), location_id=bin_a1.id)],
    )
    drawer.get_by_test_id("master-delete-A-01").click()
    page.get_by_test_id("master-delete-confirm").click()
    expect(page.locator(".ant-modal-confirm").filter(has_text="A-01 不能删除")).to_be_visible()
    shot(page, "master-location-delete-refused-zh-desktop")
    page.get_by_test_id("master-deactivate-instead").click()
    expect(page.get_by_text("已停用 A-01")).to_be_visible()
    bin_a1.refresh_from_db()
    assert bin_a1.active is False
    expect(drawer.locator(".ant-table-row").filter(has_text="A-01")).to_contain_text("否")

    # the other warehouse's bins are its own
    page.locator(".ant-drawer-close").click()
    page.get_by_test_id("master-detail-WH02").click()
    expect(page.locator(".ant-drawer-content")).to_contain_text("WH02")
    expect(page.locator(".ant-drawer-content .ant-table-row")).to_have_count(0)
    shot(page, "master-warehouse-locations-zh-desktop")
    assert page.js_errors == []


def test_list_sorts_filters_sets_columns_exports_and_imports(
    live_server, shop, open_page, tmp_path
):
    from storeledger.org.models import Location

    warehouse = shop["warehouse"]
    for code, active in (("B-01", True), ("C-01", False), ("A-01", True)):
        Location.objects.create(warehouse=warehouse, code=code, name=f"货位{code}", active=active)
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.get_by_test_id("side-menu").get_by_text("货位").click()
    page.wait_for_url(re.compile(r"/master/locations$"))
    rows = page.locator(".ant-table-row")
    expect(rows).to_have_count(3)

    # sorting by code, both ways, done by the API
    header = page.get_by_role("columnheader", name="编码", exact=True)
    with page.expect_response(lambda r: "ordering=code" in r.url):
        header.click()
    expect(rows.first).to_contain_text("A-01")
    with page.expect_response(lambda r: "ordering=-code" in r.url):
        header.click()
    expect(rows.first).to_contain_text("C-01")

    # the active filter, and an export of what the list shows
    page.get_by_test_id("master-filter-active").click()
    page.locator(".ant-select-item-option").filter(has_text="否").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("C-01")
    href = page.get_by_test_id("master-export").get_attribute("href")
    assert "active=false" in href and "ordering=-code" in href
    exported = page.request.get(f"{live_server.url}{href}")
    assert exported.status == 200
    assert exported.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )

    # column settings: hide the name column, remembered after a reload
    page.get_by_test_id("column-settings").click()
    page.get_by_test_id("column-toggle-name").click()
    expect(page.get_by_role("columnheader", name="名称", exact=True)).to_have_count(0)
    page.reload()
    expect(page.locator(".ant-table-row").first).to_be_visible()
    expect(page.get_by_role("columnheader", name="名称", exact=True)).to_have_count(0)
    expect(page.get_by_role("columnheader", name="编码", exact=True)).to_have_count(1)

    # import: a file with a bad row saves nothing and shows the row's error
    bad = tmp_path / "locations.csv"
    bad.write_text("warehouse,code,name\nWH01,D-01,D 区\nNOPE,D-02,坏仓库\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(bad))
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("NOPE")
    expect(errors.locator(".ant-table-row").first).to_contain_text("3")
    shot(page, "master-import-errors-zh-desktop")
    assert not Location.objects.filter(code__startswith="D-").exists()
    page.get_by_role("dialog").get_by_role("button").filter(has_text="返回").click()

    good = tmp_path / "locations-ok.csv"
    good.write_text("warehouse,code,name\nWH01,D-01,D 区\nWH01,D-02,D 区 2\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(good))
    expect(page.get_by_text("新增 2")).to_be_visible()
    assert set(Location.objects.filter(code__startswith="D-").values_list("code", flat=True)) == {
        "D-01",
        "D-02",
    }
    assert page.js_errors == []


def test_warehouse_page_and_its_locations_at_phone_width(live_server, shop, open_page):
    from storeledger.org.models import Location

    Location.objects.create(warehouse=shop["warehouse"], code="A-01", name="A 区")
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/warehouses")
    page.get_by_test_id("master-detail-WH01").click()
    drawer = page.locator(".ant-drawer-content")
    # on a phone the drawer's list is cards
    expect(drawer.get_by_test_id("list-card").filter(has_text="A-01")).to_contain_text("A 区")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "master-warehouse-locations-zh-phone")
    assert page.js_errors == []


def test_supplier_contract_dates_set_and_emptied(live_server, shop, open_page):
    """A date never filled is sent as no date (null), a filled one as YYYY-MM-DD, and one the
    user empties again as null, not an empty string (the form's `normalize` of a date field)."""
    from datetime import date

    from storeledger.partners.models import Supplier

    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/suppliers")
    page.get_by_test_id("master-create").click()
    fill_dialog(page, {"编码": "S01", "名称": "华润供应", "合同开始": "2026-01-01"})
    expect(page.get_by_role("cell", name="S01", exact=True)).to_be_visible()
    supplier = Supplier.objects.get(code="S01")
    assert (supplier.contract_start, supplier.contract_end) == (date(2026, 1, 1), None)

    page.get_by_test_id("master-edit-S01").click()
    fill_dialog(page, {"合同开始": "", "合同结束": "2026-12-31"})
    supplier.refresh_from_db()
    assert (supplier.contract_start, supplier.contract_end) == (None, date(2026, 12, 31))
    assert page.js_errors == []
