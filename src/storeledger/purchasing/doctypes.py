"""Purchasing's document types in the kernel's registry (core.doctypes): purchase orders
(采购订单, prefix CG) and purchase receipts (采购入库, prefix CR) — their life cycles and who
may take each action. The services start each transition from here; the API shows
`available_actions`; the web UI draws its buttons from that."""

from __future__ import annotations

from storeledger.core.doctypes import Action, DocumentType, register

DRAFT, SUBMITTED, APPROVED = "draft", "submitted", "approved"
SENT, PARTIALLY_RECEIVED = "sent", "partially_received"


def register_purchasing_documents() -> None:
    from storeledger.purchasing.approvals import purchase_order_facts, purchase_order_facts_many
    from storeledger.purchasing.models import PurchaseOrder, PurchaseReceipt
    from storeledger.purchasing.selectors import order_label_lines, receipt_label_lines

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
            actions=(
                Action("submit", (DRAFT,), "purchasing.submit_purchaseorder"),
                Action("approve", (SUBMITTED,), "purchasing.approve_purchaseorder"),
                Action("send", (APPROVED,), "purchasing.send_purchaseorder"),
                Action(
                    "close", (APPROVED, SENT, PARTIALLY_RECEIVED), "purchasing.close_purchaseorder"
                ),
                # Nothing is received before partially_received: cancel takes nothing back.
                Action("cancel", (DRAFT, SUBMITTED, APPROVED), "purchasing.change_purchaseorder"),
            ),
        )
    )
    register(
        DocumentType(
            key="purchasereceipt",
            model=PurchaseReceipt,
            prefixes={"purchase_receipt": "CR"},  # 采购入库
            label_lines=receipt_label_lines,
            actions=(
                Action("post", (DRAFT,), "purchasing.post_purchasereceipt"),
                Action("cancel", (DRAFT,), "purchasing.change_purchasereceipt"),
            ),
        )
    )
