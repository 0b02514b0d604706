"""Changes of the supplier catalogue: one transactional function per operation.

A price is never overwritten: creating an item and every change of its price or validity
append a `SupplierPrice` row; the item keeps the latest one for lists and documents."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.catalog.models import Sku, SkuUnit, Unit
from storeledger.core.errors import ValidationFailed
from storeledger.core.services import service
from storeledger.partners.models import Supplier
from storeledger.purchasing.errors import PreferredConflict
from storeledger.purchasing.models import SupplierItem, SupplierPrice

MAX_DAYS = 3650


@dataclass(frozen=True)
class SupplierItemData:
    """Every field of a supplier item. `purchase_unit` None = the SKU's base unit; `pack_size`
    None = what the unit holds (1 for the base unit, the SKU's conversion factor otherwise);
    `price_valid_from` None = today."""

    supplier: Supplier
    sku: Sku
    price: Decimal
    purchase_unit: Unit | None = None
    pack_size: Decimal | None = None
    price_valid_from: datetime.date | None = None
    price_valid_to: datetime.date | None = None
    item_code: str = ""
    min_order_qty: Decimal = Decimal(0)
    lead_time_days: int | None = None
    preferred: bool = False
    active: bool = True
    notes: str = ""


def item_data(item: SupplierItem) -> SupplierItemData:
    """The item's current values, to be changed with dataclasses.replace."""
    return SupplierItemData(
        supplier=item.supplier,
        sku=item.sku,
        price=item.price,
        purchase_unit=item.purchase_unit,
        pack_size=item.pack_size,
        price_valid_from=item.price_valid_from,
        price_valid_to=item.price_valid_to,
        item_code=item.item_code,
        min_order_qty=item.min_order_qty,
        lead_time_days=item.lead_time_days,
        preferred=item.preferred,
        active=item.active,
        notes=item.notes,
    )


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _complete(data: SupplierItemData, item: SupplierItem | None) -> SupplierItemData:
    """Fill the defaults and check every rule of one row; all errors at once, by field."""
    errors: dict[str, list[str]] = {}
    sku, supplier = data.sku, data.supplier
    base = sku.product.base_unit
    if item is not None:
        if supplier.pk != item.supplier_id:
            _add(errors, "supplier", _("An item cannot move to another supplier; add a new one."))
        if sku.pk != item.sku_id:
            _add(errors, "sku", _("An item cannot move to another SKU; add a new one."))
    else:
        if not supplier.active:
            _add(
                errors, "supplier", _("Supplier %(code)s is deactivated.") % {"code": supplier.code}
            )
        if not (sku.active and sku.product.active):
            _add(errors, "sku", _("SKU %(code)s is deactivated.") % {"code": sku.code})
        elif SupplierItem.objects.filter(supplier=supplier, sku=sku).exists():
            _add(
                errors,
                "sku",
                _("Supplier %(supplier)s already has SKU %(sku)s in its catalogue.")
                % {"supplier": supplier.code, "sku": sku.code},
            )

    unit = data.purchase_unit or base
    factor: Decimal | None = Decimal(1)
    if unit.pk != base.pk:
        factor = SkuUnit.objects.filter(sku=sku, unit=unit).values_list("factor", flat=True).first()
    pack_size = data.pack_size if data.pack_size is not None else factor
    if pack_size is None:
        _add(
            errors,
            "pack_size",
            _("SKU %(sku)s has no unit %(unit)s: say how many %(base)s one %(unit)s holds.")
            % {"sku": sku.code, "unit": unit.name, "base": base.name},
        )
    elif pack_size <= 0:
        _add(errors, "pack_size", _("The pack size must be greater than zero."))
    elif factor is not None and pack_size != factor:
        _add(
            errors,
            "pack_size",
            _("One %(unit)s of SKU %(sku)s holds %(factor)s %(base)s; the pack size must match.")
            % {
                "unit": unit.name,
                "sku": sku.code,
                "factor": format(factor.normalize(), "f"),
                "base": base.name,
            },
        )
    elif _places(pack_size) > base.precision:
        _add(
            errors,
            "pack_size",
            _("The base unit %(unit)s allows %(places)s decimal places.")
            % {"unit": base.name, "places": base.precision},
        )

    if data.price is None or data.price <= 0:
        _add(errors, "price", _("The price must be greater than zero."))
    valid_from = data.price_valid_from or timezone.localdate()
    if data.price_valid_to is not None and data.price_valid_to < valid_from:
        _add(errors, "price_valid_to", _("The price cannot stop being valid before it starts."))
    if data.min_order_qty < 0:
        _add(errors, "min_order_qty", _("The minimum order quantity cannot be negative."))
    elif _places(data.min_order_qty) > unit.precision:
        _add(
            errors,
            "min_order_qty",
            _("The purchase unit %(unit)s allows %(places)s decimal places.")
            % {"unit": unit.name, "places": unit.precision},
        )
    if data.lead_time_days is not None and not 0 <= data.lead_time_days <= MAX_DAYS:
        _add(errors, "lead_time_days", _("At most %(max)s days.") % {"max": MAX_DAYS})
    code = data.item_code.strip()
    if code:
        taken = SupplierItem.objects.filter(supplier=supplier, item_code=code)
        if item is not None:
            taken = taken.exclude(pk=item.pk)
        other = taken.select_related("sku").first()
        if other is not None:
            _add(
                errors,
                "item_code",
                _("Supplier %(supplier)s already uses item code %(code)s for SKU %(sku)s.")
                % {"supplier": supplier.code, "code": code, "sku": other.sku.code},
            )
    if data.preferred and not data.active:
        _add(errors, "preferred", _("A deactivated item cannot be the preferred one."))
    if errors:
        raise ValidationFailed(fields=errors)
    return replace(
        data,
        purchase_unit=unit,
        pack_size=pack_size,
        price_valid_from=valid_from,
        item_code=code,
    )


def _price_changed(item: SupplierItem, data: SupplierItemData) -> bool:
    return (item.price, item.price_valid_from, item.price_valid_to) != (
        data.price,
        data.price_valid_from,
        data.price_valid_to,
    )


def _record_price(item: SupplierItem, user, note: str = "") -> SupplierPrice:
    return SupplierPrice.objects.create(
        item=item,
        price=item.price,
        valid_from=item.price_valid_from,
        valid_to=item.price_valid_to,
        recorded_by=user if user is not None and user.is_authenticated else None,
        note=note[:200],
    )


def _take_preference(item: SupplierItem) -> None:
    """Make `item` the only preferred supplier of its SKU. The SKU row is locked first, so two
    changes of the same SKU's preference run one after the other."""
    list(Sku.objects.select_for_update().filter(pk=item.sku_id).values_list("pk", flat=True))
    SupplierItem.objects.filter(sku_id=item.sku_id, preferred=True).exclude(pk=item.pk).update(
        preferred=False, updated_at=timezone.now()
    )


def _violated(error: IntegrityError) -> str:
    """The constraint an IntegrityError names: PostgreSQL reports it by name, SQLite by its
    columns ("UNIQUE constraint failed: purchasing_supplieritem.sku_id")."""
    diag = getattr(error.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name
    text = str(error)
    listed = text.split(":", 1)[1].replace("purchasing_supplieritem.", "") if ":" in text else ""
    columns = {c.strip() for c in listed.split(",")}
    if columns == {"sku_id"}:
        return "purchasing_supplieritem_one_preferred_per_sku"
    if "item_code" in columns:
        return "purchasing_supplieritem_unique_item_code"
    if columns == {"supplier_id", "sku_id"}:
        return "purchasing_supplieritem_unique_supplier_sku"
    return ""


def _save(item: SupplierItem) -> None:
    """Save; a unique constraint that a concurrent change got to first is a clear error."""
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        name = _violated(error)
        if name == "purchasing_supplieritem_one_preferred_per_sku":
            raise PreferredConflict() from error
        if name == "purchasing_supplieritem_unique_item_code":
            raise ValidationFailed(
                fields={"item_code": [_("The supplier already uses this item code.")]}
            ) from error
        if name == "purchasing_supplieritem_unique_supplier_sku":
            raise ValidationFailed(
                fields={"sku": [_("The supplier already has this SKU in its catalogue.")]}
            ) from error
        raise


def _apply(item: SupplierItem, data: SupplierItemData) -> None:
    """Copy `data`, completed by `_complete` (its unit, pack size and validity are set)."""
    unit, pack_size, valid_from = data.purchase_unit, data.pack_size, data.price_valid_from
    assert unit is not None and pack_size is not None and valid_from is not None
    item.supplier = data.supplier
    item.sku = data.sku
    item.purchase_unit = unit
    item.pack_size = pack_size
    item.price = data.price
    item.price_valid_from = valid_from
    item.price_valid_to = data.price_valid_to
    item.item_code = data.item_code
    item.min_order_qty = data.min_order_qty
    item.lead_time_days = data.lead_time_days
    item.preferred = data.preferred
    item.active = data.active
    item.notes = data.notes


@service
def create_supplier_item(*, user, data: SupplierItemData) -> SupplierItem:
    """Add a SKU to a supplier's catalogue with its first price (the first history row)."""
    data = _complete(data, None)
    item = SupplierItem()
    _apply(item, data)
    if item.preferred:
        _take_preference(item)
    _save(item)
    _record_price(item, user)
    return item


@service
def update_supplier_item(
    *, user, item: SupplierItem, data: SupplierItemData, price_note: str = ""
) -> SupplierItem:
    """Change a catalogue entry; a changed price or validity appends a history row."""
    locked = SupplierItem.objects.select_for_update().get(pk=item.pk)
    data = _complete(data, locked)
    changed = _price_changed(locked, data)
    _apply(locked, data)
    if locked.preferred:
        _take_preference(locked)
    _save(locked)
    if changed:
        _record_price(locked, user, price_note)
    return locked


@service
def change_supplier_price(
    *,
    user,
    item: SupplierItem,
    price: Decimal,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    note: str = "",
) -> SupplierItem:
    """A new price from `valid_from` (default today); the old one stays in the history.
    The same price and validity again changes nothing."""
    locked = SupplierItem.objects.select_for_update().get(pk=item.pk)
    data = replace(
        item_data(locked),
        price=price,
        price_valid_from=valid_from or timezone.localdate(),
        price_valid_to=valid_to,
    )
    return update_supplier_item(user=user, item=locked, data=data, price_note=note)


@service
def set_preferred_supplier_item(*, user, item: SupplierItem) -> SupplierItem:
    """Make this supplier the preferred one of its SKU (the previous one stops being it)."""
    locked = SupplierItem.objects.select_for_update().get(pk=item.pk)
    return update_supplier_item(
        user=user, item=locked, data=replace(item_data(locked), preferred=True)
    )


@service
def delete_supplier_item(*, user, item: SupplierItem) -> None:
    """Remove a SKU from a supplier's catalogue, with its price history."""
    SupplierItem.objects.filter(pk=item.pk).delete()
