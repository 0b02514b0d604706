import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.client import encode_multipart
from rest_framework.test import APIClient

from storeledger.core.errors import StaleVersion, StateConflict
from storeledger.core.lifecycle import new_number
from storeledger.core.numbering import next_document_number
from storeledger.core.tests import urls as test_urls
from storeledger.inventory.models import StockDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    user = User.objects.create_user("kernel")
    api = APIClient()
    api.force_authenticate(user)
    test_urls.CALLS["count"] = 0
    return api


def test_document_numbers_count_up_per_prefix_store_and_day():
    day = datetime.date(2026, 11, 29)
    with transaction.atomic():
        first = next_document_number(prefix="RK", store_code="0001", day=day)
        second = next_document_number(prefix="RK", store_code="0001", day=day)
        other_store = next_document_number(prefix="RK", store_code="0002", day=day)
        next_day = next_document_number(
            prefix="RK", store_code="0001", day=day + datetime.timedelta(1)
        )
    assert (first, second) == ("RK-0001-20261129-0001", "RK-0001-20261129-0002")
    assert other_store == "RK-0002-20261129-0001"
    assert next_day == "RK-0001-20261130-0001"


@pytest.mark.urls("storeledger.core.tests.urls")
def test_same_idempotency_key_and_body_replays_the_first_response(client):
    first = client.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() == {"call": 1, "echo": 1}
    assert again["Idempotent-Replayed"] == "true"
    assert test_urls.CALLS["count"] == 1
    # positive control: another key runs the view again
    assert (
        client.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-2").json()[
            "call"
        ]
        == 2
    )


