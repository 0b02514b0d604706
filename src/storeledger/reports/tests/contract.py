"""The reports in the generic contract tests (storeledger.testing.contract): each asked for one
warehouse — the user's own, or another store's, which a store-scoped user may not ask for
(403 out_of_scope)."""

from __future__ import annotations

from storeledger.inventory.tests.contract import batch_rows, stock_rows
from storeledger.testing.contract import Operation, Resource, register


def _of_warehouse(world, store) -> dict:
    return {"warehouse": world.warehouse(store).id}


for name, permissions, rows in (
    ("reports/stock-summary", ("inventory.view_stockmove",), stock_rows),
    ("reports/stock-status", ("inventory.view_stockbalance",), stock_rows),
    ("reports/stock-status/ageing", ("inventory.view_stockbalance",), stock_rows),
    ("reports/stock-status/expiring", ("inventory.view_stockbalance",), batch_rows),
    ("reports/turnover", ("inventory.view_stockmove",), stock_rows),
):
    register(
        Resource(
            name=name,
            make=None,
            scoped=True,
            add_rows=rows,
            operations=(Operation.list(*permissions, query=_of_warehouse, out_of_scope=403),),
        )
    )
