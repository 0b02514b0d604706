"""Small factories for tests, demo data and benchmarks: real objects, sensible defaults."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth.models import Group, User

from storeledger.accounts.models import UserScope
from storeledger.catalog.barcodes import internal_ean13
from storeledger.catalog.models import Barcode, Product, Sku, SkuUnit, Tracking, Unit
from storeledger.org.models import Store, Warehouse

_seq = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_seq):05d}"


def unit(code: str = "pcs", name: str = "个", precision: int = 0) -> Unit:
    obj, _created = Unit.objects.get_or_create(
        code=code, defaults={"name": name, "precision": precision}
    )
    return obj


def store(code: str | None = None, **kwargs) -> Store:
    code = code or f"{next(_seq) % 10000:04d}"
    return Store.objects.create(code=code, name=kwargs.pop("name", f"门店{code}"), **kwargs)


def warehouse(store_obj: Store | None = None, code: str | None = None, **kwargs) -> Warehouse:
    code = code or unique("WH")
    return Warehouse.objects.create(
        code=code, name=kwargs.pop("name", f"仓库{code}"), store=store_obj, **kwargs
    )


def sku(
    *,
    code: str | None = None,
    name: str = "可口可乐 330ml",
    tracking: str = Tracking.NONE,
    purchase_price: Decimal | str = "2.00",
    retail_price: Decimal | str = "3.50",
    barcode: str | None = None,
    shelf_life_days: int | None = None,
    base_unit: Unit | None = None,
    case_factor: Decimal | str | None = None,
    **sku_fields,
) -> Sku:
    code = code or unique("SKU")
    base = base_unit or unit()
    product = Product.objects.create(
        code=code, name=name, base_unit=base, tracking=tracking, shelf_life_days=shelf_life_days
    )
    obj = Sku.objects.create(
        product=product,
        code=code,
        name=name,
        purchase_price=Decimal(purchase_price),
        retail_price=Decimal(retail_price),
        **sku_fields,
    )
    Barcode.objects.create(
        sku=obj, code=barcode or internal_ean13("20", next(_seq)), kind="ean13", is_primary=True
    )
    if case_factor is not None:
        case = unit("box", "箱")
        SkuUnit.objects.create(sku=obj, unit=case, factor=Decimal(case_factor))
    return obj


def user(
    username: str | None = None,
    *,
    roles: tuple[str, ...] = ("warehouse_keeper",),
    stores: tuple[Store, ...] = (),
    warehouses: tuple[Warehouse, ...] = (),
    all_stores: bool = False,
    password: str = "pass-1234-word",
) -> User:
    obj = User.objects.create_user(username or unique("user"), password=password)
    obj.groups.set(Group.objects.filter(name__in=roles))
    scope = UserScope.objects.create(user=obj, all_stores=all_stores)
    scope.stores.set(stores)
    scope.warehouses.set(warehouses)
    return obj


def posting(
    key: str,
    moves: list,
    *,
    at=None,
    user=None,
    document_type: str = "test",
    document_number: str | None = None,
    document_id: int = 1,
):
    """Post `moves` straight through the ledger (no document), in a transaction of its own."""
    from django.db import transaction

    from storeledger.inventory.ledger import post_moves

    with transaction.atomic():
        return post_moves(
            key=key,
            document_type=document_type,
            document_id=document_id,
            document_number=document_number or key,
            event="post",
            user=user,
            moves=moves,
            posted_at=at,
        )


def reason(kind: str = "scrap", code: str = "DAMAGED", name: str = "破损报损"):
    """A reason code (the standard one of that kind and code, made if a flush removed it): a
    scrap needs one."""
    from storeledger.inventory.models import ReasonCode

    obj, _created = ReasonCode.objects.get_or_create(kind=kind, code=code, defaults={"name": name})
    return obj
