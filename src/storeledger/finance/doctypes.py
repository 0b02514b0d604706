"""Finance's document types in the kernel's registry (core.doctypes): supplier invoices
(供应商发票, prefix FP) and supplier payments (付款, prefix FK) — their life cycles and who may
take each action."""

from __future__ import annotations

from storeledger.core.doctypes import Action, DocumentType, register

DRAFT, SUBMITTED, APPROVED, POSTED = "draft", "submitted", "approved", "posted"


def _has_differences_to_accept(invoice, user) -> bool:
    return any(line.needs_acceptance for line in invoice.lines.all())


def register_finance_documents() -> None:
    from storeledger.finance.models import SupplierInvoice, SupplierPayment

    register(
        DocumentType(
            key="supplierinvoice",
            model=SupplierInvoice,
            prefixes={"supplier_invoice": "FP"},  # 发票
            print_template="supplier_invoice",
            extra={"api_paths": {"supplier_invoice": "supplier-invoices"}},
            actions=(
                Action("submit", (DRAFT,), "finance.submit_supplierinvoice"),
                Action(
                    "accept",
                    (DRAFT, SUBMITTED, APPROVED),
                    "finance.accept_difference_supplierinvoice",
                    condition=_has_differences_to_accept,
                ),
                Action("approve", (SUBMITTED,), "finance.approve_supplierinvoice"),
                Action("post", (DRAFT, SUBMITTED, APPROVED), "finance.post_supplierinvoice"),
                Action("cancel", (DRAFT, SUBMITTED, APPROVED), "finance.change_supplierinvoice"),
                Action("reverse", (POSTED,), "finance.reverse_supplierinvoice", reverses=True),
            ),
        )
    )
    register(
        DocumentType(
            key="supplierpayment",
            model=SupplierPayment,
            prefixes={"supplier_payment": "FK"},  # 付款
            extra={"api_paths": {"supplier_payment": "supplier-payments"}},
            actions=(
                Action("post", (DRAFT,), "finance.post_supplierpayment"),
                Action("cancel", (DRAFT,), "finance.change_supplierpayment"),
                Action("reverse", (POSTED,), "finance.reverse_supplierpayment", reverses=True),
            ),
        )
    )
