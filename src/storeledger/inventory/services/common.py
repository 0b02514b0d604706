"""Helpers shared by the inventory document services: line resolution, numbering, scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.models import Sku, SkuUnit, Unit
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.core.numbering import next_document_number
from storeledger.core.quantities import qty
from storeledger.org.models import Store, Warehouse, WarehouseKind

# Document number prefixes (pinyin initials of the Chinese document names).
PREFIX = {
    "stock_in": "RK",  # 入库
    "stock_out": "CK",  # 出库
    "adjustment": "TZ",  # 调整
    "scrap": "BS",  # 报损
    "transfer": "DB",  # 调拨
    "stock_count": "PD",  # 盘点
}


@dataclass(frozen=True)
class ResolvedQuantity:
    unit: Unit
    factor: Decimal
    quantity: Decimal  # in the line's unit
    base_quantity: Decimal  # in the SKU's base unit


def resolve_quantity(
    sku: Sku,
    unit: Unit | None,
    quantity: Decimal,
    *,
    field: str = "quantity",
    units_by_sku: dict[int, dict[int, Decimal]] | None = None,
) -> ResolvedQuantity:
    """Convert a line quantity in any unit of the SKU to base units, checking that the unit
    belongs to the SKU and that the base quantity respects the base unit's precision."""
    base_unit = sku.product.base_unit
    unit = unit or base_unit
    if unit.id == base_unit.id:
        factor = Decimal(1)
    else:
        factors = (
            units_by_sku.get(sku.id, {})
            if units_by_sku is not None
            else dict(SkuUnit.objects.filter(sku=sku).values_list("unit_id", "factor"))
        )
        if unit.id not in factors:
            raise ValidationFailed(
                _("Unit %(unit)s is not a unit of SKU %(sku)s.")
                % {"unit": unit.name, "sku": sku.code},
                code="wrong_unit",
                fields={"unit": [_("Not a unit of this SKU.")]},
            )
        factor = factors[unit.id]
    base_quantity = qty(quantity * factor)
    step = Decimal(1).scaleb(-base_unit.precision)
    if base_quantity != base_quantity.quantize(step):
        raise ValidationFailed(
            _("%(qty)s %(unit)s of %(sku)s is not a whole number of %(base)s.")
            % {"qty": quantity, "unit": unit.name, "sku": sku.code, "base": base_unit.name},
            code="bad_precision",
            fields={field: [_("Too many decimal places for this unit.")]},
        )
    return ResolvedQuantity(
        unit=unit, factor=factor, quantity=quantity, base_quantity=base_quantity
    )


def units_for(skus: list[Sku]) -> dict[int, dict[int, Decimal]]:
    """{sku_id: {unit_id: factor}} for many SKUs in one query."""
    out: dict[int, dict[int, Decimal]] = {s.id: {} for s in skus}
    for sku_id, unit_id, factor in SkuUnit.objects.filter(sku__in=skus).values_list(
        "sku_id", "unit_id", "factor"
    ):
        out[sku_id][unit_id] = factor
    return out


def stock_warehouse(warehouse_id: int, user, *, field: str = "warehouse") -> Warehouse:
    """A normal (not in-transit), active warehouse inside the user's scope."""
    warehouse = Warehouse.objects.select_related("store").filter(pk=warehouse_id).first()
    if warehouse is None or warehouse.kind != WarehouseKind.NORMAL:
        raise NotFound(_("Warehouse not found."), fields={field: [_("Unknown warehouse.")]})
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


def new_number(kind: str, store_code: str, day: datetime.date | None = None) -> str:
    return next_document_number(
        prefix=PREFIX[kind], store_code=store_code, day=day or timezone.localdate()
    )
