"""Landed cost 到岸成本 on purchase receipts: charges (freight, duty, insurance, other) shared
over the accepted lines by value or by quantity, to the fen with the rest on the largest line;
stock comes in at goods + charges exactly; returns leave at the landed cost; charges payable
to the supplier are owed to him, those paid to a carrier are not; drafts are edited (lines,
charges) with a version; every bad input is a 4xx."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storeledger.core.errors import StaleVersion, StateConflict, ValidationFailed
from storeledger.finance.sources import receipt_amounts
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.verify import verify_ledger
from storeledger.purchasing.models import PurchaseReceiptLine
from storeledger.purchasing.services import receipts, returns
from storeledger.purchasing.services.receipts import ChargeInput, ReceiptLineInput, allocate
from storeledger.purchasing.services.returns import ReturnLineInput
from storeledger.purchasing.tests.test_receipts import approved_order, line
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-receipts/"
D = Decimal

FREIGHT = ChargeInput(kind="freight", amount=D("10.00"), tax_amount=D("0.90"), payee="顺丰速运")
HANDLING = ChargeInput(
    kind="other", amount=D("3.33"), tax_amount=D("0.20"), payable_to_supplier=True
)


@pytest.fixture
def approver(store):
    return factories.user("approver", roles=("store_manager",), stores=(store,))


@pytest.fixture
def other_sku(db):
    return factories.sku(code="690000000002")


@pytest.fixture
def order(buyer, approver, wahaha, warehouse, sku, other_sku):
    # 10 at 2.26 incl. 13 % = 20.00 net; 5 at 11.30 incl. 13 % = 50.00 net
    return approved_order(
        buyer, approver, wahaha, warehouse, line(sku, "10", "2.26"), line(other_sku, "5", "11.30")
    )


def receive(user, order, **kwargs):
    order_lines = list(order.lines.order_by("line_no"))
    return receipts.create_purchase_receipt(
        user=user,
        order_id=order.id,
        lines=[ReceiptLineInput(order_line_id=ol.id, quantity=ol.quantity) for ol in order_lines],
        **kwargs,
    )


def shares(receipt) -> list[Decimal]:
    return list(receipt.lines.order_by("line_no").values_list("charge_amount", flat=True))


def test_by_value_to_the_fen_rest_on_the_largest_and_stock_rises_by_goods_plus_charges(
    manager, order, warehouse, sku, other_sku
):
    receipt = receive(manager, order, charges=[FREIGHT, HANDLING])
    # 13.33 over 20.00 : 50.00 → 3.808… cut to 3.80, 9.521… cut to 9.52; the fen left → 50.00
    assert shares(receipt) == [D("3.80"), D("9.53")]
    assert (receipt.total_value, receipt.total_charges) == (D("70.00"), D("13.33"))
    receipts.post_purchase_receipt(user=manager, receipt_id=receipt.id)
    values = {b.sku_id: b.value for b in StockBalance.objects.filter(warehouse=warehouse)}
    assert values == {sku.id: D("23.80"), other_sku.id: D("59.53")}
    assert sum(values.values()) == D("83.33")  # 70.00 goods + 13.33 charges, exactly
    moves = StockMove.objects.filter(posting__document_id=receipt.id).order_by("line_id")
    assert [m.unit_cost for m in moves] == [D("2.3800"), D("11.9060")]
    assert verify_ledger().ok


def test_by_quantity(manager, order):
    receipt = receive(manager, order, charges=[FREIGHT, HANDLING], allocation_basis="quantity")
    # 13.33 over 10 : 5 → 8.886… → 8.88, 4.443… → 4.44; the fen left → the 10
    assert shares(receipt) == [D("8.89"), D("4.44")]


def test_supplier_is_owed_only_the_charges_payable_to_him(manager, order):
    receipt = receive(manager, order, charges=[FREIGHT, HANDLING], post=True)
    # goods 22.60 + 56.50 incl. VAT, + the handling fee 3.33 + 0.20; the carrier's 10.90 is not his
    assert receipt_amounts([receipt.id]) == {receipt.id: D("82.63")}
    plain = receive(manager, order_again(manager, order))
    assert receipt_amounts([plain.id]) == {plain.id: D("79.10")}


def order_again(user, order):
    """Another approved order like `order` (the first is received in full)."""
    lines = [
        line(ol.sku, f"{ol.quantity:f}", f"{ol.price:f}") for ol in order.lines.order_by("line_no")
    ]
    buyer = order.created_by
    approver = factories.user("approver2", roles=("store_manager",), stores=(order.store,))
    return approved_order(buyer, approver, order.supplier, order.warehouse, *lines)


def test_a_return_leaves_at_the_landed_cost_and_the_debit_note_at_the_goods_price(
    manager, order, warehouse, sku, other_sku
):
    receipt = receive(manager, order, charges=[FREIGHT, HANDLING], post=True)
    first, second = receipt.lines.order_by("line_no")
    document = returns.create_purchase_return(
        user=manager,
        receipt_id=receipt.id,
        lines=[
            ReturnLineInput(receipt_line_id=first.id, quantity=D(10)),
            ReturnLineInput(receipt_line_id=second.id, quantity=D(4)),
        ],
        post=True,
    )
    out = dict(
        StockMove.objects.filter(posting__document_id=document.id).values_list("sku_id", "value")
    )
    # the whole first line at exactly what it came in at; 4 of 5 of 59.53 = 47.624
    assert out == {sku.id: D("-23.80"), other_sku.id: D("-47.6240")}
    assert [rl.unit_cost for rl in document.lines.order_by("line_no")] == [
        D("2.3800"),
        D("11.9060"),
    ]
    # the supplier takes back the goods at his prices: 22.60 + 45.20, not the freight
    assert (document.total_net, document.total_gross) == (D("60.00"), D("67.80"))
    assert StockBalance.objects.get(sku=other_sku).value == D("11.9060")
    assert verify_ledger().ok


def test_edit_a_draft_lines_and_charges_then_post(manager, order, warehouse, sku):
    receipt = receive(manager, order)
    first = order.lines.order_by("line_no").first()
    edited = receipts.update_purchase_receipt(
        user=manager,
        receipt_id=receipt.id,
        version=receipt.version,
        lines=[ReceiptLineInput(order_line_id=first.id, quantity=D(4))],
        charges=[ChargeInput(kind="duty", amount=D("1.00"))],
        reference="DN-7",
    )
    assert (edited.version, edited.reference) == (receipt.version + 1, "DN-7")
    assert (edited.total_value, edited.total_charges) == (D("8.00"), D("1.00"))
    assert shares(edited) == [D("1.00")]
    with pytest.raises(StaleVersion):
        receipts.update_purchase_receipt(
            user=manager, receipt_id=receipt.id, version=receipt.version, charges=[]
        )
    # the charges alone: the lines stay, shared again by quantity
    again = receipts.update_purchase_receipt(
        user=manager,
        receipt_id=receipt.id,
        version=edited.version,
        charges=[FREIGHT],
        allocation_basis="quantity",
    )
    assert shares(again) == [D("10.00")]
    receipts.post_purchase_receipt(user=manager, receipt_id=receipt.id)
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).value == D("18.00")
    with pytest.raises(StateConflict) as caught:
        receipts.update_purchase_receipt(
            user=manager, receipt_id=receipt.id, version=again.version + 1, charges=[]
        )
    assert caught.value.code == "state_conflict"


def test_bad_charges_are_refused_and_change_nothing(manager, wahaha, warehouse, sku, order):
    def refused(**kwargs):
        with pytest.raises(ValidationFailed) as caught:
            receive(manager, order, **kwargs)
        return caught.value.code, list(caught.value.fields)

    assert refused(charges=[ChargeInput(kind="freight", amount=D("-1.00"))]) == (
        "bad_charge_amount",
        ["charges.0.amount"],
    )
    assert refused(charges=[FREIGHT, ChargeInput(kind="freight", amount=D("1.005"))]) == (
        "bad_charge_amount",
        ["charges.1.amount"],
    )
    assert refused(charges=[ChargeInput(kind="bribe", amount=D("1.00"))]) == (
        "bad_charge_kind",
        ["charges.0.kind"],
    )
    assert refused(charges=[FREIGHT], allocation_basis="weight") == (
        "bad_allocation_basis",
        ["allocation_basis"],
    )
    first = order.lines.order_by("line_no").first()
    with pytest.raises(ValidationFailed) as caught:
        receipts.create_purchase_receipt(
            user=manager,
            order_id=order.id,
            lines=[
                ReceiptLineInput(
                    order_line_id=first.id,
                    quantity=D(0),
                    rejected_quantity=D(1),
                    reject_reason="破损",
                )
            ],
            charges=[FREIGHT],
        )
    assert caught.value.code == "nothing_to_allocate"
    # goods received free of charge have no value to share freight by: by quantity they do
    free = [ReceiptLineInput(sku_id=sku.id, quantity=D(5), price=D(0))]
    with pytest.raises(ValidationFailed) as caught:
        receipts.create_purchase_receipt(
            user=manager,
            supplier_id=wahaha.id,
            warehouse_id=warehouse.id,
            lines=free,
            charges=[FREIGHT],
        )
    assert caught.value.code == "allocation_basis_zero"
    assert not PurchaseReceiptLine.objects.exists()
    by_quantity = receipts.create_purchase_receipt(
        user=manager,
        supplier_id=wahaha.id,
        warehouse_id=warehouse.id,
        lines=free,
        charges=[FREIGHT],
        allocation_basis="quantity",
        post=True,
    )
    assert StockBalance.objects.get(sku=sku).value == D("10.00")
    assert shares(by_quantity) == [D("10.00")]


@settings(max_examples=300, deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=100000, places=2),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**6, places=4), min_size=1, max_size=30
    ).filter(lambda ws: sum(ws) > 0),
)
def test_allocation_always_adds_up_to_the_fen(total, weights):
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(share >= 0 and share == share.quantize(D("0.01")) for share in shares)
    basis = sum(weights)
    largest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    for index, (weight, share) in enumerate(zip(weights, shares, strict=True)):
        exact = total * weight / basis
        if index != largest:  # cut to the fen: never more, less by under a fen
            assert exact - D("0.01") < share <= exact


# ---------------------------------------------------------------- API


def test_api_charges_edit_preview_post_and_pdf(
    client_for, manager, keeper, order, warehouse, sku, other_sku
):
    client = client_for(manager)
    order_lines = list(order.lines.order_by("line_no"))
    body = {
        "order": order.id,
        "lines": [{"order_line": ol.id, "quantity": f"{ol.quantity:f}"} for ol in order_lines],
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert (draft["total_charges"], draft["charges"], draft["allocation_basis"]) == (
        "0.0000",
        [],
        "value",
    )
    charges = [
        {"kind": "freight", "amount": "10.00", "tax_amount": "0.90", "payee": "顺丰速运"},
        {"kind": "other", "amount": "3.33", "tax_amount": "0.20", "payable_to_supplier": True},
    ]
    preview = client.post(f"{URL}allocation/", {**body, "charges": charges}, format="json")
    assert preview.status_code == 200, preview.json()
    assert [(r["value"], r["charge_amount"], r["landed_unit_cost"]) for r in preview.json()] == [
        ("20.0000", "3.8000", "2.3800"),
        ("50.0000", "9.5300", "11.9060"),
    ]
    unnamed = client.post(f"{URL}allocation/", {"lines": body["lines"]}, format="json")
    assert (unnamed.status_code, unnamed.json()["code"]) == (400, "order_or_supplier_required")
    assert list(unnamed.json()["fields"]) == ["order"]
    url = f"{URL}{draft['id']}/"
    patched = client.patch(url, {"version": draft["version"], "charges": charges}, format="json")
    assert patched.status_code == 200, patched.json()
    seen = patched.json()
    assert [
        (c["kind"], c["amount"], c["payable_to_supplier"], c["payee"]) for c in seen["charges"]
    ] == [
        ("freight", "10.0000", False, "顺丰速运"),
        ("other", "3.3300", True, ""),
    ]
    assert [(ln["charge_amount"], ln["landed_unit_cost"]) for ln in seen["lines"]] == [
        ("3.8000", "2.3800"),
        ("9.5300", "11.9060"),
    ]
    # a keeper sees the charges' kinds and payees, not their amounts
    hidden = client_for(keeper).get(url).json()
    assert (hidden["total_charges"], hidden["charges"][0]["amount"]) == (None, None)
    assert hidden["lines"][0]["landed_unit_cost"] is None
    assert client_for(keeper).post(f"{URL}allocation/", body, format="json").status_code == 403
    stale = client.patch(url, {"version": draft["version"], "charges": []}, format="json")
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    negative = client.patch(
        url,
        {"version": seen["version"], "charges": [{"kind": "duty", "amount": "-5.00"}]},
        format="json",
    )
    assert negative.status_code == 400
    assert negative.json()["fields"] == {
        "charges.0.amount": ["A charge must be greater than zero."]
    }
    assert client.post(f"{url}post/").status_code == 200
    assert sum(b.value for b in StockBalance.objects.filter(warehouse=warehouse)) == D("83.33")
    late = client.patch(url, {"version": seen["version"] + 1, "charges": []}, format="json")
    assert (late.status_code, late.json()["code"]) == (409, "state_conflict")
    pdf = client.get(f"{url}pdf/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")


def test_the_receipt_sheet_shows_each_share_and_the_charges(manager, keeper, order):
    from storeledger.purchasing.sheets import load_purchase_receipt, purchase_receipt_sheet

    receipt = receive(manager, order, charges=[FREIGHT, HANDLING], post=True)
    sheet = purchase_receipt_sheet(
        load_purchase_receipt(manager, "purchase_receipt", receipt.id), manager
    )
    # net value, share of the charges, landed unit cost per line
    assert [row[-3:] for row in sheet.rows] == [
        ["20.00", "3.80", "2.38"],
        ["50.00", "9.53", "11.906"],
    ]
    assert sheet.totals[-3:] == ["70.00", "13.33", ""]
    assert sheet.remarks == [
        "Landed cost charges, allocated by value:",
        "1. Freight 10.00 · tax 0.90 · paid to 顺丰速运",
        "2. Other 3.33 · tax 0.20 · payable to the supplier",
    ]
    # without the cost permission: no cost columns, no charge amounts
    hidden = purchase_receipt_sheet(
        load_purchase_receipt(keeper, "purchase_receipt", receipt.id), keeper
    )
    assert hidden.remarks == []
