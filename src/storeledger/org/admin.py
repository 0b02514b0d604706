from django.contrib import admin

from storeledger.accounts import scope
from storeledger.accounts.admin_site import ScopedAdminMixin, ScopedInlineMixin
from storeledger.org.models import Company, Location, Store, Warehouse


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "currency", "time_zone", "allow_negative_stock", "costing_method"]

    def has_add_permission(self, request):
        return not Company.objects.exists()

    def has_change_permission(self, request, obj=None):
        # company-wide settings: head office (all stores) only
        return scope.is_unrestricted(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class WarehouseInline(ScopedInlineMixin, admin.TabularInline):
    model = Warehouse
    extra = 0
    fields = ["code", "name", "kind", "allow_negative_stock", "active"]
    readonly_fields = ["kind"]


@admin.register(Store)
class StoreAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_store = "id"

    list_display = ["code", "name", "is_head_office", "manager", "phone", "active"]
    list_filter = ["active", "is_head_office"]
    search_fields = ["code", "name", "address", "manager"]
    inlines = [WarehouseInline]

    def has_add_permission(self, request):
        # a new store would be outside a scoped administrator's stores
        return scope.is_unrestricted(request.user) and super().has_add_permission(request)


class LocationInline(ScopedInlineMixin, admin.TabularInline):
    model = Location
    extra = 0


@admin.register(Warehouse)
class WarehouseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_warehouse = "id"

    list_display = ["code", "name", "store", "kind", "allow_negative_stock", "active"]
    list_filter = [
        "kind",
        "active",
        "allow_negative_stock",
        ("store", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "name", "store__name", "store__code"]
    list_select_related = ["store"]
    readonly_fields = ["kind"]
    inlines = [LocationInline]


@admin.register(Location)
class LocationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_warehouse = "warehouse"

    list_display = ["code", "name", "warehouse", "active"]
    list_filter = ["active", ("warehouse", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "warehouse__code", "warehouse__name"]
    list_select_related = ["warehouse"]
