"""Supplier invoices 供应商发票 over the API: `/api/v1/supplier-invoices/` — created from a
supplier's posted receipt lines (`uninvoiced-lines/` lists them with the order's price),
flagged where they differ from order and receipt beyond the tolerance, accepted, submitted,
approved, posted, cancelled, reversed."""

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
    DOCUMENT_HEADER_FIELDS,
    DOCUMENT_HEADER_RELATED,
    DocumentFilterSet,
    DocumentHeaderSerializer,
    DocumentViewSet,
    LineSkuFieldsMixin,
    UsernameField,
    delete_action,
    money_field,
    post_action,
    qty_field,
    reverse_action,
    state_action,
    validated,
)
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.core.errors import NotFound
from storeledger.finance import selectors
from storeledger.finance.models import InvoiceStatus, SupplierInvoice, SupplierInvoiceLine
from storeledger.finance.services import invoices as services
from storeledger.partners.models import Supplier


class SupplierInvoiceLineSerializer(LineSkuFieldsMixin, serializers.ModelSerializer):
    receipt_number = serializers.CharField(source="receipt.number", read_only=True)
    receipt_line_no = serializers.IntegerField(source="receipt_line.line_no", read_only=True)
    unit_name = serializers.CharField(source="receipt_line.unit.name", read_only=True)
    received_quantity = qty_field(source="receipt_line.quantity", read_only=True)
    accepted_by = UsernameField()
    needs_acceptance = serializers.BooleanField(read_only=True)

    class Meta:
        model = SupplierInvoiceLine
        fields = [
            "id",
            "line_no",
            "receipt",
            "receipt_number",
            "receipt_line",
            "receipt_line_no",
            "order_line",
            "sku",
            "sku_code",
            "sku_name",
            "unit_name",
            "received_quantity",
            "quantity",
            "base_quantity",
            "price",
            "expected_price",
            "tax_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "receipt_amount",
            "price_difference",
            "quantity_difference",
            "needs_acceptance",
            "accepted_at",
            "accepted_by",
            "accept_comment",
        ]
        read_only_fields = fields


class SupplierInvoiceListSerializer(DocumentHeaderSerializer):
    store_code = serializers.CharField(source="store.code", read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    difference = money_field(read_only=True)
    flagged = serializers.SerializerMethodField()
    needs_acceptance = serializers.SerializerMethodField()

    class Meta:
        model = SupplierInvoice
        fields = [
            *DOCUMENT_HEADER_FIELDS,
            "store",
            "store_code",
            "supplier",
            "supplier_code",
            "supplier_name",
            "invoice_no",
            "invoice_date",
            "due_date",
            "prices_include_tax",
            "total_net",
            "total_tax",
            "total_gross",
            "receipt_amount",
            "difference",
            "flagged",
            "needs_acceptance",
        ]
        read_only_fields = fields

    def get_flagged(self, obj) -> bool:
        return any(line.flagged for line in obj.lines.all())

    def get_needs_acceptance(self, obj) -> bool:
        return any(line.needs_acceptance for line in obj.lines.all())


class SupplierInvoiceSerializer(SupplierInvoiceListSerializer):
    lines = SupplierInvoiceLineSerializer(many=True, read_only=True)

    class Meta(SupplierInvoiceListSerializer.Meta):
        fields = [*SupplierInvoiceListSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class InvoiceLineInputSerializer(serializers.Serializer):
    receipt_line = serializers.IntegerField(min_value=1)
    quantity = qty_field(
        required=False,
        allow_null=True,
        help_text=_("In the receipt line's unit; default: all that is not invoiced yet."),
    )
    price = money_field(
        required=False,
        allow_null=True,
        help_text=_(
            "Per the receipt line's unit, on the invoice's tax basis; default: the order's."
        ),
    )
    tax_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )

    @staticmethod
    def to_input(data: dict) -> services.InvoiceLineInput:
        return services.InvoiceLineInput(
            receipt_line_id=data["receipt_line"],
            quantity=data.get("quantity"),
            price=data.get("price"),
            tax_rate=data.get("tax_rate"),
        )


class SupplierInvoiceCreateSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(min_value=1)
    invoice_no = serializers.CharField(max_length=64)
    invoice_date = serializers.DateField()
    document_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    lines = InvoiceLineInputSerializer(many=True, allow_empty=False)
    post = serializers.BooleanField(required=False, default=False)


class SupplierInvoiceUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    invoice_no = serializers.CharField(max_length=64, required=False)
    invoice_date = serializers.DateField(required=False)
    document_date = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    lines = InvoiceLineInputSerializer(
        many=True,
        required=False,
        allow_empty=False,
        help_text=_("Replace all lines (matched afresh: differences need a new accept)."),
    )


class AcceptSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class UninvoicedLineSerializer(serializers.Serializer):
    receipt_line = serializers.IntegerField()
    receipt = serializers.IntegerField()
    receipt_number = serializers.CharField()
    receipt_date = serializers.DateField()
    store = serializers.IntegerField()
    order_line = serializers.IntegerField(allow_null=True)
    order_number = serializers.CharField(allow_null=True)
    sku = serializers.IntegerField()
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()
    unit_name = serializers.CharField()
    received_quantity = qty_field()
    open_quantity = qty_field(help_text=_("Accepted, not yet invoiced nor returned."))
    price = money_field(help_text=_("The order's price for this unit, on the supplier's basis."))
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = money_field(help_text=_("What the whole receipt line is worth (incl. tax)."))


class SupplierInvoiceFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=InvoiceStatus.choices)
    supplier = django_filters.NumberFilter(field_name="supplier_id")
    search = django_filters.CharFilter(
        method="search_numbers", label=_("Number or invoice number.")
    )

    class Meta:
        model = SupplierInvoice
        fields = ["status", "store", "supplier"]

    def search_numbers(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(number__icontains=value) | Q(invoice_no__icontains=value))


