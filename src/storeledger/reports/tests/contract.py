"""The reports in the generic contract tests (storeledger.testing.contract): each asked for one
warehouse — the user's own, or another store's, which a store-scoped user may not ask for
(403 out_of_scope)."""

from __future__ import annotations

from decimal import Decimal

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


def receipt_rows(world, n: int) -> None:
    """n more posted purchase receipts of the world's SKU (a new supplier each) into the
    user's store, with an open order line each."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import orders, receipts

    for _ in range(n):
        supplier = Supplier.objects.create(code=world.code("RS"), name="供应商")
        item = world.sku
        receipts.create_purchase_receipt(
            user=world.boss,
            supplier_id=supplier.id,
            warehouse_id=world.own_warehouse.id,
            lines=[
                receipts.ReceiptLineInput(sku_id=item.id, quantity=Decimal(2), price=Decimal(1))
            ],
            post=True,
        )
        order = orders.create_purchase_order(
            user=world.boss,
            supplier_id=supplier.id,
            warehouse_id=world.own_warehouse.id,
            lines=[orders.OrderLineInput(sku_id=item.id, quantity=Decimal(5), price=Decimal(1))],
        )
        orders.submit_purchase_order(user=world.boss, order_id=order.id)
        orders.approve_purchase_order(user=world.users["store_manager"], order_id=order.id)


def _of_warehouse_and_sku(world, store) -> dict:
    return {"warehouse": world.warehouse(store).id, "sku": world.sku.id}


for name, permission, query in (
    ("reports/purchases", "purchasing.view_purchasereceipt", _of_warehouse),
    ("reports/supplier-rating", "purchasing.view_purchasereceipt", _of_warehouse),
    ("reports/open-purchase-orders", "purchasing.view_purchaseorder", _of_warehouse),
    ("reports/purchase-price-trend", "purchasing.view_purchasereceipt", _of_warehouse_and_sku),
):
    register(
        Resource(
            name=name,
            make=None,
            scoped=True,
            add_rows=receipt_rows,
            operations=(Operation.list(permission, query=query, out_of_scope=403),),
        )
    )
