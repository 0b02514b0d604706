"""Barcode labels: POST /api/v1/labels/ (sizes, page counts, barcodes, prices, bad input)."""

from decimal import Decimal

import pytest

from storeledger.catalog.models import Barcode, SkuUnit
from storeledger.printing import labels, pdf
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/labels/"


def page_count(content: bytes) -> int:
    return content.count(b"/Type /Page") - content.count(b"/Type /Pages")


@pytest.fixture
def admin_api(client_for, admin_user):
    return client_for(admin_user)


def post(api, body):
    return api.post(URL, body, format="json")


@pytest.mark.parametrize(
    ("size", "count", "pages"),
    [("40x30", 3, 3), ("50x30", 2, 2), ("a4-3x8", 25, 2), ("a4-3x8", 24, 1)],
)
def test_page_count_follows_the_label_size(admin_api, sku, size, count, pages):
    response = post(admin_api, {"items": [{"sku": sku.id, "quantity": count}], "size": size})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="labels.pdf"'
    assert response.content.startswith(b"%PDF")
    assert page_count(response.content) == pages


def test_labels_for_several_skus_and_a_unit(admin_api, sku):
    tea = factories.sku(code="TEA", name="绿茶", spec="250g", retail_price="12.00")
    box = sku.units.get().unit
    response = post(
        admin_api,
        {
            "items": [
                {"sku": sku.id, "quantity": 2},
                {"sku": tea.id, "quantity": 1},
                {"sku": sku.id, "quantity": 1, "unit": box.id},
            ],
            "size": "40x30",
            "show_price": False,
        },
    )
    assert response.status_code == 200
    assert page_count(response.content) == 4


def test_label_content_barcode_and_price(sku):
    base_code = sku.barcodes.get().code
    box = sku.units.get()
    items = [
        labels.LabelItem(sku_id=sku.id, quantity=2),
        labels.LabelItem(sku_id=sku.id, quantity=1, unit_id=box.unit_id),
    ]
    first, second, case = labels.labels_for_items(items, show_price=True)
    assert first == second
    assert first == labels.Label(name="可口可乐 330ml", spec="", price="¥3.50/个", code=base_code)
    assert pdf.symbology(base_code) == pdf.EAN13
    # no barcode of its own for the box: the SKU code (Code128); price = 12 × 3.50
    assert case == labels.Label(name="可口可乐 330ml", spec="", price="¥42.00/箱", code="SKU-COLA")
    assert pdf.symbology("SKU-COLA") == pdf.CODE128

    SkuUnit.objects.filter(pk=box.pk).update(retail_price=Decimal("39.00"))
    Barcode.objects.create(sku=sku, unit=box.unit, code="16901234567892", kind="other")
    [case] = labels.labels_for_items(items[1:], show_price=True)
    assert (case.price, case.code) == ("¥39.00/箱", "16901234567892")
    plain = labels.labels_for_items(items[:1], show_price=False)
    assert [label.price for label in plain] == ["", ""]


def test_ean13_check_digit():
    assert pdf.is_ean13("6901234567892")
    assert not pdf.is_ean13("6901234567891")  # wrong check digit
    assert not pdf.is_ean13("690123456789")  # 12 digits
    assert not pdf.is_ean13("69012345678９2")  # a full-width digit


def test_wrap_keeps_lines_within_the_width():
    pdf.register_fonts()
    text = "农夫山泉 饮用天然水 550ml×24瓶 整箱装 Organic Green Tea"
    lines = labels._wrap(text, 9, 100)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(pdf.text_width(line, 9) <= 100 for line in lines)
    size, two = labels._fit_name(text * 3, 100, 9, 5.5)
    assert size == 5.5 and len(two) == 2 and two[1].endswith("…")


def test_labels_for_a_document(admin_api, warehouse, sku):
    box = sku.units.get().unit
    created = admin_api.post(
        "/api/v1/stock-ins/",
        {
            "warehouse": warehouse.id,
            "lines": [
                {"sku": sku.id, "quantity": "3"},
                {"sku": sku.id, "quantity": "2", "unit": box.id},
            ],
        },
        format="json",
    ).json()
    body = {"document_type": "stock_in", "document_id": created["id"], "size": "a4-3x8"}
    response = post(admin_api, body)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'inline; filename="labels-stock_in-{created["id"]}.pdf"'
    )
    assert page_count(response.content) == 1
    response = post(admin_api, {**body, "size": "50x30"})
    assert page_count(response.content) == 5
    # the same id under another kind, or outside the user's scope, is 404
    assert post(admin_api, {**body, "document_type": "scrap"}).status_code == 404
    outsider = factories.user("far", roles=("store_manager",), stores=(factories.store("0009"),))
    api = admin_api.__class__()
    api.force_authenticate(outsider)
    assert post(api, body).status_code == 404


def test_labels_for_the_goods_a_purchase_receipt_accepted(admin_api, admin_user, warehouse, sku):
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import receipts

    supplier = Supplier.objects.create(code="S001", name="娃哈哈")
    receipt = receipts.create_purchase_receipt(
        user=admin_user,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        lines=[
            receipts.ReceiptLineInput(sku_id=sku.id, quantity=Decimal(3), price=Decimal(2)),
            receipts.ReceiptLineInput(
                sku_id=sku.id,
                quantity=Decimal(0),
                rejected_quantity=Decimal(5),
                reject_reason="破损",
                price=Decimal(2),
            ),
        ],
        post=True,
    )
    body = {"document_type": "purchase_receipt", "document_id": receipt.id, "size": "50x30"}
    response = post(admin_api, body)
    assert response.status_code == 200
    assert page_count(response.content) == 3  # the 3 accepted, none for the 5 rejected
    keeper = factories.user("far", roles=("warehouse_keeper",), stores=(factories.store("0009"),))
    api = admin_api.__class__()
    api.force_authenticate(keeper)
    assert post(api, body).status_code == 404


