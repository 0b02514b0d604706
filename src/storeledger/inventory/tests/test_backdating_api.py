"""Migrating history over the API: documents posted at their real past time, in time order
per balance, by a user given the back-dating permission on purpose."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from storeledger.inventory.models import StockDocument, StockMove

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))


def stock_doc(warehouse, sku, quantity, posted_at, **extra):
    return {
        "warehouse": warehouse.id,
        "post": True,
        "posted_at": posted_at,
        "lines": [{"sku": sku.id, "quantity": quantity, **extra}],
    }


@pytest.fixture
def migrator(keeper):
    keeper.user_permissions.add(Permission.objects.get(codename="post_backdated"))
    return keeper


def test_history_posts_at_its_own_time_and_stock_at_a_past_date_shows_it(
    client_for, migrator, admin_user, warehouse, sku
):
    api = client_for(migrator)
    opening = api.post(
        "/api/v1/stock-ins/",
        stock_doc(warehouse, sku, "100", "2010-12-01T09:00:00+08:00", unit_cost="1.50"),
        format="json",
    )
    sale = api.post(
        "/api/v1/stock-outs/",
        stock_doc(warehouse, sku, "30", "2010-12-10T15:30:00+08:00"),
        format="json",
    )

    assert (opening.status_code, sale.status_code) == (201, 201), (opening.json(), sale.json())
    times = list(StockMove.objects.order_by("id").values_list("posted_at", flat=True))
    assert times == [
        datetime.datetime(2010, 12, 1, 9, tzinfo=TZ),
        datetime.datetime(2010, 12, 10, 15, 30, tzinfo=TZ),
    ]
    # read by someone who may see stock values (the migrating keeper may not)
    at = client_for(admin_user).get(
        "/api/v1/stock-at/",
        {"at": "2010-12-31T23:59:59+08:00", "warehouse": warehouse.id, "sku": sku.id},
    )
    assert at.status_code == 200, at.json()
    assert [(r["on_hand"], r["value"]) for r in at.json()["results"]] == [("70.0000", "105.0000")]


def test_history_out_of_time_order_for_a_balance_is_409(client_for, migrator, warehouse, sku):
    api = client_for(migrator)
    first = api.post(
        "/api/v1/stock-ins/", stock_doc(warehouse, sku, "10", "2010-12-10T09:00:00Z"), format="json"
    )
    assert first.status_code == 201
    late = api.post(
        "/api/v1/stock-outs/",
        stock_doc(warehouse, sku, "1", "2010-12-05T09:00:00Z"),
        format="json",
    )
    assert late.status_code == 409
    assert late.json()["code"] == "backdated_posting"
    assert StockDocument.objects.filter(kind="stock_out").count() == 0


def test_without_the_permission_a_posting_time_is_refused(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    response = api.post(
        "/api/v1/stock-ins/", stock_doc(warehouse, sku, "5", "2010-12-01T09:00:00Z"), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "backdating_not_allowed"
    assert StockDocument.objects.count() == 0
    # positive control: the same request without a time posts now
    body = stock_doc(warehouse, sku, "5", None)
    del body["posted_at"]
    assert api.post("/api/v1/stock-ins/", body, format="json").status_code == 201


def test_a_posting_time_without_posting_is_400(client_for, migrator, warehouse, sku):
    body = stock_doc(warehouse, sku, "5", "2010-12-01T09:00:00Z")
    body["post"] = False
    response = client_for(migrator).post("/api/v1/stock-ins/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "posted_at_without_post"
    assert list(response.json()["fields"]) == ["posted_at"]
    assert StockDocument.objects.count() == 0


def test_no_seeded_role_may_back_date(db):
    from django.contrib.auth.models import Group

    from storeledger.accounts.roles import sync_roles

    sync_roles()
    holders = Group.objects.filter(permissions__codename="post_backdated")
    assert list(holders) == []
    assert Group.objects.count() > 0  # positive control: the roles exist
