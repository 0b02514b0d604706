"""On PostgreSQL, a snapshot build racing a back-dated posting: the posting has added itself to
the snapshots that existed (none yet) and is not committed when the builder starts. The builder
must wait for it (table locks, reports/snapshots.py) so that its month sums see the posting;
without the wait the new snapshot would miss it for good."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from storeledger.inventory.ledger import MoveRequest, post_moves
from storeledger.reports import snapshots
from storeledger.reports.models import StockSnapshot
from storeledger.reports.tests.test_snapshots import assert_snapshots_exact
from storeledger.testing import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _waiting_builders() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%%EXCLUSIVE MODE'"
        )
        return cursor.fetchone()[0]


def test_a_build_waits_for_an_uncommitted_backdated_posting():
    store = factories.store("0001")
    first, second = factories.warehouse(store, code="WH01"), factories.warehouse(store, code="WH02")
    sku = factories.sku(code="SKU-COLA")
    long_ago = timezone.now() - datetime.timedelta(days=100)
    factories.posting(
        "old",
        [MoveRequest(first.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(2))],
        at=long_ago,
    )
    posted, go = threading.Event(), threading.Event()
    errors: list[str] = []
    built: list = []

    def backdated_posting():
        try:
            with transaction.atomic():
                post_moves(
                    key="late",
                    document_type="test",
                    document_id=1,
                    document_number="late",
                    event="post",
                    user=None,
                    moves=[
                        MoveRequest(second.id, sku.id, Decimal(3), "stock_in", unit_cost=Decimal(5))
                    ],
                    posted_at=long_ago + datetime.timedelta(days=1),
                )
                posted.set()
                go.wait(timeout=30)
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            errors.append(f"{type(error).__name__}: {error}")
            posted.set()
        finally:
            connection.close()

    def build():
        try:
            built.extend(snapshots.build_snapshots())
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    poster = threading.Thread(target=backdated_posting)
    poster.start()
    assert posted.wait(timeout=30)
    builder = threading.Thread(target=build)
    builder.start()
    waited = 0
    for _ in range(200):
        waited = _waiting_builders()
        if waited:
            break
        time.sleep(0.05)
    go.set()
    poster.join()
    builder.join()
    assert errors == []
    assert waited == 1  # the builder was blocked by the open posting: the race happened
    assert len(built) >= 3
    assert_snapshots_exact()
    # the late posting's balance is in every snapshot, though it committed after the build began
    assert StockSnapshot.objects.filter(balance__warehouse=second).count() == len(built)
