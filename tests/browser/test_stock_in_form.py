"""End-to-end: the stock-in form while scanning a batch-tracked item. Nothing turns red before
the keeper is done (the missing batch number is a reminder, and the disabled save buttons say
why); the production date gives the expiry date (+ the product's shelf life) and a default batch
number; a reason (出入库类别) is chosen and saved; the posted document shows amounts, the total,
the reason and who made and posted it. A scrap without a reason is refused by the form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARCODE = "6900000000301"


def scan(page, code: str) -> None:
    field = page.locator("#scan-input")
    field.fill(code)
    field.press("Enter")


def type_date(page, test_id: str, day: datetime.date) -> None:
    field = page.get_by_test_id(test_id).locator("input")
    field.click()
    field.fill(day.isoformat())
    field.press("Enter")
    expect(field).to_have_value(day.isoformat())


def choose(page, select_id: str, text: str) -> None:
    page.locator(select_id).click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


@pytest.fixture
def yogurt(shop):
    from storeledger.inventory.models import ReasonCode
    from storeledger.testing import factories

    sku = factories.sku(
        code="YOGURT", name="酸奶 200g", tracking="batch", barcode=BARCODE, base_unit=shop["unit"]
    )
    sku.product.shelf_life_days = 21
    sku.product.save()
    for kind, code, name in [
        ("stock_in", "SUPPLIER", "供应商送货"),
        ("scrap", "EXPIRED", "过期"),
        ("scrap", "DAMAGED", "破损"),
    ]:
        ReasonCode.objects.update_or_create(kind=kind, code=code, defaults={"name": name})
    return sku


def test_stock_in_reminds_computes_expiry_and_takes_a_reason(live_server, shop, yogurt, open_page):
    from storeledger.inventory.models import StockDocument

    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/new")
    expect(page.get_by_test_id("save-blocked")).to_have_text("还不能保存：请先扫描或添加商品")
    scan(page, BARCODE)
    scan(page, BARCODE)
    expect(page.get_by_test_id("qty-YOGURT")).to_have_value("2")
    # a reminder, not an error: nothing red while scanning
    details = page.get_by_test_id("line-details-YOGURT")
    expect(details).to_contain_text("请填写批号")
    expect(page.locator(".ant-form-item-has-error")).to_have_count(0)
    expect(page.locator(".ant-typography-danger")).to_have_count(0)
    expect(page.get_by_test_id("save-and-post")).to_be_disabled()
    expect(page.get_by_test_id("save-blocked")).to_have_text(
        "还不能保存：YOGURT: 批次管理商品：请填写批号"
    )
    shot(page, "stock-in-scanning-reminder-zh")

    # the production date gives the expiry date and the batch number
    type_date(page, "production-YOGURT", datetime.date(2026, 12, 1))
    expect(page.get_by_test_id("expiry-YOGURT").locator("input")).to_have_value("2026-12-22")
    expect(page.get_by_test_id("batch-no-YOGURT").locator("input")).to_have_value("20261201")
    expect(page.get_by_test_id("save-blocked")).to_have_count(0)
    expect(page.get_by_test_id("save-and-post")).to_be_enabled()

    choose(page, "#doc-reason", "供应商送货")
    page.get_by_placeholder("留空：按平均成本").fill("3.5")
    page.get_by_test_id("save-and-post").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    # the posted document on screen: amounts, total, reason, who made and posted it
    expect(page.get_by_test_id("amount-YOGURT")).to_have_text("7.00")
    expect(page.get_by_test_id("doc-totals")).to_contain_text("2 个")
    expect(page.get_by_test_id("doc-totals")).to_contain_text("7.00")
    expect(page.get_by_test_id("doc-total-amount")).to_have_text("7.00")
    expect(page.get_by_test_id("doc-reason")).to_have_text("供应商送货")
    expect(page.get_by_test_id("doc-created-by")).to_contain_text("boss")
    expect(page.get_by_test_id("doc-posted-by")).to_contain_text("boss")
    shot(page, "stock-in-posted-amounts-zh")
    doc = StockDocument.objects.get(kind="stock_in")
    line = doc.lines.get()
    assert doc.reason.code == "SUPPLIER"
    assert (line.batch.batch_no, line.batch.production_date, line.batch.expiry_date) == (
        "20261201",
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 22),
    )
    assert page.js_errors == []


def test_a_scrap_needs_its_reason(live_server, shop, yogurt, open_page):
    from storeledger.inventory.models import StockDocument
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )

    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=yogurt.pk,
                quantity=Decimal("5"),
                unit_cost=Decimal("3"),
                batch_no="B1",
                expiry_date=datetime.date(2026, 12, 20),
            )
        ],
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/scraps/new")
    scan(page, BARCODE)
    expect(page.get_by_test_id("qty-YOGURT")).to_have_value("1")
    page.get_by_test_id("save-and-post").click()
    expect(page.get_by_text("请选择报损原因")).to_be_visible()
    assert not StockDocument.objects.filter(kind="scrap").exists()
    choose(page, "#doc-reason", "破损")
    page.get_by_test_id("save-and-post").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    assert StockDocument.objects.get(kind="scrap").reason.code == "DAMAGED"
    assert page.js_errors == []
