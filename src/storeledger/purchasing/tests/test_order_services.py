"""Purchase order services: amounts to the fen, catalogue defaults, the life cycle through the
kernel, price checks, on-order quantities and short-closing."""

from decimal import Decimal

import pytest

from storeledger.core.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from storeledger.purchasing import selectors
from storeledger.purchasing.models import PurchaseOrderLine, PurchaseOrderStatus
from storeledger.purchasing.services import orders
from storeledger.purchasing.services.orders import OrderLineInput, order_line_amounts
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
S = PurchaseOrderStatus


@pytest.fixture
def approver(store):
    return factories.user("approver", roles=("store_manager",), stores=(store,))


def _order(buyer, supplier, warehouse, *lines, **kwargs):
    return orders.create_purchase_order(
        user=buyer,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        lines=list(lines),
        **kwargs,
    )


# ---------------------------------------------------------------- amounts


def test_tax_exclusive_line_rounds_net_then_tax_to_the_fen():
    amounts = order_line_amounts(
        quantity=Decimal(3),
        price=Decimal("3.3333"),
        tax_rate=Decimal(13),
        discount=Decimal(0),
        tax_included=False,
    )
    # 3 × 3.3333 = 9.9999 → 10.00; tax 1.30; gross 11.30
    assert (amounts.net, amounts.tax, amounts.gross) == (
        Decimal("10.00"),
        Decimal("1.30"),
        Decimal("11.30"),
    )


def test_tax_inclusive_line_rounds_gross_then_derives_net():
    amounts = order_line_amounts(
        quantity=Decimal(7),
        price=Decimal("1.99"),
        tax_rate=Decimal(9),
        discount=Decimal("5"),
        tax_included=True,
    )
    # 7 × 1.99 × 0.95 = 13.2335 → 13.23; net 13.23 / 1.09 = 12.1376… → 12.14; tax 1.09
    assert (amounts.gross, amounts.net, amounts.tax) == (
        Decimal("13.23"),
        Decimal("12.14"),
        Decimal("1.09"),
    )


def test_half_a_fen_rounds_up():
    amounts = order_line_amounts(
        quantity=Decimal(1),
        price=Decimal("0.005"),
        tax_rate=Decimal(0),
        discount=Decimal(0),
        tax_included=False,
    )
    assert amounts.net == Decimal("0.01")


def test_order_totals_are_the_sums_of_the_rounded_lines(buyer, wahaha, warehouse, sku):
    wahaha.prices_include_tax = False
    wahaha.save()
    # three lines of 1 × 0.335 at 13 %: each net 0.34 (0.335 → 0.34), tax 0.04 (0.0442)
    other = factories.sku(code="SKU-B")
    third = factories.sku(code="SKU-C")
    order = _order(
        buyer,
        wahaha,
        warehouse,
        *[
            OrderLineInput(sku_id=s.id, quantity=Decimal(1), price=Decimal("0.335"))
            for s in (sku, other, third)
        ],
    )
    assert order.total_net == Decimal("1.02")  # not round(1.005) = 1.01
    assert order.total_tax == Decimal("0.12")
    assert order.total_gross == Decimal("1.14")
    order.refresh_from_db()
    assert order.total_gross == Decimal("1.14")
    assert order.prices_include_tax is False


# ---------------------------------------------------------------- lines


def test_catalogue_defaults_unit_pack_size_price_and_tax(buyer, wahaha, warehouse, sku, box_unit):
    add_item(wahaha, sku, price="24.00", purchase_unit=box_unit, pack_size=Decimal(12))
    wahaha.tax_rate = Decimal(9)
    wahaha.save()
    order = _order(buyer, wahaha, warehouse, OrderLineInput(sku_id=sku.id, quantity=Decimal(2)))
    line = order.lines.get()
    assert (line.unit_id, line.factor, line.base_quantity) == (box_unit.id, 12, 24)
    assert line.price == Decimal("24.00")
    assert line.tax_rate == Decimal(9)
    assert line.gross_amount == Decimal("48.00")
    assert line.net_amount == Decimal("44.04")  # 48 / 1.09 = 44.036…
    assert order.number.startswith("CG-0001-")


