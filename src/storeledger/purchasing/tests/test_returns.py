"""Purchase returns: at the cost the goods came in with (not the current average), never more
than a receipt line took in minus what went back, by receipt line or by batch, approval by
rule, reversal (红冲), debit notes for the payables, the API and its PDF."""

from decimal import Decimal

import pytest
from django.utils import timezone

from storeledger.core.errors import PermissionDenied, StateConflict
from storeledger.core.models import ApprovalLevel, ApprovalRule
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.services.documents import StockLineInput, create_and_post_stock_document
from storeledger.inventory.verify import verify_ledger
from storeledger.purchasing import selectors
from storeledger.purchasing.models import PurchaseReceiptLine, PurchaseReturn
from storeledger.purchasing.services import orders, receipts, returns
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.purchasing.services.returns import ReturnLineInput
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-returns/"
D = Decimal


@pytest.fixture
def manager(store):
    return factories.user("manager", roles=("store_manager",), stores=(store,))


@pytest.fixture
def receiver(store):
    return factories.user("receiver", roles=("warehouse_keeper",), stores=(store,))


def receive(buyer, manager, receiver, supplier, warehouse, sku, quantity, price, **line):
    """An approved order of `quantity` base units at `price` (incl. 13 % VAT), received in
    full; answers the receipt line."""
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        lines=[
            OrderLineInput(
                sku_id=sku.id,
                quantity=D(quantity),
                unit_id=sku.product.base_unit_id,
                price=D(price),
            )
        ],
    )
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=manager, order_id=order.id)
    receipt = receipts.create_purchase_receipt(
        user=receiver,
        order_id=order.id,
        lines=[ReceiptLineInput(sku_id=sku.id, quantity=D(quantity), **line)],
        post=True,
    )
    return receipt.lines.get()


def test_a_return_leaves_at_its_receipt_cost_not_the_average(
    buyer, manager, receiver, wahaha, warehouse, sku
):
    # 10 at 2.26 incl. 13 % VAT: gross 22.60, net 20.00 → 2.00 a unit
    source = receive(buyer, manager, receiver, wahaha, warehouse, sku, "10", "2.26")
    assert source.unit_cost == D("2.0000")
    # 10 more from elsewhere at 4.00: the average is now 3.00
    create_and_post_stock_document(
        user=manager,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=D(10), unit_cost=D(4))],
    )
    document = returns.create_purchase_return(
        user=receiver,
        receipt_id=source.receipt_id,
        lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(4))],
        reason="破损",
        post=True,
    )
    assert document.status == "posted"
    assert document.number.startswith("CT-0001-")
    # net 20.00 × 4/10 = 8.00, gross 22.60 × 4/10 = 9.04, tax 1.04
    assert (document.total_net, document.total_tax, document.total_gross) == (
        D("8.00"),
        D("1.04"),
        D("9.04"),
    )
    move = StockMove.objects.get(posting__document_type="purchase_return")
    assert (move.move_type, move.quantity, move.value) == ("purchase_return", -4, D("-8.00"))
    balance = StockBalance.objects.get(warehouse=warehouse, sku=sku)
    assert (balance.on_hand, balance.value) == (16, D("52.00"))  # 20 + 40 − 8
    source.refresh_from_db()
    assert source.returned_quantity == 4
    day = timezone.localdate(document.posted_at)
    assert selectors.returned_value(day, day) == {wahaha.id: D("8.00")}
    assert selectors.returned_value(day, day, warehouse_ids=[0]) == {}
    assert verify_ledger().ok


def test_never_more_than_the_receipt_line_took_in_minus_what_went_back(
    buyer, manager, receiver, wahaha, warehouse, sku
):
    source = receive(buyer, manager, receiver, wahaha, warehouse, sku, "10", "2.26")
    returns.create_purchase_return(
        user=receiver,
        receipt_id=source.receipt_id,
        lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(7))],
        post=True,
    )
    with pytest.raises(StateConflict) as caught:
        returns.create_purchase_return(
            user=receiver,
            receipt_id=source.receipt_id,
            lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(4))],
        )
    assert caught.value.code == "over_return"
    assert "lines.0.quantity" in caught.value.fields
    assert caught.value.details["available"] == "3.0000"
    # Two drafts of 3 each pass alone; the second to post is refused, naming its line.
    drafts = [
        returns.create_purchase_return(
            user=receiver,
            receipt_id=source.receipt_id,
            lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(3))],
        )
        for _ in range(2)
    ]
    returns.post_purchase_return(user=receiver, return_id=drafts[0].id)
    with pytest.raises(StateConflict) as caught:
        returns.post_purchase_return(user=receiver, return_id=drafts[1].id)
    assert caught.value.code == "over_return"
    assert "lines.0.quantity" in caught.value.fields
    assert PurchaseReturn.objects.get(pk=drafts[1].id).status == "draft"
    assert PurchaseReceiptLine.objects.get(pk=source.id).returned_quantity == 10
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == 0


