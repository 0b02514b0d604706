"""Finance's part of the seeded roles: supplier invoices, payments and the supplier account
(balances, statements, ageing). accounts.roles collects every app's part."""

from __future__ import annotations

from storeledger.accounts.roles import EDIT, VIEW, model_perms

DOCUMENTS = [
    "supplierinvoice",
    "supplierinvoiceline",
    "supplierpayment",
    "supplierpaymentallocation",
]

# Who may read the supplier account (balances, statements, ageing): the invoices' view
# permission — money on these pages is for the roles that see payables.
VIEW_ACCOUNT = "finance.view_supplierinvoice"


def role_permissions() -> dict[str, list[str]]:
    view = model_perms("finance", VIEW, DOCUMENTS)
    # Finance enters invoices and payments, posts them and accepts differences; a second
    # pair of eyes (a store manager or the admin) approves invoices where a rule asks.
    finance = (
        view
        + model_perms("finance", EDIT, ["supplierinvoice", "supplierpayment"])
        + [
            "finance.submit_supplierinvoice",
            "finance.post_supplierinvoice",
            "finance.reverse_supplierinvoice",
            "finance.accept_difference_supplierinvoice",
            "finance.post_supplierpayment",
            "finance.reverse_supplierpayment",
        ]
    )
    return {
        "admin": finance + ["finance.approve_supplierinvoice"],
        "finance": finance,
        # a store manager sees what the store owes and approves its invoices
        "store_manager": view + ["finance.approve_supplierinvoice"],
        # a buyer sees what suppliers are owed (not who paid what when: read-only)
        "buyer": view,
    }
