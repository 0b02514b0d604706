"""An outflow at a given value (a purchase return at its receipt cost) split first-expiry-
first-out over batches: the moves add up to the value asked (each allocation once, not the
whole value on every batch)."""

import datetime
from decimal import Decimal

import pytest

from storeledger.inventory.ledger import MoveRequest, get_or_create_batch
from storeledger.inventory.verify import verify_ledger
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def test_a_given_value_is_shared_over_a_fefo_split(warehouse):
    milk = factories.sku(code="MILK", tracking="batch")
    early = get_or_create_batch(sku=milk, batch_no="A", expiry_date=datetime.date(2099, 1, 1))
    late = get_or_create_batch(sku=milk, batch_no="B", expiry_date=datetime.date(2099, 6, 1))
    factories.posting(
        "in",
        [
            MoveRequest(
                warehouse.id,
                milk.id,
                Decimal(2),
                "stock_in",
                batch_id=early.id,
                unit_cost=Decimal(1),
            ),
            MoveRequest(
                warehouse.id,
                milk.id,
                Decimal(5),
                "stock_in",
                batch_id=late.id,
                unit_cost=Decimal(5),
            ),
        ],
    )
    posting = factories.posting(
        "out",
        [MoveRequest(warehouse.id, milk.id, Decimal(-3), "purchase_return", value=Decimal("-10"))],
    )
    moves = sorted(posting.created_moves, key=lambda m: m.batch_id)
    # the early batch empties and leaves with what it held; the late one takes the rest
    assert [(m.batch_id, m.quantity, m.value) for m in moves] == [
        (early.id, -2, Decimal("-2")),
        (late.id, -1, Decimal("-8")),
    ]
    assert verify_ledger().ok
