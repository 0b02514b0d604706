"""Changes of company settings, stores, warehouses and bin locations (scope-checked)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from storeledger.accounts import scope
from storeledger.core.errors import OutOfScope, PermissionDenied, ValidationFailed
from storeledger.core.services import service
from storeledger.org.models import Company, Location, Store, Warehouse, WarehouseKind

COMPANY_FIELDS = {
    "name",
    "currency",
    "time_zone",
    "allow_negative_stock",
    "count_approval_threshold",
    "over_receipt_tolerance",
    "purchase_price_margin",
    "invoice_price_tolerance",
    "rating_weight_on_time",
    "rating_weight_fill_rate",
    "rating_weight_quality",
    "rating_weight_price",
    "address",
    "phone",
}


def _assign(obj, data: dict[str, Any], allowed: set[str] | None = None) -> None:
    for field, value in data.items():
        if allowed is not None and field not in allowed:
            raise ValueError(f"unexpected field {field}")
        setattr(obj, field, value)


@service
def update_company(*, user, data: dict[str, Any]) -> Company:
    data = dict(data)
    if "currency" in data:
        data["currency"] = str(data["currency"]).strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", data["currency"]):
            message = _("The currency is a three-letter ISO 4217 code, such as CNY.")
            raise ValidationFailed(message, code="invalid_currency", fields={"currency": [message]})
    threshold = data.get("count_approval_threshold")
    if threshold is not None and Decimal(threshold) < 0:
        # a negative threshold made every stock count, even one without a difference, wait
        # for approval; a count's own threshold is refused below zero too
        message = _("The approval threshold cannot be negative.")
        raise ValidationFailed(
            message, code="invalid", fields={"count_approval_threshold": [message]}
        )
    company = Company.current()
    _assign(company, data, COMPANY_FIELDS)
    company.full_clean()
    company.save()
    return company


@service
def save_store(*, user, instance: Store | None, data: dict[str, Any]) -> Store:
    if instance is not None:
        scope.ensure_stores(user, [instance.pk])
    elif not scope.is_unrestricted(user):
        raise OutOfScope(_("Only users with all stores in their scope can create stores."))
    store = instance or Store()
    _assign(store, data)
    store.save()
    return store


def _ensure_warehouse_scope(user, store: Store | None, warehouse_id: int | None) -> None:
    if warehouse_id is not None:
        scope.ensure_warehouses(user, [warehouse_id])
    if store is None:
        if not scope.is_unrestricted(user):
            raise OutOfScope(
                _("Only users with all stores in their scope manage central warehouses.")
            )
    else:
        scope.ensure_stores(user, [store.pk])


@service
def save_warehouse(*, user, instance: Warehouse | None, data: dict[str, Any]) -> Warehouse:
    if instance is not None and instance.kind == WarehouseKind.TRANSIT:
        raise PermissionDenied(
            _("The in-transit warehouse is managed by the system."), code="transit_read_only"
        )
    store = data.get("store", instance.store if instance is not None else None)
    _ensure_warehouse_scope(user, store, instance.pk if instance is not None else None)
    warehouse = instance or Warehouse(kind=WarehouseKind.NORMAL)
    _assign(warehouse, {k: v for k, v in data.items() if k != "kind"})
    warehouse.save()
    scope.forget(user)
    return warehouse


@service
def delete_warehouse(*, user, instance: Warehouse) -> None:
    if instance.kind == WarehouseKind.TRANSIT:
        raise PermissionDenied(
            _("The in-transit warehouse is managed by the system."), code="transit_read_only"
        )
    _ensure_warehouse_scope(user, instance.store, instance.pk)
    instance.delete()


@service
def save_location(*, user, instance: Location | None, data: dict[str, Any]) -> Location:
    warehouses = [data["warehouse"].pk] if "warehouse" in data else []
    if instance is not None:
        warehouses.append(instance.warehouse_id)
    scope.ensure_warehouses(user, warehouses)
    target = data.get("warehouse") or (instance.warehouse if instance is not None else None)
    if target is not None and target.kind == WarehouseKind.TRANSIT:
        raise PermissionDenied(
            _("The in-transit warehouse has no bin locations."), code="transit_read_only"
        )
    location = instance or Location()
    _assign(location, data)
    location.save()
    return location


@service
def delete_location(*, user, instance: Location) -> None:
    scope.ensure_warehouses(user, [instance.warehouse_id])
    instance.delete()
