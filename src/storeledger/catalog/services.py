"""Changes of the catalogue: category tree, products and SKUs with their barcodes and units."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.catalog import barcodes as gs1
from storeledger.catalog.errors import LastSku
from storeledger.catalog.models import (
    Barcode,
    BarcodeKind,
    Category,
    Product,
    Sku,
    SkuUnit,
    Unit,
)
from storeledger.catalog.pinyin import initials
from storeledger.core.errors import InUse, ValidationFailed
from storeledger.core.numbering import next_document_number
from storeledger.core.services import service

PRODUCT_FIELDS = (
    "code",
    "name",
    "category",
    "brand",
    "base_unit",
    "tracking",
    "shelf_life_days",
    "tax_rate",
    "description",
    "active",
)
SKU_FIELDS = (
    "code",
    "name",
    "spec",
    "attributes",
    "purchase_price",
    "retail_price",
    "member_price",
    "allow_negative_stock",
    "safety_stock",
    "max_stock",
    "active",
)
INTERNAL_PREFIX = "20"


@dataclass(frozen=True)
class BarcodeInput:
    code: str
    unit: Unit | None = None
    is_primary: bool = False


@dataclass(frozen=True)
class UnitInput:
    unit: Unit
    factor: Decimal
    retail_price: Decimal | None = None


def _assign(obj, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for field in allowed:
        if field in data:
            setattr(obj, field, data[field])


# ---------------------------------------------------------------- categories


@service
def save_category(*, user, instance: Category | None, data: dict[str, Any]) -> Category:
    """Create or change a category; keeps `path` of it and its whole subtree right."""
    category = instance or Category()
    parent = data.get("parent", category.parent if instance is not None else None)
    if instance is not None and parent is not None:
        parent.refresh_from_db(fields=["path"])
        if parent.pk == instance.pk or f"/{instance.pk}/" in parent.path:
            raise ValidationFailed(
                _("A category cannot be moved under itself or one of its subcategories."),
                code="category_cycle",
                fields={"parent": [_("This would make a cycle in the category tree.")]},
            )
    old_path = category.path
    for field in ("code", "name", "parent", "sort_order"):
        if field in data:
            setattr(category, field, data[field])
    category.save()
    new_path = f"{parent.path if parent is not None else '/'}{category.pk}/"
    if new_path != old_path:
        Category.objects.filter(pk=category.pk).update(path=new_path)
        category.path = new_path
        if old_path:
            descendants = list(
                Category.objects.filter(path__startswith=old_path).exclude(pk=category.pk)
            )
            for node in descendants:
                node.path = new_path + node.path[len(old_path) :]
            Category.objects.bulk_update(descendants, ["path"], batch_size=500)
    return category


# ---------------------------------------------------------------- barcodes and units


def _barcode_kind(code: str) -> str:
    kind = gs1.classify(code)
    if kind == BarcodeKind.EAN13 and code[:1] == "2":
        return BarcodeKind.INTERNAL
    return kind


def _check_barcodes_free(codes: list[str], sku: Sku | None) -> dict[str, str]:
    """{code: message} for codes that another SKU already has."""
    taken = Barcode.objects.filter(code__in=codes).select_related("sku")
    if sku is not None and sku.pk:
        taken = taken.exclude(sku=sku)
    return {
        b.code: _("Barcode %(code)s already belongs to SKU %(sku)s %(name)s.")
        % {"code": b.code, "sku": b.sku.code, "name": b.sku.name}
        for b in taken
    }


def validate_units(base_unit: Unit, units: list[UnitInput]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    quantum = Decimal(1).scaleb(-base_unit.precision)
    for index, item in enumerate(units):
        prefix = f"units.{index}"
        if item.unit.pk == base_unit.pk:
            errors.setdefault(f"{prefix}.unit", []).append(_("The base unit needs no conversion."))
        elif item.unit.pk in seen:
            errors.setdefault(f"{prefix}.unit", []).append(_("This unit is listed twice."))
        seen.add(item.unit.pk)
        if item.factor is None or item.factor <= 0:
            errors.setdefault(f"{prefix}.factor", []).append(
                _("The factor must be greater than zero.")
            )
        elif item.factor != item.factor.quantize(quantum):
            errors.setdefault(f"{prefix}.factor", []).append(
                _("The base unit %(unit)s allows %(places)s decimal places.")
                % {"unit": base_unit.name, "places": base_unit.precision}
            )
        if item.retail_price is not None and item.retail_price < 0:
            errors.setdefault(f"{prefix}.retail_price", []).append(_("A price cannot be negative."))
    return errors


def validate_barcodes(
    sku: Sku | None, base_unit: Unit, unit_ids: set[int], items: list[BarcodeInput]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        prefix = f"barcodes.{index}"
        message = gs1.validation_error(item.code)
        if message:
            errors.setdefault(f"{prefix}.code", []).append(message)
        elif item.code in seen:
            errors.setdefault(f"{prefix}.code", []).append(_("This barcode is listed twice."))
        seen.add(item.code)
        if item.unit is not None and item.unit.pk != base_unit.pk and item.unit.pk not in unit_ids:
            errors.setdefault(f"{prefix}.unit", []).append(
                _("The unit %(unit)s is neither the base unit nor a unit of this SKU.")
                % {"unit": item.unit.name}
            )
    if sum(1 for item in items if item.is_primary) > 1:
        errors.setdefault("barcodes", []).append(_("Only one barcode can be the primary one."))
    taken = _check_barcodes_free([i.code for i in items if i.code in seen], sku)
    for index, item in enumerate(items):
        if item.code in taken:
            errors.setdefault(f"barcodes.{index}.code", []).append(taken[item.code])
    return errors


def _replace_units(sku: Sku, units: list[UnitInput]) -> None:
    SkuUnit.objects.filter(sku=sku).delete()
    SkuUnit.objects.bulk_create(
        [SkuUnit(sku=sku, unit=u.unit, factor=u.factor, retail_price=u.retail_price) for u in units]
    )


def _replace_barcodes(sku: Sku, base_unit: Unit, items: list[BarcodeInput]) -> None:
    Barcode.objects.filter(sku=sku).delete()
    primary = next((i for i in items if i.is_primary), items[0] if items else None)
    Barcode.objects.bulk_create(
        [
            Barcode(
                sku=sku,
                code=item.code.strip(),
                unit=None if item.unit is None or item.unit.pk == base_unit.pk else item.unit,
                kind=_barcode_kind(item.code.strip()),
                is_primary=item is primary,
            )
            for item in items
        ]
    )


# ---------------------------------------------------------------- products and SKUs


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


@service
def save_sku(
    *,
    user,
    instance: Sku | None,
    product: Product,
    data: dict[str, Any],
    barcodes: list[BarcodeInput] | None = None,
    units: list[UnitInput] | None = None,
) -> Sku:
    """Create or change a SKU of `product`. `barcodes` / `units`, when given, replace the
    SKU's whole set (None keeps them)."""
    sku = instance or Sku(product=product)
    base_unit = product.base_unit
    errors: dict[str, list[str]] = {}
    if units is not None:
        errors.update(validate_units(base_unit, units))
        unit_ids = {u.unit.pk for u in units}
    elif sku.pk:
        unit_ids = set(SkuUnit.objects.filter(sku=sku).values_list("unit_id", flat=True))
    else:
        unit_ids = set()
    if barcodes is not None:
        errors.update(validate_barcodes(sku, base_unit, unit_ids, barcodes))
    elif units is not None and sku.pk:
        orphan = Barcode.objects.filter(sku=sku, unit__isnull=False).exclude(unit_id__in=unit_ids)
        for code in orphan.values_list("code", flat=True):
            errors.setdefault("units", []).append(
                _("Barcode %(code)s uses a unit that would be removed.") % {"code": code}
            )
    _raise(errors)
    _assign(sku, data, SKU_FIELDS)
    sku.save()
    if units is not None:
        _replace_units(sku, units)
    if barcodes is not None:
        _replace_barcodes(sku, base_unit, barcodes)
    return sku


