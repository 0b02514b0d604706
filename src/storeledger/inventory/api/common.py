"""Serializer and filter pieces shared by the inventory document APIs (stock documents,
transfers, stock counts): the document header with who/when of every transition, the SKU,
unit and batch fields of a line, and the common list filters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from storeledger.core.documents import DocumentStatus
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES

# Header fields every document serializer shows (all read-only except document_date/notes).
DOCUMENT_HEADER_FIELDS = [
    "id",
    "number",
    "status",
    "document_date",
    "notes",
    "version",
    "created_at",
    "created_by",
    "submitted_at",
    "submitted_by",
    "approved_at",
    "approved_by",
    "posted_at",
    "posted_by",
    "reversed_at",
    "reversed_by",
    "cancelled_at",
    "cancelled_by",
    "reversal_of",
    "reversed_by_document",
]
DOCUMENT_READ_ONLY_FIELDS = [
    f for f in DOCUMENT_HEADER_FIELDS if f not in ("document_date", "notes")
]

# Line fields describing the SKU, unit and batch (read side).
LINE_SKU_FIELDS = [
    "sku",
    "sku_code",
    "sku_name",
    "unit",
    "unit_code",
    "unit_name",
    "base_unit_code",
    "factor",
    "batch",
    "batch_no",
    "expiry_date",
]


def qty_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, **kwargs)


def money_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


class UsernameField(serializers.SlugRelatedField):
    """A user shown by username (read-only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(slug_field="username", **kwargs)


class DocumentHeaderSerializer(serializers.ModelSerializer):
    """Base of every document read serializer: number, status, who/when of each transition,
    and the links between a document and its reversal. Subclasses set Meta.model/fields,
    starting from DOCUMENT_HEADER_FIELDS."""

    created_by = UsernameField()
    submitted_by = UsernameField()
    approved_by = UsernameField()
    posted_by = UsernameField()
    reversed_by = UsernameField()
    cancelled_by = UsernameField()
    reversed_by_document = serializers.SerializerMethodField(
        help_text=_("The reversing document, once this one has been reversed.")
    )

    def get_reversed_by_document(self, obj) -> int | None:
        try:
            return obj.reversed_by_document.pk
        except obj.__class__.reversed_by_document.RelatedObjectDoesNotExist:
            return None


class LineSkuSerializerMixin(serializers.Serializer):
    """SKU code/name, unit, base unit and batch of a document line (read side). The line
    model needs `sku` (with product.base_unit), `unit` and `batch` foreign keys."""

    sku_code = serializers.CharField(source="sku.code", read_only=True)
    sku_name = serializers.CharField(source="sku.name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    base_unit_code = serializers.CharField(source="sku.product.base_unit.code", read_only=True)
    batch_no = serializers.SerializerMethodField()
    expiry_date = serializers.SerializerMethodField()

    def get_batch_no(self, obj) -> str:
        if obj.batch_id:
            return obj.batch.batch_no
        return getattr(obj, "batch_no", "") or ""

    def get_expiry_date(self, obj) -> str | None:
        date = obj.batch.expiry_date if obj.batch_id else getattr(obj, "expiry_date", None)
        return date.isoformat() if date else None


class LineInputSerializer(serializers.Serializer):
    """What a client sends for one line: SKU and unit by id, a quantity in that unit."""

    sku = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=_("Default: the base unit.")
    )
    quantity = qty_field()
    batch = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a stale one gives 409 stale_version.")
    )


class DocumentFilterSet(django_filters.FilterSet):
    """status, store, date range and number search for every document list."""

    status = django_filters.MultipleChoiceFilter(choices=DocumentStatus.choices)
    store = django_filters.NumberFilter(field_name="store_id")
    date_from = django_filters.DateFilter(field_name="document_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="document_date", lookup_expr="lte")
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains")
    search = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label=_("Search by document number.")
    )
