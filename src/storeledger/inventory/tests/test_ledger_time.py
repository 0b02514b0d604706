"""Ledger time: a posting is stamped after its balances are locked and never before the last
move of a balance it locks, so within a balance time order is chain (id) order — what the
reports' "last move before t" openings rely on."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from storeledger.core.errors import StateConflict
from storeledger.inventory import ledger
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import Posting, StockBalance, StockMove
from storeledger.inventory.verify import verify_ledger
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def _in(key, warehouse, sku, quantity, at=None):
    return factories.posting(
        key,
        [MoveRequest(warehouse.id, sku.id, Decimal(quantity), "stock_in", unit_cost=Decimal(2))],
        at=at,
    )


def test_a_clock_behind_never_dates_a_move_before_the_balance_s_last_one(
    warehouse, other_warehouse, sku, monkeypatch
):
    first = _in("first", warehouse, sku, 5)
    real_now = timezone.now
    behind = datetime.timedelta(minutes=5)
    # Another app server whose clock is 5 minutes behind the one that posted `first`.
    monkeypatch.setattr(ledger.timezone, "now", lambda: real_now() - behind)

    second = _in("second", warehouse, sku, 3)
    elsewhere = _in("elsewhere", other_warehouse, sku, 1)  # positive control: a fresh balance

    monkeypatch.undo()
    moves = list(StockMove.objects.filter(warehouse=warehouse).order_by("id"))
    assert [m.posting.key for m in moves] == ["first", "second"]
    assert second.posted_at == first.posted_at
    assert moves[1].posted_at == moves[0].posted_at
    assert elsewhere.posted_at < first.posted_at  # the clock really was behind
    balance = StockBalance.objects.get(warehouse=warehouse, sku=sku)
    assert balance.last_posted_at == first.posted_at
    assert verify_ledger().ok


def test_the_balance_keeps_its_last_move_time_and_back_dating_is_checked_against_it(warehouse, sku):
    week_ago = timezone.now() - datetime.timedelta(days=7)
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    _in("old", warehouse, sku, 5, at=two_days_ago)
    balance = StockBalance.objects.get(warehouse=warehouse, sku=sku)
    assert balance.last_posted_at == two_days_ago

    with pytest.raises(StateConflict) as refused:
        _in("older", warehouse, sku, 1, at=week_ago)
    assert refused.value.code == "backdated_posting"
    assert not Posting.objects.filter(key="older").exists()

    _in("later", warehouse, sku, 1, at=two_days_ago + datetime.timedelta(hours=1))
    balance.refresh_from_db()
    assert balance.last_posted_at == two_days_ago + datetime.timedelta(hours=1)


def test_back_dating_reads_no_moves(warehouse, sku):
    """The check uses the locked balance row: a back-dated posting costs what a current one
    does."""
    _in("a", warehouse, sku, 5, at=timezone.now() - datetime.timedelta(days=3))
    with CaptureQueriesContext(connection) as current:
        _in("b", warehouse, sku, 1)
    with CaptureQueriesContext(connection) as backdated:
        _in("c", warehouse, sku, 1, at=timezone.now())  # given explicitly: checked
    assert len(backdated) == len(current)
    selects = [q["sql"] for q in backdated if q["sql"].lstrip().upper().startswith("SELECT")]
    assert selects and not any("inventory_stockmove" in sql for sql in selects)
