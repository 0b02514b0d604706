"""Read-only API of the stock ledger: balances, moves (with running balance and source
document), stock at a past time, batches near expiry, in-transit stock and stock per bin
location. Thin views over `inventory.selectors`; every list is scoped to the user's
warehouses, and each has an `export/` action that writes the same rows to an xlsx or csv
file (`core.spreadsheets`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import F, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.catalog.models import Category, Sku
from storeledger.core import spreadsheets
from storeledger.core.api.routers import Router as DefaultRouter
from storeledger.core.api.tabular import FORMAT_PARAM, IgnoreFormatParam
from storeledger.core.api.views import GenericViewSet
from storeledger.core.costs import CostFieldsMixin, can_see_cost
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES
from storeledger.core.spreadsheets import DATE, DATETIME, INT, MONEY, PRICE, QTY, ReportColumn
from storeledger.core.tabular import CSV_CONTENT_TYPE, FORMATS, XLSX_CONTENT_TYPE
from storeledger.inventory import blind, selectors
from storeledger.inventory.models import Batch, MoveType, StockMove
from storeledger.org.models import Location, Store, Warehouse

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


# Columns of the exports left out for a user without the cost permission (core.costs).
COST_COLUMNS = frozenset({"value", "average_cost", "unit_cost", "balance_value"})


class StockRowSerializer(CostFieldsMixin, serializers.Serializer):
    """One stock row; warehouse and batch fields are null when the grouping sums them (and
    value and average cost without the permission to see costs)."""

    cost_fields = ("value", "average_cost")

    warehouse = serializers.IntegerField(source="warehouse_id", allow_null=True, read_only=True)
    warehouse_code = serializers.CharField(allow_null=True, read_only=True)
    warehouse_name = serializers.CharField(allow_null=True, read_only=True)
    sku = serializers.IntegerField(source="sku_id", read_only=True)
    sku_code = serializers.CharField(read_only=True)
    sku_name = serializers.CharField(read_only=True)
    batch = serializers.IntegerField(source="batch_id", allow_null=True, read_only=True)
    batch_no = serializers.CharField(allow_null=True, read_only=True)
    expiry_date = serializers.DateField(allow_null=True, read_only=True)
    unit_name = serializers.CharField(read_only=True, default="")  # the base unit's name
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


class LocationStockRowSerializer(serializers.Serializer):
    """On hand of one warehouse × bin location × SKU × batch; location null = unassigned."""

    warehouse = serializers.IntegerField(source="warehouse_id", read_only=True)
    warehouse_code = serializers.CharField(read_only=True)
    warehouse_name = serializers.CharField(read_only=True)
    location = serializers.IntegerField(source="location_id", allow_null=True, read_only=True)
    location_code = serializers.CharField(allow_null=True, read_only=True)
    location_name = serializers.CharField(allow_null=True, read_only=True)
    sku = serializers.IntegerField(source="sku_id", read_only=True)
    sku_code = serializers.CharField(read_only=True)
    sku_name = serializers.CharField(read_only=True)
    unit_code = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(read_only=True)
    batch = serializers.IntegerField(source="batch_id", allow_null=True, read_only=True)
    batch_no = serializers.CharField(allow_null=True, read_only=True)
    expiry_date = serializers.DateField(allow_null=True, read_only=True)
    on_hand = _qty(source="qty_on_hand")


class StockMoveSerializer(CostFieldsMixin, serializers.ModelSerializer):
    cost_fields = ("unit_cost", "value", "balance_value", "running_value")
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
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
            "warehouse_name",
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
    search = serializers.CharField(
        required=False,
        help_text=_("SKU code, name, barcode or the pinyin initials of the name."),
    )
    move_type = serializers.ChoiceField(choices=MoveType.choices, required=False)
    document_type = serializers.CharField(required=False)
    document_number = serializers.CharField(required=False)
    date_from = serializers.DateTimeField(required=False)
    date_to = serializers.DateTimeField(required=False)
    ordering = serializers.ChoiceField(
        choices=[name for key in selectors.MOVE_ORDERINGS for name in (key, f"-{key}")],
        required=False,
        default="posted_at",
        help_text=_(
            "Sort by this column; a leading '-' sorts descending (-posted_at: newest first). "
            "Default: oldest first."
        ),
    )


class StockAtQuery(_ScopedQuery):
    at = serializers.DateTimeField(
        help_text=_("ISO 8601 date-time, e.g. 2026-11-01T00:00:00+08:00")
    )
    group_by = serializers.ChoiceField(
        choices=selectors.GROUPINGS, default=selectors.GROUP_BY_BATCH
    )


class AvailableQuery(serializers.Serializer):
    sku = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    warehouse = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text=_("Only this warehouse.")
    )
    store = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Only the warehouses of this store."),
    )
    per = serializers.ChoiceField(
        choices=[selectors.ATP_PER_WAREHOUSE, selectors.ATP_PER_STORE],
        default=selectors.ATP_PER_WAREHOUSE,
        help_text=_(
            "warehouse: a row per warehouse; store: a row per store, its warehouses summed "
            "(central warehouses: store null)."
        ),
    )


class BatchQuery(_ScopedQuery):
    expiring_within_days = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("Only batches expiring within this many days (expired ones included)."),
    )


class InTransitQuery(_ScopedQuery):
    warehouse = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Only transfers leaving from or going to this warehouse."),
    )


class LocationStockQuery(_ScopedQuery):
    location = serializers.IntegerField(required=False, min_value=1)
    search = serializers.CharField(
        required=False,
        help_text=_("SKU code, name, barcode or the pinyin initials of the name."),
    )


class StockBalanceExportQuery(StockBalanceQuery):
    columns = serializers.CharField(
        required=False,
        help_text=_(
            "The columns to export, comma-separated, in order (default: all of the grouping): "
            "warehouse, sku_code, sku_name, batch_no, expiry_date, on_hand, reserved, "
            "available, safety_stock, value, average_cost."
        ),
    )


# ------------------------------------------------------------------ export columns


def _get(key: str) -> Callable[[Any], Any]:
    return lambda row: row.get(key)


def _code_and_name(prefix: str) -> Callable[[dict], str | None]:
    """ "WH01 一号店仓库" from warehouse_code and warehouse_name (either may be empty)."""

    def text(row: dict) -> str | None:
        return (
            " ".join(filter(None, [row.get(f"{prefix}_code"), row.get(f"{prefix}_name")])) or None
        )

    return text


def _average_cost(row: dict) -> Any:
    return selectors.average_cost(row["qty_on_hand"], row["stock_value"])


def _unit_places(row: Any) -> int:
    if isinstance(row, dict):
        return row.get("unit_precision") or 0
    return row.sku.product.base_unit.precision


def _stock_columns() -> dict[str, ReportColumn]:
    """Every column of a stock row export, by key (the web UI's column keys)."""
    return {
        column.key: column
        for column in [
            ReportColumn("warehouse", gettext("Warehouse"), _code_and_name("warehouse"), width=22),
            ReportColumn("location", gettext("Location"), _code_and_name("location"), width=20),
            ReportColumn("sku_code", gettext("SKU code"), _get("sku_code")),
            ReportColumn("sku_name", gettext("SKU"), _get("sku_name"), width=30),
            ReportColumn("unit", gettext("Unit"), _get("unit_name"), width=8),
            ReportColumn("batch_no", gettext("Batch"), _get("batch_no")),
            ReportColumn(
                "production_date", gettext("Production date"), _get("production_date"), DATE
            ),
            ReportColumn("expiry_date", gettext("Expiry date"), _get("expiry_date"), DATE),
            ReportColumn("days_left", gettext("Days left"), _days_left, INT),
            ReportColumn("on_hand", gettext("On hand"), _get("qty_on_hand"), QTY),
            ReportColumn("reserved", gettext("Reserved"), _get("qty_reserved"), QTY),
            ReportColumn("available", gettext("Available"), _get("qty_available"), QTY),
            ReportColumn("safety_stock", gettext("Safety stock"), _get("safety_stock"), QTY),
            ReportColumn("value", gettext("Value"), _get("stock_value"), MONEY),
            ReportColumn("average_cost", gettext("Average cost"), _average_cost, PRICE),
        ]
    }


def _days_left(row: dict) -> int | None:
    expiry = row.get("expiry_date")
    return None if expiry is None else (expiry - timezone.localdate()).days


# The ledger export reads plain values (no model instances): tens of thousands of moves must
# export in seconds. `running_*` exist only where the ledger query computes them.
MOVE_EXPORT_FIELDS = {
    "warehouse_code": F("warehouse__code"),
    "warehouse_name": F("warehouse__name"),
    "sku_code": F("sku__code"),
    "sku_name": F("sku__name"),
    "batch_no": F("batch__batch_no"),
    "document_number": F("posting__document_number"),
    "username": F("posting__user__username"),
    "unit_precision": F("sku__product__base_unit__precision"),
}


def move_export_rows(moves: QuerySet) -> QuerySet:
    running = [
        name for name in ("running_quantity", "running_value") if name in moves.query.annotations
    ]
    return moves.values(
        "posted_at",
        "move_type",
        "quantity",
        "unit_cost",
        "balance_quantity",
        "balance_value",
        *running,
        **MOVE_EXPORT_FIELDS,
    )


def _move_columns() -> list[ReportColumn]:
    move_types = {value: str(label) for value, label in MoveType.choices}

    def running(name: str) -> Callable[[dict], Any]:
        def value(row: dict) -> Any:
            result = row.get(f"running_{name}")
            return row[f"balance_{name}"] if result is None else result

        return value

    return [
        ReportColumn("posted_at", gettext("Posted at"), _get("posted_at"), DATETIME),
        ReportColumn("warehouse", gettext("Warehouse"), _code_and_name("warehouse"), width=22),
        ReportColumn("sku_code", gettext("SKU code"), _get("sku_code")),
        ReportColumn("sku_name", gettext("SKU"), _get("sku_name"), width=30),
        ReportColumn("batch_no", gettext("Batch"), _get("batch_no")),
        ReportColumn("move_type", gettext("Move type"), lambda row: move_types[row["move_type"]]),
        ReportColumn("document_number", gettext("Document"), _get("document_number"), width=20),
        ReportColumn("quantity", gettext("Quantity"), _get("quantity"), QTY),
        ReportColumn("unit_cost", gettext("Unit cost"), _get("unit_cost"), PRICE),
        ReportColumn("balance", gettext("Balance after"), running("quantity"), QTY),
        ReportColumn("balance_value", gettext("Value after"), running("value"), MONEY),
        ReportColumn("user", gettext("User"), _get("username")),
    ]


_GROUPING_LABELS = {
    selectors.GROUP_BY_BATCH: _("Per warehouse, SKU and batch"),
    selectors.GROUP_BY_SKU: _("Per warehouse and SKU"),
    selectors.GROUP_BY_SKU_TOTAL: _("Per SKU"),
}
_FILTER_OBJECTS = {
    "warehouse": (_("Warehouse"), Warehouse),
    "store": (_("Store"), Store),
    "sku": (_("SKU"), Sku),
    "category": (_("Category"), Category),
    "location": (_("Location"), Location),
    "batch": (_("Batch"), Batch),
}
_FILTER_VALUES = {
    "group_by": _("Group by"),
    "move_type": _("Move type"),
    "search": _("Search"),
    "at": _("At"),
    "date_from": _("From"),
    "date_to": _("To"),
    "expiring_within_days": _("Expiring within (days)"),
    "document_type": _("Document type"),
    "document_number": _("Document"),
}
_FILTER_FLAGS = {
    "only_available": _("Only available stock"),
    "below_safety_stock": _("Below safety stock"),
}


def _filter_text(name: str, value: Any) -> str:
    if name in _FILTER_OBJECTS:
        found = _FILTER_OBJECTS[name][1]._default_manager.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if name == "group_by":
        return str(_GROUPING_LABELS[value])
    if name == "move_type":
        return str(MoveType(value).label)
    return str(value)


def describe_filters(query: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of each filter in use, for the title rows of an export."""
    labels = {name: label for name, (label, _model) in _FILTER_OBJECTS.items()} | _FILTER_VALUES
    described = []
    for name, value in query.items():
        if name in _FILTER_FLAGS:
            if value:
                described.append((str(_FILTER_FLAGS[name]), gettext("Yes")))
        elif name in labels and value not in (None, ""):
            described.append((str(labels[name]), _filter_text(name, value)))
    return described


# ------------------------------------------------------------------ views

_FILE_RESPONSES = {
    (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
    (200, "text/csv"): OpenApiTypes.BINARY,
}


def _export_action(query: type[serializers.Serializer]):
    """`GET <list>/export/?format=xlsx|csv&<the list's filters>`: every row of the list, in
    the list's order, as a file (see `_LedgerView.export_file`)."""

    @extend_schema(parameters=[query, FORMAT_PARAM], responses=_FILE_RESPONSES)
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        content_negotiation_class=IgnoreFormatParam,
        pagination_class=None,
        extra_query_params=tuple(query().fields),
    )
    def export(self, request, *args, **kwargs):
        return self.export_file()

    return export


class _LedgerView(mixins.ListModelMixin, GenericViewSet):
    filter_backends: list = []
    query_serializer: type[serializers.Serializer] = _ScopedQuery
    report_title: Any = ""
    report_filename = "stock"

    def query(self) -> dict:
        if not hasattr(self, "_query"):
            params = self.query_serializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            data = dict(params.validated_data)
            if "warehouse" in data:
                scope.ensure_warehouses(self.request.user, [data["warehouse"]])
                blind.ensure_book_visible(self.request.user, [data["warehouse"]])
            self._query = data
        return self._query

    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer(page if page is not None else rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def report_columns(self) -> Sequence[ReportColumn]:
        raise NotImplementedError

    def export_rows(self):
        return self.get_queryset()

    def export_file(self) -> FileResponse:
        fmt = self.request.query_params.get("format", "xlsx").lower()
        if fmt not in FORMATS:
            message = gettext("The format must be xlsx or csv.")
            raise ValidationFailed(message, fields={"format": [message]})
        rows = self.export_rows()
        report = spreadsheets.Report(
            title=str(self.report_title),
            filename=self.report_filename,
            columns=[
                column
                for column in self.report_columns()
                if column.key not in COST_COLUMNS or can_see_cost(self.request.user)
            ],
            filters=describe_filters(self.query()),
            qty_places=_unit_places,
        )
        name = f"{report.filename}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
        return FileResponse(
            spreadsheets.render(report, rows, fmt),
            as_attachment=True,
            filename=name,
            content_type=CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE,
        )


def _pick(keys: list[str]) -> list[ReportColumn]:
    columns = _stock_columns()
    return [columns[key] for key in keys]


class StockBalanceViewSet(_LedgerView):
    """Stock on hand, reserved, available, value and average cost."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = StockBalanceRowSerializer
    query_serializer = StockBalanceQuery
    report_title = _("Stock on hand")
    report_filename = "stock-balances"

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

    def report_columns(self) -> Sequence[ReportColumn]:
        """The columns asked for (`columns=`), in that order, among those of the grouping
        (below safety stock lists warehouse × SKU rows, so no batch columns there)."""
        q = self.query()
        keys = ["sku_code", "sku_name", "on_hand", "reserved", "available", "safety_stock"]
        keys += ["value", "average_cost"]
        if q["group_by"] != selectors.GROUP_BY_SKU_TOTAL:
            keys.insert(0, "warehouse")
        if q["group_by"] == selectors.GROUP_BY_BATCH and not q["below_safety_stock"]:
            keys[3:3] = ["batch_no", "expiry_date"]
        asked = [k.strip() for k in self.request.query_params.get("columns", "").split(",")]
        asked = [k for k in asked if k]
        unknown = [k for k in asked if k not in _stock_columns()]
        if unknown:
            message = gettext("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)}
            raise ValidationFailed(message, fields={"columns": [message]})
        chosen = [k for k in asked if k in keys] if asked else keys
        return _pick(chosen or keys)

    @extend_schema(parameters=[StockBalanceQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    export = _export_action(StockBalanceExportQuery)


class StockMoveViewSet(_LedgerView):
    """The stock ledger: every move with its source document, oldest first (`ordering=`
    -posted_at: newest first). Filtered by SKU
    (and optionally warehouse/batch/date range only), each row also carries the running
    balance of that SKU in that scope."""

    required_permission = "inventory.view_stockmove"
    serializer_class = StockMoveSerializer
    query_serializer = StockMoveQuery
    report_title = _("Stock ledger")
    report_filename = "stock-ledger"

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
            search=q.get("search", ""),
            ordering=q["ordering"],
        )

    def export_rows(self):
        return move_export_rows(self.get_queryset())

    def report_columns(self) -> Sequence[ReportColumn]:
        return _move_columns()

    @extend_schema(parameters=[StockMoveQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    export = _export_action(StockMoveQuery)


class AvailableToPromiseSerializer(serializers.Serializer):
    sku = serializers.IntegerField(source="sku_id")
    warehouse = serializers.IntegerField(
        source="warehouse_id", default=None, allow_null=True, help_text=_("With per=warehouse.")
    )
    store = serializers.IntegerField(
        source="store_id", default=None, allow_null=True, help_text=_("With per=store.")
    )
    on_hand = _qty(source="qty_on_hand")
    reserved = _qty(source="qty_reserved")
    available = _qty(
        source="qty_promisable",
        help_text=_(
            "What can still be promised: on hand − reserved of every balance, not below 0, "
            "expired batches left out."
        ),
    )


class AvailableToPromiseViewSet(_LedgerView):
    """Available to promise (可承诺量) of one SKU: per warehouse (or per store) of the user's
    scope, on hand, reserved and what a sales order could still reserve now; in-transit stock
    and expired batches are left out. Not paged. A warehouse under a blind count is refused
    when named (403 blind_count) and left out otherwise."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = AvailableToPromiseSerializer
    query_serializer = AvailableQuery
    pagination_class = None

    def get_queryset(self):
        q = self.query()
        if "store" in q:
            scope.ensure_stores(self.request.user, [q["store"]])
        if not Sku.objects.filter(pk=q["sku"]).exists():
            raise NotFound(_("SKU not found."), fields={"sku": [_("Unknown SKU.")]})
        return selectors.available_to_promise(
            user=self.request.user,
            sku_ids=[q["sku"]],
            per=q["per"],
            warehouse_id=q.get("warehouse"),
            store_id=q.get("store"),
        )

    @extend_schema(parameters=[AvailableQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class StockAtViewSet(_LedgerView):
    """On hand and value at a past date-time, from the moves posted up to then."""

    required_permission = "inventory.view_stockmove"
    serializer_class = StockRowSerializer
    query_serializer = StockAtQuery
    report_title = _("Stock at a past time")
    report_filename = "stock-at"

    def get_queryset(self):
        q = self.query()
        return selectors.stock_at(
            user=self.request.user,
            at=q["at"],
            warehouse_id=q.get("warehouse"),
            sku_id=q.get("sku"),
            group_by=q["group_by"],
        )

    def report_columns(self) -> Sequence[ReportColumn]:
        group_by = self.query()["group_by"]
        keys = ["sku_code", "sku_name", "unit", "on_hand", "value", "average_cost"]
        if group_by == selectors.GROUP_BY_BATCH:
            keys[3:3] = ["batch_no", "expiry_date"]
        if group_by != selectors.GROUP_BY_SKU_TOTAL:
            keys.insert(0, "warehouse")
        return _pick(keys)

    @extend_schema(parameters=[StockAtQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    export = _export_action(StockAtQuery)


class BatchViewSet(_LedgerView):
    """Batches with on hand per warehouse, soonest expiry first."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = BatchRowSerializer
    query_serializer = BatchQuery
    report_title = _("Batches near expiry")
    report_filename = "batches"

    def get_queryset(self):
        q = self.query()
        return selectors.batches(
            user=self.request.user,
            expiring_within_days=q.get("expiring_within_days"),
            warehouse_id=q.get("warehouse"),
            sku_id=q.get("sku"),
        )

    def report_columns(self) -> Sequence[ReportColumn]:
        return _pick(
            [
                "expiry_date",
                "days_left",
                "sku_code",
                "sku_name",
                "batch_no",
                "warehouse",
                "production_date",
                "unit",
                "on_hand",
                "available",
                "value",
            ]
        )

    @extend_schema(parameters=[BatchQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    export = _export_action(BatchQuery)


class InTransitViewSet(_LedgerView):
    """Stock shipped on transfers and not yet received: of every transfer for a user with an
    unrestricted scope, of the transfers leaving from or going to the user's warehouses
    otherwise."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = StockBalanceRowSerializer
    query_serializer = InTransitQuery
    report_title = _("In-transit stock")
    report_filename = "in-transit"

    def get_queryset(self):
        q = self.query()
        return selectors.in_transit(
            user=self.request.user, sku_id=q.get("sku"), warehouse_id=q.get("warehouse")
        )

    def report_columns(self) -> Sequence[ReportColumn]:
        keys = ["sku_code", "sku_name", "unit", "batch_no", "expiry_date", "on_hand", "value"]
        return _pick([*keys, "average_cost"])

    @extend_schema(parameters=[InTransitQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    export = _export_action(InTransitQuery)


class LocationStockViewSet(_LedgerView):
    """Where the stock is: on hand per warehouse × bin location × SKU × batch, from the moves;
    stock posted without a location is shown as unassigned (location null)."""

    required_permission = "inventory.view_stockbalance"
    serializer_class = LocationStockRowSerializer
    query_serializer = LocationStockQuery
    report_title = _("Stock by location")
    report_filename = "stock-by-location"

    def get_queryset(self):
        q = self.query()
        return selectors.stock_by_location(
            user=self.request.user,
            warehouse_id=q.get("warehouse"),
            location_id=q.get("location"),
            sku_id=q.get("sku"),
            search=q.get("search", ""),
        )

    def report_columns(self) -> Sequence[ReportColumn]:
        keys = ["warehouse", "location", "sku_code", "sku_name", "unit", "batch_no"]
        return _pick([*keys, "expiry_date", "on_hand"])

    @extend_schema(parameters=[LocationStockQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    export = _export_action(LocationStockQuery)


router.register("stock-balances", StockBalanceViewSet, basename="stock-balance")
router.register("stock-moves", StockMoveViewSet, basename="stock-move")
router.register("stock-at", StockAtViewSet, basename="stock-at")
router.register("stock/available", AvailableToPromiseViewSet, basename="stock-available")
router.register("batches", BatchViewSet, basename="batch")
router.register("in-transit", InTransitViewSet, basename="in-transit")
router.register("stock-by-location", LocationStockViewSet, basename="stock-by-location")
