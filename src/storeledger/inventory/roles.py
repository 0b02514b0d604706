"""Inventory's part of the seeded roles: which role may see, edit and act on its documents and
ledger. accounts.roles collects every app's part (an app's AppConfig.role_permissions)."""

from __future__ import annotations

from storeledger.accounts.roles import EDIT, VIEW, model_perms

DOCUMENTS = ["stockdocument", "transfer", "stockcount"]
DOCUMENT_LINES = ["stockdocumentline", "transferline", "stockcountline", "stockcountentry"]
LEDGER = ["stockbalance", "stockmove", "batch", "posting", "reasoncode"]
DOCUMENT_ACTIONS = ("submit", "approve", "post", "reverse", "skip_approval")
OPERATIONS = ["inventory.ship_transfer", "inventory.receive_transfer", "inventory.count_stockcount"]


def role_permissions() -> dict[str, list[str]]:
    def actions(verbs: tuple[str, ...]) -> list[str]:
        return [f"inventory.{verb}_{model}" for model in DOCUMENTS for verb in verbs]

    view = model_perms("inventory", VIEW)
    everything = model_perms("inventory", EDIT) + actions(DOCUMENT_ACTIONS) + OPERATIONS
    keeper = (
        model_perms("inventory", EDIT, DOCUMENTS + DOCUMENT_LINES)
        + model_perms("inventory", VIEW, LEDGER)
        + actions(("submit", "post"))
        + OPERATIONS
        + ["inventory.skip_approval_stockdocument"]
    )
    # the reason codes (出入库类别) are chain-wide: head office keeps them, stores pick them
    chain_wide = {f"inventory.{verb}_reasoncode" for verb in ("add", "change", "delete")}
    return {
        "admin": everything,
        "store_manager": view + [p for p in everything if p not in chain_wide],
        "warehouse_keeper": view + keeper,
        "cashier": model_perms("inventory", VIEW, ["stockbalance", "batch"]),
        "buyer": view,
        "finance": view,
        "viewer": view,
    }