@extend_schema_view(
    list=extend_schema(responses=SupplierInvoiceListSerializer),
    retrieve=extend_schema(responses=SupplierInvoiceSerializer),
    create=extend_schema(
        request=SupplierInvoiceCreateSerializer, responses={201: SupplierInvoiceSerializer}
    ),
    update=extend_schema(
        request=SupplierInvoiceUpdateSerializer, responses=SupplierInvoiceSerializer
    ),
    partial_update=extend_schema(
        request=SupplierInvoiceUpdateSerializer, responses=SupplierInvoiceSerializer
    ),
)
class SupplierInvoiceViewSet(DocumentViewSet):
    """Supplier invoices 供应商发票: lines matched to posted receipt lines (three-way match
    against order and receipt); differences beyond the company's tolerance are flagged and
    must be accepted before posting."""

    queryset = SupplierInvoice.objects.all()
    serializer_class = SupplierInvoiceSerializer
    list_serializer_class = SupplierInvoiceListSerializer
    filterset_class = SupplierInvoiceFilterSet
    ordering_fields = ["id", "number", "invoice_date", "document_date", "status", "total_gross"]
    ordering = ["-id"]
    document_type = "supplierinvoice"
    document_id_arg = "invoice_id"
    extra_action_permissions = {"uninvoiced_lines": "finance.view_supplierinvoice"}

    def get_queryset(self):
        queryset = SupplierInvoice.objects.select_related(
            "store", "supplier", *DOCUMENT_HEADER_RELATED
        ).order_by("-id")
        if self.action == "list":
            lines = SupplierInvoiceLine.objects.only(
                "id",
                "invoice_id",
                "price_difference",
                "quantity_difference",
                "accepted_at",
            )
        else:
            lines = SupplierInvoiceLine.objects.select_related(
                "receipt", "receipt_line__unit", "sku", "accepted_by"
            ).order_by("line_no")
        queryset = queryset.prefetch_related(Prefetch("lines", lines))
        return scope.filter_stores(queryset, self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(SupplierInvoiceCreateSerializer, request)
        invoice = services.create_supplier_invoice(
            user=request.user,
            supplier_id=values["supplier"],
            invoice_no=values["invoice_no"],
            invoice_date=values["invoice_date"],
            document_date=values.get("document_date"),
            notes=values.get("notes", ""),
            lines=[InvoiceLineInputSerializer.to_input(line) for line in values["lines"]],
            post=values.get("post", False),
        )
        return self.detail_response(invoice.id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        values = validated(SupplierInvoiceUpdateSerializer, request)
        invoice = services.update_supplier_invoice(
            user=request.user,
            invoice_id=int(kwargs["pk"]),
            version=values["version"],
            invoice_no=values.get("invoice_no"),
            invoice_date=values.get("invoice_date"),
            document_date=values.get("document_date"),
            notes=values.get("notes"),
            lines=[InvoiceLineInputSerializer.to_input(line) for line in values["lines"]]
            if "lines" in values
            else None,
        )
        return self.detail_response(invoice.id)

    destroy = delete_action(services.delete_supplier_invoice)
    submit = state_action("submit", services.submit_supplier_invoice, SupplierInvoiceSerializer)
    approve = state_action("approve", services.approve_supplier_invoice, SupplierInvoiceSerializer)
    post_document = post_action(services.post_supplier_invoice, SupplierInvoiceSerializer)
    cancel = state_action("cancel", services.cancel_supplier_invoice, SupplierInvoiceSerializer)

    @extend_schema(
        request=AcceptSerializer,
        responses=SupplierInvoiceSerializer,
        description=_("Accept the flagged differences of every line, with a comment."),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = validated(AcceptSerializer, request)
        invoice = services.accept_differences(
            user=request.user, invoice_id=int(pk), comment=data.get("comment", "")
        )
        return self.detail_response(invoice.id)

    reverse = reverse_action(
        services.reverse_supplier_invoice,
        SupplierInvoiceSerializer,
        _("Reverse a posted invoice; answers with the reversing invoice."),
    )

    @extend_schema(
        parameters=[
            OpenApiParameter("supplier", int, required=True),
            OpenApiParameter("store", int, required=False),
            OpenApiParameter(
                "invoice",
                int,
                required=False,
                description=_("A draft invoice being edited: its own lines count as open."),
            ),
        ],
        responses=UninvoicedLineSerializer(many=True),
        description=_(
            "A supplier's posted receipt lines with a quantity not yet invoiced, with the "
            "order's price an invoice should show (to create an invoice from them)."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="uninvoiced-lines",
        extra_query_params=("supplier", "store", "invoice"),
        pagination_class=None,  # a plain list, not a page
    )
    def uninvoiced_lines(self, request):
        params = _SupplierQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        supplier_id = params.validated_data["supplier"]
        if not Supplier.objects.filter(pk=supplier_id).exists():
            raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
        rows = selectors.uninvoiced_lines(
            request.user,
            supplier_id=supplier_id,
            store_id=params.validated_data.get("store"),
            invoice_id=params.validated_data.get("invoice"),
        )
        return Response(UninvoicedLineSerializer(rows, many=True).data)


class _SupplierQuery(serializers.Serializer):
    supplier = serializers.IntegerField(min_value=1)
    store = serializers.IntegerField(min_value=1, required=False)
    invoice = serializers.IntegerField(min_value=1, required=False)