def test_a_batch_of_a_supplier_is_returned_over_its_receipt_lines_at_each_cost(
    buyer, manager, receiver, wahaha, nongfu, warehouse
):
    milk = factories.sku(code="MILK", name="纯牛奶", tracking="batch", shelf_life_days=30)
    first = receive(buyer, manager, receiver, wahaha, warehouse, milk, "5", "2.26", batch_no="B1")
    second = receive(buyer, manager, receiver, wahaha, warehouse, milk, "5", "3.39", batch_no="B1")
    receive(buyer, manager, receiver, nongfu, warehouse, milk, "5", "1.13", batch_no="B1")
    assert first.batch_id == second.batch_id
    document = returns.create_purchase_return(
        user=receiver,
        supplier_id=wahaha.id,
        warehouse_id=warehouse.id,
        lines=[ReturnLineInput(batch_id=first.batch_id, quantity=D(7))],
        post=True,
    )
    lines = list(document.lines.order_by("line_no"))
    assert [(ln.receipt_line_id, ln.base_quantity, ln.net_amount) for ln in lines] == [
        (first.id, 5, D("10.00")),  # 5 at 2.00 net
        (second.id, 2, D("6.00")),  # 2 at 3.00 net
    ]
    values = sorted(StockMove.objects.filter(move_type="purchase_return").values_list("value"))
    assert values == [(D("-10.00"),), (D("-6.00"),)]
    # Wahaha's batch has 3 left to give back; Nongfu's 5 are not Wahaha's.
    with pytest.raises(StateConflict) as caught:
        returns.create_purchase_return(
            user=receiver,
            supplier_id=wahaha.id,
            warehouse_id=warehouse.id,
            lines=[ReturnLineInput(batch_id=first.batch_id, quantity=D(4))],
        )
    assert caught.value.code == "over_return"
    assert verify_ledger().ok


def test_reversal_brings_the_goods_back_and_frees_the_receipt_line(
    buyer, manager, receiver, wahaha, warehouse, sku
):
    source = receive(buyer, manager, receiver, wahaha, warehouse, sku, "10", "2.26")
    document = returns.create_purchase_return(
        user=receiver,
        receipt_id=source.receipt_id,
        lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(10))],
        post=True,
    )
    with pytest.raises(PermissionDenied):
        returns.reverse_purchase_return(user=receiver, return_id=document.id)
    reversal = returns.reverse_purchase_return(user=manager, return_id=document.id)
    document.refresh_from_db()
    assert document.status == "reversed"
    assert (reversal.status, reversal.reversal_of_id) == ("posted", document.id)
    assert reversal.total_gross == D("-22.60")
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == 10
    assert PurchaseReceiptLine.objects.get(pk=source.id).returned_quantity == 0
    with pytest.raises(StateConflict) as caught:
        returns.reverse_purchase_return(user=manager, return_id=reversal.id)
    assert caught.value.code == "reversal_of_reversal"
    notes = selectors.supplier_debit_notes(supplier_id=wahaha.id)
    assert [(n.number, n.total_gross, n.receipt_ids) for n in notes] == [
        (document.number, D("22.60"), (source.receipt_id,)),
        (reversal.number, D("-22.60"), (source.receipt_id,)),
    ]
    assert selectors.returned_by_supplier() == {wahaha.id: D("0.00")}
    assert verify_ledger().ok


