"""Finance documents in the admin: read-only (changes go through the API and its services)."""

from django.contrib import admin

from storeledger.finance.models import SupplierInvoice, SupplierPayment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupplierInvoice)
class SupplierInvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "supplier", "invoice_no", "invoice_date", "status", "total_gross"]
    list_filter = ["status"]
    search_fields = ["number", "invoice_no", "supplier__name"]
    list_select_related = ["supplier"]


@admin.register(SupplierPayment)
class SupplierPaymentAdmin(ReadOnlyAdmin):
    list_display = ["number", "supplier", "document_date", "method", "status", "amount"]
    list_filter = ["status", "method"]
    search_fields = ["number", "reference", "supplier__name"]
    list_select_related = ["supplier"]
