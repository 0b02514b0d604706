"""Transfers between warehouses over the API (/api/v1/transfers/): draft life cycle,
ship, receive (partial, with close), reverse, and what is still in transit."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.core import idempotency
from storeledger.core.api.kept_fields import KeptFieldsMixin
from storeledger.core.api.routers import Router as DefaultRouter
from storeledger.core.costs import CostFieldsMixin
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.inventory.api.common import (
    DOCUMENT_HEADER_FIELDS,
    DOCUMENT_HEADER_RELATED,
    LINE_SKU_FIELDS,
    DocumentFilterSet,
    DocumentHeaderSerializer,
    DocumentViewSet,
    LineInputSerializer,
    LineSkuSerializerMixin,
    UsernameField,
    delete_action,
    money_field,
    qty_field,
    reverse_action,
    state_action,
    validated,
)
from storeledger.inventory.models import Transfer, TransferLine, TransferStatus
from storeledger.inventory.services import transfers as services

router = DefaultRouter()

# ---------------------------------------------------------------- serializers


class InTransitBatchSerializer(CostFieldsMixin, serializers.Serializer):
    cost_fields = ("value",)
    batch = serializers.IntegerField(allow_null=True)
    batch_no = serializers.CharField()
    expiry_date = serializers.DateField(allow_null=True)
    quantity = qty_field()
    value = money_field()


class ShippedBatchSerializer(serializers.Serializer):
    batch = serializers.IntegerField(allow_null=True)
    batch_no = serializers.CharField()
    expiry_date = serializers.DateField(allow_null=True)
    quantity = qty_field(help_text=_("In the base unit."))


class InTransitLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    line_no = serializers.IntegerField()
    sku = serializers.IntegerField()
    sku_code = serializers.CharField()
    shipped_quantity = qty_field()
    received_quantity = qty_field()
    discrepancy_quantity = qty_field()
    in_transit_quantity = qty_field()
    batches = InTransitBatchSerializer(many=True)
    shipped_batches = ShippedBatchSerializer(
        many=True, help_text=_("The batches shipped on the line (empty for an untracked SKU).")
    )


class TransferLineSerializer(KeptFieldsMixin, LineSkuSerializerMixin, serializers.ModelSerializer):
    from_location_code = serializers.CharField(
        source="from_location.code", read_only=True, default=None, allow_null=True
    )
    to_location_code = serializers.CharField(
        source="to_location.code", read_only=True, default=None, allow_null=True
    )
    in_transit_quantity = serializers.SerializerMethodField(
        help_text=_("Shipped − received − discrepancy, in the base unit.")
    )

    class Meta:
        model = TransferLine
        fields = [
            "id",
            "line_no",
            *LINE_SKU_FIELDS,
            "quantity",
            "base_quantity",
            "from_location",
            "from_location_code",
            "to_location",
            "to_location_code",
            "shipped_quantity",
            "received_quantity",
            "discrepancy_quantity",
            "in_transit_quantity",
            "notes",
        ]
        read_only_fields = fields

    @extend_schema_field(qty_field())
    def get_in_transit_quantity(self, obj) -> str:
        return qty_field().to_representation(services.in_transit_quantity(obj))


class TransferListSerializer(DocumentHeaderSerializer):
    store_code = serializers.CharField(source="store.code", read_only=True)
    from_warehouse_code = serializers.CharField(source="from_warehouse.code", read_only=True)
    from_warehouse_name = serializers.CharField(source="from_warehouse.name", read_only=True)
    to_warehouse_code = serializers.CharField(source="to_warehouse.code", read_only=True)
    to_warehouse_name = serializers.CharField(source="to_warehouse.name", read_only=True)
    shipped_by = UsernameField()
    received_by = UsernameField()

    class Meta:
        model = Transfer
        fields = [
            *DOCUMENT_HEADER_FIELDS,
            "store",
            "store_code",
            "from_warehouse",
            "from_warehouse_code",
            "from_warehouse_name",
            "to_warehouse",
            "to_warehouse_code",
            "to_warehouse_name",
            "expected_date",
            "shipped_at",
            "shipped_by",
            "received_at",
            "received_by",
        ]
        read_only_fields = fields


class TransferSerializer(TransferListSerializer):
    lines = TransferLineSerializer(many=True, read_only=True)
    in_transit = serializers.SerializerMethodField(
        help_text=_("Per line: what is still in transit, by batch.")
    )

    class Meta(TransferListSerializer.Meta):
        fields = [*TransferListSerializer.Meta.fields, "lines", "in_transit"]
        read_only_fields = fields

    @extend_schema_field(InTransitLineSerializer(many=True))
    def get_in_transit(self, obj):
        return InTransitLineSerializer(services.in_transit_lines(obj), many=True).data


class TransferLineInputSerializer(LineInputSerializer):
    """One transfer line as a client sends it, with the bin of the source it is picked from."""

    from_location = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("A bin of the source warehouse the line is picked from."),
    )


class TransferCreateSerializer(serializers.Serializer):
    from_warehouse = serializers.IntegerField(min_value=1)
    to_warehouse = serializers.IntegerField(min_value=1)
    document_date = serializers.DateField(required=False, allow_null=True)
    expected_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    lines = TransferLineInputSerializer(many=True, allow_empty=False)


class TransferUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    from_warehouse = serializers.IntegerField(min_value=1, required=False)
    to_warehouse = serializers.IntegerField(min_value=1, required=False)
    document_date = serializers.DateField(required=False)
    expected_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    lines = TransferLineInputSerializer(many=True, required=False, allow_empty=False)


class ReceiveLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1)
    quantity = qty_field(help_text=_("Received quantity in the SKU's base unit."))
    to_location = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("The bin of the destination it is put away to (default: the line's)."),
    )


class ReceiveSerializer(serializers.Serializer):
    lines = ReceiveLineSerializer(many=True, required=False, default=list)
    close = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Close the transfer: what has not arrived is written off as discrepancy."),
    )


class DestinationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    store_name = serializers.CharField(source="store.name", default="", allow_blank=True)


def _line_inputs(lines) -> list[services.TransferLineInput]:
    return [
        services.TransferLineInput(
            sku_id=line["sku"],
            quantity=line["quantity"],
            unit_id=line.get("unit"),
            batch_id=line.get("batch"),
            from_location_id=line.get("from_location"),
            notes=line.get("notes", ""),
        )
        for line in lines
    ]


class TransferFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=TransferStatus.choices)
    from_warehouse = django_filters.NumberFilter(field_name="from_warehouse_id")
    to_warehouse = django_filters.NumberFilter(field_name="to_warehouse_id")
    warehouse = django_filters.NumberFilter(
        method="filter_warehouse", label=_("Source or destination warehouse.")
    )
    in_transit = django_filters.BooleanFilter(
        method="filter_in_transit", label=_("Shipped and not yet fully received.")
    )

    incoming = django_filters.BooleanFilter(
        method="filter_incoming",
        label=_("True: into the user's warehouses; false: out of them."),
    )

    class Meta:
        model = Transfer
        fields = ["status", "store", "from_warehouse", "to_warehouse"]

    def filter_incoming(self, queryset, name, value):
        if value is None:
            return queryset
        side = "to_warehouse" if value else "from_warehouse"
        return scope.filter_warehouses(queryset, self.request.user, side)

    def filter_warehouse(self, queryset, name, value):
        return queryset.filter(Q(from_warehouse_id=value) | Q(to_warehouse_id=value))

    def filter_in_transit(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=services.IN_TRANSIT)
        return queryset.exclude(status__in=services.IN_TRANSIT)


# ---------------------------------------------------------------- views


@extend_schema_view(
    list=extend_schema(responses=TransferListSerializer),
    retrieve=extend_schema(responses=TransferSerializer),
    create=extend_schema(request=TransferCreateSerializer, responses={201: TransferSerializer}),
    update=extend_schema(request=TransferUpdateSerializer, responses=TransferSerializer),
    partial_update=extend_schema(request=TransferUpdateSerializer, responses=TransferSerializer),
)
class TransferViewSet(DocumentViewSet):
    """Transfers between warehouses, visible when the source or the destination is in scope."""

    queryset = Transfer.objects.all()
    serializer_class = TransferSerializer
    list_serializer_class = TransferListSerializer
    filterset_class = TransferFilterSet
    ordering_fields = ["id", "number", "document_date", "status", "shipped_at"]
    ordering = ["-id"]
    document_type = "transfer"
    document_id_arg = "transfer_id"
    extra_action_permissions = {"destinations": "inventory.add_transfer"}

    def get_queryset(self):
        queryset = Transfer.objects.select_related(
            "store",
            "from_warehouse",
            "to_warehouse",
            "shipped_by",
            "received_by",
            *DOCUMENT_HEADER_RELATED,
        ).order_by("-id")
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "lines",
                    TransferLine.objects.select_related(
                        "sku__product__base_unit", "unit", "batch", "from_location", "to_location"
                    ).order_by("line_no"),
                )
            )
        return services.visible_transfers(queryset, self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(TransferCreateSerializer, request)
        transfer = services.create_transfer(
            user=request.user,
            from_warehouse_id=values["from_warehouse"],
            to_warehouse_id=values["to_warehouse"],
            lines=_line_inputs(values["lines"]),
            document_date=values.get("document_date"),
            expected_date=values.get("expected_date"),
            notes=values.get("notes", ""),
            idempotency_key=idempotency.key_of(request),
        )
        return self.detail_response(transfer.id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        # PUT and PATCH alike: `version` is required, every other field is optional.
        values = validated(TransferUpdateSerializer, request)
        extra = {}
        if "expected_date" in values:
            extra["expected_date"] = values["expected_date"]
        transfer = services.update_transfer(
            user=request.user,
            transfer_id=int(kwargs["pk"]),
            version=values["version"],
            from_warehouse_id=values.get("from_warehouse"),
            to_warehouse_id=values.get("to_warehouse"),
            document_date=values.get("document_date"),
            notes=values.get("notes"),
            lines=_line_inputs(values["lines"]) if "lines" in values else None,
            **extra,
        )
        return self.detail_response(transfer.id)

    destroy = delete_action(services.delete_transfer)
    submit = state_action("submit", services.submit_transfer, TransferSerializer)
    approve = state_action("approve", services.approve_transfer, TransferSerializer)
    cancel = state_action("cancel", services.cancel_transfer, TransferSerializer)
    # ship and receive answer with the transfer their service holds (no read back)
    ship = state_action("ship", services.ship_transfer, TransferSerializer, held=True)

    @extend_schema(
        responses=DestinationSerializer(many=True),
        description=(
            "Where a transfer may go: every active warehouse of the company, also outside "
            "the user's stores (a store sends to another store or back to the central "
            "warehouse). Not paged."
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def destinations(self, request):
        warehouses = services.transfer_destinations()
        return Response(DestinationSerializer(warehouses, many=True).data)

    @extend_schema(request=ReceiveSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        data = validated(ReceiveSerializer, request)
        transfer = services.receive_transfer(
            user=request.user,
            transfer_id=int(pk),
            lines=[
                services.ReceiveLineInput(
                    line_id=line["line"],
                    quantity=line["quantity"],
                    to_location_id=line.get("to_location"),
                )
                for line in data.get("lines", [])
            ],
            close=data.get("close", False),
        )
        return self.held_response(transfer)

    reverse = reverse_action(
        services.reverse_transfer,
        TransferSerializer,
        _("Reverse a posted transfer; answers with the reversing transfer."),
    )


router.register("transfers", TransferViewSet, basename="transfer")
