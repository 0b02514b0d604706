"""Idempotency-Key is atomic with the operation: the stored answer commits with the changes.

Fault injection: the process "dies" (an exception no handler catches, like a kill) at the
moment the answer is being stored, after the view and its service ran; a request that raises
leaves no pending key; a retry sent while the first request runs waits for it and gets its
answer."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.utils import timezone

from storeledger.core.models import IdempotencyRecord
from storeledger.core.tests import urls as test_urls
from storeledger.inventory.models import StockBalance, StockDocument, StockMove
from storeledger.inventory.services import documents as document_services
from storeledger.inventory.verify import verify_ledger
from storeledger.testing import factories

URL = "/api/v1/stock-outs/"


class ProcessDied(BaseException):
    """What a kill -9 looks like to the code: nothing after this point runs, no handler."""


def _stocked(warehouse, sku, admin_user, quantity="10"):
    document_services.create_and_post_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[
            document_services.StockLineInput(
                sku_id=sku.id, quantity=Decimal(quantity), unit_cost=Decimal("2.00")
            )
        ],
    )


def _stock_out(api, warehouse, sku, key, quantity="3"):
    return api.post(
        URL,
        {"warehouse": warehouse.id, "post": True, "lines": [{"sku": sku.id, "quantity": quantity}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def _on_hand(warehouse, sku):
    return StockBalance.objects.get(warehouse=warehouse, sku=sku).on_hand


def _age_claims():
    """Two minutes later: the old code then ran a pending key again."""
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))


@pytest.mark.django_db(transaction=True)
def test_death_after_the_service_ran_and_before_the_answer_is_stored_posts_once(
    client_for, admin_user, warehouse, sku, monkeypatch
):
    _stocked(warehouse, sku, admin_user)
    api = client_for(admin_user)
    original_update = QuerySet.update

    def dies_while_storing_the_answer(self, **kwargs):
        if self.model is IdempotencyRecord and "status_code" in kwargs:
            raise ProcessDied
        return original_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", dies_while_storing_the_answer)
    with pytest.raises(ProcessDied):
        _stock_out(api, warehouse, sku, "till-7-0001")
    monkeypatch.setattr(QuerySet, "update", original_update)
    connection.close()  # the process is gone, and its connection with it

    _age_claims()
    retried = _stock_out(api, warehouse, sku, "till-7-0001")
    assert retried.status_code == 201, retried.json()
    again = _stock_out(api, warehouse, sku, "till-7-0001")

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == retried.json()["id"]
    assert StockDocument.objects.filter(kind="stock_out").count() == 1
    assert StockMove.objects.filter(move_type="stock_out").count() == 1
    assert _on_hand(warehouse, sku) == Decimal(7)
    assert verify_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_a_request_that_raises_leaves_no_pending_key(
    client_for, admin_user, warehouse, sku, monkeypatch
):
    _stocked(warehouse, sku, admin_user)
    api = client_for(admin_user)

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(
        "storeledger.inventory.api.documents.services.create_and_post_stock_document",
        database_gone,
    )
    with pytest.raises(OperationalError):
        _stock_out(api, warehouse, sku, "till-7-0002")
    assert IdempotencyRecord.objects.count() == 0
    monkeypatch.undo()

    retried = _stock_out(api, warehouse, sku, "till-7-0002")  # at once: no 409 "still running"

    assert retried.status_code == 201, retried.json()
    assert StockDocument.objects.filter(kind="stock_out").count() == 1
    assert _on_hand(warehouse, sku) == Decimal(7)
    assert IdempotencyRecord.objects.get().status_code == 201


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_under_a_key_is_retried_as_a_whole(
    client_for, admin_user, warehouse, sku, monkeypatch
):
    """The service joins the key's transaction, so the retry moves to the key's boundary."""
    _stocked(warehouse, sku, admin_user)
    api = client_for(admin_user)
    real = document_services.create_and_post_stock_document
    calls = []

    def deadlocks_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            error = OperationalError("deadlock detected")
            error.sqlstate = "40P01"
            raise error
        return real(**kwargs)

    monkeypatch.setattr(
        "storeledger.inventory.api.documents.services.create_and_post_stock_document",
        deadlocks_once,
    )
    response = _stock_out(api, warehouse, sku, "till-7-0003")

    assert response.status_code == 201, response.json()
    assert len(calls) == 2
    assert StockDocument.objects.filter(kind="stock_out").count() == 1
    assert IdempotencyRecord.objects.get().status_code == 201


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("storeledger.core.tests.urls")
def test_a_server_error_answer_is_not_kept_and_rolls_back(client_for, admin_user, monkeypatch):
    """A 5xx is no result: the key is free again and nothing the view wrote stays."""
    from rest_framework.response import Response

    api = client_for(admin_user)
    test_urls.CALLS["count"] = 0
    original = test_urls.CountingView.post

    def writes_then_fails(self, request):
        factories.store("0099", name="half-done")
        return Response({"code": "error"}, status=503)

    monkeypatch.setattr(test_urls.CountingView, "post", writes_then_fails)
    failed = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-503")
    assert failed.status_code == 503
    from storeledger.org.models import Store

    assert not Store.objects.filter(code="0099").exists()
    assert IdempotencyRecord.objects.count() == 0
    monkeypatch.setattr(test_urls.CountingView, "post", original)
    again = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-503")
    assert again.status_code == 201


def _lock_waiters() -> int:
    """Backends of this database waiting for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("storeledger.core.tests.urls")
