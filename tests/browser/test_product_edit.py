"""End-to-end: create a product and edit it (in Chinese and in English, with no Chinese text left
in the English page), its SKU's prices, case unit and case barcode (typed, or generated for the
unit and printed); delete an unused SKU, and deactivate a used one when delete is refused."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARCODE = "6901234567892"
CASE_BARCODE = "16901234567899"


def choose(page, select: str, text: str) -> None:
    """Pick the option containing `text` of the Ant Design select `select`."""
    page.locator(select).click(force=True)  # a non-search select: its label covers the input
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


def cjk_leaks(page, data_values: tuple[str, ...]) -> list[str]:
    """Chinese text on the page apart from data values (names the test or fixture created) and
    the language switch's own "中文"."""
    text = page.locator("body").inner_text()
    for value in sorted((*data_values, "中文"), key=len, reverse=True):
        text = text.replace(value, "")
    return CJK.findall(text)


# what each language shows, and data that is ordinary for a shop using it
UI = {
    "zh-CN": {
        "created": "商品已创建",
        "saved": "商品已保存",
        "sku_saved": "规格已保存",
        "generated": "已生成条码",
        "name": "矿泉水 550ml",
        "new_name": "矿泉水 550ml 整箱装",
        "case": "箱",
    },
    "en": {
        "created": "Product created",
        "saved": "Product saved",
        "sku_saved": "SKU saved",
        "generated": "generated",
        "name": "Spring water 550ml",
        "new_name": "Spring water 550ml multipack",
        "case": "箱",  # the fixture's unit names are data, in Chinese
    },
}
FIXTURE_DATA = ("个", "箱", "一号店仓库", "一号店")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_create_then_edit_a_product_with_a_generated_case_barcode(
    live_server, shop, open_page, lang
):
    from storeledger.catalog.models import Barcode, Product, SkuUnit

    ui = UI[lang]
    suffix = "en" if lang == "en" else "zh"
    page = open_page(DESKTOP, lang=lang)
    login(page, live_server.url)
    if lang == "en":
        page.get_by_test_id("language-switch").get_by_text("EN").click()
        expect(page.get_by_test_id("side-menu")).to_contain_text("Products")

    # create: a simple product with its barcode and a case of 12
    page.goto(f"{live_server.url}/master/products/new")
    page.locator("#product-code").fill("WATER")
    page.locator("#product-name").fill(ui["name"])
    choose(page, "#product-base-unit", "pcs")
    page.locator("#product-barcode").fill(BARCODE)
    page.locator("#product-retail_price").fill("2.50")
    choose(page, "#product-case-unit", "box")
    page.locator("#product-case-factor").fill("12")
    if lang == "en":
        assert cjk_leaks(page, (ui["name"], *FIXTURE_DATA)) == []
    shot(page, f"product-create-{suffix}-desktop")
    page.get_by_test_id("product-save").click()
    expect(page.get_by_text(ui["created"])).to_be_visible()
    page.wait_for_url(re.compile(r"/master/products$"))
    product = Product.objects.get(code="WATER")
    assert product.name == ui["name"]
    sku = product.skus.get()
    assert sku.retail_price == Decimal("2.50")
    assert SkuUnit.objects.get(sku=sku).factor == Decimal(12)
    if lang == "en":
        assert cjk_leaks(page, (ui["name"], *FIXTURE_DATA)) == []
    shot(page, f"product-list-{suffix}-desktop")

    # edit: the product's name, then a barcode generated for the case unit, from its row
    page.get_by_test_id("product-link-WATER").click()
    page.wait_for_url(re.compile(rf"/master/products/{product.pk}$"))
    page.locator("#product-name").fill(ui["new_name"])
    page.get_by_test_id("product-save").click()
    expect(page.get_by_text(ui["saved"])).to_be_visible()
    assert Product.objects.get(pk=product.pk).name == ui["new_name"]

    page.get_by_test_id("sku-edit-WATER").click()
    unit_row = page.get_by_test_id("sku-unit-barcodes")
    expect(unit_row).to_be_visible()
    expect(unit_row.get_by_test_id("sku-unit-print")).to_be_disabled()  # no case barcode yet
    unit_row.get_by_test_id("sku-unit-generate").click()
    expect(page.get_by_text(ui["generated"]).first).to_be_visible()
    case_barcode = Barcode.objects.get(sku=sku, unit__code="box")
    assert case_barcode.code.startswith("20") and len(case_barcode.code) == 13
    assert case_barcode.is_primary is False  # the product's own barcode stays the primary one
    expect(unit_row.locator(".ant-tag")).to_have_text(case_barcode.code)

    with page.expect_response(lambda r: "/api/v1/labels/" in r.url) as labels:
        unit_row.get_by_test_id("sku-unit-print").click()
    response = labels.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.request.post_data_json["items"] == [
        {"sku": sku.pk, "quantity": 1, "unit": case_barcode.unit_id}
    ]
    page.bring_to_front()

    page.locator("#sku-retail_price").fill("2.80")
    if lang == "en":
        assert cjk_leaks(page, (ui["new_name"], *FIXTURE_DATA)) == []
    shot(page, f"product-edit-unit-barcode-{suffix}-desktop")
    page.get_by_test_id("sku-save").click()
    expect(page.get_by_text(ui["sku_saved"])).to_be_visible()
    sku.refresh_from_db()
    assert sku.retail_price == Decimal("2.80")
    # saving the drawer kept both barcodes, each with its unit
    assert {b.code: b.unit_id for b in Barcode.objects.filter(sku=sku)} == {
        BARCODE: None,
        case_barcode.code: case_barcode.unit_id,
    }
    expect(page.get_by_text(f"{case_barcode.code} · {ui['case']}")).to_be_visible()
    if lang == "en":
        assert cjk_leaks(page, (ui["new_name"], *FIXTURE_DATA)) == []
    shot(page, f"product-edited-{suffix}-desktop")
    assert page.js_errors == []