@service
def create_product(*, user, data: dict[str, Any], skus: list[dict[str, Any]]) -> Product:
    """Create a product with its SKUs in one go. With no SKU given, one SKU with the
    product's code and name is created (a simple product). A SKU without code or name takes
    the product's (only allowed for one SKU)."""
    product = Product()
    _assign(product, data, PRODUCT_FIELDS)
    product.save()
    items = skus or [{}]
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        code = item.get("code") or (product.code if len(items) == 1 else "")
        if not code:
            errors.setdefault(f"skus.{index}.code", []).append(_("This field is required."))
        elif code in seen or Sku.objects.filter(code=code).exists():
            errors.setdefault(f"skus.{index}.code", []).append(
                _("A SKU with the code %(code)s already exists.") % {"code": code}
            )
        seen.add(code)
    _raise(errors)
    for index, item in enumerate(items):
        fields = {k: v for k, v in item.items() if k not in ("barcodes", "units")}
        fields["code"] = item.get("code") or product.code
        fields["name"] = item.get("name") or product.name
        try:
            save_sku(
                user=user,
                instance=None,
                product=product,
                data=fields,
                barcodes=item.get("barcodes"),
                units=item.get("units"),
            )
        except ValidationFailed as error:
            error.fields = {f"skus.{index}.{k}": v for k, v in error.fields.items()}
            raise
    return product


