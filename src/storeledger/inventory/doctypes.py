"""Inventory's document types in the kernel's registry (core.doctypes): stock documents
(other stock-in/out, adjustment, scrap), transfers and stock counts — their number prefixes,
the actions of their life cycles and who may take them. The services start each transition
from `allowed_from` here; the API shows `available_actions`; the web UI draws its buttons
from that."""

from __future__ import annotations

from storeledger.core.doctypes import Action, DocumentType, register
from storeledger.inventory.models import StockCountStatus as C
from storeledger.inventory.models import StockDocumentStatus as D
from storeledger.inventory.models import TransferStatus as T

# Every type has its own statuses (inventory.models: StockDocumentStatus, TransferStatus,
# StockCountStatus); "approved" is the same value in the three.
APPROVED = D.APPROVED.value


def _approved_or_may_skip(skip_permission: str):
    """Posting (or shipping) an approved document, or a draft/submitted one by a user who may
    skip approval."""

    def condition(document, user) -> bool:
        return document.status == APPROVED or user.has_perm(skip_permission)

    return condition


def _in_scope(*fields: str):
    """The transfer's warehouses named by `fields` are all in the user's data scope: the
    source store submits, ships and cancels, the destination receives, a reversal moves stock
    in both (the services refuse the others with 403; the buttons should not be offered)."""

    def condition(document, user) -> bool:
        from storeledger.accounts import scope

        allowed = scope.warehouse_ids(user)
        return allowed is None or all(getattr(document, field) in allowed for field in fields)

    return condition


def _all(*conditions):
    def condition(document, user) -> bool:
        return all(check(document, user) for check in conditions)

    return condition


def _needs_approval(document, user) -> bool:
    return bool(document.needs_approval)


def _may_post_count(document, user) -> bool:
    return document.status == APPROVED or not document.needs_approval


def register_inventory_documents() -> None:
    from storeledger.inventory.approvals import (
        stock_document_facts,
        stock_document_facts_many,
        transfer_facts,
        transfer_facts_many,
    )
    from storeledger.inventory.labels import stock_document_label_lines, transfer_label_lines
    from storeledger.inventory.models import StockCount, StockDocument, Transfer

    # Each action: (from statuses, permission, to statuses) — the type's transition table.

    register(
        DocumentType(
            key="stockdocument",
            model=StockDocument,
            prefixes={
                "stock_in": "RK",  # 入库
                "stock_out": "CK",  # 出库
                "adjustment": "TZ",  # 调整
                "scrap": "BS",  # 报损
            },
            kind_of=lambda document: document.kind,
            print_template="stock_document",
            approval_facts=stock_document_facts,
            approval_facts_many=stock_document_facts_many,
            label_lines=stock_document_label_lines,
            extra={
                "api_paths": {
                    "stock_in": "stock-ins",
                    "stock_out": "stock-outs",
                    "adjustment": "adjustments",
                    "scrap": "scraps",
                }
            },
            actions=(
                Action("submit", (D.DRAFT,), "inventory.submit_stockdocument", to=(D.SUBMITTED,)),
                Action(
                    "approve", (D.SUBMITTED,), "inventory.approve_stockdocument", to=(D.APPROVED,)
                ),
                Action(
                    "post",
                    (D.DRAFT, D.SUBMITTED, D.APPROVED),
                    "inventory.post_stockdocument",
                    condition=_approved_or_may_skip("inventory.skip_approval_stockdocument"),
                    to=(D.POSTED,),
                ),
                Action(
                    "reverse",
                    (D.POSTED,),
                    "inventory.reverse_stockdocument",
                    reverses=True,
                    to=(D.REVERSED,),
                ),
                Action(
                    "cancel",
                    (D.DRAFT, D.SUBMITTED, D.APPROVED),
                    "inventory.change_stockdocument",
                    to=(D.CANCELLED,),
                ),
            ),
        )
    )
    source = _in_scope("from_warehouse_id")  # a transfer's source store acts until it ships
    register(
        DocumentType(
            key="transfer",
            model=Transfer,
            prefixes={"transfer": "DB"},  # 调拨
            print_template="transfer",
            label_lines=transfer_label_lines,
            # rules may ask more of a transfer; without one, its source store's manager (who
            # holds the approve permission there) still finds it in the approvals inbox
            approval_facts=transfer_facts,
            approval_facts_many=transfer_facts_many,
            inbox_without_rule=True,
            # a keeper given the source warehouse (not its store) approves it, as `source` says
            scope_warehouse_field="from_warehouse_id",
            extra={"api_paths": {"transfer": "transfers"}},
            actions=(
                Action(
                    "submit",
                    (T.DRAFT,),
                    "inventory.submit_transfer",
                    condition=source,
                    to=(T.SUBMITTED,),
                ),
                Action(
                    "approve",
                    (T.SUBMITTED,),
                    "inventory.approve_transfer",
                    condition=source,
                    to=(T.APPROVED,),
                ),
                Action(
                    "ship",
                    (T.DRAFT, T.SUBMITTED, T.APPROVED),
                    "inventory.ship_transfer",
                    condition=_all(
                        source, _approved_or_may_skip("inventory.skip_approval_transfer")
                    ),
                    to=(T.SHIPPED,),
                ),
                Action(
                    "receive",
                    (T.SHIPPED, T.PARTIALLY_RECEIVED),
                    "inventory.receive_transfer",
                    condition=_in_scope("to_warehouse_id"),
                    # posted: every line received in full
                    to=(T.PARTIALLY_RECEIVED, T.POSTED),
                ),
                Action(
                    "reverse",
                    (T.POSTED,),
                    "inventory.reverse_transfer",
                    condition=_in_scope("from_warehouse_id", "to_warehouse_id"),
                    reverses=True,
                    to=(T.REVERSED,),
                ),
                Action(
                    "cancel",
                    (T.DRAFT, T.SUBMITTED, T.APPROVED),
                    "inventory.change_transfer",
                    condition=source,
                    to=(T.CANCELLED,),
                ),
            ),
        )
    )
    register(
        DocumentType(
            key="stockcount",
            model=StockCount,
            prefixes={"stock_count": "PD"},  # 盘点
            print_template="stock_count",
            extra={"api_paths": {"stock_count": "stock-counts"}},
            actions=(
                Action("start", (C.DRAFT,), "inventory.change_stockcount", to=(C.COUNTING,)),
                Action("submit", (C.COUNTING,), "inventory.submit_stockcount", to=(C.SUBMITTED,)),
                Action(
                    "approve",
                    (C.SUBMITTED,),
                    "inventory.approve_stockcount",
                    condition=_needs_approval,
                    to=(C.APPROVED,),
                ),
                Action(
                    "post",
                    (C.SUBMITTED, C.APPROVED),
                    "inventory.post_stockcount",
                    condition=_may_post_count,
                    to=(C.POSTED,),
                ),
                Action(
                    "reverse",
                    (C.POSTED,),
                    "inventory.reverse_stockcount",
                    reverses=True,
                    to=(C.REVERSED,),
                ),
                Action(
                    "cancel",
                    (C.DRAFT, C.COUNTING),
                    "inventory.change_stockcount",
                    to=(C.CANCELLED,),
                ),
            ),
        )
    )
