"""The whole purchasing cycle on hand-computed figures (issue 12), on SQLite and PostgreSQL:

purchase request 100 箱 → consolidated into an order at the catalogue's ¥600.00 a 箱 (incl.
13 % VAT) → two approval levels as the demo seeds them (store manager above ¥5,000, head
office above ¥50,000) → sent → two partial receipts with batches (40 + 60 箱) → 5 箱 of the
second batch go back → the supplier's invoice with a price difference (612.00 instead of
600.00 on the first receipt: flagged by the three-way match, accepted) → a payment → the
statement of account (opening, every document, closing) and the ageing, to the fen.

The supplier's account before the period: an October receipt of 5 箱 (¥3,000.00, due 30 days
later, on 19 November).

    statement 1–30 November 2026          increase    decrease     balance
    opening                                                       3,000.00
    receipt 1 (40 × 600.00)              24,000.00               27,000.00
    receipt 2 (60 × 600.00)              36,000.00               63,000.00
    return (5 × 600.00)                               3,000.00   60,000.00
    invoice 57,480.00 − 57,000.00 received   480.00              60,480.00
    payment                                          50,000.00   10,480.00
    closing                                                      10,480.00

    ageing on 30 November: October receipt 3,000.00 due 19 Nov → 0–30 days;
    invoice 57,480.00 − 50,000.00 paid = 7,480.00 due 15 Dec → not due; total 10,480.00."""

import datetime
from decimal import Decimal

import pytest

from storeledger.catalog.models import Tracking
from storeledger.core.models import ApprovalStep
from storeledger.finance import selectors as finance
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput
from storeledger.inventory.models import StockBalance
from storeledger.partners.models import Supplier
from storeledger.purchasing import selectors
from storeledger.purchasing.approvals import create_two_level_rules
from storeledger.purchasing.models import PurchaseOrderStatus, PurchaseRequestStatus
from storeledger.purchasing.services import orders, receipts, requests, returns
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.purchasing.services.requests import RequestLineInput
from storeledger.purchasing.services.returns import ReturnLineInput
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
D = Decimal
S = PurchaseOrderStatus


def nov(day: int) -> datetime.date:
    return datetime.date(2026, 11, day)


@pytest.fixture
def yili(db):
    return Supplier.objects.create(
        code="S010",
        name="内蒙古伊利实业",
        payment_terms_days=30,
        tax_rate=D(13),
        prices_include_tax=True,
    )


@pytest.fixture
def milk(yili):
    sku = factories.sku(
        code="SKU-MILK",
        name="纯牛奶 250ml",
        tracking=Tracking.BATCH,
        shelf_life_days=180,
        case_factor="12",
    )
    box = sku.units.get().unit
    add_item(yili, sku, price="600.00", purchase_unit=box, pack_size=D(12), preferred=True)
    return sku


@pytest.fixture
def people(store):
    """Head office: an administrator who sees every store (as the demo's admin)."""
    return {
        "keeper": factories.user("keeper1", roles=("warehouse_keeper",), stores=(store,)),
        "manager": factories.user("manager1", roles=("store_manager",), stores=(store,)),
        "buyer": factories.user("buyer1", roles=("buyer",), all_stores=True),
        "head": factories.user("head1", roles=("admin",), all_stores=True),
        "finance": factories.user("finance1", roles=("finance",), all_stores=True),
    }


def _receive(user, order, boxes, day, batch_no, expiry):
    line = order.lines.get()
    return receipts.create_purchase_receipt(
        user=user,
        order_id=order.id,
        document_date=day,
        lines=[
            ReceiptLineInput(
                order_line_id=line.id,
                quantity=D(boxes),
                batch_no=batch_no,
                production_date=day - datetime.timedelta(days=3),
                expiry_date=expiry,
            )
        ],
        post=True,
    )


