"""Document PDFs: GET /api/v1/<documents>/{id}/pdf/ (permission, scope, language, content)."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from storeledger.inventory.models import StockCount
from storeledger.org.models import Company, Location
from storeledger.printing import documents, pdf, selectors
from storeledger.printing.checks import check_cjk_font
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def page_count(content: bytes) -> int:
    return content.count(b"/Type /Page") - content.count(b"/Type /Pages")


def posted(api, path, warehouse, sku, quantity="10", **line):
    body = {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": quantity, **line}]}
    if path == "scraps":
        body["reason"] = factories.reason().id  # a scrap says why
    response = api.post(f"/api/v1/{path}/?post=true", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "posted"
    return response.json()


@pytest.fixture
def admin_api(client_for, admin_user):
    return client_for(admin_user)


@pytest.fixture
def stock_in(admin_api, warehouse, sku):
    return posted(admin_api, "stock-ins", warehouse, sku, "10", unit_cost="2.50")


@pytest.fixture
def transfer(admin_api, stock_in, warehouse, other_warehouse, sku):
    created = admin_api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "4"}],
        },
        format="json",
    ).json()
    url = f"/api/v1/transfers/{created['id']}/"
    for step in ("submit", "approve", "ship"):
        assert admin_api.post(url + f"{step}/").status_code == 200, step
    line_id = created["lines"][0]["id"]
    received = admin_api.post(
        url + "receive/", {"lines": [{"line": line_id, "quantity": "4"}]}, format="json"
    )
    assert received.status_code == 200, received.json()
    assert received.json()["status"] == "posted"
    return received.json()


@pytest.fixture
def stock_count(admin_api, stock_in, warehouse, sku):
    created = admin_api.post(
        "/api/v1/stock-counts/", {"warehouse": warehouse.id}, format="json"
    ).json()
    url = f"/api/v1/stock-counts/{created['id']}/"
    assert admin_api.post(url + "start/").status_code == 200
    scanned = admin_api.post(
        url + "entries/", {"entries": [{"sku": sku.id, "quantity": "9"}]}, format="json"
    )
    assert scanned.status_code in (200, 201), scanned.json()
    assert admin_api.post(url + "submit/", {}, format="json").status_code == 200
    response = admin_api.post(url + "post/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "posted"
    return response.json()


def assert_pdf(response, number):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{number}.pdf"'
    assert response.content.startswith(b"%PDF")
    assert page_count(response.content) == 1


@pytest.mark.parametrize("path", ["stock-ins", "stock-outs", "adjustments", "scraps"])
def test_stock_document_pdf(admin_api, stock_in, warehouse, sku, path):
    document = stock_in if path == "stock-ins" else posted(admin_api, path, warehouse, sku, "1")
    response = admin_api.get(f"/api/v1/{path}/{document['id']}/pdf/")
    assert_pdf(response, document["number"])


def test_transfer_pdf(admin_api, transfer):
    assert_pdf(admin_api.get(f"/api/v1/transfers/{transfer['id']}/pdf/"), transfer["number"])


def test_stock_count_pdf(admin_api, stock_count):
    response = admin_api.get(f"/api/v1/stock-counts/{stock_count['id']}/pdf/")
    assert_pdf(response, stock_count["number"])


def test_the_detail_routes_still_answer_json(admin_api, stock_in, transfer, stock_count):
    for url in (
        f"/api/v1/stock-ins/{stock_in['id']}/",
        f"/api/v1/transfers/{transfer['id']}/",
        f"/api/v1/stock-counts/{stock_count['id']}/",
    ):
        response = admin_api.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"


def test_a_stock_in_of_another_kind_path_is_404(admin_api, stock_in):
    response = admin_api.get(f"/api/v1/stock-outs/{stock_in['id']}/pdf/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_out_of_scope_documents_are_404(client_for, other_store, stock_in, transfer, stock_count):
    outsider = client_for(factories.user("far", roles=("store_manager",), stores=(other_store,)))
    assert outsider.get(f"/api/v1/stock-ins/{stock_in['id']}/pdf/").status_code == 404
    assert outsider.get(f"/api/v1/stock-counts/{stock_count['id']}/pdf/").status_code == 404
    # the transfer's destination is the outsider's warehouse: visible
    response = outsider.get(f"/api/v1/transfers/{transfer['id']}/pdf/")
    assert response.status_code == 200
    nobody = client_for(factories.user("none", roles=("store_manager",)))
    response = nobody.get(f"/api/v1/transfers/{transfer['id']}/pdf/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_without_the_view_permission_it_is_403(client_for, store, stock_in, transfer, stock_count):
    cashier = client_for(factories.user("cashier", roles=("cashier",), stores=(store,)))
    for url in (
        f"/api/v1/stock-ins/{stock_in['id']}/pdf/",
        f"/api/v1/transfers/{transfer['id']}/pdf/",
        f"/api/v1/stock-counts/{stock_count['id']}/pdf/",
    ):
        response = cashier.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"


def test_anonymous_is_refused(api, stock_in):
    assert api.get(f"/api/v1/stock-ins/{stock_in['id']}/pdf/").status_code in (401, 403)


def test_errors_stay_json_when_a_pdf_is_asked_for(admin_api):
    response = admin_api.get("/api/v1/stock-ins/999999/pdf/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_blind_count_hides_book_figures_from_counters(
    client_for, admin_api, admin_user, keeper, stock_in, warehouse
):
    created = admin_api.post(
        "/api/v1/stock-counts/", {"warehouse": warehouse.id, "blind": True}, format="json"
    ).json()
    assert admin_api.post(f"/api/v1/stock-counts/{created['id']}/start/").status_code == 200
    count = StockCount.objects.get(pk=created["id"])
    loaded = selectors.stock_count(user=keeper, count_id=count.id)
    sheet = documents.stock_count_sheet(loaded, keeper)
    # no book, difference or value column at all for the counter (issue 8, S9)
    assert [str(c.heading) for c in sheet.columns][5:] == ["Batch", "Counted"]
    [row] = sheet.rows
    assert len(row) == 7 and len(sheet.totals) == 7
    assert client_for(keeper).get(f"/api/v1/stock-counts/{count.id}/pdf/").status_code == 200
    [row] = documents.stock_count_sheet(loaded, admin_user).rows
    assert row[6] == "10"


def test_the_sheet_carries_company_lines_and_values(admin_user, stock_in):
    Company.objects.update_or_create(
        pk=1, defaults={"name": "示例商贸", "address": "上海市", "phone": "021-1234"}
    )
    document = selectors.stock_document(
        user=admin_user, kind="stock_in", document_id=stock_in["id"]
    )
    sheet = documents.stock_document_sheet(document)
    assert sheet.number == stock_in["number"]
    assert sheet.title == "Other stock-in slip"
    assert sheet.rows == [["1", "SKU-COLA", "可口可乐 330ml", "", "个", "10", "", "2.50", "25.00"]]
    assert sheet.totals[-1] == "25.00"
    assert ("Posted by", "boss") in sheet.fields


def test_language_follows_lang_and_accept_language(admin_api, admin_user, stock_in):
    document = selectors.stock_document(
        user=admin_user, kind="stock_in", document_id=stock_in["id"]
    )
    with translation.override("zh-hans"):
        assert documents.stock_document_sheet(document).title == "其他入库单"
    url = f"/api/v1/stock-ins/{stock_in['id']}/pdf/"
    english = b"Other stock-in slip"  # the PDF's title (document info, not compressed)
    assert english in admin_api.get(url + "?lang=en").content
    assert english in admin_api.get(url, HTTP_ACCEPT_LANGUAGE="en").content
    assert english not in admin_api.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans").content
    assert english not in admin_api.get(url + "?lang=zh", HTTP_ACCEPT_LANGUAGE="en").content


def test_a_sheet_with_bin_locations_shows_them_for_picking(admin_api, admin_user, warehouse, sku):
    location = Location.objects.create(warehouse=warehouse, code="A-01-02", name="A-01-02")
    document = posted(admin_api, "stock-ins", warehouse, sku, "3", location=location.id)
    loaded = selectors.stock_document(user=admin_user, kind="stock_in", document_id=document["id"])
    sheet = documents.stock_document_sheet(loaded)
    assert [column.heading for column in sheet.columns][6:8] == ["Batch", "Location"]
    assert sheet.rows[0][7] == "A-01-02"
    assert len(sheet.totals) == len(sheet.columns)


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """{base font name: embedded} of every font the PDF's pages use."""
    reader = PdfReader(io.BytesIO(content))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def test_pdfs_embed_a_chinese_font_and_carry_the_chinese_text(admin_api, stock_in, sku):
    """D15: a viewer without any Chinese font still shows the Chinese text (no CID font that
    the viewer must supply); the text is real text, not boxes."""
    with translation.override("zh-hans"):
        content = admin_api.get(
            f"/api/v1/stock-ins/{stock_in['id']}/pdf/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content
    fonts = pdf_fonts(content)
    cjk = {name: embedded for name, embedded in fonts.items() if "WenQuanYi" in name}
    assert list(cjk.values()) == [True], fonts  # one subset font, embedded
    assert not any("STSong" in name for name in fonts)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "其他入库单" in text
    assert sku.name in text
    assert stock_in["number"] in text

    labels = admin_api.post(
        "/api/v1/labels/", {"items": [{"sku": sku.id, "quantity": 1}]}, format="json"
    )
    assert labels.status_code == 200
    label_fonts = pdf_fonts(labels.content)
    assert [e for name, e in label_fonts.items() if "WenQuanYi" in name] == [True]
    assert sku.name in PdfReader(io.BytesIO(labels.content)).pages[0].extract_text()


def test_the_font_file_comes_from_the_setting_else_the_installed_candidates(settings, tmp_path):
    installed = pdf.cjk_font_path()
    assert installed is not None and str(installed) in pdf.CJK_FONT_CANDIDATES
    assert check_cjk_font() == []

    settings.PDF_CJK_FONT = str(tmp_path / "missing.ttf")
    assert pdf.cjk_font_path() is None
    [warning] = check_cjk_font()
    assert warning.id == "printing.W001"
    assert "missing.ttf" in warning.msg

    settings.PDF_CJK_FONT = str(installed)
    assert pdf.cjk_font_path() == installed
