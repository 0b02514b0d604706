"""Read-only API of the stock ledger: balances, moves (with running balance and source
document), stock at a past time, batches near expiry and in-transit stock. Thin views over
`inventory.selectors`; every list is scoped to the user's warehouses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from storeledger.accounts import scope
from storeledger.core.api.views import GenericViewSet
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES
from storeledger.inventory import selectors
from storeledger.inventory.models import MoveType, StockMove

router = DefaultRouter()


def _qty(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, read_only=True, **kwargs
    )


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, read_only=True, **kwargs
    )


# ------------------------------------------------------------------ output rows


class StockRowSerializer(serializers.Serializer):
    """One stock row; warehouse and batch fields are null when the grouping sums them."""

    warehouse = serializers.IntegerField(source="warehouse_id", allow_null=True, read_only=True)
    warehouse_code = serializers.CharField(allow_null=True, read_only=True)
    warehouse_name = serializers.CharField(allow_null=True, read_only=True)
    sku = serializers.IntegerField(source="sku_id", read_only=True)
    sku_code = serializers.CharField(read_only=True)
    sku_name = serializers.CharField(read_only=True)
    batch = serializers.IntegerField(source="batch_id", allow_null=True, read_only=True)
    batch_no = serializers.CharField(allow_null=True, read_only=True)
    expiry_date = serializers.DateField(allow_null=True, read_only=True)
    on_hand = _qty(source="qty_on_hand")
    value = _money(source="stock_value")
    average_cost = _money(allow_null=True)

    _KEYS = (
        "warehouse_id",
        "warehouse_code",
        "warehouse_name",
        "batch_id",
        "batch_no",
        "expiry_date",
    )

    def to_representation(self, instance):
        row = dict(instance)
        for key in self._KEYS:
            row.setdefault(key, None)
        row["average_cost"] = selectors.average_cost(row["qty_on_hand"], row["stock_value"])
        return super().to_representation(row)


class StockBalanceRowSerializer(StockRowSerializer):
    reserved = _qty(source="qty_reserved")
    available = _qty(source="qty_available")
    safety_stock = _qty()


class BatchRowSerializer(StockBalanceRowSerializer):
    production_date = serializers.DateField(allow_null=True, read_only=True)


class StockMoveSerializer(serializers.ModelSerializer):
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    sku_code = serializers.CharField(source="sku.code", read_only=True)
    sku_name = serializers.CharField(source="sku.name", read_only=True)
    batch_no = serializers.CharField(source="batch.batch_no", allow_null=True, read_only=True)
    document_type = serializers.CharField(source="posting.document_type", read_only=True)
    document_id = serializers.IntegerField(source="posting.document_id", read_only=True)
    document_number = serializers.CharField(source="posting.document_number", read_only=True)
    event = serializers.CharField(source="posting.event", read_only=True)
    user = serializers.CharField(
        source="posting.user.username", allow_null=True, default=None, read_only=True
    )
    running_quantity = _qty(allow_null=True, default=None)
    running_value = _money(allow_null=True, default=None)

    class Meta:
        model = StockMove
        fields = [
            "id",
            "posted_at",
            "warehouse",
            "warehouse_code",
            "location",
            "sku",
            "sku_code",
            "sku_name",
            "batch",
            "batch_no",
            "move_type",
            "quantity",
            "unit_cost",
            "value",
            "balance_quantity",
            "balance_value",
            "running_quantity",
            "running_value",
            "posting",
            "document_type",
            "document_id",
            "document_number",
            "event",
            "user",
            "reverses",
        ]
        read_only_fields = fields


# ------------------------------------------------------------------ query parameters


class _ScopedQuery(serializers.Serializer):
    warehouse = serializers.IntegerField(required=False, min_value=1)
    sku = serializers.IntegerField(required=False, min_value=1)


class StockBalanceQuery(_ScopedQuery):
    store = serializers.IntegerField(required=False, min_value=1)
    batch = serializers.IntegerField(required=False, min_value=1)
    category = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Includes the sub-categories.")
    )
    search = serializers.CharField(
        required=False,
        help_text=_("SKU code, name, barcode or the pinyin initials of the name."),
    )
    group_by = serializers.ChoiceField(
        choices=selectors.GROUPINGS,
        default=selectors.GROUP_BY_BATCH,
        help_text=_(
            "batch: per warehouse, SKU and batch; warehouse_sku: per warehouse and SKU; "
            "sku: per SKU across warehouses."
        ),
    )
    only_available = serializers.BooleanField(
        required=False, default=False, help_text=_("Only rows with available stock.")
    )
    below_safety_stock = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only SKUs whose on hand is below their safety stock."),
    )
    ordering = serializers.ChoiceField(
        choices=[name for key in selectors.BALANCE_ORDERINGS for name in (key, f"-{key}")],
        required=False,
        default="",
        help_text=_("Sort by this column; a leading '-' sorts descending."),
    )


class StockMoveQuery(_ScopedQuery):
    batch = serializers.IntegerField(required=False, min_value=1)
    move_type = serializers.ChoiceField(choices=MoveType.choices, required=False)
    document_type = serializers.CharField(required=False)
    document_number = serializers.CharField(required=False)
    date_from = serializers.DateTimeField(required=False)
    date_to = serializers.DateTimeField(required=False)


class StockAtQuery(_ScopedQuery):
    at = serializers.DateTimeField(
        help_text=_("ISO 8601 date-time, e.g. 2026-11-01T00:00:00+08:00")
    )
    group_by = serializers.ChoiceField(
        choices=selectors.GROUPINGS, default=selectors.GROUP_BY_BATCH
    )


class BatchQuery(_ScopedQuery):
    expiring_within_days = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("Only batches expiring within this many days (expired ones included)."),
    )


class InTransitQuery(serializers.Serializer):
    sku = serializers.IntegerField(required=False, min_value=1)


# ------------------------------------------------------------------ views


class _LedgerView(mixins.ListModelMixin, GenericViewSet):
    filter_backends: list = []
    query_serializer: type[serializers.Serializer] = _ScopedQuery

    def query(self) -> dict:
        params = self.query_serializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        if "warehouse" in data:
            scope.ensure_warehouses(self.request.user, [data["warehouse"]])
        return data

    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer(page if page is not None else rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)


class StockBalanceViewSet(_LedgerView):
    """Stock on hand, reserved, available, value and average cost."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = StockBalanceRowSerializer
    query_serializer = StockBalanceQuery

    def get_queryset(self):
        q = self.query()
        return selectors.stock_balances(
            user=self.request.user,
            warehouse_id=q.get("warehouse"),
            store_id=q.get("store"),
            sku_id=q.get("sku"),
            batch_id=q.get("batch"),
            category_id=q.get("category"),
            search=q.get("search", ""),
            group_by=q["group_by"],
            only_available=q["only_available"],
            below_safety_stock=q["below_safety_stock"],
            ordering=q["ordering"],
        )

    @extend_schema(parameters=[StockBalanceQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class StockMoveViewSet(_LedgerView):
    """The stock ledger: every move with its source document, oldest first. Filtered by SKU
    (and optionally warehouse/batch/date range only), each row also carries the running
    balance of that SKU in that scope."""

    required_permission = "inventory.view_stockmove"
    serializer_class = StockMoveSerializer
    query_serializer = StockMoveQuery

    def get_queryset(self):
        q = self.query()
        return selectors.stock_moves(
            user=self.request.user,
            warehouse_id=q.get("warehouse"),
            sku_id=q.get("sku"),
            batch_id=q.get("batch"),
            move_type=q.get("move_type"),
            document_type=q.get("document_type"),
            document_number=q.get("document_number"),
            date_from=q.get("date_from"),
            date_to=q.get("date_to"),
        )

    @extend_schema(parameters=[StockMoveQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class StockAtViewSet(_LedgerView):
    """On hand and value at a past date-time, from the moves posted up to then."""

    required_permission = "inventory.view_stockmove"
    serializer_class = StockRowSerializer
    query_serializer = StockAtQuery

    def get_queryset(self):
        q = self.query()
        return selectors.stock_at(
            user=self.request.user,
            at=q["at"],
            warehouse_id=q.get("warehouse"),
            sku_id=q.get("sku"),
            group_by=q["group_by"],
        )

    @extend_schema(parameters=[StockAtQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class BatchViewSet(_LedgerView):
    """Batches with on hand per warehouse, soonest expiry first."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = BatchRowSerializer
    query_serializer = BatchQuery

    def get_queryset(self):
        q = self.query()
        return selectors.batches(
            user=self.request.user,
            expiring_within_days=q.get("expiring_within_days"),
            warehouse_id=q.get("warehouse"),
            sku_id=q.get("sku"),
        )

    @extend_schema(parameters=[BatchQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class InTransitViewSet(_LedgerView):
    """Stock shipped on transfers and not yet received (users with an unrestricted scope)."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = StockBalanceRowSerializer
    query_serializer = InTransitQuery

    def get_queryset(self):
        q = self.query()
        return selectors.in_transit(user=self.request.user, sku_id=q.get("sku"))

    @extend_schema(parameters=[InTransitQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


router.register("stock-balances", StockBalanceViewSet, basename="stock-balance")
router.register("stock-moves", StockMoveViewSet, basename="stock-move")
router.register("stock-at", StockAtViewSet, basename="stock-at")
router.register("batches", BatchViewSet, basename="batch")
router.register("in-transit", InTransitViewSet, basename="in-transit")