@service
def update_product(*, user, instance: Product, data: dict[str, Any]) -> Product:
    if "base_unit" in data and data["base_unit"].pk != instance.base_unit_id:
        if SkuUnit.objects.filter(sku__product=instance, unit=data["base_unit"]).exists():
            raise ValidationFailed(
                fields={"base_unit": [_("This unit is already a conversion unit of a SKU.")]}
            )
        _check_base_unit_change(instance)
    _assign(instance, data, PRODUCT_FIELDS)
    instance.save()
    return instance


def _check_base_unit_change(product: Product) -> None:
    """The base unit is what every stock quantity is counted in: once stock moved, it stays."""
    from django.apps import apps

    if apps.is_installed("storeledger.inventory"):
        StockMove = apps.get_model("inventory", "StockMove")
        if StockMove.objects.filter(sku__product=product).exists():
            raise ValidationFailed(
                fields={
                    "base_unit": [_("Stock of this product has moved; its base unit is fixed.")]
                }
            )


def _next_internal_sequence() -> int:
    number = next_document_number(
        prefix="EAN", store_code=INTERNAL_PREFIX, day=datetime.date(2000, 1, 1)
    )
    return int(number.rsplit("-", 1)[1])


@service
def generate_barcode(*, user, sku: Sku, unit: Unit | None = None) -> Barcode:
    """Add an internal EAN-13 (GS1 prefix 20) to the SKU, skipping codes already used."""
    base_unit = sku.product.base_unit
    if unit is not None and unit.pk != base_unit.pk:
        if not SkuUnit.objects.filter(sku=sku, unit=unit).exists():
            raise ValidationFailed(
                fields={
                    "unit": [
                        _("The unit %(unit)s is neither the base unit nor a unit of this SKU.")
                        % {"unit": unit.name}
                    ]
                }
            )
    else:
        unit = None
    for _attempt in range(1000):
        code = gs1.internal_ean13(INTERNAL_PREFIX, _next_internal_sequence())
        if not Barcode.objects.filter(code=code).exists():
            break
    else:  # pragma: no cover - a thousand taken codes in a row
        raise ValidationFailed(_("No free internal barcode was found."), code="no_free_barcode")
    has_primary = Barcode.objects.filter(sku=sku, is_primary=True).exists()
    return Barcode.objects.create(
        sku=sku, code=code, unit=unit, kind=BarcodeKind.INTERNAL, is_primary=not has_primary
    )


