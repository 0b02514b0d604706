"""purchasing's API resources in the generic contract tests (storeledger.testing.contract):
the supplier catalogue (chain-wide)."""

from __future__ import annotations

from decimal import Decimal

from storeledger.partners.models import Supplier
from storeledger.purchasing.services import SupplierItemData, create_supplier_item
from storeledger.testing import factories
from storeledger.testing.contract import Operation, Resource, register


def _supplier(world):
    return Supplier.objects.create(code=world.code("S"), name="供应商")


def _item(world, store):
    return create_supplier_item(
        user=world.boss,
        data=SupplierItemData(
            supplier=_supplier(world),
            sku=factories.sku(code=world.code("K")),
            price=Decimal("2.00"),
        ),
    )


VIEW, CHANGE = "purchasing.view_supplieritem", "purchasing.change_supplieritem"

register(
    Resource(
        name="supplier-items",
        make=_item,
        operations=(
            Operation.list(VIEW),
            Operation.retrieve(VIEW),
            Operation.create(
                "purchasing.add_supplieritem",
                payload=lambda world, store: {
                    "supplier": _supplier(world).id,
                    "sku": factories.sku(code=world.code("K")).id,
                    "price": "2.50",
                },
            ),
            Operation.update(CHANGE, payload=lambda world, item: {"item_code": "X-1"}),
            Operation.delete("purchasing.delete_supplieritem"),
            Operation.action("change-price", CHANGE, payload=lambda w, item: {"price": "3.10"}),
            Operation.action("set-preferred", CHANGE),
            Operation("prices", "get", (VIEW,), 200, suffix="prices/"),
        ),
    )
)
