"""partners' API resources in the generic contract tests (storeledger.testing.contract):
suppliers, customers and member levels are chain-wide."""

from __future__ import annotations

from decimal import Decimal

from storeledger.partners.models import Customer, MemberLevel, Supplier
from storeledger.testing.contract import Operation, Resource, register


def _master(model: str, *, create, update) -> tuple[Operation, ...]:
    perm = f"partners.{{}}_{model}"
    return (
        Operation.list(perm.format("view")),
        Operation.retrieve(perm.format("view")),
        Operation.create(perm.format("add"), payload=create),
        Operation.update(perm.format("change"), payload=update),
        Operation.delete(perm.format("delete")),
    )


register(
    Resource(
        name="suppliers",
        make=lambda world, store: Supplier.objects.create(code=world.code("S"), name="供应商"),
        operations=_master(
            "supplier",
            create=lambda world, store: {"code": world.code("S"), "name": "新供应商"},
            update=lambda world, supplier: {"name": "改名"},
        ),
    )
)
register(
    Resource(
        name="customers",
        make=lambda world, store: Customer.objects.create(
            code=world.code("C"), name="客户", credit_limit=Decimal(0)
        ),
        operations=_master(
            "customer",
            create=lambda world, store: {"code": world.code("C"), "name": "新客户"},
            update=lambda world, customer: {"name": "改名"},
        ),
    )
)
register(
    Resource(
        name="member-levels",
        make=lambda world, store: MemberLevel.objects.create(code=world.code("M"), name="级"),
        operations=_master(
            "memberlevel",
            create=lambda world, store: {"code": world.code("M"), "name": "新级"},
            update=lambda world, level: {"name": "改名"},
        ),
    )
)
