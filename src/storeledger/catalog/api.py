"""Categories, brands, units, products and SKUs (with barcodes, unit conversions, scanner
look-up, internal barcodes and apparel variants)."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.catalog import services
from storeledger.catalog.models import (
    Barcode,
    Brand,
    Category,
    Product,
    Sku,
    SkuUnit,
    Tracking,
    Unit,
)
from storeledger.core import tabular
from storeledger.core.api.masterdata import BaseMasterDataViewSet, MasterDataViewSet
from storeledger.core.api.search import pinyin_q
from storeledger.core.costs import CostFieldsMixin
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.core.quantities import (
    MONEY_DIGITS,
    PRICE_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
    QTY_QUANT,
)

# ---------------------------------------------------------------- categories


class CategorySerializer(serializers.ModelSerializer):
    level = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent", "path", "level", "sort_order", "created_at"]
        read_only_fields = ["path", "created_at"]

    def get_level(self, obj: Category) -> int:
        return max(obj.path.count("/") - 1, 1)


class CategoryImportSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "sort_order"]

    def validate_parent(self, value: str) -> str:
        known = value in self.context.get("file_codes", set())
        if value and not known and not Category.objects.filter(code=value).exists():
            raise serializers.ValidationError(
                _("No category with the code %(code)s.") % {"code": value}
            )
        return value


class CategoryResource(tabular.TabularResource):
    model = Category
    filename = "categories"
    columns = [
        tabular.Column("code"),
        tabular.Column("name"),
        tabular.Column("parent", "parent.code"),
        tabular.Column("sort_order"),
    ]
    import_serializer = CategoryImportSerializer

    def begin(self):
        self.file_codes: set[str] = set()

    def prepare(self, rows):
        self.file_codes.update(row["code"] for row in rows if row.get("code"))

    def serializer_context(self):
        return {**super().serializer_context(), "file_codes": self.file_codes}

    def export_queryset(self, queryset):
        return queryset.select_related("parent")

    def save_row(self, *, instance, data):
        if "parent" in data:
            code = data["parent"]
            parent = Category.objects.filter(code=code).first() if code else None
            if code and parent is None:
                raise ValidationFailed(
                    fields={
                        "parent": [
                            _("The parent %(code)s must come before its children.") % {"code": code}
                        ]
                    }
                )
            data = {**data, "parent": parent}
        services.save_category(user=self.user, instance=instance, data=data)


class CategoryFilter(django_filters.FilterSet):
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull")
    descendants_of = django_filters.NumberFilter(
        method="filter_descendants", label=_("Descendants of")
    )

    class Meta:
        model = Category
        fields = ["parent"]

    def filter_descendants(self, queryset, name, value):
        node = Category.objects.filter(pk=value).only("path").first()
        if node is None:
            return queryset.none()
        return queryset.filter(path__startswith=node.path).exclude(pk=node.pk)


class CategoryViewSet(MasterDataViewSet):
    """The category tree. `?parent=` lists children, `?root=true` the top level,
    `?descendants_of=` the whole subtree below a category."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "path", "sort_order"]
    tabular_resource = CategoryResource
    save_service = services.save_category
    action_permissions = {"import_rows": ["catalog.add_category", "catalog.change_category"]}


# ---------------------------------------------------------------- brands and units


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "code", "name", "created_at"]
        read_only_fields = ["created_at"]


class BrandResource(tabular.TabularResource):
    model = Brand
    filename = "brands"
    columns = [tabular.Column("code"), tabular.Column("name")]
    import_serializer = BrandSerializer

    def save_row(self, *, instance, data):
        serializer = BrandSerializer(instance, data=data, partial=instance is not None)
        serializer.is_valid(raise_exception=True)
        serializer.save()


class BrandViewSet(MasterDataViewSet):
    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
    tabular_resource = BrandResource
    action_permissions = {"import_rows": ["catalog.add_brand", "catalog.change_brand"]}


