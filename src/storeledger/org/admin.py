from django.contrib import admin

from storeledger.org.models import Company, Location, Store, Warehouse


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "currency", "time_zone", "allow_negative_stock", "costing_method"]

    def has_add_permission(self, request):
        return not Company.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class WarehouseInline(admin.TabularInline):
    model = Warehouse
    extra = 0
    fields = ["code", "name", "kind", "allow_negative_stock", "active"]
    readonly_fields = ["kind"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_head_office", "manager", "phone", "active"]
    list_filter = ["active", "is_head_office"]
    search_fields = ["code", "name", "address", "manager"]
    inlines = [WarehouseInline]


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "store", "kind", "allow_negative_stock", "active"]
    list_filter = ["kind", "active", "allow_negative_stock", "store"]
    search_fields = ["code", "name", "store__name", "store__code"]
    list_select_related = ["store"]
    readonly_fields = ["kind"]
    inlines = [LocationInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "warehouse", "active"]
    list_filter = ["active", "warehouse"]
    search_fields = ["code", "name", "warehouse__code", "warehouse__name"]
    list_select_related = ["warehouse"]
