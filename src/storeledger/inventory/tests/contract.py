"""Inventory's API resources in the generic contract tests (storeledger.testing.contract):
the stock documents, transfers and counts (their state actions taken from the document-type
registry) and the ledger's read-only lists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from storeledger.core import doctypes
from storeledger.core.documents import DocumentStatus as S
from storeledger.inventory.services import counts, documents, transfers
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.transfers import TransferLineInput
from storeledger.testing import factories
from storeledger.testing.contract import Operation, Resource, register

ONE = Decimal(1)


def document_operations(
    key: str,
    app: str,
    *,
    create,
    update,
    make_in,
    state_for: dict[str, str],
    payloads: dict | None = None,
) -> tuple[Operation, ...]:
    """list/retrieve/create/update/delete and one operation per action of the registered
    document type `key`, each on a document in the status `state_for[action]` (default: the
    first status the action starts from)."""
    model = key
    doctype = doctypes.document_type(key)
    ops = [
        Operation.list(f"{app}.view_{model}"),
        Operation.retrieve(f"{app}.view_{model}"),
        Operation.create(f"{app}.add_{model}", payload=create),
        Operation.update(f"{app}.change_{model}", payload=update),
        Operation.delete(f"{app}.delete_{model}"),
    ]
    for action in doctype.actions:
        status = state_for.get(action.name, action.allowed_from[0])
        ok = 201 if action.reverses else 200
        ops.append(
            Operation.action(
                action.name,
                action.permission,
                ok=ok,
                payload=(payloads or {}).get(action.name),
                make=lambda world, store, status=status: make_in(world, store, status),
            )
        )
    return tuple(ops)


# ---------------------------------------------------------------- stock documents


def _stock_document(kind: str, quantity: Decimal):
    def make_in(world, store, status=S.DRAFT.value):
        boss = world.boss
        document = documents.create_stock_document(
            user=boss,
            kind=kind,
            warehouse_id=world.warehouse(store).id,
            lines=[StockLineInput(sku_id=world.sku.id, quantity=quantity)],
            reason_id=_scrap_reason(kind),
        )
        steps = [
            (S.SUBMITTED.value, documents.submit_stock_document),
            (S.APPROVED.value, documents.approve_stock_document),
            (S.POSTED.value, documents.post_stock_document),
        ]
        order = [S.DRAFT.value, S.SUBMITTED.value, S.APPROVED.value, S.POSTED.value]
        for reached, service in steps:
            if order.index(status) >= order.index(reached):
                document = service(user=boss, document_id=document.id, kind=kind)
        return document

    return make_in


def _scrap_reason(kind: str) -> int | None:
    """A scrap says why (the other kinds may leave their reason out)."""
    return factories.reason().id if kind == "scrap" else None


def _register_stock_documents() -> None:
    for name, kind, quantity in (
        ("stock-ins", "stock_in", ONE),
        ("stock-outs", "stock_out", ONE),
        ("adjustments", "adjustment", -ONE),
        ("scraps", "scrap", ONE),
    ):
        make_in = _stock_document(kind, quantity)
        register(
            Resource(
                name=name,
                make=make_in,
                scoped=True,
                operations=document_operations(
                    "stockdocument",
                    "inventory",
                    create=lambda world, store, q=quantity, k=kind: {
                        "warehouse": world.warehouse(store).id,
                        "reason": _scrap_reason(k),
                        "lines": [{"sku": world.sku.id, "quantity": str(q)}],
                    },
                    update=lambda world, doc: {"version": doc.version, "notes": "contract"},
                    make_in=make_in,
                    state_for={"post": S.APPROVED.value},
                ),
            )
        )


# ---------------------------------------------------------------- transfers


def _transfer_in(world, store, status=S.DRAFT.value):
    boss = world.boss
    transfer = transfers.create_transfer(
        user=boss,
        from_warehouse_id=world.warehouse(store).id,
        to_warehouse_id=world.second_warehouse(store).id,
        lines=[TransferLineInput(sku_id=world.sku.id, quantity=ONE)],
    )
    order = [S.DRAFT.value, S.SUBMITTED.value, S.APPROVED.value, S.SHIPPED.value, S.POSTED.value]
    steps = [
        (S.SUBMITTED.value, transfers.submit_transfer),
        (S.APPROVED.value, transfers.approve_transfer),
        (S.SHIPPED.value, transfers.ship_transfer),
    ]
    for reached, service in steps:
        if order.index(status) >= order.index(reached):
            transfer = service(user=boss, transfer_id=transfer.id)
    if status == S.POSTED.value:
        transfer = transfers.receive_transfer(user=boss, transfer_id=transfer.id, close=True)
    return transfer


def _register_transfers() -> None:
    register(
        Resource(
            name="transfers",
            make=_transfer_in,
            scoped=True,
            operations=document_operations(
                "transfer",
                "inventory",
                create=lambda world, store: {
                    "from_warehouse": world.warehouse(store).id,
                    "to_warehouse": world.second_warehouse(store).id,
                    "lines": [{"sku": world.sku.id, "quantity": "1"}],
                },
                update=lambda world, doc: {"version": doc.version, "notes": "contract"},
                make_in=_transfer_in,
                state_for={"ship": S.APPROVED.value},
                payloads={
                    "receive": lambda world, transfer: {
                        "lines": [{"line": transfer.lines.get().id, "quantity": "1"}]
                    }
                },
            ),
        )
    )


# ---------------------------------------------------------------- stock counts


def _count_in(world, store, status=S.DRAFT.value):
    boss = world.boss
    count = counts.create_stock_count(
        user=boss, warehouse_id=world.warehouse(store).id, approval_threshold=Decimal(0)
    )
    if status == S.DRAFT.value:
        return count
    count = counts.start_stock_count(user=boss, count_id=count.id)
    line = count.lines.get(sku=world.sku)
    counts.set_line_count(
        user=boss, count_id=count.id, line_id=line.id, quantity=line.book_quantity + 1
    )
    if status == S.COUNTING.value:
        return count
    count = counts.submit_stock_count(user=boss, count_id=count.id, uncounted_as_zero=True)
    if status == S.SUBMITTED.value:
        return count
    count = counts.approve_stock_count(user=boss, count_id=count.id)
    if status == S.APPROVED.value:
        return count
    return counts.post_stock_count(user=boss, count_id=count.id)


def _register_counts() -> None:
    register(
        Resource(
            name="stock-counts",
            make=_count_in,
            scoped=True,
            operations=document_operations(
                "stockcount",
                "inventory",
                create=lambda world, store: {"warehouse": world.warehouse(store).id},
                update=lambda world, doc: {"version": doc.version, "notes": "contract"},
                make_in=_count_in,
                state_for={"post": S.APPROVED.value},
            ),
        )
    )


# ---------------------------------------------------------------- the ledger's lists


def stock_rows(world, n: int) -> None:
    """n more balances (and moves) in the user's store: a new SKU received each."""
    for _ in range(n):
        item = factories.sku(code=world.code("LS"))
        documents.create_and_post_stock_document(
            user=world.boss,
            kind="stock_in",
            warehouse_id=world.own_warehouse.id,
            lines=[StockLineInput(sku_id=item.id, quantity=Decimal(3), unit_cost=Decimal(1))],
        )


