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


# ---------------------------------------------------------------- purchase orders / receipts

ORDER_FLOW = ("draft", "submitted", "approved", "sent", "partially_received")


def _catalogued(world):
    """The world's SKU in the catalogue of a new supplier (2.00 a piece)."""
    item = _item_of(world, world.sku)
    return item.supplier


def _item_of(world, sku):
    return create_supplier_item(
        user=world.boss,
        data=SupplierItemData(supplier=_supplier(world), sku=sku, price=Decimal("2.00")),
    )


def _order_in(world, store, status="draft"):
    """A purchase order of `store` in `status`, written by the buyer (the boss approves it:
    the approver is never the creator)."""
    from storeledger.purchasing.services import orders, receipts

    buyer = world.users["buyer"]
    order = orders.create_purchase_order(
        user=buyer,
        supplier_id=_catalogued(world).id,
        warehouse_id=world.warehouse(store).id,
        lines=[orders.OrderLineInput(sku_id=world.sku.id, quantity=Decimal(4))],
    )
    reached = ORDER_FLOW.index(status)
    if reached >= 1:
        orders.submit_purchase_order(user=buyer, order_id=order.id)
    if reached >= 2:
        orders.approve_purchase_order(user=world.boss, order_id=order.id)
    if reached >= 3:
        orders.send_purchase_order(user=buyer, order_id=order.id)
    if reached >= 4:
        line = order.lines.get()
        receipts.create_purchase_receipt(
            user=world.boss,
            order_id=order.id,
            post=True,
            lines=[receipts.ReceiptLineInput(order_line_id=line.id, quantity=Decimal(1))],
        )
    order.refresh_from_db()
    return order


def _order_body(world, store):
    return {
        "supplier": _catalogued(world).id,
        "warehouse": world.warehouse(store).id,
        "lines": [{"sku": world.sku.id, "quantity": "3"}],
    }


def _revise_body(world, order):
    line = order.lines.get()
    return {
        "version": order.version,
        "reason": "contract",
        "lines": [{"id": line.id, "sku": line.sku_id, "quantity": "5", "price": str(line.price)}],
    }


def _order_operations() -> tuple[Operation, ...]:
    from storeledger.inventory.tests.contract import document_operations

    return (
        *document_operations(
            "purchaseorder",
            "purchasing",
            create=_order_body,
            update=lambda world, order: {"version": order.version, "notes": "contract"},
            make_in=_order_in,
            state_for={"close": "sent", "revise": "sent"},
            payloads={"revise": _revise_body},
        ),
        Operation("pdf", "get", ("purchasing.view_purchaseorder",), 200, suffix="pdf/"),
        Operation(
            "on-order",
            "get",
            ("purchasing.view_purchaseorder",),
            200,
            detail=False,
            suffix="on-order/",
            out_of_scope=200,
        ),
    )


register(
    Resource(name="purchase-orders", make=_order_in, scoped=True, operations=_order_operations())
)


def _receipt_in(world, store, status="draft"):
    from storeledger.purchasing.services import receipts

    order = _order_in(world, store, "sent")
    line = order.lines.get()
    receipt = receipts.create_purchase_receipt(
        user=world.boss,
        order_id=order.id,
        lines=[receipts.ReceiptLineInput(order_line_id=line.id, quantity=Decimal(2))],
    )
    if status == "posted":
        receipt = receipts.post_purchase_receipt(user=world.boss, receipt_id=receipt.id)
    return receipt


def _receipt_body(world, store):
    order = _order_in(world, store, "sent")
    return {"order": order.id, "lines": [{"sku": world.sku.id, "quantity": "1"}]}


def _allocation_body(world, store):
    body = _receipt_body(world, store)
    return {**body, "charges": [{"kind": "freight", "amount": "5.00", "payee": "顺丰"}]}


def _receipt_operations() -> tuple[Operation, ...]:
    from storeledger.core import doctypes

    view = "purchasing.view_purchasereceipt"
    ops = [
        Operation.list(view),
        Operation.retrieve(view),
        # the body names an order: another store's is not in the user's scope (404 on `order`)
        Operation.create("purchasing.add_purchasereceipt", payload=_receipt_body, out_of_scope=404),
        Operation.delete("purchasing.delete_purchasereceipt"),
        Operation.update(
            "purchasing.change_purchasereceipt",
            payload=lambda world, receipt: {"version": receipt.version, "notes": "contract"},
        ),
        Operation("pdf", "get", (view,), 200, suffix="pdf/"),
        # a preview of the charges' allocation: who may edit receipts and see costs
        Operation(
            "allocation",
            "post",
            ("purchasing.change_purchasereceipt", "reports.view_cost"),
            200,
            detail=False,
            suffix="allocation/",
            payload=_allocation_body,
        ),
    ]
    for action in doctypes.document_type("purchasereceipt").actions:
        ops.append(Operation.action(action.name, action.permission, make=_receipt_in))
    return tuple(ops)


register(
    Resource(
        name="purchase-receipts", make=_receipt_in, scoped=True, operations=_receipt_operations()
    )
)


# ---------------------------------------------------------------- purchase returns

RETURN_ORDER = ["draft", "submitted", "approved", "posted"]


