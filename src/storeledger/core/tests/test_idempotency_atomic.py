"""Idempotency-Key is atomic with the operation: the stored answer commits with the changes.

Fault injection: the process "dies" (an exception no handler catches, like a kill) at the
moment the answer is being stored, after the view and its service ran; a request that raises
leaves no pending key; a key whose request is still running answers 409 with Retry-After."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("storeledger.core.tests.urls")
def test_a_key_whose_request_runs_answers_409_and_a_dead_ones_runs_again(client_for, admin_user):
    """The running request holds the claim's row lock (PostgreSQL) or the write lock (SQLite);
    once it is gone without an answer, the key runs again at once."""
    api = client_for(admin_user)
    test_urls.CALLS["count"] = 0
    first = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-pg")
    assert first.status_code == 201
    record = IdempotencyRecord.objects.get(key="k-pg")
    IdempotencyRecord.objects.filter(pk=record.pk).update(status_code=None)
    locked, release = threading.Event(), threading.Event()

    def running_request():
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.select_for_update().get(pk=record.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=running_request)
    thread.start()
    assert locked.wait(10)
    try:
        in_flight = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-pg")
    finally:
        release.set()
        thread.join()
    assert in_flight.status_code == 409
    assert in_flight.json()["code"] == "idempotency_conflict"
    assert in_flight["Retry-After"] == "1"
    assert test_urls.CALLS["count"] == 1

    # Its holder is gone without an answer (it never committed): the key runs again at once.
    again = api.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-pg")
    assert again.status_code == 201
    assert test_urls.CALLS["count"] == 2
