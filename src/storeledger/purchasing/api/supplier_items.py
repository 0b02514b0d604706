"""The supplier catalogue: `/api/v1/supplier-items/` with its price history, price changes,
the preferred supplier of a SKU, and xlsx/csv import and export."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.catalog.models import Barcode, Sku, Unit
from storeledger.core import tabular
from storeledger.core.api.masterdata import MasterDataViewSet
from storeledger.core.costs import CostFieldsMixin
from storeledger.core.quantities import (
    MONEY_DIGITS,
    PRICE_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
    money,
)
from storeledger.partners.models import Supplier
from storeledger.purchasing import selectors, services
from storeledger.purchasing.filters import SupplierItemFilter
from storeledger.purchasing.models import SupplierItem, SupplierPrice

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def _price(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=PRICE_PLACES, min_value=Decimal(0), **kwargs
    )


def _qty(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, min_value=Decimal(0), **kwargs
    )


class BoundedDateField(serializers.DateField):
    """A date of this century: 0001-01-01 or 9999-12-31 is a typo, not a price's validity."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            raise serializers.ValidationError(
                _("The date must lie between %(first)s and %(last)s.")
                % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
            )
        return day


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class UnitRefSerializer(RefSerializer):
    precision = serializers.IntegerField()


class SkuRefSerializer(CostFieldsMixin, RefSerializer):
    cost_fields = ("purchase_price",)
    spec = serializers.CharField()
    base_unit = UnitRefSerializer(source="product.base_unit")
    purchase_price = _price(help_text=_("The SKU's own purchase price (per base unit)."))


class SupplierItemSerializer(CostFieldsMixin, serializers.ModelSerializer):
    cost_fields = ("price", "base_unit_price")
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    sku = serializers.PrimaryKeyRelatedField(queryset=Sku.objects.all())
    purchase_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Empty: the SKU's base unit."),
    )
    pack_size = _qty(
        required=False,
        allow_null=True,
        help_text=_(
            "Base units in one purchase unit; empty: 1 for the base unit, the SKU's "
            "conversion factor for another of its units."
        ),
    )
    price = _price(help_text=_("Per purchase unit, greater than zero."))
    price_valid_from = BoundedDateField(required=False, help_text=_("Empty: today."))
    price_valid_to = BoundedDateField(required=False, allow_null=True)
    min_order_qty = _qty(required=False, help_text=_("In purchase units; 0 = no minimum."))
    lead_time_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=services.MAX_DAYS,
        help_text=_("Empty: the supplier's lead time."),
    )
    price_note = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Why the price changed (kept in the price history)."),
    )
    supplier_detail = RefSerializer(source="supplier", read_only=True)
    sku_detail = SkuRefSerializer(source="sku", read_only=True)
    purchase_unit_detail = UnitRefSerializer(source="purchase_unit", read_only=True)
    base_unit_price = serializers.SerializerMethodField(
        help_text=_("The price of one base unit (price / pack size).")
    )
    effective_lead_time_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = SupplierItem
        fields = [
            "id",
            "supplier",
            "supplier_detail",
            "sku",
            "sku_detail",
            "item_code",
            "purchase_unit",
            "purchase_unit_detail",
            "pack_size",
            "price",
            "base_unit_price",
            "price_valid_from",
            "price_valid_to",
            "price_note",
            "min_order_qty",
            "lead_time_days",
            "effective_lead_time_days",
            "preferred",
            "active",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []  # the service checks uniqueness, with a message naming both

    def get_base_unit_price(self, item: SupplierItem) -> str:
        return format(money(item.price / item.pack_size), "f")


class SupplierPriceSerializer(CostFieldsMixin, serializers.ModelSerializer):
    cost_fields = ("price",)
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = SupplierPrice
        fields = ["id", "price", "valid_from", "valid_to", "recorded_at", "recorded_by", "note"]


class ChangePriceSerializer(serializers.Serializer):
    price = _price(help_text=_("The new price per purchase unit."))
    valid_from = BoundedDateField(required=False, help_text=_("Empty: today."))
    valid_to = BoundedDateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _create_data(validated: dict) -> services.SupplierItemData:
    validated.pop("price_note", None)
    return services.SupplierItemData(**validated)


def _update_data(item: SupplierItem, validated: dict) -> services.SupplierItemData:
    validated.pop("price_note", None)
    return replace(services.item_data(item), **validated)


class SupplierItemImportSerializer(serializers.Serializer):
    """One row of the supplier-item sheet (codes instead of ids)."""

    supplier = serializers.SlugRelatedField(slug_field="code", queryset=Supplier.objects.all())
    sku = serializers.SlugRelatedField(slug_field="code", queryset=Sku.objects.all())
    item_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    purchase_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), required=False
    )
    pack_size = _qty(required=False)
    price = _price()
    price_valid_from = BoundedDateField(required=False)
    price_valid_to = BoundedDateField(required=False, allow_null=True)
    min_order_qty = _qty(required=False)
    lead_time_days = serializers.IntegerField(
        required=False, min_value=0, max_value=services.MAX_DAYS
    )
    preferred = serializers.BooleanField(required=False)
    active = serializers.BooleanField(required=False)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SupplierItemResource(tabular.TabularResource):
    model = SupplierItem
    filename = "supplier-items"
    key_columns = ("supplier", "sku")
    columns = [
        tabular.Column("supplier", "supplier.code"),
        tabular.Column("sku", "sku.code"),
        tabular.Column("item_code"),
        tabular.Column("purchase_unit", "purchase_unit.code"),
        tabular.Column("pack_size"),
        tabular.Column("price"),
        tabular.Column("price_valid_from"),
        tabular.Column("price_valid_to"),
        tabular.Column("min_order_qty"),
        tabular.Column("lead_time_days"),
        tabular.Column("preferred"),
        tabular.Column("active"),
        tabular.Column("notes"),
    ]
    import_serializer = SupplierItemImportSerializer

    def export_queryset(self, queryset):
        return queryset.select_related("supplier", "sku", "purchase_unit")

    def find(self, row):
        return (
            selectors.supplier_items()
            .filter(supplier__code=row["supplier"], sku__code=row["sku"])
            .first()
        )

    def save_row(self, *, instance, data):
        if instance is None:
            services.create_supplier_item(user=self.user, data=_create_data(dict(data)))
        else:
            services.update_supplier_item(
                user=self.user,
                item=instance,
                data=_update_data(instance, dict(data)),
                price_note=str(_("Imported")),
            )


