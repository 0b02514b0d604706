"""The demo's supplier catalogue: every demo SKU from its supplier, preferred, at the SKU's
purchase price per base unit; some with a price history and a second supplier."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from storeledger.catalog.models import Sku, SkuUnit
from storeledger.partners.models import PaymentMethod, Supplier
from storeledger.purchasing.models import SupplierItem, SupplierPrice

pytestmark = pytest.mark.django_db


def test_demo_has_a_consistent_supplier_catalogue():
    call_command("load_demo", "--small", "--force", stdout=StringIO())
    skus = Sku.objects.count()
    preferred = SupplierItem.objects.filter(preferred=True).select_related("sku")
    assert preferred.count() == skus
    for item in preferred:
        assert (item.price / item.pack_size).quantize(Decimal("0.01")) == item.sku.purchase_price
        if item.purchase_unit_id != item.sku.product.base_unit_id:
            factor = SkuUnit.objects.get(sku=item.sku, unit=item.purchase_unit).factor
            assert item.pack_size == factor
    assert SupplierItem.objects.filter(preferred=False).exists()
    assert SupplierItem.objects.values("sku").annotate(n=Count("id")).filter(n__gt=1).exists()
    # every item has its current price as its newest history row; some have an older one
    for item in SupplierItem.objects.all():
        newest = SupplierPrice.objects.filter(item=item).order_by("-recorded_at", "-id").first()
        assert (newest.price, newest.valid_from) == (item.price, item.price_valid_from)
    changed = SupplierPrice.objects.values("item").annotate(n=Count("id")).filter(n=2).count()
    assert 0 < changed < SupplierItem.objects.count()
    assert Supplier.objects.filter(payment_method=PaymentMethod.CASH).exists()
    assert not Supplier.objects.filter(contract_start__isnull=True).exists()