class UnitSerializer(serializers.ModelSerializer):
    precision = serializers.IntegerField(min_value=0, max_value=QTY_PLACES, required=False)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "precision"]


class UnitResource(tabular.TabularResource):
    model = Unit
    filename = "units"
    columns = [tabular.Column("code"), tabular.Column("name"), tabular.Column("precision")]
    import_serializer = UnitSerializer

    def save_row(self, *, instance, data):
        serializer = UnitSerializer(instance, data=data, partial=instance is not None)
        serializer.is_valid(raise_exception=True)
        serializer.save()


class UnitViewSet(MasterDataViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
    tabular_resource = UnitResource
    action_permissions = {"import_rows": ["catalog.add_unit", "catalog.change_unit"]}


# ---------------------------------------------------------------- SKUs


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=PRICE_PLACES, min_value=Decimal(0), **kwargs
    )


def _qty(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, **kwargs)


class SkuBarcodeSerializer(serializers.ModelSerializer):
    code = serializers.CharField(max_length=64)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Empty: the base unit. Otherwise one of the SKU's units (a case barcode)."),
    )
    is_primary = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = Barcode
        fields = ["code", "unit", "kind", "is_primary"]
        read_only_fields = ["kind"]


class SkuUnitSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    factor = _qty(help_text=_("How many base units one of this unit holds (1 box = 12)."))
    retail_price = _money(required=False, allow_null=True)

    class Meta:
        model = SkuUnit
        fields = ["unit", "unit_code", "unit_name", "factor", "retail_price"]


class CompactUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "precision"]


class CompactRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SkuFieldsSerializer(CostFieldsMixin, serializers.ModelSerializer):
    """The writable fields of a SKU, with its barcodes and units (each list replaces the set).
    The purchase price reads null without the permission to see costs."""

    cost_fields = ("purchase_price",)

    attributes = serializers.DictField(
        child=serializers.CharField(max_length=50),
        required=False,
        help_text=_('Variant attributes, e.g. {"size": "M", "colour": "红"}.'),
    )
    purchase_price = _money(required=False)
    retail_price = _money(required=False)
    member_price = _money(required=False, allow_null=True)
    safety_stock = _qty(required=False, min_value=Decimal(0))
    max_stock = _qty(required=False, allow_null=True, min_value=Decimal(0))
    barcodes = SkuBarcodeSerializer(many=True, required=False)
    units = SkuUnitSerializer(many=True, required=False)

    class Meta:
        model = Sku
        fields = [
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
            "barcodes",
            "units",
        ]


def _sku_inputs(data: dict) -> tuple[dict, list | None, list | None]:
    barcodes = data.pop("barcodes", None)
    units = data.pop("units", None)
    return (
        data,
        None
        if barcodes is None
        else [
            services.BarcodeInput(
                code=b["code"].strip(), unit=b.get("unit"), is_primary=b.get("is_primary", False)
            )
            for b in barcodes
        ],
        None
        if units is None
        else [
            services.UnitInput(
                unit=u["unit"], factor=u["factor"], retail_price=u.get("retail_price")
            )
            for u in units
        ],
    )


