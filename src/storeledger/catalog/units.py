"""Document lines in any unit of a SKU: the unit's factor to the base unit and the base
quantity (respecting the base unit's precision), and the bulk loads of the SKUs and units
that document services resolve their lines with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from storeledger.catalog.models import Sku, SkuUnit, Unit
from storeledger.core.errors import ValidationFailed
from storeledger.core.lifecycle import line_error
from storeledger.core.quantities import MAX_LINE_QUANTITY, qty


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
            prefix, dot, _name = field.rpartition(".")
            unit_field = f"{prefix}{dot}unit"
            raise ValidationFailed(
                _("Unit %(unit)s is not a unit of SKU %(sku)s.")
                % {"unit": unit.name, "sku": sku.code},
                code="wrong_unit",
                # the unit beside the quantity's field: entries.0.quantity → entries.0.unit
                fields={unit_field: [_("Not a unit of this SKU.")]},
            )
        factor = factors[unit.id]
    base_quantity = qty(quantity * factor)
    if abs(base_quantity) > MAX_LINE_QUANTITY:
        raise ValidationFailed(
            _(
                "%(qty)s %(unit)s of %(sku)s is more than one line may hold (at most %(max)s %(base)s)."
            )
            % {
                "qty": quantity,
                "unit": unit.name,
                "sku": sku.code,
                "max": f"{MAX_LINE_QUANTITY:,}",
                "base": base_unit.name,
            },
            code="quantity_too_large",
            fields={field: [_("The quantity is too large.")]},
        )
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
    if not skus:
        return out
    for sku_id, unit_id, factor in SkuUnit.objects.filter(sku__in=skus).values_list(
        "sku_id", "unit_id", "factor"
    ):
        out[sku_id][unit_id] = factor
    return out


def load_skus(lines: Sequence) -> dict[int, Sku]:
    """The SKUs of the lines (with product and base unit); an unknown SKU is a 400."""
    skus = Sku.objects.select_related("product__base_unit").in_bulk({ln.sku_id for ln in lines})
    return check_skus_found(lines, skus)


def check_skus_found(lines: Sequence, skus: dict[int, Sku]) -> dict[int, Sku]:
    """`skus` (read by the caller); an unknown SKU of the lines is a 400."""
    for index, line in enumerate(lines):
        if line.sku_id not in skus:
            raise line_error(
                index, "sku", _("SKU #%(id)s does not exist.") % {"id": line.sku_id}, "unknown_sku"
            )
    return skus


def load_units(lines: Sequence) -> dict[int, Unit]:
    units = Unit.objects.in_bulk({ln.unit_id for ln in lines if ln.unit_id})
    for index, line in enumerate(lines):
        if line.unit_id and line.unit_id not in units:
            raise line_error(
                index,
                "unit",
                _("Unit #%(id)s does not exist.") % {"id": line.unit_id},
                "unknown_unit",
            )
    return units


def resolve_line_quantity(
    index: int, sku: Sku, unit: Unit | None, quantity: Decimal, factors
) -> ResolvedQuantity:
    """`resolve_quantity` with its errors on `lines.<index>.unit|quantity`."""
    try:
        return resolve_quantity(sku, unit, quantity, units_by_sku=factors)
    except ValidationFailed as error:
        field = "unit" if error.code == "wrong_unit" else "quantity"
        raise ValidationFailed(
            error.message,
            code=error.code,
            fields={f"lines.{index}.{field}": list(error.fields.values())[0]},
        ) from error