@pytest.mark.urls("storeledger.core.tests.urls")
def test_same_idempotency_key_with_another_body_is_a_conflict(client):
    client.post("/count/", {"value": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = client.post("/count/", {"value": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert test_urls.CALLS["count"] == 1


def _multipart(client, boundary: str, value: str, content: bytes, key: str = "up-1"):
    """A file upload as a browser sends it: each attempt draws its own boundary."""
    data = {"value": value, "file": SimpleUploadedFile("skus.csv", content)}
    return client.post(
        "/count/",
        encode_multipart(boundary, data),
        content_type=f"multipart/form-data; boundary={boundary}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


@pytest.mark.urls("storeledger.core.tests.urls")
def test_retried_upload_with_a_new_boundary_replays_the_first_response(client):
    first = _multipart(client, "----attempt-one", "1", b"code,name\nA,Cola\n")
    again = _multipart(client, "----attempt-two", "1", b"code,name\nA,Cola\n")
    assert first.status_code == again.status_code == 201
    assert (
        again.json()
        == first.json()
        == {
            "call": 1,
            "echo": "1",
            "file": "skus.csv: code,name\nA,Cola\n",
        }
    )
    assert again["Idempotent-Replayed"] == "true"
    assert test_urls.CALLS["count"] == 1


@pytest.mark.urls("storeledger.core.tests.urls")
def test_same_key_with_another_file_or_field_is_a_conflict(client):
    assert _multipart(client, "----a", "1", b"code\nA\n").status_code == 201
    other_file = _multipart(client, "----b", "1", b"code\nB\n")
    other_field = _multipart(client, "----c", "2", b"code\nA\n")
    assert (other_file.status_code, other_field.status_code) == (409, 409)
    assert other_file.json()["code"] == "idempotency_conflict"
    assert test_urls.CALLS["count"] == 1
    # positive control: the same upload under a new key runs the view again
    assert _multipart(client, "----d", "1", b"code\nA\n", key="up-2").json()["call"] == 2


@pytest.mark.urls("storeledger.core.tests.urls")
def test_domain_errors_have_one_json_shape_and_are_replayed(client):
    response = client.post("/count/", {"fail": True}, format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert set(body) == {"code", "message", "fields", "details"}
    assert body["details"] == {"requested": "2"}
    again = client.post("/count/", {"fail": True}, format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    assert again.status_code == 409 and again.json() == body


def test_transition_refuses_a_wrong_state_and_a_stale_copy(warehouse, keeper):
    from storeledger.core.documents import transition

    with transaction.atomic():
        number = new_number("stock_in", warehouse.store.code)
    doc = StockDocument.objects.create(
        number=number,
        kind="stock_in",
        store=warehouse.store,
        warehouse=warehouse,
        created_by=keeper,
    )
    stale = StockDocument.objects.get(pk=doc.pk)
    transition(doc, allowed_from=["draft"], to="submitted", user=keeper)
    assert StockDocument.objects.get(pk=doc.pk).status == "submitted"
    assert doc.submitted_by == keeper and doc.version == 2
    with pytest.raises(StateConflict):
        transition(doc, allowed_from=["draft"], to="submitted", user=keeper)
    with pytest.raises(StaleVersion):
        transition(stale, allowed_from=["draft"], to="cancelled", user=keeper)
    assert StockDocument.objects.get(pk=doc.pk).status == "submitted"


@pytest.mark.urls("storeledger.core.tests.urls")
def test_token_request_with_idempotency_key_needs_no_csrf_token():
    from storeledger.accounts import tokens

    test_urls.CALLS["count"] = 0
    _token, key = tokens.issue(user=User.objects.create_user("script"), name="script")
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    first = api.post("/count/", {"value": 5}, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = api.post("/count/", {"value": 5}, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == {"call": 1, "echo": 5}
    assert test_urls.CALLS["count"] == 1


def test_state_action_permissions_come_from_the_registry():
    from storeledger.core import doctypes
    from storeledger.inventory.api.counts import StockCountViewSet
    from storeledger.inventory.api.documents import StockInViewSet

    registered = {a.name: a.permission for a in doctypes.document_type("stockdocument").actions}
    permissions = StockInViewSet().action_permissions
    assert permissions["post_document"] == registered["post"]
    assert {k: v for k, v in permissions.items() if k != "post_document"} == {
        k: v for k, v in registered.items() if k != "post"
    }
    counts = StockCountViewSet().action_permissions
    assert counts["post_document"] == "inventory.post_stockcount"
    assert counts["approve"] == "inventory.approve_stockcount"
    assert counts["add_entries"] == "inventory.count_stockcount"


def test_every_registered_action_starts_from_and_leads_to_statuses_of_its_type():
    import dataclasses

    from storeledger.core import doctypes

    registered = list(doctypes.registered())
    assert {d.key for d in registered} >= {"purchasereceipt", "supplierpayment", "transfer"}
    assert [m for d in registered for m in d.undeclared_statuses()] == []
    # positive control: an action from (or to) a status a receipt never has is reported, and
    # such a type is refused on registration
    receipts = doctypes.document_type("purchasereceipt")
    wrong = dataclasses.replace(
        receipts,
        actions=(
            *receipts.actions,
            dataclasses.replace(receipts.actions[0], name="x", allowed_from=("shipped",)),
            dataclasses.replace(receipts.actions[0], name="y", to=("counting",)),
        ),
    )
    assert wrong.undeclared_statuses() == [
        "purchasereceipt.x: shipped",
        "purchasereceipt.y: counting",
    ]
    with pytest.raises(ValueError, match="shipped"):
        doctypes.register(wrong)
    assert doctypes.document_type("purchasereceipt") is receipts


def test_each_inventory_document_type_has_only_its_own_statuses():
    from storeledger.core import doctypes

    statuses = {
        key: set(doctypes.document_type(key).statuses())
        for key in ("stockdocument", "transfer", "stockcount")
    }
    assert statuses == {
        "stockdocument": {"draft", "submitted", "approved", "posted", "reversed", "cancelled"},
        "transfer": {
            "draft",
            "submitted",
            "approved",
            "shipped",
            "partially_received",
            "posted",
            "reversed",
            "cancelled",
        },
        "stockcount": {
            "draft",
            "counting",
            "submitted",
            "approved",
            "posted",
            "reversed",
            "cancelled",
        },
    }
    transfers = doctypes.document_type("transfer").transitions()
    assert transfers["receive"] == (
        ("shipped", "partially_received"),
        ("partially_received", "posted"),
    )
    assert doctypes.document_type("stockcount").transitions()["start"] == (
        ("draft",),
        ("counting",),
    )


@pytest.mark.django_db
def test_a_transition_to_a_status_its_type_does_not_have_is_refused(admin_user, store, warehouse):
    from storeledger.core.documents import transition
    from storeledger.inventory.models import StockDocument

    document = StockDocument.objects.create(
        number="RK-T-1", kind="stock_in", store=store, warehouse=warehouse, created_by=admin_user
    )
    with pytest.raises(ValueError, match="no status 'shipped'"):
        transition(document, allowed_from=["draft"], to="shipped", user=admin_user)
    document.refresh_from_db()
    assert (document.status, document.version) == ("draft", 1)
    # positive control: a status the type has moves it
    transition(document, allowed_from=["draft"], to="submitted", user=admin_user)
    document.refresh_from_db()
    assert (document.status, document.version) == ("submitted", 2)


def test_every_type_with_approval_rules_links_each_kind_from_the_inbox():
    """The approvals inbox links each pending step to its document (`resource`, `url`): every
    type registered with the approval engine names the API resource of each of its kinds; a
    type whose submissions wait in the inbox without a rule has an approve action to decide
    them by."""
    from storeledger.core import doctypes

    typed = [d for d in doctypes.registered() if d.approval_facts is not None]
    assert {d.key for d in typed} >= {"stockdocument", "transfer", "purchaseorder"}
    assert [f"{d.key}.{kind}" for d in typed for kind in d.prefixes if not d.resource(kind)] == []
    by_permission = [d for d in doctypes.registered() if d.inbox_without_rule]
    assert {d.key for d in by_permission} == {"transfer"}
    assert all(d.action("approve").permission for d in by_permission)
    assert all(d.approval_facts is not None for d in by_permission)
