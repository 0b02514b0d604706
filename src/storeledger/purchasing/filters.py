"""Query-parameter filters of the purchasing lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from storeledger.catalog.models import Category
from storeledger.purchasing import selectors
from storeledger.purchasing.models import SupplierItem


class SupplierItemFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(
        method="filter_category", label=_("Category of the SKU (with its subcategories)")
    )
    valid_on = django_filters.DateFilter(
        method="filter_valid_on", label=_("Only items whose current price is valid on this day")
    )

    class Meta:
        model = SupplierItem
        fields = ["supplier", "sku", "purchase_unit", "preferred", "active"]

    def filter_category(self, queryset, name, value):
        node = Category.objects.filter(pk=value).only("path").first()
        if node is None:
            return queryset.none()
        return queryset.filter(sku__product__category__path__startswith=node.path)

    def filter_valid_on(self, queryset, name, value):
        return selectors.valid_on(queryset, value)
