"""Other stock-in, other stock-out, adjustment and scrap documents over the API
(/api/v1/stock-ins/, /stock-outs/, /adjustments/, /scraps/) and the reason codes."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.core import approvals, doctypes, idempotency
from storeledger.core.api.approvals import document_approval
from storeledger.core.api.kept_fields import KeptFieldsMixin
from storeledger.core.api.masterdata import BaseMasterDataViewSet
from storeledger.core.api.routers import Router as DefaultRouter
from storeledger.core.costs import CostFieldsMixin, shows_cost
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.core.quantities import QTY_PLACES, money
from storeledger.inventory import selectors
from storeledger.inventory.api.common import (
    DOCUMENT_HEADER_FIELDS,
    DOCUMENT_HEADER_RELATED,
    LINE_SKU_FIELDS,
    DocumentFilterSet,
    DocumentHeaderSerializer,
    DocumentViewSet,
    LineInputSerializer,
    LineSkuSerializerMixin,
    delete_action,
    money_field,
    post_action,
    reverse_action,
    state_action,
    validated,
)
from storeledger.inventory.models import (
    ReasonCode,
    StockDocument,
    StockDocumentKind,
    StockDocumentLine,
    StockDocumentStatus,
)
from storeledger.inventory.services import documents as services
from storeledger.inventory.services import reasons as reason_services
from storeledger.inventory.services.common import check_backdating

router = DefaultRouter()

# ---------------------------------------------------------------- serializers


class ReasonCodeSerializer(serializers.ModelSerializer):
    in_use = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text=_(
            "Documents use it: its kind and code are fixed, and it is deactivated, not deleted."
        ),
    )

    class Meta:
        model = ReasonCode
        fields = ["id", "kind", "code", "name", "active", "in_use"]


class StockDocumentLineSerializer(
    KeptFieldsMixin, CostFieldsMixin, LineSkuSerializerMixin, serializers.ModelSerializer
):
    cost_fields = ("unit_cost", "value")
    location_code = serializers.CharField(source="location.code", read_only=True, default=None)
    value = serializers.SerializerMethodField(
        help_text=_("The value the line moved when posted (null before posting).")
    )

    class Meta:
        model = StockDocumentLine
        fields = [
            "id",
            "line_no",
            *LINE_SKU_FIELDS,
            "quantity",
            "base_quantity",
            "production_date",
            "location",
            "location_code",
            "unit_cost",
            "allow_expired",
            "notes",
            "value",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True))
    def get_value(self, obj) -> str | None:
        value = self.context.get("line_values", {}).get(obj.id)
        return None if value is None else str(money(value))


class StockDocumentListSerializer(DocumentHeaderSerializer):
    store_code = serializers.CharField(source="store.code", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    reason_code = serializers.CharField(source="reason.code", read_only=True, default=None)
    reason_name = serializers.CharField(source="reason.name", read_only=True, default=None)

    class Meta:
        model = StockDocument
        fields = [
            *DOCUMENT_HEADER_FIELDS,
            "kind",
            "store",
            "store_code",
            "warehouse",
            "warehouse_code",
            "warehouse_name",
            "reason",
            "reason_code",
            "reason_name",
            "reference",
        ]
        read_only_fields = fields


class StockDocumentSerializer(StockDocumentListSerializer):
    lines = StockDocumentLineSerializer(many=True, read_only=True)

    class Meta(StockDocumentListSerializer.Meta):
        fields = [*StockDocumentListSerializer.Meta.fields, "lines"]
        read_only_fields = fields

    def to_representation(self, instance):
        # the lines' posted values, in one query (context is shared with the nested lines)
        # (a document its service just posted holds them: `services.documents._post`)
        held = getattr(instance, "posted_line_values", None)
        posted = instance.posted_at is not None
        self.context["line_values"] = (
            held
            if held is not None
            else selectors.stock_document_line_values(instance.id)
            if posted
            else {}
        )
        return super().to_representation(instance)


# ---------------------------------------------------------------- the held answer

_DATETIME = serializers.DateTimeField()  # DRF's own formatting of a timestamp (time zone, Z)
_QUANT = Decimal(1).scaleb(-QTY_PLACES)  # lines' quantities and money have the same places
_STAMPS = (
    ("created_at", "created_by"),
    ("submitted_at", "submitted_by"),
    ("approved_at", "approved_by"),
    ("posted_at", "posted_by"),
    ("reversed_at", "reversed_by"),
    ("cancelled_at", "cancelled_by"),
)


def _decimal(value) -> str | None:
    # DecimalField's string (COERCE_DECIMAL_TO_STRING) at the model's 4 places
    return None if value is None else f"{value.quantize(_QUANT):f}"


def _datetime(value) -> str | None:
    return _DATETIME.to_representation(value) if value else None


def _related(document, name: str):
    # a foreign key the document holds (None when empty), as the serializer reads it
    return getattr(document, name) if getattr(document, f"{name}_id") is not None else None


def held_stock_document_data(document: StockDocument, request) -> dict:
    """What `StockDocumentSerializer` gives for a document its service holds complete
    (`core.held`: the row, its lines with their SKUs, products, base units, units, batches and
    locations, and the posted lines' values), without DRF's field machinery — which cost
    about a fifth of a posted stock-out request (issue 9). Same keys in the same order, same
    values: `test_held_responses` compares it with a GET of the document for tracked and
    untracked SKUs, with costs shown and hidden, with and without an Idempotency-Key."""
    user = request.user
    show_cost = shows_cost({"request": request})
    values = getattr(document, "posted_line_values", None)
    if values is None:
        values = (
            selectors.stock_document_line_values(document.id)
            if document.posted_at is not None
            else {}
        )
    data: dict = {
        "id": document.id,
        "number": document.number,
        "status": str(document.status),
        "document_date": document.document_date.isoformat(),
        "notes": document.notes,
        "version": document.version,
    }
    for at, by in _STAMPS:
        data[at] = _datetime(getattr(document, at))
        who = _related(document, by)
        data[by] = None if who is None else who.username
    steps = approvals.document_steps(document)
    data["reversal_of"] = document.reversal_of_id
    try:
        data["reversed_by_document"] = document.reversed_by_document.pk
    except StockDocument.reversed_by_document.RelatedObjectDoesNotExist:
        data["reversed_by_document"] = None
    data["available_actions"] = doctypes.for_document(document).available_actions(document, user)
    data["approval"] = (
        document_approval(document, user)
        if steps
        else {"pending_step": None, "can_decide": False, "steps": []}
    )
    store, warehouse, reason = document.store, document.warehouse, _related(document, "reason")
    data["kind"] = str(document.kind)
    data["store"] = store.id
    data["store_code"] = store.code
    data["warehouse"] = warehouse.id
    data["warehouse_code"] = warehouse.code
    data["warehouse_name"] = warehouse.name
    data["reason"] = None if reason is None else reason.id
    data["reason_code"] = None if reason is None else reason.code
    data["reason_name"] = None if reason is None else reason.name
    data["reference"] = document.reference
    lines = []
    for line in document.lines.all():
        sku, unit = line.sku, line.unit
        product = sku.product
        base_unit = product.base_unit
        batch = line.batch if line.batch_id is not None else None
        location = line.location if line.location_id is not None else None
        expiry = batch.expiry_date if batch is not None else line.expiry_date
        value = values.get(line.id)
        lines.append(
            {
                "id": line.id,
                "line_no": line.line_no,
                "sku": sku.id,
                "sku_code": sku.code,
                "sku_name": sku.name,
                "unit": unit.id,
                "unit_code": unit.code,
                "unit_name": unit.name,
                "base_unit_code": base_unit.code,
                "base_unit_name": base_unit.name,
                "base_unit_precision": base_unit.precision,
                "tracking": str(product.tracking),
                "factor": _decimal(line.factor),
                "batch": line.batch_id,
                "batch_no": batch.batch_no if batch is not None else (line.batch_no or ""),
                "expiry_date": expiry.isoformat() if expiry else None,
                "quantity": _decimal(line.quantity),
                "base_quantity": _decimal(line.base_quantity),
                "production_date": (
                    line.production_date.isoformat() if line.production_date else None
                ),
                "location": line.location_id,
                "location_code": None if location is None else location.code,
                "unit_cost": _decimal(line.unit_cost) if show_cost else None,
                "allow_expired": line.allow_expired,
                "notes": line.notes,
                "value": None if value is None or not show_cost else str(money(value)),
            }
        )
    data["lines"] = lines
    return data


class StockLineInputSerializer(LineInputSerializer):
    batch_no = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Stock-in of a batch-tracked SKU: a new or existing batch number."),
    )
    production_date = serializers.DateField(required=False, allow_null=True)
    expiry_date = serializers.DateField(required=False, allow_null=True)
    location = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    unit_cost = money_field(
        required=False,
        allow_null=True,
        help_text=_("Cost per line unit (stock-in; default: the SKU's purchase price)."),
    )
    allow_expired = serializers.BooleanField(required=False, default=False)

    def to_input(self, data: dict) -> services.StockLineInput:
        return services.StockLineInput(
            sku_id=data["sku"],
            quantity=data["quantity"],
            unit_id=data.get("unit"),
            batch_id=data.get("batch"),
            batch_no=data.get("batch_no", ""),
            production_date=data.get("production_date"),
            expiry_date=data.get("expiry_date"),
            location_id=data.get("location"),
            unit_cost=data.get("unit_cost"),
            allow_expired=data.get("allow_expired", False),
            notes=data.get("notes", ""),
        )


class StockDocumentCreateSerializer(KeptFieldsMixin, serializers.Serializer):
    warehouse = serializers.IntegerField(min_value=1)
    reason = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    document_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    lines = StockLineInputSerializer(many=True, allow_empty=False)
    post = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Create and post in one request (needs the skip-approval permission)."),
    )
    posted_at = serializers.DateTimeField(
        required=False,
        help_text=_(
            "Post at this past time instead of now (migrating history; needs the back-dating "
            "permission and post=true). Not before the latest move of a balance it changes."
        ),
    )


# The quantity of a line, converted as StockLineInputSerializer's field converts it.
_QUANTITY = StockLineInputSerializer().fields["quantity"]
_LINE_KEYS = frozenset({"sku", "quantity", "unit", "batch"})
_BODY_KEYS = frozenset({"warehouse", "post", "lines"})


def _positive_id(value) -> bool:
    return type(value) is int and value >= 1


def lean_create_values(data) -> dict | None:
    """The values StockDocumentCreateSerializer validates a scanner's plain body to —
    `{"warehouse": id, "post": bool, "lines": [{"sku": id, "quantity": "1", "unit"?: id,
    "batch"?: id}]}` — without DRF's field machinery (request hot path, issue 9: it cost as
    much as the rest of the request's parsing). Anything else, or anything invalid, is None:
    the serializer then validates the body, so every error is worded as before.
    `test_lean_validation` checks both give the same values."""
    if type(data) is not dict or not data.keys() <= _BODY_KEYS:
        return None
    post = data.get("post", False)
    lines = data.get("lines")
    if not _positive_id(data.get("warehouse")) or type(post) is not bool:
        return None
    if type(lines) is not list or not lines:
        return None
    values = []
    for line in lines:
        if type(line) is not dict or not line.keys() <= _LINE_KEYS:
            return None
        if not _positive_id(line.get("sku")):
            return None
        quantity = line.get("quantity")
        if type(quantity) not in (str, int):
            return None
        try:
            quantity = _QUANTITY.run_validation(quantity)
        except serializers.ValidationError:
            return None
        value = {
            "sku": line["sku"],
            "quantity": quantity,
            "notes": "",
            "batch_no": "",
            "allow_expired": False,
        }
        for name in ("unit", "batch"):
            if name in line:
                if line[name] is not None and not _positive_id(line[name]):
                    return None
                value[name] = line[name]
        values.append(value)
    return {
        "warehouse": data["warehouse"],
        "notes": "",
        "reference": "",
        "lines": values,
        "post": post,
    }


class StockDocumentUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    warehouse = serializers.IntegerField(min_value=1, required=False)
    reason = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    document_date = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    lines = StockLineInputSerializer(many=True, required=False, allow_empty=False)


class StockDocumentFilterSet(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=StockDocumentStatus.choices)
    warehouse = django_filters.NumberFilter(field_name="warehouse_id")
    reason = django_filters.NumberFilter(field_name="reason_id")

    class Meta:
        model = StockDocument
        fields = ["status", "warehouse", "store", "reason"]


# ---------------------------------------------------------------- views

_POST_PARAM = OpenApiParameter(
    "post",
    OpenApiTypes.BOOL,
    description=_("true: create and post in one request (needs skip-approval permission)."),
)


def _truthy(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


@extend_schema_view(
    list=extend_schema(responses=StockDocumentListSerializer),
    retrieve=extend_schema(responses=StockDocumentSerializer),
    create=extend_schema(
        request=StockDocumentCreateSerializer,
        responses={201: StockDocumentSerializer},
        parameters=[_POST_PARAM],
    ),
    update=extend_schema(request=StockDocumentUpdateSerializer, responses=StockDocumentSerializer),
    partial_update=extend_schema(
        request=StockDocumentUpdateSerializer, responses=StockDocumentSerializer
    ),
)
class StockDocumentViewSet(DocumentViewSet):
    """A stock document resource of one kind (set by `for_kind`)."""

    kind: str = StockDocumentKind.STOCK_IN
    queryset = StockDocument.objects.all()
    serializer_class = StockDocumentSerializer
    list_serializer_class = StockDocumentListSerializer
    filterset_class = StockDocumentFilterSet
    ordering_fields = ["id", "number", "document_date", "status", "posted_at"]
    ordering = ["-id"]
    document_type = "stockdocument"
    document_id_arg = "document_id"
    single_service_actions = frozenset({"create"})  # create or create-and-post, one service

    @classmethod
    def for_kind(cls, kind: str, name: str) -> type[StockDocumentViewSet]:
        return type(name, (cls,), {"kind": kind, "__doc__": cls.__doc__})

    def get_queryset(self):
        queryset = (
            StockDocument.objects.filter(kind=self.kind)
            .select_related("store", "warehouse", "reason", *DOCUMENT_HEADER_RELATED)
            .order_by("-id")
        )
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "lines",
                    StockDocumentLine.objects.select_related(
                        "sku__product__base_unit", "unit", "batch", "location"
                    ).order_by("line_no"),
                )
            )
        return scope.filter_warehouses(queryset, self.request.user)

    def create(self, request, *args, **kwargs):
        values = lean_create_values(request.data)
        if values is None:
            values = validated(StockDocumentCreateSerializer, request)
        line_serializer = StockLineInputSerializer()
        arguments = {
            "user": request.user,
            "kind": self.kind,
            "warehouse_id": values["warehouse"],
            "lines": [line_serializer.to_input(line) for line in values["lines"]],
            "reason_id": values.get("reason"),
            "document_date": values.get("document_date"),
            "notes": values.get("notes", ""),
            "reference": values.get("reference", ""),
            "idempotency_key": idempotency.key_of(request),
        }
        post = values.get("post") or _truthy(request.query_params.get("post", ""))
        if "posted_at" in values:
            check_backdating(request.user, post=post)
            arguments["at"] = values["posted_at"]
        if post:
            document = services.create_and_post_stock_document(**arguments)
        else:
            document = services.create_stock_document(**arguments)
        return Response(held_stock_document_data(document, request), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        # PUT and PATCH alike: `version` is required, every other field is optional.
        values = validated(StockDocumentUpdateSerializer, request)
        line_serializer = StockLineInputSerializer()
        extra = {}
        if "reason" in values:
            extra["reason_id"] = values["reason"]
        document = services.update_stock_document(
            user=request.user,
            document_id=int(kwargs["pk"]),
            kind=self.kind,
            version=values["version"],
            warehouse_id=values.get("warehouse"),
            document_date=values.get("document_date"),
            notes=values.get("notes"),
            reference=values.get("reference"),
            lines=[line_serializer.to_input(line) for line in values["lines"]]
            if "lines" in values
            else None,
            **extra,
        )
        return self.detail_response(document.id)

    def service_arguments(self, pk) -> dict:
        return {**super().service_arguments(pk), "kind": self.kind}

    destroy = delete_action(services.delete_stock_document)
    submit = state_action("submit", services.submit_stock_document, StockDocumentSerializer)
    approve = state_action("approve", services.approve_stock_document, StockDocumentSerializer)
    post_document = post_action(services.post_stock_document, StockDocumentSerializer)
    cancel = state_action("cancel", services.cancel_stock_document, StockDocumentSerializer)
    reverse = reverse_action(
        services.reverse_stock_document,
        StockDocumentSerializer,
        _("Reverse a posted document; answers with the reversing document."),
    )


StockInViewSet = StockDocumentViewSet.for_kind(StockDocumentKind.STOCK_IN, "StockInViewSet")
StockOutViewSet = StockDocumentViewSet.for_kind(StockDocumentKind.STOCK_OUT, "StockOutViewSet")
AdjustmentViewSet = StockDocumentViewSet.for_kind(StockDocumentKind.ADJUSTMENT, "AdjustmentViewSet")
ScrapViewSet = StockDocumentViewSet.for_kind(StockDocumentKind.SCRAP, "ScrapViewSet")


class ReasonCodeFilterSet(django_filters.FilterSet):
    class Meta:
        model = ReasonCode
        fields = ["kind", "active"]


class ReasonCodeViewSet(BaseMasterDataViewSet):
    """Reason codes (出入库类别) of stock documents (filter by `kind`, `active`; search code or
    name): everyone picks them, head office keeps them. A used one keeps its kind and code
    and is deactivated, not deleted (409 `in_use`)."""

    queryset = ReasonCode.objects.annotate(
        in_use=Exists(StockDocument.objects.filter(reason=OuterRef("pk")))
    ).order_by("kind", "code")
    serializer_class = ReasonCodeSerializer
    filterset_class = ReasonCodeFilterSet
    search_fields = ["code", "name"]
    ordering_fields = ["kind", "code", "name"]
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    save_service = reason_services.save_reason_code
    delete_service = reason_services.delete_reason_code


router.register("stock-ins", StockInViewSet, basename="stock-in")
router.register("stock-outs", StockOutViewSet, basename="stock-out")
router.register("adjustments", AdjustmentViewSet, basename="adjustment")
router.register("scraps", ScrapViewSet, basename="scrap")
router.register("reason-codes", ReasonCodeViewSet, basename="reason-code")
