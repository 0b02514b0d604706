"""org's API resources in the generic contract tests (storeledger.testing.contract): stores and
warehouses are seen within the user's data scope, bin locations within their warehouse's."""

from __future__ import annotations

from storeledger.org.models import Location
from storeledger.testing import factories
from storeledger.testing.contract import Operation, Resource, register


def _master(model: str, *, create, update, make_fresh=None) -> tuple[Operation, ...]:
    perm = f"org.{{}}_{model}"
    return (
        Operation.list(perm.format("view")),
        Operation.retrieve(perm.format("view")),
        Operation.create(perm.format("add"), payload=create),
        Operation.update(perm.format("change"), payload=update),
        Operation.delete(perm.format("delete"), make=make_fresh),
    )


register(
    Resource(
        name="stores",
        # the store itself (a store of one's own is in scope, another is not); a fresh one to
        # delete is in no one's scope but the all-stores roles'
        make=lambda world, store: store,
        scoped=True,
        operations=_master(
            "store",
            create=lambda world, store: {"code": world.code("S"), "name": "合同店"},
            update=lambda world, store: {"manager": "张三"},
            make_fresh=lambda world, store: factories.store(world.code("S")),
        ),
        add_rows=lambda world, n: [factories.store(world.code("S")) for _ in range(n)],
    )
)

register(
    Resource(
        name="warehouses",
        make=lambda world, store: factories.warehouse(store, code=world.code("W")),
        scoped=True,
        operations=_master(
            "warehouse",
            create=lambda world, store: {
                "code": world.code("W"),
                "name": "合同仓",
                "store": store.id,
            },
            update=lambda world, warehouse: {"name": "改名"},
        ),
    )
)

register(
    Resource(
        name="locations",
        make=lambda world, store: Location.objects.create(
            warehouse=world.warehouse(store), code=world.code("L")
        ),
        scoped=True,
        operations=_master(
            "location",
            create=lambda world, store: {
                "warehouse": world.warehouse(store).id,
                "code": world.code("L"),
            },
            update=lambda world, location: {"name": "A区"},
        ),
    )
)

# The company settings: one row, read by everyone signed in, changed with org.change_company.
register(
    Resource(
        name="company",
        make=None,
        operations=(
            Operation("retrieve", "get", (), 200, detail=False),
            Operation(
                "update",
                "patch",
                ("org.change_company",),
                200,
                detail=False,
                payload=lambda world, store: {"phone": "021-6000 0000"},
            ),
        ),
    )
)