def test_a_retry_while_the_first_request_runs_waits_for_it_and_gets_its_answer(
    client_for, admin_user, monkeypatch
):
    """The running request's record is not committed: the retry's insert of the key waits on
    it and, once it commits, replays its answer. The view ran once."""
    test_urls.CALLS["count"] = 0
    inside, release = threading.Event(), threading.Event()
    original = test_urls.CountingView.post

    def held_open(self, request):
        if test_urls.CALLS["count"] == 0:
            inside.set()
            release.wait(20)
        return original(self, request)

    monkeypatch.setattr(test_urls.CountingView, "post", held_open)
    answers = {}

    def first_request():
        try:
            answers["first"] = client_for(admin_user).post(
                "/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-run"
            )
        finally:
            connection.close()

    def release_once_the_retry_waits():
        try:
            for _ in range(2000):
                if _lock_waiters():
                    answers["retry_waited"] = True
                    break
                threading.Event().wait(0.01)
        finally:
            release.set()
            connection.close()

    first = threading.Thread(target=first_request)
    first.start()
    assert inside.wait(20)
    watcher = threading.Thread(target=release_once_the_retry_waits)
    watcher.start()
    retry = client_for(admin_user).post(
        "/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-run"
    )
    first.join()
    watcher.join()

    assert answers.get("retry_waited") is True  # the race happened: the retry waited
    assert answers["first"].status_code == 201
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == answers["first"].json() == {"call": 1, "echo": 1}
    assert test_urls.CALLS["count"] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("storeledger.core.tests.urls")
def test_a_pending_key_left_by_an_older_version_runs_again(client_for, admin_user):
    """The old code committed a pending claim before its request ran; one left behind by a
    process that died never ran to an answer, so the key runs (once)."""
    api = client_for(admin_user)
    test_urls.CALLS["count"] = 0
    first = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-old")
    assert first.status_code == 201
    IdempotencyRecord.objects.filter(key="k-old").update(
        status_code=None
    )  # as the old code left it

    again = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-old")
    replayed = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-old")

    assert again.status_code == 201 and again.json()["call"] == 2
    assert replayed["Idempotent-Replayed"] == "true" and replayed.json()["call"] == 2
    assert test_urls.CALLS["count"] == 2