def test_a_price_in_the_base_unit_is_the_catalogue_price_per_piece(
    buyer, wahaha, warehouse, sku, box_unit
):
    add_item(wahaha, sku, price="24.00", purchase_unit=box_unit, pack_size=Decimal(12))
    order = _order(
        buyer,
        wahaha,
        warehouse,
        OrderLineInput(sku_id=sku.id, quantity=Decimal(5), unit_id=sku.product.base_unit_id),
    )
    line = order.lines.get()
    assert (line.factor, line.price, line.gross_amount) == (1, Decimal("2.00"), Decimal("10.00"))


def test_a_sku_outside_the_catalogue_needs_a_price(buyer, wahaha, warehouse, sku):
    with pytest.raises(ValidationFailed) as caught:
        _order(buyer, wahaha, warehouse, OrderLineInput(sku_id=sku.id, quantity=Decimal(1)))
    assert caught.value.code == "price_required"
    assert "lines.0.price" in caught.value.fields


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("quantity", Decimal(0), "bad_quantity"),
        ("tax_rate", Decimal(17), "bad_tax_rate"),
        ("discount", Decimal(101), "bad_discount"),
        ("price", Decimal("-1"), "bad_price"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_created(
    buyer, wahaha, warehouse, sku, field, value, code
):
    values = {"sku_id": sku.id, "quantity": Decimal(1), "price": Decimal(2), field: value}
    with pytest.raises(ValidationFailed) as caught:
        _order(buyer, wahaha, warehouse, OrderLineInput(**values))
    assert caught.value.code == code
    assert f"lines.0.{field}" in caught.value.fields
    assert not PurchaseOrderLine.objects.exists()


def test_price_zero_or_far_below_the_last_needs_the_override_permission(
    buyer, admin_user, wahaha, warehouse, sku, box_unit
):
    add_item(wahaha, sku, price="24.00", purchase_unit=box_unit, pack_size=Decimal(12))
    for price in (Decimal(0), Decimal("19.19")):  # the margin is 20 %: 19.20 is the floor
        with pytest.raises(PermissionDenied) as caught:
            _order(
                buyer,
                wahaha,
                warehouse,
                OrderLineInput(sku_id=sku.id, quantity=Decimal(1), price=price),
            )
        assert caught.value.code == "price_override_required"
        assert "lines.0.price" in caught.value.fields
    # at the floor it is fine; the admin may order free goods
    _order(
        buyer,
        wahaha,
        warehouse,
        OrderLineInput(sku_id=sku.id, quantity=Decimal(1), price=Decimal("19.20")),
    )
    free = _order(
        admin_user,
        wahaha,
        warehouse,
        OrderLineInput(sku_id=sku.id, quantity=Decimal(1), price=Decimal(0)),
    )
    assert free.total_gross == 0


# ---------------------------------------------------------------- life cycle


def _priced(sku, quantity="10", price="2.00"):
    return OrderLineInput(
        sku_id=sku.id,
        quantity=Decimal(quantity),
        unit_id=sku.product.base_unit_id,
        price=Decimal(price),
    )


def test_life_cycle_submit_approve_by_another_user_send_close(
    buyer, approver, wahaha, warehouse, sku
):
    order = _order(buyer, wahaha, warehouse, _priced(sku))
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    order = orders.approve_purchase_order(user=approver, order_id=order.id)
    assert (order.status, order.approved_by) == (S.APPROVED, approver)
    order = orders.send_purchase_order(user=buyer, order_id=order.id)
    assert (order.status, order.sent_by) == (S.SENT, buyer)
    assert order.sent_at is not None
    order = orders.close_purchase_order(user=buyer, order_id=order.id, reason="缺货")
    order.refresh_from_db()
    assert (order.status, order.close_reason, order.closed_by) == (S.CLOSED, "缺货", buyer)


def test_the_creator_may_not_approve_own_order(admin_user, wahaha, warehouse, sku):
    order = _order(admin_user, wahaha, warehouse, _priced(sku))
    orders.submit_purchase_order(user=admin_user, order_id=order.id)
    with pytest.raises(PermissionDenied) as caught:
        orders.approve_purchase_order(user=admin_user, order_id=order.id)
    assert caught.value.code == "own_document"
    order.refresh_from_db()
    assert order.status == S.SUBMITTED


def test_a_buyer_may_not_approve(buyer, approver, wahaha, warehouse, sku):
    order = _order(approver, wahaha, warehouse, _priced(sku))
    orders.submit_purchase_order(user=approver, order_id=order.id)
    with pytest.raises(PermissionDenied) as caught:
        orders.approve_purchase_order(user=buyer, order_id=order.id)
    assert caught.value.code == "permission_denied"


def test_an_approved_order_cannot_be_edited(buyer, approver, wahaha, warehouse, sku):
    order = _order(buyer, wahaha, warehouse, _priced(sku))
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=approver, order_id=order.id)
    order.refresh_from_db()
    with pytest.raises(StateConflict) as caught:
        orders.update_purchase_order(
            user=buyer, order_id=order.id, version=order.version, lines=[_priced(sku, "99")]
        )
    assert caught.value.code == "state_conflict"
    assert order.lines.get().quantity == 10


