"""End-to-end: log in, menu and language, and the key inventory flow — create a product with a
barcode, receive it by scanning into an other-stock-in, post it, see stock on hand and the
ledger — on a desktop and at a 375×812 phone viewport."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PASSWORD, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARCODE = "6901234567892"
CASE_BARCODE = "16901234567899"


def choose(page, select: str, text: str) -> None:
    """Pick the option containing `text` of the Ant Design select `select`."""
    page.locator(select).click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


def scan(page, code: str) -> None:
    field = page.locator("#scan-input")
    field.fill(code)
    field.press("Enter")


def test_login_menu_and_language_on_desktop(live_server, shop, open_page):
    page = open_page(DESKTOP)

    login(page, live_server.url)

    menu = page.get_by_test_id("side-menu")
    expect(page.get_by_text("欢迎，boss")).to_be_visible()
    expect(menu.get_by_text("基础资料")).to_be_visible()
    expect(menu.get_by_text("库存", exact=True)).to_be_visible()
    expect(menu.get_by_text("采购", exact=True)).to_be_visible()
    expect(menu.get_by_text("销售")).to_have_count(0)  # not built yet: hidden, not a dead link
    shot(page, "dashboard-zh-desktop")

    page.get_by_test_id("language-switch").get_by_text("EN").click()

    expect(page.get_by_text("Welcome, boss")).to_be_visible()
    expect(menu.get_by_text("Master data")).to_be_visible()
    expect(menu.get_by_text("Inventory", exact=True)).to_be_visible()
    shot(page, "dashboard-en-desktop")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))
    expect(page.get_by_test_id("login-submit")).to_have_text("Log in")  # the language stays
    page.goto(f"{live_server.url}/inventory/balances")  # signed out: back to the login page
    page.wait_for_url(re.compile(r"/login\?next=%2Finventory%2Fbalances"))
    assert page.js_errors == []


def test_the_api_docs_link_signs_in_first_then_shows_swagger(live_server, shop, open_page):
    page = open_page(DESKTOP)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_url(re.compile(r"/login\?next=%2Fapi%2Fdocs%2F"))
    page.locator("#login-username").fill("boss")
    page.locator("#login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"/api/docs/$"))
    expect(page.locator(".swagger-ui .title").first).to_contain_text("StoreLedger")


def test_wrong_password_shows_the_api_message(live_server, shop, open_page):
    page = open_page(DESKTOP)
    page.goto(f"{live_server.url}/login")
    page.locator("#login-username").fill("boss")
    page.locator("#login-password").fill("wrong-password")
    page.get_by_test_id("login-submit").click()

    expect(page.locator(".ant-message-error")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login"))


def test_product_stock_in_by_scanning_post_and_stock_on_hand(live_server, shop, open_page):
    from storeledger.catalog.models import Sku
    from storeledger.inventory.models import StockBalance

    page = open_page(DESKTOP)
    login(page, live_server.url)

    # a product with a barcode
    page.goto(f"{live_server.url}/master/products/new")
    page.locator("#product-code").fill("COLA330")
    page.locator("#product-name").fill("可口可乐 330ml")
    choose(page, "#product-base-unit", "个")
    page.locator("#product-barcode").fill(BARCODE)
    page.locator("#product-purchase_price").fill("2.5")
    choose(page, "#product-case-unit", "箱")
    page.locator("#product-case-factor").fill("12")
    page.locator("#product-case-barcode").fill(CASE_BARCODE)
    page.get_by_test_id("product-save").click()
    page.wait_for_url(re.compile(r"/master/products$"))
    expect(page.get_by_role("cell", name="COLA330")).to_be_visible()
    expect(page.get_by_text(BARCODE)).to_be_visible()
    shot(page, "products-zh-desktop")
    sku = Sku.objects.get(code="COLA330")

    # search by pinyin initials
    page.locator("#product-search").fill("kkkl")
    page.locator("#product-search").press("Enter")
    expect(page.get_by_role("cell", name="COLA330")).to_be_visible()
    # the header's global search finds it by barcode
    page.locator("#global-search").fill(BARCODE)
    page.locator("#global-search").press("Enter")
    page.wait_for_url(re.compile(r"/master/products\?search=" + BARCODE))
    expect(page.get_by_role("cell", name="COLA330")).to_be_visible()

    # other stock-in by scanning: three scans → one line of 3; an unknown barcode → a message
    page.goto(f"{live_server.url}/inventory/stock-ins/new")
    expect(page.locator(".ant-select-selection-item").first).to_contain_text("WH01")
    for _ in range(3):
        scan(page, BARCODE)
    status = page.get_by_test_id("scan-status")
    expect(status).to_contain_text("可口可乐 330ml")
    expect(page.get_by_test_id("qty-COLA330")).to_have_value("3")
    scan(page, "0000000000000")
    expect(status).to_contain_text("未找到条码 0000000000000")
    expect(status).to_have_attribute("data-ok", "false")
    scan(page, CASE_BARCODE)  # a case of 12: its own line, shown in base units too
    expect(page.get_by_test_id("base-COLA330-箱")).to_have_text(" = 12 个")
    expect(page.locator(".ant-table-row")).to_have_count(2)
    shot(page, "stock-in-scan-zh-desktop")

    page.get_by_test_id("save-and-post").click()
    page.wait_for_url(re.compile(r"/inventory/stock-ins/\d+$"))
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    expect(page.get_by_test_id("action-reverse")).to_be_visible()
    shot(page, "stock-in-posted-zh-desktop")
    balance = StockBalance.objects.get(sku=sku, warehouse=shop["warehouse"])
    assert (balance.on_hand, balance.value) == (Decimal("15"), Decimal("37.50"))

    # stock on hand, then the SKU's ledger
    page.goto(f"{live_server.url}/inventory/balances")
    row = page.locator(".ant-table-row").filter(has_text="COLA330")
    expect(row).to_contain_text("15")
    shot(page, "stock-balances-zh-desktop")
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/inventory/moves\?sku="))
    move = page.locator(".ant-table-row").filter(has_text="其他入库")
    expect(move).to_have_count(2)  # one move per line: 3 pieces, then 1 case = 12
    shot(page, "stock-ledger-zh-desktop")
    expect(move.first).to_contain_text("15")  # newest first, with the running balance
    move.first.get_by_role("link").click()  # the ledger links to its document
    page.wait_for_url(re.compile(r"/inventory/stock-ins/\d+$"))
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")

    # the (head office) dashboard counts it
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("card-stock-value")).to_contain_text("¥37.50")
    expect(page.get_by_test_id("card-in")).to_contain_text("¥37.50")  # the last 30 days
    expect(page.get_by_test_id("card-out")).to_contain_text("¥0.00")
    expect(page.get_by_test_id("card-sku-count")).to_contain_text("1")
    expect(page.get_by_test_id("chart-trend").get_by_test_id("chart")).to_be_visible()
    page.get_by_test_id("card-sku-count").click()  # a card opens the report behind it
    page.wait_for_url(re.compile(r"/reports/stock-status"))
    expect(page.locator(".ant-table-row").filter(has_text="COLA330")).to_have_count(1)
    page.go_back()
    shot(page, "dashboard-with-stock-zh-desktop")
    assert page.js_errors == []


def test_phone_menu_drawer_english_and_scanning(live_server, shop, open_page):
    from storeledger.testing import factories

    factories.sku(
        code="WATER", name="矿泉水 550ml", barcode="6900000000017", base_unit=shop["unit"]
    )
    page = open_page(PHONE)
    login(page, live_server.url)
    expect(page.get_by_test_id("side-menu")).to_have_count(0)  # a drawer on phones
    expect(page.get_by_test_id("card-in")).to_contain_text("¥0.00")  # nothing moved yet
    expect(page.get_by_test_id("card-sku-count")).to_contain_text("0")
    shot(page, "dashboard-zh-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_test_id("language-switch").get_by_text("EN").click()
    page.get_by_role("button", name="Open menu").click()
    drawer_menu = page.get_by_test_id("side-menu")
    expect(drawer_menu.get_by_text("Inventory", exact=True)).to_be_visible()
    page.wait_for_function(  # the drawer is fully in view
        "() => { const e = document.querySelector('.ant-drawer-content-wrapper');"
        " return e !== null && e.getBoundingClientRect().left === 0; }"
    )
    shot(page, "menu-drawer-en-phone")
    drawer_menu.get_by_text("Other stock-in").click()
    page.wait_for_url(re.compile(r"/inventory/stock-ins$"))
    expect(page.get_by_text("Other stock-ins")).to_be_visible()

    page.goto(f"{live_server.url}/inventory/stock-ins/new")
    scan(page, "6900000000017")
    scan(page, "6900000000017")
    expect(page.get_by_test_id("scan-status")).to_contain_text("矿泉水 550ml +1")
    expect(page.get_by_test_id("qty-WATER")).to_have_value("2")
    shot(page, "stock-in-scan-en-phone")
    page.get_by_test_id("save-and-post").click()
    page.wait_for_url(re.compile(r"/inventory/stock-ins/\d+$"))
    expect(page.get_by_test_id("doc-status")).to_have_text("Posted")
    shot(page, "stock-in-posted-en-phone")
    # the pages fit the phone: nothing wider than the viewport but the scrolling tables
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{live_server.url}/inventory/balances")
    expect(page.get_by_test_id("balance-card").filter(has_text="WATER")).to_contain_text(
        "2"
    )  # cards
    shot(page, "stock-balances-en-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == []


def _stock(shop, code: str, name: str, barcode: str, quantity: str):
    """A SKU with `quantity` on hand in WH01, received through the stock-in service."""
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    sku = factories.sku(code=code, name=name, barcode=barcode, base_unit=shop["unit"])
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=sku.pk, quantity=Decimal(quantity), unit_cost=Decimal("2"))],
    )
    return sku


def test_transfer_by_scanning_ship_and_receive_with_discrepancy(live_server, shop, open_page):
    from storeledger.inventory.models import StockBalance
    from storeledger.testing import factories

    sku = _stock(shop, "JUICE", "橙汁 1L", "6900000000024", "10")
    branch = factories.warehouse(shop["store"], code="WH02", name="二号仓")
    page = open_page(DESKTOP)
    login(page, live_server.url)

    page.goto(f"{live_server.url}/inventory/transfers/new")
    choose(page, "#transfer-to", "WH02")
    for _ in range(4):
        scan(page, "6900000000024")
    expect(page.get_by_test_id("qty-JUICE")).to_have_value("4")
    page.get_by_test_id("transfer-save").click()
    page.wait_for_url(re.compile(r"/inventory/transfers/\d+$"))
    expect(page.get_by_test_id("doc-status")).to_have_text("草稿")

    page.get_by_test_id("action-ship").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="发货").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已发货")

    page.get_by_test_id("action-receive").click()
    received = page.get_by_test_id("receive-JUICE")
    expect(received).to_have_value("")  # counted, never prefilled with what was shipped
    received.fill("3")
    page.get_by_test_id("receive-confirm").click()
    page.get_by_test_id("receive-confirm-differences").click()  # 1 short: a discrepancy
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")
    shot(page, "transfer-received-zh-desktop")

    assert StockBalance.objects.get(sku=sku, warehouse=shop["warehouse"]).on_hand == Decimal("6")
    assert StockBalance.objects.get(sku=sku, warehouse=branch).on_hand == Decimal("3")
    assert page.js_errors == []


def test_stock_count_by_scanning_and_post_the_difference(live_server, shop, open_page):
    from storeledger.inventory.models import StockBalance

    sku = _stock(shop, "TEA", "绿茶 500ml", "6900000000031", "5")
    page = open_page(DESKTOP, lang="en")
    login(page, live_server.url)
    page.get_by_test_id("language-switch").get_by_text("EN").click()

    page.goto(f"{live_server.url}/inventory/stock-counts")
    page.get_by_test_id("count-create").click()
    expect(page.locator(".ant-modal .ant-select-selection-item")).to_contain_text("WH01")
    page.get_by_test_id("count-create-confirm").click()
    page.wait_for_url(re.compile(r"/inventory/stock-counts/\d+$"))
    page.get_by_test_id("action-start").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="Start counting").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("Counting")

    for _ in range(3):
        scan(page, "6900000000031")
    expect(page.get_by_test_id("scan-status")).to_contain_text("绿茶 500ml counted 3")
    expect(page.get_by_test_id("counted-TEA")).to_have_text("3")
    shot(page, "stock-count-scan-en-desktop")

    page.get_by_test_id("action-submit").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("Submitted")
    page.get_by_test_id("action-post").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="Post").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("Posted")
    shot(page, "stock-count-posted-en-desktop")

    assert StockBalance.objects.get(sku=sku, warehouse=shop["warehouse"]).on_hand == Decimal("3")
    assert page.js_errors == []


def test_master_data_units_create_and_edit(live_server, shop, open_page):
    from storeledger.catalog.models import Unit

    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.get_by_test_id("side-menu").get_by_text("计量单位").click()
    page.wait_for_url(re.compile(r"/master/units$"))
    expect(page.get_by_role("cell", name="pcs")).to_be_visible()

    page.get_by_test_id("master-create").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("编码").fill("kg")
    dialog.get_by_label("名称").fill("千克")
    dialog.get_by_label("小数位数").fill("3")
    page.get_by_test_id("master-save").click()
    expect(page.get_by_role("cell", name="千克")).to_be_visible()
    assert Unit.objects.get(code="kg").precision == 3

    # a duplicate code: the API's field error shows on the form field
    page.get_by_test_id("master-create").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("编码").fill("kg")
    dialog.get_by_label("名称").fill("公斤")
    page.get_by_test_id("master-save").click()
    expect(dialog.locator(".ant-form-item-explain-error")).to_be_visible()
    shot(page, "master-units-error-zh-desktop")
    assert Unit.objects.filter(code="kg").count() == 1
    dialog.get_by_role("button", name="取消").click()

    # an import with a bad row: the row's errors are listed and nothing is saved
    page.get_by_test_id("import-button").locator("xpath=..").locator(
        "input[type=file]"
    ).set_input_files(
        files=[
            {
                "name": "units.csv",
                "mimeType": "text/csv",
                "buffer": "code,name,precision\nL,升,3\nbad,,x\n".encode(),
            }
        ]
    )
    errors = page.get_by_test_id("import-errors")
    expect(errors.locator(".ant-table-row").first).to_contain_text("3")
    shot(page, "master-units-import-errors-zh-desktop")
    assert not Unit.objects.filter(code="L").exists()
    assert page.js_errors == []


def test_change_password_then_log_in_with_it(live_server, shop, open_page):
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.get_by_test_id("user-menu").click()
    page.get_by_role("menuitem", name="修改密码").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("原密码").fill(PASSWORD)
    dialog.get_by_label("新密码", exact=True).fill("brand-new-secret-42")
    dialog.get_by_label("确认新密码").fill("brand-new-secret-42")
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text("密码已修改")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("menuitem", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login"))
    login(page, live_server.url, password="brand-new-secret-42")
    expect(page.get_by_text("欢迎，boss")).to_be_visible()
    assert page.js_errors == []


def test_the_chosen_language_is_saved_and_follows_the_user_to_a_phone(live_server, shop, open_page):
    from storeledger.accounts.models import Profile

    page = open_page(DESKTOP)
    login(page, live_server.url)
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/auth/me/") and r.request.method == "PATCH"
    ) as saved:
        page.get_by_test_id("language-switch").get_by_text("EN").click()
    assert saved.value.ok
    expect(page.get_by_text("Welcome, boss")).to_be_visible()
    assert Profile.objects.get(user=shop["user"]).language == "en"
    page.get_by_test_id("user-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))

    # Another device: a phone whose browser asks for Chinese.
    phone = open_page(PHONE, lang="zh-CN")
    phone.goto(f"{live_server.url}/login")
    expect(phone.get_by_test_id("login-submit")).to_have_text("登录")
    phone.locator("#login-username").fill("boss")
    phone.locator("#login-password").fill(PASSWORD)
    phone.get_by_test_id("login-submit").click()
    expect(phone.get_by_text("Welcome, boss")).to_be_visible()
    phone.get_by_role("button", name="Open menu").click()
    expect(phone.get_by_test_id("side-menu").get_by_text("Master data")).to_be_visible()
    shot(phone, "saved-language-en-after-login-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == [] and phone.js_errors == []
