"""The supplier invoice 供应商发票 prints through the printing registry (GET
/api/v1/supplier-invoices/{id}/pdf/): its lines against the receipts, the invoice's and the
order's price, the difference flagged and who accepted it, totals against the receipts."""

import datetime
from decimal import Decimal

import pytest

from storeledger.finance.services import invoices
from storeledger.finance.sheets import load_supplier_invoice, supplier_invoice_sheet
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def test_an_invoice_with_an_accepted_price_difference_prints(
    client_for, make_order, receive, wahaha, finance_user, other_store
):
    receipt = receive(make_order(10, "24.00"), 10, datetime.date(2026, 11, 1))  # 240.00
    invoice = invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="04400001",
        invoice_date=datetime.date(2026, 11, 5),
        lines=[
            invoices.InvoiceLineInput(
                receipt_line_id=receipt.lines.get().id, price=Decimal("26.00")
            )
        ],
    )
    invoices.accept_differences(user=finance_user, invoice_id=invoice.id, comment="ok")
    sheet = supplier_invoice_sheet(
        load_supplier_invoice(finance_user, "supplier_invoice", invoice.id), finance_user
    )
    assert ("Invoice number", "04400001") in sheet.fields
    assert ("Due date", "2026-12-05") in sheet.fields  # 30 days' terms
    # 10 boxes at 26.00 incl. 13 % VAT: 260.00 = 230.09 net + 29.91 tax; ordered at 24.00
    assert sheet.rows == [
        [
            "1",
            receipt.number,
            receipt.lines.get().sku.code,
            receipt.lines.get().sku.name,
            "箱",
            "10",
            "¥26.00",
            "¥24.00",
            "13%",
            "230.09",
            "29.91",
            "260.00",
            "price accepted by fin",
        ]
    ]
    assert sheet.totals[-4:] == ["230.09", "29.91", "260.00", ""]
    assert sheet.remarks == ["The receipts are worth 240.00 incl. tax; difference 20.00."]

    url = f"/api/v1/supplier-invoices/{invoice.id}/pdf/"
    response = client_for(finance_user).get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF")
    outsider = factories.user("far", roles=("finance",), stores=(other_store,))
    assert client_for(outsider).get(url).status_code == 404
    keeper = factories.user("k", roles=("warehouse_keeper",), all_stores=True)
    assert client_for(keeper).get(url).status_code == 403
