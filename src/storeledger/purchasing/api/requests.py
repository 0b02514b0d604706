"""Purchase requests 采购申请 over the API: `/api/v1/purchase-requests/` — a store's draft
request for one of its warehouses (lines: SKU, quantity in a unit, needed-by date, note);
submit, approve, cancel; `consolidate/` turns several approved requests into draft purchase
orders grouped by supplier."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.core.api.documents import (
    DOCUMENT_HEADER_FIELDS,
    DocumentFilterSet,
    DocumentHeaderSerializer,
    DocumentViewSet,
    LineSkuFieldsMixin,
    delete_action,
    qty_field,
    state_action,
    validated,
)
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.purchasing.models import (
    PurchaseRequest,
    PurchaseRequestLine,
    PurchaseRequestStatus,
)
from storeledger.purchasing.services import requests as services


class PurchaseRequestLineSerializer(LineSkuFieldsMixin, serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_line.order_id", read_only=True, default=None)
    order_number = serializers.CharField(
        source="order_line.order.number", read_only=True, default=None
    )

    class Meta:
        model = PurchaseRequestLine
        fields = [
            "id",
            "line_no",
            "sku",
            "sku_code",
            "sku_name",
            "unit",
            "unit_name",
            "base_unit_name",
            "base_unit_precision",
            "quantity",
            "factor",
            "base_quantity",
            "needed_by",
            "notes",
            "order_line",
            "order",
            "order_number",
        ]
        read_only_fields = fields


class PurchaseRequestListSerializer(DocumentHeaderSerializer):
    store_code = serializers.CharField(source="store.code", read_only=True)
    store_name = serializers.CharField(source="store.name", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)

    class Meta:
        model = PurchaseRequest
        fields = [
            *DOCUMENT_HEADER_FIELDS,
            "store",
            "store_code",
            "store_name",
            "warehouse",
            "warehouse_code",
            "warehouse_name",
            "needed_by",
        ]
        read_only_fields = fields


class PurchaseRequestSerializer(PurchaseRequestListSerializer):
    lines = PurchaseRequestLineSerializer(many=True, read_only=True)

    class Meta(PurchaseRequestListSerializer.Meta):
        fields = [*PurchaseRequestListSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class RequestLineInputSerializer(serializers.Serializer):
    sku = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    quantity = qty_field(help_text=_("In `unit` (default: the SKU's base unit)."))
    needed_by = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @staticmethod
    def to_input(data: dict) -> services.RequestLineInput:
        return services.RequestLineInput(
            sku_id=data["sku"],
            unit_id=data.get("unit"),
            quantity=data["quantity"],
            needed_by=data.get("needed_by"),
            notes=data.get("notes", ""),
        )


class PurchaseRequestCreateSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField(min_value=1)
    needed_by = serializers.DateField(required=False, allow_null=True)
    document_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    lines = RequestLineInputSerializer(many=True, allow_empty=False)


class PurchaseRequestUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    needed_by = serializers.DateField(required=False)
    document_date = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    lines = RequestLineInputSerializer(many=True, required=False, allow_empty=False)


class ConsolidateSerializer(serializers.Serializer):
    requests = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=200,
        help_text=_("The approved requests to turn into draft purchase orders."),
    )


class ConsolidatedOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.CharField(source="supplier.name")
    warehouse = serializers.IntegerField(source="warehouse_id")
    total_gross = serializers.DecimalField(max_digits=18, decimal_places=4)
    lines = serializers.IntegerField(source="line_count")


class LeftLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="document_id")
    request_number = serializers.CharField(source="document.number")
    line_no = serializers.IntegerField()
    sku = serializers.IntegerField(source="sku_id")
    sku_code = serializers.CharField(source="sku.code")
    reason = serializers.CharField()


class ConsolidationSerializer(serializers.Serializer):
    orders = ConsolidatedOrderSerializer(many=True)
    left = LeftLineSerializer(
        many=True,
        help_text=_("Request lines left open: no supplier in the catalogue for their SKU."),
    )
    requests = PurchaseRequestListSerializer(many=True)


class PurchaseRequestFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PurchaseRequestStatus.choices)
    warehouse = django_filters.NumberFilter(field_name="warehouse_id")

    class Meta:
        model = PurchaseRequest
        fields = ["status", "warehouse", "store"]


@extend_schema_view(
    list=extend_schema(responses=PurchaseRequestListSerializer),
    retrieve=extend_schema(responses=PurchaseRequestSerializer),
    create=extend_schema(
        request=PurchaseRequestCreateSerializer, responses={201: PurchaseRequestSerializer}
    ),
    update=extend_schema(
        request=PurchaseRequestUpdateSerializer, responses=PurchaseRequestSerializer
    ),
    partial_update=extend_schema(
        request=PurchaseRequestUpdateSerializer, responses=PurchaseRequestSerializer
    ),
)
class PurchaseRequestViewSet(DocumentViewSet):
    """Purchase requests 采购申请: a store asks for goods; approved requests are turned into
    draft purchase orders grouped by supplier (`consolidate`)."""

    queryset = PurchaseRequest.objects.all()
    serializer_class = PurchaseRequestSerializer
    list_serializer_class = PurchaseRequestListSerializer
    filterset_class = PurchaseRequestFilterSet
    ordering_fields = ["id", "number", "document_date", "needed_by", "status"]
    ordering = ["-id"]
    document_type = "purchaserequest"
    document_id_arg = "request_id"
    action_aliases = {"consolidate_one": "consolidate"}
    extra_action_permissions = {"consolidate": "purchasing.consolidate_purchaserequest"}
    header_related = ("store", "warehouse")
    line_related = ("sku__product__base_unit", "unit", "order_line__order")

    def get_queryset(self):
        return scope.filter_warehouses(self.document_queryset(), self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(PurchaseRequestCreateSerializer, request)
        document = services.create_purchase_request(
            user=request.user,
            warehouse_id=values["warehouse"],
            needed_by=values.get("needed_by"),
            document_date=values.get("document_date"),
            notes=values.get("notes", ""),
            lines=[RequestLineInputSerializer.to_input(line) for line in values["lines"]],
        )
        return self.detail_response(document.id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        values = validated(PurchaseRequestUpdateSerializer, request)
        document = services.update_purchase_request(
            user=request.user,
            request_id=int(kwargs["pk"]),
            version=values["version"],
            needed_by=values.get("needed_by"),
            document_date=values.get("document_date"),
            notes=values.get("notes"),
            lines=[RequestLineInputSerializer.to_input(line) for line in values["lines"]]
            if "lines" in values
            else None,
        )
        return self.detail_response(document.id)

    destroy = delete_action(services.delete_purchase_request)
    submit = state_action("submit", services.submit_purchase_request, PurchaseRequestSerializer)
    approve = state_action("approve", services.approve_purchase_request, PurchaseRequestSerializer)
    cancel = state_action("cancel", services.cancel_purchase_request, PurchaseRequestSerializer)

    def _consolidation(self, ids) -> Response:
        result = services.consolidate_purchase_requests(user=self.request.user, request_ids=ids)
        for order in result.orders:
            order.line_count = order.lines.count()
        for line in result.left:
            line.reason = str(_("No supplier in the catalogue for this SKU."))
        data = ConsolidationSerializer(
            {"orders": result.orders, "left": result.left, "requests": result.requests},
            context=self.get_serializer_context(),
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConsolidateSerializer,
        responses={201: ConsolidationSerializer},
        description=_(
            "Turn approved requests into draft purchase orders, one per supplier and "
            "warehouse (the SKU's preferred supplier in the catalogue); each request line "
            "is linked to its order line; lines without a supplier are left open."
        ),
    )
    @action(detail=False, methods=["post"])
    def consolidate(self, request):
        data = validated(ConsolidateSerializer, request)
        return self._consolidation(data["requests"])

    @extend_schema(
        operation_id="purchase_requests_consolidate_one",
        request=None,
        responses={201: ConsolidationSerializer},
        description=_("Turn this one approved request into draft purchase orders."),
    )
    @action(detail=True, methods=["post"], url_path="consolidate", url_name="consolidate-one")
    def consolidate_one(self, request, pk=None):
        return self._consolidation([int(pk)])
