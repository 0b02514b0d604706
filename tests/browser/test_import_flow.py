"""End-to-end: importing SKUs on the product list. A large file runs as a background job with
its progress; refused rows are listed by row and code, and the user can import the valid rows
only and download the refused ones as a file; in both languages."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sku_csv(count: int, bad: set[int]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["code", "name", "base_unit", "retail_price"])
    for i in range(count):
        writer.writerow([f"IMP{i:05d}", f"导入商品{i}", "pcs", "abc" if i in bad else "2.50"])
    return text.getvalue().encode("utf-8")


def choose(page, name: str, content: bytes) -> None:
    page.get_by_test_id("import-button").locator("xpath=..").locator(
        "input[type=file]"
    ).set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])


def test_a_large_import_with_progress_then_the_valid_rows_only(live_server, shop, open_page):
    from storeledger.catalog.models import Sku

    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/master/products")
    choose(page, "skus.csv", sku_csv(2500, bad={7, 700, 1400}))

    # more than 2,000 rows: a background job, its progress shown while it runs
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("共约 2,500 行")
    shot(page, "import-progress-zh-desktop", settle=False)

    # refused: nothing saved, each refused row by number and code, and the two ways forward
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible(timeout=120_000)
    expect(page.get_by_role("dialog")).to_contain_text("有 3 行被拒绝")
    expect(errors.locator(".ant-table-row").first).to_contain_text("IMP00007")
    expect(errors.locator(".ant-table-row").first).to_contain_text("9")
    shot(page, "import-refused-zh-desktop")
    assert Sku.objects.count() == 0

    page.get_by_test_id("import-valid-rows").click()
    result = page.get_by_test_id("import-result")
    expect(result).to_be_visible(timeout=120_000)
    expect(result).to_contain_text("新增 2497 条，更新 0 条，拒绝 3 条")
    shot(page, "import-valid-rows-zh-desktop")
    assert Sku.objects.count() == 2497

    href = page.get_by_test_id("import-refused-download").get_attribute("href")
    download = page.request.get(f"{live_server.url}{href}")
    assert download.status == 200
    rows = list(csv.reader(io.StringIO(download.body().decode("utf-8-sig"))))
    assert rows[0] == ["code", "name", "base_unit", "retail_price", "#row", "#errors"]
    assert [row[0] for row in rows[1:]] == ["IMP00007", "IMP00700", "IMP01400"]
    assert page.js_errors == []


def test_small_import_in_english_with_a_case_warning(live_server, shop, open_page):
    from storeledger.catalog.models import Sku
    from storeledger.testing import factories

    factories.sku(code="85123A", name="WHITE HANGING HEART", base_unit=shop["unit"])
    page = open_page(DESKTOP, lang="en")
    login(page, live_server.url)
    page.get_by_test_id("language-switch").get_by_text("EN").click()
    expect(page.get_by_test_id("side-menu")).to_contain_text("Products")
    page.goto(f"{live_server.url}/master/products")
    content = (
        b"code,name,base_unit,retail_price\n85123a,heart,pcs,2.95\nBAD1,bad,pcs,x\nOK1,ok,pcs,1\n"
    )
    choose(page, "skus.csv", content)

    errors = page.get_by_test_id("import-errors")
    expect(page.get_by_role("dialog")).to_contain_text("Import failed")
    expect(errors.locator(".ant-table-row").first).to_contain_text("BAD1")
    expect(page.get_by_test_id("import-refused-download")).to_be_visible()

    page.get_by_role("button", name="Import the valid rows only").click()
    result = page.get_by_test_id("import-result")
    expect(result).to_contain_text("2 created, 0 updated, 1 refused")
    warnings = page.get_by_test_id("import-warnings")
    expect(warnings).to_contain_text("Warnings (1)")
    expect(warnings).to_contain_text("differs only in case from the existing SKU 85123A")
    shot(page, "import-result-en-desktop")
    assert set(Sku.objects.values_list("code", flat=True)) == {"85123A", "85123a", "OK1"}
    assert page.js_errors == []
