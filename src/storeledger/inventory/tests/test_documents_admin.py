"""The inventory admin: every model is registered; the ledger and every document, draft or
posted, are read-only (changes go through the admin actions, see accounts/tests/test_admin_access.py)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from storeledger.inventory import models
from storeledger.inventory.services.documents import StockLineInput, create_and_post_stock_document

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    models.Batch,
    models.StockBalance,
    models.Posting,
    models.StockMove,
    models.Reservation,
    models.ReasonCode,
    models.StockDocument,
    models.Transfer,
    models.StockCount,
    models.StockCountEntry,
]


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(user)
    return client, user


def test_every_inventory_model_has_a_working_changelist(superuser_client):
    client, _user = superuser_client
    for model in ALL_MODELS:
        assert admin.site.is_registered(model), model
        url = reverse(f"admin:inventory_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_ledger_is_read_only_and_posted_documents_too(superuser_client, warehouse, sku):
    client, user = superuser_client
    document = create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(3))],
    )
    move = models.StockMove.objects.get()
    assert client.get(reverse("admin:inventory_stockmove_add")).status_code == 403
    page = client.get(
        reverse("admin:inventory_stockmove_change", args=[move.id]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 200
    # the title names the move in words, not "stock_in 12 3.0000"
    when = timezone.localtime(move.posted_at).strftime("%Y-%m-%d %H:%M")
    assert f"其他入库 {sku.code} +3 ({when})".encode() in page.content
    assert b'name="quantity"' not in page.content
    assert (
        client.post(reverse("admin:inventory_stockmove_delete", args=[move.id])).status_code == 403
    )
    assert (
        client.post(
            reverse("admin:inventory_stockbalance_delete", args=[move.balance_id])
        ).status_code
        == 403
    )
    page = client.get(reverse("admin:inventory_stockdocument_change", args=[document.id]))
    assert page.status_code == 200
    assert b'name="notes"' not in page.content
    assert b'name="lines-0-quantity"' not in page.content
    assert (
        client.post(reverse("admin:inventory_stockdocument_delete", args=[document.id])).status_code
        == 403
    )
    assert models.StockMove.objects.count() == 1
    # a draft is read-only too; positive control: the reason codes stay editable
    draft = models.StockDocument.objects.create(
        kind="stock_in", warehouse=warehouse, store=warehouse.store, number="X-1", created_by=user
    )
    page = client.get(reverse("admin:inventory_stockdocument_change", args=[draft.id]))
    assert page.status_code == 200
    assert b'name="notes"' not in page.content
    assert client.get(reverse("admin:inventory_stockdocument_add")).status_code == 403
    reason = models.ReasonCode.objects.filter(kind="stock_in").first()
    page = client.get(reverse("admin:inventory_reasoncode_change", args=[reason.id]))
    assert b'name="name"' in page.content


def test_reservations_are_read_only_in_the_admin(superuser_client):
    client, _user = superuser_client
    assert client.get(reverse("admin:inventory_reservation_add")).status_code == 403