def batch_rows(world, n: int) -> None:
    """n more batch-tracked SKUs received into the user's store, expiring in ten days."""
    for _ in range(n):
        item = factories.sku(code=world.code("LB"), tracking="batch")
        documents.create_and_post_stock_document(
            user=world.boss,
            kind="stock_in",
            warehouse_id=world.own_warehouse.id,
            lines=[
                StockLineInput(
                    sku_id=item.id,
                    quantity=Decimal(3),
                    unit_cost=Decimal(1),
                    batch_no="B1",
                    expiry_date=timezone.localdate() + datetime.timedelta(days=10),
                )
            ],
        )


def _transit_rows(world, n: int) -> None:
    """n more transfers shipped out of the user's store (in transit)."""
    for _ in range(n):
        item = factories.sku(code=world.code("LT"))
        documents.create_and_post_stock_document(
            user=world.boss,
            kind="stock_in",
            warehouse_id=world.own_warehouse.id,
            lines=[StockLineInput(sku_id=item.id, quantity=Decimal(3), unit_cost=Decimal(1))],
        )
        transfer = transfers.create_transfer(
            user=world.boss,
            from_warehouse_id=world.own_warehouse.id,
            to_warehouse_id=world.own_second.id,
            lines=[TransferLineInput(sku_id=item.id, quantity=ONE)],
        )
        transfers.ship_transfer(user=world.boss, transfer_id=transfer.id)


