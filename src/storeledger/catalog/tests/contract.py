"""catalog's API resources in the generic contract tests (storeledger.testing.contract): the
catalogue is chain-wide, so every store's users see the same rows."""

from __future__ import annotations

from storeledger.catalog.models import Brand, Sku, Unit
from storeledger.catalog.services import save_category
from storeledger.testing import factories
from storeledger.testing.contract import Operation, Resource, register


def _master(model: str, *, create, update, extra=()) -> tuple[Operation, ...]:
    perm = f"catalog.{{}}_{model}"
    return (
        Operation.list(perm.format("view")),
        Operation.retrieve(perm.format("view")),
        Operation.create(perm.format("add"), payload=create),
        Operation.update(perm.format("change"), payload=update),
        Operation.delete(perm.format("delete")),
        *extra,
    )


def _category(world):
    return save_category(user=None, instance=None, data={"code": world.code("C"), "name": "合同类"})


register(
    Resource(
        name="categories",
        make=lambda world, store: _category(world),
        operations=_master(
            "category",
            create=lambda world, store: {"code": world.code("C"), "name": "新类"},
            update=lambda world, category: {"name": "改名"},
        ),
    )
)
register(
    Resource(
        name="brands",
        make=lambda world, store: Brand.objects.create(code=world.code("B"), name="牌"),
        operations=_master(
            "brand",
            create=lambda world, store: {"code": world.code("B"), "name": "新牌"},
            update=lambda world, brand: {"name": "改名"},
        ),
    )
)
register(
    Resource(
        name="units",
        make=lambda world, store: Unit.objects.create(code=world.code("U"), name="件"),
        operations=_master(
            "unit",
            create=lambda world, store: {"code": world.code("U"), "name": "袋"},
            update=lambda world, unit: {"name": "改名"},
        ),
    )
)


def _product_body(world, store) -> dict:
    code = world.code("P")
    return {
        "code": code,
        "name": "合同商品",
        "category": _category(world).id,
        "base_unit": factories.unit().id,
        "skus": [{"code": code, "purchase_price": "1.00", "retail_price": "2.00"}],
    }


def _toggles(app_model: str) -> tuple[Operation, ...]:
    return (
        Operation.action("deactivate", f"catalog.change_{app_model}"),
        Operation.action("activate", f"catalog.change_{app_model}"),
    )


register(
    Resource(
        name="products",
        make=lambda world, store: factories.sku(code=world.code("P")).product,
        operations=_master(
            "product",
            create=_product_body,
            update=lambda world, product: {"name": "改名"},
            extra=_toggles("product"),
        ),
    )
)


def _second_sku(world):
    """A SKU that is not its product's only one (the last SKU goes with its product)."""
    first = factories.sku(code=world.code("K"))
    return Sku.objects.create(
        product=first.product, code=world.code("K"), name="第二规格", purchase_price=1
    )


register(
    Resource(
        name="skus",
        make=lambda world, store: _second_sku(world),
        operations=_master(
            "sku",
            create=lambda world, store: {
                "product": factories.sku(code=world.code("P")).product_id,
                "code": world.code("K"),
                "name": "新规格",
            },
            update=lambda world, sku: {"retail_price": "9.90"},
            extra=_toggles("sku"),
        ),
    )
)
