"""Company settings, stores, warehouses and bin locations."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from storeledger.accounts import scope
from storeledger.core import tabular
from storeledger.core.api.masterdata import MasterDataViewSet
from storeledger.org import services
from storeledger.org.models import Company, Location, Store, Warehouse, WarehouseKind


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = [
            "name",
            "currency",
            "time_zone",
            "allow_negative_stock",
            "costing_method",
            "count_approval_threshold",
            "over_receipt_tolerance",
            "purchase_price_margin",
            "invoice_price_tolerance",
            "rating_weight_on_time",
            "rating_weight_fill_rate",
            "rating_weight_quality",
            "rating_weight_price",
            "address",
            "phone",
            "updated_at",
        ]
        read_only_fields = ["costing_method", "updated_at"]

    def validate_time_zone(self, value: str) -> str:
        import zoneinfo

        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError(_("Unknown time zone."))
        return value


class CompanyView(APIView):
    """The company settings (one row). Everyone signed in reads; `org.change_company` changes."""

    queryset = Company.objects.all()

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(responses=CompanySerializer)
    def get(self, request):
        return Response(CompanySerializer(Company.current()).data)

    @extend_schema(request=CompanySerializer, responses=CompanySerializer)
    def patch(self, request):
        serializer = CompanySerializer(Company.current(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        company = services.update_company(user=request.user, data=dict(serializer.validated_data))
        return Response(CompanySerializer(company).data)


class StoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = [
            "id",
            "code",
            "name",
            "is_head_office",
            "address",
            "phone",
            "manager",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class StoreResource(tabular.TabularResource):
    model = Store
    filename = "stores"
    columns = [
        tabular.Column(name)
        for name in ("code", "name", "is_head_office", "address", "phone", "manager", "active")
    ]
    import_serializer = StoreSerializer

    def save_row(self, *, instance, data):
        services.save_store(user=self.user, instance=instance, data=data)


class StoreViewSet(MasterDataViewSet):
    queryset = Store.objects.all()
    serializer_class = StoreSerializer
    filterset_fields = ["active", "is_head_office"]
    search_fields = ["code", "name", "address", "manager"]
    ordering_fields = ["code", "name", "created_at"]
    tabular_resource = StoreResource
    save_service = services.save_store
    action_permissions = {"import_rows": ["org.add_store", "org.change_store"]}

    def get_queryset(self):
        return scope.filter_stores(super().get_queryset(), self.request.user, "id")


class CompactStoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = ["id", "code", "name"]


class WarehouseSerializer(serializers.ModelSerializer):
    store_detail = CompactStoreSerializer(source="store", read_only=True)
    is_central = serializers.BooleanField(read_only=True)

    class Meta:
        model = Warehouse
        fields = [
            "id",
            "code",
            "name",
            "store",
            "store_detail",
            "is_central",
            "kind",
            "allow_negative_stock",
            "address",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["kind", "created_at", "updated_at"]


class WarehouseImportSerializer(serializers.ModelSerializer):
    store = serializers.SlugRelatedField(
        slug_field="code", queryset=Store.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Warehouse
        fields = ["code", "name", "store", "allow_negative_stock", "address", "active"]


class WarehouseResource(tabular.TabularResource):
    model = Warehouse
    filename = "warehouses"
    columns = [
        tabular.Column("code"),
        tabular.Column("name"),
        tabular.Column("store", "store.code"),
        tabular.Column("allow_negative_stock"),
        tabular.Column("address"),
        tabular.Column("active"),
    ]
    import_serializer = WarehouseImportSerializer

    def export_queryset(self, queryset):
        return queryset.select_related("store")

    def save_row(self, *, instance, data):
        services.save_warehouse(user=self.user, instance=instance, data=data)


class WarehouseFilter(django_filters.FilterSet):
    central = django_filters.BooleanFilter(field_name="store", lookup_expr="isnull")

    class Meta:
        model = Warehouse
        fields = ["store", "kind", "active", "allow_negative_stock"]


class WarehouseViewSet(MasterDataViewSet):
    """Warehouses in the user's scope. The in-transit warehouse (kind=transit) is read-only and
    listed only with `?kind=transit`."""

    queryset = Warehouse.objects.select_related("store")
    serializer_class = WarehouseSerializer
    filterset_class = WarehouseFilter
    search_fields = ["code", "name", "address", "store__name"]
    ordering_fields = ["code", "name", "created_at"]
    tabular_resource = WarehouseResource
    save_service = services.save_warehouse
    delete_service = services.delete_warehouse
    action_permissions = {"import_rows": ["org.add_warehouse", "org.change_warehouse"]}

    def get_queryset(self):
        queryset = scope.filter_warehouses(super().get_queryset(), self.request.user, "id")
        if self.action in ("list", "export") and self.request.query_params.get("kind") != (
            WarehouseKind.TRANSIT
        ):
            queryset = queryset.exclude(kind=WarehouseKind.TRANSIT)
        return queryset


class LocationSerializer(serializers.ModelSerializer):
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)

    class Meta:
        model = Location
        fields = [
            "id",
            "warehouse",
            "warehouse_code",
            "code",
            "name",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_warehouse(self, value: Warehouse) -> Warehouse:
        request = self.context.get("request")
        if request is not None:
            scope.ensure_warehouses(request.user, [value.pk])
        return value


class LocationImportSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", queryset=Warehouse.objects.all())

    class Meta:
        model = Location
        fields = ["warehouse", "code", "name", "active"]


class LocationResource(tabular.TabularResource):
    model = Location
    filename = "locations"
    key_columns = ("warehouse", "code")
    columns = [
        tabular.Column("warehouse", "warehouse.code"),
        tabular.Column("code"),
        tabular.Column("name"),
        tabular.Column("active"),
    ]
    import_serializer = LocationImportSerializer

    def find(self, row):
        return Location.objects.filter(warehouse__code=row["warehouse"], code=row["code"]).first()

    def export_queryset(self, queryset):
        return queryset.select_related("warehouse")

    def save_row(self, *, instance, data):
        services.save_location(user=self.user, instance=instance, data=data)


class LocationViewSet(MasterDataViewSet):
    queryset = Location.objects.select_related("warehouse")
    serializer_class = LocationSerializer
    filterset_fields = ["warehouse", "active"]
    search_fields = ["code", "name", "warehouse__code"]
    ordering_fields = ["code", "name", "warehouse__code", "created_at"]
    tabular_resource = LocationResource
    save_service = services.save_location
    delete_service = services.delete_location
    action_permissions = {"import_rows": ["org.add_location", "org.change_location"]}

    def get_queryset(self):
        return scope.filter_warehouses(super().get_queryset(), self.request.user, "warehouse")
