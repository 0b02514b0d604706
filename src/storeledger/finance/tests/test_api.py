"""Supplier invoices, payments and the supplier account over the API: the one error shape for
every refusal (nothing changed), store scope, exports."""

import datetime
from decimal import Decimal

import pytest

from storeledger.finance.models import SupplierInvoice, SupplierPayment
from storeledger.testing import factories

D = Decimal
NOV = datetime.date(2026, 11, 1)


@pytest.fixture
def receipt(make_order, receive):
    order = make_order(10, "24.00")
    return receive(order, 10, NOV)  # 240.00


@pytest.fixture
def fin(client_for, finance_user):
    return client_for(finance_user)


def _invoice(fin, supplier, receipt, **line):
    return fin.post(
        "/api/v1/supplier-invoices/",
        {
            "supplier": supplier.id,
            "invoice_no": line.pop("invoice_no", "0001"),
            "invoice_date": "2026-11-05",
            "lines": [{"receipt_line": receipt.lines.get().id, **line}],
        },
        format="json",
    )


def test_uninvoiced_lines_then_invoice_then_more_is_409_naming_the_line(fin, wahaha, receipt):
    listed = fin.get(f"/api/v1/supplier-invoices/uninvoiced-lines/?supplier={wahaha.id}")
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["receipt_number"], row["open_quantity"], row["price"]) == (
        receipt.number,
        "10.0000",
        "24.0000",
    )
    created = _invoice(fin, wahaha, receipt, quantity="7")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["total_gross"], body["flagged"]) == ("draft", "168.0000", False)
    assert "post" in body["available_actions"]
    assert "accept" not in body["available_actions"]

    again = _invoice(fin, wahaha, receipt, quantity="4", invoice_no="0002")
    assert again.status_code == 409
    error = again.json()
    assert error["code"] == "over_invoiced"
    assert "only 3.0000 is not invoiced yet" in error["fields"]["lines.0.quantity"][0]
    assert receipt.number in error["message"]
    assert SupplierInvoice.objects.count() == 1

    duplicate = _invoice(fin, wahaha, receipt, quantity="1")
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "duplicate_invoice"


