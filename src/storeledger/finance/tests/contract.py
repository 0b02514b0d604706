"""finance's API resources in the generic contract tests (storeledger.testing.contract):
supplier invoices and payments (store-scoped documents) and the supplier account's reports
(balances, statement, ageing, open items), each asked for one store."""

from __future__ import annotations

from decimal import Decimal

from storeledger.finance.roles import VIEW_ACCOUNT
from storeledger.finance.services import invoices, payments
from storeledger.partners.models import Supplier
from storeledger.purchasing.services import orders, receipts
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.testing.contract import Operation, Resource, register


def _supplier(world) -> Supplier:
    supplier = world.extra.get("finance_supplier")
    if supplier is None:
        supplier = world.extra["finance_supplier"] = Supplier.objects.create(
            code=world.code("FS"), name="对账供应商", payment_terms_days=30
        )
    return supplier


def posted_receipt(world, store):
    """A posted receipt of 10 units at ¥2.00 incl. tax from the world's supplier."""
    order = orders.create_purchase_order(
        user=world.users["buyer"],
        supplier_id=_supplier(world).id,
        warehouse_id=world.warehouse(store).id,
        lines=[
            OrderLineInput(
                sku_id=world.sku.id,
                quantity=Decimal(10),
                unit_id=world.sku.product.base_unit_id,
                price=Decimal("2.00"),
            )
        ],
    )
    orders.submit_purchase_order(user=world.users["buyer"], order_id=order.id)
    orders.approve_purchase_order(user=world.boss, order_id=order.id)
    return receipts.create_purchase_receipt(
        user=world.boss,
        order_id=order.id,
        lines=[ReceiptLineInput(sku_id=world.sku.id, quantity=Decimal(10))],
        post=True,
    )


def _invoice_body(world, store) -> dict:
    receipt = posted_receipt(world, store)
    return {
        "supplier": receipt.supplier_id,
        "invoice_no": world.code("INV"),
        "invoice_date": str(receipt.document_date),
        "lines": [{"receipt_line": receipt.lines.get().id}],
    }


def make_invoice(world, store):
    receipt = posted_receipt(world, store)
    return invoices.create_supplier_invoice(
        user=world.boss,
        supplier_id=receipt.supplier_id,
        invoice_no=world.code("INV"),
        invoice_date=receipt.document_date,
        lines=[invoices.InvoiceLineInput(receipt_line_id=receipt.lines.get().id)],
    )


def _payment_body(world, store) -> dict:
    receipt = posted_receipt(world, store)
    return {
        "supplier": receipt.supplier_id,
        "amount": "5.00",
        "method": "cash",
        "allocations": [{"receipt": receipt.id, "amount": "5.00"}],
    }


def make_payment(world, store):
    receipt = posted_receipt(world, store)
    return payments.create_supplier_payment(
        user=world.boss,
        supplier_id=receipt.supplier_id,
        amount=Decimal("5.00"),
        allocations=[payments.AllocationInput(amount=Decimal("5.00"), receipt_id=receipt.id)],
    )


INV = "finance.%s_supplierinvoice"
PAY = "finance.%s_supplierpayment"

register(
    Resource(
        name="supplier-invoices",
        scoped=True,
        make=make_invoice,
        operations=(
            Operation.list(INV % "view"),
            Operation.retrieve(INV % "view"),
            # the receipt line of another store is not in the user's scope
            Operation.create(INV % "add", payload=_invoice_body, out_of_scope=404),
            Operation.delete(INV % "delete"),
            Operation.action("submit", INV % "submit"),
            Operation.action("post", INV % "post"),
            Operation.action("cancel", INV % "change"),
            Operation("pdf", "get", (INV % "view",), 200, suffix="pdf/"),
        ),
    )
)

register(
    Resource(
        name="supplier-payments",
        scoped=True,
        make=make_payment,
        operations=(
            Operation.list(PAY % "view"),
            Operation.retrieve(PAY % "view"),
            Operation.create(PAY % "add", payload=_payment_body, out_of_scope=404),
            Operation.delete(PAY % "delete"),
            Operation.action("post", PAY % "post"),
            Operation.action("cancel", PAY % "change"),
        ),
    )
)


def _of_store(world, store) -> dict:
    return {"store": store.id, "supplier": _supplier(world).id}


def _store_only(world, store) -> dict:
    # the balances of every supplier: no supplier parameter (an unknown one is a 400)
    return {"store": store.id}


def _rows(world, n: int) -> None:
    for _ in range(n):
        posted_receipt(world, world.own)


for name in ("supplier-balances", "supplier-statement", "payables-ageing", "supplier-open-items"):
    register(
        Resource(
            name=name,
            make=None,
            scoped=True,
            add_rows=_rows,
            operations=(
                Operation.list(
                    VIEW_ACCOUNT,
                    query=_store_only if name == "supplier-balances" else _of_store,
                    out_of_scope=403,
                ),
            ),
        )
    )
