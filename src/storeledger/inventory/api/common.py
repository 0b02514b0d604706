"""Serializer, filter and view pieces shared by the inventory document APIs (stock
documents, transfers, stock counts): the document header with who/when of every
transition, the SKU, unit and batch fields of a line, the common list filters and the
state-change action endpoints."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.core.api.views import ModelViewSet
from storeledger.core.documents import DocumentStatus
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES

# Who/when of every transition (core.documents.Document); read-only in the API and admin.
DOCUMENT_STAMP_FIELDS = [
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
]

# Header fields every document serializer shows (all read-only except document_date/notes).
DOCUMENT_HEADER_FIELDS = [
    "id",
    "number",
    "status",
    "document_date",
    "notes",
    "version",
    *DOCUMENT_STAMP_FIELDS,
    "reversal_of",
    "reversed_by_document",
]
DOCUMENT_READ_ONLY_FIELDS = [
    f for f in DOCUMENT_HEADER_FIELDS if f not in ("document_date", "notes")
]

# What a document queryset selects to show the header without extra queries.
DOCUMENT_HEADER_RELATED = [
    "created_by",
    "submitted_by",
    "approved_by",
    "posted_by",
    "reversed_by",
    "cancelled_by",
    "reversed_by_document",
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
    "base_unit_name",
    "tracking",
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
    base_unit_name = serializers.CharField(source="sku.product.base_unit.name", read_only=True)
    tracking = serializers.CharField(
        source="sku.product.tracking",
        read_only=True,
        help_text=_("How the SKU is tracked: none or batch."),
    )
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


def state_action(name: str, service, response, **action_kwargs):
    """A POST action `name` without a body (submit, approve, post, cancel...) that runs one
    state-change service on the document and answers with the document: the viewset's
    `run_state_action(service, pk)` does the call. `action_kwargs` go to DRF's @action."""

    def endpoint(self, request, pk=None):
        return self.run_state_action(service, pk)

    endpoint.__name__ = name
    return extend_schema(request=None, responses=response)(
        action(detail=True, methods=["post"], **action_kwargs)(endpoint)
    )


def validated(serializer_class, request) -> dict:
    """The request body validated by `serializer_class` (400 validation_failed otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Base of the document resources: `list_serializer_class` (when set) for lists,
# `serializer_class` elsewhere, and `detail_response` to answer with a fresh document.
# (No docstring: drf-spectacular would show it as the description of subclasses without one.)
class DocumentViewSet(ModelViewSet):
    list_serializer_class: type[serializers.BaseSerializer] | None = None

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        document = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(document).data, status=code)

    def run_state_action(self, service, pk) -> Response:
        """Run the state-change `service` of a `state_action` on document `pk`; each resource
        says how its service is called."""
        raise NotImplementedError