def test_flagged_invoice_accept_then_post(fin, wahaha, receipt):
    created = _invoice(fin, wahaha, receipt, price="26.00").json()
    assert created["flagged"] and created["needs_acceptance"]
    assert created["lines"][0]["price_difference"] is True
    assert "accept" in created["available_actions"]
    url = f"/api/v1/supplier-invoices/{created['id']}/"
    refused = fin.post(url + "post/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "unaccepted_differences"
    accepted = fin.post(url + "accept/", {"comment": "agreed"}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["lines"][0]["accepted_by"] == "fin"
    posted = fin.post(url + "post/")
    assert posted.status_code == 200
    assert posted.json()["status"] == "posted"


def test_payment_refusals_are_409_and_change_nothing(fin, wahaha, receipt):
    invoice = _invoice(fin, wahaha, receipt).json()
    fin.post(f"/api/v1/supplier-invoices/{invoice['id']}/post/")
    over = fin.post(
        "/api/v1/supplier-payments/",
        {
            "supplier": wahaha.id,
            "amount": "200.00",
            "allocations": [{"invoice": invoice["id"], "amount": "210.00"}],
        },
        format="json",
    )
    assert over.status_code == 400  # allocations above the payment itself
    assert over.json()["code"] == "allocations_exceed_payment"
    over = fin.post(
        "/api/v1/supplier-payments/",
        {
            "supplier": wahaha.id,
            "amount": "250.00",
            "allocations": [{"invoice": invoice["id"], "amount": "250.00"}],
        },
        format="json",
    )
    assert over.status_code == 409
    assert over.json()["code"] == "over_allocated"
    assert "allocations.0.amount" in over.json()["fields"]
    on_account = fin.post(
        "/api/v1/supplier-payments/",
        {"supplier": wahaha.id, "amount": "240.01", "store": receipt.store_id},
        format="json",
    )
    assert on_account.status_code == 409
    assert on_account.json()["code"] == "over_payment"
    assert SupplierPayment.objects.count() == 0

    ok = fin.post(
        "/api/v1/supplier-payments/",
        {
            "supplier": wahaha.id,
            "amount": "150.00",
            "method": "online",
            "reference": "WX-1",
            "allocations": [{"invoice": invoice["id"], "amount": "150.00"}],
            "post": True,
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["status"] == "posted"
    rest = fin.post(
        "/api/v1/supplier-payments/",
        {
            "supplier": wahaha.id,
            "amount": "90.01",
            "method": "cash",
            "allocations": [{"invoice": invoice["id"], "amount": "90.01"}],
        },
        format="json",
    )
    assert rest.status_code == 409
    reversed_ = fin.post(f"/api/v1/supplier-payments/{ok.json()['id']}/reverse/", {}, format="json")
    assert reversed_.status_code == 201
    assert reversed_.json()["amount"] == "-150.0000"
    again = fin.post(
        f"/api/v1/supplier-payments/{reversed_.json()['id']}/reverse/", {}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "reversal_of_reversal"


def test_statement_and_ageing_api_and_exports(fin, wahaha, receipt):
    response = fin.get(
        f"/api/v1/supplier-statement/?supplier={wahaha.id}&date_from=2026-11-01&date_to=2026-11-30"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["opening"], body["closing"]) == ("0.0000", "240.0000")
    assert [row["number"] for row in body["rows"]] == [receipt.number]
    for fmt, kind in (("xlsx", "spreadsheetml"), ("pdf", "pdf"), ("csv", "csv")):
        exported = fin.get(
            f"/api/v1/supplier-statement/export/?supplier={wahaha.id}"
            f"&date_from=2026-11-01&date_to=2026-11-30&format={fmt}"
        )
        assert exported.status_code == 200
        assert kind in exported["Content-Type"]
    ageing = fin.get("/api/v1/payables-ageing/?as_of=2026-11-30")
    assert ageing.status_code == 200
    assert ageing.json()["totals"]["total"] == "240.0000"
    assert ageing.json()["results"][0]["not_due"] == "240.0000"
    assert fin.get("/api/v1/payables-ageing/export/?format=xlsx").status_code == 200
    balances = fin.get("/api/v1/supplier-balances/").json()
    assert balances == [
        {
            "supplier": wahaha.id,
            "supplier_code": "S001",
            "supplier_name": "杭州娃哈哈集团",
            "payment_terms_days": 30,
            "balance": "240.0000",
        }
    ]
    items = fin.get(f"/api/v1/supplier-open-items/?supplier={wahaha.id}").json()
    assert [(i["kind"], i["amount"]) for i in items] == [("purchasereceipt", "240.0000")]


def test_bad_input_is_4xx(fin, wahaha, receipt):
    assert fin.get("/api/v1/supplier-statement/").status_code == 400
    assert fin.get("/api/v1/supplier-statement/?supplier=999999").status_code == 404
    assert (
        fin.get(
            f"/api/v1/supplier-statement/?supplier={wahaha.id}&date_from=2026-11-30&date_to=2026-11-01"
        ).status_code
        == 400
    )
    assert fin.get("/api/v1/payables-ageing/export/?format=doc").status_code == 400
    bad = _invoice(fin, wahaha, receipt, quantity="-1")
    assert bad.status_code == 400
    unknown = fin.post(
        "/api/v1/supplier-invoices/",
        {
            "supplier": wahaha.id,
            "invoice_no": "1",
            "invoice_date": "2026-11-05",
            "lines": [{"receipt_line": 999999}],
        },
        format="json",
    )
    assert unknown.status_code == 404
    assert "lines.0.receipt_line" in unknown.json()["fields"]


def test_store_scope(client_for, wahaha, receipt, other_store, finance_user):
    outsider = factories.user("other-fin", roles=("finance",), stores=(other_store,))
    client = client_for(outsider)
    assert client.get("/api/v1/supplier-balances/").json() == []
    assert (
        client.get(f"/api/v1/supplier-invoices/uninvoiced-lines/?supplier={wahaha.id}").json() == []
    )
    response = client.get(
        f"/api/v1/supplier-statement/?supplier={wahaha.id}&store={receipt.store_id}"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    created = _invoice(client, wahaha, receipt)
    assert created.status_code == 404  # the receipt line is not in its scope
    keeper = factories.user("k", roles=("warehouse_keeper",), all_stores=True)
    assert client_for(keeper).get("/api/v1/supplier-balances/").status_code == 403


def test_a_payment_repeated_with_its_idempotency_key_is_made_once(fin, wahaha, receipt):
    body = {
        "supplier": wahaha.id,
        "amount": "100.00",
        "method": "cash",
        "allocations": [{"receipt": receipt.id, "amount": "100.00"}],
        "post": True,
    }
    first = fin.post("/api/v1/supplier-payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    again = fin.post("/api/v1/supplier-payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert SupplierPayment.objects.count() == 1
    # a second payment of the same amount (another key) would pay more than the receipt's 240.00
    # open: only 140.00 is left on it
    over = fin.post(
        "/api/v1/supplier-payments/",
        {**body, "amount": "140.01", "allocations": [{"receipt": receipt.id, "amount": "140.01"}]},
        format="json",
    )
    assert over.status_code == 409
    assert over.json()["code"] == "over_allocated"


def test_edit_a_draft_invoice_its_lines_and_header(fin, wahaha, receipt):
    """A draft's lines are matched afresh (its own claim on the receipt line ends), a new
    price difference needs a new accept; a stale version, a duplicate number and a posted
    invoice are refused, nothing changed."""
    created = _invoice(fin, wahaha, receipt, quantity="7").json()
    url = f"/api/v1/supplier-invoices/{created['id']}/"
    line = receipt.lines.get().id
    edited = fin.patch(
        url,
        {
            "version": created["version"],
            "invoice_no": "0009",
            "invoice_date": "2026-11-06",
            "notes": "改单",
            "lines": [{"receipt_line": line, "quantity": "10", "price": "26.00"}],
        },
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    body = edited.json()
    assert (body["invoice_no"], body["invoice_date"], body["due_date"], body["notes"]) == (
        "0009",
        "2026-11-06",
        "2026-12-06",
        "改单",
    )
    assert (body["version"], body["total_gross"], body["needs_acceptance"]) == (
        created["version"] + 1,
        "260.0000",
        True,
    )
    assert [(x["quantity"], x["price"]) for x in body["lines"]] == [("10.0000", "26.0000")]
    # the editor lists the receipt line as open again for this draft only
    lines_url = f"/api/v1/supplier-invoices/uninvoiced-lines/?supplier={wahaha.id}"
    assert fin.get(lines_url).json() == []
    [row] = fin.get(f"{lines_url}&invoice={created['id']}").json()
    assert (row["receipt_line"], row["open_quantity"]) == (line, "10.0000")

    stale = fin.patch(url, {"version": created["version"], "notes": "x"}, format="json")
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    other = fin.post(
        "/api/v1/supplier-invoices/",
        {
            "supplier": wahaha.id,
            "invoice_no": "0010",
            "invoice_date": "2026-11-05",
            "lines": [{"receipt_line": line, "quantity": "1"}],
        },
        format="json",
    )
    assert (other.status_code, other.json()["code"]) == (409, "over_invoiced")
    duplicate = fin.patch(url, {"version": body["version"], "invoice_no": " 0009 "}, format="json")
    assert duplicate.status_code == 200  # its own number is no duplicate
    fin.post(url + "accept/", {"comment": "ok"}, format="json")
    fin.post(url + "post/")
    posted = SupplierInvoice.objects.get(pk=created["id"])
    assert posted.status == "posted"
    refused = fin.patch(url, {"version": posted.version, "notes": "late"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "state_conflict")
    posted.refresh_from_db()
    assert posted.notes == "改单"


def test_edit_a_draft_payment_amount_and_allocations(fin, wahaha, receipt):
    invoice = _invoice(fin, wahaha, receipt).json()
    fin.post(f"/api/v1/supplier-invoices/{invoice['id']}/post/")
    created = fin.post(
        "/api/v1/supplier-payments/",
        {
            "supplier": wahaha.id,
            "amount": "100.00",
            "method": "cash",
            "allocations": [{"invoice": invoice["id"], "amount": "100.00"}],
        },
        format="json",
    ).json()
    url = f"/api/v1/supplier-payments/{created['id']}/"
    edited = fin.patch(
        url,
        {
            "version": created["version"],
            "amount": "240.00",
            "method": "bank_transfer",
            "reference": "HD001",
            "allocations": [{"invoice": invoice["id"], "amount": "200.00"}],
        },
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    body = edited.json()
    assert (body["amount"], body["method"], body["reference"], body["version"]) == (
        "240.0000",
        "bank_transfer",
        "HD001",
        created["version"] + 1,
    )
    assert [a["amount"] for a in body["allocations"]] == ["200.0000"]

    # its own claim does not count against it; more than is open does
    over = fin.patch(
        url,
        {
            "version": body["version"],
            "amount": "240.01",
            "allocations": [{"invoice": invoice["id"], "amount": "240.01"}],
        },
        format="json",
    )
    assert (over.status_code, over.json()["code"]) == (409, "over_allocated")
    too_much = fin.patch(url, {"version": body["version"], "amount": "300.00"}, format="json")
    assert (too_much.status_code, too_much.json()["code"]) == (409, "over_payment")
    exceeds = fin.patch(url, {"version": body["version"], "amount": "150.00"}, format="json")
    assert (exceeds.status_code, exceeds.json()["code"]) == (400, "allocations_exceed_payment")
    stale = fin.patch(url, {"version": created["version"], "amount": "1.00"}, format="json")
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    payment = SupplierPayment.objects.get(pk=created["id"])
    assert (payment.amount, payment.version) == (D("240.00"), body["version"])
    assert [a.amount for a in payment.allocations.all()] == [D("200.00")]