class SkuSerializer(SkuFieldsSerializer):
    """A SKU with its product's fields (read-only here; change them on the product)."""

    product_code = serializers.CharField(source="product.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    category = CompactRefSerializer(source="product.category", read_only=True, allow_null=True)
    brand = CompactRefSerializer(source="product.brand", read_only=True, allow_null=True)
    base_unit = CompactUnitSerializer(source="product.base_unit", read_only=True)
    tracking = serializers.ChoiceField(
        source="product.tracking", choices=Tracking.choices, read_only=True
    )
    shelf_life_days = serializers.IntegerField(
        source="product.shelf_life_days", read_only=True, allow_null=True
    )
    tax_rate = serializers.DecimalField(
        source="product.tax_rate", max_digits=5, decimal_places=4, read_only=True
    )

    class Meta(SkuFieldsSerializer.Meta):
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "category",
            "brand",
            "base_unit",
            "tracking",
            "shelf_life_days",
            "tax_rate",
            "name_initials",
            *SkuFieldsSerializer.Meta.fields,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["name_initials", "created_at", "updated_at"]

    def validate_product(self, value: Product) -> Product:
        if self.instance is not None and value.pk != self.instance.product_id:
            raise serializers.ValidationError(_("A SKU cannot move to another product."))
        return value


class CompactSkuSerializer(serializers.ModelSerializer):
    base_unit = CompactUnitSerializer(source="product.base_unit", read_only=True)
    tracking = serializers.CharField(source="product.tracking", read_only=True)

    class Meta:
        model = Sku
        fields = [
            "id",
            "code",
            "name",
            "spec",
            "attributes",
            "base_unit",
            "tracking",
            "retail_price",
            "member_price",
            "active",
        ]


class LookupSerializer(serializers.Serializer):
    sku = CompactSkuSerializer()
    barcode = serializers.CharField(allow_null=True)
    unit = CompactUnitSerializer()
    factor = _qty(help_text=_("Base units per scanned unit (12 for a case of 12)."))
    price = _money(help_text=_("Retail price of one scanned unit."))


class GenerateBarcodeSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )


class VariantsSerializer(serializers.Serializer):
    attributes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=20), min_length=1),
        allow_empty=False,
        help_text=_('Values per attribute, e.g. {"size": ["S", "M"], "colour": ["红", "黑"]}.'),
    )
    purchase_price = _money(required=False)
    retail_price = _money(required=False)


def sku_queryset():
    return Sku.objects.select_related(
        "product__category", "product__brand", "product__base_unit"
    ).prefetch_related(
        "barcodes", Prefetch("units", queryset=SkuUnit.objects.select_related("unit"))
    )


def _primary_barcode(sku: Sku) -> str | None:
    codes = sorted(sku.barcodes.all(), key=lambda b: (not b.is_primary, b.pk))
    return codes[0].code if codes else None


