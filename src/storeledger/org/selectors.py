"""Read helpers every document service shares: the warehouse a document is for (active,
normal, in the user's scope), the store whose number series it takes, a line's bin."""

from __future__ import annotations

from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.core.lifecycle import line_error
from storeledger.org.models import Location, Store, Warehouse, WarehouseKind


def stock_warehouse(
    warehouse_id: int, user, *, field: str = "warehouse", scoped: bool = True
) -> Warehouse:
    """A normal (not in-transit), active warehouse inside the user's scope (any warehouse's
    scope with `scoped=False`, e.g. the destination of a transfer)."""
    warehouse = Warehouse.objects.select_related("store").filter(pk=warehouse_id).first()
    return check_stock_warehouse(warehouse, user, field=field, scoped=scoped)


def check_stock_warehouse(
    warehouse: Warehouse | None, user, *, field: str = "warehouse", scoped: bool = True
) -> Warehouse:
    """`stock_warehouse`'s checks of a warehouse read already (None: no such row)."""
    if warehouse is None or warehouse.kind != WarehouseKind.NORMAL:
        raise NotFound(_("Warehouse not found."), fields={field: [_("Unknown warehouse.")]})
    if scoped:
        scope.ensure_warehouses(user, [warehouse.id])
    if not warehouse.active:
        raise ValidationFailed(
            _("Warehouse %(code)s is inactive.") % {"code": warehouse.code},
            code="inactive_warehouse",
            fields={field: [_("Inactive warehouse.")]},
        )
    return warehouse


def numbering_store(warehouse: Warehouse) -> Store | None:
    """The store whose number series a document of this warehouse uses (None: head office)."""
    if warehouse.store_id:
        return warehouse.store
    return Store.objects.filter(is_head_office=True).order_by("id").first()


def document_store(warehouse: Warehouse, *, field: str = "warehouse") -> Store:
    """`numbering_store`, or a 400 no_store (on `field`) when there is none."""
    store = numbering_store(warehouse)
    if store is None:
        raise ValidationFailed(
            _("Warehouse %(code)s belongs to no store and there is no head-office store.")
            % {"code": warehouse.code},
            code="no_store",
            fields={field: [_("Set up a head-office store first.")]},
        )
    return store


def check_location(index: int, field: str, location: Location | None, warehouse: Warehouse) -> None:
    """A 400 on `lines.<index>.<field>` unless `location` is an active bin of `warehouse`."""
    if location is None:
        message, code = _("The chosen location does not exist."), "unknown_location"
    elif location.warehouse_id != warehouse.id:
        message = _("Location %(location)s is not a location of warehouse %(wh)s.") % {
            "location": location.code,
            "wh": warehouse.code,
        }
        code = "wrong_location"
    elif not location.active:
        message = _("Location %(location)s of warehouse %(wh)s is inactive.") % {
            "location": location.code,
            "wh": warehouse.code,
        }
        code = "inactive_location"
    else:
        return
    raise line_error(index, field, message, code)