class SupplierItemViewSet(MasterDataViewSet):
    """The supplier catalogue: per supplier × SKU the supplier's item code, purchase unit and
    pack size, price with validity, minimum order quantity, lead time and the preferred flag
    (one preferred supplier per SKU). `search=` matches the SKU's code, name, exact barcode or
    pinyin initials, the supplier's code or name and the supplier's item code. A price change
    (PATCH of price or validity, `change-price/`, or an import) appends to `prices/`."""

    queryset = SupplierItem.objects.all()
    serializer_class = SupplierItemSerializer
    filterset_class = SupplierItemFilter
    search_fields = ["item_code", "sku__code", "sku__name", "supplier__code", "supplier__name"]
    ordering_fields = [
        "sku__code",
        "supplier__code",
        "price",
        "price_valid_from",
        "min_order_qty",
        "lead_time_days",
        "updated_at",
        "id",
    ]
    tabular_resource = SupplierItemResource
    cost_columns = ("price",)
    action_permissions = {
        "import_rows": ["purchasing.add_supplieritem", "purchasing.change_supplieritem"],
        "prices": "purchasing.view_supplieritem",
        "change_price": "purchasing.change_supplieritem",
        "set_preferred": "purchasing.change_supplieritem",
    }

    def get_queryset(self):
        return selectors.supplier_items()

    def search_q(self, term):
        parts = [Q(sku_id__in=Barcode.objects.filter(code=term).values("sku_id"))]
        if term.isascii() and term.isalpha():
            parts += [
                Q(sku__name_initials__icontains=term.lower()),
                Q(supplier__name_initials__icontains=term.lower()),
            ]
        return parts

    def _answer(self, item: SupplierItem, status: int = 200) -> Response:
        fresh = selectors.supplier_items().get(pk=item.pk)
        return Response(self.get_serializer(fresh).data, status=status)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.create_supplier_item(
            user=request.user, data=_create_data(dict(serializer.validated_data))
        )
        return self._answer(item, status=201)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        note = serializer.validated_data.get("price_note", "")
        item = services.update_supplier_item(
            user=request.user,
            item=instance,
            data=_update_data(instance, dict(serializer.validated_data)),
            price_note=note,
        )
        return self._answer(item)

    def perform_destroy(self, instance):
        services.delete_supplier_item(user=self.request.user, item=instance)

    @extend_schema(responses={200: SupplierPriceSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def prices(self, request, pk=None):
        """The price history, newest first: every price recorded, by whom and why."""
        item = self.get_object()
        rows = selectors.price_history(item)
        return Response(SupplierPriceSerializer(rows, many=True).data)

    @extend_schema(request=ChangePriceSerializer, responses={200: SupplierItemSerializer})
    @action(detail=True, methods=["post"], url_path="change-price", filter_backends=[])
    def change_price(self, request, pk=None):
        """A new price from `valid_from` (default today); the old price stays in `prices/`."""
        item = self.get_object()
        form = ChangePriceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = services.change_supplier_price(user=request.user, item=item, **form.validated_data)
        return self._answer(item)

    @extend_schema(request=None, responses={200: SupplierItemSerializer})
    @action(detail=True, methods=["post"], url_path="set-preferred", filter_backends=[])
    def set_preferred(self, request, pk=None):
        """Make this supplier the preferred one of the SKU (the previous one stops being it)."""
        item = services.set_preferred_supplier_item(user=request.user, item=self.get_object())
        return self._answer(item)
