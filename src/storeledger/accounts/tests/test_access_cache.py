"""Permissions and data scope kept per process between requests (accounts.access): used while
nothing changes, reloaded as soon as a change that decides access is committed — in this
process (signals) or in another one (the access version)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from storeledger.accounts import access, tokens
from storeledger.accounts.models import AccessVersion, UserScope
from storeledger.accounts.roles import sync_roles
from storeledger.inventory.services import documents as svc
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    sync_roles()


@pytest.fixture
def document(admin_user, warehouse, sku):
    return svc.create_and_post_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[svc.StockLineInput(sku_id=sku.id, quantity=Decimal(5), unit_cost=Decimal(2))],
    )


@pytest.fixture
def client(keeper, document):
    access.raise_version()  # the set-up is committed
    _token, key = tokens.issue(user=keeper, name="cache")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def get(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    return status, [q["sql"] for q in captured]


def loads_access(sqls: list[str]) -> bool:
    return any("auth_permission" in sql or "accounts_userscope" in sql for sql in sqls)


def detail(document) -> str:
    return f"/api/v1/stock-ins/{document.id}/"


def test_kept_between_requests_while_nothing_changes(client, document):
    first, first_sqls = get(client, detail(document))
    second, second_sqls = get(client, detail(document))
    assert first == second == 200
    assert loads_access(first_sqls)  # positive control: the first request loads them
    assert not loads_access(second_sqls)


def test_a_role_taken_away_applies_at_the_next_request(
    client, keeper, document, django_capture_on_commit_callbacks
):
    assert get(client, detail(document))[0] == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        keeper.groups.set([])
    assert callbacks  # the version goes up after the commit
    status, sqls = get(client, detail(document))
    assert status == 403
    assert loads_access(sqls)


def test_a_permission_taken_from_the_role_applies_at_the_next_request(
    client, document, django_capture_on_commit_callbacks
):
    assert get(client, detail(document))[0] == 200
    view = Permission.objects.get(codename="view_stockdocument")
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get(name="warehouse_keeper").permissions.remove(view)
    assert get(client, detail(document))[0] == 403


def test_a_store_taken_out_of_the_scope_applies_at_the_next_request(
    client, keeper, store, document, django_capture_on_commit_callbacks
):
    assert get(client, detail(document))[0] == 200
    with django_capture_on_commit_callbacks(execute=True):
        keeper.scope.stores.remove(store)
    assert get(client, detail(document))[0] == 404


def test_a_new_warehouse_of_the_user_s_store_is_in_scope_at_the_next_request(
    client, store, sku, admin_user, django_capture_on_commit_callbacks
):
    assert get(client, "/api/v1/stock-ins/")[0] == 200  # kept: the store's one warehouse
    with django_capture_on_commit_callbacks(execute=True):
        second = factories.warehouse(store, code="WH01-B")
    later = svc.create_and_post_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=second.id,
        lines=[svc.StockLineInput(sku_id=sku.id, quantity=Decimal(1), unit_cost=Decimal(2))],
    )
    assert get(client, detail(later))[0] == 200


def test_a_change_committed_by_another_process_applies_once_the_version_is_raised(
    client, keeper, store, document
):
    """Another process's change fires no signal here: this process sees the new access
    version that its commit raised."""
    assert get(client, detail(document))[0] == 200
    # the other process's change (no signal in this one) ...
    UserScope.stores.through.objects.filter(userscope__user=keeper, store=store).delete()
    # ... before its commit raised the version: this process still answers from what it kept
    assert get(client, detail(document))[0] == 200
    AccessVersion.objects.filter(pk=1).update(version=F("version") + 1)  # its commit
    assert get(client, detail(document))[0] == 404


def test_inside_a_transaction_that_changed_access_nothing_kept_is_used(client, keeper, document):
    assert get(client, detail(document))[0] == 200
    keeper.groups.set([])  # not committed yet (the test's transaction is still open)
    assert get(client, detail(document))[0] == 403


def test_a_deactivated_user_keeps_nothing(client, keeper, document):
    assert get(client, detail(document))[0] == 200
    keeper.is_active = False
    keeper.save(update_fields=["is_active"])
    assert get(client, detail(document))[0] == 401


def test_me_answers_kept_role_names_and_a_role_change_at_the_next_request(
    client, keeper, document, django_capture_on_commit_callbacks
):
    """GET /auth/me/ reads the role names kept with the permissions (no groups query while
    nothing changes); a role given or taken away shows at the next request."""
    client.get("/api/v1/auth/me/")  # loads and keeps
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/auth/me/")
    assert response.json()["roles"] == ["warehouse_keeper"]
    assert not any("auth_group" in q["sql"] for q in captured)
    assert (
        len(captured) == 4
    )  # the token (with user, profile, version), stores, warehouses, company
    with django_capture_on_commit_callbacks(execute=True):
        keeper.groups.add(Group.objects.get(name="viewer"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/auth/me/")
    assert response.json()["roles"] == ["viewer", "warehouse_keeper"]
    assert any("auth_group" in q["sql"] for q in captured)  # positive control: reloaded
    with django_capture_on_commit_callbacks(execute=True):
        keeper.groups.set([])
    assert client.get("/api/v1/auth/me/").status_code == 200
    assert client.get("/api/v1/auth/me/").json()["roles"] == []


def test_a_renamed_role_shows_at_the_next_request(
    client, keeper, document, django_capture_on_commit_callbacks
):
    assert client.get("/api/v1/auth/me/").json()["roles"] == ["warehouse_keeper"]
    group = Group.objects.get(name="warehouse_keeper")
    group.name = "keeper-renamed"
    with django_capture_on_commit_callbacks(execute=True):
        group.save()
    assert client.get("/api/v1/auth/me/").json()["roles"] == ["keeper-renamed"]
