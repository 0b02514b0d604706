from decimal import Decimal

import pytest
from django.utils import timezone

from storeledger.core.errors import InsufficientStock, StateConflict
from storeledger.inventory.ledger import MoveRequest, get_or_create_batch
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def _post(key, moves, user=None):
    return factories.posting(key, moves, user=user)


def test_receipt_then_issue_uses_moving_average_cost(warehouse, sku):
    _post(
        "in1",
        [MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal("2.00"))],
    )
    _post(
        "in2",
        [MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal("3.00"))],
    )
    _post("out1", [MoveRequest(warehouse.id, sku.id, Decimal(-5), "stock_out")])

    balance = StockBalance.objects.get(warehouse=warehouse, sku=sku)
    assert balance.on_hand == Decimal(15)
    assert balance.value == Decimal("37.5000")
    out = StockMove.objects.get(posting__key="out1")
    assert out.unit_cost == Decimal("2.5000")
    assert out.value == Decimal("-12.5000")
    assert out.balance_quantity == Decimal(15)


def test_issue_beyond_stock_changes_nothing(warehouse, sku):
    _post("in1", [MoveRequest(warehouse.id, sku.id, Decimal(3), "stock_in", unit_cost=Decimal(2))])
    with pytest.raises(InsufficientStock) as error:
        _post("out1", [MoveRequest(warehouse.id, sku.id, Decimal(-4), "stock_out")])
    assert error.value.details["available"] == "3.0000"
    assert StockMove.objects.count() == 1
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == Decimal(3)


def test_same_posting_key_posts_once(warehouse, sku):
    _post("in1", [MoveRequest(warehouse.id, sku.id, Decimal(3), "stock_in", unit_cost=Decimal(2))])
    with pytest.raises(StateConflict):
        _post(
            "in1", [MoveRequest(warehouse.id, sku.id, Decimal(3), "stock_in", unit_cost=Decimal(2))]
        )
    assert StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand == Decimal(3)


def test_fefo_splits_across_batches_and_skips_expired(warehouse):
    import datetime

    item = factories.sku(code="MILK", name="纯牛奶", tracking="batch", shelf_life_days=30)
    today = timezone.localdate()
    expired = get_or_create_batch(
        sku=item, batch_no="B0", expiry_date=today - datetime.timedelta(days=1)
    )
    soon = get_or_create_batch(
        sku=item, batch_no="B1", expiry_date=today + datetime.timedelta(days=3)
    )
    later = get_or_create_batch(
        sku=item, batch_no="B2", expiry_date=today + datetime.timedelta(days=20)
    )
    for batch in (expired, soon, later):
        _post(
            f"in-{batch.batch_no}",
            [
                MoveRequest(
                    warehouse.id,
                    item.id,
                    Decimal(4),
                    "stock_in",
                    batch_id=batch.id,
                    unit_cost=Decimal(1),
                )
            ],
        )

    _post("out", [MoveRequest(warehouse.id, item.id, Decimal(-6), "stock_out")])

    moves = list(StockMove.objects.filter(posting__key="out").order_by("id"))
    assert [(m.batch_id, m.quantity) for m in moves] == [
        (soon.id, Decimal(-4)),
        (later.id, Decimal(-2)),
    ]
    with pytest.raises(InsufficientStock):
        _post("out2", [MoveRequest(warehouse.id, item.id, Decimal(-3), "stock_out")])
    _post(
        "out3", [MoveRequest(warehouse.id, item.id, Decimal(-3), "stock_out", allow_expired=True)]
    )
    assert StockBalance.objects.get(batch=expired).on_hand == Decimal(1)


def test_receipt_into_balance_left_negative_by_an_earlier_policy(warehouse, sku):
    warehouse.allow_negative_stock = True
    warehouse.save()
    _post("out", [MoveRequest(warehouse.id, sku.id, Decimal(-5), "stock_out")])
    warehouse.allow_negative_stock = False
    warehouse.save()
    # Used to fail with an IntegrityError (the check constraint) instead of posting.
    _post("in", [MoveRequest(warehouse.id, sku.id, Decimal(2), "stock_in", unit_cost=Decimal(2))])
    balance = StockBalance.objects.get(warehouse=warehouse, sku=sku)
    assert (balance.on_hand, balance.allow_negative) == (Decimal(-3), True)
    with pytest.raises(InsufficientStock):
        _post("out2", [MoveRequest(warehouse.id, sku.id, Decimal(-1), "stock_out")])
    _post("in2", [MoveRequest(warehouse.id, sku.id, Decimal(3), "stock_in", unit_cost=Decimal(2))])
    balance.refresh_from_db()
    assert (balance.on_hand, balance.value, balance.allow_negative) == (0, 0, False)


def test_quantity_below_ledger_precision_is_zero(warehouse, sku):
    from storeledger.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        _post("tiny", [MoveRequest(warehouse.id, sku.id, Decimal("0.00001"), "stock_in")])
    assert error.value.code == "zero_quantity"
    assert StockMove.objects.count() == 0


