"""End-to-end: a document line's quantity is checked as it is typed — zero, or more decimal
places than the SKU's base unit allows (1.5 个; 0.25 case of 10 = 2.5 个) — with the message under
the field, in Chinese and in English, and the save buttons disabled; before, the form let it
through and only the server refused it after saving. Also on purchase requests and on a saved
draft's lines reopened for editing (their base unit's places come with them from the API)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

D2 = Decimal("2.00")

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


def pick_sku(page, line, code: str) -> None:
    line.locator(".ant-select").first.click()
    page.keyboard.type(code)
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(
        has_text=code
    ).click()


def test_purchase_request_line_quantity_is_checked_while_typing(
    live_server, shop, goods, open_page
):
    from storeledger.purchasing.models import PurchaseRequest

    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/requests/new")
    page.get_by_test_id("request-warehouse").click()
    page.locator(".ant-select-item-option").filter(has_text="一号店仓库").click()
    line = page.get_by_test_id("request-line").first
    pick_sku(page, line, "COLA")
    quantity = page.get_by_test_id("request-qty-0")
    error = line.locator(".ant-form-item-explain-error")
    quantity.fill("1.5")
    expect(error).to_have_text("小数位数过多：个最多允许 0 位小数")
    page.get_by_test_id("request-save").click()
    expect(error).to_have_text("小数位数过多：个最多允许 0 位小数")
    quantity.fill("0")
    expect(error).to_have_text("数量必须大于零")
    shot(page, "request-line-quantity-error")

    # in English: the message shown is said again, and as typed
    page.get_by_test_id("language-switch").get_by_text("EN", exact=True).click()
    expect(error).to_have_text("The quantity must be greater than zero")
    quantity.fill("2.5")
    expect(error).to_have_text("Too many decimal places: 个 allows 0")
    # another SKU on the line: its base unit's places (千克: 3)
    pick_sku(page, line, "RICE")
    expect(error).to_have_count(0)
    quantity.fill("2.5005")
    expect(error).to_have_text("Too many decimal places: 千克 allows 3")
    page.get_by_test_id("request-save").click()
    expect(error).to_have_text("Too many decimal places: 千克 allows 3")
    assert not PurchaseRequest.objects.exists()  # refused before the server
    quantity.fill("2.5")
    expect(error).to_have_count(0)
    page.get_by_test_id("request-save").click()
    page.wait_for_url(re.compile(r"/purchasing/requests/\d+$"))
    request = PurchaseRequest.objects.get()
    assert [(line.sku.code, line.quantity) for line in request.lines.all()] == [
        ("RICE", Decimal("2.5"))
    ]
    assert page.js_errors == []


def test_a_request_quantity_keeps_the_focus_when_its_unit_arrives(
    live_server, shop, goods, open_page
):
    """The unit beside a request line's quantity comes with the SKU's details. The user types the
    quantity while they are on their way. Before, the unit's arrival rebuilt the field, so the
    field lost the focus and the rest of the typing went nowhere: '1.5' became '1'."""
    page = open_page()
    login(page, live_server.url)
    held = []  # the SKU's details, held back
    details = re.compile(r"/api/v1/skus/\d+/$")
    page.route(details, lambda route: held.append(route))
    page.goto(f"{live_server.url}/purchasing/requests/new")
    line = page.get_by_test_id("request-line").first
    pick_sku(page, line, "COLA")
    quantity = page.get_by_test_id("request-qty-0")
    quantity.click()
    page.keyboard.type("1")
    expect(line).not_to_contain_text("个")
    assert held, "the SKU's details were asked for"
    for route in held:
        route.continue_()
    page.unroute(details)
    expect(line).to_contain_text("个")
    page.keyboard.type(".5")
    expect(quantity).to_have_value("1.5")
    expect(line.locator(".ant-form-item-explain-error")).to_have_text(
        "小数位数过多：个最多允许 0 位小数"
    )
    assert page.js_errors == []


def test_a_reopened_draft_checks_its_saved_lines_decimals_as_typed(live_server, shop, open_page):
    """A saved line in a case of 10 (个: 0 places): 0.25 case = 2.5 个 is refused as typed on
    reopening the draft — its base unit's places came with the saved line — and 0.5 case is fine."""
    from storeledger.inventory.services.documents import StockLineInput, create_stock_document
    from storeledger.purchasing.services import requests
    from storeledger.purchasing.services.requests import RequestLineInput
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可乐", base_unit=shop["unit"], case_factor="10")
    case = cola.units.get().unit
    document = create_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[
            StockLineInput(
                sku_id=cola.pk, unit_id=case.pk, quantity=Decimal("2"), unit_cost=Decimal("20")
            )
        ],
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/{document.pk}")
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("draft-editor")
    quantity = editor.get_by_test_id("qty-COLA")
    expect(quantity).to_have_value("2")
    expect(editor.get_by_test_id("qty-error-COLA")).to_have_count(0)
    quantity.fill("0.25")
    expect(editor.get_by_test_id("qty-error-COLA")).to_have_text(
        "小数位数过多：个最多允许 0 位小数"
    )
    expect(editor.get_by_test_id("draft-save")).to_be_disabled()
    expect(page.get_by_test_id("save-blocked")).to_contain_text("COLA: 小数位数过多")
    shot(page, "draft-edit-line-quantity-error")
    quantity.fill("0.5")  # 5 个
    expect(editor.get_by_test_id("qty-error-COLA")).to_have_count(0)
    expect(editor.get_by_test_id("draft-save")).to_be_enabled()

    # a saved purchase request, reopened: its line in cases too
    request = requests.create_purchase_request(
        user=shop["user"],
        warehouse_id=shop["warehouse"].pk,
        lines=[RequestLineInput(sku_id=cola.pk, unit_id=case.pk, quantity=Decimal("3"))],
    )
    page.goto(f"{live_server.url}/purchasing/requests/{request.pk}")
    page.get_by_test_id("draft-edit").click()
    quantity = page.get_by_test_id("request-qty-0")
    expect(quantity).to_have_value("3")
    quantity.fill("0.25")
    error = page.get_by_test_id("request-line").first.locator(".ant-form-item-explain-error")
    expect(error).to_have_text("小数位数过多：个最多允许 0 位小数")
    quantity.fill("0.5")
    expect(error).to_have_count(0)
    assert page.js_errors == []


