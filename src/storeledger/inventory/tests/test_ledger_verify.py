from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from storeledger.inventory.ledger import MoveRequest, get_or_create_batch, post_moves
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.verify import verify_ledger
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def _post(key, moves):
    return factories.posting(key, moves)


@pytest.fixture
def history(warehouse, sku):
    _post("in1", [MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(2))])
    _post("out1", [MoveRequest(warehouse.id, sku.id, Decimal(-3), "stock_out")])
    _post("in2", [MoveRequest(warehouse.id, sku.id, Decimal(5), "stock_in", unit_cost=Decimal(4))])
    return StockBalance.objects.get(warehouse=warehouse, sku=sku)


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("verify_ledger", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_clean_ledger_passes_with_one_line_summary(history):
    out, err = _run()
    assert out == "ledger OK: 1 balances, 3 moves verified\n"
    assert err == ""


def test_stock_out_at_zero_cost_verifies_clean(warehouse):
    """Free goods: no purchase price, received without a cost, then issued. The issue's value
    is -0, which once hashed as "-0.0000" against the stored 0 (a false tamper alarm)."""
    free = factories.sku(code="FREE", purchase_price="0")
    _post("in", [MoveRequest(warehouse.id, free.id, Decimal(10), "stock_in")])
    _post("out", [MoveRequest(warehouse.id, free.id, Decimal(-1), "stock_out")])
    _post("rest", [MoveRequest(warehouse.id, free.id, Decimal(-9), "stock_out")])

    out, err = _run()

    assert out == "ledger OK: 1 balances, 3 moves verified\n"
    assert err == ""
    assert list(StockMove.objects.order_by("id").values_list("value", flat=True)) == [0, 0, 0]


def test_move_edited_in_database_is_named(history):
    _run()  # positive control: passes before the edit
    move = StockMove.objects.get(posting__key="out1")
    StockMove.objects.filter(pk=move.pk).update(quantity=Decimal(-2))

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_ledger", stdout=out, stderr=err)
    assert failure.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert (
        f"WH01 / SKU-COLA / - (balance {history.id}) move {move.id}: hash does not match"
        in (lines[0])
    )
    # The running totals after the edit no longer add up either, and the balance differs.
    assert any(
        "on_hand differs from the sum of its moves (expected 13, found 12)" in x for x in lines
    )
    assert "ledger verification FAILED" in str(failure.value)


def test_balance_edited_in_database_is_named(history):
    StockBalance.objects.filter(pk=history.pk).update(on_hand=Decimal(99), value=Decimal(1))
    result = verify_ledger()
    assert [str(d) for d in result.discrepancies] == [
        f"WH01 / SKU-COLA / - (balance {history.id}): on_hand differs from the sum of its "
        "moves (expected 12, found 99)",
        f"WH01 / SKU-COLA / - (balance {history.id}): value differs from the sum of its "
        "moves (expected 34, found 1)",
    ]
    with pytest.raises(CommandError):
        _run()


def test_broken_chain_and_last_hash_are_reported(history):
    first = StockMove.objects.filter(balance=history).order_by("id").first()
    StockMove.objects.filter(pk=first.pk).update(prev_hash="f" * 64)
    StockBalance.objects.filter(pk=history.pk).update(last_move_hash="e" * 64, move_count=7)
    problems = [d.problem for d in verify_ledger().discrepancies]
    assert problems == [
        "prev_hash does not continue the chain",
        "hash does not match the move's fields",
        "move_count differs",
        "last_move_hash is not the hash of the last move",
    ]


def test_filters_by_warehouse_and_sku(history, other_warehouse, sku):
    item = factories.sku(code="SKU-TEA", name="绿茶")
    _post(
        "in3",
        [
            MoveRequest(other_warehouse.id, item.id, Decimal(1), "stock_in", unit_cost=Decimal(1)),
            MoveRequest(other_warehouse.id, sku.id, Decimal(1), "stock_in", unit_cost=Decimal(1)),
        ],
    )
    StockMove.objects.filter(posting__key="in3", sku=item).update(value=Decimal(5))
    assert _run("--warehouse", "WH01")[0] == "ledger OK: 1 balances, 3 moves verified\n"
    assert _run("--sku", "SKU-COLA")[0] == "ledger OK: 2 balances, 4 moves verified\n"
    with pytest.raises(CommandError):
        _run("--warehouse", "WH02")
    result = verify_ledger(sku="SKU-TEA")
    assert {d.sku for d in result.discrepancies} == {"SKU-TEA"}


def test_database_refuses_negative_where_forbidden(warehouse):
    item = factories.sku(code="SKU-B", name="批次奶", tracking="batch")
    batch = get_or_create_batch(sku=item, batch_no="L1")
    _post("in", [MoveRequest(warehouse.id, item.id, Decimal(1), "stock_in", batch_id=batch.id)])
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(sku=item).update(on_hand=Decimal(-1))
    StockBalance.objects.filter(sku=item).update(on_hand=Decimal(2))  # positive control
    texts = [str(d) for d in verify_ledger().discrepancies]
    assert texts[0].startswith(f"WH01 / SKU-B / L1 (balance {batch.balances.get().id})")


def _posting_queries(warehouse, skus, key):
    moves = [
        MoveRequest(warehouse.id, s.id, Decimal(3), "stock_in", unit_cost=Decimal(1)) for s in skus
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        post_moves(
            key=key,
            document_type="test",
            document_id=1,
            document_number=key,
            event="post",
            user=None,
            moves=moves,
        )
    return len(captured.captured_queries)


def test_post_moves_query_count_does_not_grow_with_lines(warehouse):
    skus = [factories.sku(code=f"Q{i:03d}") for i in range(50)]
    # First postings create the balances (two more queries: insert + re-select).
    new5 = _posting_queries(warehouse, skus[:5], "a5")
    new50 = _posting_queries(warehouse, skus[5:], "a50")
    # Later postings find the balances.
    old5 = _posting_queries(warehouse, skus[:5], "b5")
    old50 = _posting_queries(warehouse, skus, "b50")
    assert new5 == new50
    assert old5 == old50
    assert new5 == old5 + 2
    assert old5 <= 10
