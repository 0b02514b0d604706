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


# ------------------------------------------------------------------ batch trace and returns


def _trace_batch(world, store):
    """A batch of a batch-tracked SKU stocked into the store's warehouse (made once)."""
    import datetime

    from storeledger.inventory.models import Batch
    from storeledger.inventory.services import documents
    from storeledger.inventory.services.documents import StockLineInput
    from storeledger.testing import factories

    if "trace_sku" not in world.extra:
        world.extra["trace_sku"] = factories.sku(code=world.code("TB"), tracking="batch")
    item = world.extra["trace_sku"]
    key = f"trace_batch_{store.pk}"
    if key not in world.extra:
        document = documents.create_and_post_stock_document(
            user=world.boss,
            kind="stock_in",
            warehouse_id=world.warehouse(store).id,
            lines=[
                StockLineInput(
                    sku_id=item.id,
                    quantity=Decimal(5),
                    unit_cost=Decimal(1),
                    batch_no=f"T{store.code}",
                    expiry_date=datetime.date(2030, 1, 1),
                )
            ],
        )
        world.extra[key] = (Batch.objects.get(sku=item, batch_no=f"T{store.code}"), document)
    return world.extra[key]


def _trace_query(world, store) -> dict:
    batch, _document = _trace_batch(world, store)
    return {"batch": batch.id, "warehouse": world.warehouse(store).id}


def _trace_rows(world, n: int) -> None:
    """n more moves of the own store's batch (stock-ins)."""
    from storeledger.inventory.services import documents
    from storeledger.inventory.services.documents import StockLineInput

    batch, _document = _trace_batch(world, world.own)
    for _ in range(n):
        documents.create_and_post_stock_document(
            user=world.boss,
            kind="stock_in",
            warehouse_id=world.own_warehouse.id,
            lines=[
                StockLineInput(
                    sku_id=batch.sku_id,
                    quantity=Decimal(1),
                    unit_cost=Decimal(1),
                    batch_id=batch.id,
                )
            ],
        )


def _batch_options_query(world, store) -> dict:
    _trace_batch(world, store)
    return {"sku": world.extra["trace_sku"].id}


def _batch_option_rows(world, n: int) -> None:
    """n more batches of the trace SKU in the own store's warehouse."""
    from storeledger.inventory.services import documents
    from storeledger.inventory.services.documents import StockLineInput

    _trace_batch(world, world.own)
    for _ in range(n):
        documents.create_and_post_stock_document(
            user=world.boss,
            kind="stock_in",
            warehouse_id=world.own_warehouse.id,
            lines=[
                StockLineInput(
                    sku_id=world.extra["trace_sku"].id,
                    quantity=Decimal(1),
                    unit_cost=Decimal(1),
                    batch_no=world.code("TN"),
                )
            ],
        )


def _document_query(world, store) -> dict:
    _batch, document = _trace_batch(world, store)
    return {"number": document.number}


register(
    Resource(
        name="reports/batch-trace",
        make=None,
        scoped=True,
        add_rows=_trace_rows,
        operations=(
            Operation.list("inventory.view_stockmove", query=_trace_query, out_of_scope=403),
        ),
    )
)
register(
    Resource(
        name="reports/batch-trace/batches",
        make=None,
        scoped=True,
        add_rows=_batch_option_rows,
        operations=(
            Operation.list(
                "inventory.view_stockmove", query=_batch_options_query, out_of_scope=200
            ),
        ),
    )
)
# another store's document: none of its moves is the user's, so there is no such document
register(
    Resource(
        name="reports/batch-trace/document",
        make=None,
        scoped=True,
        operations=(
            Operation.list("inventory.view_stockmove", query=_document_query, out_of_scope=404),
        ),
    )
)


def return_rows(world, n: int) -> None:
    """n more posted purchase returns (a reason each) of goods received into the own store."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.services import receipts
    from storeledger.purchasing.services import returns as return_services

    for _ in range(n):
        supplier = Supplier.objects.create(code=world.code("RT"), name="供应商")
        receipt = receipts.create_purchase_receipt(
            user=world.boss,
            supplier_id=supplier.id,
            warehouse_id=world.own_warehouse.id,
            lines=[
                receipts.ReceiptLineInput(
                    sku_id=world.sku.id, quantity=Decimal(2), price=Decimal(1)
                )
            ],
            post=True,
        )
        return_services.create_purchase_return(
            user=world.boss,
            receipt_id=receipt.id,
            reason=world.code("R"),
            lines=[
                return_services.ReturnLineInput(
                    receipt_line_id=receipt.lines.get().id, quantity=Decimal(1)
                )
            ],
            post=True,
        )


for name in ("reports/returns", "reports/returns/lines"):
    register(
        Resource(
            name=name,
            make=None,
            scoped=True,
            add_rows=return_rows,
            operations=(
                Operation.list(
                    "purchasing.view_purchasereturn", query=_of_warehouse, out_of_scope=403
                ),
            ),
        )
    )


def _of_store(world, store) -> dict:
    return {"store": store.id}


register(
    Resource(
        name="reports/dashboard",
        make=None,
        scoped=True,
        add_rows=lambda world, n: (stock_rows(world, n), receipt_rows(world, n)),
        operations=(
            Operation.list("inventory.view_stockbalance", query=_of_store, out_of_scope=403),
        ),
    )
)


# ------------------------------------------------------------------ report subscriptions


def _subscription(world, store) -> dict:
    """A daily stock status of the store's warehouse (the contract users have no e-mail)."""
    return {
        "report": "stock-status",
        "frequency": "daily",
        "filters": {"warehouse": world.warehouse(store).id},
        "extra_recipients": ["contract@example.com"],
    }


def subscription_rows(world, n: int) -> None:
    """n more subscriptions of the administrator (who lists them)."""
    from storeledger.reports import subscriptions

    for _ in range(n):
        subscriptions.create_subscription(
            user=world.boss,
            data=subscriptions.SubscriptionInput(
                report="stock-status",
                frequency="weekly",
                weekday=0,
                filters={"warehouse": world.own_warehouse.id},
                extra_recipients=["boss@example.com"],
            ),
        )


# Everyone keeps his own (a list of them: 200 for every signed-in user); subscribing to a
# report needs that report's permission, and a filter naming another store's warehouse is out
# of scope. Reading or changing one is the owner's only (reports/tests/test_subscriptions.py).
register(
    Resource(
        name="report-subscriptions",
        make=None,
        scoped=True,
        add_rows=subscription_rows,
        operations=(
            Operation.list(),
            Operation.create(
                "inventory.view_stockbalance", payload=_subscription, out_of_scope=403
            ),
        ),
    )
)