def _posted_receipt(world, store):
    """A receipt of 10 of the world's SKU from a new supplier into the store's warehouse."""
    from storeledger.purchasing.services import receipts

    return receipts.create_purchase_receipt(
        user=world.boss,
        supplier_id=_supplier(world).id,
        warehouse_id=world.warehouse(store).id,
        lines=[
            receipts.ReceiptLineInput(
                sku_id=world.sku.id, quantity=Decimal(10), price=Decimal("2.00")
            )
        ],
        post=True,
    )


def _return_in(world, store, status="draft"):
    from storeledger.purchasing.services import returns

    receipt = _posted_receipt(world, store)
    document = returns.create_purchase_return(
        user=world.boss,
        receipt_id=receipt.id,
        lines=[
            returns.ReturnLineInput(receipt_line_id=receipt.lines.get().id, quantity=Decimal(1))
        ],
    )
    steps = [
        ("submitted", returns.submit_purchase_return),
        ("approved", returns.approve_purchase_return),
        ("posted", returns.post_purchase_return),
    ]
    for reached, service in steps:
        if RETURN_ORDER.index(status) >= RETURN_ORDER.index(reached):
            document = service(user=world.boss, return_id=document.id)
    return document


def _return_create(world, store):
    receipt = _posted_receipt(world, store)
    return {
        "receipt": receipt.id,
        "lines": [{"receipt_line": receipt.lines.get().id, "quantity": "1"}],
    }


def _return_operations() -> tuple[Operation, ...]:
    from storeledger.core import doctypes

    model = "purchasing.%s_purchasereturn"
    ops = [
        Operation.list(model % "view"),
        Operation.retrieve(model % "view"),
        # a receipt of another store is not in the user's scope: 404 on `receipt`
        Operation.create(model % "add", payload=_return_create, out_of_scope=404),
        Operation.update(
            model % "change", payload=lambda world, doc: {"version": doc.version, "notes": "c"}
        ),
        Operation.delete(model % "delete"),
        Operation(
            "returnable",
            "get",
            (model % "view",),
            200,
            detail=False,
            suffix="returnable/",
            query=lambda world, store: {"receipt": _posted_receipt(world, store).id},
            out_of_scope=200,
        ),
    ]
    state_for = {"post": "approved"}
    for action in doctypes.document_type("purchasereturn").actions:
        status = state_for.get(action.name, action.allowed_from[0])
        ops.append(
            Operation.action(
                action.name,
                action.permission,
                ok=201 if action.reverses else 200,
                make=lambda world, store, status=status: _return_in(world, store, status),
            )
        )
    return tuple(ops)


register(
    Resource(
        name="purchase-returns",
        make=_return_in,
        scoped=True,
        operations=_return_operations(),
    )
)


# ---------------------------------------------------------------- purchase requests

REQUEST_ORDER = ["draft", "submitted", "approved"]


def _request_in(world, store, status="draft"):
    from storeledger.purchasing.services import requests

    sku = factories.sku(code=world.code("K"))
    create_supplier_item(
        user=world.boss,
        data=SupplierItemData(
            supplier=_supplier(world), sku=sku, price=Decimal("2.00"), preferred=True
        ),
    )
    document = requests.create_purchase_request(
        user=world.boss,
        warehouse_id=world.warehouse(store).id,
        lines=[requests.RequestLineInput(sku_id=sku.id, quantity=Decimal(5))],
    )
    steps = [
        ("submitted", requests.submit_purchase_request),
        ("approved", requests.approve_purchase_request),
    ]
    for reached, service in steps:
        if REQUEST_ORDER.index(status) >= REQUEST_ORDER.index(reached):
            document = service(user=world.boss, request_id=document.id)
    return document


REQ = "purchasing.%s_purchaserequest"
CONSOLIDATE = ("purchasing.consolidate_purchaserequest", "purchasing.add_purchaseorder")

register(
    Resource(
        name="purchase-requests",
        make=_request_in,
        scoped=True,
        operations=(
            Operation.list(REQ % "view"),
            Operation.retrieve(REQ % "view"),
            Operation.create(
                REQ % "add",
                payload=lambda world, store: {
                    "warehouse": world.warehouse(store).id,
                    "lines": [{"sku": world.sku.id, "quantity": "3"}],
                },
            ),
            Operation.update(
                REQ % "change", payload=lambda world, doc: {"version": doc.version, "notes": "c"}
            ),
            Operation.delete(REQ % "delete"),
            Operation.action("submit", REQ % "submit"),
            Operation.action(
                "approve",
                REQ % "approve",
                make=lambda world, store: _request_in(world, store, "submitted"),
            ),
            Operation.action(
                "cancel", REQ % "change", make=lambda world, store: _request_in(world, store)
            ),
            Operation.action(
                "consolidate",
                *CONSOLIDATE,
                ok=201,
                make=lambda world, store: _request_in(world, store, "approved"),
            ),
            Operation(
                "consolidate-many",
                "post",
                CONSOLIDATE,
                201,
                detail=False,
                suffix="consolidate/",
                payload=lambda world, store: {
                    "requests": [_request_in(world, store, "approved").id]
                },
                out_of_scope=404,
            ),
        ),
    )
)
