"""Draft payments claim what they allocate: the open items show, per item, what OTHER drafts
already claim and which drafts (the payment editor shows the open amount net of them), and
posting a draft checks its allocations again against what is open on the posted documents."""

import datetime
from decimal import Decimal

import pytest

from storeledger.finance.models import SupplierPayment
from storeledger.purchasing.services.returns import ReturnLineInput, create_purchase_return

D = Decimal
NOV = datetime.date(2026, 11, 1)


@pytest.fixture
def receipt(make_order, receive):
    return receive(make_order(10, "24.00"), 10, NOV)  # 240.00, not invoiced


@pytest.fixture
def fin(client_for, finance_user):
    return client_for(finance_user)


def _draft(fin, supplier, receipt, amount: str):
    made = fin.post(
        "/api/v1/supplier-payments/",
        {
            "supplier": supplier.id,
            "amount": amount,
            "document_date": "2026-11-05",
            "allocations": [{"receipt": receipt.id, "amount": amount}],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    return made.json()


def test_open_items_show_what_other_drafts_claim(fin, wahaha, receipt):
    first = _draft(fin, wahaha, receipt, "150.00")
    url = f"/api/v1/supplier-open-items/?supplier={wahaha.id}"
    [item] = fin.get(url).json()
    assert (item["amount"], item["claimed"], item["available"]) == (
        "240.0000",
        "150.0000",
        "90.0000",
    )
    assert item["claims"] == [
        {"payment": first["id"], "number": first["number"], "amount": "150.0000"}
    ]
    # editing the draft itself: its own claim is not counted against it
    [own] = fin.get(f"{url}&exclude_payment={first['id']}").json()
    assert (own["claimed"], own["available"], own["claims"]) == ("0.0000", "240.0000", [])

    # a second draft asking more than the 90.00 left is refused, naming what is open
    refused = fin.post(
        "/api/v1/supplier-payments/",
        {
            "supplier": wahaha.id,
            "amount": "100.00",
            "document_date": "2026-11-05",
            "allocations": [{"receipt": receipt.id, "amount": "100.00"}],
        },
        format="json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "over_allocated"
    assert refused.json()["details"] == {"open": "90.0000"}
    assert SupplierPayment.objects.count() == 1


def test_posting_a_draft_checks_what_is_open_now(fin, wahaha, receipt, approver):
    """Two drafts share the receipt's 240.00; a return then settles 24.00 of it: the first
    draft posted wins, the second is refused at posting (over_allocated) and stays a draft."""
    first = _draft(fin, wahaha, receipt, "150.00")
    second = _draft(fin, wahaha, receipt, "90.00")
    create_purchase_return(
        user=approver,
        receipt_id=receipt.id,
        document_date=datetime.date(2026, 11, 6),
        lines=[ReturnLineInput(receipt_line_id=receipt.lines.get().id, quantity=D(1))],
        post=True,
    )
    posted = fin.post(f"/api/v1/supplier-payments/{second['id']}/post/")
    assert posted.status_code == 200, posted.json()
    refused = fin.post(f"/api/v1/supplier-payments/{first['id']}/post/")
    assert refused.status_code == 409
    error = refused.json()
    assert error["code"] == "over_allocated"
    assert error["details"] == {"open": "126.0000"}
    assert "allocations.0.amount" in error["fields"]
    assert SupplierPayment.objects.get(pk=first["id"]).status == "draft"
    # lowered to what is open, it posts
    changed = fin.put(
        f"/api/v1/supplier-payments/{first['id']}/",
        {
            "version": SupplierPayment.objects.get(pk=first["id"]).version,
            "amount": "126.00",
            "allocations": [{"receipt": receipt.id, "amount": "126.00"}],
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert fin.post(f"/api/v1/supplier-payments/{first['id']}/post/").status_code == 200
    assert fin.get(f"/api/v1/supplier-open-items/?supplier={wahaha.id}").json() == []


def test_exclude_payment_must_be_an_id(fin, wahaha, receipt):
    bad = fin.get(f"/api/v1/supplier-open-items/?supplier={wahaha.id}&exclude_payment=x")
    assert bad.status_code == 400
    assert "exclude_payment" in bad.json()["fields"]
