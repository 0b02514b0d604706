"""Purchase receipts 采购入库 over the API: `/api/v1/purchase-receipts/` — created against an
order (or without one where the role allows), posted at once with `"post": true` or later with
the `post` action; accepted and rejected quantities, batch numbers and dates per line."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.core.api.documents import (
    DocumentFilterSet,
    DocumentViewSet,
    LineSkuFieldsMixin,
    delete_action,
    money_field,
    post_action,
    qty_field,
    state_action,
    validated,
)
from storeledger.core.costs import COST_PERMISSION, CostFieldsMixin
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.purchasing.api.common import (
    PURCHASE_HEADER_FIELDS,
    PURCHASE_HEADER_RELATED,
    PurchaseHeaderSerializer,
)
from storeledger.purchasing.models import (
    AllocationBasis,
    ChargeKind,
    PurchaseReceipt,
    PurchaseReceiptCharge,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
)
from storeledger.purchasing.services import receipts as services


class PurchaseReceiptLineSerializer(
    CostFieldsMixin, LineSkuFieldsMixin, serializers.ModelSerializer
):
    cost_fields = ("unit_cost", "charge_amount", "landed_unit_cost")
    landed_unit_cost = serializers.SerializerMethodField(
        help_text=_("Per base unit: the net unit cost plus the line's share of the charges.")
    )

    class Meta:
        model = PurchaseReceiptLine
        fields = [
            "id",
            "line_no",
            "order_line",
            "sku",
            "sku_code",
            "sku_name",
            "unit",
            "unit_code",
            "unit_name",
            "base_unit_name",
            "base_unit_precision",
            "tracking",
            "factor",
            "quantity",
            "base_quantity",
            "rejected_quantity",
            "reject_reason",
            "unit_cost",
            "batch",
            "batch_no",
            "production_date",
            "expiry_date",
            "notes",
            "charge_amount",
            "landed_unit_cost",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=4))
    def get_landed_unit_cost(self, obj) -> str:
        return f"{services.landed_unit_cost(obj):f}"


class PurchaseReceiptChargeSerializer(CostFieldsMixin, serializers.ModelSerializer):
    cost_fields = ("amount", "tax_amount")

    class Meta:
        model = PurchaseReceiptCharge
        fields = [
            "id",
            "line_no",
            "kind",
            "amount",
            "tax_amount",
            "payable_to_supplier",
            "payee",
            "notes",
        ]
        read_only_fields = fields


class PurchaseReceiptListSerializer(PurchaseHeaderSerializer):
    cost_fields = ("total_value",)
    order_number = serializers.CharField(source="order.number", read_only=True, default=None)

    class Meta:
        model = PurchaseReceipt
        fields = [
            *PURCHASE_HEADER_FIELDS,
            "order",
            "order_number",
            "reference",
            "total_value",
        ]
        read_only_fields = fields


class PurchaseReceiptSerializer(PurchaseReceiptListSerializer):
    cost_fields = ("total_value", "total_charges")
    lines = PurchaseReceiptLineSerializer(many=True, read_only=True)
    charges = PurchaseReceiptChargeSerializer(many=True, read_only=True)

    class Meta(PurchaseReceiptListSerializer.Meta):
        fields = [
            *PurchaseReceiptListSerializer.Meta.fields,
            "allocation_basis",
            "total_charges",
            "lines",
            "charges",
        ]
        read_only_fields = fields


class ReceiptLineInputSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    sku = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Against an order, a SKU alone means the order's line of that SKU."),
    )
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    quantity = qty_field(help_text=_("Accepted quantity, in `unit`."))
    rejected_quantity = qty_field(required=False, default=0)
    reject_reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    batch_no = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    production_date = serializers.DateField(required=False, allow_null=True)
    expiry_date = serializers.DateField(required=False, allow_null=True)
    price = money_field(
        required=False,
        allow_null=True,
        help_text=_("Without an order: net price per `unit` (default: the catalogue's)."),
    )
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if not attrs.get("order_line") and not attrs.get("sku"):
            raise serializers.ValidationError({"sku": [_("Give the order line or the SKU.")]})
        return attrs

    @staticmethod
    def to_input(data: dict) -> services.ReceiptLineInput:
        return services.ReceiptLineInput(
            quantity=data["quantity"],
            sku_id=data.get("sku"),
            order_line_id=data.get("order_line"),
            unit_id=data.get("unit"),
            rejected_quantity=data.get("rejected_quantity") or 0,
            reject_reason=data.get("reject_reason", ""),
            batch_no=data.get("batch_no", ""),
            production_date=data.get("production_date"),
            expiry_date=data.get("expiry_date"),
            price=data.get("price"),
            notes=data.get("notes", ""),
        )


class ChargeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChargeKind.choices)
    amount = money_field(help_text=_("Net of VAT, to the fen: goes into the goods' cost."))
    tax_amount = money_field(
        required=False, default=0, help_text=_("Recoverable VAT on the charge (not in the cost).")
    )
    payable_to_supplier = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Owed to the receipt's supplier (on his account); else paid to `payee`."),
    )
    payee = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @staticmethod
    def to_input(data: dict) -> services.ChargeInput:
        return services.ChargeInput(
            kind=data["kind"],
            amount=data["amount"],
            tax_amount=data.get("tax_amount") or Decimal(0),
            payable_to_supplier=data.get("payable_to_supplier", False),
            payee=data.get("payee", ""),
            notes=data.get("notes", ""),
        )


def _allocation_basis_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=AllocationBasis.choices,
        help_text=_("How the charges are shared over the accepted lines."),
        **kwargs,
    )


class PurchaseReceiptCreateSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    supplier = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=_("Without an order.")
    )
    warehouse = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=_("Without an order.")
    )
    document_date = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    lines = ReceiptLineInputSerializer(many=True, allow_empty=False)
    post = serializers.BooleanField(required=False, default=False)
    charges = ChargeInputSerializer(many=True, required=False, default=list)
    allocation_basis = _allocation_basis_field(required=False, default=AllocationBasis.VALUE)


class PurchaseReceiptUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a stale one gives 409 stale_version.")
    )
    document_date = serializers.DateField(required=False)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    lines = ReceiptLineInputSerializer(
        many=True, required=False, allow_empty=False, help_text=_("Replaces every line.")
    )
    charges = ChargeInputSerializer(
        many=True, required=False, help_text=_("Replaces every charge ([] removes them).")
    )
    allocation_basis = _allocation_basis_field(required=False)


class AllocationPreviewSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    supplier = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    warehouse = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    lines = ReceiptLineInputSerializer(many=True, allow_empty=False)
    charges = ChargeInputSerializer(many=True, required=False, default=list)
    allocation_basis = _allocation_basis_field(required=False, default=AllocationBasis.VALUE)


class AllocatedLineSerializer(serializers.Serializer):
    line_no = serializers.IntegerField()
    order_line = serializers.IntegerField(source="order_line_id", allow_null=True)
    sku = serializers.IntegerField(source="sku_id")
    base_quantity = qty_field()
    value = money_field(help_text=_("The accepted goods' net value."))
    charge_amount = money_field(help_text=_("The line's share of the charges."))
    landed_value = money_field()
    landed_unit_cost = money_field(help_text=_("Per base unit."))


class PurchaseReceiptFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PurchaseReceiptStatus.choices)
    warehouse = django_filters.NumberFilter(field_name="warehouse_id")
    supplier = django_filters.NumberFilter(field_name="supplier_id")
    order = django_filters.NumberFilter(field_name="order_id")

    class Meta:
        model = PurchaseReceipt
        fields = ["status", "warehouse", "store", "supplier", "order"]


@extend_schema_view(
    list=extend_schema(responses=PurchaseReceiptListSerializer),
    retrieve=extend_schema(responses=PurchaseReceiptSerializer),
    create=extend_schema(
        request=PurchaseReceiptCreateSerializer, responses={201: PurchaseReceiptSerializer}
    ),
    update=extend_schema(
        request=PurchaseReceiptUpdateSerializer, responses=PurchaseReceiptSerializer
    ),
    partial_update=extend_schema(
        request=PurchaseReceiptUpdateSerializer, responses=PurchaseReceiptSerializer
    ),
)
class PurchaseReceiptViewSet(DocumentViewSet):
    """Purchase receipts 采购入库: goods received against an order (or without one where the
    role allows); posting takes stock in at the order's net price and updates the order."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    queryset = PurchaseReceipt.objects.all()
    serializer_class = PurchaseReceiptSerializer
    list_serializer_class = PurchaseReceiptListSerializer
    filterset_class = PurchaseReceiptFilterSet
    ordering_fields = ["id", "number", "document_date", "status"]
    ordering = ["-id"]
    document_type = "purchasereceipt"
    document_id_arg = "receipt_id"
    extra_action_permissions = {
        "allocation": ["purchasing.change_purchasereceipt", COST_PERMISSION]
    }
    header_related = (*PURCHASE_HEADER_RELATED, "order")
    line_related = ("sku__product__base_unit", "unit", "order_line")

    def get_queryset(self):
        queryset = self.document_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("charges", PurchaseReceiptCharge.objects.order_by("line_no"))
            )
        return scope.filter_warehouses(queryset, self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(PurchaseReceiptCreateSerializer, request)
        receipt = services.create_purchase_receipt(
            user=request.user,
            order_id=values.get("order"),
            supplier_id=values.get("supplier"),
            warehouse_id=values.get("warehouse"),
            lines=[ReceiptLineInputSerializer.to_input(line) for line in values["lines"]],
            document_date=values.get("document_date"),
            reference=values.get("reference", ""),
            notes=values.get("notes", ""),
            post=values.get("post", False),
            charges=[ChargeInputSerializer.to_input(charge) for charge in values["charges"]],
            allocation_basis=values["allocation_basis"],
        )
        return self.detail_response(receipt.id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        # PUT and PATCH alike: `version` is required, every other field is optional.
        values = validated(PurchaseReceiptUpdateSerializer, request)
        receipt = services.update_purchase_receipt(
            user=request.user,
            receipt_id=int(kwargs["pk"]),
            version=values["version"],
            document_date=values.get("document_date"),
            reference=values.get("reference"),
            notes=values.get("notes"),
            lines=[ReceiptLineInputSerializer.to_input(line) for line in values["lines"]]
            if "lines" in values
            else None,
            charges=[ChargeInputSerializer.to_input(charge) for charge in values["charges"]]
            if "charges" in values
            else None,
            allocation_basis=values.get("allocation_basis"),
        )
        return self.detail_response(receipt.id)

    @extend_schema(
        request=AllocationPreviewSerializer,
        responses=AllocatedLineSerializer(many=True),
        description=_(
            "How the charges would be shared over the lines (a preview: nothing is saved); "
            "the same checks and errors as creating the receipt."
        ),
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def allocation(self, request):
        values = validated(AllocationPreviewSerializer, request)
        rows = services.preview_charge_allocation(
            user=request.user,
            order_id=values.get("order"),
            supplier_id=values.get("supplier"),
            warehouse_id=values.get("warehouse"),
            lines=[ReceiptLineInputSerializer.to_input(line) for line in values["lines"]],
            charges=[ChargeInputSerializer.to_input(charge) for charge in values["charges"]],
            allocation_basis=values["allocation_basis"],
        )
        return Response(AllocatedLineSerializer(rows, many=True).data)

    destroy = delete_action(services.delete_purchase_receipt)
    post_document = post_action(services.post_purchase_receipt, PurchaseReceiptSerializer)
    cancel = state_action("cancel", services.cancel_purchase_receipt, PurchaseReceiptSerializer)
