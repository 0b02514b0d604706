"""core's API resources in the generic contract tests (storeledger.testing.contract): the
approval rules, which administrators keep and every office role reads (chain-wide: no store
scope), and the document numbering (head office; a series belongs to a store)."""

from __future__ import annotations

from storeledger.core import approvals
from storeledger.testing import factories
from storeledger.testing.contract import Operation, Resource, register


def _rule(world, store):
    return approvals.save_rule(
        user=world.boss,
        values={
            "document_type": "stockdocument",
            "document_kind": "scrap",
            "name": world.code("R"),
            "quantity_above": 100,
        },
        levels=[approvals.LevelInput(1, "store_manager")],
    )


def _payload(world, store) -> dict:
    return {
        "document_type": "stockdocument",
        "document_kind": "adjustment",
        "name": world.code("R"),
        "amount_above": "800.00",
        "levels": [{"sequence": 1, "role": "store_manager", "scope": "document_store"}],
    }


register(
    Resource(
        name="approval-rules",
        make=_rule,
        operations=(
            Operation.list("core.view_approvalrule"),
            Operation.retrieve("core.view_approvalrule"),
            Operation.create("core.add_approvalrule", payload=_payload),
            Operation.update("core.change_approvalrule", payload=lambda w, rule: {"active": False}),
            Operation.delete("core.delete_approvalrule"),
        ),
    )
)


def _set_next(world, store) -> dict:
    return {"kind": "stock_in", "store": store.pk, "next_number": 500}


register(
    Resource(
        name="document-numbering",
        make=None,
        scoped=True,
        add_rows=lambda world, n: [factories.store() for _ in range(n)],
        operations=(
            Operation.list("core.view_documentsequence"),
            Operation(
                "set-next",
                "post",
                ("core.change_documentsequence",),
                200,
                detail=False,
                suffix="set-next/",
                payload=_set_next,
                out_of_scope=403,
            ),
        ),
    )
)