@service
def create_variants(
    *,
    user,
    product: Product,
    attributes: dict[str, list[str]],
    purchase_price: Decimal | None = None,
    retail_price: Decimal | None = None,
) -> list[Sku]:
    """Create the SKUs for every combination of the attribute values that does not exist yet,
    coded PRODUCT-VALUE-VALUE (e.g. T100-M-红) and named "product value value"."""
    names = list(attributes)
    existing = {
        tuple(str((sku.attributes or {}).get(n, "")) for n in names)
        for sku in Sku.objects.filter(product=product)
    }
    template = Sku.objects.filter(product=product).order_by("pk").first()
    created = []
    for combination in itertools.product(*(attributes[n] for n in names)):
        values = tuple(str(v) for v in combination)
        if values in existing:
            continue
        code = "-".join([product.code, *values])
        if Sku.objects.filter(Q(code=code)).exists():
            raise ValidationFailed(
                _("A SKU with the code %(code)s already exists.") % {"code": code},
                code="duplicate_code",
                fields={
                    "attributes": [
                        _("A SKU with the code %(code)s already exists.") % {"code": code}
                    ]
                },
            )
        sku = Sku(
            product=product,
            code=code,
            name=" ".join([product.name, *values]),
            attributes=dict(zip(names, values, strict=True)),
            purchase_price=purchase_price
            if purchase_price is not None
            else (template.purchase_price if template else Decimal(0)),
            retail_price=retail_price
            if retail_price is not None
            else (template.retail_price if template else Decimal(0)),
            member_price=template.member_price if template else None,
        )
        sku.save()
        created.append(sku)
    return created


@service
def import_sku(*, user, instance: Sku | None, data: dict[str, Any]) -> Sku:
    """One row of the SKU sheet: product fields go to the product (created by `product_code`,
    default the SKU code, when missing), `barcode` becomes the primary barcode."""
    product_data = {
        k: data[k] for k in PRODUCT_FIELDS if k in data and k not in ("code", "name", "active")
    }
    if instance is not None:
        product = instance.product
        if data.get("product_code") and data["product_code"] != product.code:
            raise ValidationFailed(
                fields={"product_code": [_("A SKU cannot move to another product.")]}
            )
        if product_data:
            update_product(user=user, instance=product, data=product_data)
    else:
        product_code = data.get("product_code") or data["code"]
        found = Product.objects.filter(code=product_code).first()
        if found is None:
            if "base_unit" not in product_data:
                raise ValidationFailed(fields={"base_unit": [_("This field is required.")]})
            product = Product(code=product_code, name=data["name"])
            _assign(product, product_data, PRODUCT_FIELDS)
            product.save()
        else:
            product = found
            if product_data:
                update_product(user=user, instance=product, data=product_data)
    sku = save_sku(user=user, instance=instance, product=product, data=data)
    code = data.get("barcode")
    if code:
        current = Barcode.objects.filter(sku=sku, code=code).first()
        Barcode.objects.filter(sku=sku, is_primary=True).exclude(code=code).update(is_primary=False)
        if current is None:
            errors = validate_barcodes(sku, product.base_unit, set(), [BarcodeInput(code=code)])
            if errors:
                raise ValidationFailed(fields={"barcode": [m for v in errors.values() for m in v]})
            Barcode.objects.create(sku=sku, code=code, kind=_barcode_kind(code), is_primary=True)
        elif not current.is_primary:
            Barcode.objects.filter(pk=current.pk).update(is_primary=True)
    return sku


_PRODUCT_ROW_FIELDS = tuple(f for f in PRODUCT_FIELDS if f not in ("code", "name", "active"))


def _changed(obj, data: dict[str, Any], allowed: tuple[str, ...]) -> set[str]:
    """Assign the allowed fields of `data` to `obj`; the names of those that changed."""
    changed = set()
    for name in allowed:
        if name not in data:
            continue
        value = data[name]
        field = obj._meta.get_field(name)
        if field.is_relation:  # compare ids: reading the relation would query
            current = getattr(obj, field.attname)
            same = obj.pk is not None and current == (value.pk if value is not None else None)
        else:
            same = obj.pk is not None and getattr(obj, name) == value
        if not same:
            setattr(obj, name, value)
            changed.add(name)
    return changed