def test_draft_update_replaces_lines_and_totals_with_a_version_check(buyer, wahaha, warehouse, sku):
    order = _order(buyer, wahaha, warehouse, _priced(sku))
    order = orders.update_purchase_order(
        user=buyer, order_id=order.id, version=1, lines=[_priced(sku, "5", "3.00")]
    )
    assert (order.version, order.total_gross) == (2, Decimal("15.00"))
    with pytest.raises(StateConflict) as caught:
        orders.update_purchase_order(user=buyer, order_id=order.id, version=1, notes="x")
    assert caught.value.code == "stale_version"


def test_an_order_outside_the_users_scope_is_not_found(wahaha, other_warehouse, warehouse, sku):
    other_buyer = factories.user("far", roles=("buyer",), warehouses=(other_warehouse,))
    order = _order(
        factories.user("near", roles=("buyer",), warehouses=(warehouse,)),
        wahaha,
        warehouse,
        _priced(sku),
    )
    with pytest.raises(NotFound):
        orders.submit_purchase_order(user=other_buyer, order_id=order.id)


# ---------------------------------------------------------------- on order


def test_on_order_counts_open_orders_and_short_close_releases_it(
    buyer, approver, wahaha, warehouse, sku
):
    draft = _order(buyer, wahaha, warehouse, _priced(sku, "100"))
    order = _order(buyer, wahaha, warehouse, _priced(sku, "10"), _priced(sku, "4"))
    assert selectors.on_order() == {}  # drafts expect nothing yet
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=approver, order_id=order.id)
    assert selectors.on_order() == {(warehouse.id, sku.id): Decimal(14)}
    # a line received beyond its quantity does not make the other line less open
    first, second = order.lines.order_by("line_no")
    PurchaseOrderLine.objects.filter(pk=first.pk).update(received_quantity=Decimal(12))
    assert selectors.on_order(warehouse_ids=[warehouse.id]) == {(warehouse.id, sku.id): Decimal(4)}
    orders.close_purchase_order(user=buyer, order_id=order.id)
    assert selectors.on_order() == {}
    assert draft.status == S.DRAFT


def test_cancel_from_draft_submitted_or_approved_but_not_after_sending(
    buyer, approver, wahaha, warehouse, sku
):
    order = _order(buyer, wahaha, warehouse, _priced(sku))
    orders.submit_purchase_order(user=buyer, order_id=order.id)
    orders.approve_purchase_order(user=approver, order_id=order.id)
    orders.send_purchase_order(user=buyer, order_id=order.id)
    with pytest.raises(StateConflict):
        orders.cancel_purchase_order(user=buyer, order_id=order.id)
    other = _order(buyer, wahaha, warehouse, _priced(sku))
    assert orders.cancel_purchase_order(user=buyer, order_id=other.id).status == S.CANCELLED