def _october_receipt(people, yili, warehouse, milk):
    """The account's opening: 5 箱 ordered and received in October (¥3,000.00)."""
    order = orders.create_purchase_order(
        user=people["buyer"],
        supplier_id=yili.id,
        warehouse_id=warehouse.id,
        document_date=datetime.date(2026, 10, 15),
        lines=[OrderLineInput(sku_id=milk.id, quantity=D(5))],
    )
    orders.submit_purchase_order(user=people["buyer"], order_id=order.id)
    # ¥3,000 is below both rules: the approve permission decides
    orders.approve_purchase_order(user=people["manager"], order_id=order.id)
    return _receive(
        people["keeper"],
        order,
        "5",
        datetime.date(2026, 10, 20),
        "B2610",
        datetime.date(2027, 4, 1),
    )


def test_request_to_statement(people, yili, warehouse, milk, client_for):
    create_two_level_rules()
    keeper, manager, buyer, head, fin = (
        people[k] for k in ("keeper", "manager", "buyer", "head", "finance")
    )
    october = _october_receipt(people, yili, warehouse, milk)
    assert october.total_value == D("2654.87")  # 3,000.00 / 1.13, net into stock

    # ---- the store asks for 100 箱; its manager approves; the buyer orders it
    request = requests.create_purchase_request(
        user=keeper,
        warehouse_id=warehouse.id,
        document_date=nov(1),
        needed_by=nov(10),
        lines=[RequestLineInput(sku_id=milk.id, quantity=D(100), unit_id=milk.units.get().unit_id)],
    )
    requests.submit_purchase_request(user=keeper, request_id=request.id)
    requests.approve_purchase_request(user=manager, request_id=request.id)
    [order] = requests.consolidate_purchase_requests(user=buyer, request_ids=[request.id]).orders
    request.refresh_from_db()
    assert request.status == PurchaseRequestStatus.ORDERED
    [line] = order.lines.all()
    assert (line.quantity, line.base_quantity, line.price, line.expected_date) == (
        D(100),
        D(1200),
        D("600.00"),
        nov(10),
    )
    assert request.lines.get().order_line_id == line.id
    # 100 × 600.00 = 60,000.00 incl. tax; net 60,000 / 1.13 = 53,097.345 → 53,097.35
    assert (order.total_net, order.total_tax, order.total_gross) == (
        D("53097.35"),
        D("6902.65"),
        D("60000.00"),
    )
    order = orders.update_purchase_order(
        user=buyer, order_id=order.id, version=order.version, document_date=nov(2)
    )

    # ---- two levels: the store manager, then head office
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    steps = ApprovalStep.objects.filter(document_type="purchaseorder", document_id=order.id)
    assert [(s.role, s.scope, s.status) for s in steps.order_by("sequence")] == [
        ("store_manager", "document_store", "pending"),
        ("admin", "head_office", "waiting"),
    ]
    assert orders.approve_purchase_order(user=manager, order_id=order.id).status == S.SUBMITTED
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {}  # not approved yet
    assert orders.approve_purchase_order(user=head, order_id=order.id).status == S.APPROVED
    orders.send_purchase_order(user=buyer, order_id=order.id)
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {(warehouse.id, milk.id): D(1200)}

    # ---- two partial receipts, each its own batch
    first = _receive(keeper, order, "40", nov(3), "B2611A", datetime.date(2027, 5, 1))
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_RECEIVED
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {(warehouse.id, milk.id): D(720)}
    second = _receive(keeper, order, "60", nov(10), "B2611B", datetime.date(2027, 5, 8))
    order.refresh_from_db()
    assert order.status == S.RECEIVED
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {}
    # net value into stock: 24,000.00 / 1.13 = 21,238.94; 36,000.00 / 1.13 = 31,858.41
    assert (first.total_value, second.total_value) == (D("21238.94"), D("31858.41"))

    # ---- 5 箱 of the second batch go back (a debit note of 3,000.00)
    second_line = second.lines.get()
    back = returns.create_purchase_return(
        user=manager,
        receipt_id=second.id,
        document_date=nov(12),
        reason="包装破损",
        lines=[ReturnLineInput(receipt_line_id=second_line.id, quantity=D(5))],
        post=True,
    )
    assert (back.total_net, back.total_tax, back.total_gross) == (
        D("2654.87"),
        D("345.13"),
        D("3000.00"),
    )
    on_hand = dict(
        StockBalance.objects.filter(warehouse=warehouse, sku=milk).values_list(
            "batch__batch_no", "on_hand"
        )
    )
    assert on_hand == {"B2610": D(60), "B2611A": D(480), "B2611B": D(660)}

    # ---- the invoice: 612.00 on the first receipt is 2 % above the order (flagged)
    invoice = invoices.create_supplier_invoice(
        user=fin,
        supplier_id=yili.id,
        invoice_no="15002611",
        invoice_date=nov(15),
        lines=[
            InvoiceLineInput(receipt_line_id=first.lines.get().id, price=D("612.00")),
            InvoiceLineInput(receipt_line_id=second_line.id),
        ],
    )
    one, two = invoice.lines.order_by("line_no")
    assert (one.quantity, one.expected_price, one.price, one.price_difference) == (
        D(40),
        D("600.0000"),
        D("612.00"),
        True,
    )
    # the returned 5 箱 are not invoiced: 55 of the 60
    assert (two.quantity, two.price, two.price_difference) == (D(55), D("600.00"), False)
    # 40 × 612.00 = 24,480.00 + 55 × 600.00 = 33,000.00
    assert (invoice.total_gross, invoice.receipt_amount) == (D("57480.00"), D("57000.00"))
    invoices.accept_differences(user=fin, invoice_id=invoice.id, comment="涨价已确认")
    invoices.post_supplier_invoice(user=fin, invoice_id=invoice.id)

    payment = payments.create_supplier_payment(
        user=fin,
        supplier_id=yili.id,
        amount=D("50000.00"),
        method="bank_transfer",
        document_date=nov(20),
        allocations=[AllocationInput(amount=D("50000.00"), invoice_id=invoice.id)],
        post=True,
    )

    # ---- the statement of November, document by document
    found = finance.statement(fin, supplier=yili, date_from=nov(1), date_to=nov(30))
    assert found.opening == D("3000.00")
    assert [(r["number"], r["increase"], r["decrease"], r["balance"]) for r in found.rows] == [
        (first.number, D("24000.00"), 0, D("27000.00")),
        (second.number, D("36000.00"), 0, D("63000.00")),
        (back.number, 0, D("3000.00"), D("60000.00")),
        (invoice.number, D("480.00"), 0, D("60480.00")),
        (payment.number, 0, D("50000.00"), D("10480.00")),
    ]
    assert (found.increase, found.decrease, found.closing) == (
        D("60480.00"),
        D("53000.00"),
        D("10480.00"),
    )
    assert finance.supplier_balances(fin) == {yili.id: D("10480.00")}

    # ---- the ageing on 30 November
    [row] = finance.ageing(fin, as_of=nov(30))
    assert {k: row[k] for k in (*finance.BUCKETS, "total")} == {
        "not_due": D("7480.00"),
        "days_0_30": D("3000.00"),
        "days_31_60": 0,
        "days_61_90": 0,
        "days_over_90": 0,
        "total": D("10480.00"),
    }

    # ---- the same figures over the API
    api = client_for(fin)
    statement = api.get(
        "/api/v1/supplier-statement/",
        {"supplier": yili.id, "date_from": "2026-11-01", "date_to": "2026-11-30"},
    )
    assert statement.status_code == 200, statement.json()
    body = statement.json()
    assert (D(body["opening"]), D(body["closing"])) == (D("3000.00"), D("10480.00"))
    assert [D(r["balance"]) for r in body["rows"]] == [
        D("27000.00"),
        D("63000.00"),
        D("60000.00"),
        D("60480.00"),
        D("10480.00"),
    ]
    ageing = api.get("/api/v1/payables-ageing/", {"as_of": "2026-11-30"})
    assert ageing.status_code == 200, ageing.json()
    [api_row] = ageing.json()["results"]
    assert (D(api_row["not_due"]), D(api_row["days_0_30"]), D(api_row["total"])) == (
        D("7480.00"),
        D("3000.00"),
        D("10480.00"),
    )
