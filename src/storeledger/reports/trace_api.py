"""Batch traceability under /api/v1/reports/batch-trace/: a batch's trace (origins, the
warehouses as a tree with their flows and documents, in transit, totals; its moves as the
rows), the batches of one document (`document/`), and the batches to choose from
(`batches/`). Thin views over `reports.trace`; exports like the other reports. Values and
unit costs are null (no column in a file) without `reports.view_cost`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.core.spreadsheets import DATE, MONEY, QTY, ReportColumn
from storeledger.inventory.models import MoveType
from storeledger.reports import trace
from storeledger.reports.api import (
    CostField,
    CostHidingSerializer,
    ReportPage,
    SkuColumns,
    WarehouseColumns,
    _export_schema,
    _ExportView,
    _get,
    _money,
    _name,
    _qty,
    _ReportView,
    describe_filters,
    report_page,
)

VIEW_MOVES = "inventory.view_stockmove"


class BatchTraceQuery(serializers.Serializer):
    batch = serializers.IntegerField(required=False, min_value=1, help_text=_("The batch's id."))
    sku = serializers.IntegerField(
        required=False, min_value=1, help_text=_("With batch_no: the batch by SKU and number.")
    )
    batch_no = serializers.CharField(required=False, default="", max_length=64)
    warehouse = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Only this warehouse's moves.")
    )


class CounterpartyColumns(serializers.Serializer):
    counterparty_kind = serializers.CharField(
        allow_null=True, help_text=_("supplier, warehouse (across a transfer), customer …")
    )
    counterparty_id = serializers.IntegerField(allow_null=True)
    counterparty_code = serializers.CharField(allow_null=True)
    counterparty_name = serializers.CharField(allow_null=True)
    reason = serializers.CharField(help_text=_("The document's reason or reference."))


class DocumentColumns(serializers.Serializer):
    document_type = serializers.CharField()
    document_id = serializers.IntegerField()
    document_number = serializers.CharField()
    move_type = serializers.ChoiceField(choices=MoveType.choices)


class TraceMoveSerializer(
    WarehouseColumns, SkuColumns, DocumentColumns, CounterpartyColumns, CostHidingSerializer
):
    """One move of the batch (or of the document)."""

    id = serializers.IntegerField()
    posted_at = serializers.DateTimeField()
    in_transit = serializers.BooleanField(help_text=_("A move of the in-transit warehouse."))
    batch = serializers.IntegerField(source="batch_id", allow_null=True)
    batch_no = serializers.CharField(allow_null=True)
    expiry_date = serializers.DateField(allow_null=True)
    event = serializers.CharField()
    quantity = _qty()
    unit_cost = CostField(max_digits=18, decimal_places=4, read_only=True, allow_null=True)
    value = _money()
    balance_quantity = _qty(help_text=_("On hand of the batch in the warehouse after the move."))


class TraceDocumentSerializer(DocumentColumns, CounterpartyColumns, CostHidingSerializer):
    posted_at = serializers.DateTimeField(help_text=_("Its first move of the batch."))
    quantity = _qty(help_text=_("Signed: + into the warehouse, − out of it."))
    value = _money()
    moves = serializers.IntegerField()


class TraceOriginSerializer(TraceDocumentSerializer):
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField()
    warehouse_name = serializers.CharField()


class TraceFlowSerializer(CostHidingSerializer):
    direction = serializers.ChoiceField(choices=["in", "out"])
    move_type = serializers.ChoiceField(choices=MoveType.choices)
    quantity = _qty()
    value = _money()
    documents_count = serializers.IntegerField()
    documents = TraceDocumentSerializer(
        many=True,
        help_text=_("The largest documents (at most 50; documents_count counts them all)."),
    )


class TraceWarehouseSerializer(CostHidingSerializer):
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField()
    warehouse_name = serializers.CharField()
    store = serializers.IntegerField(source="store_id", allow_null=True)
    store_code = serializers.CharField(allow_null=True)
    store_name = serializers.CharField(allow_null=True)
    parent = serializers.IntegerField(
        allow_null=True,
        help_text=_("The warehouse its first stock of the batch came from by transfer."),
    )
    first_in_at = serializers.DateTimeField(allow_null=True)
    in_quantity = _qty()
    out_quantity = _qty()
    on_hand = _qty()
    flows = TraceFlowSerializer(many=True)


class KindFigureSerializer(CostHidingSerializer):
    kind = serializers.CharField(help_text=_("A kind of flow of the stock summary."))
    quantity = _qty()
    value = _money(default=None)


class TraceTotalsSerializer(CostHidingSerializer):
    moves = serializers.IntegerField()
    received = _qty(help_text=_("Into the warehouses from outside: receipts, stock-ins, …"))
    received_value = _money()
    on_hand = _qty()
    in_transit = _qty()
    inflows = KindFigureSerializer(many=True)
    outflows = KindFigureSerializer(many=True)


class BatchInfoSerializer(SkuColumns):
    id = serializers.IntegerField()
    batch_no = serializers.CharField()
    production_date = serializers.DateField(allow_null=True)
    expiry_date = serializers.DateField(allow_null=True)


class BatchTraceSerializer(ReportPage):
    batch = BatchInfoSerializer()
    origins = TraceOriginSerializer(many=True)
    warehouses = TraceWarehouseSerializer(many=True)
    in_transit = TraceDocumentSerializer(many=True)
    totals = TraceTotalsSerializer()
    results = TraceMoveSerializer(many=True)


@extend_schema_view(get=extend_schema(parameters=[BatchTraceQuery], responses=BatchTraceSerializer))
class BatchTraceView(_ReportView):
    """批次追溯: for a batch (by id, or SKU and batch number), where it came from (suppliers,
    receipts, stock-ins), where every unit went (transfers, stock-outs, scrap, returns,
    counts, sales), what is on hand where and what is in transit; its moves as the rows,
    oldest first."""

    required_permission = VIEW_MOVES
    query_serializer = BatchTraceQuery
    row_serializer = TraceMoveSerializer

    def rows(self, query: dict) -> list[dict]:
        self.batch = trace.find_batch(
            batch_id=query.get("batch"), sku_id=query.get("sku"), batch_no=query["batch_no"]
        )
        return trace.batch_moves(
            user=self.request.user, batch=self.batch, warehouse_id=query.get("warehouse")
        )

    def extra(self, query: dict, rows: list[dict], context: dict) -> dict:
        traced = trace.trace(rows, trace.visibility(self.request.user))
        return {
            "batch": BatchInfoSerializer(self.batch).data,
            "origins": TraceOriginSerializer(traced["origins"], many=True, context=context).data,
            "warehouses": TraceWarehouseSerializer(
                traced["warehouses"], many=True, context=context
            ).data,
            "in_transit": TraceDocumentSerializer(
                traced["in_transit"], many=True, context=context
            ).data,
            "totals": TraceTotalsSerializer(traced["totals"], context=context).data,
        }


def _move_type(row: dict) -> str:
    return str(MoveType(row["move_type"]).label)


def _local_time(row: dict) -> str:
    return f"{timezone.localtime(row['posted_at']):%Y-%m-%d %H:%M}"


def _counterparty(row: dict) -> str | None:
    return _name("counterparty")(row)


def move_columns(*, show_cost: bool, with_batch: bool) -> list[ReportColumn]:
    columns = [
        ReportColumn("posted_at", gettext("Posted at"), _local_time, width=17),
        ReportColumn("warehouse", gettext("Warehouse"), _name("warehouse"), width=22),
    ]
    if with_batch:
        columns += [
            ReportColumn("sku_code", gettext("SKU code"), _get("sku_code")),
            ReportColumn("sku_name", gettext("SKU"), _get("sku_name"), width=28),
            ReportColumn("batch_no", gettext("Batch"), _get("batch_no")),
            ReportColumn("expiry_date", gettext("Expiry date"), _get("expiry_date"), DATE),
        ]
    columns += [
        ReportColumn("move_type", gettext("Move type"), _move_type, width=14),
        ReportColumn("document_number", gettext("Document"), _get("document_number"), width=20),
        ReportColumn("counterparty", gettext("From / to"), _counterparty, width=24),
        ReportColumn("reason", gettext("Reason"), _get("reason"), width=18),
        ReportColumn("quantity", gettext("Quantity"), _get("quantity"), QTY),
        ReportColumn("balance_quantity", gettext("On hand after"), _get("balance_quantity"), QTY),
    ]
    if show_cost:
        columns += [
            ReportColumn("unit_cost", gettext("Unit cost"), _get("unit_cost"), MONEY),
            ReportColumn("value", gettext("Value"), _get("value"), MONEY),
        ]
    return columns


@_export_schema(BatchTraceQuery)
class BatchTraceExportView(_ExportView, BatchTraceView):
    title = _("Batch traceability")
    filename = "batch-trace"

    @staticmethod
    def check_subscription_filters(query: dict) -> None:
        """A subscription traces one batch: it must name one that exists (400 otherwise, on
        `filters.batch`)."""
        try:
            trace.find_batch(
                batch_id=query.get("batch"), sku_id=query.get("sku"), batch_no=query["batch_no"]
            )
        except (ValidationFailed, NotFound) as error:
            message = str(error.message)
            raise ValidationFailed(message, fields={"filters.batch": [message]}) from None

    def filters(self, query: dict) -> list[tuple[str, str]]:
        batch = self.batch
        described = [
            (gettext("SKU"), f"{batch['sku_code']} {batch['sku_name']}"),
            (gettext("Batch"), batch["batch_no"]),
        ]
        for label, day in (
            (gettext("Production date"), batch["production_date"]),
            (gettext("Expiry date"), batch["expiry_date"]),
        ):
            if day:
                described.append((label, day.isoformat()))
        return described + describe_filters({"warehouse": query.get("warehouse")})

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        return move_columns(show_cost=show_cost, with_batch=False)


# ------------------------------------------------------------------ a document's batches


class DocumentBatchesQuery(serializers.Serializer):
    number = serializers.CharField(
        required=False, default="", max_length=40, help_text=_("The document's number.")
    )
    document_type = serializers.CharField(
        required=False,
        default="",
        max_length=40,
        help_text=_("With document_id: the document by its type (stock_document, transfer, …)."),
    )
    document_id = serializers.IntegerField(required=False, min_value=1)


DocumentBatchesSerializer = report_page("DocumentBatchesSerializer", TraceMoveSerializer)


@extend_schema_view(
    get=extend_schema(parameters=[DocumentBatchesQuery], responses=DocumentBatchesSerializer)
)
class DocumentBatchesView(_ReportView):
    """Which batches a posted document (a stock-out, a transfer, a sale …) took or brought,
    in which warehouse: its moves the user may see."""

    required_permission = VIEW_MOVES
    query_serializer = DocumentBatchesQuery
    row_serializer = TraceMoveSerializer

    def rows(self, query: dict) -> list[dict]:
        return trace.document_moves(
            user=self.request.user,
            number=query["number"],
            document_type=query["document_type"],
            document_id=query.get("document_id"),
        )


@_export_schema(DocumentBatchesQuery)
class DocumentBatchesExportView(_ExportView, DocumentBatchesView):
    title = _("Batches of a document")
    filename = "document-batches"

    def filters(self, query: dict) -> list[tuple[str, str]]:
        if query["number"]:
            return [(gettext("Document"), query["number"])]
        return [(gettext("Document"), f"{query['document_type']} #{query.get('document_id')}")]

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        return move_columns(show_cost=show_cost, with_batch=True)


# ------------------------------------------------------------------ batches to choose from


class BatchOptionsQuery(serializers.Serializer):
    sku = serializers.IntegerField(required=False, min_value=1)
    search = serializers.CharField(
        required=False, default="", max_length=64, help_text=_("Part of the batch number.")
    )


class BatchOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    batch_no = serializers.CharField()
    production_date = serializers.DateField(allow_null=True)
    expiry_date = serializers.DateField(allow_null=True)
    sku = serializers.IntegerField(source="sku_id")
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()


BatchOptionsSerializer = report_page("BatchOptionsSerializer", BatchOptionSerializer)


@extend_schema_view(
    get=extend_schema(parameters=[BatchOptionsQuery], responses=BatchOptionsSerializer)
)
class BatchOptionsView(_ReportView):
    """The batches that have been in one of the user's warehouses (of a SKU, or whose number
    contains the search), latest expiry first; at most 500."""

    required_permission = VIEW_MOVES
    query_serializer = BatchOptionsQuery
    row_serializer = BatchOptionSerializer

    def rows(self, query: dict) -> list[dict]:
        return list(
            trace.batch_options(
                user=self.request.user, sku_id=query.get("sku"), search=query["search"]
            )[: trace.MAX_BATCH_OPTIONS]
        )
