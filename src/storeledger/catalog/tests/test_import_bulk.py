"""The SKU import at scale (issue 10, items 2, 3 and 8): a constant number of queries per
chunk of rows, the choice to import the valid rows and get the refused ones back, refused
rows named by code, and SKU codes that differ only in case."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.catalog.models import Barcode, Product, Sku, Unit
from storeledger.testing import factories


def csv_file(rows, name="skus.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def ean13(number: int) -> str:
    body = f"69{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def sku_rows(count: int, start: int = 0):
    rows = [["code", "name", "product_code", "base_unit", "category", "retail_price", "barcode"]]
    for i in range(start, start + count):
        # two SKUs per product; the second row of a product names no base unit
        rows.append(
            [
                f"Q{i:05d}",
                f"商品{i}",
                f"QP{i // 2:05d}",
                "pcs" if i % 2 == 0 else "",
                "DRINK",
                "3.50",
                ean13(i),
            ]
        )
    return rows


def import_queries(client, rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/skus/import/", {"file": csv_file(rows)})
    assert response.status_code == 200, response.json()
    return len(queries)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_rows(client_for, buyer, pcs, drinks):
    client = client_for(buyer)
    small = import_queries(client, sku_rows(10))
    large = import_queries(client, sku_rows(400, start=10))
    # a few reads per chunk and bulk writes (SQLite splits an INSERT every 999 parameters);
    # row by row this was more than 5 queries per row
    assert large < 2 * small
    assert large < 400 / 10
    assert Sku.objects.count() == 410
    assert Product.objects.count() == 205
    sku = Sku.objects.select_related("product").get(code="Q00123")
    assert (sku.product.code, sku.product.base_unit, sku.product.category) == (
        "QP00061",
        pcs,
        drinks,
    )
    assert sku.name_initials == "sp1"
    assert list(sku.barcodes.values_list("code", "is_primary")) == [(ean13(123), True)]
    # the same file again: every row an update, still the same queries
    updated = [row[:] for row in sku_rows(400, start=10)]
    for row in updated[1:]:
        row[1] += " 新"
    again = import_queries(client, updated)
    assert again < 400 / 10
    assert Sku.objects.get(code="Q00123").name == "商品123 新"


@pytest.mark.django_db
def test_updates_move_the_primary_barcode_and_product_fields(client_for, buyer, pcs, drinks):
    sku = factories.sku(code="S1", name="旧名", barcode="6901234567892")
    other = Unit.objects.create(code="box", name="箱")
    client = client_for(buyer)
    rows = [
        ["code", "name", "category", "tax_rate", "barcode", "base_unit"],
        ["S1", "新名", "DRINK", "0.09", "6921168509256", "box"],
    ]
    response = client.post("/api/v1/skus/import/", {"file": csv_file(rows)})
    assert response.status_code == 200, response.json()
    sku.refresh_from_db()
    assert (sku.name, sku.name_initials) == ("新名", "xm")
    assert (sku.product.category, str(sku.product.tax_rate), sku.product.base_unit) == (
        drinks,
        "0.0900",
        other,
    )
    assert sorted(Barcode.objects.filter(sku=sku).values_list("code", "is_primary")) == [
        ("6901234567892", False),
        ("6921168509256", True),
    ]
    rows[1][4] = "6901234567892"  # back to the first one: it becomes primary again
    response = client.post("/api/v1/skus/import/", {"file": csv_file(rows)})
    assert response.status_code == 200, response.json()
    assert sorted(Barcode.objects.filter(sku=sku).values_list("code", "is_primary")) == [
        ("6901234567892", True),
        ("6921168509256", False),
    ]


BAD_FILE = [
    ["code", "name", "base_unit", "retail_price", "barcode"],
    ["OK1", "好的一", "pcs", "3.00", "6902538005141"],
    ["BAD1", "价格不对", "pcs", "abc", ""],
    ["OK2", "好的二", "pcs", "4.00", ""],
    ["BAD2", "重复条码", "pcs", "4.00", "6902538005141"],
    ["", "没有编码", "pcs", "1", ""],
]


@pytest.mark.django_db
def test_refuse_all_names_each_refused_row_by_number_and_code(client_for, buyer, pcs):
    response = client_for(buyer).post("/api/v1/skus/import/", {"file": csv_file(BAD_FILE)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    assert body["details"]["count"] == 3
    assert [(r["row"], r["code"], sorted(r["fields"])) for r in body["details"]["rows"]] == [
        (3, "BAD1", ["retail_price"]),
        (5, "BAD2", ["barcode"]),
        (6, "", ["code"]),
    ]
    assert body["details"]["rows"][1]["fields"]["barcode"] == [
        "Barcode 6902538005141 already belongs to SKU OK1 ."
    ]
    assert Sku.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_imports_the_valid_rows_and_returns_the_refused(client_for, buyer, pcs):
    response = client_for(buyer).post(
        "/api/v1/skus/import/", {"file": csv_file(BAD_FILE), "on_error": "skip_invalid"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["refused"]) == (2, 0, 3)
    assert [(r["row"], r["code"]) for r in body["rows"]] == [(3, "BAD1"), (5, "BAD2"), (6, "")]
    assert sorted(Sku.objects.values_list("code", flat=True)) == ["OK1", "OK2"]

    bad = client_for(buyer).post(
        "/api/v1/skus/import/", {"file": csv_file(BAD_FILE), "on_error": "maybe"}
    )
    assert bad.status_code == 400
    assert list(bad.json()["fields"]) == ["on_error"]


@pytest.mark.django_db
def test_codes_that_differ_only_in_case_are_warned(client_for, buyer, pcs):
    factories.sku(code="85123A", name="WHITE HANGING HEART")
    rows = [
        ["code", "name", "base_unit", "retail_price"],
        ["85123a", "white hanging heart", "pcs", "2.95"],
        ["22423", "REGENCY CAKESTAND", "pcs", "12.75"],
        ["22423B", "b", "pcs", "1"],
        ["22423b", "b", "pcs", "1"],
    ]
    response = client_for(buyer).post("/api/v1/skus/import/", {"file": csv_file(rows)})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["created"] == 4
    assert body["warning_count"] == 2
    assert body["warnings"] == [
        {
            "row": 2,
            "code": "85123a",
            "message": "SKU code 85123a differs only in case from the existing SKU 85123A.",
        },
        {
            "row": 5,
            "code": "22423b",
            "message": "SKU code 22423b differs only in case from 22423B in row 4.",
        },
    ]


@pytest.mark.django_db
def test_scanner_lookup_ignores_case_unless_two_codes_differ_only_in_case(client_for, buyer):
    factories.sku(code="85123A", name="WHITE HANGING HEART")
    factories.sku(code="CODE128-AB", name="带字母条码", barcode="INT-AB12")
    client = client_for(buyer)
    found = client.get("/api/v1/skus/lookup/", {"code": "85123a"})
    assert found.status_code == 200, found.json()
    assert found.json()["sku"]["code"] == "85123A"
    scanned = client.get("/api/v1/skus/lookup/", {"barcode": "int-ab12"})
    assert scanned.status_code == 200, scanned.json()
    assert scanned.json()["sku"]["code"] == "CODE128-AB"
    assert scanned.json()["barcode"] == "INT-AB12"

    factories.sku(code="85123a", name="white hanging heart")
    assert client.get("/api/v1/skus/lookup/", {"code": "85123a"}).json()["sku"]["name"] == (
        "white hanging heart"
    )
    assert client.get("/api/v1/skus/lookup/", {"code": "85123A"}).json()["sku"]["name"] == (
        "WHITE HANGING HEART"
    )
    factories.sku(code="xy1", name="小写")
    factories.sku(code="XY1", name="大写")
    assert client.get("/api/v1/skus/lookup/", {"code": "Xy1"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_skip_invalid_commits_chunk_by_chunk(client_for, monkeypatch):
    """Importing the valid rows holds no transaction over the whole file: each chunk is one
    transaction of its own (on SQLite other writers get their turn between chunks)."""
    from storeledger.catalog.api import SkuResource
    from storeledger.core import tabular

    factories.unit("pcs", "个")
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 2)
    outermost = []
    save_chunk = SkuResource.save_chunk

    def spy(self, items):
        outermost.append(connection.in_atomic_block and not connection.savepoint_ids)
        return save_chunk(self, items)

    monkeypatch.setattr(SkuResource, "save_chunk", spy)
    response = client_for(buyer).post(
        "/api/v1/skus/import/",
        {"file": csv_file(BAD_FILE), "on_error": "skip_invalid"},
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["refused"]) == (2, 3)
    assert outermost == [True, True, True]
    assert sorted(Sku.objects.values_list("code", flat=True)) == ["OK1", "OK2"]
