"""Stock counts (盘点) API: /api/v1/stock-counts/ with start, entries, set-count, recount,
submit, approve, post, reverse, cancel and the count sheet.

Blind counts: until a count is submitted, book quantities, expected quantities, differences
and values are hidden (null) from users without inventory.approve_stockcount."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.catalog.models import Barcode
from storeledger.core import idempotency
from storeledger.core.api.kept_fields import KeptFieldsMixin
from storeledger.core.api.routers import Router as DefaultRouter
from storeledger.core.costs import CostFieldsMixin, can_see_cost
from storeledger.core.documents import NOTES_MAX_LENGTH
from storeledger.core.errors import NotFound
from storeledger.core.quantities import ZERO, qty
from storeledger.inventory.api.common import (
    DOCUMENT_HEADER_FIELDS,
    DOCUMENT_HEADER_RELATED,
    DocumentFilterSet,
    DocumentHeaderSerializer,
    DocumentViewSet,
    delete_action,
    money_field,
    post_action,
    qty_field,
    reverse_action,
    state_action,
    validated,
)
from storeledger.inventory.models import (
    StockCount,
    StockCountEntry,
    StockCountLine,
    StockCountStatus,
)
from storeledger.inventory.services import counts as services

router = DefaultRouter()

APPROVE_PERM = "inventory.approve_stockcount"


def hides_book(count: StockCount, user) -> bool:
    """Blind count not yet submitted, and the user may not see book quantities."""
    return (
        count.blind
        and count.status in (StockCountStatus.DRAFT, StockCountStatus.COUNTING)
        and not user.has_perm(APPROVE_PERM)
    )


# ---------------------------------------------------------------- serializers


class StockCountSerializer(DocumentHeaderSerializer):
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    store_code = serializers.CharField(source="store.code", read_only=True)
    categories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    locations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    approval_threshold = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, allow_null=True
    )
    book_hidden = serializers.SerializerMethodField(
        help_text=_("True when book quantities and differences are hidden (blind count).")
    )

    class Meta:
        model = StockCount
        fields = [
            *DOCUMENT_HEADER_FIELDS,
            "store",
            "store_code",
            "warehouse",
            "warehouse_code",
            "warehouse_name",
            "categories",
            "locations",
            "blind",
            "approval_threshold",
            "snapshot_at",
            "needs_approval",
            "uncounted_as_zero",
            "book_hidden",
        ]
        read_only_fields = fields

    def get_book_hidden(self, obj) -> bool:
        return hides_book(obj, self.context["request"].user)


class StockCountWriteSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField(min_value=1)
    categories = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    locations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    blind = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    approval_threshold = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text=_("Variance value above which the count needs approval; empty: company."),
    )


class StockCountUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)
    categories = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    locations = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    blind = serializers.BooleanField(required=False)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    approval_threshold = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )


class StockCountLineSerializer(KeptFieldsMixin, CostFieldsMixin, serializers.ModelSerializer):
    cost_fields = ("unit_cost", "difference_value")
    """A line of the count sheet; book-side figures are null when hidden (blind count)."""

    sku_code = serializers.CharField(source="sku.code", read_only=True)
    sku_name = serializers.CharField(source="sku.name", read_only=True)
    spec = serializers.CharField(source="sku.spec", read_only=True)
    base_unit_code = serializers.CharField(source="sku.product.base_unit.code", read_only=True)
    base_unit_name = serializers.CharField(source="sku.product.base_unit.name", read_only=True)
    barcode = serializers.SerializerMethodField()
    batch_no = serializers.SerializerMethodField()
    expiry_date = serializers.SerializerMethodField()
    book_quantity = qty_field(read_only=True, allow_null=True)
    moves_after_snapshot = qty_field(read_only=True, allow_null=True)
    expected_quantity = qty_field(read_only=True, allow_null=True)
    counted_quantity = qty_field(read_only=True, allow_null=True)
    difference = qty_field(read_only=True, allow_null=True)
    unit_cost = money_field(read_only=True, allow_null=True)
    difference_value = money_field(read_only=True, allow_null=True)

    class Meta:
        model = StockCountLine
        fields = [
            "id",
            "sku",
            "sku_code",
            "sku_name",
            "spec",
            "base_unit_code",
            "base_unit_name",
            "barcode",
            "batch",
            "batch_no",
            "expiry_date",
            "book_quantity",
            "moves_after_snapshot",
            "expected_quantity",
            "counted_quantity",
            "last_counted_at",
            "recount_requested",
            "difference",
            "unit_cost",
            "difference_value",
        ]
        read_only_fields = fields

    def get_barcode(self, obj) -> str:
        codes = list(obj.sku.barcodes.all())
        primary = [b for b in codes if b.is_primary] or codes
        return primary[0].code if primary else ""

    def get_batch_no(self, obj) -> str:
        return obj.batch.batch_no if obj.batch_id else ""

    def get_expiry_date(self, obj) -> str | None:
        date = obj.batch.expiry_date if obj.batch_id else None
        return date.isoformat() if date else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        submitted = instance.difference is not None
        if submitted:
            expected = instance.book_quantity + instance.moves_after_snapshot
            data["expected_quantity"] = str(qty(expected))
        else:
            data["expected_quantity"] = None
            data["moves_after_snapshot"] = None
        if self.context.get("hide_book"):
            for field in (
                "book_quantity",
                "moves_after_snapshot",
                "expected_quantity",
                "difference",
                "unit_cost",
                "difference_value",
            ):
                data[field] = None
        return data


class SheetTotalsSerializer(CostFieldsMixin, serializers.Serializer):
    cost_fields = ("gain_value", "loss_value", "difference_value")
    lines = serializers.IntegerField()
    counted_lines = serializers.IntegerField()
    book_quantity = qty_field(allow_null=True)
    counted_quantity = qty_field()
    gain_quantity = qty_field(allow_null=True)
    loss_quantity = qty_field(allow_null=True)
    gain_value = money_field(allow_null=True)
    loss_value = money_field(allow_null=True)
    difference_value = money_field(allow_null=True)


class SheetSerializer(serializers.Serializer):
    count = StockCountSerializer()
    book_hidden = serializers.BooleanField()
    lines = StockCountLineSerializer(many=True)
    totals = SheetTotalsSerializer()


class EntryInputSerializer(serializers.Serializer):
    sku = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    sku_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    barcode = serializers.CharField(max_length=64, required=False, allow_blank=True)
    unit = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Default: the barcode's unit, else the base unit."),
    )
    quantity = qty_field(
        min_value=Decimal(0),
        required=False,
        default=Decimal(1),
        help_text=_("Default 1 (one scan)."),
    )
    batch = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    batch_no = serializers.CharField(max_length=64, required=False, allow_blank=True)
    location = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    def validate(self, attrs):
        if not (attrs.get("sku") or attrs.get("sku_code") or attrs.get("barcode")):
            raise serializers.ValidationError({"sku": [_("Give a SKU or a barcode.")]})
        return attrs


class EntriesRequestSerializer(EntryInputSerializer):
    """Either `entries` (a batch of counted quantities) or the fields of one scan."""

    entries = EntryInputSerializer(many=True, required=False)
    recount = serializers.BooleanField(
        required=False, default=False, help_text=_("Entries of a requested recount (复盘).")
    )

    def validate(self, attrs):
        if attrs.get("entries"):
            return attrs
        if "entries" in attrs and not (attrs.get("sku") or attrs.get("barcode")):
            raise serializers.ValidationError({"entries": [_("This list may not be empty.")]})
        single = EntryInputSerializer.validate(self, attrs)
        attrs["entries"] = [{k: v for k, v in single.items() if k not in ("entries", "recount")}]
        return attrs


def _entry(data: dict) -> services.CountEntryInput:
    return services.CountEntryInput(
        quantity=data.get("quantity", Decimal(1)),
        sku_id=data.get("sku"),
        sku_code=data.get("sku_code") or None,
        barcode=data.get("barcode") or None,
        unit_id=data.get("unit"),
        batch_id=data.get("batch"),
        batch_no=data.get("batch_no") or None,
        location_id=data.get("location"),
    )


class EntrySerializer(KeptFieldsMixin, serializers.ModelSerializer):
    sku = serializers.IntegerField(source="line.sku_id", read_only=True)
    batch = serializers.IntegerField(source="line.batch_id", read_only=True, allow_null=True)
    counted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    quantity = qty_field(read_only=True)
    unit_quantity = qty_field(read_only=True, allow_null=True)

    class Meta:
        model = StockCountEntry
        fields = [
            "id",
            "line",
            "sku",
            "batch",
            "quantity",
            "unit",
            "unit_quantity",
            "barcode",
            "location",
            "is_recount",
            "replaces",
            "counted_by",
            "counted_at",
        ]
        read_only_fields = fields


class EntriesResponseSerializer(serializers.Serializer):
    entries = EntrySerializer(many=True)
    lines = StockCountLineSerializer(many=True)


class SetCountSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1)
    quantity = qty_field(min_value=Decimal(0), help_text=_("Counted quantity in the base unit."))
    recount = serializers.BooleanField(required=False, default=False)


class RecountSerializer(serializers.Serializer):
    lines = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)


class SubmitSerializer(serializers.Serializer):
    uncounted_as_zero = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Count lines nobody counted as 0 (else they are left out)."),
    )


class StockCountFilter(DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=StockCountStatus.choices)
    warehouse = django_filters.NumberFilter(field_name="warehouse_id")

    class Meta:
        model = StockCount
        fields = ["status", "store", "warehouse"]


# ---------------------------------------------------------------- views


class StockCountViewSet(DocumentViewSet):
    serializer_class = StockCountSerializer
    queryset = StockCount.objects.all()
    filterset_class = StockCountFilter
    ordering_fields = ["id", "number", "document_date", "status"]
    ordering = ["-id"]
    document_type = "stockcount"
    document_id_arg = "count_id"
    extra_action_permissions = {
        "add_entries": "inventory.count_stockcount",
        "entries": "inventory.view_stockcount",
        "set_count": "inventory.count_stockcount",
        "recount": "inventory.change_stockcount",
        "sheet": "inventory.view_stockcount",
    }

    # Endpoints that answer without the count's header: its categories and bins are not read.
    _WITHOUT_HEADER = frozenset({"add_entries", "entries", "set_count", "recount"})

    def get_queryset(self):
        queryset = StockCount.objects.select_related("store", "warehouse", *DOCUMENT_HEADER_RELATED)
        if self.action not in self._WITHOUT_HEADER:
            queryset = queryset.prefetch_related("categories", "locations")
        return scope.filter_warehouses(queryset, self.request.user)

    def service_arguments(self, pk) -> dict:
        # The count in the user's scope (404 otherwise) before any service runs on it.
        return {"user": self.request.user, "count_id": self.get_object().pk}

    @extend_schema(request=StockCountWriteSerializer, responses={201: StockCountSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(StockCountWriteSerializer, request)
        count = services.create_stock_count(
            user=request.user,
            warehouse_id=data["warehouse"],
            category_ids=data["categories"],
            location_ids=data["locations"],
            blind=data["blind"],
            notes=data["notes"],
            approval_threshold=data.get("approval_threshold"),
            idempotency_key=idempotency.key_of(request),
        )
        return self.detail_response(count.pk, status.HTTP_201_CREATED)

    @extend_schema(request=StockCountUpdateSerializer, responses=StockCountSerializer)
    def update(self, request, *args, **kwargs):
        count = self.get_object()
        data = validated(StockCountUpdateSerializer, request)
        services.update_stock_count(
            user=request.user,
            count_id=count.pk,
            expected_version=data.get("version"),
            category_ids=data.get("categories"),
            location_ids=data.get("locations"),
            blind=data.get("blind"),
            notes=data.get("notes"),
            approval_threshold=data.get("approval_threshold"),
            set_threshold="approval_threshold" in data,
        )
        return self.detail_response(count.pk)

    @extend_schema(request=StockCountUpdateSerializer, responses=StockCountSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    destroy = delete_action(services.delete_stock_count)

    start = state_action("start", services.start_stock_count, StockCountSerializer)

    @extend_schema(
        parameters=[OpenApiParameter("line", int, description=_("Only the entries of this line."))],
        responses=EntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def entries(self, request, pk=None):
        count = self.get_object()
        queryset = StockCountEntry.objects.filter(line__count=count).select_related(
            "line", "counted_by"
        )
        line = request.query_params.get("line")
        if line:
            if not line.isdigit() or not count.lines.filter(pk=int(line)).exists():
                raise NotFound(
                    _("Stock count line not found."), fields={"line": [_("Unknown line.")]}
                )
            queryset = queryset.filter(line_id=int(line))
        return Response(EntrySerializer(queryset.order_by("id"), many=True).data)

    @extend_schema(request=EntriesRequestSerializer, responses={201: EntriesResponseSerializer})
    @entries.mapping.post
    def add_entries(self, request, pk=None):
        count = self.get_object()
        data = validated(EntriesRequestSerializer, request)
        created = services.record_count(
            user=request.user,
            count_id=count.pk,
            entries=[_entry(e) for e in data["entries"]],
            recount=data["recount"],
        )
        return Response(
            {
                "entries": EntrySerializer(created, many=True).data,
                "lines": self._held_lines(count, created),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=SetCountSerializer, responses=StockCountLineSerializer)
    @action(detail=True, methods=["post"], url_path="set-count", url_name="set-count")
    def set_count(self, request, pk=None):
        count = self.get_object()
        data = validated(SetCountSerializer, request)
        line = services.set_line_count(
            user=request.user,
            count_id=count.pk,
            line_id=data["line"],
            quantity=data["quantity"],
            recount=data["recount"],
        )
        return Response(self._lines(count, [line.pk])[0])

    @extend_schema(request=RecountSerializer, responses=StockCountLineSerializer(many=True))
    @action(detail=True, methods=["post"])
    def recount(self, request, pk=None):
        count = self.get_object()
        data = validated(RecountSerializer, request)
        lines = services.request_recount(
            user=request.user, count_id=count.pk, line_ids=data["lines"]
        )
        return Response(self._lines(count, [line.pk for line in lines]))

    @extend_schema(request=SubmitSerializer, responses=StockCountSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        count = self.get_object()
        data = validated(SubmitSerializer, request)
        services.submit_stock_count(
            user=request.user, count_id=count.pk, uncounted_as_zero=data["uncounted_as_zero"]
        )
        return self.detail_response(count.pk)

    approve = state_action("approve", services.approve_stock_count, StockCountSerializer)
    post_document = post_action(services.post_stock_count, StockCountSerializer)
    reverse = reverse_action(services.reverse_stock_count, StockCountSerializer)

    cancel = state_action("cancel", services.cancel_stock_count, StockCountSerializer)

    @extend_schema(responses=SheetSerializer)
    @action(detail=True, methods=["get"])
    def sheet(self, request, pk=None):
        count = self.get_object()
        hide = hides_book(count, request.user)
        lines = list(self._line_queryset(count))
        context = {**self.get_serializer_context(), "hide_book": hide}
        return Response(
            {
                "count": StockCountSerializer(count, context=context).data,
                "book_hidden": hide,
                "lines": StockCountLineSerializer(lines, many=True, context=context).data,
                "totals": _totals(lines, hide, show_cost=can_see_cost(request.user)),
            }
        )

    def _line_queryset(self, count: StockCount):
        return (
            StockCountLine.objects.filter(count=count)
            .select_related("sku", "sku__product__base_unit", "batch")
            .prefetch_related(Prefetch("sku__barcodes", queryset=Barcode.objects.order_by("id")))
            .order_by("sku__code", "batch__batch_no", "id")
        )

    def _held_lines(self, count: StockCount, created) -> list:
        """The lines of the entries `record_count` just created, as it holds them (each entry's
        locked line, counted afresh, with its SKU as read), in the sheet's order: only the
        SKUs' barcodes are read. The count was counting (the service checked it under a shared
        lock) and a count's `blind` is fixed once started."""
        count.status = StockCountStatus.COUNTING
        context = {
            **self.get_serializer_context(),
            "hide_book": hides_book(count, self.request.user),
        }
        lines = sorted(
            {entry.line_id: entry.line for entry in created}.values(),
            key=lambda line: (
                line.sku.code,
                line.batch_id is None,  # as PostgreSQL orders a missing batch: last
                line.batch.batch_no if line.batch_id else "",
                line.id,
            ),
        )
        prefetch_related_objects(
            [line.sku for line in lines],
            Prefetch("barcodes", queryset=Barcode.objects.order_by("id")),
        )
        return StockCountLineSerializer(lines, many=True, context=context).data

    def _lines(self, count: StockCount, line_ids) -> list:
        count.refresh_from_db(fields=["status", "blind"])
        context = {
            **self.get_serializer_context(),
            "hide_book": hides_book(count, self.request.user),
        }
        lines = self._line_queryset(count).filter(pk__in=line_ids)
        return StockCountLineSerializer(lines, many=True, context=context).data


def _totals(lines, hide: bool, *, show_cost: bool) -> dict:
    counted = [line for line in lines if line.counted_quantity is not None]
    differences = [line for line in lines if line.difference is not None]
    gains = [line for line in differences if line.difference > 0]
    losses = [line for line in differences if line.difference < 0]

    def total(items, attr):
        return str(qty(sum((getattr(line, attr) for line in items), ZERO)))

    submitted = bool(differences)
    values = submitted and not hide and show_cost
    return {
        "lines": len(lines),
        "counted_lines": len(counted),
        "book_quantity": None if hide else total(lines, "book_quantity"),
        "counted_quantity": total(counted, "counted_quantity"),
        "gain_quantity": None if hide or not submitted else total(gains, "difference"),
        "loss_quantity": None if hide or not submitted else total(losses, "difference"),
        "gain_value": total(gains, "difference_value") if values else None,
        "loss_value": total(losses, "difference_value") if values else None,
        "difference_value": total(differences, "difference_value") if values else None,
    }


router.register("stock-counts", StockCountViewSet, basename="stock-count")
