"""A user's data scope is never contradictory nor empty for a store-bound role (系统设置 → 用户):
all stores (head office) with a list of stores beside it was taken, and which one counted was
unclear; a keeper, cashier or store manager given no store, no warehouse and not all stores was
created, and then saw nothing at all. Both are refused (400 on `stores`), in the service and
over the API; users already saved that way keep working until their roles or scope change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import translation

from storeledger.accounts import services
from storeledger.accounts.models import UserScope
from storeledger.accounts.roles import ROLE_NAMES, STORE_BOUND_ROLES
from storeledger.core.errors import ValidationFailed
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"
GOOD_PASSWORD = "Shelf-Count-2026"


def _create(actor, **values):
    return services.create_user(
        actor=actor,
        values=services.UserInput(**{"username": "xiaoli", **values}),
        password=GOOD_PASSWORD,
    )


def _update(actor, user, **values):
    return services.update_user(actor=actor, user_id=user.pk, values=services.UserInput(**values))


def _scope(user) -> tuple[bool, list[int], list[int]]:
    data_scope = UserScope.objects.get(user=user)
    return (
        data_scope.all_stores,
        sorted(data_scope.stores.values_list("id", flat=True)),
        sorted(data_scope.warehouses.values_list("id", flat=True)),
    )


# ---------------------------------------------------------------- the roles' declaration


def test_store_bound_roles_are_the_seeded_roles_that_cannot_change_the_chain_wide_catalog():
    """Head office's roles (admin, buyer) change chain-wide data (security probe S10); every
    other seeded role works with the data of stores."""
    change_product = Permission.objects.get(codename="change_product")
    head_office = {
        name
        for name in ROLE_NAMES
        if Group.objects.get(name=name).permissions.filter(pk=change_product.pk).exists()
    }
    assert head_office == {"admin", "buyer"}
    assert set(STORE_BOUND_ROLES) == set(ROLE_NAMES) - head_office


# ---------------------------------------------------------------- all stores and a list beside it


def test_all_stores_with_stores_or_warehouses_beside_it_is_refused(
    admin_user, store, other_warehouse
):
    with pytest.raises(ValidationFailed) as refused:
        _create(admin_user, roles=["buyer"], all_stores=True, stores=[store.pk])
    assert refused.value.code == "scope_contradiction"
    assert list(refused.value.fields) == ["stores"]
    with pytest.raises(ValidationFailed) as refused:
        _create(admin_user, roles=["buyer"], all_stores=True, warehouses=[other_warehouse.pk])
    assert refused.value.code == "scope_contradiction"
    assert list(refused.value.fields) == ["warehouses"]
    assert not User.objects.filter(username="xiaoli").exists()
    # positive control: all stores with empty lists, as the web UI sends it
    user = _create(admin_user, roles=["buyer"], all_stores=True, stores=[], warehouses=[])
    assert _scope(user) == (True, [], [])


def test_a_store_given_to_a_head_office_user_without_turning_all_stores_off_is_refused(
    admin_user, store
):
    buyer = factories.user("buyer", roles=("buyer",), all_stores=True)
    with pytest.raises(ValidationFailed) as refused:
        _update(admin_user, buyer, stores=[store.pk])
    assert refused.value.code == "scope_contradiction"
    assert _scope(buyer) == (True, [], [])
    _update(admin_user, buyer, all_stores=False, stores=[store.pk])
    assert _scope(buyer) == (False, [store.pk], [])


def test_turning_all_stores_on_clears_the_lists_kept_beside_it(
    admin_user, keeper, store, other_warehouse
):
    UserScope.objects.get(user=keeper).warehouses.set([other_warehouse])
    _update(admin_user, keeper, all_stores=True)
    assert _scope(keeper) == (True, [], [])


def test_a_name_change_leaves_an_old_contradictory_scope_alone(admin_user, store):
    old = factories.user("old", roles=("buyer",), all_stores=True, stores=(store,))
    _update(admin_user, old, full_name="老王")
    assert _scope(old) == (True, [store.pk], [])


# ---------------------------------------------------------------- a store-bound role with no scope


@pytest.mark.parametrize("role", sorted(STORE_BOUND_ROLES))
def test_a_store_bound_role_without_a_scope_is_refused_on_create(admin_user, role):
    with pytest.raises(ValidationFailed) as refused:
        _create(admin_user, roles=[role])
    assert refused.value.code == "scope_required"
    assert list(refused.value.fields) == ["stores"]
    assert str(ROLE_NAMES[role]) in refused.value.fields["stores"][0]
    assert not User.objects.filter(username="xiaoli").exists()


def test_the_refusal_names_the_roles_in_the_users_language(admin_user):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        _create(admin_user, roles=["warehouse_keeper", "cashier", "buyer"])
    message = refused.value.fields["stores"][0]
    assert "仓管员" in message and "收银员" in message and "总部" in message
    assert "采购员" not in message and "Warehouse" not in message


@pytest.mark.parametrize(
    "scope",
    [
        {"stores": "store"},
        {"warehouses": "central"},  # a keeper of the central warehouse only
        {"all_stores": True},
    ],
)
def test_a_store_bound_role_with_a_store_a_warehouse_or_all_stores_is_created(
    admin_user, store, scope
):
    central = factories.warehouse(None, code="CW", name="中心仓")
    ids = {"store": [store.pk], "central": [central.pk]}
    values = {key: ids[value] if isinstance(value, str) else value for key, value in scope.items()}
    user = _create(admin_user, roles=["warehouse_keeper"], **values)
    assert list(user.groups.values_list("name", flat=True)) == ["warehouse_keeper"]


@pytest.mark.parametrize(
    "roles", [[], ["admin"], ["buyer"], ["admin", "warehouse_keeper"], ["regional buyers"]]
)
def test_roles_that_are_not_store_bound_need_no_scope(admin_user, roles):
    Group.objects.get_or_create(name="regional buyers")  # a role of one's own
    user = _create(admin_user, roles=roles)
    assert _scope(user) == (False, [], [])


def test_updates_that_set_roles_or_scope_are_checked_others_are_not(admin_user, store):
    loose = factories.user("loose", roles=("warehouse_keeper",))  # saved before the rule
    # name and e-mail: left alone, the old user keeps working
    _update(admin_user, loose, full_name="赵刚", email="zhao@example.com")
    for values in (
        {"roles": ["cashier"]},
        {"stores": []},
        {"warehouses": []},
        {"all_stores": False},
        {"full_name": "赵", "roles": ["warehouse_keeper"], "stores": []},
    ):
        with pytest.raises(ValidationFailed) as refused:
            _update(admin_user, loose, **values)
        assert refused.value.code == "scope_required", values
        assert list(refused.value.fields) == ["stores"]
    loose.refresh_from_db()
    assert loose.get_full_name() == "赵刚"
    assert list(loose.groups.values_list("name", flat=True)) == ["warehouse_keeper"]
    # positive controls: a store, or a role that is not store-bound
    _update(admin_user, loose, stores=[store.pk])
    assert _scope(loose) == (False, [store.pk], [])
    other = factories.user("other", roles=("warehouse_keeper",))
    _update(admin_user, other, roles=["buyer"])


def test_taking_the_last_store_or_all_stores_from_a_keeper_is_refused(admin_user, keeper, store):
    with pytest.raises(ValidationFailed) as refused:
        _update(admin_user, keeper, stores=[])
    assert refused.value.code == "scope_required"
    assert _scope(keeper) == (False, [store.pk], [])
    head_office_keeper = factories.user("hq-keeper", roles=("warehouse_keeper",), all_stores=True)
    with pytest.raises(ValidationFailed):
        _update(admin_user, head_office_keeper, all_stores=False)
    assert _scope(head_office_keeper) == (True, [], [])


def test_a_superuser_stays_as_he_is(admin_user):
    root = User.objects.create_superuser("root", password=GOOD_PASSWORD)
    other = User.objects.create_superuser("root2", password=GOOD_PASSWORD)
    _update(root, other, roles=["warehouse_keeper"])
    assert list(other.groups.values_list("name", flat=True)) == ["warehouse_keeper"]


# ---------------------------------------------------------------- over the API


def _post(client, **extra):
    body = {"username": "xiaoli", "password": GOOD_PASSWORD, "roles": ["warehouse_keeper"]}
    return client.post(USERS, {**body, **extra}, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_api_refuses_a_keeper_without_a_store_in_the_error_shape(client_for, admin_user):
    answer = _post(client_for(admin_user), all_stores=False, stores=[], warehouses=[])
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert set(body) == {"code", "message", "fields", "details"}
    assert body["code"] == "scope_required"
    assert list(body["fields"]) == ["stores"]
    assert "Warehouse keeper" in body["fields"]["stores"][0]
    assert "head office" in body["message"]
    zh = client_for(admin_user).post(
        USERS,
        {"username": "xiaoli", "password": GOOD_PASSWORD, "roles": ["cashier"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert zh.status_code == 400
    assert zh.json()["fields"]["stores"][0].startswith("角色 收银员 需要门店")
    assert not User.objects.filter(username="xiaoli").exists()


def test_api_refuses_all_stores_with_stores_in_the_error_shape(client_for, admin_user, store):
    answer = _post(client_for(admin_user), all_stores=True, stores=[store.pk])
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert set(body) == {"code", "message", "fields", "details"}
    assert body["code"] == "scope_contradiction"
    assert list(body["fields"]) == ["stores"]
    assert "all stores" in body["fields"]["stores"][0]
    assert not User.objects.filter(username="xiaoli").exists()
    zh = client_for(admin_user).post(
        USERS,
        {"username": "xiaoli", "password": GOOD_PASSWORD, "all_stores": True, "stores": [store.pk]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "全部门店" in zh.json()["fields"]["stores"][0]


def test_api_patch_of_an_old_loose_user_and_of_head_office(client_for, admin_user, keeper, store):
    api = client_for(admin_user)
    loose = factories.user("loose", roles=("cashier",))
    assert (
        api.patch(f"{USERS}{loose.pk}/", {"email": "a@example.com"}, format="json").status_code
        == 200
    )
    refused = api.patch(
        f"{USERS}{loose.pk}/",
        {"roles": ["cashier"], "all_stores": False, "stores": []},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "scope_required"
    fixed = api.patch(f"{USERS}{loose.pk}/", {"stores": [store.pk]}, format="json")
    assert fixed.status_code == 200 and fixed.json()["stores"] == [store.pk]
    # head office: turning all stores on clears the keeper's store list
    moved = api.patch(f"{USERS}{keeper.pk}/", {"all_stores": True}, format="json")
    assert moved.status_code == 200, moved.content
    assert (moved.json()["all_stores"], moved.json()["stores"]) == (True, [])
