"""Serializer, filter and view pieces shared by the inventory document APIs (stock
documents, transfers, stock counts): the document header with who/when of every
transition, the SKU, unit and batch fields of a line, the common list filters and the
state-change action endpoints."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from storeledger.core.api.documents import (  # the generic document API base (re-exported)
    DOCUMENT_HEADER_FIELDS,
    DOCUMENT_HEADER_RELATED,
    DOCUMENT_READ_ONLY_FIELDS,
    DOCUMENT_STAMP_FIELDS,
    DocumentFilterSet,
    DocumentHeaderSerializer,
    DocumentViewSet,
    LineSkuFieldsMixin,
    UsernameField,
    VersionSerializer,
    delete_action,
    money_field,
    post_action,
    qty_field,
    reverse_action,
    state_action,
    validated,
)
from storeledger.core.api.kept_fields import KeptFieldsMixin

# Line fields describing the SKU, unit and batch (read side).
LINE_SKU_FIELDS = [
    "sku",
    "sku_code",
    "sku_name",
    "unit",
    "unit_code",
    "unit_name",
    "base_unit_code",
    "base_unit_name",
    "base_unit_precision",
    "tracking",
    "factor",
    "batch",
    "batch_no",
    "expiry_date",
]


class LineSkuSerializerMixin(LineSkuFieldsMixin):
    """SKU code/name, unit, base unit and batch of a document line (read side). The line
    model needs `sku` (with product.base_unit), `unit` and `batch` foreign keys."""

    batch_no = serializers.SerializerMethodField()
    expiry_date = serializers.SerializerMethodField()

    def get_batch_no(self, obj) -> str:
        if obj.batch_id:
            return obj.batch.batch_no
        return getattr(obj, "batch_no", "") or ""

    def get_expiry_date(self, obj) -> str | None:
        date = obj.batch.expiry_date if obj.batch_id else getattr(obj, "expiry_date", None)
        return date.isoformat() if date else None


class LineInputSerializer(KeptFieldsMixin, serializers.Serializer):
    """What a client sends for one line: SKU and unit by id, a quantity in that unit."""

    sku = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=_("Default: the base unit.")
    )
    quantity = qty_field()
    batch = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


__all__ = [
    "DOCUMENT_HEADER_FIELDS",
    "DOCUMENT_HEADER_RELATED",
    "DOCUMENT_READ_ONLY_FIELDS",
    "DOCUMENT_STAMP_FIELDS",
    "LINE_SKU_FIELDS",
    "DocumentFilterSet",
    "DocumentHeaderSerializer",
    "DocumentViewSet",
    "LineInputSerializer",
    "LineSkuSerializerMixin",
    "UsernameField",
    "VersionSerializer",
    "delete_action",
    "money_field",
    "post_action",
    "qty_field",
    "reverse_action",
    "state_action",
    "validated",
]
