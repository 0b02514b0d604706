"""Numbering does not serialize a store: a document created and posted in one request takes
its number as the last step of its transaction, so the store's number series is locked from
there to the commit only, not across the posting."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.core.errors import InsufficientStock
from storeledger.core.models import DocumentSequence
from storeledger.inventory.models import Posting, StockDocument
from storeledger.inventory.services import documents as svc
from storeledger.inventory.services.documents import StockLineInput

pytestmark = pytest.mark.django_db


def _post(user, warehouse, sku, kind="stock_in", quantity="5"):
    return svc.create_and_post_stock_document(
        user=user,
        kind=kind,
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(quantity), unit_cost=Decimal(2))],
    )


def _first(queries, table, verb):
    """The first statement that does `verb` (INSERT, UPDATE) on `table` — also inside a
    writable CTE (PostgreSQL writes a posting, its moves and balances in one statement)."""
    pattern = re.compile(rf'\b{verb}\s+(INTO\s+)?"?{table}"?\s', re.IGNORECASE)
    return next(i for i, q in enumerate(queries) if pattern.search(q["sql"]))


def test_create_and_post_takes_the_number_after_the_posting(admin_user, warehouse, sku):
    with CaptureQueriesContext(connection) as queries:
        document = _post(admin_user, warehouse, sku)

    assert _first(queries, "core_documentsequence", "UPDATE") > _first(
        queries, "inventory_stockmove", "INSERT"
    )
    document.refresh_from_db()
    assert document.number.startswith("RK-0001-") and document.number.endswith("-0001")
    posting = Posting.objects.get(document_type="stock_document", document_id=document.id)
    assert posting.document_number == document.number
    assert _post(admin_user, warehouse, sku).number.endswith("-0002")


def test_a_refused_posting_takes_no_number(admin_user, warehouse, sku):
    with pytest.raises(InsufficientStock):
        _post(admin_user, warehouse, sku, kind="stock_out", quantity="1")
    assert not StockDocument.objects.exists()
    assert not DocumentSequence.objects.filter(prefix="CK").exists()
    _post(admin_user, warehouse, sku)
    assert _post(admin_user, warehouse, sku, kind="stock_out", quantity="1").number.endswith(
        "-0001"
    )


def test_a_draft_is_numbered_when_it_is_created(admin_user, warehouse, sku):
    """Positive control: drafts keep their number from the start (they are seen at once)."""
    document = svc.create_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(1))],
    )
    assert document.number.startswith("RK-0001-")
    assert StockDocument.objects.get(pk=document.id).number == document.number


def test_the_number_taken_last_is_the_series_format_on_both_databases(admin_user, warehouse, sku):
    """On PostgreSQL the number, the document's and its posting's numbers are one statement
    (the series row formats the number): the same number as the series gives, also past 9999."""
    first = _post(admin_user, warehouse, sku)  # the day's first: creates the series row
    second = _post(admin_user, warehouse, sku)
    DocumentSequence.objects.filter(prefix="RK").update(last_number=9998)
    late = [_post(admin_user, warehouse, sku) for _ in range(2)]
    day = first.document_date.strftime("%Y%m%d")
    expected = [f"RK-0001-{day}-{n}" for n in ("0001", "0002", "9999", "10000")]
    documents = [first, second, *late]
    assert [d.number for d in documents] == expected
    assert [StockDocument.objects.get(pk=d.pk).number for d in documents] == expected
    assert [
        Posting.objects.get(document_type="stock_document", document_id=d.pk).document_number
        for d in documents
    ] == expected
    stored = StockDocument.objects.get(pk=second.pk)
    assert stored.posted_at == second.posted_at is not None