def test_a_return_quantity_finer_than_the_base_unit_is_refused_as_typed(
    live_server, shop, goods, open_page
):
    """A return from a receipt (its lines in the base unit): 1.5 个 is flagged and blocks
    saving, 1.5 千克 is fine; a line left at 0 does not go back and says nothing."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.models import PurchaseReturn
    from storeledger.purchasing.services import receipts

    supplier = Supplier.objects.create(code="S001", name="杭州娃哈哈集团")
    receipt = receipts.create_purchase_receipt(
        user=shop["user"],
        supplier_id=supplier.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            receipts.ReceiptLineInput(sku_id=goods["cola"].id, quantity=Decimal(10), price=D2),
            receipts.ReceiptLineInput(sku_id=goods["rice"].id, quantity=Decimal(5), price=D2),
        ],
        post=True,
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/returns/new")
    page.get_by_test_id("return-receipt").click()
    page.get_by_test_id("return-receipt").locator("input").fill(receipt.number[-4:])
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=receipt.number).click()
    cola = page.get_by_test_id("return-qty-COLA")
    cola.fill("1.5")
    expect(page.get_by_test_id("return-qty-error-COLA")).to_have_text(
        "小数位数过多：个最多允许 0 位小数"
    )
    expect(page.get_by_test_id("return-save")).to_be_disabled()
    page.get_by_test_id("return-qty-RICE").fill("1.5")
    expect(page.get_by_test_id("return-qty-error-RICE")).to_have_count(0)
    cola.fill("0")
    expect(page.get_by_test_id("return-qty-error-COLA")).to_have_count(0)
    expect(page.get_by_test_id("return-save")).to_be_enabled()
    page.get_by_test_id("language-switch").get_by_text("EN", exact=True).click()
    cola.fill("2.5")
    expect(page.get_by_test_id("return-qty-error-COLA")).to_have_text(
        "Too many decimal places: 个 allows 0"
    )
    cola.fill("2")
    page.get_by_test_id("return-save").click()
    page.wait_for_url(re.compile(r"/purchasing/returns/\d+$"))
    saved = PurchaseReturn.objects.get()
    assert sorted((line.sku.code, line.quantity) for line in saved.lines.all()) == [
        ("COLA", Decimal(2)),
        ("RICE", Decimal("1.5")),
    ]
    assert page.js_errors == []


def test_a_saved_request_line_given_another_sku_takes_its_base_unit(live_server, shop, open_page):
    """A saved request line in cases of 10 (可乐): changing its SKU to 大米 (千克) resets the unit
    to 大米's base unit — the form kept the case of 可乐 and only the server refused it."""
    from storeledger.purchasing.models import PurchaseRequest
    from storeledger.purchasing.services import requests
    from storeledger.purchasing.services.requests import RequestLineInput
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可乐", base_unit=shop["unit"], case_factor="10")
    kg = factories.unit("kg", "千克", precision=3)
    factories.sku(code="RICE", name="大米", base_unit=kg)
    case = cola.units.get().unit
    request = requests.create_purchase_request(
        user=shop["user"],
        warehouse_id=shop["warehouse"].pk,
        lines=[RequestLineInput(sku_id=cola.pk, unit_id=case.pk, quantity=Decimal("3"))],
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/requests/{request.pk}")
    page.get_by_test_id("draft-edit").click()
    line = page.get_by_test_id("request-line").first
    pick_sku(page, line, "RICE")
    quantity = page.get_by_test_id("request-qty-0")
    quantity.fill("2.5")
    expect(line.locator(".ant-form-item-explain-error")).to_have_count(0)
    page.get_by_test_id("request-save").click()
    expect(page.get_by_text("已保存").first).to_be_visible()
    saved = PurchaseRequest.objects.get().lines.get()
    assert (saved.sku.code, saved.unit_id, saved.quantity) == ("RICE", kg.pk, Decimal("2.5"))
    shot(page, "request-line-new-sku-unit")
    assert page.js_errors == []