def _sku_received(world, n: int) -> None:
    """n more receipts of the world's SKU into the user's store (its available to promise)."""
    for _ in range(n):
        documents.create_and_post_stock_document(
            user=world.boss,
            kind="stock_in",
            warehouse_id=world.own_warehouse.id,
            lines=[StockLineInput(sku_id=world.sku.id, quantity=Decimal(3), unit_cost=Decimal(1))],
        )


def _in_warehouse(world, store) -> dict:
    return {"warehouse": world.warehouse(store).id}


def _register_ledger() -> None:
    for name, perm, rows in (
        ("stock-balances", "inventory.view_stockbalance", stock_rows),
        ("stock-moves", "inventory.view_stockmove", stock_rows),
        ("batches", "inventory.view_stockbalance", batch_rows),
        ("in-transit", "inventory.view_stockbalance", _transit_rows),
        ("stock-by-location", "inventory.view_stockbalance", stock_rows),
    ):
        register(
            Resource(
                name=name,
                make=None,
                scoped=True,
                add_rows=rows,
                operations=(Operation.list(perm, query=_in_warehouse, out_of_scope=403),),
            )
        )
    register(
        Resource(
            name="stock-at",
            make=None,
            scoped=True,
            add_rows=stock_rows,
            operations=(
                Operation.list(
                    "inventory.view_stockmove",
                    # a moment ago by the time it is asked
                    query=lambda world, store: {
                        **_in_warehouse(world, store),
                        "at": timezone.now().isoformat(),
                    },
                    out_of_scope=403,
                ),
            ),
        )
    )
    register(
        Resource(
            name="stock/available",
            make=None,
            scoped=True,
            add_rows=_sku_received,
            operations=(
                Operation.list(
                    "inventory.view_stockbalance",
                    query=lambda world, store: {**_in_warehouse(world, store), "sku": world.sku.id},
                    out_of_scope=403,
                ),
            ),
        )
    )
    register(
        Resource(
            name="reason-codes",
            make=lambda world, store: _reason(),
            operations=(
                Operation.list("inventory.view_reasoncode"),
                Operation.retrieve("inventory.view_reasoncode"),
                Operation.create(
                    "inventory.add_reasoncode",
                    payload=lambda world, store: {
                        "kind": "scrap",
                        "code": world.code("RC"),
                        "name": "霉变",
                    },
                ),
                Operation.update(
                    "inventory.change_reasoncode",
                    payload=lambda world, reason: {"name": "改名", "active": False},
                ),
                Operation.delete(
                    "inventory.delete_reasoncode",
                    make=lambda world, store: _new_reason(world),
                ),
            ),
        )
    )


def _reason():
    from storeledger.inventory.models import ReasonCode

    return ReasonCode.objects.order_by("id").first()


def _new_reason(world):
    from storeledger.inventory.models import ReasonCode

    return ReasonCode.objects.create(kind="scrap", code=world.code("RD"), name="未用")


_register_stock_documents()
_register_transfers()
_register_counts()
_register_ledger()
