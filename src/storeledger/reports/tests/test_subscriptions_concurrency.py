"""On PostgreSQL, two workers (or a beat run retried) sending the same due subscription at
once: the row lock makes the second wait for the first and then find the slot sent, so the
report is mailed once."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from storeledger.reports import subscriptions
from storeledger.reports.models import ReportSubscription
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_two_runs_at_once_mail_a_slot_once(monkeypatch):
    store = factories.store("0001")
    factories.warehouse(store, code="WH01")
    owner = factories.user("owner", roles=("store_manager",), stores=(store,))
    owner.email = "owner@example.com"
    owner.save()
    subscription = subscriptions.create_subscription(
        user=owner,
        data=subscriptions.SubscriptionInput(report="stock-status", frequency="daily", hour=8),
    )
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        active_since=datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI)
    )
    now = datetime.datetime(2026, 12, 7, 8, 2, tzinfo=SHANGHAI)
    # the sender keeps the row lock a moment while it renders and mails
    hold_locks(monkeypatch, subscriptions, "_deliver", seconds=0.4)
    outcomes: list[str] = []

    def worker():
        copy = ReportSubscription.objects.get(pk=subscription.pk)
        outcomes.append(subscriptions.send_subscription(copy, now).value)

    with LockWaits() as waits:
        results = race([worker, worker])
    assert results == ["ok", "ok"]
    assert sorted(outcomes) == ["not_due", "sent"]  # both tried; one sent
    assert waits.most >= 1  # the second waited for the first's row lock
    assert len(mail.outbox) == 1
    subscription.refresh_from_db()
    assert subscription.sent_slot == datetime.datetime(2026, 12, 7, 8, tzinfo=SHANGHAI)