def test_a_rule_makes_a_large_return_wait_for_the_manager(
    buyer, manager, receiver, wahaha, warehouse, sku
):
    rule = ApprovalRule.objects.create(
        document_type="purchasereturn", name="退货超过 ¥20", amount_above=D(20)
    )
    ApprovalLevel.objects.create(rule=rule, sequence=1, role="store_manager")
    source = receive(buyer, manager, receiver, wahaha, warehouse, sku, "10", "2.26")
    with pytest.raises(PermissionDenied) as caught:
        returns.create_purchase_return(
            user=receiver,
            receipt_id=source.receipt_id,
            lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(10))],
            post=True,
        )
    assert caught.value.code == "approval_required"
    assert not PurchaseReturn.objects.exists()
    document = returns.create_purchase_return(
        user=receiver,
        receipt_id=source.receipt_id,
        lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(10))],
    )
    returns.submit_purchase_return(user=receiver, return_id=document.id)
    with pytest.raises(PermissionDenied):
        returns.post_purchase_return(user=receiver, return_id=document.id)
    with pytest.raises(StateConflict):  # the creator never approves
        returns.approve_purchase_return(user=receiver, return_id=document.id)
    returns.approve_purchase_return(user=manager, return_id=document.id)
    posted = returns.post_purchase_return(user=receiver, return_id=document.id)
    assert posted.status == "posted"
    # nothing is left to give back
    with pytest.raises(StateConflict) as caught:
        returns.create_purchase_return(
            user=receiver,
            receipt_id=source.receipt_id,
            lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(1))],
        )
    assert caught.value.code == "over_return"


def test_bad_sources_are_clear_errors(buyer, manager, receiver, wahaha, nongfu, warehouse, sku):
    source = receive(buyer, manager, receiver, wahaha, warehouse, sku, "10", "2.26")
    cases = [
        ({"supplier_id": nongfu.id, "warehouse_id": warehouse.id}, source.id, "not_returnable"),
        ({"receipt_id": source.receipt_id}, None, "source_required"),
    ]
    for header, receipt_line, code in cases:
        with pytest.raises(Exception) as caught:
            returns.create_purchase_return(
                user=receiver,
                lines=[ReturnLineInput(receipt_line_id=receipt_line, quantity=D(1))],
                **header,
            )
        assert caught.value.code == code, code
    with pytest.raises(Exception) as caught:
        returns.create_purchase_return(
            user=receiver,
            receipt_id=source.receipt_id,
            lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(0))],
        )
    assert caught.value.code == "bad_quantity"


def test_the_api_returns_from_a_receipt_in_scope_with_its_pdf(
    buyer, manager, receiver, wahaha, warehouse, sku, client_for, other_store
):
    source = receive(buyer, manager, receiver, wahaha, warehouse, sku, "2", "27.12", unit_id=None)
    client = client_for(receiver)
    answer = client.get(f"{URL}returnable/", {"receipt": source.receipt_id})
    assert answer.status_code == 200
    assert [(r["receipt_line"], r["returnable"]) for r in answer.json()] == [(source.id, "2.0000")]
    answer = client.post(
        URL,
        {
            "receipt": source.receipt_id,
            "reason": "包装破损",
            "lines": [{"receipt_line": source.id, "quantity": "3"}],
        },
        format="json",
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "over_return"
    assert "lines.0.quantity" in body["fields"]
    answer = client.post(
        URL,
        {"receipt": source.receipt_id, "lines": [{"receipt_line": source.id, "quantity": "1"}]},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    created = answer.json()
    assert created["status"] == "draft"
    assert created["supplier"] == wahaha.id
    assert created["receipt_number"] == source.receipt.number
    assert created["total_gross"] is None  # a keeper sees no costs (reports.view_cost)
    assert client_for(manager).get(f"{URL}{created['id']}/").json()["total_gross"] == "27.1200"
    assert "post" in created["available_actions"]
    answer = client.post(f"{URL}{created['id']}/post/")
    assert answer.status_code == 200
    assert answer.json()["status"] == "posted"
    pdf = client.get(f"{URL}{created['id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    outsider = factories.user("outsider", roles=("warehouse_keeper",), stores=(other_store,))
    assert client_for(outsider).get(f"{URL}{created['id']}/").status_code == 404
    assert client_for(outsider).get(URL).json()["count"] == 0
    assert client_for(factories.user("c", roles=("cashier",))).get(URL).status_code == 403


def test_a_return_lowers_the_suppliers_quality_in_the_rating(
    buyer, manager, receiver, wahaha, warehouse, sku
):
    from storeledger.purchasing import rating

    source = receive(buyer, manager, receiver, wahaha, warehouse, sku, "10", "2.26")
    document = returns.create_purchase_return(
        user=receiver,
        receipt_id=source.receipt_id,
        lines=[ReturnLineInput(receipt_line_id=source.id, quantity=D(4))],
        post=True,
    )
    day = timezone.localdate(document.posted_at)
    [row] = rating.supplier_ratings(date_from=day, date_to=day, supplier_ids=[wahaha.id])
    assert row["returned_value"] == D("8.00")
    assert row["quality"] == D("60.0")  # 8.00 of 20.00 went back
