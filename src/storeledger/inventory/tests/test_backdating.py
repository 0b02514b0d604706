"""Back-dated entries: the services' `at` stamps the postings and every step of the document;
the ledger refuses a posting dated before the latest move of a balance it changes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from storeledger.core.errors import StateConflict, ValidationFailed
from storeledger.inventory.models import Posting, StockDocument, StockMove
from storeledger.inventory.services import counts, documents, transfers
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOW = timezone.now().replace(microsecond=0)


def days_ago(days: float) -> datetime.datetime:
    return NOW - days * DAY


def stock_in(user, warehouse, sku, quantity="10", **kwargs) -> StockDocument:
    return documents.create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[documents.StockLineInput(sku_id=sku.id, quantity=Decimal(quantity))],
        **kwargs,
    )


def test_a_back_dated_document_carries_the_time_on_every_step(keeper, warehouse, sku):
    at = days_ago(30)
    document = stock_in(keeper, warehouse, sku, at=at)

    document.refresh_from_db()
    assert (document.created_at, document.posted_at) == (at, at)
    assert document.document_date == timezone.localdate(at)
    assert timezone.localdate(at).strftime("%Y%m%d") in document.number
    assert Posting.objects.get(document_id=document.id).posted_at == at
    assert list(StockMove.objects.values_list("posted_at", flat=True)) == [at]

    reversal = documents.reverse_stock_document(user=keeper, document_id=document.id, at=at + DAY)
    reversal.refresh_from_db()
    document.refresh_from_db()
    assert (reversal.created_at, reversal.posted_at, document.reversed_at) == (at + DAY,) * 3
    assert set(StockMove.objects.values_list("posted_at", flat=True)) == {at, at + DAY}


def test_without_at_the_services_stamp_now(keeper, warehouse, sku):
    before = timezone.now()
    document = stock_in(keeper, warehouse, sku)
    document.refresh_from_db()
    assert before <= document.created_at <= document.posted_at <= timezone.now()
    assert before <= StockMove.objects.get().posted_at <= timezone.now()


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (timezone.now() + DAY, "future_time"),
        (timezone.make_naive(NOW - DAY), "naive_time"),
    ],
)
def test_a_time_in_the_future_or_without_zone_is_refused(keeper, warehouse, sku, at, code):
    with pytest.raises(ValidationFailed) as error:
        stock_in(keeper, warehouse, sku, at=at)
    assert error.value.code == code
    assert not StockDocument.objects.exists() and not StockMove.objects.exists()


def test_a_posting_before_a_balance_s_latest_move_is_refused(keeper, warehouse, sku):
    stock_in(keeper, warehouse, sku, at=days_ago(10))
    with pytest.raises(StateConflict) as error:
        stock_in(keeper, warehouse, sku, at=days_ago(20))
    assert error.value.code == "backdated_posting"
    assert "SKU-COLA" in str(error.value.message) and "WH01" in str(error.value.message)
    assert StockDocument.objects.count() == StockMove.objects.count() == 1  # nothing else

    # positive controls: after the latest move, and into a balance without moves, both post
    stock_in(keeper, warehouse, sku, at=days_ago(5))
    other = factories.sku(code="SKU-TEA")
    stock_in(keeper, warehouse, other, at=days_ago(20))
    assert StockMove.objects.count() == 3


def test_a_back_dated_transfer_ships_and_receives_at_its_times(
    admin_user, warehouse, other_warehouse, sku
):
    stock_in(admin_user, warehouse, sku, at=days_ago(3))
    transfer = transfers.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[transfers.TransferLineInput(sku_id=sku.id, quantity=Decimal(4))],
        at=days_ago(2),
    )
    transfers.ship_transfer(user=admin_user, transfer_id=transfer.id, at=days_ago(2))
    line = transfer.lines.get()
    transfers.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[transfers.ReceiveLineInput(line_id=line.id, quantity=Decimal(4))],
        at=days_ago(1),
    )
    transfer.refresh_from_db()
    assert (transfer.created_at, transfer.shipped_at) == (days_ago(2), days_ago(2))
    assert (transfer.received_at, transfer.posted_at) == (days_ago(1), days_ago(1))
    shipped = StockMove.objects.get(warehouse=warehouse, move_type="transfer_out")
    assert shipped.posted_at == days_ago(2)
    assert StockMove.objects.filter(warehouse=other_warehouse).get().posted_at == days_ago(1)


def test_a_back_dated_stock_count_snapshots_counts_and_posts_at_its_times(manager, warehouse, sku):
    stock_in(manager, warehouse, sku, at=days_ago(3))
    count = counts.create_stock_count(user=manager, warehouse_id=warehouse.id, at=days_ago(2))
    counts.start_stock_count(user=manager, count_id=count.id, at=days_ago(2))
    entries = [counts.CountEntryInput(quantity=Decimal(9), sku_id=sku.id)]
    counts.record_count(user=manager, count_id=count.id, entries=entries, at=days_ago(1.5))
    counts.submit_stock_count(user=manager, count_id=count.id, at=days_ago(1))
    counts.post_stock_count(user=manager, count_id=count.id, at=days_ago(1))

    count.refresh_from_db()
    assert (count.created_at, count.snapshot_at) == (days_ago(2), days_ago(2))
    assert (count.submitted_at, count.posted_at) == (days_ago(1), days_ago(1))
    line = count.lines.get()
    assert line.last_counted_at == days_ago(1.5)
    assert line.entries.get().counted_at == days_ago(1.5)
    loss = StockMove.objects.get(move_type="count_loss")
    assert (loss.quantity, loss.posted_at) == (Decimal(-1), days_ago(1))
