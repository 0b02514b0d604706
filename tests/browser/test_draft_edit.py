"""End-to-end: save an other-stock-in as a draft, edit a line's quantity in the scan-lines editor,
save it with the document's version (the database then has version 2 and the new quantity), and
a stale version (someone else saved in between) shows the reload message."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import F
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, code: str) -> None:
    field = page.locator("#scan-input")
    field.fill(code)
    field.press("Enter")


def test_edit_a_draft_stock_in(live_server, shop, open_page):
    from storeledger.inventory.models import StockDocument
    from storeledger.testing import factories

    factories.sku(code="TEA", name="绿茶 500ml", barcode="6900000000048", base_unit=shop["unit"])
    page = open_page()
    login(page, live_server.url)

    page.goto(f"{live_server.url}/inventory/stock-ins/new")
    scan(page, "6900000000048")
    scan(page, "6900000000048")
    expect(page.get_by_test_id("qty-TEA")).to_have_value("2")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/inventory/stock-ins/\d+$"))
    document_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.get_by_test_id("doc-status")).to_have_text("草稿")
    document = StockDocument.objects.get(pk=document_id)
    assert document.version == 1
    assert [line.quantity for line in document.lines.all()] == [Decimal("2")]

    # edit: the editor is prefilled with the saved line; change its quantity and save
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("draft-editor")
    quantity = editor.get_by_test_id("qty-TEA")
    expect(quantity).to_have_value("2")
    quantity.fill("7")
    shot(page, "draft-edit-zh-desktop")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)
    expect(page.get_by_test_id("doc-status")).to_have_text("草稿")

    document.refresh_from_db()
    assert document.version == 2
    lines = list(document.lines.all())
    assert [(line.sku.code, line.quantity) for line in lines] == [("TEA", Decimal("7"))]

    # someone else saves in between: saving answers 409 stale_version → message and reload
    page.get_by_test_id("draft-edit").click()
    page.get_by_test_id("draft-editor").get_by_test_id("qty-TEA").fill("9")
    StockDocument.objects.filter(pk=document_id).update(version=F("version") + 1)
    page.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("stale-version")).to_be_visible()
    document.refresh_from_db()
    assert document.version == 3
    assert [line.quantity for line in document.lines.all()] == [Decimal("7")]
    page.get_by_test_id("stale-reload").click()
    expect(page.get_by_test_id("stale-version")).to_have_count(0)
    expect(page.get_by_test_id("draft-editor").get_by_test_id("qty-TEA")).to_have_value("7")
    assert page.js_errors == []


def test_draft_edit_and_delete_on_a_phone(live_server, shop, open_page):
    from storeledger.inventory.models import StockDocument
    from storeledger.inventory.services.documents import StockLineInput, create_stock_document
    from storeledger.testing import factories

    sku = factories.sku(
        code="TEA", name="绿茶 500ml", barcode="6900000000048", base_unit=shop["unit"]
    )
    document = create_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=sku.pk, quantity=Decimal("3"), unit_cost=Decimal("2"))],
    )
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/{document.pk}")
    page.get_by_test_id("draft-edit").click()
    expect(page.get_by_test_id("draft-editor").get_by_test_id("qty-TEA")).to_have_value("3")
    shot(page, "draft-edit-zh-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_test_id("draft-cancel").click()
    page.get_by_test_id("draft-delete").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="删除草稿").click()
    page.wait_for_url(re.compile(r"/inventory/stock-ins$"))
    assert not StockDocument.objects.filter(pk=document.pk).exists()
    assert page.js_errors == []


def test_count_set_count_and_recount_by_scanning(live_server, shop, open_page):
    from storeledger.inventory.models import StockCountLine
    from storeledger.inventory.services.counts import create_stock_count, start_stock_count
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    sku = factories.sku(
        code="TEA", name="绿茶 500ml", barcode="6900000000048", base_unit=shop["unit"]
    )
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=sku.pk, quantity=Decimal("5"), unit_cost=Decimal("2"))],
    )
    count = create_stock_count(user=shop["user"], warehouse_id=shop["warehouse"].pk)
    start_stock_count(user=shop["user"], count_id=count.pk)

    # selecting lines for a recount is done at a desk: the phone sheet is cards (test_count_phone)
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-counts/{count.pk}")
    expect(page.get_by_test_id("doc-status")).to_have_text("盘点中")

    # set the counted quantity directly (base unit)
    field = page.get_by_test_id("set-count-TEA")
    field.fill("4")
    page.get_by_test_id("set-count-save-TEA").click()
    expect(page.get_by_test_id("counted-TEA")).to_have_text("4")
    assert StockCountLine.objects.get(count=count, sku=sku).counted_quantity == Decimal("4")

    # select the line → request a recount; scanning then records recount entries
    page.locator(".ant-table-row").filter(has_text="TEA").locator(".ant-checkbox-input").check()
    page.get_by_test_id("request-recount").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="要求复盘").click()
    expect(page.get_by_test_id("recount-TEA")).to_be_visible()
    expect(page.get_by_test_id("recount-mode")).to_be_checked()
    shot(page, "count-recount-zh")
    scan(page, "6900000000048")
    scan(page, "6900000000048")
    expect(page.get_by_test_id("counted-TEA")).to_have_text("2")
    line = StockCountLine.objects.get(count=count, sku=sku)
    assert line.counted_quantity == Decimal("2")
    assert line.entries.filter(is_recount=True).count() == 2
    assert page.js_errors == []


def test_edit_a_draft_transfer(live_server, shop, open_page):
    from storeledger.inventory.models import Transfer
    from storeledger.inventory.services.transfers import TransferLineInput, create_transfer
    from storeledger.testing import factories

    other = factories.warehouse(shop["store"], code="WH02", name="二号仓库")
    sku = factories.sku(
        code="TEA", name="绿茶 500ml", barcode="6900000000048", base_unit=shop["unit"]
    )
    transfer = create_transfer(
        user=shop["user"],
        from_warehouse_id=shop["warehouse"].pk,
        to_warehouse_id=other.pk,
        lines=[TransferLineInput(sku_id=sku.pk, quantity=Decimal("3"))],
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/transfers/{transfer.pk}")
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id("qty-TEA")).to_have_value("3")
    scan(page, "6900000000048")  # increments the saved line
    expect(editor.get_by_test_id("qty-TEA")).to_have_value("4")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)
    transfer = Transfer.objects.get(pk=transfer.pk)
    assert transfer.version == 2
    assert [(line.sku_id, line.quantity) for line in transfer.lines.all()] == [
        (sku.pk, Decimal("4"))
    ]
    assert page.js_errors == []


def test_edit_a_draft_stock_out_split_by_batch(live_server, shop, open_page):
    """A saved draft keeps its batch and location; the user splits the line into a second
    batch, and the next scan counts on the line touched last."""
    from storeledger.inventory.models import Batch, StockDocument
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
        create_stock_document,
    )
    from storeledger.org.models import Location
    from storeledger.testing import factories

    sku = factories.sku(
        code="MILK",
        name="鲜牛奶 1L",
        tracking="batch",
        barcode="6900000000055",
        base_unit=shop["unit"],
    )
    location = Location.objects.create(warehouse=shop["warehouse"], code="A-01")
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(sku_id=sku.pk, quantity=Decimal("5"), batch_no=batch_no)
            for batch_no in ("B1", "B2")
        ],
    )
    first = Batch.objects.get(sku=sku, batch_no="B1")
    document = create_stock_document(
        user=shop["user"],
        kind="stock_out",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=sku.pk, quantity=Decimal("2"), batch_id=first.pk, location_id=location.pk
            )
        ],
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-outs/{document.pk}")
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id("batch-tag-MILK")).to_contain_text("B1")
    expect(editor.get_by_test_id("location-MILK")).to_contain_text("A-01")

    # split: a second line of MILK, picked from batch B2; a scan then counts on it
    editor.get_by_test_id("split-MILK").click()
    second = editor.get_by_test_id("batch-MILK").nth(1)
    second.click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text="B2").click()
    scan(page, "6900000000055")
    quantities = editor.get_by_test_id("qty-MILK")
    expect(quantities).to_have_count(2)
    expect(quantities.nth(0)).to_have_value("2")  # the line scanned last comes first
    expect(quantities.nth(1)).to_have_value("2")
    shot(page, "draft-edit-split-batch-zh-desktop")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)

    lines = StockDocument.objects.get(pk=document.pk).lines.order_by("line_no")
    assert [(line.batch.batch_no, line.quantity, line.location_id) for line in lines] == [
        ("B1", Decimal("2"), location.pk),
        ("B2", Decimal("2"), location.pk),  # the split line keeps the location
    ]
    assert page.js_errors == []
