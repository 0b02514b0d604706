"""Purchase order revisions 修订: an approved, sent or partially received order is revised as
revision n+1 (the revision before kept as it was), never below what was received and never
without a received line; through the approval rules when they ask for the new amount
(approved: back to the status it had; rejected: the previous revision comes back), else it
keeps its status; "on order" follows. Services and the API, on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from storeledger.core.errors import PermissionDenied, StateConflict, ValidationFailed
from storeledger.core.models import ApprovalStep, ApprovalStepStatus
from storeledger.purchasing import selectors
from storeledger.purchasing.approvals import create_two_level_rules
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderRevision,
    PurchaseOrderRevisionStatus,
    PurchaseOrderStatus,
)
from storeledger.purchasing.services import orders, receipts
from storeledger.purchasing.services.orders import OrderLineInput, RevisionLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.reports import purchases as purchase_reports
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
S = PurchaseOrderStatus
REV = PurchaseOrderRevisionStatus
D = Decimal
URL = "/api/v1/purchase-orders/"


@pytest.fixture
def manager(store):
    return factories.user("manager1", roles=("store_manager",), stores=(store,))


@pytest.fixture
def water(db):
    return factories.sku(code="SKU-WATER", name="农夫山泉 550ml", case_factor="24")


@pytest.fixture
def box(sku):
    return sku.units.get().unit  # 箱 of 12


def _line(line, quantity, price=None, **kwargs):
    """The revision input of an existing order line (its unit, price unless given)."""
    return RevisionLineInput(
        line_id=line.id,
        sku_id=line.sku_id,
        unit_id=line.unit_id,
        quantity=D(quantity),
        price=D(price) if price is not None else line.price,
        **kwargs,
    )


@pytest.fixture
def make_order(buyer, manager, wahaha, warehouse, sku, box):
    """An order of `boxes` 箱 at `price` (incl. 13 % VAT), approved by the manager and, by
    default, sent."""

    def make(boxes="10", price="400.00", send=True):
        order = orders.create_purchase_order(
            user=buyer,
            supplier_id=wahaha.id,
            warehouse_id=warehouse.id,
            lines=[
                OrderLineInput(sku_id=sku.id, unit_id=box.id, quantity=D(boxes), price=D(price))
            ],
        )
        orders.submit_purchase_order(user=buyer, order_id=order.id)
        orders.approve_purchase_order(user=manager, order_id=order.id)
        if send:
            orders.send_purchase_order(user=buyer, order_id=order.id)
        order.refresh_from_db()
        return order

    return make


def _receive(order, user, boxes):
    line = order.lines.order_by("line_no").first()
    return receipts.create_purchase_receipt(
        user=user,
        order_id=order.id,
        lines=[ReceiptLineInput(order_line_id=line.id, quantity=D(boxes))],
        post=True,
    )


def _revise(order, user, lines, reason="supplier short of stock", **kwargs):
    order.refresh_from_db()
    return orders.revise_purchase_order(
        user=user, order_id=order.id, version=order.version, reason=reason, lines=lines, **kwargs
    )


# ---------------------------------------------------------------- without approval rules


def test_a_sent_order_is_revised_in_place_and_keeps_its_status(
    make_order, buyer, warehouse, sku, water
):
    order = make_order()
    [line] = order.lines.all()
    assert (order.total_net, order.total_tax, order.total_gross) == (
        D("3539.82"),
        D("460.18"),
        D("4000.00"),
    )
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {(warehouse.id, sku.id): D(120)}

    revised = _revise(
        order,
        buyer,
        [
            _line(line, "12", "390.00", expected_date=None),
            RevisionLineInput(sku_id=water.id, quantity=D(48), price=D("2.50")),
        ],
        reference="PO-77 rev",
    )

    assert (revised.status, revised.revision, revised.revision_pending_status) == (S.SENT, 2, "")
    # 12 × 390.00 = 4680.00 (net 4141.59, tax 538.41) + 48 × 2.50 = 120.00 (net 106.19)
    assert (revised.total_net, revised.total_tax, revised.total_gross) == (
        D("4247.78"),
        D("552.22"),
        D("4800.00"),
    )
    first, second = PurchaseOrderLine.objects.filter(order=order).order_by("line_no")
    assert first.id == line.id  # changed in place: receipts and requests keep pointing at it
    assert (first.quantity, first.base_quantity, first.price, first.gross_amount) == (
        D(12),
        D(144),
        D("390.00"),
        D("4680.00"),
    )
    assert (second.line_no, second.sku_id, second.gross_amount) == (2, water.id, D("120.00"))
    assert revised.reference == "PO-77 rev"

    [revision] = PurchaseOrderRevision.objects.filter(order=order)
    assert (revision.number, revision.status, revision.order_status, revision.created_by) == (
        2,
        REV.APPLIED,
        S.SENT,
        buyer,
    )
    assert revision.total_gross == D("4800.00")
    previous = revision.previous
    assert (previous["revision"], D(previous["total_gross"]), previous["reference"]) == (
        1,
        D("4000.00"),
        "",
    )
    [old] = previous["lines"]
    assert (old["id"], D(old["quantity"]), D(old["price"]), D(old["gross_amount"])) == (
        line.id,
        D(10),
        D("400.00"),
        D("4000.00"),
    )
    # on order follows the revised quantities
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {
        (warehouse.id, sku.id): D(144),
        (warehouse.id, water.id): D(48),
    }
    assert not ApprovalStep.objects.filter(document_type="purchaseorder", round__gt=1).exists()


def test_a_line_cannot_go_below_what_was_received(make_order, buyer, manager):
    order = make_order()
    _receive(order, manager, "4")  # 48 pieces received
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_RECEIVED
    [line] = order.lines.all()
    version = order.version

    with pytest.raises(StateConflict) as refused:
        _revise(order, buyer, [_line(line, "3")])
    assert refused.value.code == "revision_below_received"
    assert refused.value.details == {"line": line.id, "ordered": "36.0000", "received": "48.0000"}
    assert "lines.0.quantity" in refused.value.fields
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.version, order.revision, line.quantity) == (version, 1, D(10))
    assert not PurchaseOrderRevision.objects.exists()

    # down to exactly what was received: the order is received in full
    revised = _revise(order, buyer, [_line(line, "4")], reason="the rest is discontinued")
    assert (revised.status, revised.revision, revised.total_gross) == (S.RECEIVED, 2, D("1600.00"))
    assert selectors.on_order() == {}


def test_a_received_line_cannot_be_removed_but_an_open_one_can(
    make_order, buyer, manager, water, warehouse, sku
):
    order = make_order()
    [line] = order.lines.all()
    order = _revise(
        order,
        buyer,
        [_line(line, "10"), RevisionLineInput(sku_id=water.id, quantity=D(24), price=D("2.50"))],
    )
    _receive(order, manager, "2")
    water_line = order.lines.get(sku=water)

    with pytest.raises(StateConflict) as refused:
        _revise(order, buyer, [_line(water_line, "24")])
    assert refused.value.code == "revision_removes_received"
    assert refused.value.details == {"line": line.id, "received": "24.0000"}

    revised = _revise(order, buyer, [_line(line, "10")], reason="water no longer needed")
    assert list(revised.lines.values_list("sku_id", flat=True)) == [sku.id]
    assert (revised.status, revised.revision, revised.total_gross) == (
        S.PARTIALLY_RECEIVED,
        3,
        D("4000.00"),
    )
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {(warehouse.id, sku.id): D(96)}
    assert [r.number for r in PurchaseOrderRevision.objects.filter(order=order)] == [2, 3]


def test_a_line_written_on_a_draft_receipt_cannot_be_removed(make_order, buyer, manager):
    order = make_order()
    [line] = order.lines.all()
    receipts.create_purchase_receipt(
        user=manager,
        order_id=order.id,
        lines=[ReceiptLineInput(order_line_id=line.id, quantity=D(1))],
    )
    with pytest.raises(StateConflict) as refused:
        _revise(order, buyer, [RevisionLineInput(sku_id=line.sku_id, quantity=D(5), price=D(2))])
    assert refused.value.code == "revision_removes_received"


@pytest.mark.parametrize("status", ["draft", "closed", "received", "cancelled"])
def test_only_approved_sent_or_partly_received_orders_are_revised(
    status, make_order, buyer, manager
):
    order = make_order()
    if status == "draft":
        order = orders.create_purchase_order(
            user=buyer,
            supplier_id=order.supplier_id,
            warehouse_id=order.warehouse_id,
            lines=[OrderLineInput(sku_id=order.lines.get().sku_id, quantity=D(1), price=D(1))],
        )
    elif status == "closed":
        orders.close_purchase_order(user=buyer, order_id=order.id, reason="no more")
    elif status == "received":
        _receive(order, manager, "10")
    else:
        order = make_order(send=False)
        orders.cancel_purchase_order(user=buyer, order_id=order.id)
    order.refresh_from_db()
    assert order.status == status
    [line] = order.lines.all()
    with pytest.raises(StateConflict) as refused:
        _revise(order, buyer, [_line(line, "1")])
    assert refused.value.code == "revision_not_allowed"
    assert refused.value.details["status"] == status


def test_bad_revisions_are_refused_and_change_nothing(make_order, buyer, water, keeper):
    order = make_order()
    [line] = order.lines.all()
    with pytest.raises(ValidationFailed) as no_reason:
        _revise(order, buyer, [_line(line, "11")], reason="  ")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(ValidationFailed) as other_sku:
        _revise(
            order,
            buyer,
            [RevisionLineInput(line_id=line.id, sku_id=water.id, quantity=D(1), price=D(2))],
        )
    assert other_sku.value.code == "revision_changes_sku"
    with pytest.raises(ValidationFailed) as twice:
        _revise(order, buyer, [_line(line, "11"), _line(line, "12")])
    assert twice.value.code == "duplicate_line"
    with pytest.raises(ValidationFailed) as unknown:
        _revise(
            order,
            buyer,
            [
                _line(line, "11"),
                RevisionLineInput(line_id=999999, sku_id=line.sku_id, quantity=D(1), price=D(2)),
            ],
        )
    assert unknown.value.code == "not_an_order_line"
    with pytest.raises(PermissionDenied):
        _revise(order, keeper, [_line(line, "11")])
    with pytest.raises(StateConflict) as stale:
        orders.revise_purchase_order(
            user=buyer,
            order_id=order.id,
            version=order.version - 1,
            reason="late",
            lines=[_line(line, "11")],
        )
    assert stale.value.code == "stale_version"
    line.refresh_from_db()
    assert (line.quantity, PurchaseOrderRevision.objects.count()) == (D(10), 0)
    # positive control: the same revision with a reason goes through
    assert _revise(order, buyer, [_line(line, "11")]).revision == 2


# ---------------------------------------------------------------- through the approval rules


def test_a_revision_above_the_rule_goes_back_through_approval(
    make_order, buyer, manager, warehouse, sku, keeper
):
    create_two_level_rules()  # store manager above ¥5,000, head office above ¥50,000
    order = make_order()  # ¥4,000: approved by the permission, sent
    [line] = order.lines.all()

    revised = _revise(order, buyer, [_line(line, "15")], reason="promotion volume")
    # 15 × 400.00 = 6000.00 > 5000: the store manager approves the revision
    assert (revised.status, revised.revision_pending_status, revised.revision) == (
        S.SUBMITTED,
        S.SENT,
        2,
    )
    assert revised.total_gross == D("6000.00")
    [step] = ApprovalStep.objects.filter(
        document_type="purchaseorder", document_id=order.id, status=ApprovalStepStatus.PENDING
    )
    assert (step.role, step.amount, step.requested_by) == ("store_manager", D("6000.00"), buyer)
    # still expected from the supplier, as revised; nothing is received meanwhile
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {(warehouse.id, sku.id): D(180)}
    [open_line] = purchase_reports.open_order_lines(
        user=manager, filters=purchase_reports.PurchaseFilters(), today=timezone.localdate()
    )
    assert (open_line["order_id"], open_line["order_status"]) == (order.id, S.SUBMITTED)
    with pytest.raises(StateConflict) as not_now:
        _receive(revised, manager, "1")
    assert not_now.value.code == "order_not_receivable"
    # a sent order awaiting its revision's approval is not cancelled, nor revised again
    with pytest.raises(StateConflict) as no_cancel:
        orders.cancel_purchase_order(user=buyer, order_id=order.id)
    assert no_cancel.value.code == "revision_pending"
    with pytest.raises(StateConflict) as again:
        _revise(revised, buyer, [_line(line, "16")])
    assert again.value.code == "revision_not_allowed"

    approved = orders.approve_purchase_order(user=manager, order_id=order.id)
    assert (approved.status, approved.revision_pending_status, approved.approved_by) == (
        S.SENT,
        "",
        manager,
    )
    revision = PurchaseOrderRevision.objects.get(order=order)
    assert (revision.status, revision.decided_by) == (REV.APPROVED, manager)
    _receive(approved, keeper, "15")
    approved.refresh_from_db()
    assert approved.status == S.RECEIVED


def test_a_rejected_revision_restores_the_previous_one(
    make_order, buyer, manager, water, warehouse, sku
):
    create_two_level_rules()
    order = make_order(boxes="12", price="400.00")  # ¥4,800
    [line] = order.lines.all()
    order = _revise(
        order,
        buyer,
        [_line(line, "12"), RevisionLineInput(sku_id=water.id, quantity=D(24), price=D("2.00"))],
        reason="add water",
    )  # ¥4,848: no rule, still sent
    assert (order.status, order.revision) == (S.SENT, 2)
    _receive(order, manager, "2")
    water_line = order.lines.get(sku=water)
    order.refresh_from_db()
    before = (order.total_net, order.total_tax, order.total_gross)

    pending = _revise(
        order,
        buyer,
        [_line(line, "14", "410.00", notes="bigger order")],  # water removed, ¥5,740
        reason="supplier price rise",
        notes="rev 3",
    )
    assert (pending.status, pending.revision) == (S.SUBMITTED, 3)
    assert not PurchaseOrderLine.objects.filter(pk=water_line.pk).exists()

    rejected = orders_reject(order, manager)
    assert (rejected.status, rejected.revision, rejected.revision_pending_status) == (
        S.PARTIALLY_RECEIVED,
        2,
        "",
    )
    assert (rejected.total_net, rejected.total_tax, rejected.total_gross) == before
    assert rejected.notes == ""
    restored = {row.id: row for row in rejected.lines.all()}
    assert set(restored) == {line.id, water_line.id}  # the removed line is back, same id
    assert (restored[line.id].quantity, restored[line.id].price, restored[line.id].notes) == (
        D(12),
        D("400.00"),
        "",
    )
    assert restored[line.id].received_quantity == D(24)
    assert (restored[water_line.id].line_no, restored[water_line.id].gross_amount) == (
        2,
        D("48.00"),
    )
    assert [(r.number, r.status) for r in PurchaseOrderRevision.objects.filter(order=order)] == [
        (2, REV.APPLIED),
        (3, REV.REJECTED),
    ]
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {
        (warehouse.id, sku.id): D(120),
        (warehouse.id, water.id): D(24),
    }
    # the next revision is number 4 (3 stays in the history as rejected)
    again = _revise(rejected, buyer, [_line(line, "12"), _line(water_line, "1")], reason="less")
    assert (again.revision, again.status) == (4, S.PARTIALLY_RECEIVED)


def orders_reject(order, approver):
    from storeledger.core import approvals

    step = ApprovalStep.objects.get(
        document_type="purchaseorder", document_id=order.id, status=ApprovalStepStatus.PENDING
    )
    approvals.decide_step(user=approver, step_id=step.id, approve=False, comment="too dear")
    return PurchaseOrder.objects.get(pk=order.id)


def test_the_reviser_cannot_approve_their_own_revision(make_order, manager, store):
    create_two_level_rules()
    order = make_order()
    [line] = order.lines.all()
    _revise(order, manager, [_line(line, "20")])
    with pytest.raises(StateConflict) as refused:
        orders.approve_purchase_order(user=manager, order_id=order.id)
    assert refused.value.code == "approval_self"
    other = factories.user("manager2", roles=("store_manager",), stores=(store,))
    assert orders.approve_purchase_order(user=other, order_id=order.id).status == S.SENT


# ---------------------------------------------------------------- API


def test_api_revise_shows_the_history_and_answers_errors_in_one_shape(
    make_order, buyer, client_for, keeper, water
):
    order = make_order()
    [line] = order.lines.all()
    client = client_for(buyer)
    detail = client.get(f"{URL}{order.id}/").json()
    assert "revise" in detail["available_actions"]
    assert (detail["revision"], detail["revisions"]) == (1, [])
    assert "revise" not in client_for(keeper).get(f"{URL}{order.id}/").json()["available_actions"]

    # editing an approved order stays a 409: it is revised instead
    edit = client.patch(f"{URL}{order.id}/", {"version": detail["version"], "notes": "x"})
    assert edit.status_code == 409

    body = {
        "version": detail["version"],
        "reason": "数量调整",
        "lines": [
            {
                "id": line.id,
                "sku": line.sku_id,
                "unit": line.unit_id,
                "quantity": "8",
                "price": "400.00",
            },
            {"sku": water.id, "quantity": "24", "price": "2.50"},
        ],
    }
    response = client.post(f"{URL}{order.id}/revise/", body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["revision"], data["total_gross"]) == ("sent", 2, "3260.0000")
    [revision] = data["revisions"]
    assert (revision["number"], revision["reason"], revision["status"]) == (
        2,
        "数量调整",
        "applied",
    )
    assert (revision["created_by"], revision["total_gross"]) == ("buyer", "3260.0000")
    assert revision["previous"]["total_gross"] == "4000.0000"
    assert [
        (x["line_no"], x["quantity"], x["gross_amount"]) for x in revision["previous"]["lines"]
    ] == [(1, "10.0000", "4000.0000")]

    stale = client.post(f"{URL}{order.id}/revise/", body, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"

    _receive(PurchaseOrder.objects.get(pk=order.id), keeper, "6")
    version = PurchaseOrder.objects.get(pk=order.id).version
    below = client.post(
        f"{URL}{order.id}/revise/",
        {**body, "version": version, "lines": [{**body["lines"][0], "quantity": "5"}]},
        format="json",
    )
    assert below.status_code == 409
    error = below.json()
    assert set(error) == {"code", "message", "fields", "details"}
    assert error["code"] == "revision_below_received"
    assert "lines.0.quantity" in error["fields"]

    missing = client.post(
        f"{URL}{order.id}/revise/", {"version": version, "lines": []}, format="json"
    )
    assert missing.status_code == 400
    assert set(missing.json()["fields"]) == {"reason", "lines.non_field_errors"}

    forbidden = client_for(keeper).post(
        f"{URL}{order.id}/revise/", {**body, "version": version}, format="json"
    )
    assert forbidden.status_code == 403


def test_api_revision_of_a_closed_order_is_a_409(make_order, buyer, client_for):
    order = make_order()
    orders.close_purchase_order(user=buyer, order_id=order.id)
    order.refresh_from_db()
    [line] = order.lines.all()
    response = client_for(buyer).post(
        f"{URL}{order.id}/revise/",
        {
            "version": order.version,
            "reason": "too late",
            "lines": [{"id": line.id, "sku": line.sku_id, "quantity": "1"}],
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "revision_not_allowed"
    assert "revise" not in client_for(buyer).get(f"{URL}{order.id}/").json()["available_actions"]


def test_the_pdf_lists_the_revisions(make_order, buyer, client_for):
    from storeledger.purchasing.sheets import load_purchase_order, purchase_order_sheet

    order = make_order()
    [line] = order.lines.all()
    _revise(order, buyer, [_line(line, "9")], reason="one box less")
    with translation.override("en"):
        sheet = purchase_order_sheet(load_purchase_order(buyer, "purchase_order", order.id), buyer)
    assert ("Revision", "2") in sheet.fields
    [remark] = sheet.remarks
    assert remark.startswith("Revision 2 (In force without approval) buyer")
    assert remark.endswith("4,000.00 → 3,600.00: one box less")


def test_an_approved_order_cancelled_while_its_revision_awaits_approval(make_order, buyer):
    create_two_level_rules()
    order = make_order(send=False)  # approved, ¥4,000
    [line] = order.lines.all()
    pending = _revise(order, buyer, [_line(line, "20")], reason="double it")  # ¥8,000
    assert (pending.status, pending.revision_pending_status) == (S.SUBMITTED, S.APPROVED)
    cancelled = orders.cancel_purchase_order(user=buyer, order_id=order.id)
    assert (cancelled.status, cancelled.revision_pending_status) == (S.CANCELLED, "")
    revision = PurchaseOrderRevision.objects.get(order=order)
    assert (revision.status, revision.decided_by) == (REV.REJECTED, buyer)
    assert not ApprovalStep.objects.filter(
        document_type="purchaseorder", document_id=order.id, status=ApprovalStepStatus.PENDING
    ).exists()
    assert selectors.on_order() == {}
