"""Purchase orders 采购订单 over the API: `/api/v1/purchase-orders/` (drafts edited with their
lines, state actions submit / approve / send / close / cancel, `available_actions` per
user) and `/api/v1/purchase-orders/on-order/` (what open orders still expect per warehouse ×
SKU). The store scope is the order's warehouse, as for every document."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.core.api.documents import (
    ActionBodySerializer,
    DocumentFilterSet,
    DocumentViewSet,
    LineSkuFieldsMixin,
    UsernameField,
    delete_action,
    money_field,
    qty_field,
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
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderRevision,
    PurchaseOrderStatus,
)
from storeledger.purchasing.services import orders as services

# ---------------------------------------------------------------- serializers


class PurchaseOrderLineSerializer(CostFieldsMixin, LineSkuFieldsMixin, serializers.ModelSerializer):
    cost_fields = ("price", "net_amount", "tax_amount", "gross_amount")
    base_unit = serializers.IntegerField(source="sku.product.base_unit_id", read_only=True)
    open_quantity = qty_field(
        read_only=True, help_text=_("Still expected, in the base unit (0 once closed).")
    )

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "line_no",
            "sku",
            "sku_code",
            "sku_name",
            "unit",
            "unit_code",
            "unit_name",
            "base_unit",
            "base_unit_code",
            "base_unit_name",
            "base_unit_precision",
            "tracking",
            "factor",
            "quantity",
            "base_quantity",
            "price",
            "tax_rate",
            "discount",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "expected_date",
            "received_quantity",
            "open_quantity",
            "notes",
        ]
        read_only_fields = fields


class PurchaseOrderListSerializer(PurchaseHeaderSerializer):
    cost_fields = ("total_net", "total_tax", "total_gross")
    sent_by = UsernameField()
    closed_by = UsernameField()
    revision_pending_status = serializers.CharField(
        read_only=True,
        help_text=_(
            "While a revision awaits approval: the status the order returns to once it is "
            "decided (approved, sent or partially_received); empty otherwise."
        ),
    )

    class Meta:
        model = PurchaseOrder
        fields = [
            *PURCHASE_HEADER_FIELDS,
            "prices_include_tax",
            "expected_date",
            "reference",
            "total_net",
            "total_tax",
            "total_gross",
            "sent_at",
            "sent_by",
            "closed_at",
            "closed_by",
            "close_reason",
            "revision",
            "revision_pending_status",
        ]
        read_only_fields = fields


class RevisionSnapshotLineSerializer(CostFieldsMixin, serializers.Serializer):
    """A line of a previous revision as it was (read-only)."""

    cost_fields = ("price", "net_amount", "tax_amount", "gross_amount")
    id = serializers.IntegerField()
    line_no = serializers.IntegerField()
    sku = serializers.IntegerField()
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    quantity = qty_field()
    base_quantity = qty_field()
    price = money_field(read_only=True)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    discount = serializers.DecimalField(max_digits=5, decimal_places=2)
    net_amount = money_field(read_only=True)
    tax_amount = money_field(read_only=True)
    gross_amount = money_field(read_only=True)
    expected_date = serializers.DateField(allow_null=True)
    received_quantity = qty_field()
    notes = serializers.CharField(allow_blank=True)


class RevisionSnapshotSerializer(CostFieldsMixin, serializers.Serializer):
    """The revision before, as it was: header, totals and lines."""

    cost_fields = ("total_net", "total_tax", "total_gross")
    revision = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PurchaseOrderStatus.choices)
    expected_date = serializers.DateField(allow_null=True)
    reference = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)
    total_net = money_field(read_only=True)
    total_tax = money_field(read_only=True)
    total_gross = money_field(read_only=True)
    lines = RevisionSnapshotLineSerializer(many=True)


class PurchaseOrderRevisionSerializer(CostFieldsMixin, serializers.ModelSerializer):
    """One revision (修订) of an order: its number, reason, status (pending approval,
    approved, applied without approval, rejected), who/when, its totals, and the revision it
    replaced as it was."""

    cost_fields = ("total_net", "total_tax", "total_gross")
    created_by = UsernameField()
    decided_by = UsernameField()
    previous = RevisionSnapshotSerializer(
        read_only=True, help_text=_("The revision this one replaced, as it was.")
    )

    class Meta:
        model = PurchaseOrderRevision
        fields = [
            "number",
            "reason",
            "status",
            "order_status",
            "created_at",
            "created_by",
            "decided_at",
            "decided_by",
            "total_net",
            "total_tax",
            "total_gross",
            "previous",
        ]
        read_only_fields = fields


class PurchaseOrderSerializer(PurchaseOrderListSerializer):
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)
    revisions = PurchaseOrderRevisionSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "The revision history (修订), oldest first: each revision's reason, who/when, its "
            "totals and the revision it replaced as it was."
        ),
    )

    class Meta(PurchaseOrderListSerializer.Meta):
        fields = [*PurchaseOrderListSerializer.Meta.fields, "lines", "revisions"]
        read_only_fields = fields


class OrderLineInputSerializer(serializers.Serializer):
    sku = serializers.IntegerField(min_value=1)
    quantity = qty_field(help_text=_("In `unit`."))
    unit = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Default: the supplier catalogue's purchase unit, else the base unit."),
    )
    price = money_field(
        required=False,
        allow_null=True,
        help_text=_(
            "Per `unit`, tax-inclusive or not as the order (the supplier) quotes; default: "
            "the supplier catalogue's current price."
        ),
    )
    tax_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("VAT rate in percent: 13, 9, 6 or 0 (default: the supplier's)."),
    )
    discount = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        default=0,
        help_text=_("Line discount in percent."),
    )
    expected_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @staticmethod
    def to_input(data: dict) -> services.OrderLineInput:
        return services.OrderLineInput(
            sku_id=data["sku"],
            quantity=data["quantity"],
            unit_id=data.get("unit"),
            price=data.get("price"),
            tax_rate=data.get("tax_rate"),
            discount=data.get("discount") or 0,
            expected_date=data.get("expected_date"),
            notes=data.get("notes", ""),
        )


class PurchaseOrderCreateSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(min_value=1)
    warehouse = serializers.IntegerField(min_value=1)
    document_date = serializers.DateField(required=False, allow_null=True)
    expected_date = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    lines = OrderLineInputSerializer(many=True, allow_empty=False)


class PurchaseOrderUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    supplier = serializers.IntegerField(min_value=1, required=False)
    warehouse = serializers.IntegerField(min_value=1, required=False)
    document_date = serializers.DateField(required=False)
    expected_date = serializers.DateField(required=False)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    lines = OrderLineInputSerializer(many=True, required=False, allow_empty=False)


class RevisionLineInputSerializer(OrderLineInputSerializer):
    id = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("The order line this line revises (its SKU stays); omitted: a new line."),
    )

    @staticmethod
    def to_revision_input(data: dict) -> services.RevisionLineInput:
        base = OrderLineInputSerializer.to_input(data)
        return services.RevisionLineInput(**vars(base), line_id=data.get("id"))


class PurchaseOrderReviseSerializer(ActionBodySerializer):
    """The revised order: a reason and the whole set of lines."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a stale one gives 409 stale_version.")
    )
    reason = serializers.CharField(max_length=200, help_text=_("Why the order is revised."))
    expected_date = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    lines = RevisionLineInputSerializer(
        many=True,
        allow_empty=False,
        help_text=_("The whole revised order: a line left out is removed."),
    )

    @classmethod
    def service_kwargs(cls, values: dict) -> dict:
        return {
            "version": values["version"],
            "reason": values["reason"],
            "expected_date": values.get("expected_date"),
            "reference": values.get("reference"),
            "notes": values.get("notes"),
            "lines": [RevisionLineInputSerializer.to_revision_input(x) for x in values["lines"]],
        }


class PurchaseOrderCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OnOrderSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField()
    sku = serializers.IntegerField()
    quantity = qty_field(help_text=_("On order, in the base unit."))


class PurchaseOrderFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PurchaseOrderStatus.choices)
    warehouse = django_filters.NumberFilter(field_name="warehouse_id")
    supplier = django_filters.NumberFilter(field_name="supplier_id")

    class Meta:
        model = PurchaseOrder
        fields = ["status", "warehouse", "store", "supplier"]


# ---------------------------------------------------------------- views


@extend_schema_view(
    list=extend_schema(responses=PurchaseOrderListSerializer),
    retrieve=extend_schema(responses=PurchaseOrderSerializer),
    create=extend_schema(
        request=PurchaseOrderCreateSerializer, responses={201: PurchaseOrderSerializer}
    ),
    update=extend_schema(request=PurchaseOrderUpdateSerializer, responses=PurchaseOrderSerializer),
    partial_update=extend_schema(
        request=PurchaseOrderUpdateSerializer, responses=PurchaseOrderSerializer
    ),
)
class PurchaseOrderViewSet(DocumentViewSet):
    """Purchase orders 采购订单: a draft is edited with its lines; submit, approve (by
    another user than its creator), send, close (short-close what is still open) and cancel
    are state actions; only a draft can be changed (409 otherwise)."""

    queryset = PurchaseOrder.objects.all()
    serializer_class = PurchaseOrderSerializer
    list_serializer_class = PurchaseOrderListSerializer
    filterset_class = PurchaseOrderFilterSet
    ordering_fields = ["id", "number", "document_date", "expected_date", "status", "total_gross"]
    ordering = ["-id"]
    document_type = "purchaseorder"
    document_id_arg = "order_id"
    extra_action_permissions = {"on_order": "purchasing.view_purchaseorder"}
    header_related = (*PURCHASE_HEADER_RELATED, "sent_by", "closed_by")
    line_related = ("sku__product__base_unit", "unit")

    def get_queryset(self):
        queryset = self.document_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "revisions",
                    PurchaseOrderRevision.objects.select_related(
                        "created_by", "decided_by"
                    ).order_by("number"),
                )
            )
        return scope.filter_warehouses(queryset, self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(PurchaseOrderCreateSerializer, request)
        order = services.create_purchase_order(
            user=request.user,
            supplier_id=values["supplier"],
            warehouse_id=values["warehouse"],
            lines=[OrderLineInputSerializer.to_input(line) for line in values["lines"]],
            document_date=values.get("document_date"),
            expected_date=values.get("expected_date"),
            reference=values.get("reference", ""),
            notes=values.get("notes", ""),
        )
        return self.detail_response(order.id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        # PUT and PATCH alike: `version` is required, every other field is optional.
        values = validated(PurchaseOrderUpdateSerializer, request)
        order = services.update_purchase_order(
            user=request.user,
            order_id=int(kwargs["pk"]),
            version=values["version"],
            supplier_id=values.get("supplier"),
            warehouse_id=values.get("warehouse"),
            document_date=values.get("document_date"),
            expected_date=values.get("expected_date"),
            reference=values.get("reference"),
            notes=values.get("notes"),
            lines=[OrderLineInputSerializer.to_input(line) for line in values["lines"]]
            if "lines" in values
            else None,
        )
        return self.detail_response(order.id)

    destroy = delete_action(services.delete_purchase_order)
    submit = state_action("submit", services.submit_purchase_order, PurchaseOrderSerializer)
    approve = state_action("approve", services.approve_purchase_order, PurchaseOrderSerializer)
    send = state_action("send", services.send_purchase_order, PurchaseOrderSerializer)
    cancel = state_action("cancel", services.cancel_purchase_order, PurchaseOrderSerializer)
    revise = state_action(
        "revise",
        services.revise_purchase_order,
        PurchaseOrderSerializer,
        body=PurchaseOrderReviseSerializer,
        description=_(
            "Revise (修订) an approved, sent or partially received order: the body is the "
            "whole revised order. The revision before stays in `revisions` as it was; when "
            "approval rules ask for approval of the new amount the order is submitted again "
            "(approved, it returns to the status it had; rejected, the previous revision comes "
            "back), otherwise it keeps its status. 409 revision_not_allowed, "
            "revision_below_received, revision_removes_received, stale_version."
        ),
    )

    @extend_schema(
        request=PurchaseOrderCloseSerializer,
        responses=PurchaseOrderSerializer,
        description=_("Short-close an open order: its open quantity is no longer on order."),
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = validated(PurchaseOrderCloseSerializer, request)
        order = services.close_purchase_order(
            user=request.user, order_id=int(pk), reason=data.get("reason", "")
        )
        return self.detail_response(order.id)

    @extend_schema(
        responses=OnOrderSerializer(many=True),
        parameters=[
            OpenApiParameter("warehouse", int, description=_("Only this warehouse.")),
            OpenApiParameter("sku", int, description=_("Only this SKU.")),
        ],
        description=_(
            "What approved, sent and partially received orders still expect, per "
            "warehouse × SKU in the base unit (warehouses in your scope)."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="on-order",
        pagination_class=None,
        extra_query_params=("sku",),
    )
    def on_order(self, request):
        warehouse_ids = scope.warehouse_ids(request.user)
        wanted = _int_param(request, "warehouse")
        if wanted is not None:
            warehouse_ids = (
                frozenset({wanted}) if warehouse_ids is None else warehouse_ids & {wanted}
            )
        sku = _int_param(request, "sku")
        figures = selectors.on_order(
            warehouse_ids=sorted(warehouse_ids) if warehouse_ids is not None else None,
            sku_ids=[sku] if sku is not None else None,
        )
        rows = [
            {"warehouse": warehouse, "sku": sku_id, "quantity": quantity}
            for (warehouse, sku_id), quantity in sorted(figures.items())
        ]
        return Response(OnOrderSerializer(rows, many=True).data)


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed(
            _("%(name)s must be a number.") % {"name": name},
            code="invalid",
            fields={name: [_("A number.")]},
        ) from None
