"""Catalog changes need a head-office role (security probe S10); the seeded roles hold exactly
their permissions after a sync."""

import pytest
from django.contrib.auth.models import Group, Permission
from rest_framework.test import APIClient

from storeledger.accounts.roles import sync_roles
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def client_of(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_store_manager_cannot_change_the_chain_wide_catalog(store, sku):
    manager = client_of(factories.user("manager1", roles=("store_manager",), stores=(store,)))
    product = {"code": "NEW1", "name": "新品", "base_unit": sku.product.base_unit_id}
    assert manager.post("/api/v1/products/", product, format="json").status_code == 403
    price = manager.patch(f"/api/v1/skus/{sku.id}/", {"retail_price": "99.00"}, format="json")
    assert price.status_code == 403
    assert manager.get(f"/api/v1/skus/{sku.id}/").status_code == 200
    # positive control: the buyer (head office) may
    buyer = client_of(factories.user("buyer1", roles=("buyer",), all_stores=True))
    assert buyer.post("/api/v1/products/", product, format="json").status_code == 201
    price = buyer.patch(f"/api/v1/skus/{sku.id}/", {"retail_price": "99.00"}, format="json")
    assert price.status_code == 200


def test_sync_takes_a_removed_permission_away_from_a_seeded_role():
    manager = Group.objects.get(name="store_manager")
    stale = Permission.objects.get(codename="change_sku")
    manager.permissions.add(stale)
    own = Group.objects.create(name="regional buyers")
    own.permissions.add(stale)
    sync_roles()
    assert not manager.permissions.filter(pk=stale.pk).exists()
    assert own.permissions.filter(pk=stale.pk).exists()
    assert Group.objects.get(name="buyer").permissions.filter(pk=stale.pk).exists()