class SkuImportSerializer(serializers.Serializer):
    """One row of the SKU sheet (codes instead of ids). Validating a row reads nothing from
    the database: the resource hands over what a chunk of rows needs (`lookups`)."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    product_code = serializers.CharField(max_length=32, required=False)
    spec = serializers.CharField(max_length=100, required=False, allow_blank=True)
    category = serializers.CharField(required=False)
    brand = serializers.CharField(required=False)
    base_unit = serializers.CharField(required=False)
    tracking = serializers.ChoiceField(choices=Tracking.choices, required=False)
    shelf_life_days = serializers.IntegerField(min_value=0, max_value=36500, required=False)
    tax_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=Decimal(0), max_value=Decimal(1), required=False
    )
    purchase_price = _money(required=False)
    retail_price = _money(required=False)
    member_price = _money(required=False)
    barcode = serializers.CharField(max_length=64, required=False)
    safety_stock = _qty(required=False, min_value=Decimal(0))
    max_stock = _qty(required=False, min_value=Decimal(0))
    active = serializers.BooleanField(required=False)

    def _lookups(self) -> SkuImportLookups:
        return self.context["lookups"]

    def validate_category(self, value: str) -> Category:
        return self._lookups().find("category", value)

    def validate_brand(self, value: str) -> Brand:
        return self._lookups().find("brand", value)

    def validate_base_unit(self, value: str) -> Unit:
        return self._lookups().find("base_unit", value)

    def validate_barcode(self, value: str) -> str:
        value = value.strip()
        message = services.gs1.validation_error(value)
        if message:
            raise serializers.ValidationError(message)
        owner = self._lookups().barcode_owner(value, self.instance, self.initial_data["code"])
        if owner:
            raise serializers.ValidationError(owner)
        return value

    def validate(self, attrs):
        lookups = self._lookups()
        if self.instance is None:
            product_code = attrs.get("product_code") or attrs["code"]
            if not lookups.product_known(product_code):
                if "base_unit" not in attrs:
                    raise serializers.ValidationError({"base_unit": [_("This field is required.")]})
                lookups.products_in_file.add(product_code)
        elif attrs.get("product_code") and attrs["product_code"] != self.instance.product.code:
            raise serializers.ValidationError(
                {"product_code": [_("A SKU cannot move to another product.")]}
            )
        if "barcode" in attrs:
            lookups.barcodes_in_file[attrs["barcode"]] = attrs.get("code", "")
        return attrs


class SkuImportLookups:
    """What validating the SKU rows of a file needs, read once per file (units, categories,
    brands, SKU codes) or once per chunk (its products and barcodes)."""

    kinds = {"category": Category, "brand": Brand, "base_unit": Unit}

    def __init__(self) -> None:
        self.by_code: dict[str, dict[str, models.Model]] = {}
        self.by_lower: dict[str, dict[str, models.Model | None]] = {}
        for kind, model in self.kinds.items():
            exact = {obj.code: obj for obj in model.objects.all()}
            lower: dict[str, models.Model | None] = {}
            for code, obj in exact.items():
                lower[code.lower()] = None if code.lower() in lower else obj  # None: ambiguous
            self.by_code[kind], self.by_lower[kind] = exact, lower
        # SKU codes by lower case: existing ones, then those of the file as it is read
        self.sku_codes: dict[str, tuple[str, int | None]] = {
            code.lower(): (code, None) for code in Sku.objects.values_list("code", flat=True)
        }
        self.products: set[str] = set()
        self.products_in_file: set[str] = set()
        self.barcodes: dict[str, tuple[int, str, str]] = {}
        self.barcodes_in_file: dict[str, str] = {}

    def find(self, kind: str, code: str) -> models.Model:
        """By code as written, else by code in any case when that names one record (a person
        types `PCS` for `pcs`)."""
        found = self.by_code[kind].get(code) or self.by_lower[kind].get(code.lower())
        if found is None:
            messages = {
                "category": _("No category with the code %(code)s."),
                "brand": _("No brand with the code %(code)s."),
                "base_unit": _("No unit with the code %(code)s."),
            }
            raise serializers.ValidationError(messages[kind] % {"code": code})
        return found

    def prepare(self, rows: list[dict[str, str]]) -> None:
        codes = {row.get("product_code") or row.get("code", "") for row in rows}
        self.products = set(Product.objects.filter(code__in=codes).values_list("code", flat=True))
        barcodes = {row["barcode"].strip() for row in rows if row.get("barcode")}
        self.barcodes = {
            code: (sku_id, sku_code, name)
            for code, sku_id, sku_code, name in Barcode.objects.filter(
                code__in=barcodes
            ).values_list("code", "sku_id", "sku__code", "sku__name")
        }

    def product_known(self, code: str) -> bool:
        return code in self.products or code in self.products_in_file

    def barcode_owner(self, code: str, instance: Sku | None, sku_code: str) -> str:
        """Why the barcode cannot go to this row's SKU ("" when it can)."""
        owner = self.barcodes.get(code)
        if owner is not None and (instance is None or owner[0] != instance.pk):
            return _("Barcode %(code)s already belongs to SKU %(sku)s %(name)s.") % {
                "code": code,
                "sku": owner[1],
                "name": owner[2],
            }
        earlier = self.barcodes_in_file.get(code)
        if earlier is not None and earlier != sku_code:
            return _("Barcode %(code)s already belongs to SKU %(sku)s %(name)s.") % {
                "code": code,
                "sku": earlier,
                "name": "",
            }
        return ""

    def case_warning(self, number: int, code: str) -> str:
        """SKU codes that differ only in case (85123A / 85123a) are different SKUs: say so."""
        other = self.sku_codes.get(code.lower())
        if other is None:
            self.sku_codes[code.lower()] = (code, number)
            return ""
        if other[0] == code:
            return ""
        if other[1] is None:
            return _("SKU code %(code)s differs only in case from the existing SKU %(other)s.") % {
                "code": code,
                "other": other[0],
            }
        return _("SKU code %(code)s differs only in case from %(other)s in row %(row)s.") % {
            "code": code,
            "other": other[0],
            "row": other[1],
        }


