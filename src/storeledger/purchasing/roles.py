"""Purchasing's part of the seeded roles: the supplier catalogue, purchase orders and
receipts. accounts.roles collects every app's part (an app's AppConfig.role_permissions)."""

from __future__ import annotations

from storeledger.accounts.roles import EDIT, VIEW, model_perms

CATALOGUE = ["supplieritem", "supplierprice"]
ORDERS = ["purchaseorder", "purchaseorderline"]
RECEIPTS = ["purchasereceipt", "purchasereceiptline"]
RETURNS = ["purchasereturn", "purchasereturnline"]
REQUESTS = ["purchaserequest", "purchaserequestline"]


def role_permissions() -> dict[str, list[str]]:
    # The supplier catalogue (prices the company pays): head office (admin, buyer) edits it,
    # the other office roles read it; cashiers do not see it. The price history is
    # append-only: nobody gets to change or delete its rows.
    catalogue_view = model_perms("purchasing", VIEW, CATALOGUE)
    catalogue_edit = catalogue_view + model_perms("purchasing", EDIT, ["supplieritem"])
    orders_view = model_perms("purchasing", VIEW, ORDERS + RECEIPTS)
    # Receiving is the warehouse's job (and the managers'); goods without an order only for
    # managers and admins.
    receive = model_perms("purchasing", EDIT, RECEIPTS) + ["purchasing.post_purchasereceipt"]
    # A buyer writes, submits and sends orders; approving is for managers (and never of an
    # order one wrote oneself); only admins may order at a price of 0 or far below the last.
    buyer = (
        orders_view
        + model_perms("purchasing", EDIT, ORDERS)
        + [
            "purchasing.submit_purchaseorder",
            "purchasing.send_purchaseorder",
            "purchasing.close_purchaseorder",
            "purchasing.revise_purchaseorder",
        ]
    )
    manager = (
        buyer
        + receive
        + [
            "purchasing.approve_purchaseorder",
            "purchasing.receive_without_order",
        ]
    )
    # Returns: the warehouse writes and posts them (past approval when no rule asks for it),
    # the manager approves and reverses; buyers write and submit them; finance reads them
    # (a return is a debit note).
    returns_view = model_perms("purchasing", VIEW, RETURNS)
    returns_write = (
        returns_view
        + model_perms("purchasing", EDIT, RETURNS)
        + ["purchasing.submit_purchasereturn"]
    )
    returns_keeper = returns_write + [
        "purchasing.post_purchasereturn",
        "purchasing.skip_approval_purchasereturn",
    ]
    returns_manager = returns_keeper + [
        "purchasing.approve_purchasereturn",
        "purchasing.reverse_purchasereturn",
    ]
    # Requests: a store raises them (keeper, manager), the manager approves; buyers turn
    # approved ones into orders.
    requests_view = model_perms("purchasing", VIEW, REQUESTS)
    requests_write = (
        requests_view
        + model_perms("purchasing", EDIT, REQUESTS)
        + ["purchasing.submit_purchaserequest"]
    )
    requests_manager = requests_write + [
        "purchasing.approve_purchaserequest",
        "purchasing.consolidate_purchaserequest",
    ]
    requests_buyer = requests_view + ["purchasing.consolidate_purchaserequest"]
    return {
        "admin": catalogue_edit
        + manager
        + ["purchasing.override_price_purchaseorder"]
        + returns_manager
        + requests_manager,
        "store_manager": catalogue_view + manager + returns_manager + requests_manager,
        "warehouse_keeper": catalogue_view
        + orders_view
        + receive
        + returns_keeper
        + requests_write,
        "buyer": catalogue_edit + buyer + returns_write + requests_buyer,
        "finance": catalogue_view + orders_view + returns_view + requests_view,
        "viewer": catalogue_view + orders_view + returns_view + requests_view,
    }
