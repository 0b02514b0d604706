"""The supplier catalogue's services: defaults, every rule, the append-only price history
and the one preferred supplier per SKU."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from storeledger.core.errors import ValidationFailed
from storeledger.purchasing import selectors, services
from storeledger.purchasing.models import SupplierItem, SupplierPrice
from storeledger.purchasing.tests.conftest import add_item
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


def fields_of(excinfo) -> dict:
    return excinfo.value.fields


def test_create_fills_unit_and_pack_size_and_records_the_first_price(wahaha, sku, buyer):
    item = add_item(wahaha, sku, price="2.10", user=buyer)
    assert item.purchase_unit == sku.product.base_unit
    assert item.pack_size == Decimal(1)
    assert item.effective_lead_time_days == 3  # the supplier's
    history = list(item.prices.values_list("price", "valid_from", "valid_to", "recorded_by"))
    assert history == [(Decimal("2.1000"), JAN, None, buyer.pk)]


def test_case_unit_takes_the_skus_conversion_factor(wahaha, sku, box_unit):
    item = add_item(wahaha, sku, purchase_unit=box_unit, lead_time_days=2)
    assert item.pack_size == Decimal(12)
    assert item.effective_lead_time_days == 2


def test_every_bad_field_is_named_at_once(wahaha, sku, box_unit):
    with pytest.raises(ValidationFailed) as excinfo:
        add_item(
            wahaha,
            sku,
            price="0",
            purchase_unit=box_unit,
            pack_size=Decimal(24),
            price_valid_to=datetime.date(2025, 12, 31),
            min_order_qty=Decimal("1.5"),
            lead_time_days=4000,
        )
    assert sorted(fields_of(excinfo)) == [
        "lead_time_days",
        "min_order_qty",
        "pack_size",
        "price",
        "price_valid_to",
    ]
    assert fields_of(excinfo)["pack_size"] == [
        "One 箱 of SKU SKU-COLA holds 12 个; the pack size must match."
    ]
    assert SupplierItem.objects.count() == 0
    assert SupplierPrice.objects.count() == 0


def test_unit_unknown_to_the_sku_needs_a_pack_size(wahaha, sku):
    crate = factories.unit("crate", "筐")
    with pytest.raises(ValidationFailed) as excinfo:
        add_item(wahaha, sku, purchase_unit=crate)
    assert "pack_size" in fields_of(excinfo)
    item = add_item(wahaha, sku, purchase_unit=crate, pack_size=Decimal(30))
    assert item.pack_size == Decimal(30)


def test_base_unit_pack_size_is_one(wahaha, sku):
    with pytest.raises(ValidationFailed) as excinfo:
        add_item(wahaha, sku, pack_size=Decimal(6))
    assert list(fields_of(excinfo)) == ["pack_size"]


def test_same_supplier_and_sku_twice_is_refused(wahaha, sku):
    add_item(wahaha, sku)
    with pytest.raises(ValidationFailed) as excinfo:
        add_item(wahaha, sku, price="3")
    assert fields_of(excinfo)["sku"] == ["Supplier S001 already has SKU SKU-COLA in its catalogue."]


def test_item_code_is_unique_per_supplier_only(wahaha, nongfu, sku):
    other = factories.sku(code="SKU-WATER", name="矿泉水")
    add_item(wahaha, sku, item_code="WHH-01")
    add_item(nongfu, sku, item_code="WHH-01")  # another supplier may use the same code
    with pytest.raises(ValidationFailed) as excinfo:
        add_item(wahaha, other, item_code="WHH-01")
    assert fields_of(excinfo)["item_code"] == [
        "Supplier S001 already uses item code WHH-01 for SKU SKU-COLA."
    ]


def test_deactivated_supplier_or_sku_gets_no_new_item(wahaha, sku):
    wahaha.active = False
    wahaha.save()
    sku.active = False
    sku.save()
    with pytest.raises(ValidationFailed) as excinfo:
        add_item(wahaha, sku)
    assert sorted(fields_of(excinfo)) == ["sku", "supplier"]


def test_price_change_appends_history_and_never_overwrites(wahaha, sku, buyer):
    item = add_item(wahaha, sku, price="2.00")
    services.change_supplier_price(
        user=buyer, item=item, price=Decimal("2.20"), valid_from=FEB, note="年度调价"
    )
    services.change_supplier_price(user=buyer, item=item, price=Decimal("2.15"), valid_from=MAR)
    item.refresh_from_db()
    assert (item.price, item.price_valid_from) == (Decimal("2.15"), MAR)
    history = list(selectors.price_history(item).values_list("price", "valid_from", "note"))
    assert history == [
        (Decimal("2.1500"), MAR, ""),
        (Decimal("2.2000"), FEB, "年度调价"),
        (Decimal("2.0000"), JAN, ""),
    ]
    # the price in force on a day: the newest recorded price that covers it
    assert selectors.price_on(item, datetime.date(2026, 1, 15)).price == Decimal("2.00")
    assert selectors.price_on(item, datetime.date(2026, 2, 15)).price == Decimal("2.20")
    assert selectors.price_on(item, datetime.date(2026, 4, 1)).price == Decimal("2.15")
    assert selectors.price_on(item, datetime.date(2025, 12, 31)) is None


def test_same_price_again_writes_no_history(wahaha, sku):
    item = add_item(wahaha, sku, price="2.00")
    services.change_supplier_price(user=None, item=item, price=Decimal("2.00"), valid_from=JAN)
    assert item.prices.count() == 1
    # a change of other fields only writes no price either
    services.update_supplier_item(
        user=None, item=item, data=replace(services.item_data(item), item_code="X1")
    )
    assert item.prices.count() == 1


def test_a_bad_price_change_changes_nothing(wahaha, sku):
    item = add_item(wahaha, sku, price="2.00")
    with pytest.raises(ValidationFailed):
        services.change_supplier_price(user=None, item=item, price=Decimal("-1"))
    item.refresh_from_db()
    assert item.price == Decimal("2.00")
    assert item.prices.count() == 1


def test_an_item_cannot_move_to_another_supplier(wahaha, nongfu, sku):
    item = add_item(wahaha, sku)
    with pytest.raises(ValidationFailed) as excinfo:
        services.update_supplier_item(
            user=None, item=item, data=replace(services.item_data(item), supplier=nongfu)
        )
    assert list(fields_of(excinfo)) == ["supplier"]


def test_one_preferred_supplier_per_sku(wahaha, nongfu, sku):
    first = add_item(wahaha, sku, preferred=True)
    second = add_item(nongfu, sku, price="23.00", preferred=True)
    first.refresh_from_db()
    assert (first.preferred, second.preferred) == (False, True)
    services.set_preferred_supplier_item(user=None, item=first)
    assert list(
        SupplierItem.objects.filter(preferred=True).values_list("supplier__code", flat=True)
    ) == ["S001"]


def test_the_database_refuses_a_second_preferred_row(wahaha, nongfu, sku):
    add_item(wahaha, sku, preferred=True)
    other = add_item(nongfu, sku)
    # positive control: the row can be saved when it is not preferred
    SupplierItem.objects.filter(pk=other.pk).update(notes="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplierItem.objects.filter(pk=other.pk).update(preferred=True)


def test_a_deactivated_item_cannot_be_preferred(wahaha, sku):
    item = add_item(wahaha, sku)
    with pytest.raises(ValidationFailed) as excinfo:
        services.update_supplier_item(
            user=None,
            item=item,
            data=replace(services.item_data(item), preferred=True, active=False),
        )
    assert list(fields_of(excinfo)) == ["preferred"]


def test_kilogram_goods_take_decimal_order_quantities(wahaha):
    kg = factories.unit("kg", "千克", precision=3)
    apples = factories.sku(code="APPLE", name="苹果", base_unit=kg)
    item = add_item(wahaha, apples, price="8.50", min_order_qty=Decimal("2.5"))
    assert item.min_order_qty == Decimal("2.5")
