"""Purchasing's document types in the kernel's registry (core.doctypes): purchase orders
(采购订单, prefix CG), purchase receipts (采购入库, prefix CR), purchase returns (采购退货,
prefix CT) and purchase requests (采购申请, prefix QG) — their life cycles and who
may take each action. The services start each transition from here; the API shows
`available_actions`; the web UI draws its buttons from that."""

from __future__ import annotations

from storeledger.core.doctypes import Action, DocumentType, register

DRAFT, SUBMITTED, APPROVED = "draft", "submitted", "approved"
SENT, PARTIALLY_RECEIVED = "sent", "partially_received"
POSTED, PARTIALLY_ORDERED = "posted", "partially_ordered"
CANCELLABLE = (DRAFT, SUBMITTED, APPROVED)


def _approved_or_may_skip(skip_permission: str):
    """Posting an approved document, or a draft/submitted one by a user who may skip
    approval (the approval engine still hides it while a rule asks for approval)."""

    def condition(document, user) -> bool:
        return document.status == APPROVED or user.has_perm(skip_permission)

    return condition


def register_purchasing_documents() -> None:
    from storeledger.purchasing.approvals import purchase_order_facts, purchase_order_facts_many
    from storeledger.purchasing.models import (
        PurchaseOrder,
        PurchaseReceipt,
        PurchaseRequest,
        PurchaseReturn,
    )
    from storeledger.purchasing.selectors import order_label_lines, receipt_label_lines
    from storeledger.purchasing.services.orders import may_cancel, revision_outcome
    from storeledger.purchasing.services.requests import approval_facts as request_facts
    from storeledger.purchasing.services.returns import approval_facts as return_facts

    register(
        DocumentType(
            key="purchaseorder",
            model=PurchaseOrder,
            prefixes={"purchase_order": "CG"},  # 采购
            print_template="purchase_order",
            extra={"api_paths": {"purchase_order": "purchase-orders"}},
            approver_not_creator=True,
            # Approval rules (core.approvals) on the amount incl. tax, store, supplier and
            # categories; without a matching rule the approve permission decides, as before.
            approval_facts=purchase_order_facts,
            approval_facts_many=purchase_order_facts_many,
            label_lines=order_label_lines,
            # A revision (修订) that went through approval returns the order to the status it
            # had; a rejected one restores the previous revision.
            approval_outcome=revision_outcome,
            actions=(
                Action("submit", (DRAFT,), "purchasing.submit_purchaseorder"),
                Action("approve", (SUBMITTED,), "purchasing.approve_purchaseorder"),
                Action("send", (APPROVED,), "purchasing.send_purchaseorder"),
                Action(
                    "revise",
                    (APPROVED, SENT, PARTIALLY_RECEIVED),
                    "purchasing.revise_purchaseorder",
                ),
                Action(
                    "close", (APPROVED, SENT, PARTIALLY_RECEIVED), "purchasing.close_purchaseorder"
                ),
                # Nothing is received before partially_received: cancel takes nothing back
                # (nor while a revision of a sent or partly received order awaits approval).
                Action(
                    "cancel",
                    (DRAFT, SUBMITTED, APPROVED),
                    "purchasing.change_purchaseorder",
                    condition=may_cancel,
                ),
            ),
        )
    )
    register(
        DocumentType(
            key="purchasereceipt",
            model=PurchaseReceipt,
            prefixes={"purchase_receipt": "CR"},  # 采购入库
            print_template="purchase_receipt",
            extra={"api_paths": {"purchase_receipt": "purchase-receipts"}},
            label_lines=receipt_label_lines,
            actions=(
                Action("post", (DRAFT,), "purchasing.post_purchasereceipt"),
                Action("cancel", (DRAFT,), "purchasing.change_purchasereceipt"),
            ),
        )
    )
    register(
        DocumentType(
            key="purchasereturn",
            model=PurchaseReturn,
            prefixes={"purchase_return": "CT"},  # 采退
            print_template="purchase_return",
            extra={"api_paths": {"purchase_return": "purchase-returns"}},
            approval_facts=return_facts,
            actions=(
                Action("submit", (DRAFT,), "purchasing.submit_purchasereturn"),
                Action("approve", (SUBMITTED,), "purchasing.approve_purchasereturn"),
                Action(
                    "post",
                    CANCELLABLE,
                    "purchasing.post_purchasereturn",
                    condition=_approved_or_may_skip("purchasing.skip_approval_purchasereturn"),
                ),
                Action("reverse", (POSTED,), "purchasing.reverse_purchasereturn", reverses=True),
                Action("cancel", CANCELLABLE, "purchasing.change_purchasereturn"),
            ),
        )
    )
    register(
        DocumentType(
            key="purchaserequest",
            model=PurchaseRequest,
            prefixes={"purchase_request": "QG"},  # 请购
            print_template="",
            extra={"api_paths": {"purchase_request": "purchase-requests"}},
            approval_facts=request_facts,
            actions=(
                Action("submit", (DRAFT,), "purchasing.submit_purchaserequest"),
                Action("approve", (SUBMITTED,), "purchasing.approve_purchaserequest"),
                Action(
                    "consolidate",
                    (APPROVED, PARTIALLY_ORDERED),
                    "purchasing.consolidate_purchaserequest",
                ),
                Action("cancel", CANCELLABLE, "purchasing.change_purchaserequest"),
            ),
        )
    )