class SkuResource(tabular.TabularResource):
    model = Sku
    filename = "skus"
    columns = [
        tabular.Column("code"),
        tabular.Column("name"),
        tabular.Column("product_code", "product.code"),
        tabular.Column("spec"),
        tabular.Column("category", "product.category.code"),
        tabular.Column("brand", "product.brand.code"),
        tabular.Column("base_unit", "product.base_unit.code"),
        tabular.Column("tracking", "product.tracking"),
        tabular.Column("shelf_life_days", "product.shelf_life_days"),
        tabular.Column("tax_rate", "product.tax_rate"),
        tabular.Column("purchase_price"),
        tabular.Column("retail_price"),
        tabular.Column("member_price"),
        tabular.Column("barcode", _primary_barcode),
        tabular.Column("safety_stock"),
        tabular.Column("max_stock"),
        tabular.Column("active"),
    ]
    import_serializer = SkuImportSerializer

    def export_queryset(self, queryset):
        return queryset.select_related(
            "product__category", "product__brand", "product__base_unit"
        ).prefetch_related("barcodes")

    def lookup_queryset(self):
        return Sku.objects.select_related("product")

    def begin(self):
        self.lookups = SkuImportLookups()

    def serializer_context(self):
        return {**super().serializer_context(), "lookups": self.lookups}

    def prepare(self, rows):
        self.lookups.prepare(rows)

    def row_warnings(self, number, row, instance):
        message = self.lookups.case_warning(number, row["code"]) if row.get("code") else ""
        return [message] if message else []

    def save_row(self, *, instance, data):
        services.import_sku(user=self.user, instance=instance, data=data)

    def save_chunk(self, items):
        return services.import_sku_rows(
            user=self.user, rows=[(number, instance, data) for number, _c, instance, data in items]
        )


class SkuFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(
        method="filter_category", label=_("Category (with its subcategories)")
    )
    brand = django_filters.NumberFilter(field_name="product__brand")
    tracking = django_filters.ChoiceFilter(field_name="product__tracking", choices=Tracking.choices)
    barcode = django_filters.CharFilter(method="filter_barcode", label=_("Barcode (exact)"))

    class Meta:
        model = Sku
        fields = ["product", "active"]

    def filter_category(self, queryset, name, value):
        node = Category.objects.filter(pk=value).only("path").first()
        if node is None:
            return queryset.none()
        return queryset.filter(product__category__path__startswith=node.path)

    def filter_barcode(self, queryset, name, value):
        return queryset.filter(id__in=Barcode.objects.filter(code=value).values("sku_id"))


def _by_code(queryset, code: str):
    """The row with this code as typed or scanned; else the one row whose code differs only
    in case (a scanner in lower-case mode, a person typing 85123a for 85123A). Codes that
    differ only in case are different records: then only the exact one is found."""
    found = queryset.filter(code=code).first()
    if found is None:
        candidates = list(queryset.filter(code__iexact=code)[:2])
        found = candidates[0] if len(candidates) == 1 else None
    return found


