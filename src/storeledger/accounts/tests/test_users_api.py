"""系统设置 → 用户 and 角色 over the API (/api/v1/users/, /api/v1/roles/): head office creates
users with roles and a data scope, changes them, deactivates them and resets passwords; the
roles are listed with their permissions, read-only."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from storeledger.accounts import tokens
from storeledger.accounts.models import ApiToken
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"
GOOD_PASSWORD = "Shelf-Count-2026"


def _create(client, store, **extra):
    body = {
        "username": "xiaoli",
        "full_name": "李小",
        "email": "li@example.com",
        "password": GOOD_PASSWORD,
        "roles": ["warehouse_keeper"],
        "all_stores": False,
        "stores": [store.pk],
        **extra,
    }
    return client.post(USERS, body, format="json")


def test_admin_creates_a_user_who_signs_in_and_sees_only_his_store(
    client_for, admin_user, store, other_store, warehouse, other_warehouse
):
    answer = _create(client_for(admin_user), store)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["username"] == "xiaoli"
    assert body["full_name"] == "李小"
    assert body["roles"] == ["warehouse_keeper"]
    assert body["all_stores"] is False
    assert body["stores"] == [store.pk]
    assert body["is_active"] is True

    browser = APIClient()
    login = browser.post(
        "/api/v1/auth/login/", {"username": "xiaoli", "password": GOOD_PASSWORD}, format="json"
    )
    assert login.status_code == 200, login.content
    me = login.json()
    assert me["roles"] == ["warehouse_keeper"]
    assert [s["code"] for s in me["scope"]["stores"]] == [store.code]
    assert [w["code"] for w in me["scope"]["warehouses"]] == [warehouse.code]
    assert "inventory.view_stockmove" in me["permissions"]


def test_the_list_shows_roles_and_scope_and_filters(client_for, admin_user, store, keeper):
    client = client_for(admin_user)
    rows = client.get(USERS, {"role": "warehouse_keeper"}).json()["results"]
    assert [r["username"] for r in rows] == ["keeper"]
    assert rows[0]["stores"] == [store.pk]
    found = client.get(USERS, {"search": "boss"}).json()["results"]
    assert [r["username"] for r in found] == ["boss"]
    assert found[0]["all_stores"] is True
    assert client.get(USERS, {"store": store.pk}).json()["count"] == 1


def test_the_user_list_costs_the_same_queries_for_more_users(
    client_for, admin_user, store, django_assert_max_num_queries
):
    client = client_for(admin_user)
    client.get(USERS)  # warm the access values
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(USERS).status_code == 200
    for index in range(6):
        factories.user(f"more{index}", roles=("cashier", "viewer"), stores=(store,))
    with django_assert_max_num_queries(len(few)):
        assert client.get(USERS).json()["count"] == 7


def test_changing_roles_and_scope_takes_effect_at_the_next_request(
    client_for, admin_user, keeper, store, other_store
):
    admin = client_for(admin_user)
    as_keeper = APIClient()
    as_keeper.force_authenticate(keeper)
    assert as_keeper.get("/api/v1/auth/me/").json()["scope"]["all_stores"] is False
    answer = admin.patch(
        f"{USERS}{keeper.pk}/",
        {"roles": ["store_manager"], "stores": [store.pk, other_store.pk]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["roles"] == ["store_manager"]
    assert answer.json()["stores"] == sorted([store.pk, other_store.pk])
    keeper.refresh_from_db()
    me = APIClient()
    me.force_authenticate(User.objects.get(pk=keeper.pk))
    after = me.get("/api/v1/auth/me/").json()
    assert after["roles"] == ["store_manager"]
    assert {s["code"] for s in after["scope"]["stores"]} == {store.code, other_store.code}


def test_deactivating_a_user_ends_sign_in_and_tokens(client_for, admin_user, keeper):
    _token, key = tokens.issue(user=keeper, name="scanner")
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/auth/me/").status_code == 200
    answer = client_for(admin_user).post(f"{USERS}{keeper.pk}/deactivate/")
    assert answer.status_code == 200, answer.content
    assert answer.json()["is_active"] is False
    assert not ApiToken.objects.filter(user=keeper).exists()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/auth/me/").status_code == 401
    login = APIClient().post(
        "/api/v1/auth/login/", {"username": "keeper", "password": "pass-1234-word"}, format="json"
    )
    assert login.status_code == 400
    assert login.json()["code"] == "invalid_credentials"
    again = client_for(admin_user).post(f"{USERS}{keeper.pk}/activate/")
    assert again.json()["is_active"] is True


def test_reset_password_revokes_tokens_and_the_new_password_signs_in(
    client_for, admin_user, keeper
):
    tokens.issue(user=keeper, name="a")
    tokens.issue(user=keeper, name="b")
    answer = client_for(admin_user).post(
        f"{USERS}{keeper.pk}/set-password/", {"password": GOOD_PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"revoked_tokens": 2}
    assert not ApiToken.objects.filter(user=keeper).exists()
    login = APIClient().post(
        "/api/v1/auth/login/", {"username": "keeper", "password": GOOD_PASSWORD}, format="json"
    )
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"username": "keeper"}, "username", "invalid"),  # taken
        ({"username": "KEEPER"}, "username", "invalid"),  # taken, another case
        ({"username": "  "}, "username", "invalid"),
        ({"password": "123"}, "password", "invalid"),  # too short and common
        ({"roles": ["king"]}, "roles", "invalid"),
        ({"stores": [999999]}, "stores", "invalid"),
        ({"stores": ["x"]}, "stores", "invalid"),
        ({"warehouses": [999999]}, "warehouses", "invalid"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"stores": [10**20]}, "stores", "number_out_of_range"),
    ],
)
def test_bad_input_is_a_400_in_the_error_shape(
    client_for, admin_user, keeper, store, body, field, code
):
    before = User.objects.count()
    answer = _create(client_for(admin_user), store, **body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == code
    assert any(key.split(".")[0] == field for key in answer.json()["fields"])
    assert User.objects.count() == before


def test_bad_updates_and_unknown_users(client_for, admin_user, keeper):
    client = client_for(admin_user)
    assert client.patch(f"{USERS}999999/", {"full_name": "x"}, format="json").status_code == 404
    assert client.post(f"{USERS}999999/deactivate/").status_code == 404
    short = client.post(f"{USERS}{keeper.pk}/set-password/", {"password": "keeper"}, format="json")
    assert short.status_code == 400
    assert "password" in short.json()["fields"]
    assert client.post(f"{USERS}{keeper.pk}/set-password/", [], format="json").status_code == 400
    assert client.put(f"{USERS}{keeper.pk}/", {}, format="json").status_code == 405
    # users are deactivated, never deleted: no role holds auth.delete_user
    assert client.delete(f"{USERS}{keeper.pk}/").status_code == 403
    assert User.objects.filter(pk=keeper.pk).exists()


def test_an_admin_cannot_lock_himself_out(client_for, admin_user):
    client = client_for(admin_user)
    answer = client.post(f"{USERS}{admin_user.pk}/deactivate/")
    assert answer.status_code == 400
    assert answer.json()["code"] == "deactivate_self"
    answer = client.patch(f"{USERS}{admin_user.pk}/", {"roles": ["viewer"]}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "own_admin_role"
    answer = client.patch(f"{USERS}{admin_user.pk}/", {"all_stores": False}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "own_scope"
    answer = client.post(
        f"{USERS}{admin_user.pk}/set-password/", {"password": GOOD_PASSWORD}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "own_password"
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert admin_user.check_password("pass-1234-word")
    assert admin_user.scope.all_stores is True
    assert list(admin_user.groups.values_list("name", flat=True)) == ["admin"]
    # positive control: the name is his to change
    assert (
        client.patch(f"{USERS}{admin_user.pk}/", {"full_name": "老板"}, format="json").json()[
            "full_name"
        ]
        == "老板"
    )


def test_a_superuser_is_changed_only_by_a_superuser(client_for, admin_user):
    root = User.objects.create_superuser("root", password=GOOD_PASSWORD)
    answer = client_for(admin_user).post(f"{USERS}{root.pk}/deactivate/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "superuser_protected"
    root.refresh_from_db()
    assert root.is_active
    # positive control: a superuser may
    other = User.objects.create_superuser("root2", password=GOOD_PASSWORD)
    assert client_for(root).post(f"{USERS}{other.pk}/deactivate/").status_code == 200


def test_store_managers_and_store_bound_admins_do_not_manage_users(
    client_for, manager, keeper, store
):
    # a store manager lacks the permission
    assert client_for(manager).get(USERS).status_code == 403
    assert client_for(manager).post(f"{USERS}{keeper.pk}/deactivate/").status_code == 403
    # an administrator bound to one store: head office only (could widen his own scope)
    local_admin = factories.user("local-admin", roles=("admin",), stores=(store,))
    answer = client_for(local_admin).patch(
        f"{USERS}{local_admin.pk}/", {"all_stores": True}, format="json"
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "head_office_only"
    assert client_for(local_admin).get(USERS).status_code == 403
    assert APIClient().get(USERS).status_code == 401


def test_roles_are_listed_with_their_permissions_in_the_language_asked(client_for, admin_user):
    client = client_for(admin_user)
    roles = client.get("/api/v1/roles/").json()
    assert [r["name"] for r in roles][:7] == [
        "admin",
        "store_manager",
        "warehouse_keeper",
        "cashier",
        "buyer",
        "finance",
        "viewer",
    ]
    keeper = next(r for r in roles if r["name"] == "warehouse_keeper")
    assert keeper["label"] == "Warehouse keeper"
    assert keeper["seeded"] is True
    codes = {p["code"]: p for p in keeper["permissions"]}
    assert codes["inventory.view_stockmove"]["action"] == "View"
    assert "reports.view_cost" not in codes
    admin = next(r for r in roles if r["name"] == "admin")
    assert admin["users"] == 1
    zh = client.get("/api/v1/roles/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    keeper_zh = next(r for r in zh if r["name"] == "warehouse_keeper")
    assert keeper_zh["label"] == "仓管员"
    move = next(p for p in keeper_zh["permissions"] if p["code"] == "inventory.view_stockmove")
    assert move["action"] == "查看"
    assert move["subject"] == "库存流水"
    # read-only: no add on roles (403 for the admin role, 405 even for a superuser)
    assert client.post("/api/v1/roles/", {"name": "x"}, format="json").status_code == 403
    root = User.objects.create_superuser("root", password=GOOD_PASSWORD)
    as_root = client_for(root)
    assert as_root.post("/api/v1/roles/", {"name": "x"}, format="json").status_code == 405


def test_a_username_follows_djangos_rule(client_for, admin_user, keeper):
    """The API took "a b" and "😀user" as user names, which the Django admin then refused to
    save; Chinese names and e-mail-like names stay allowed."""
    api = client_for(admin_user)
    for bad in ("a b", "😀user", "keeper#1"):
        body = {"username": bad, "password": GOOD_PASSWORD, "roles": ["viewer"], "all_stores": True}
        response = api.post("/api/v1/users/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400, (bad, response.json())
        assert list(response.json()["fields"]) == ["username"]
        assert "用户名" in response.json()["fields"]["username"][0]
    renamed = api.patch(f"/api/v1/users/{keeper.pk}/", {"username": "k 1"}, format="json")
    assert renamed.status_code == 400
    for good in ("张三", "li.si@shop", "wang_wu-2"):
        body = {
            "username": good,
            "password": GOOD_PASSWORD,
            "roles": ["viewer"],
            "all_stores": True,
        }
        assert api.post("/api/v1/users/", body, format="json").status_code == 201, good
    assert User.objects.filter(username__in=["a b", "😀user", "keeper#1", "k 1"]).count() == 0


def test_every_permission_subject_is_chinese_in_chinese(client_for, admin_user):
    """The Roles page in zh-CN named a dozen subjects in English: the lines of documents
    ("stock count line", "transfer line"), "posting", "document sequence" and django-axes'
    "access attempt"/"access log" — models without a translated verbose_name of their own."""
    zh = client_for(admin_user).get("/api/v1/roles/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    admin = next(r for r in zh if r["name"] == "admin")
    english = sorted(
        {p["subject"] for p in admin["permissions"] if re.search("[A-Za-z]", p["subject"])}
    )
    assert english == []
    subjects = {p["code"]: p["subject"] for p in admin["permissions"]}
    assert subjects["inventory.view_stockcountline"] == "盘点单明细"
    assert subjects["axes.view_accessattempt"] == "登录尝试"
    # positive control: in English they stay English
    en = client_for(admin_user).get("/api/v1/roles/", HTTP_ACCEPT_LANGUAGE="en").json()
    admin_en = next(r for r in en if r["name"] == "admin")
    subjects_en = {p["code"]: p["subject"] for p in admin_en["permissions"]}
    assert subjects_en["inventory.view_stockcountline"] == "stock count line"


def test_only_head_office_roles_see_the_roles(client_for, keeper):
    assert client_for(keeper).get("/api/v1/roles/").status_code == 403
