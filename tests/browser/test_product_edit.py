"""End-to-end: open a product from the list, change its name, edit its SKU's retail price, add a
case unit with a case barcode, and check what the database holds."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARCODE = "6901234567892"
CASE_BARCODE = "16901234567899"


def choose(page, select: str, text: str) -> None:
    """Pick the option containing `text` of the Ant Design select `select`."""
    page.locator(select).click(force=True)  # a non-search select: its label covers the input
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


def test_edit_product_price_and_add_a_case_unit_with_barcode(live_server, shop, open_page):
    from storeledger.catalog.models import Barcode, Product, Sku, SkuUnit
    from storeledger.testing import factories

    sku = factories.sku(code="COLA", name="可口可乐 330ml", barcode=BARCODE, base_unit=shop["unit"])

    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/products")
    page.get_by_test_id("product-link-COLA").click()
    page.wait_for_url(re.compile(rf"/master/products/{sku.product_id}$"))

    # the product's own fields, saved with PATCH
    name = page.locator("#product-name")
    expect(name).to_have_value("可口可乐 330ml")
    name.fill("可口可乐 330ml 罐装")
    page.get_by_test_id("product-save").click()
    expect(page.get_by_text("商品已保存")).to_be_visible()
    assert Product.objects.get(pk=sku.product_id).name == "可口可乐 330ml 罐装"

    # the SKU drawer: a new retail price, a case of 12 with its own barcode
    page.get_by_test_id("sku-edit-COLA").click()
    price = page.locator("#sku-retail_price")
    expect(price).to_have_value(re.compile(r"^3\.50?$"))
    price.fill("4.20")
    page.get_by_test_id("sku-add-unit").click()
    choose(page, "#sku-unit-0", "箱")
    page.locator("#sku-factor-0").fill("12")
    page.locator("#sku-unit-price-0").fill("48")
    page.get_by_test_id("sku-add-barcode").click()
    page.locator("#sku-barcode-1").fill(CASE_BARCODE)
    choose(page, "#sku-barcode-unit-1", "箱")
    shot(page, "product-edit-sku-drawer-zh-desktop")
    page.get_by_test_id("sku-save").click()
    expect(page.get_by_text("SKU 已保存")).to_be_visible()

    sku.refresh_from_db()
    assert sku.retail_price == Decimal("4.20")
    case = SkuUnit.objects.get(sku=sku)
    assert (case.unit.code, case.factor, case.retail_price) == ("box", Decimal(12), Decimal(48))
    barcodes = {b.code: (b.unit.code if b.unit else None) for b in Barcode.objects.filter(sku=sku)}
    assert barcodes == {BARCODE: None, CASE_BARCODE: "box"}
    expect(page.get_by_text(f"{CASE_BARCODE} · 箱")).to_be_visible()

    # an API field error shows on the field: the case barcode again on another SKU
    other = factories.sku(code="FANTA", name="芬达", base_unit=shop["unit"])
    page.goto(f"{live_server.url}/master/products/{other.product_id}")
    page.get_by_test_id("sku-edit-FANTA").click()
    page.get_by_test_id("sku-add-barcode").click()
    page.locator("#sku-barcode-1").fill(CASE_BARCODE)
    page.get_by_test_id("sku-save").click()
    expect(page.locator(".ant-drawer .ant-form-item-explain-error").first).to_be_visible()
    assert not Barcode.objects.filter(sku=other, code=CASE_BARCODE).exists()
    assert Sku.objects.get(pk=other.pk).barcodes.count() == 1
    assert page.js_errors == []


def test_product_page_at_phone_width(live_server, shop, open_page):
    from storeledger.testing import factories

    sku = factories.sku(code="TEE", name="T 恤", base_unit=shop["unit"])
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/products/{sku.product_id}")
    expect(page.locator("#product-name")).to_have_value("T 恤")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.get_by_test_id("sku-edit-TEE").click()
    expect(page.locator("#sku-retail_price")).to_be_visible()
    shot(page, "product-edit-sku-drawer-zh-phone")
    assert page.js_errors == []


def test_generate_variants_and_an_internal_barcode(live_server, shop, open_page):
    from storeledger.catalog.models import Barcode, Sku
    from storeledger.testing import factories

    tee = factories.sku(code="T100", name="T 恤", base_unit=shop["unit"], retail_price="99")
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/products/{tee.product_id}")

    page.get_by_test_id("variants-open").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#variant-name1").fill("尺码")
    dialog.locator("#variant-values1").fill("S, M，L")
    dialog.locator("#variant-name2").fill("颜色")
    dialog.locator("#variant-values2").fill("黑")
    expect(dialog.get_by_text("将组合出 3 个 SKU")).to_be_visible()
    page.get_by_test_id("variants-submit").click()
    expect(page.get_by_text("已生成 3 个 SKU")).to_be_visible()
    expect(page.get_by_test_id("sku-edit-T100-M-黑")).to_be_visible()
    codes = set(Sku.objects.filter(product=tee.product).values_list("code", flat=True))
    assert codes == {"T100", "T100-S-黑", "T100-M-黑", "T100-L-黑"}
    assert Sku.objects.get(code="T100-L-黑").attributes == {"尺码": "L", "颜色": "黑"}

    page.get_by_test_id("sku-edit-T100-M-黑").click()
    page.get_by_test_id("sku-generate-barcode").click()
    expect(page.get_by_text("已生成条码")).to_be_visible()
    generated = Barcode.objects.get(sku__code="T100-M-黑")
    assert generated.code.startswith("20") and len(generated.code) == 13
    expect(page.locator("#sku-barcode-0")).to_have_value(generated.code)
    shot(page, "product-variants-zh-desktop")
    assert page.js_errors == []
