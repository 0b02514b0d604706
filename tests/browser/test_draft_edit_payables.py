"""End-to-end: reopen and edit a saved draft of a purchase return (its quantity and reason), of
a supplier invoice (number, an added receipt line, a price) and of a supplier payment (amount,
allocation, reference); each saves with the draft's version (the database then holds the new
version and values), and a stale version (someone else saved in between) shows the reload
message and changes nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def received(shop):
    """Two receipts from 娃哈哈 of one order of cola (10 个 at ¥2.40 incl. VAT): 6 then 4."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import orders, receipts
    from storeledger.testing import factories

    sku = factories.sku(code="COLA", name="可口可乐 330ml", base_unit=shop["unit"])
    wahaha = Supplier.objects.create(code="S001", name="杭州娃哈哈集团", payment_terms_days=30)
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=wahaha.id,
        warehouse_id=shop["warehouse"].id,
        lines=[orders.OrderLineInput(sku_id=sku.id, quantity=Decimal(10), price=Decimal("2.40"))],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=shop["user"], order_id=order.id)
    line = order.lines.get()
    made = [
        receipts.create_purchase_receipt(
            user=shop["user"],
            order_id=order.id,
            document_date=timezone.localdate(),
            lines=[receipts.ReceiptLineInput(order_line_id=line.id, quantity=Decimal(n))],
            post=True,
        )
        for n in (6, 4)
    ]
    return {"receipts": made, "supplier": wahaha, "sku": sku}


def open_editor(page, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("draft-edit").click()
    expect(page.get_by_test_id("draft-editor")).to_be_visible()


def test_edit_a_draft_purchase_return(live_server, shop, received, open_page):
    from storeledger.purchasing.models import PurchaseReturn
    from storeledger.purchasing.services import returns

    first = received["receipts"][0]
    draft = returns.create_purchase_return(
        user=shop["user"],
        receipt_id=first.id,
        reason="包装破损",
        lines=[returns.ReturnLineInput(receipt_line_id=first.lines.get().id, quantity=Decimal(1))],
    )
    page = open_page(DESKTOP)
    login(page, live_server.url)
    open_editor(page, f"{live_server.url}/purchasing/returns/{draft.id}")
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id("return-receipt-fixed")).to_have_text(first.number)
    quantity = editor.get_by_test_id("return-qty-COLA")
    expect(quantity).to_have_value("1")
    expect(editor.get_by_test_id("return-reason")).to_have_value("包装破损")
    quantity.fill("2")
    editor.get_by_test_id("return-reason").fill("临近保质期")
    shot(page, "purchase-return-draft-edit")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)
    expect(page.get_by_test_id("return-total-gross")).to_have_text("4.80")

    draft.refresh_from_db()
    assert (draft.version, draft.reason, draft.status) == (2, "临近保质期", "draft")
    assert [line.base_quantity for line in draft.lines.all()] == [Decimal(2)]

    # someone else saves in between: 409 stale_version → message, reload, nothing changed
    page.get_by_test_id("draft-edit").click()
    page.get_by_test_id("draft-editor").get_by_test_id("return-qty-COLA").fill("3")
    PurchaseReturn.objects.filter(pk=draft.id).update(version=F("version") + 1)
    page.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("stale-version")).to_be_visible()
    draft.refresh_from_db()
    assert [line.base_quantity for line in draft.lines.all()] == [Decimal(2)]
    page.get_by_test_id("stale-reload").click()
    expect(page.get_by_test_id("stale-version")).to_have_count(0)
    expect(page.get_by_test_id("draft-editor").get_by_test_id("return-qty-COLA")).to_have_value("2")
    assert page.js_errors == []


def test_edit_a_draft_supplier_invoice(live_server, shop, received, open_page):
    from storeledger.finance.models import SupplierInvoice
    from storeledger.finance.services import invoices

    first, second = received["receipts"]
    draft = invoices.create_supplier_invoice(
        user=shop["user"],
        supplier_id=received["supplier"].id,
        invoice_no="0331",
        invoice_date=timezone.localdate(),
        lines=[invoices.InvoiceLineInput(receipt_line_id=first.lines.get().id)],
    )
    assert draft.total_gross == Decimal("14.40")
    page = open_page(DESKTOP)
    login(page, live_server.url)
    open_editor(page, f"{live_server.url}/finance/supplier-invoices/{draft.id}")
    editor = page.get_by_test_id("draft-editor")
    first_line, second_line = first.lines.get().id, second.lines.get().id
    # its own line is ticked with its quantity (open again for this draft), the other not
    expect(editor.get_by_test_id(f"qty-{first_line}")).to_have_value("6")
    expect(editor.get_by_test_id("invoice-no")).to_have_value("0331")
    rows = editor.locator(".ant-table-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".ant-checkbox-input")).to_be_checked()
    expect(rows.nth(1).locator(".ant-checkbox-input")).not_to_be_checked()
    rows.nth(1).locator(".ant-checkbox-input").check()
    editor.get_by_test_id("invoice-no").fill("0332")
    editor.get_by_test_id(f"price-{second_line}").fill("2.50")  # beyond the 1 % tolerance
    expect(editor.get_by_test_id(f"flag-{second_line}")).to_be_visible()
    shot(page, "supplier-invoice-draft-edit")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)
    expect(page.get_by_test_id("invoice-total")).to_have_text("24.40")  # 14.40 + 4 × 2.50
    expect(page.get_by_test_id("needs-acceptance")).to_be_visible()

    draft.refresh_from_db()
    assert (draft.version, draft.invoice_no, draft.total_gross) == (2, "0332", Decimal("24.40"))
    assert [(line.receipt_line_id, line.quantity, line.price) for line in draft.lines.all()] == [
        (first_line, Decimal(6), Decimal("2.40")),
        (second_line, Decimal(4), Decimal("2.50")),
    ]

    page.get_by_test_id("draft-edit").click()
    page.get_by_test_id("draft-editor").get_by_test_id("invoice-no").fill("0333")
    SupplierInvoice.objects.filter(pk=draft.id).update(version=F("version") + 1)
    page.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("stale-version")).to_be_visible()
    draft.refresh_from_db()
    assert draft.invoice_no == "0332"
    assert page.js_errors == []


