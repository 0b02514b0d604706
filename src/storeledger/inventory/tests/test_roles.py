"""Inventory contributes its own part of the seeded roles (inventory/roles.py, through its
AppConfig); accounts names none of inventory's models."""

import inspect

import pytest

from storeledger.accounts import roles

pytestmark = pytest.mark.django_db


def test_inventory_grants_its_permissions_from_its_own_app():
    granted = roles.role_permissions()
    assert "inventory.post_stockdocument" in granted["warehouse_keeper"]
    assert "inventory.skip_approval_stockdocument" in granted["warehouse_keeper"]
    assert "inventory.approve_stockdocument" not in granted["warehouse_keeper"]
    assert "inventory.reverse_transfer" in granted["store_manager"]
    assert "inventory.view_stockbalance" in granted["cashier"]
    assert "inventory.view_stockdocument" not in granted["cashier"]
    assert not any(p.startswith("inventory.") and "view_" not in p for p in granted["viewer"])
    assert "inventory" not in inspect.getsource(roles)
