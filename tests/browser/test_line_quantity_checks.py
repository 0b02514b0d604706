"""End-to-end: a document line's quantity is checked as it is typed — zero, or more decimal
places than the SKU's base unit allows (1.5 个; 0.25 case of 10 = 2.5 个) — with the message under
the field, in Chinese and in English, and the save buttons disabled; before, the form let it
through and only the server refused it after saving."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, code: str) -> None:
    field = page.locator("#scan-input")
    field.fill(code)
    field.press("Enter")


@pytest.fixture
def goods(shop):
    from storeledger.testing import factories

    kg = factories.unit("kg", "千克", precision=3)
    cola = factories.sku(code="COLA", name="可乐", barcode="6900000000501", base_unit=shop["unit"])
    rice = factories.sku(code="RICE", name="大米", barcode="6900000000502", base_unit=kg)
    return {"cola": cola, "rice": rice}


def test_stock_in_line_quantity_is_checked_while_typing(live_server, shop, goods, open_page):
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/new")
    scan(page, "6900000000501")
    scan(page, "6900000000502")
    cola = page.get_by_test_id("qty-COLA")
    expect(cola).to_have_value("1")
    expect(page.get_by_test_id("qty-error-COLA")).to_have_count(0)
    expect(page.get_by_test_id("save-and-post")).to_be_enabled()

    cola.fill("0")
    expect(page.get_by_test_id("qty-error-COLA")).to_have_text("数量必须大于零")
    expect(page.get_by_test_id("save-and-post")).to_be_disabled()
    expect(page.get_by_test_id("save-blocked")).to_contain_text("COLA: 数量必须大于零")

    cola.fill("1.5")
    expect(page.get_by_test_id("qty-error-COLA")).to_have_text("小数位数过多：个最多允许 0 位小数")
    expect(page.get_by_test_id("save-and-post")).to_be_disabled()

    rice = page.get_by_test_id("qty-RICE")
    rice.fill("1.2345")
    expect(page.get_by_test_id("qty-error-RICE")).to_have_text(
        "小数位数过多：千克最多允许 3 位小数"
    )
    rice.fill("1.234")
    expect(page.get_by_test_id("qty-error-RICE")).to_have_count(0)
    cola.fill("2")
    expect(page.get_by_test_id("qty-error-COLA")).to_have_count(0)
    expect(page.get_by_test_id("save-and-post")).to_be_enabled()

    # in English
    page.get_by_test_id("language-switch").get_by_text("EN", exact=True).click()
    cola.fill("0")
    expect(page.get_by_test_id("qty-error-COLA")).to_have_text(
        "The quantity must be greater than zero"
    )
    rice.fill("0.0001")
    expect(page.get_by_test_id("qty-error-RICE")).to_have_text(
        "Too many decimal places: 千克 allows 3"
    )
    assert page.js_errors == []


def test_transfer_line_on_a_phone_says_why(live_server, shop, goods, open_page):
    from storeledger.testing import factories

    factories.warehouse(shop["store"], code="WH02", name="二号仓")
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/transfers/new")
    scan(page, "6900000000501")
    quantity = page.get_by_test_id("qty-COLA")
    quantity.fill("0.5")
    error = page.get_by_test_id("qty-error-COLA")
    expect(error).to_have_text("小数位数过多：个最多允许 0 位小数")
    box = error.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
    shot(page, "transfer-line-quantity-error-phone")
    assert page.js_errors == []


def test_purchase_order_line_quantity_is_checked_while_typing(live_server, shop, open_page):
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import SupplierItemData, create_supplier_item
    from storeledger.testing import factories

    cola = factories.sku(
        code="COLA", name="可乐", base_unit=shop["unit"], case_factor="12", barcode="6900000000501"
    )
    supplier = Supplier.objects.create(code="S001", name="杭州娃哈哈集团")
    create_supplier_item(
        user=None,
        data=SupplierItemData(
            supplier=supplier, sku=cola, price=Decimal("24"), purchase_unit=cola.units.get().unit
        ),
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/orders/new")
    page.get_by_test_id("po-supplier").click()
    page.locator(".ant-select-item-option").filter(has_text="杭州娃哈哈集团").click()
    scan(page, "6900000000501")
    quantity = page.get_by_test_id("po-quantity-COLA")
    expect(quantity).to_have_value("1")  # 1 箱 of 12 from the catalogue
    quantity.fill("0.5")  # 6 个: fine
    expect(page.get_by_test_id("po-quantity-error-COLA")).to_have_count(0)
    quantity.fill("0.1")  # 1.2 个: not
    expect(page.get_by_test_id("po-quantity-error-COLA")).to_have_text(
        "小数位数过多：个最多允许 0 位小数"
    )
    expect(page.get_by_test_id("po-save")).to_be_disabled()
    quantity.fill("0")
    expect(page.get_by_test_id("po-quantity-error-COLA")).to_have_text("数量必须大于零")
    quantity.fill("2")
    expect(page.get_by_test_id("po-quantity-error-COLA")).to_have_count(0)
    expect(page.get_by_test_id("po-save")).to_be_enabled()
    assert page.js_errors == []