@service
def import_sku_rows(
    *, user, rows: list[tuple[int, Sku | None, dict[str, Any]]]
) -> dict[int, dict[str, list[str]]]:
    """Rows of the SKU sheet, validated (row number, existing SKU or None, data), saved with
    a constant number of queries whatever their number: new products, new SKUs and their
    primary barcodes are inserted in bulk, changed products and SKUs updated in bulk. Does
    what `import_sku` does row by row; a row that changes the base unit of an existing
    product goes through it (that change has rules of its own). Answers {row number: field
    errors} for the rows it could not save."""
    now = timezone.now()
    errors: dict[int, dict[str, list[str]]] = {}
    wanted = {data.get("product_code") or data["code"] for _n, sku, data in rows if sku is None}
    products = {p.code: p for p in Product.objects.filter(code__in=wanted)}
    new_products: list[Product] = []
    changed_products: dict[int, tuple[Product, set[str]]] = {}
    new_skus: list[Sku] = []
    changed_skus: list[Sku] = []
    sku_fields: set[str] = set()
    barcodes: list[tuple[Sku, str]] = []
    one_by_one: list[tuple[int, Sku | None, dict[str, Any]]] = []
    for number, instance, data in rows:
        product_data = {k: data[k] for k in _PRODUCT_ROW_FIELDS if k in data}
        if instance is not None:
            # one object per product, so changes from several rows go to the same row
            product = products.setdefault(instance.product.code, instance.product)
            instance.product = product
        else:
            product_code = data.get("product_code") or data["code"]
            product = products.get(product_code)
            if product is None:
                if "base_unit" not in product_data:
                    errors[number] = {"base_unit": [_("This field is required.")]}
                    continue
                product = Product(code=product_code, name=data["name"])
                products[product_code] = product
                new_products.append(product)
        moves_base_unit = (
            product.pk is not None
            and "base_unit" in product_data
            and product_data["base_unit"].pk != product.base_unit_id
        )
        if moves_base_unit:
            one_by_one.append((number, instance, data))
            continue
        changed = _changed(product, product_data, _PRODUCT_ROW_FIELDS)
        if product.pk is not None and changed:
            known = changed_products.setdefault(product.pk, (product, set()))
            known[1].update(changed)
        sku = instance if instance is not None else Sku(product=product)
        changed = _changed(sku, data, SKU_FIELDS)
        if instance is None or "name" in changed:
            sku.name_initials = initials(sku.name)
        sku.updated_at = now
        if instance is None:
            new_skus.append(sku)
        elif changed:
            changed_skus.append(sku)
            sku_fields.update(changed)
        if data.get("barcode"):
            barcodes.append((sku, data["barcode"]))
    for product in new_products:
        product.name_initials = initials(product.name)
    Product.objects.bulk_create(new_products, batch_size=500)
    for sku in new_skus:
        sku.product_id = sku.product.pk
    Sku.objects.bulk_create(new_skus, batch_size=500)
    if changed_products:
        fields = set().union(*(names for _p, names in changed_products.values()))
        for product, _names in changed_products.values():
            product.updated_at = now
        Product.objects.bulk_update(
            [p for p, _n in changed_products.values()], [*fields, "updated_at"], batch_size=500
        )
    if changed_skus:
        Sku.objects.bulk_update(
            changed_skus, [*sku_fields, "name_initials", "updated_at"], batch_size=500
        )
    _set_primary_barcodes(barcodes)
    for number, instance, data in one_by_one:
        try:
            with transaction.atomic():
                import_sku(user=user, instance=instance, data=data)
        except ValidationFailed as error:
            errors[number] = error.fields or {"non_field_errors": [str(error.message)]}
    return errors


def _set_primary_barcodes(items: list[tuple[Sku, str]]) -> None:
    """Make each code the primary barcode of its SKU (adding it when the SKU lacks it)."""
    if not items:
        return
    codes = [code for _sku, code in items]
    owned = set(
        Barcode.objects.filter(code__in=codes).values_list("code", flat=True)
    )  # validated: a code that exists belongs to the same SKU
    sku_ids = [sku.pk for sku, _code in items]
    Barcode.objects.filter(sku_id__in=sku_ids, is_primary=True).exclude(code__in=codes).update(
        is_primary=False
    )
    Barcode.objects.filter(code__in=owned, is_primary=False).update(is_primary=True)
    Barcode.objects.bulk_create(
        [
            Barcode(sku=sku, code=code, kind=_barcode_kind(code), is_primary=True)
            for sku, code in items
            if code not in owned
        ],
        batch_size=500,
    )


# ---------------------------------------------------------------- delete or deactivate

# Rows that belong to a SKU and go with it; every other row that points at a SKU (stock moves,
# balances, batches, document and count lines of any app) is history that forbids deleting it.
_SKU_PARTS = (SkuUnit, Barcode)
_NUMBERS_SHOWN = 3


