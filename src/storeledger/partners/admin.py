from django.contrib import admin

from storeledger.partners.models import Customer, MemberLevel, Supplier


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "contact",
        "phone",
        "payment_terms_days",
        "lead_time_days",
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["code", "name", "name_initials", "contact", "phone"]


@admin.register(MemberLevel)
class MemberLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "discount"]
    search_fields = ["code", "name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "phone", "member_level", "member_card_no", "active"]
    list_filter = ["active", "member_level"]
    search_fields = ["code", "name", "name_initials", "phone", "member_card_no"]
    list_select_related = ["member_level"]
