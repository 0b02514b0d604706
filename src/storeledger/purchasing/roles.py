"""Purchasing's part of the seeded roles: the supplier catalogue, purchase orders and
receipts. accounts.roles collects every app's part (an app's AppConfig.role_permissions)."""

from __future__ import annotations

from storeledger.accounts.roles import EDIT, VIEW, model_perms

CATALOGUE = ["supplieritem", "supplierprice"]
ORDERS = ["purchaseorder", "purchaseorderline"]
RECEIPTS = ["purchasereceipt", "purchasereceiptline"]


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
    return {
        "admin": catalogue_edit + manager + ["purchasing.override_price_purchaseorder"],
        "store_manager": catalogue_view + manager,
        "warehouse_keeper": catalogue_view + orders_view + receive,
        "buyer": catalogue_edit + buyer,
        "finance": catalogue_view + orders_view,
        "viewer": catalogue_view + orders_view,
    }
