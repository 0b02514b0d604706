"""Purchase returns 采购退货 over the API: `/api/v1/purchase-returns/` — against a posted
receipt (its lines) or to a supplier from a warehouse (receipt lines or batches); submit,
approve, post (at the receipt's cost), reverse (红冲), cancel; `returnable/` lists what a
supplier's receipts can still give back."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.core.api.documents import (
    DocumentFilterSet,
    DocumentViewSet,
    LineSkuFieldsMixin,
    delete_action,
    post_action,
    qty_field,
    reverse_action,
    state_action,
    validated,
)
from storeledger.core.costs import CostFieldsMixin
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.core.errors import ValidationFailed
from storeledger.purchasing import selectors
from storeledger.purchasing.api.common import (
    PURCHASE_HEADER_FIELDS,
    PURCHASE_HEADER_RELATED,
    PurchaseHeaderSerializer,
)
from storeledger.purchasing.models import PurchaseReturn, PurchaseReturnLine, PurchaseReturnStatus
from storeledger.purchasing.services import returns as services


class PurchaseReturnLineSerializer(
    CostFieldsMixin, LineSkuFieldsMixin, serializers.ModelSerializer
):
    cost_fields = ("unit_cost", "net_amount", "tax_amount", "gross_amount")
    batch_no = serializers.CharField(source="batch.batch_no", read_only=True, default=None)
    receipt = serializers.IntegerField(source="receipt_line.receipt_id", read_only=True)
    receipt_number = serializers.CharField(source="receipt_line.receipt.number", read_only=True)

    class Meta:
        model = PurchaseReturnLine
        fields = [
            "id",
            "line_no",
            "receipt_line",
            "receipt",
            "receipt_number",
            "sku",
            "sku_code",
            "sku_name",
            "unit",
            "unit_name",
            "base_unit_name",
            "base_unit_precision",
            "factor",
            "quantity",
            "base_quantity",
            "batch",
            "batch_no",
            "unit_cost",
            "tax_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "notes",
        ]
        read_only_fields = fields


class PurchaseReturnListSerializer(PurchaseHeaderSerializer):
    cost_fields = ("total_net", "total_tax", "total_gross")
    receipt_number = serializers.CharField(source="receipt.number", read_only=True, default=None)

    class Meta:
        model = PurchaseReturn
        fields = [
            *PURCHASE_HEADER_FIELDS,
            "receipt",
            "receipt_number",
            "reason",
            "reference",
            "total_net",
            "total_tax",
            "total_gross",
        ]
        read_only_fields = fields


class PurchaseReturnSerializer(PurchaseReturnListSerializer):
    lines = PurchaseReturnLineSerializer(many=True, read_only=True)

    class Meta(PurchaseReturnListSerializer.Meta):
        fields = [*PurchaseReturnListSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class ReturnLineInputSerializer(serializers.Serializer):
    receipt_line = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    batch = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Instead of a receipt line: a batch that came from this supplier."),
    )
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    quantity = qty_field(help_text=_("In `unit` (default: the receipt line's unit)."))
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @staticmethod
    def to_input(data: dict) -> services.ReturnLineInput:
        return services.ReturnLineInput(
            quantity=data["quantity"],
            receipt_line_id=data.get("receipt_line"),
            batch_id=data.get("batch"),
            unit_id=data.get("unit"),
            notes=data.get("notes", ""),
        )


class PurchaseReturnCreateSerializer(serializers.Serializer):
    receipt = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    supplier = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=_("Without a receipt.")
    )
    warehouse = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=_("Without a receipt.")
    )
    document_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    lines = ReturnLineInputSerializer(many=True, allow_empty=False)
    post = serializers.BooleanField(required=False, default=False)


class PurchaseReturnUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    document_date = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    lines = ReturnLineInputSerializer(many=True, required=False, allow_empty=False)


class ReturnableSerializer(CostFieldsMixin, serializers.Serializer):
    cost_fields = ("unit_cost",)
    receipt_line = serializers.IntegerField()
    receipt = serializers.IntegerField()
    receipt_number = serializers.CharField()
    posted_at = serializers.DateTimeField()
    sku = serializers.IntegerField()
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    factor = qty_field()
    base_unit = serializers.IntegerField()
    base_unit_name = serializers.CharField()
    base_unit_precision = serializers.IntegerField(
        help_text=_("Decimal places the base unit allows (the quantities are in the base unit).")
    )
    batch = serializers.IntegerField(allow_null=True)
    batch_no = serializers.CharField(allow_blank=True)
    received = qty_field(help_text=_("Accepted, in the base unit."))
    returned = qty_field(help_text=_("Returned by posted returns, in the base unit."))
    returnable = qty_field(help_text=_("What may still go back, in the base unit."))
    unit_cost = serializers.DecimalField(max_digits=18, decimal_places=4)


class PurchaseReturnFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PurchaseReturnStatus.choices)
    warehouse = django_filters.NumberFilter(field_name="warehouse_id")
    supplier = django_filters.NumberFilter(field_name="supplier_id")
    receipt = django_filters.NumberFilter(field_name="receipt_id")

    class Meta:
        model = PurchaseReturn
        fields = ["status", "warehouse", "store", "supplier", "receipt"]


@extend_schema_view(
    list=extend_schema(responses=PurchaseReturnListSerializer),
    retrieve=extend_schema(responses=PurchaseReturnSerializer),
    create=extend_schema(
        request=PurchaseReturnCreateSerializer, responses={201: PurchaseReturnSerializer}
    ),
    update=extend_schema(
        request=PurchaseReturnUpdateSerializer, responses=PurchaseReturnSerializer
    ),
    partial_update=extend_schema(
        request=PurchaseReturnUpdateSerializer, responses=PurchaseReturnSerializer
    ),
)
class PurchaseReturnViewSet(DocumentViewSet):
    """Purchase returns 采购退货: goods back to the supplier they came from, at the cost they
    came in with; never more than a receipt line took in minus what already went back
    (409 over_return naming the line)."""

    queryset = PurchaseReturn.objects.all()
    serializer_class = PurchaseReturnSerializer
    list_serializer_class = PurchaseReturnListSerializer
    filterset_class = PurchaseReturnFilterSet
    ordering_fields = ["id", "number", "document_date", "status", "total_gross"]
    ordering = ["-id"]
    document_type = "purchasereturn"
    document_id_arg = "return_id"
    extra_action_permissions = {"returnable": "purchasing.view_purchasereturn"}
    header_related = (*PURCHASE_HEADER_RELATED, "receipt")
    line_related = ("sku__product__base_unit", "unit", "batch", "receipt_line__receipt")

    def get_queryset(self):
        return scope.filter_warehouses(self.document_queryset(), self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(PurchaseReturnCreateSerializer, request)
        document = services.create_purchase_return(
            user=request.user,
            receipt_id=values.get("receipt"),
            supplier_id=values.get("supplier"),
            warehouse_id=values.get("warehouse"),
            lines=[ReturnLineInputSerializer.to_input(line) for line in values["lines"]],
            document_date=values.get("document_date"),
            reason=values.get("reason", ""),
            reference=values.get("reference", ""),
            notes=values.get("notes", ""),
            post=values.get("post", False),
        )
        return self.detail_response(document.id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        values = validated(PurchaseReturnUpdateSerializer, request)
        document = services.update_purchase_return(
            user=request.user,
            return_id=int(kwargs["pk"]),
            version=values["version"],
            document_date=values.get("document_date"),
            reason=values.get("reason"),
            reference=values.get("reference"),
            notes=values.get("notes"),
            lines=[ReturnLineInputSerializer.to_input(line) for line in values["lines"]]
            if "lines" in values
            else None,
        )
        return self.detail_response(document.id)

    destroy = delete_action(services.delete_purchase_return)
    submit = state_action("submit", services.submit_purchase_return, PurchaseReturnSerializer)
    approve = state_action("approve", services.approve_purchase_return, PurchaseReturnSerializer)
    post_document = post_action(services.post_purchase_return, PurchaseReturnSerializer)
    cancel = state_action("cancel", services.cancel_purchase_return, PurchaseReturnSerializer)
    reverse = reverse_action(
        services.reverse_purchase_return,
        PurchaseReturnSerializer,
        _("Reverse a posted return (红冲); answers with the reversing return."),
    )

    @extend_schema(
        responses=ReturnableSerializer(many=True),
        parameters=[
            OpenApiParameter("receipt", int, description=_("The lines of this receipt.")),
            OpenApiParameter("supplier", int, description=_("Or: this supplier's...")),
            OpenApiParameter("warehouse", int, description=_("...receipts into this one.")),
        ],
        description=_(
            "What posted receipts can still give back, per receipt line: received, "
            "returned and returnable in the base unit, batch and unit cost."
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None)  # a plain list, not a page
    def returnable(self, request):
        receipt = _int_param(request, "receipt")
        supplier = _int_param(request, "supplier")
        warehouse = _int_param(request, "warehouse")
        if receipt is None and (supplier is None or warehouse is None):
            raise ValidationFailed(
                str(_("Give the receipt, or the supplier and the warehouse.")),
                fields={
                    "receipt": [str(_("Give the receipt, or the supplier and the warehouse."))]
                },
            )
        rows = selectors.returnable_lines(
            user=request.user, receipt_id=receipt, supplier_id=supplier, warehouse_id=warehouse
        )
        return Response(
            ReturnableSerializer(rows, many=True, context=self.get_serializer_context()).data
        )


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed(
            str(_("Give a number.")),
            code="bad_parameter",
            fields={name: [str(_("Give a number."))]},
        ) from None
    if not 1 <= value <= 2**31 - 1:
        raise ValidationFailed(
            str(_("The number is out of range.")),
            code="number_out_of_range",
            fields={name: [str(_("The number is out of range."))]},
        )
    return value
