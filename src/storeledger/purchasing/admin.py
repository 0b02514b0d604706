"""Admin of the supplier catalogue: read-only (changes go through the API and its services,
which keep the price history)."""

from django.contrib import admin

from storeledger.purchasing.models import SupplierItem, SupplierPrice


class SupplierPriceInline(admin.TabularInline):
    model = SupplierPrice
    extra = 0
    can_delete = False
    fields = ["price", "valid_from", "valid_to", "recorded_at", "recorded_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupplierItem)
class SupplierItemAdmin(admin.ModelAdmin):
    list_display = [
        "supplier",
        "sku",
        "item_code",
        "purchase_unit",
        "pack_size",
        "price",
        "price_valid_from",
        "preferred",
        "active",
    ]
    list_filter = ["preferred", "active"]
    search_fields = ["sku__code", "sku__name", "supplier__code", "supplier__name", "item_code"]
    list_select_related = ["supplier", "sku", "purchase_unit"]
    inlines = [SupplierPriceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