def test_edit_a_draft_supplier_payment(live_server, shop, received, open_page):
    from storeledger.finance.models import SupplierPayment
    from storeledger.finance.services import invoices, payments

    first, second = received["receipts"]
    invoice = invoices.create_supplier_invoice(
        user=shop["user"],
        supplier_id=received["supplier"].id,
        invoice_no="0331",
        invoice_date=timezone.localdate(),
        lines=[
            invoices.InvoiceLineInput(receipt_line_id=first.lines.get().id),
            invoices.InvoiceLineInput(receipt_line_id=second.lines.get().id),
        ],
        post=True,
    )
    assert invoice.total_gross == Decimal("24.00")
    draft = payments.create_supplier_payment(
        user=shop["user"],
        supplier_id=received["supplier"].id,
        amount=Decimal("10.00"),
        method="cash",
        allocations=[payments.AllocationInput(amount=Decimal("10.00"), invoice_id=invoice.id)],
    )
    page = open_page(DESKTOP)
    login(page, live_server.url)
    open_editor(page, f"{live_server.url}/finance/supplier-payments/{draft.id}")
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id("payment-amount")).to_have_value("10")
    allocation = editor.get_by_test_id(f"allocate-{invoice.number}")
    expect(allocation).to_have_value("10")
    editor.get_by_test_id("payment-amount").fill("24.00")
    allocation.fill("24.00")
    editor.get_by_test_id("payment-reference").fill("HD0001")
    shot(page, "supplier-payment-draft-edit")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/finance/supplier-payments/{draft.id}$"))

    draft.refresh_from_db()
    assert (draft.version, draft.amount, draft.reference, draft.status) == (
        2,
        Decimal("24.00"),
        "HD0001",
        "draft",
    )
    assert [(a.invoice_id, a.amount) for a in draft.allocations.all()] == [
        (invoice.id, Decimal("24.00"))
    ]

    # more than is open on the invoice: the server's 409 shows, nothing changed
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("draft-editor")
    editor.get_by_test_id("payment-amount").fill("30.00")
    editor.get_by_test_id(f"allocate-{invoice.number}").fill("30.00")
    editor.get_by_test_id("draft-save").click()
    expect(page.locator(".ant-message")).to_contain_text("24.00")
    draft.refresh_from_db()
    assert (draft.version, draft.amount) == (2, Decimal("24.00"))

    SupplierPayment.objects.filter(pk=draft.id).update(version=F("version") + 1)
    editor.get_by_test_id("payment-amount").fill("20.00")
    editor.get_by_test_id(f"allocate-{invoice.number}").fill("20.00")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("stale-version")).to_be_visible()
    draft.refresh_from_db()
    assert draft.amount == Decimal("24.00")
    assert page.js_errors == []


def test_payment_editor_shows_what_other_drafts_claim(live_server, shop, received, open_page):
    """Another draft already claims 4.00 of the 24.00 invoice: the editor of this draft shows
    the claim and which draft makes it, 20.00 available; an allocation is capped at that and
    "allocate" fills it."""
    from storeledger.finance.services import invoices, payments

    first, second = received["receipts"]
    invoice = invoices.create_supplier_invoice(
        user=shop["user"],
        supplier_id=received["supplier"].id,
        invoice_no="0332",
        invoice_date=timezone.localdate(),
        lines=[
            invoices.InvoiceLineInput(receipt_line_id=first.lines.get().id),
            invoices.InvoiceLineInput(receipt_line_id=second.lines.get().id),
        ],
        post=True,
    )

    def draft(amount: str):
        return payments.create_supplier_payment(
            user=shop["user"],
            supplier_id=received["supplier"].id,
            amount=Decimal(amount),
            allocations=[payments.AllocationInput(amount=Decimal(amount), invoice_id=invoice.id)],
        )

    other, mine = draft("4.00"), draft("10.00")
    page = open_page(DESKTOP)
    login(page, live_server.url)
    open_editor(page, f"{live_server.url}/finance/supplier-payments/{mine.id}")
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id(f"claimed-{invoice.number}")).to_contain_text("4.00")
    expect(editor.get_by_test_id(f"claimed-{invoice.number}")).to_contain_text(other.number)
    expect(editor.get_by_test_id(f"available-{invoice.number}")).to_have_text("20.00")
    allocation = editor.get_by_test_id(f"allocate-{invoice.number}")
    allocation.fill("24.00")  # more than is available: capped at the 20.00
    allocation.press("Tab")
    expect(allocation).to_have_value("20")
    editor.get_by_test_id("payment-amount").fill("20.00")
    allocation.fill("")
    editor.get_by_test_id("allocate").click()
    expect(allocation).to_have_value("20")
    shot(page, "supplier-payment-draft-claims")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)
    mine.refresh_from_db()
    assert (mine.version, mine.amount) == (2, Decimal("20.00"))
    assert [(a.invoice_id, a.amount) for a in mine.allocations.all()] == [
        (invoice.id, Decimal("20.00"))
    ]
    assert page.js_errors == []