def test_fefo_negative_rest_stays_one_move_per_batch(warehouse):
    import datetime

    warehouse.allow_negative_stock = True
    warehouse.save()
    item = factories.sku(code="YOG", name="酸奶", tracking="batch")
    today = timezone.localdate()
    first = get_or_create_batch(
        sku=item, batch_no="Y1", expiry_date=today + datetime.timedelta(days=2)
    )
    second = get_or_create_batch(
        sku=item, batch_no="Y2", expiry_date=today + datetime.timedelta(days=9)
    )
    _post(
        "in",
        [
            MoveRequest(warehouse.id, item.id, Decimal(2), "stock_in", batch_id=first.id),
            MoveRequest(warehouse.id, item.id, Decimal(1), "stock_in", batch_id=second.id),
        ],
    )
    _post("out", [MoveRequest(warehouse.id, item.id, Decimal(-5), "stock_out")])
    moves = list(StockMove.objects.filter(posting__key="out").order_by("id"))
    assert [(m.batch_id, m.quantity) for m in moves] == [
        (first.id, Decimal(-4)),
        (second.id, Decimal(-1)),
    ]
    assert StockBalance.objects.get(batch=first).on_hand == Decimal(-2)


def test_transfer_in_takes_the_value_that_left(warehouse, other_warehouse, sku):
    _post("in", [MoveRequest(warehouse.id, sku.id, Decimal(4), "stock_in", unit_cost=Decimal(5))])
    _post(
        "tr",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(-3), "transfer_out"),
            MoveRequest(other_warehouse.id, sku.id, Decimal(3), "transfer_in", value_from=0),
        ],
    )
    target = StockBalance.objects.get(warehouse=other_warehouse, sku=sku)
    assert (target.on_hand, target.value) == (Decimal(3), Decimal(15))
    with pytest.raises(ValueError):
        _post(
            "bad",
            [MoveRequest(other_warehouse.id, sku.id, Decimal(1), "transfer_in", value_from=0)],
        )


def test_batch_of_another_sku_or_unknown_batch_is_refused(warehouse):
    from storeledger.core.errors import ValidationFailed

    milk = factories.sku(code="M1", tracking="batch")
    juice = factories.sku(code="J1", tracking="batch")
    batch = get_or_create_batch(sku=milk, batch_no="X")
    for batch_id in (batch.id, 987654):
        with pytest.raises(ValidationFailed) as error:
            _post(
                f"bad{batch_id}",
                [MoveRequest(warehouse.id, juice.id, Decimal(1), "stock_in", batch_id=batch_id)],
            )
        assert error.value.code == "unknown_batch"
    assert StockMove.objects.count() == 0
    assert StockBalance.objects.count() == 0
    _post("ok", [MoveRequest(warehouse.id, milk.id, Decimal(1), "stock_in", batch_id=batch.id)])
    assert StockBalance.objects.get().on_hand == 1


def test_move_hash_text_is_pinned():
    """The chain's hashed text never changes (verify_ledger re-hashes every existing chain):
    these digests were taken with the formula as first written."""
    import datetime
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from storeledger.inventory.ledger import move_hash

    move = SimpleNamespace(
        posting_id=42,
        posted_at=datetime.datetime(2026, 12, 6, 20, 15, 3, 120000, ZoneInfo("Asia/Shanghai")),
        warehouse_id=3,
        location_id=None,
        sku_id=17,
        batch_id=9,
        move_type="stock_out",
        quantity=Decimal("-2.5"),
        unit_cost=Decimal("1.23456"),
        value=Decimal("-3.0864"),
        balance_quantity=Decimal("0"),
        balance_value=Decimal("-0.0000"),
        line_id=None,
        reverses_id=88,
    )
    assert move_hash("ab" * 32, move) == (
        "4ab126a5908405f15f59b61074c753fc45cd6dc8ec4247efab5961c7bf7a2345"
    )
    other = SimpleNamespace(
        **{
            **vars(move),
            "location_id": 5,
            "batch_id": None,
            "line_id": 7,
            "reverses_id": None,
            "quantity": Decimal("4"),
            "value": Decimal("10.00005"),
        }
    )
    assert move_hash("0" * 64, other) == (
        "2542e4f6515893d412aaa7efd9d2fb44d364426fdd122394e46fdf7988122477"
    )


def test_posted_moves_are_the_instances_django_would_make(warehouse, sku):
    """The ledger fills the moves' `__dict__` directly: every concrete field is there, with the
    values read back, and the instance compares, hashes and saves-refuses as a loaded one."""
    posting = factories.posting(
        "dict-made", [MoveRequest(warehouse.id, sku.id, Decimal(4), "stock_in")]
    )
    (move,) = posting.created_moves
    attnames = {f.attname for f in StockMove._meta.concrete_fields}
    assert attnames <= set(vars(move))
    assert not move._state.adding and move.get_deferred_fields() == set()
    stored = StockMove.objects.get(pk=move.pk)
    assert move == stored
    assert {n: getattr(move, n) for n in attnames} == {n: getattr(stored, n) for n in attnames}
    assert move.posting is posting and move.balance.pk == stored.balance_id