def test_too_many_labels_is_400(admin_api, sku, warehouse):
    response = post(admin_api, {"items": [{"sku": sku.id, "quantity": 600}] * 2})
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_labels"
    assert response.json()["details"] == {"max": 1000, "count": 1200}
    response = post(admin_api, {"items": [{"sku": sku.id, "quantity": 1001}]})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["items.0.quantity"]
    created = admin_api.post(
        "/api/v1/stock-ins/",
        {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": "1001"}]},
        format="json",
    ).json()
    response = post(admin_api, {"document_type": "stock_in", "document_id": created["id"]})
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_labels"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["items"]),
        ({"items": []}, ["items.non_field_errors"]),
        ({"items": [{"sku": 1, "quantity": 0}]}, ["items.0.quantity"]),
        ({"items": [{"quantity": 1}]}, ["items.0.sku"]),
        ({"items": [{"sku": "x", "quantity": 1}]}, ["items.0.sku"]),
        ({"items": [{"sku": 1, "quantity": 1}], "size": "99x99"}, ["size"]),
        ({"document_type": "stock_in"}, ["document_id"]),
        ({"document_type": "invoice", "document_id": 1}, ["document_type"]),
        (
            {"items": [{"sku": 1, "quantity": 1}], "document_type": "stock_in", "document_id": 1},
            ["non_field_errors"],
        ),
    ],
)
def test_bad_input_is_400(admin_api, body, fields):
    response = post(admin_api, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert sorted(response.json()["fields"]) == fields


def test_unknown_sku_is_404_and_foreign_unit_is_400(admin_api, sku):
    response = post(admin_api, {"items": [{"sku": sku.id + 999, "quantity": 1}]})
    assert response.status_code == 404
    assert response.json()["code"] == "sku_not_found"
    assert response.json()["details"] == {"sku_ids": [sku.id + 999]}
    stranger = factories.unit("kg", "千克")
    response = post(admin_api, {"items": [{"sku": sku.id, "quantity": 1, "unit": stranger.id}]})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_unit"
    assert list(response.json()["fields"]) == ["items.0.unit"]


def test_permission(client_for, store, sku):
    nobody = client_for(factories.user("nobody", roles=(), stores=(store,)))
    response = post(nobody, {"items": [{"sku": sku.id, "quantity": 1}]})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    cashier = client_for(factories.user("cashier", roles=("cashier",), stores=(store,)))
    assert post(cashier, {"items": [{"sku": sku.id, "quantity": 1}]}).status_code == 200


def _price_glyphs(content: bytes) -> str:
    """The label's text as a PDF reader extracts it (pypdf)."""
    import io

    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_the_price_reads_yuan_sign_then_digits_without_a_gap(sku):
    """The review read "¥ 2.50": the sign sat a blank's width before the digits."""
    [label] = labels.labels_for_items(
        [labels.LabelItem(sku_id=sku.id, quantity=1)], show_price=True
    )
    assert label.price == "¥3.50/个"
    text = _price_glyphs(labels.render([label], "40x30"))
    assert "¥3.50/个" in text.replace("\n", "")
    # drawn: the sign is no wider than a digit and a half, in whatever font prints it
    size = 10
    [(sign, sign_font), *_rest] = pdf.price_runs(label.price, size)
    from reportlab.pdfbase import pdfmetrics

    assert sign.startswith("¥")
    assert pdfmetrics.stringWidth("¥", sign_font, size) <= 1.5 * pdfmetrics.stringWidth(
        "0", pdf.register_fonts(), size
    )


def test_a_full_width_yuan_sign_of_the_fallback_font_is_drawn_in_a_latin_face(monkeypatch):
    """reportlab's non-embedded STSong-Light has a full-width ¥ (twice a digit): the sign is
    then drawn in Helvetica, right before the digits."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(pdf.FALLBACK_FONT))
    monkeypatch.setattr(pdf, "register_fonts", lambda: pdf.FALLBACK_FONT)
    wide = pdfmetrics.stringWidth("¥", pdf.FALLBACK_FONT, 10)
    assert wide > 2 * pdfmetrics.stringWidth("0", pdf.FALLBACK_FONT, 10)  # the defect's cause
    runs = pdf.price_runs("¥2.50/罐", 10)
    assert runs == [("¥", pdf.LATIN_FONT), ("2.50/罐", pdf.FALLBACK_FONT)]
    assert pdf.price_width("¥2.50/罐", 10) < pdfmetrics.stringWidth(
        "¥2.50/罐", pdf.FALLBACK_FONT, 10
    )
    assert pdf.price_runs("2.50", 10) == [("2.50", pdf.FALLBACK_FONT)]


@pytest.mark.parametrize(
    ("currency", "price"), [("USD", "$3.50/个"), ("EUR", "€3.50/个"), ("CHF", "CHF 3.50/个")]
)
def test_a_label_prices_in_the_company_currency(sku, currency, price):
    """The labels printed ¥ whatever currency the company kept its books in."""
    from storeledger.org.models import Company

    Company.objects.filter(pk=Company.current().pk).update(currency=currency)
    [label] = labels.labels_for_items(
        [labels.LabelItem(sku_id=sku.id, quantity=1)], show_price=True
    )
    assert label.price == price
    assert price in _price_glyphs(labels.render([label], "40x30")).replace("\n", "")
