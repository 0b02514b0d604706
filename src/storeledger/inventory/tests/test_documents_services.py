"""Stock documents (other stock-in/out, adjustment, scrap) through the services."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from storeledger.catalog.models import Tracking
from storeledger.core.errors import (
    InsufficientStock,
    OutOfScope,
    PermissionDenied,
    StaleVersion,
    StateConflict,
    ValidationFailed,
)
from storeledger.inventory.models import (
    Batch,
    Posting,
    ReasonCode,
    StockBalance,
    StockDocument,
    StockMove,
)
from storeledger.inventory.services import documents as svc
from storeledger.inventory.services.documents import StockLineInput as Line
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def stock(user, warehouse, sku, quantity, cost="2.00", **line):
    return svc.create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(quantity), unit_cost=Decimal(cost), **line)],
    )


def balance(warehouse, sku, batch=None):
    row = StockBalance.objects.filter(warehouse=warehouse, sku=sku, batch=batch).first()
    return (row.on_hand, row.value) if row else (Decimal(0), Decimal(0))


def test_stock_in_draft_to_posted_in_boxes(warehouse, sku, keeper, manager):
    box = sku.units.get().unit
    reason = ReasonCode.objects.get(kind="stock_in", code="GIFT")
    document = svc.create_stock_document(
        user=keeper,
        kind="stock_in",
        warehouse_id=warehouse.id,
        reason_id=reason.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(2), unit_id=box.id)],
    )
    day = timezone.localdate().strftime("%Y%m%d")
    assert document.number == f"RK-0001-{day}-0001"
    assert document.status == "draft"
    line = document.lines.get()
    assert (line.quantity, line.factor, line.base_quantity) == (
        Decimal(2),
        Decimal(12),
        Decimal(24),
    )
    assert line.unit_cost is None  # no cost given: posted at the balance's average

    svc.submit_stock_document(user=keeper, document_id=document.id)
    svc.approve_stock_document(user=manager, document_id=document.id)
    posted = svc.post_stock_document(user=keeper, document_id=document.id)

    assert posted.status == "posted"
    document.refresh_from_db()
    assert (document.submitted_by, document.approved_by, document.posted_by) == (
        keeper,
        manager,
        keeper,
    )
    assert balance(warehouse, sku) == (Decimal(24), Decimal("48.0000"))
    move = StockMove.objects.get()
    assert (move.move_type, move.quantity, move.value, move.line_id) == (
        "stock_in",
        Decimal(24),
        Decimal("48.0000"),
        line.id,
    )
    assert move.posting.key == f"stock_document:{document.id}:post"


def test_stock_in_without_cost_comes_in_at_the_moving_average(warehouse, sku, admin_user):
    """A customer return has no cost of its own: it must not be valued at the SKU's purchase
    price (2.00 here), which would drag the average down."""
    stock(admin_user, warehouse, sku, 10, cost="5.00")
    returned = ReasonCode.objects.get(kind="stock_in", code="CUSTOMER_RETURN")

    svc.create_and_post_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        reason_id=returned.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(2))],
    )

    assert balance(warehouse, sku) == (Decimal(12), Decimal("60.0000"))
    assert StockMove.objects.latest("id").unit_cost == Decimal("5.0000")


def test_stock_in_without_cost_into_an_empty_balance_uses_the_purchase_price(
    warehouse, sku, admin_user
):
    svc.create_and_post_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(3))],
    )
    assert balance(warehouse, sku) == (Decimal(3), Decimal("6.0000"))  # 3 × 2.00


def test_stock_out_adjustment_and_scrap_move_types_and_values(warehouse, sku, admin_user):
    stock(admin_user, warehouse, sku, 10, cost="3.00")
    for kind, quantity in [("stock_out", 2), ("adjustment", -3), ("adjustment", 1), ("scrap", 1)]:
        svc.create_and_post_stock_document(
            user=admin_user,
            kind=kind,
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(quantity))],
            reason_id=factories.reason().id if kind == "scrap" else None,
        )
    moves = list(StockMove.objects.order_by("id").values_list("move_type", "quantity", "value"))
    assert moves == [
        ("stock_in", Decimal(10), Decimal("30.0000")),
        ("stock_out", Decimal(-2), Decimal("-6.0000")),
        ("adjustment", Decimal(-3), Decimal("-9.0000")),
        ("adjustment", Decimal(1), Decimal("3.0000")),
        ("scrap", Decimal(-1), Decimal("-3.0000")),
    ]
    assert balance(warehouse, sku) == (Decimal(5), Decimal("15.0000"))


def test_stock_out_beyond_stock_changes_nothing(warehouse, sku, admin_user):
    stock(admin_user, warehouse, sku, 10)
    document = svc.create_stock_document(
        user=admin_user,
        kind="stock_out",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(11))],
    )
    with pytest.raises(InsufficientStock) as error:
        svc.post_stock_document(user=admin_user, document_id=document.id)
    assert error.value.details["available"] == "10.0000"
    document.refresh_from_db()
    assert document.status == "draft"
    assert StockMove.objects.count() == 1
    assert balance(warehouse, sku) == (Decimal(10), Decimal("20.0000"))
    # positive control: 10 can go
    svc.update_stock_document(
        user=admin_user,
        document_id=document.id,
        version=document.version,
        lines=[Line(sku_id=sku.id, quantity=Decimal(10))],
    )
    svc.post_stock_document(user=admin_user, document_id=document.id)
    assert balance(warehouse, sku) == (Decimal(0), Decimal(0))


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        ({"sku_id": 999999, "quantity": Decimal(1)}, "lines.0.sku", "unknown_sku"),
        ({"quantity": Decimal(-1)}, "lines.0.quantity", "bad_quantity"),
        ({"quantity": Decimal(0)}, "lines.0.quantity", "bad_quantity"),
        ({"quantity": Decimal("1.5")}, "lines.0.quantity", "bad_precision"),
        ({"quantity": Decimal(1), "unit": "kg"}, "lines.0.unit", "wrong_unit"),
        ({"quantity": Decimal(1), "location": "other"}, "lines.0.location", "wrong_location"),
        ({"quantity": Decimal(1), "batch_no": "B1"}, "lines.0.batch_no", "batch_not_allowed"),
    ],
)
def test_bad_lines_are_refused_and_create_nothing(
    warehouse, other_warehouse, sku, admin_user, line, field, code
):
    line = dict(line)
    line.setdefault("sku_id", sku.id)
    if line.pop("unit", None):
        line["unit_id"] = factories.unit("kg", "千克", 3).id
    if line.pop("location", None):
        line["location_id"] = Location.objects.create(warehouse=other_warehouse, code="A1").id
    with pytest.raises(ValidationFailed) as error:
        svc.create_stock_document(
            user=admin_user, kind="stock_in", warehouse_id=warehouse.id, lines=[Line(**line)]
        )
    assert error.value.code == code
    assert list(error.value.fields) == [field]
    assert StockDocument.objects.count() == 0
    assert Batch.objects.count() == 0


def test_reason_must_match_the_kind(warehouse, sku, admin_user):
    scrap_reason = ReasonCode.objects.get(kind="scrap", code="DAMAGED")
    with pytest.raises(ValidationFailed) as error:
        svc.create_stock_document(
            user=admin_user,
            kind="stock_out",
            warehouse_id=warehouse.id,
            reason_id=scrap_reason.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        )
    assert error.value.fields == {"reason": ["Choose a reason of this document kind."]}
    assert StockDocument.objects.count() == 0


def test_location_of_the_warehouse_is_kept(warehouse, sku, admin_user):
    location = Location.objects.create(warehouse=warehouse, code="A-01")
    stock(admin_user, warehouse, sku, 5, location_id=location.id)
    assert StockMove.objects.get().location_id == location.id


def test_posting_twice_is_a_conflict_and_changes_nothing(warehouse, sku, admin_user):
    document = stock(admin_user, warehouse, sku, 5)
    with pytest.raises(StateConflict):
        svc.post_stock_document(user=admin_user, document_id=document.id)
    assert StockMove.objects.count() == 1
    assert balance(warehouse, sku) == (Decimal(5), Decimal("10.0000"))


def test_reversing_a_draft_is_a_conflict(warehouse, sku, admin_user):
    document = svc.create_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
    )
    with pytest.raises(StateConflict):
        svc.reverse_stock_document(user=admin_user, document_id=document.id)
    assert StockDocument.objects.count() == 1
    assert Posting.objects.count() == 0


def test_warehouse_of_another_store_is_out_of_scope(other_warehouse, warehouse, sku, keeper):
    with pytest.raises(OutOfScope):
        svc.create_stock_document(
            user=keeper,
            kind="stock_in",
            warehouse_id=other_warehouse.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        )
    assert StockDocument.objects.count() == 0
    # positive control: the keeper's own warehouse is fine
    svc.create_stock_document(
        user=keeper,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
    )
    assert StockDocument.objects.count() == 1


def _user_without_skip(store):
    user = factories.user(roles=(), stores=(store,))
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="inventory",
            codename__in=["add_stockdocument", "post_stockdocument", "submit_stockdocument"],
        )
    )
    return user


def test_create_and_post_needs_the_skip_approval_permission(store, warehouse, sku, keeper):
    clerk = _user_without_skip(store)
    with pytest.raises(PermissionDenied):
        svc.create_and_post_stock_document(
            user=clerk,
            kind="stock_in",
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        )
    assert StockDocument.objects.count() == 0
    # a submitted document cannot be posted without approval either
    document = svc.create_stock_document(
        user=clerk,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
    )
    svc.submit_stock_document(user=clerk, document_id=document.id)
    with pytest.raises(PermissionDenied):
        svc.post_stock_document(user=clerk, document_id=document.id)
    assert StockMove.objects.count() == 0
    # positive control: the keeper may skip approval
    svc.post_stock_document(user=keeper, document_id=document.id)
    assert StockMove.objects.count() == 1


def test_approve_needs_the_approve_permission(warehouse, sku, keeper):
    document = svc.create_stock_document(
        user=keeper,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
    )
    svc.submit_stock_document(user=keeper, document_id=document.id)
    with pytest.raises(PermissionDenied):
        svc.approve_stock_document(user=keeper, document_id=document.id)
    document.refresh_from_db()
    assert document.status == "submitted"


def test_update_replaces_lines_and_checks_the_version(warehouse, sku, admin_user):
    other = factories.sku(code="SKU-TEA", name="绿茶")
    document = svc.create_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1)), Line(sku_id=sku.id, quantity=Decimal(2))],
    )
    svc.update_stock_document(
        user=admin_user,
        document_id=document.id,
        version=1,
        notes="changed",
        lines=[Line(sku_id=other.id, quantity=Decimal(7))],
    )
    document.refresh_from_db()
    assert (document.version, document.notes) == (2, "changed")
    assert list(document.lines.values_list("line_no", "sku_id", "quantity")) == [
        (1, other.id, Decimal(7))
    ]
    with pytest.raises(StaleVersion):
        svc.update_stock_document(user=admin_user, document_id=document.id, version=1, notes="x")
    document.refresh_from_db()
    assert document.notes == "changed"


def test_only_drafts_can_be_changed_or_deleted(warehouse, sku, admin_user):
    document = stock(admin_user, warehouse, sku, 1)
    with pytest.raises(StateConflict):
        svc.update_stock_document(
            user=admin_user, document_id=document.id, version=document.version, notes="x"
        )
    with pytest.raises(StateConflict):
        svc.delete_stock_document(user=admin_user, document_id=document.id)
    with pytest.raises(StateConflict):
        svc.cancel_stock_document(user=admin_user, document_id=document.id)
    assert StockDocument.objects.get().status == "posted"


def test_cancel_and_delete_a_draft(warehouse, sku, admin_user):
    first, second = (
        svc.create_stock_document(
            user=admin_user,
            kind="stock_out",
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        )
        for _ in range(2)
    )
    svc.cancel_stock_document(user=admin_user, document_id=first.id)
    svc.delete_stock_document(user=admin_user, document_id=second.id)
    first.refresh_from_db()
    assert (first.status, first.cancelled_by) == ("cancelled", admin_user)
    assert list(StockDocument.objects.values_list("id", flat=True)) == [first.id]


def test_reverse_a_stock_in(warehouse, sku, admin_user):
    document = stock(admin_user, warehouse, sku, 5, cost="2.50")
    reversal = svc.reverse_stock_document(user=admin_user, document_id=document.id)

    document.refresh_from_db()
    assert document.status == "reversed"
    assert document.reversed_by == admin_user
    assert reversal.reversal_of_id == document.id
    assert reversal.status == "posted"
    assert reversal.number != document.number
    assert reversal.number.startswith("RK-0001-")
    assert list(reversal.lines.values_list("quantity", "base_quantity")) == [
        (Decimal(-5), Decimal(-5))
    ]
    assert balance(warehouse, sku) == (Decimal(0), Decimal(0))
    reverse_move = StockMove.objects.get(posting__key=f"stock_document:{document.id}:reverse")
    assert (reverse_move.quantity, reverse_move.value) == (Decimal(-5), Decimal("-12.5000"))
    assert reverse_move.line_id == reversal.lines.get().id
    assert reverse_move.posting.reverses.key == f"stock_document:{document.id}:post"
    with pytest.raises(StateConflict):
        svc.reverse_stock_document(user=admin_user, document_id=document.id)
    assert verify_ledger().ok


def test_reversing_a_stock_in_whose_stock_is_gone_changes_nothing(warehouse, sku, admin_user):
    document = stock(admin_user, warehouse, sku, 5)
    svc.create_and_post_stock_document(
        user=admin_user,
        kind="stock_out",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(4))],
    )
    with pytest.raises(InsufficientStock):
        svc.reverse_stock_document(user=admin_user, document_id=document.id)
    document.refresh_from_db()
    assert document.status == "posted"
    assert StockDocument.objects.count() == 2
    assert StockMove.objects.count() == 2
    assert balance(warehouse, sku) == (Decimal(1), Decimal("2.0000"))


def test_batch_stock_in_creates_the_batch_and_stock_out_goes_fefo(warehouse, admin_user):
    milk = factories.sku(code="SKU-MILK", name="牛奶", tracking=Tracking.BATCH, shelf_life_days=30)
    today = timezone.localdate()
    svc.create_and_post_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[
            Line(sku_id=milk.id, quantity=Decimal(4), batch_no="L2", production_date=today),
            Line(
                sku_id=milk.id,
                quantity=Decimal(4),
                batch_no="L1",
                expiry_date=today + datetime.timedelta(days=5),
            ),
            Line(
                sku_id=milk.id,
                quantity=Decimal(4),
                batch_no="OLD",
                expiry_date=today - datetime.timedelta(days=1),
            ),
        ],
    )
    l1, l2, old = (Batch.objects.get(batch_no=n) for n in ("L1", "L2", "OLD"))
    assert l2.expiry_date == today + datetime.timedelta(days=30)
    svc.create_and_post_stock_document(
        user=admin_user,
        kind="stock_out",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=milk.id, quantity=Decimal(6))],
    )
    assert balance(warehouse, milk, l1)[0] == 0
    assert balance(warehouse, milk, l2)[0] == 2
    assert balance(warehouse, milk, old)[0] == 4  # expired: not issued
    with pytest.raises(InsufficientStock):
        svc.create_and_post_stock_document(
            user=admin_user,
            kind="stock_out",
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=milk.id, quantity=Decimal(3))],
        )
    svc.create_and_post_stock_document(
        user=admin_user,
        kind="scrap",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=milk.id, quantity=Decimal(4), batch_id=old.id, allow_expired=True)],
        reason_id=factories.reason("scrap", "EXPIRED").id,
    )
    assert balance(warehouse, milk, old)[0] == 0


def test_batch_sku_stock_in_needs_a_batch(warehouse, admin_user):
    milk = factories.sku(code="SKU-MILK", name="牛奶", tracking=Tracking.BATCH)
    with pytest.raises(ValidationFailed) as error:
        svc.create_stock_document(
            user=admin_user,
            kind="stock_in",
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=milk.id, quantity=Decimal(1))],
        )
    assert error.value.code == "batch_required"
    assert StockDocument.objects.count() == 0


def test_central_warehouse_numbers_with_the_head_office_store(admin_user, sku):
    factories.store("0000", name="总部", is_head_office=True)
    central = factories.warehouse(None, code="CW")
    document = stock(admin_user, central, sku, 1)
    assert document.number.startswith("RK-0000-")
    assert document.store.code == "0000"


# ---------------------------------------------------------------- new batches on drafts


def _milk():
    return factories.sku(code="MILK-1L", tracking=Tracking.BATCH, shelf_life_days=10)


def _draft_in(user, warehouse, milk, **line):
    return svc.create_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=milk.id, quantity=Decimal(5), **line)],
    )


def test_a_new_batch_is_created_when_the_stock_in_is_posted(warehouse, admin_user):
    milk = _milk()
    made = datetime.date(2026, 11, 1)
    document = _draft_in(admin_user, warehouse, milk, batch_no="L7", production_date=made)
    line = document.lines.get()
    assert (line.batch_id, line.batch_no, line.expiry_date) == (
        None,
        "L7",
        datetime.date(2026, 11, 11),
    )
    assert not Batch.objects.filter(sku=milk).exists()

    # The draft's batch dates can still change before posting.
    later = datetime.date(2026, 12, 31)
    svc.update_stock_document(
        user=admin_user,
        document_id=document.id,
        version=document.version,
        lines=[Line(sku_id=milk.id, quantity=Decimal(5), batch_no="L7", expiry_date=later)],
    )
    svc.post_stock_document(user=admin_user, document_id=document.id)
    batch = Batch.objects.get(sku=milk, batch_no="L7")
    assert batch.expiry_date == later
    assert document.lines.get().batch == batch
    assert balance(warehouse, milk, batch)[0] == 5
    assert verify_ledger().ok


def test_a_deleted_draft_leaves_no_batch_behind(warehouse, admin_user):
    milk = _milk()
    document = _draft_in(admin_user, warehouse, milk, batch_no="L8")
    svc.delete_stock_document(user=admin_user, document_id=document.id)
    assert not Batch.objects.filter(sku=milk).exists()


def test_dates_that_contradict_an_existing_batch_are_refused(warehouse, admin_user):
    milk = _milk()
    stock(admin_user, warehouse, milk, "1", batch_no="L9", expiry_date=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationFailed) as error:
        _draft_in(admin_user, warehouse, milk, batch_no="L9", expiry_date=datetime.date(2027, 2, 1))
    assert error.value.code == "batch_dates_differ"
    assert "lines.0.expiry_date" in error.value.fields
    assert "L9" in str(error.value.message) and "2027-01-01" in str(error.value.message)
    # Naming the batch without dates (or with its own) takes it.
    document = _draft_in(admin_user, warehouse, milk, batch_no="L9")
    assert document.lines.get().batch == Batch.objects.get(sku=milk, batch_no="L9")


def test_two_drafts_naming_one_new_batch_with_other_dates_clash_at_posting(warehouse, admin_user):
    milk = _milk()
    first = _draft_in(
        admin_user, warehouse, milk, batch_no="LX", expiry_date=datetime.date(2027, 1, 1)
    )
    second = _draft_in(
        admin_user, warehouse, milk, batch_no="LX", expiry_date=datetime.date(2027, 3, 1)
    )
    svc.post_stock_document(user=admin_user, document_id=first.id)
    with pytest.raises(ValidationFailed) as error:
        svc.post_stock_document(user=admin_user, document_id=second.id)
    assert error.value.code == "batch_dates_differ"
    second.refresh_from_db()
    assert second.status == "draft"
    assert StockMove.objects.filter(sku=milk).count() == 1


def test_a_deactivated_sku_cannot_be_received_but_its_stock_can_leave(warehouse, sku, admin_user):
    stock(admin_user, warehouse, sku, "4")
    sku.active = False
    sku.save(update_fields=["active"])
    with pytest.raises(ValidationFailed) as error:
        stock(admin_user, warehouse, sku, "1")
    assert error.value.code == "inactive_sku"
    assert "lines.0.sku" in error.value.fields and sku.code in str(error.value.message)
    svc.create_and_post_stock_document(
        user=admin_user,
        kind="scrap",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(4))],
        reason_id=factories.reason().id,
    )
    assert balance(warehouse, sku)[0] == 0


def test_submitting_a_stock_out_beyond_stock_is_refused_and_writes_nothing(
    warehouse, sku, keeper, admin_user
):
    # An approver is not asked to approve a stock-out that cannot post.
    stock(admin_user, warehouse, sku, 96)
    postings, moves = Posting.objects.count(), StockMove.objects.count()
    document = svc.create_stock_document(
        user=keeper,
        kind="stock_out",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(5000))],
    )
    with pytest.raises(InsufficientStock) as error:
        svc.submit_stock_document(user=keeper, document_id=document.id)
    assert error.value.details["available"] == "96.0000"
    assert error.value.details["shortages"][0]["line_id"] == document.lines.get().id
    document.refresh_from_db()
    assert document.status == "draft"
    assert (Posting.objects.count(), StockMove.objects.count()) == (postings, moves)
    assert balance(warehouse, sku) == (Decimal(96), Decimal("192.0000"))
    # positive control: what the stock covers is submitted, and still nothing is posted
    svc.update_stock_document(
        user=keeper,
        document_id=document.id,
        version=document.version,
        lines=[Line(sku_id=sku.id, quantity=Decimal(96))],
    )
    svc.submit_stock_document(user=keeper, document_id=document.id)
    document.refresh_from_db()
    assert document.status == "submitted"
    assert (Posting.objects.count(), StockMove.objects.count()) == (postings, moves)
    assert balance(warehouse, sku) == (Decimal(96), Decimal("192.0000"))
    assert verify_ledger().ok


def test_a_stock_out_beyond_stock_posted_at_once_is_refused_as_short_not_for_approval(
    warehouse, sku, keeper, admin_user
):
    # 5000 × ¥50 is above the seeded ¥2,000 stock-out rule, but no approval could make it post
    stock(admin_user, warehouse, sku, 96, cost="50.00")
    lines = [Line(sku_id=sku.id, quantity=Decimal(5000))]
    with pytest.raises(InsufficientStock):
        svc.create_and_post_stock_document(
            user=keeper, kind="stock_out", warehouse_id=warehouse.id, lines=lines
        )
    assert not StockDocument.objects.filter(kind="stock_out").exists()
    # positive control: what the stock covers, above the rule's amount, waits for approval
    with pytest.raises(PermissionDenied) as caught:
        svc.create_and_post_stock_document(
            user=keeper,
            kind="stock_out",
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(96))],
        )
    assert caught.value.code == "approval_required"
    assert not StockDocument.objects.filter(kind="stock_out").exists()
    assert balance(warehouse, sku) == (Decimal(96), Decimal("4800.0000"))


# ---------------------------------------------------------------- a scrap says why


def scrap_draft(user, warehouse, sku, **extra):
    return svc.create_stock_document(
        user=user,
        kind="scrap",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        **extra,
    )


def assert_reason_required(error):
    assert error.value.code == "reason_required"
    assert error.value.fields == {"reason": ["Choose why the goods are scrapped."]}
    assert str(error.value.message) == "A scrap needs a reason: say why the goods are scrapped."


def test_a_scrap_without_a_reason_is_refused_and_saves_nothing(warehouse, sku, admin_user):
    stock(admin_user, warehouse, sku, 5)
    documents, moves = StockDocument.objects.count(), StockMove.objects.count()
    with pytest.raises(ValidationFailed) as error:
        scrap_draft(admin_user, warehouse, sku)
    assert_reason_required(error)
    with pytest.raises(ValidationFailed) as error:
        svc.create_and_post_stock_document(
            user=admin_user,
            kind="scrap",
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        )
    assert_reason_required(error)
    assert (StockDocument.objects.count(), StockMove.objects.count()) == (documents, moves)
    assert balance(warehouse, sku)[0] == 5
    # the same scrap with its reason goes through
    scrap = svc.create_and_post_stock_document(
        user=admin_user,
        kind="scrap",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        reason_id=factories.reason().id,
    )
    assert (scrap.status, scrap.reason.code) == ("posted", "DAMAGED")
    assert balance(warehouse, sku)[0] == 4


def test_the_other_kinds_keep_their_reason_optional(warehouse, sku, admin_user):
    stock(admin_user, warehouse, sku, 5)
    for kind, quantity in [("stock_out", 1), ("adjustment", -1), ("adjustment", 1)]:
        document = svc.create_and_post_stock_document(
            user=admin_user,
            kind=kind,
            warehouse_id=warehouse.id,
            lines=[Line(sku_id=sku.id, quantity=Decimal(quantity))],
        )
        assert (document.status, document.reason_id) == ("posted", None)
    assert balance(warehouse, sku)[0] == 4


def test_a_scrap_draft_cannot_lose_its_reason(warehouse, sku, admin_user):
    draft = scrap_draft(admin_user, warehouse, sku, reason_id=factories.reason().id)
    with pytest.raises(ValidationFailed) as error:
        svc.update_stock_document(
            user=admin_user, document_id=draft.id, version=draft.version, reason_id=None
        )
    assert_reason_required(error)
    draft.refresh_from_db()
    assert (draft.reason.code, draft.version) == ("DAMAGED", 1)
    # another reason is fine, and so is an edit that leaves the reason alone
    expired = factories.reason("scrap", "EXPIRED")
    changed = svc.update_stock_document(
        user=admin_user, document_id=draft.id, version=1, reason_id=expired.id
    )
    changed = svc.update_stock_document(
        user=admin_user, document_id=draft.id, version=changed.version, notes="过期"
    )
    assert (changed.reason_id, changed.notes) == (expired.id, "过期")


def test_an_old_scrap_draft_without_a_reason_must_get_one_before_it_posts(
    warehouse, sku, admin_user
):
    stock(admin_user, warehouse, sku, 5)
    draft = scrap_draft(admin_user, warehouse, sku, reason_id=factories.reason().id)
    StockDocument.objects.filter(pk=draft.pk).update(reason=None)  # saved before the rule
    moves = StockMove.objects.count()
    for service in (svc.submit_stock_document, svc.post_stock_document):
        with pytest.raises(ValidationFailed) as error:
            service(user=admin_user, document_id=draft.id)
        assert_reason_required(error)
    draft.refresh_from_db()
    assert (draft.status, StockMove.objects.count()) == ("draft", moves)
    with pytest.raises(ValidationFailed) as error:  # an edit without a reason neither
        svc.update_stock_document(
            user=admin_user, document_id=draft.id, version=draft.version, notes="x"
        )
    assert_reason_required(error)
    svc.update_stock_document(
        user=admin_user,
        document_id=draft.id,
        version=draft.version,
        reason_id=factories.reason("scrap", "LOST").id,
    )
    posted = svc.post_stock_document(user=admin_user, document_id=draft.id)
    assert (posted.status, posted.reason.code) == ("posted", "LOST")
    assert balance(warehouse, sku)[0] == 4


def test_a_posted_scrap_without_a_reason_is_still_a_409_when_posted_again(
    warehouse, sku, admin_user
):
    stock(admin_user, warehouse, sku, 5)
    scrap = svc.create_and_post_stock_document(
        user=admin_user,
        kind="scrap",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
        reason_id=factories.reason().id,
    )
    StockDocument.objects.filter(pk=scrap.pk).update(reason=None)  # posted before the rule
    with pytest.raises(StateConflict):
        svc.post_stock_document(user=admin_user, document_id=scrap.id)
    reversal = svc.reverse_stock_document(user=admin_user, document_id=scrap.id)
    assert (reversal.reason_id, balance(warehouse, sku)[0]) == (None, 5)


def test_without_an_active_scrap_reason_a_scrap_may_go_without_one(warehouse, sku, admin_user):
    # as the form: with no scrap reason to choose, a scrap could not be made at all
    stock(admin_user, warehouse, sku, 5)
    ReasonCode.objects.filter(kind="scrap").update(active=False)
    scrap = svc.create_and_post_stock_document(
        user=admin_user,
        kind="scrap",
        warehouse_id=warehouse.id,
        lines=[Line(sku_id=sku.id, quantity=Decimal(1))],
    )
    assert (scrap.status, scrap.reason_id) == ("posted", None)
    ReasonCode.objects.filter(kind="scrap", code="LOST").update(active=True)
    with pytest.raises(ValidationFailed) as error:
        scrap_draft(admin_user, warehouse, sku)
    assert_reason_required(error)
