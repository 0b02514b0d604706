import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from storeledger.catalog.models import Barcode, Brand, Category, Product, Sku
from storeledger.testing import factories

HEADER = [
    "code",
    "name",
    "product_code",
    "spec",
    "category",
    "brand",
    "base_unit",
    "tracking",
    "shelf_life_days",
    "tax_rate",
    "purchase_price",
    "retail_price",
    "member_price",
    "barcode",
    "safety_stock",
    "max_stock",
    "active",
]


def csv_file(rows, encoding="utf-8-sig", name="skus.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="skus.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def summary(body):
    return {key: body[key] for key in ("created", "updated", "refused", "dry_run")}


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_import_with_one_bad_row_imports_nothing_and_lists_row_errors(
    client_for, buyer, pcs, drinks
):
    factories.sku(code="OLD", name="老品", barcode="6901234567892")
    rows = [
        ["code", "name", "base_unit", "category", "retail_price", "barcode"],
        ["N1", "雪碧 330ml", "pcs", "DRINK", "3.00", "6902538005141"],
        ["N2", "芬达", "nounit", "NOCAT", "abc", "6901234567891"],
        ["N3", "美年达", "pcs", "DRINK", "3.00", "6901234567892"],
        ["N1", "重复", "pcs", "", "", ""],
    ]
    response = client_for(buyer).post(
        "/api/v1/skus/import/", {"file": csv_file(rows)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "import_invalid"
    by_row = {row["row"]: row["fields"] for row in body["details"]["rows"]}
    assert sorted(by_row) == [3, 4, 5]
    assert sorted(by_row[3]) == ["barcode", "base_unit", "category", "retail_price"]
    assert by_row[3]["barcode"] == ["The check digit of 6901234567891 is wrong; it should be 2."]
    assert by_row[4] == {"barcode": ["Barcode 6901234567892 already belongs to SKU OLD 老品."]}
    assert by_row[5] == {"code": ["N1 appears again; it was already in row 2."]}
    assert Sku.objects.count() == 1
    assert Product.objects.count() == 1


@pytest.mark.django_db
def test_import_creates_and_updates_by_code(client_for, buyer, pcs, drinks):
    existing = factories.sku(code="S1", name="旧名", barcode="6901234567892")
    Brand.objects.create(code="NF", name="农夫山泉")
    rows = [
        ["code", "name", "base_unit", "category", "brand", "retail_price", "barcode", "tracking"],
        ["S1", "新名", "", "", "", "4.50", "", ""],
        ["S2", "农夫山泉 550ml", "pcs", "DRINK", "NF", "2", "6921168509256", "batch"],
    ]
    dry = client_for(buyer).post(
        "/api/v1/skus/import/", {"file": csv_file(rows), "dry_run": "true"}
    )
    assert dry.status_code == 200, dry.json()
    assert summary(dry.json()) == {"created": 1, "updated": 1, "refused": 0, "dry_run": True}
    assert Sku.objects.count() == 1

    response = client_for(buyer).post("/api/v1/skus/import/", {"file": csv_file(rows)})
    assert response.status_code == 200, response.json()
    assert summary(response.json()) == {"created": 1, "updated": 1, "refused": 0, "dry_run": False}
    existing.refresh_from_db()
    assert (existing.name, existing.retail_price) == ("新名", Decimal("4.50"))
    new = Sku.objects.get(code="S2")
    assert new.product.category == drinks
    assert new.product.tracking == "batch"
    assert new.name_initials == "nfsq"
    assert list(new.barcodes.values_list("code", "is_primary")) == [("6921168509256", True)]


@pytest.mark.django_db
def test_sku_export_import_round_trip_csv_and_xlsx(client_for, buyer, pcs, drinks, brand):
    product = Product.objects.create(
        code="P1",
        name="可口可乐",
        base_unit=pcs,
        category=drinks,
        brand=brand,
        tracking="batch",
        shelf_life_days=365,
    )
    sku = Sku.objects.create(
        product=product,
        code="COLA",
        name="可口可乐 330ml",
        spec="330ml",
        retail_price=Decimal("3.5"),
        member_price=Decimal("3.2"),
    )
    Barcode.objects.create(sku=sku, code="6901234567892", kind="ean13", is_primary=True)
    factories.sku(code="ZERO", name="无码商品", barcode="0012345678905")
    client = client_for(buyer)

    exported = client.get("/api/v1/skus/export/", {"format": "csv"})
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    rows = read_csv(exported)
    assert rows[0] == HEADER
    assert rows[1] == [
        "COLA",
        "可口可乐 330ml",
        "P1",
        "330ml",
        "DRINK",
        "COKE",
        "pcs",
        "batch",
        "365",
        "0.13",
        "0",
        "3.5",
        "3.2",
        "6901234567892",
        "0",
        "",
        "true",
    ]
    assert rows[2][13] == "0012345678905"  # leading zeros kept

    # the same file imports back unchanged
    again = client.post("/api/v1/skus/import/", {"file": csv_file(rows)})
    assert again.status_code == 200, again.json()
    assert summary(again.json()) == {"created": 0, "updated": 2, "refused": 0, "dry_run": False}
    assert read_csv(client.get("/api/v1/skus/export/", {"format": "csv"})) == rows

    xlsx = client.get("/api/v1/skus/export/", {"format": "xlsx", "search": "kkkl"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [
        [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values == rows[:2]  # the list's filters apply

    # edit in "Excel" and import the workbook
    values[1][1] = "可口可乐 330ml 新"
    response = client.post("/api/v1/skus/import/", {"file": xlsx_file(values)})
    assert response.status_code == 200, response.json()
    assert Sku.objects.get(code="COLA").name == "可口可乐 330ml 新"


@pytest.mark.django_db
def test_export_rejects_unknown_format(client_for, buyer):
    response = client_for(buyer).get("/api/v1/skus/export/", {"format": "pdf"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["format"]


@pytest.mark.django_db
def test_csv_in_gb18030_and_bad_header(client_for, buyer):
    client = client_for(buyer)
    rows = [["code", "name"], ["B1", "康师傅"]]
    response = client.post("/api/v1/brands/import/", {"file": csv_file(rows, "gb18030")})
    assert response.status_code == 200, response.json()
    assert Brand.objects.get(code="B1").name == "康师傅"

    bad = client.post("/api/v1/brands/import/", {"file": csv_file([["kode", "name"], ["X", "Y"]])})
    assert bad.status_code == 400
    assert bad.json()["code"] == "bad_header"
    assert bad.json()["details"]["unknown_columns"] == ["kode"]


@pytest.mark.django_db
def test_categories_import_children_after_parents_in_one_file(client_for, buyer):
    rows = [
        ["code", "name", "parent", "sort_order"],
        ["FOOD", "食品", "", "1"],
        ["DRINK", "饮料", "FOOD", "2"],
        ["SODA", "碳酸饮料", "DRINK", ""],
    ]
    client = client_for(buyer)
    response = client.post("/api/v1/categories/import/", {"file": xlsx_file(rows)})
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 3
    soda = Category.objects.get(code="SODA")
    assert soda.path.count("/") == 4
    exported = read_csv(client.get("/api/v1/categories/export/", {"format": "csv"}))
    assert exported == [
        rows[0],
        ["FOOD", "食品", "", "1"],
        ["DRINK", "饮料", "FOOD", "2"],
        ["SODA", "碳酸饮料", "DRINK", "0"],
    ]


@pytest.mark.django_db
def test_import_needs_add_and_change_permission(client_for, cashier):
    rows = [["code", "name"], ["B1", "康师傅"]]
    response = client_for(cashier).post("/api/v1/brands/import/", {"file": csv_file(rows)})
    assert response.status_code == 403
    assert Brand.objects.count() == 0