def _sku_references():
    return [
        rel
        for rel in Sku._meta.get_fields(include_hidden=True)
        if rel.one_to_many and rel.related_model not in _SKU_PARTS
    ]


def _document_field(model) -> str | None:
    """The field of a line model that points at its numbered document (e.g. `document`)."""
    for field in model._meta.concrete_fields:
        target = field.related_model
        if field.many_to_one and target is not None and hasattr(target, "number"):
            return field.name
    return None


def sku_uses(sku_ids: list[int]) -> dict[int, list[str]]:
    """{sku id: ["stock moves (3)", "stock documents (RK-001, RK-002)", ...]} for the SKUs
    that something uses; unused SKUs are left out."""
    uses: dict[int, list[str]] = {}
    for rel in _sku_references():
        model, key = rel.related_model, rel.field.name
        rows = model._default_manager.filter(**{f"{key}__in": sku_ids})
        document = _document_field(model)
        if document is None:
            label = model._meta.verbose_name_plural
            counts = rows.values_list(key).annotate(n=Count("pk")).order_by()
            for sku_id, n in counts:
                uses.setdefault(sku_id, []).append(f"{label} ({n})")
            continue
        label = model._meta.get_field(document).related_model._meta.verbose_name_plural
        numbers: dict[int, list[str]] = {}
        for sku_id, number in rows.values_list(key, f"{document}__number").distinct():
            numbers.setdefault(sku_id, []).append(number)
        for sku_id, found in numbers.items():
            shown = ", ".join(sorted(found)[:_NUMBERS_SHOWN])
            more = "…" if len(found) > _NUMBERS_SHOWN else ""
            uses.setdefault(sku_id, []).append(f"{label} ({shown}{more})")
    return uses


def _in_use(sku_codes: dict[int, str], uses: dict[int, list[str]]) -> dict[str, Any]:
    return {"used_by": {sku_codes[sku_id]: found for sku_id, found in uses.items()}}


@service
def delete_sku(*, user, instance: Sku) -> None:
    """Delete a SKU that was never used (with its barcodes and units). A used SKU keeps its
    history: the error names what uses it and suggests deactivating it instead."""
    uses = sku_uses([instance.pk])
    if uses:
        raise InUse(
            _(
                "SKU %(code)s cannot be deleted: it is used by %(uses)s. Deactivate it "
                "instead: it then disappears from new documents and scanning, its history stays."
            )
            % {"code": instance.code, "uses": ", ".join(uses[instance.pk])},
            details=_in_use({instance.pk: instance.code}, uses),
        )
    if not Sku.objects.filter(product_id=instance.product_id).exclude(pk=instance.pk).exists():
        raise LastSku(
            _("SKU %(code)s is the only SKU of product %(product)s; delete the product instead.")
            % {"code": instance.code, "product": instance.product.code}
        )
    instance.delete()


@service
def delete_product(*, user, instance: Product) -> None:
    """Delete a product whose SKUs were never used, with all its SKUs."""
    codes = dict(Sku.objects.filter(product=instance).values_list("pk", "code"))
    uses = sku_uses(list(codes))
    if uses:
        listed = "; ".join(
            f"{codes[sku_id]}: {', '.join(found)}"
            for sku_id, found in sorted(uses.items(), key=lambda item: codes[item[0]])
        )
        raise InUse(
            _(
                "Product %(code)s cannot be deleted: its SKUs are used (%(uses)s). Deactivate it "
                "instead: it then disappears from new documents and scanning, its history stays."
            )
            % {"code": instance.code, "uses": listed},
            details=_in_use(codes, uses),
        )
    Sku.objects.filter(product=instance).delete()
    instance.delete()


@service
def set_sku_active(*, user, instance: Sku, active: bool) -> Sku:
    """Deactivate (or reactivate) a SKU: an inactive SKU is left out of scanning and pickers
    for new lines but keeps its stock and history."""
    instance.active = active
    instance.save(update_fields=["active", "updated_at"])
    return instance


@service
def set_product_active(*, user, instance: Product, active: bool) -> Product:
    """Deactivate (or reactivate) a product; while inactive, none of its SKUs can be scanned
    or picked for new lines (each SKU keeps its own active flag)."""
    instance.active = active
    instance.save(update_fields=["active", "updated_at"])
    return instance
