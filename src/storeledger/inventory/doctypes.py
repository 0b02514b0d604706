"""Inventory's document types in the kernel's registry (core.doctypes): stock documents
(other stock-in/out, adjustment, scrap), transfers and stock counts — their number prefixes,
the actions of their life cycles and who may take them. The services start each transition
from `allowed_from` here; the API shows `available_actions`; the web UI draws its buttons
from that."""

from __future__ import annotations

from storeledger.core.doctypes import Action, DocumentType, register
from storeledger.core.documents import DocumentStatus as S

DRAFT, SUBMITTED, APPROVED = S.DRAFT.value, S.SUBMITTED.value, S.APPROVED.value
POSTED = S.POSTED.value
# Not posted yet (nor shipped): may still be cancelled.
CANCELLABLE = (DRAFT, SUBMITTED, APPROVED)


def _approved_or_may_skip(skip_permission: str):
    """Posting (or shipping) an approved document, or a draft/submitted one by a user who may
    skip approval."""

    def condition(document, user) -> bool:
        return document.status == APPROVED or user.has_perm(skip_permission)

    return condition


def _needs_approval(document, user) -> bool:
    return bool(document.needs_approval)


def _may_post_count(document, user) -> bool:
    return document.status == APPROVED or not document.needs_approval


def register_inventory_documents() -> None:
    from storeledger.inventory.approvals import stock_document_facts, stock_document_facts_many
    from storeledger.inventory.labels import stock_document_label_lines, transfer_label_lines
    from storeledger.inventory.models import StockCount, StockDocument, Transfer

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
                Action("submit", (DRAFT,), "inventory.submit_stockdocument"),
                Action("approve", (SUBMITTED,), "inventory.approve_stockdocument"),
                Action(
                    "post",
                    CANCELLABLE,
                    "inventory.post_stockdocument",
                    condition=_approved_or_may_skip("inventory.skip_approval_stockdocument"),
                ),
                Action("reverse", (POSTED,), "inventory.reverse_stockdocument", reverses=True),
                Action("cancel", CANCELLABLE, "inventory.change_stockdocument"),
            ),
        )
    )
    register(
        DocumentType(
            key="transfer",
            model=Transfer,
            prefixes={"transfer": "DB"},  # 调拨
            print_template="transfer",
            label_lines=transfer_label_lines,
            extra={"api_paths": {"transfer": "transfers"}},
            actions=(
                Action("submit", (DRAFT,), "inventory.submit_transfer"),
                Action("approve", (SUBMITTED,), "inventory.approve_transfer"),
                Action(
                    "ship",
                    CANCELLABLE,
                    "inventory.ship_transfer",
                    condition=_approved_or_may_skip("inventory.skip_approval_transfer"),
                ),
                Action(
                    "receive",
                    (S.SHIPPED.value, S.PARTIALLY_RECEIVED.value),
                    "inventory.receive_transfer",
                ),
                Action("reverse", (POSTED,), "inventory.reverse_transfer", reverses=True),
                Action("cancel", CANCELLABLE, "inventory.change_transfer"),
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
                Action("start", (DRAFT,), "inventory.change_stockcount"),
                Action("submit", (S.COUNTING.value,), "inventory.submit_stockcount"),
                Action(
                    "approve",
                    (SUBMITTED,),
                    "inventory.approve_stockcount",
                    condition=_needs_approval,
                ),
                Action(
                    "post",
                    (SUBMITTED, APPROVED),
                    "inventory.post_stockcount",
                    condition=_may_post_count,
                ),
                Action("reverse", (POSTED,), "inventory.reverse_stockcount", reverses=True),
                Action("cancel", (DRAFT, S.COUNTING.value), "inventory.change_stockcount"),
            ),
        )
    )
