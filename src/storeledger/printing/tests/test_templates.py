"""Printing takes each document type's template from the kernel's registry: the PDF routes are
made for every registered kind with a print template, and a new document type prints by
registering its type and its template, without a line in printing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from storeledger.core import doctypes
from storeledger.core.errors import NotFound
from storeledger.printing import documents, templates


class FakeOrder:
    """Stands for a model of a new app (only its name and `_meta` are read)."""

    class _meta:  # noqa: N801 - shaped like a Django model's options
        app_label = "sales"
        model_name = "fakeorder"


@pytest.fixture
def fake_type():
    doctype = doctypes.DocumentType(
        key="fakeorder",
        model=FakeOrder,
        prefixes={"fake_order": "FO"},
        actions=(),
        print_template="fake_order_sheet",
        label_lines=lambda user, kind, pk: [(11, None, 2)] if pk == 7 else [],
        extra={"api_paths": {"fake_order": "fake-orders"}},
    )
    doctypes.register(doctype)
    yield doctype
    doctypes.unregister(doctype.key)
    templates._TEMPLATES.pop("fake_order_sheet", None)


def test_every_printable_kind_has_its_pdf_route():
    kinds = {kind for _path, kind, _perm in templates.printable()}
    assert kinds == {
        "stock_in",
        "stock_out",
        "adjustment",
        "scrap",
        "transfer",
        "stock_count",
        "purchase_order",
        "purchase_receipt",
        "purchase_return",
        "supplier_invoice",
    }
    assert reverse("purchase-order-pdf", args=[1]) == "/api/v1/purchase-orders/1/pdf/"
    assert reverse("purchase-receipt-pdf", args=[1]) == "/api/v1/purchase-receipts/1/pdf/"
    assert reverse("supplier-invoice-pdf", args=[1]) == "/api/v1/supplier-invoices/1/pdf/"
    assert reverse("stock-in-pdf", args=[1]) == "/api/v1/stock-ins/1/pdf/"
    assert reverse("stock-count-pdf", args=[1]) == "/api/v1/stock-counts/1/pdf/"


def test_a_new_document_type_prints_with_the_template_its_registry_entry_names(fake_type):
    sheet = documents.Sheet(title="Fake order", number="FO-1", fields=[], columns=[], rows=[])
    loaded = []

    def load(user, kind, pk):
        loaded.append((user, kind, pk))
        return {"pk": pk}

    templates.register(
        templates.PrintTemplate("fake_order_sheet", load=load, sheet=lambda doc, user: sheet)
    )

    user = AnonymousUser()  # stands for the requesting user (no cost permission)
    assert documents.document_sheet(user=user, document_type="fake_order", document_id=7) is sheet
    assert loaded == [(user, "fake_order", 7)]
    assert ("fake-orders", "fake_order", "sales.view_fakeorder") in set(templates.printable())


def test_a_template_no_app_registers_is_a_programming_error_and_an_unknown_kind_404(fake_type):
    with pytest.raises(LookupError):
        documents.document_sheet(user=None, document_type="fake_order", document_id=1)
    with pytest.raises(NotFound):
        documents.document_sheet(user=None, document_type="no_such_kind", document_id=1)


def test_labels_come_from_the_types_that_register_label_lines(fake_type):
    from storeledger.printing import selectors

    assert set(doctypes.label_kinds()) == {
        "stock_in",
        "stock_out",
        "adjustment",
        "scrap",
        "transfer",
        "purchase_order",
        "purchase_receipt",
        "fake_order",
    }
    lines = selectors.document_label_lines(user="u", document_type="fake_order", document_id=7)
    assert lines == [(11, None, 2)]
    with pytest.raises(NotFound):  # a type without labels (counts) and an unknown kind
        selectors.document_label_lines(user="u", document_type="stock_count", document_id=7)
    with pytest.raises(NotFound):
        selectors.document_label_lines(user="u", document_type="no_such_kind", document_id=7)
