from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from storeledger.catalog.models import Barcode, Brand, Category, Product, Sku, SkuUnit, Unit


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "parent", "sort_order"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        me = self.instance.pk
        if parent is not None and me and (parent.pk == me or f"/{me}/" in parent.path):
            raise forms.ValidationError(_("This would make a cycle in the category tree."))
        return parent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ["code", "name", "parent", "path", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    readonly_fields = ["path"]

    def save_model(self, request, obj, form, change):
        from storeledger.catalog.services import save_category

        data = {f: getattr(obj, f) for f in ("code", "name", "parent", "sort_order")}
        instance = Category.objects.get(pk=obj.pk) if change else None
        saved = save_category(user=request.user, instance=instance, data=data)
        obj.pk, obj.path = saved.pk, saved.path


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "precision"]
    search_fields = ["code", "name"]


class SkuInline(admin.TabularInline):
    model = Sku
    extra = 0
    fields = ["code", "name", "spec", "purchase_price", "retail_price", "active"]
    show_change_link = True


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "brand", "base_unit", "tracking", "active"]
    list_filter = ["tracking", "active", "category", "brand"]
    search_fields = ["code", "name", "name_initials", "skus__barcodes__code"]
    list_select_related = ["category", "brand", "base_unit"]
    inlines = [SkuInline]


class SkuUnitInline(admin.TabularInline):
    model = SkuUnit
    extra = 0


class BarcodeInline(admin.TabularInline):
    model = Barcode
    extra = 0


@admin.register(Sku)
class SkuAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "product", "spec", "purchase_price", "retail_price", "active"]
    list_filter = ["active", "product__tracking", "product__category"]
    search_fields = ["code", "name", "name_initials", "barcodes__code"]
    list_select_related = ["product"]
    raw_id_fields = ["product"]
    inlines = [SkuUnitInline, BarcodeInline]


@admin.register(Barcode)
class BarcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "sku", "unit", "kind", "is_primary"]
    list_filter = ["kind", "is_primary"]
    search_fields = ["code", "sku__code", "sku__name"]
    list_select_related = ["sku", "unit"]
    raw_id_fields = ["sku"]


@admin.register(SkuUnit)
class SkuUnitAdmin(admin.ModelAdmin):
    list_display = ["sku", "unit", "factor", "retail_price"]
    list_filter = ["unit"]
    search_fields = ["sku__code", "sku__name"]
    list_select_related = ["sku", "unit"]
    raw_id_fields = ["sku"]