def _flag(request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


class ActiveToggleMixin:
    # `POST {id}/deactivate/` and `{id}/activate/` through the viewset's `active_service`.

    active_service = services.set_sku_active

    def _set_active(self, request, active: bool) -> Response:
        instance = self.get_object()
        type(self).active_service(user=request.user, instance=instance, active=active)
        return self.retrieve(request, pk=instance.pk)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Hide it from scanning and from pickers for new lines; stock and history stay."""
        return self._set_active(request, False)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Make a deactivated record usable again."""
        return self._set_active(request, True)


class SkuViewSet(ActiveToggleMixin, MasterDataViewSet):
    """SKUs. `search=` matches code, name, exact barcode and pinyin initials (`kkkl` finds
    可口可乐). To create a new product with its SKU(s) in one request use POST /products/;
    POST here adds a SKU to an existing product. DELETE removes a never used SKU (409 `in_use`
    otherwise, naming what uses it); `deactivate/` hides it from scanning and new lines."""

    queryset = Sku.objects.all()
    serializer_class = SkuSerializer
    filterset_class = SkuFilter
    search_fields = ["code", "name", "spec"]
    ordering_fields = ["code", "name", "retail_price", "purchase_price", "created_at"]
    tabular_resource = SkuResource
    cost_columns = ("purchase_price",)
    action_permissions = {
        "import_rows": ["catalog.add_sku", "catalog.change_sku"],
        "lookup": "catalog.view_sku",
        "generate_barcode": "catalog.change_sku",
        "deactivate": "catalog.change_sku",
        "activate": "catalog.change_sku",
    }
    delete_service = services.delete_sku

    def get_queryset(self):
        if self.action in ("export",):
            return super().get_queryset()
        return sku_queryset()

    def search_q(self, term):
        return [
            Q(id__in=Barcode.objects.filter(code=term).values("sku_id")),
            *pinyin_q(term),
        ]

    def perform_create(self, serializer):
        data, barcodes, units = _sku_inputs(dict(serializer.validated_data))
        product = data.pop("product")
        sku = services.save_sku(
            user=self.request.user,
            instance=None,
            product=product,
            data=data,
            barcodes=barcodes,
            units=units,
        )
        serializer.instance = sku_queryset().get(pk=sku.pk)

    def perform_update(self, serializer):
        data, barcodes, units = _sku_inputs(dict(serializer.validated_data))
        data.pop("product", None)
        instance = serializer.instance
        services.save_sku(
            user=self.request.user,
            instance=instance,
            product=instance.product,
            data=data,
            barcodes=barcodes,
            units=units,
        )
        serializer.instance = sku_queryset().get(pk=instance.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("barcode", str, description=_("A scanned barcode (or a SKU code).")),
            OpenApiParameter("code", str, description=_("A SKU code.")),
            OpenApiParameter(
                "include_inactive",
                bool,
                description=_("Also find deactivated SKUs (default: they answer 404)."),
            ),
        ],
        responses={200: LookupSerializer},
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
        extra_query_params=("barcode", "code", "include_inactive"),
    )
    def lookup(self, request):
        """What a scanner needs: the SKU, the scanned unit, its factor and its price."""
        barcode_text = request.query_params.get("barcode", "").strip()
        code = request.query_params.get("code", "").strip()
        barcode = None
        sku = None
        if barcode_text:
            barcode = _by_code(
                Barcode.objects.select_related("sku__product__base_unit", "unit"), barcode_text
            )
            sku = barcode.sku if barcode is not None else None
            code = code or barcode_text
        if sku is None and code:
            sku = _by_code(Sku.objects.select_related("product__base_unit"), code)
        if sku is None:
            raise NotFound(
                _("No SKU has the barcode or code %(code)s.") % {"code": barcode_text or code},
                code="unknown_barcode",
            )
        if not (sku.active and sku.product.active) and not _flag(request, "include_inactive"):
            raise NotFound(
                _("SKU %(code)s is deactivated; activate it on its product page to use it.")
                % {"code": sku.code},
                code="inactive_sku",
            )
        base = sku.product.base_unit
        unit = barcode.unit if barcode is not None and barcode.unit is not None else base
        factor, price = Decimal(1), sku.retail_price
        if unit.pk != base.pk:
            conversion = SkuUnit.objects.filter(sku=sku, unit=unit).first()
            factor = conversion.factor if conversion else Decimal(1)
            price = (
                conversion.retail_price
                if conversion and conversion.retail_price is not None
                else sku.retail_price * factor
            )
        body = {
            "sku": sku,
            "barcode": barcode.code if barcode is not None else None,
            "unit": unit,
            "factor": factor.quantize(QTY_QUANT),
            "price": price,
        }
        return Response(LookupSerializer(body).data)

    @extend_schema(request=GenerateBarcodeSerializer, responses={201: SkuBarcodeSerializer})
    @action(detail=True, methods=["post"], url_path="generate-barcode")
    def generate_barcode(self, request, pk=None):
        """Add an internal EAN-13 barcode (prefix 20, check digit, unique) to the SKU."""
        sku = self.get_object()
        form = GenerateBarcodeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        barcode = services.generate_barcode(
            user=request.user, sku=sku, unit=form.validated_data.get("unit")
        )
        return Response(SkuBarcodeSerializer(barcode).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- products


class ProductSkuSerializer(SkuFieldsSerializer):
    """A SKU inside a product: code and name default to the product's for a single SKU."""

    code = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(max_length=200, required=False)

    class Meta(SkuFieldsSerializer.Meta):
        fields = ["id", *SkuFieldsSerializer.Meta.fields]


class ProductSerializer(serializers.ModelSerializer):
    """A product. On create, `skus` creates its SKUs in the same request (omit it for a simple
    product: one SKU with the product's code and name); afterwards SKUs are changed at /skus/."""

    skus = ProductSkuSerializer(many=True, required=False)
    tax_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=Decimal(0), max_value=Decimal(1), required=False
    )
    shelf_life_days = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "name_initials",
            "category",
            "brand",
            "base_unit",
            "tracking",
            "shelf_life_days",
            "tax_rate",
            "description",
            "active",
            "skus",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["name_initials", "created_at", "updated_at"]

    def validate_skus(self, value):
        if self.instance is not None:
            raise serializers.ValidationError(
                _("Change SKUs at /api/v1/skus/; this list is only accepted on create.")
            )
        if len(value) > 1 and any(not item.get("code") for item in value):
            raise serializers.ValidationError(_("Each of several SKUs needs its own code."))
        return value


class ProductFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(method="filter_category")

    class Meta:
        model = Product
        fields = ["brand", "tracking", "active", "base_unit"]

    def filter_category(self, queryset, name, value):
        node = Category.objects.filter(pk=value).only("path").first()
        if node is None:
            return queryset.none()
        return queryset.filter(category__path__startswith=node.path)


class ProductViewSet(ActiveToggleMixin, BaseMasterDataViewSet):
    """Products with their SKUs. DELETE removes a product whose SKUs were never used (409
    `in_use` otherwise, naming what uses them); `deactivate/` hides it from new lines instead."""

    queryset = Product.objects.prefetch_related(
        Prefetch(
            "skus",
            queryset=Sku.objects.prefetch_related(
                "barcodes", Prefetch("units", queryset=SkuUnit.objects.select_related("unit"))
            ),
        )
    )
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "created_at"]
    action_permissions = {
        "variants": "catalog.add_sku",
        "deactivate": "catalog.change_product",
        "activate": "catalog.change_product",
    }
    delete_service = services.delete_product
    active_service = services.set_product_active

    def search_q(self, term):
        return [
            Q(id__in=Sku.objects.filter(barcodes__code=term).values("product_id")),
            *pinyin_q(term),
        ]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        skus = []
        for item in data.pop("skus", None) or []:
            fields, barcodes, units = _sku_inputs(dict(item))
            skus.append({**fields, "barcodes": barcodes, "units": units})
        product = services.create_product(user=self.request.user, data=data, skus=skus)
        serializer.instance = self.get_queryset().get(pk=product.pk)

    def perform_update(self, serializer):
        product = services.update_product(
            user=self.request.user,
            instance=serializer.instance,
            data=dict(serializer.validated_data),
        )
        serializer.instance = self.get_queryset().get(pk=product.pk)

    @extend_schema(request=VariantsSerializer, responses={201: SkuSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None)  # a plain list, not a page
    def variants(self, request, pk=None):
        """Create the missing SKUs for every combination of the attribute values."""
        product = self.get_object()
        form = VariantsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = services.create_variants(
            user=request.user, product=product, **form.validated_data
        )
        skus = sku_queryset().filter(pk__in=[s.pk for s in created])
        return Response(SkuSerializer(skus, many=True).data, status=status.HTTP_201_CREATED)
