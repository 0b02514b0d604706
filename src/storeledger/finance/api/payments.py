"""Supplier payments 付款 over the API: `/api/v1/supplier-payments/` — an amount in one method,
allocated to the supplier's posted invoices or un-invoiced receipts; posted, cancelled,
reversed."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status

from storeledger.accounts import scope
from storeledger.core.api.documents import (
    DOCUMENT_HEADER_FIELDS,
    DOCUMENT_HEADER_RELATED,
    DocumentFilterSet,
    DocumentHeaderSerializer,
    DocumentViewSet,
    delete_action,
    money_field,
    post_action,
    reverse_action,
    state_action,
    validated,
)
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.finance.models import PaymentStatus, SupplierPayment, SupplierPaymentAllocation
from storeledger.finance.services import payments as services
from storeledger.partners.models import PaymentMethod


class AllocationSerializer(serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True, default=None)
    invoice_no = serializers.CharField(source="invoice.invoice_no", read_only=True, default=None)
    receipt_number = serializers.CharField(source="receipt.number", read_only=True, default=None)

    class Meta:
        model = SupplierPaymentAllocation
        fields = [
            "id",
            "line_no",
            "invoice",
            "invoice_number",
            "invoice_no",
            "receipt",
            "receipt_number",
            "amount",
        ]
        read_only_fields = fields


class SupplierPaymentListSerializer(DocumentHeaderSerializer):
    store_code = serializers.CharField(source="store.code", read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = SupplierPayment
        fields = [
            *DOCUMENT_HEADER_FIELDS,
            "store",
            "store_code",
            "supplier",
            "supplier_code",
            "supplier_name",
            "method",
            "amount",
            "reference",
        ]
        read_only_fields = fields


class SupplierPaymentSerializer(SupplierPaymentListSerializer):
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta(SupplierPaymentListSerializer.Meta):
        fields = [*SupplierPaymentListSerializer.Meta.fields, "allocations"]
        read_only_fields = fields


class AllocationInputSerializer(serializers.Serializer):
    invoice = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    receipt = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("A posted receipt nothing has been invoiced against."),
    )
    amount = money_field()


class SupplierPaymentCreateSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(min_value=1)
    store = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("The paying store; default: the store of the allocated documents."),
    )
    method = serializers.ChoiceField(
        choices=PaymentMethod.choices,
        required=False,
        allow_null=True,
        help_text=_("Default: the supplier's payment method."),
    )
    amount = money_field()
    document_date = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    allocations = AllocationInputSerializer(many=True, required=False, default=list)
    post = serializers.BooleanField(required=False, default=False)


class SupplierPaymentUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
    amount = money_field(required=False)
    document_date = serializers.DateField(required=False)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    allocations = AllocationInputSerializer(
        many=True, required=False, help_text=_("Replace all allocations (empty: on account).")
    )


def _allocations(values: list[dict]) -> list[services.AllocationInput]:
    return [
        services.AllocationInput(
            amount=a["amount"], invoice_id=a.get("invoice"), receipt_id=a.get("receipt")
        )
        for a in values
    ]


class SupplierPaymentFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PaymentStatus.choices)
    supplier = django_filters.NumberFilter(field_name="supplier_id")
    method = django_filters.ChoiceFilter(choices=PaymentMethod.choices)
    invoice = django_filters.NumberFilter(field_name="allocations__invoice_id", distinct=True)

    class Meta:
        model = SupplierPayment
        fields = ["status", "store", "supplier", "method"]


@extend_schema_view(
    list=extend_schema(responses=SupplierPaymentListSerializer),
    retrieve=extend_schema(responses=SupplierPaymentSerializer),
    create=extend_schema(
        request=SupplierPaymentCreateSerializer, responses={201: SupplierPaymentSerializer}
    ),
    update=extend_schema(
        request=SupplierPaymentUpdateSerializer, responses=SupplierPaymentSerializer
    ),
    partial_update=extend_schema(
        request=SupplierPaymentUpdateSerializer, responses=SupplierPaymentSerializer
    ),
)
class SupplierPaymentViewSet(DocumentViewSet):
    """Supplier payments 付款: partial payments in any method, allocated to invoices (or to
    receipts nothing is invoiced against); an allocation or payment above what is open is a
    409."""

    queryset = SupplierPayment.objects.all()
    serializer_class = SupplierPaymentSerializer
    list_serializer_class = SupplierPaymentListSerializer
    filterset_class = SupplierPaymentFilterSet
    ordering_fields = ["id", "number", "document_date", "status", "amount"]
    ordering = ["-id"]
    document_type = "supplierpayment"
    document_id_arg = "payment_id"

    def get_queryset(self):
        queryset = SupplierPayment.objects.select_related(
            "store", "supplier", *DOCUMENT_HEADER_RELATED
        ).order_by("-id")
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "allocations",
                    SupplierPaymentAllocation.objects.select_related("invoice", "receipt").order_by(
                        "line_no"
                    ),
                )
            )
        return scope.filter_stores(queryset, self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(SupplierPaymentCreateSerializer, request)
        payment = services.create_supplier_payment(
            user=request.user,
            supplier_id=values["supplier"],
            store_id=values.get("store"),
            method=values.get("method"),
            amount=values["amount"],
            document_date=values.get("document_date"),
            reference=values.get("reference", ""),
            notes=values.get("notes", ""),
            allocations=_allocations(values.get("allocations", [])),
            post=values.get("post", False),
        )
        return self.detail_response(payment.id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        values = validated(SupplierPaymentUpdateSerializer, request)
        payment = services.update_supplier_payment(
            user=request.user,
            payment_id=int(kwargs["pk"]),
            version=values["version"],
            method=values.get("method"),
            amount=values.get("amount"),
            document_date=values.get("document_date"),
            reference=values.get("reference"),
            notes=values.get("notes"),
            allocations=_allocations(values["allocations"]) if "allocations" in values else None,
        )
        return self.detail_response(payment.id)

    destroy = delete_action(services.delete_supplier_payment)
    post_document = post_action(services.post_supplier_payment, SupplierPaymentSerializer)
    cancel = state_action("cancel", services.cancel_supplier_payment, SupplierPaymentSerializer)
    reverse = reverse_action(
        services.reverse_supplier_payment,
        SupplierPaymentSerializer,
        _("Reverse a posted payment; answers with the reversing payment."),
    )