def test_delete_an_unused_sku_and_deactivate_a_used_one(live_server, shop, open_page):
    from storeledger.catalog.models import Product, Sku
    from storeledger.inventory.models import StockMove
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    used = factories.sku(code="TEE-M", name="T 恤 M", base_unit=shop["unit"])
    unused = Sku.objects.create(product=used.product, code="TEE-L", name="T 恤 L")
    document = create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].id,
        lines=[StockLineInput(sku_id=used.id, quantity=Decimal(3), unit_cost=Decimal(20))],
    )
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/products/{used.product_id}")

    # never used: deleted after the confirmation
    page.get_by_test_id("sku-edit-TEE-L").click()
    page.get_by_test_id("sku-delete").click()
    page.get_by_test_id("delete-confirm").click()
    expect(page.get_by_text("已删除 规格 TEE-L")).to_be_visible()
    expect(page.get_by_test_id("sku-edit-TEE-L")).to_have_count(0)
    assert not Sku.objects.filter(pk=unused.pk).exists()

    # used: the refusal names what uses it and offers to deactivate instead
    page.get_by_test_id("sku-edit-TEE-M").click()
    page.get_by_test_id("sku-delete").click()
    page.get_by_test_id("delete-confirm").click()
    refusal = page.locator(".ant-modal-confirm").filter(has_text=document.number)
    expect(refusal).to_contain_text("TEE-M")
    shot(page, "product-delete-refused-zh-desktop")
    page.get_by_test_id("deactivate-instead").click()
    expect(page.get_by_test_id("sku-inactive-tag")).to_be_visible()
    used.refresh_from_db()
    assert used.active is False
    assert StockMove.objects.filter(sku=used).count() == 1
    page.locator(".ant-drawer-close").click()
    expect(page.locator(".ant-drawer-content")).to_have_count(0)
    row = page.locator(".ant-table-row").filter(has_text="TEE-M")
    expect(row).to_have_class(re.compile("row-inactive"))
    expect(row).to_contain_text("已停用")
    shot(page, "product-sku-inactive-zh-desktop")

    # the product is used too: delete refused, then it is deactivated and activated again
    page.get_by_test_id("product-delete").click()
    page.get_by_test_id("delete-confirm").click()
    expect(page.locator(".ant-modal-confirm").filter(has_text=document.number)).to_be_visible()
    page.get_by_test_id("deactivate-instead").click()
    expect(page.get_by_test_id("product-inactive-tag")).to_be_visible()
    assert Product.objects.get(pk=used.product_id).active is False
    page.get_by_test_id("product-activate").click()
    expect(page.get_by_test_id("product-inactive-tag")).to_have_count(0)
    assert Product.objects.get(pk=used.product_id).active is True

    # the list shows it greyed and finds it with the "inactive" filter
    page.goto(f"{live_server.url}/master/products")
    page.get_by_test_id("product-active-filter").click()
    page.locator(".ant-select-item-option").filter(has_text="已停用").click()
    expect(page.locator(".ant-table-row")).to_have_count(1)
    expect(page.locator(".ant-table-row[data-inactive=true]")).to_contain_text("TEE-M")
    assert page.js_errors == []


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
    expect(page.get_by_text("规格已保存")).to_be_visible()

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
    expect(dialog.get_by_text("将组合出 3 个规格")).to_be_visible()
    page.get_by_test_id("variants-submit").click()
    expect(page.get_by_text("已生成 3 个规格")).to_be_visible()
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


def test_add_sku_starts_afresh_with_the_products_current_name(live_server, shop, open_page):
    """Add SKU kept what its dialog held: reopened after a cancel it showed what was typed, and
    after the product was renamed it still proposed the old name."""
    from storeledger.catalog.models import Sku
    from storeledger.testing import factories

    sku = factories.sku(code="TEA-1", name="绿茶", base_unit=shop["unit"])
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/products/{sku.product_id}")
    dialog = page.locator(".ant-modal").filter(has_text="添加规格")
    code, name = dialog.get_by_label("规格编码"), dialog.get_by_label("规格名称")

    page.get_by_test_id("sku-add").click()
    expect(name).to_have_value("绿茶")
    code.fill("TEA-2")
    name.fill("绿茶 大瓶")
    dialog.locator(".ant-modal-footer .ant-btn").first.click()
    expect(dialog).to_be_hidden()
    page.get_by_test_id("sku-add").click()
    expect(code).to_have_value("")
    expect(name).to_have_value("绿茶")
    dialog.locator(".ant-modal-footer .ant-btn").first.click()
    expect(dialog).to_be_hidden()

    page.locator("#product-name").fill("乌龙茶")
    page.get_by_test_id("product-save").click()
    expect(page.get_by_text("商品已保存")).to_be_visible()
    page.get_by_test_id("sku-add").click()
    expect(name).to_have_value("乌龙茶")
    code.fill("TEA-2")
    dialog.locator(".ant-modal-footer .ant-btn-primary").click()
    expect(dialog).to_be_hidden()
    assert Sku.objects.get(code="TEA-2").name == "乌龙茶"
    assert page.js_errors == []
