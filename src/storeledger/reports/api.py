"""Report endpoints under /api/v1/reports/: thin views over `reports.selectors`.

Each report answers `GET <report>/` (JSON: one page of rows, the totals of every row and the
filters as understood) and `GET <report>/export/?format=xlsx|csv|pdf` (every row as a file).
Rows are limited to the user's warehouses; a user without `reports.view_cost` gets no value,
cost or amount (null in JSON, no such column in a file)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from storeledger.accounts import scope
from storeledger.catalog.models import Brand, Category, Sku
from storeledger.core.api.pagination import PageNumberPagination
from storeledger.core.api.tabular import IgnoreFormatParam
from storeledger.core.api.views import APIView
from storeledger.core.errors import ValidationFailed
from storeledger.core.quantities import (
    MONEY_DIGITS,
    MONEY_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
)
from storeledger.core.spreadsheets import DATE, INT, MONEY, PRICE, QTY, ReportColumn
from storeledger.inventory import blind
from storeledger.inventory import selectors as inventory_selectors
from storeledger.org.models import Store, Warehouse
from storeledger.partners.models import Supplier
from storeledger.reports import exports, selectors
from storeledger.reports.models import can_see_cost
from storeledger.reports.selectors import FLOW_KINDS, IN


def _qty(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, read_only=True, **kwargs
    )


class CostField(serializers.DecimalField):
    """A value, cost or amount: null for a user without `reports.view_cost`."""


def _money(**kwargs) -> serializers.DecimalField:
    kwargs.setdefault("help_text", _("Null without the permission to see costs."))
    return CostField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        read_only=True,
        allow_null=True,
        **kwargs,
    )


# Its CostFields are null unless the context says `show_cost` (nested serializers of this kind
# hide their own: the context is the root's). No docstring: it would describe every subclass
# in the OpenAPI schema.
class CostHidingSerializer(serializers.Serializer):
    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_cost", False):
            for name, field in self.fields.items():
                if isinstance(field, CostField):
                    data[name] = None
        return data


FORMAT_PARAM = OpenApiParameter(
    "format", str, enum=list(exports.FORMATS), default="xlsx", description=_("File format.")
)
FILE_RESPONSES = {
    (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
        OpenApiTypes.BINARY
    ),
    (200, "text/csv"): OpenApiTypes.BINARY,
    (200, "application/pdf"): OpenApiTypes.BINARY,
}


# ------------------------------------------------------------------ filters


# The envelope of every report's answer: a page of `results` (`count` rows in all) and whether
# values are shown. A report adds its own figures (totals, charts) and `results`; `report_page`
# makes one that has nothing else. (A comment, not a docstring: the schema would give it to
# every report's answer.)
class ReportPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    show_cost = serializers.BooleanField(help_text=_("Whether values are shown."))


def report_page(name: str, row_serializer: type[serializers.Serializer]) -> type[ReportPage]:
    """A report answer of `row_serializer` rows and nothing else, named `name` (its schema
    component)."""
    return type(name, (ReportPage,), {"results": row_serializer(many=True)})


class ScopeFilterQuery(serializers.Serializer):
    """The filters every report of goods takes (each report adds its own)."""

    warehouse = serializers.IntegerField(required=False, min_value=1)
    store = serializers.IntegerField(required=False, min_value=1)
    category = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Includes the sub-categories.")
    )
    sku = serializers.IntegerField(required=False, min_value=1)
    search = serializers.CharField(
        required=False,
        default="",
        help_text=_("SKU code, name, barcode or the pinyin initials of the name."),
    )


class StockFilterQuery(ScopeFilterQuery):
    brand = serializers.IntegerField(required=False, min_value=1)
    supplier = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Only the SKUs in this supplier's catalogue (its active supplier items)."),
    )


# The identifying columns of a row grouped per warehouse, SKU, category or brand: a report's
# row serializer takes those of its groupings; the ones of the grouping not chosen are null.
class WarehouseColumns(serializers.Serializer):
    warehouse = serializers.IntegerField(source="warehouse_id", allow_null=True, default=None)
    warehouse_code = serializers.CharField(allow_null=True, default=None)
    warehouse_name = serializers.CharField(allow_null=True, default=None)


class SkuColumns(serializers.Serializer):
    sku = serializers.IntegerField(source="sku_id", allow_null=True, default=None)
    sku_code = serializers.CharField(allow_null=True, default=None)
    sku_name = serializers.CharField(allow_null=True, default=None)
    unit_name = serializers.CharField(allow_null=True, default=None)
    unit_precision = serializers.IntegerField(allow_null=True, default=None)


class CategoryColumns(serializers.Serializer):
    category = serializers.IntegerField(source="category_id", allow_null=True, default=None)
    category_code = serializers.CharField(allow_null=True, default=None)
    category_name = serializers.CharField(allow_null=True, default=None)


class BrandColumns(serializers.Serializer):
    brand = serializers.IntegerField(source="brand_id", allow_null=True, default=None)
    brand_code = serializers.CharField(allow_null=True, default=None)
    brand_name = serializers.CharField(allow_null=True, default=None)


# Before any shop's books; keeps the period's instants inside what the database stores.
EARLIEST_DAY = datetime.date(1900, 1, 1)


class DayField(serializers.DateField):
    """A date that says so when the text is a date's shape but no day of the calendar
    (2026-02-30), instead of calling its format wrong."""

    def to_internal_value(self, value):
        if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
            try:
                datetime.date.fromisoformat(value.strip())
            except ValueError:
                self.fail("no_such_day", value=value.strip())
        return super().to_internal_value(value)

    default_error_messages = {
        **serializers.DateField.default_error_messages,
        "no_such_day": _("{value} is not a day of the calendar."),
    }


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodQuery(serializers.Serializer):
    date_from = DayField(
        required=False, help_text=_("First day of the period (default: the 1st of this month).")
    )
    date_to = DayField(
        required=False, help_text=_("Last day of the period, included (default: today).")
    )

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", attrs["date_to"].replace(day=1))
        if attrs["date_from"] < EARLIEST_DAY:
            message = gettext("The period must not start before %(day)s.") % {
                "day": EARLIEST_DAY.isoformat()
            }
            raise ValidationFailed(message, fields={"date_from": [message]})
        if attrs["date_from"] > attrs["date_to"]:
            message = gettext("The period must not end before it starts.")
            raise ValidationFailed(message, fields={"date_to": [message]})
        if attrs["date_to"] > today:
            message = gettext("The period must not end after today.")
            raise ValidationFailed(message, fields={"date_to": [message]})
        return attrs


class StockSummaryQuery(StockFilterQuery, PeriodQuery):
    group_by = serializers.ChoiceField(
        choices=selectors.SUMMARY_GROUPINGS,
        default=selectors.GROUP_SKU,
        help_text=_(
            "sku: per SKU; warehouse_sku: per warehouse and SKU; warehouse, category, brand: "
            "one row per warehouse, category or brand."
        ),
    )


_FILTER_LABELS = {
    "warehouse": (_("Warehouse"), Warehouse),
    "store": (_("Store"), Store),
    "category": (_("Category"), Category),
    "brand": (_("Brand"), Brand),
    "sku": (_("SKU"), Sku),
    "supplier": (_("Supplier"), Supplier),
}
_GROUP_LABELS = {
    selectors.GROUP_SKU: _("Per SKU"),
    selectors.GROUP_WAREHOUSE_SKU: _("Per warehouse and SKU"),
    selectors.GROUP_WAREHOUSE: _("Per warehouse"),
    selectors.GROUP_CATEGORY: _("Per category"),
    selectors.GROUP_BRAND: _("Per brand"),
}


def check_filter_ids(user, query: dict[str, Any], prefix: str = "") -> None:
    """A warehouse or store outside the user's scope is a 403 (whether it exists or not, so
    the answer tells nothing of other stores); an id of nothing is a 400 naming the filter,
    not an empty report."""
    if query.get("warehouse"):
        scope.ensure_warehouses(user, [query["warehouse"]])
    if query.get("store"):
        scope.ensure_stores(user, [query["store"]])
    for name, (label, model) in _FILTER_LABELS.items():
        value = query.get(name)
        if isinstance(value, int) and not model._default_manager.filter(pk=value).exists():
            message = gettext("No %(thing)s has the id %(id)s.") % {
                "thing": str(label).lower() if name != "sku" else str(label),
                "id": value,
            }
            raise ValidationFailed(
                message, code="unknown_id", fields={f"{prefix}{name}": [message]}
            )


def describe_filters(query: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of each filter in use, for the title rows of a file."""
    described: list[tuple[str, str]] = []
    if "date_from" in query:
        described.append(
            (
                gettext("Period"),
                f"{query['date_from'].isoformat()} ~ {query['date_to'].isoformat()}",
            )
        )
    if "group_by" in query:
        described.append((gettext("Group by"), str(_GROUP_LABELS[query["group_by"]])))
    for name, (label, model) in _FILTER_LABELS.items():
        if query.get(name):
            found = model._default_manager.filter(pk=query[name]).first()
            described.append((str(label), str(found) if found else str(query[name])))
    if query.get("search"):
        described.append((gettext("Search"), query["search"]))
    return described


def stock_filters(user, query: dict) -> selectors.StockFilters:
    """The filters of a stock report, after checking the warehouse and store are in scope."""
    if query.get("warehouse"):
        scope.ensure_warehouses(user, [query["warehouse"]])
        blind.ensure_book_visible(user, [query["warehouse"]])
    if query.get("store"):
        scope.ensure_stores(user, [query["store"]])
    return selectors.StockFilters(
        warehouse_id=query.get("warehouse"),
        store_id=query.get("store"),
        category_id=query.get("category"),
        brand_id=query.get("brand"),
        sku_id=query.get("sku"),
        supplier_id=query.get("supplier"),
        search=query.get("search", ""),
    )


# ------------------------------------------------------------------ stock summary


class FlowSerializer(CostHidingSerializer):
    quantity = _qty()
    value = _money()


FlowsSerializer = type(
    "StockSummaryFlowsSerializer",
    (serializers.Serializer,),
    {kind.key: FlowSerializer(read_only=True) for kind in FLOW_KINDS},
)


class SummaryFiguresSerializer(CostHidingSerializer):
    opening_quantity = _qty()
    opening_value = _money()
    in_quantity = _qty()
    in_value = _money()
    out_quantity = _qty(help_text=_("Outflows as a positive figure."))
    out_value = _money()
    closing_quantity = _qty(help_text=_("Opening + in − out."))
    closing_value = _money()
    flows = FlowsSerializer(
        read_only=True,
        help_text=_(
            "Per kind of flow. A move type always lands in the same kind, so a reversal is "
            "a negative figure there."
        ),
    )


class StockSummaryRowSerializer(
    WarehouseColumns, SkuColumns, CategoryColumns, BrandColumns, SummaryFiguresSerializer
):
    """One row; the fields of the groupings not chosen are null."""


class FlowKindSerializer(serializers.Serializer):
    key = serializers.CharField()
    direction = serializers.ChoiceField(choices=[selectors.IN, selectors.OUT])
    move_types = serializers.ListField(child=serializers.CharField())


class StockSummarySerializer(ReportPage):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    kinds = FlowKindSerializer(many=True)
    totals = SummaryFiguresSerializer()
    results = StockSummaryRowSerializer(many=True)


def _kinds() -> list[dict]:
    return [
        {"key": k.key, "direction": k.direction, "move_types": [str(t) for t in k.move_types]}
        for k in FLOW_KINDS
    ]


def _kind_titles() -> dict[str, str]:
    return {
        "purchase_receipt": gettext("Purchase receipts"),
        "transfer_in": gettext("Transfers in"),
        "sales_return": gettext("Sales returns"),
        "count_gain": gettext("Count gains"),
        "other_in": gettext("Other stock-in"),
        "adjustment_in": gettext("Adjustments in"),
        "sale": gettext("Sales"),
        "transfer_out": gettext("Transfers out"),
        "purchase_return": gettext("Purchase returns"),
        "count_loss": gettext("Count losses"),
        "scrap": gettext("Scrap"),
        "other_out": gettext("Other stock-out"),
        "adjustment_out": gettext("Adjustments out"),
    }


def _get(key: str):
    return lambda row: row.get(key)


def _flow(kind: str, field: str):
    return lambda row: row["flows"][kind][field]


def _name(prefix: str):
    def text(row: dict) -> str | None:
        return " ".join(filter(None, [row.get(f"{prefix}_code"), row.get(f"{prefix}_name")])) or (
            None
        )

    return text


def _group_columns(group_by: str) -> list[ReportColumn]:
    warehouse = ReportColumn("warehouse", gettext("Warehouse"), _name("warehouse"), width=22)
    skus = [
        ReportColumn("sku_code", gettext("SKU code"), _get("sku_code")),
        ReportColumn("sku_name", gettext("SKU"), _get("sku_name"), width=30),
        ReportColumn("unit", gettext("Unit"), _get("unit_name"), width=8),
    ]
    return {
        selectors.GROUP_SKU: skus,
        selectors.GROUP_WAREHOUSE_SKU: [warehouse, *skus],
        selectors.GROUP_WAREHOUSE: [warehouse],
        selectors.GROUP_CATEGORY: [
            ReportColumn("category", gettext("Category"), _name("category"), width=22)
        ],
        selectors.GROUP_BRAND: [ReportColumn("brand", gettext("Brand"), _name("brand"), width=22)],
    }[group_by]


def summary_columns(group_by: str, *, show_cost: bool, detailed: bool) -> list[ReportColumn]:
    """The file columns: the grouping, opening, each kind (when `detailed`), in, out and
    closing; quantities, and values next to them when the user may see them."""

    def pair(key: str, title: str, quantity, value) -> list[ReportColumn]:
        columns = [ReportColumn(f"{key}_quantity", title, quantity, QTY)]
        if show_cost:
            value_title = gettext("%(figure)s value") % {"figure": title}
            columns.append(ReportColumn(f"{key}_value", value_title, value, MONEY))
        return columns

    columns = _group_columns(group_by)
    columns += pair("opening", gettext("Opening"), _get("opening_quantity"), _get("opening_value"))
    titles = _kind_titles()
    if detailed:
        for kind in FLOW_KINDS:
            if kind.direction == IN:
                columns += pair(
                    kind.key,
                    titles[kind.key],
                    _flow(kind.key, "quantity"),
                    _flow(kind.key, "value"),
                )
    columns += pair("in", gettext("Total in"), _get("in_quantity"), _get("in_value"))
    if detailed:
        for kind in FLOW_KINDS:
            if kind.direction != IN:
                columns += pair(
                    kind.key,
                    titles[kind.key],
                    _flow(kind.key, "quantity"),
                    _flow(kind.key, "value"),
                )
    columns += pair("out", gettext("Total out"), _get("out_quantity"), _get("out_value"))
    columns += pair("closing", gettext("Closing"), _get("closing_quantity"), _get("closing_value"))
    return columns


class QueryView(APIView):
    """A view whose query parameters are its `query_serializer`'s (a 400 in the error shape
    otherwise): every report and the dashboards."""

    query_serializer: type[serializers.Serializer]

    def query(self) -> dict:
        params = self.query_serializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        check_filter_ids(self.request.user, params.validated_data)
        return dict(params.validated_data)


class _ReportView(QueryView):
    """A report: `rows(query)` from the selectors; `GET` answers one page of them with the
    figures `extra(query, rows, context)` adds (totals, chart data) and `show_cost`."""

    row_serializer: type[serializers.Serializer]
    extra_query_params = ("page", "page_size")

    def rows(self, query: dict) -> list[dict]:
        raise NotImplementedError

    def extra(self, query: dict, rows: list[dict], context: dict) -> dict:
        return {}

    def get(self, request):
        query = self.query()
        rows = self.rows(query)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        show_cost = can_see_cost(request.user)
        context = {"show_cost": show_cost}
        return Response(
            {
                "count": len(rows),
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "show_cost": show_cost,
                **self.extra(query, rows, context),
                "results": self.row_serializer(page, many=True, context=context).data,
            }
        )


class _DatabasePagedView(_ReportView):
    """A report whose rows can be many (one per warehouse × SKU): the database sorts, counts and
    sums them and sends only the page's rows (`page`), instead of every row being built here to
    show 50. Its `rows` stay for the exports. Pages and links as PageNumberPagination's."""

    def page(self, query: dict, offset: int, limit: int) -> selectors.ReportPage:
        raise NotImplementedError

    def page_extra(self, query: dict, page: selectors.ReportPage, context: dict) -> dict:
        return {}

    def get(self, request):
        query = self.query()
        paginator = PageNumberPagination()
        size = paginator.get_page_size(request) or 50
        # "last", or a number ≥ 1 (check_query_params refused any other)
        text = request.query_params.get(paginator.page_query_param) or "1"
        if text in paginator.last_page_strings:
            count = self.page(query, 0, 1).count
            number = max(1, -(-count // size))
        else:
            number = int(text)
        page = self.page(query, (number - 1) * size, size)
        if not page.rows and number > 1:
            raise exceptions.NotFound(paginator.invalid_page_message)
        show_cost = can_see_cost(request.user)
        context = {"show_cost": show_cost}
        return Response(
            {
                "count": page.count,
                **_links(request, paginator.page_query_param, number, number * size < page.count),
                "show_cost": show_cost,
                **self.page_extra(query, page, context),
                "results": self.row_serializer(page.rows, many=True, context=context).data,
            }
        )


def _links(request, param: str, number: int, more: bool) -> dict:
    """`next` and `previous` of page `number`, as PageNumberPagination writes them."""
    url = request.build_absolute_uri()
    previous = None
    if number == 2:
        previous = remove_query_param(url, param)
    elif number > 2:
        previous = replace_query_param(url, param, number - 1)
    return {
        "next": replace_query_param(url, param, number + 1) if more else None,
        "previous": previous,
    }


# `GET <report>/export/?format=xlsx|csv|pdf`: every row of the report as a file, the filters in
# use in its title rows, no value column without the cost permission. No docstring: the schema
# describes an export by its report's.
class _ExportView:
    content_negotiation_class = IgnoreFormatParam
    title = ""
    filename = ""

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        raise NotImplementedError

    def filters(self, query: dict) -> list[tuple[str, str]]:
        return describe_filters(query)

    def totals(self, query: dict, rows: list[dict]) -> dict | None:
        return None

    def exported(self, fmt: str) -> exports.Exported:
        """Every row of the report for the request's user and query parameters. A report
        subscription renders the same through `reports.subscribable` (a request of its
        owner), so the mailed file is the one the owner would download."""
        query = self.query()  # type: ignore[attr-defined]
        rows = self.rows(query)  # type: ignore[attr-defined]
        return exports.Exported(
            title=str(self.title),
            filename=self.filename,
            columns=self.columns(
                query,
                show_cost=can_see_cost(self.request.user),  # type: ignore[attr-defined]
                fmt=fmt,
            ),
            rows=rows,
            filters=self.filters(query),
            totals=self.totals(query, rows),
        )

    def get(self, request):
        fmt = exports.check_format(request.query_params.get("format", "xlsx"))
        return exports.response(self.exported(fmt), fmt)


def _export_schema(query_serializer):
    return extend_schema_view(
        get=extend_schema(parameters=[query_serializer, FORMAT_PARAM], responses=FILE_RESPONSES)
    )


@extend_schema_view(
    get=extend_schema(parameters=[StockSummaryQuery], responses=StockSummarySerializer)
)
class StockSummaryView(_DatabasePagedView):
    """进销存汇总表: opening, inflows and outflows by kind, closing, per SKU (or per warehouse ×
    SKU, warehouse, category, brand) over a period, exactly as in the ledger."""

    required_permission = "inventory.view_stockmove"
    query_serializer = StockSummaryQuery
    row_serializer = StockSummaryRowSerializer

    def _arguments(self, query: dict) -> dict:
        return {
            "user": self.request.user,
            "period": selectors.Period(query["date_from"], query["date_to"]),
            "filters": stock_filters(self.request.user, query),
            "group_by": query["group_by"],
        }

    def rows(self, query: dict) -> list[dict]:
        return selectors.stock_summary(**self._arguments(query))

    def page(self, query: dict, offset: int, limit: int) -> selectors.ReportPage:
        return selectors.stock_summary_page(**self._arguments(query), offset=offset, limit=limit)

    def page_extra(self, query: dict, page: selectors.ReportPage, context: dict) -> dict:
        return {
            "date_from": query["date_from"],
            "date_to": query["date_to"],
            "group_by": query["group_by"],
            "kinds": _kinds(),
            "totals": SummaryFiguresSerializer(page.totals, context=context).data,
        }


@_export_schema(StockSummaryQuery)
class StockSummaryExportView(_ExportView, StockSummaryView):
    title = _("Stock summary")
    filename = "stock-summary"

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        return summary_columns(query["group_by"], show_cost=show_cost, detailed=fmt != "pdf")

    def totals(self, query: dict, rows: list[dict]) -> dict | None:
        first = _group_columns(query["group_by"])[0].key
        label = {"sku_code": "sku_code", "warehouse": "warehouse_code"}.get(first, f"{first}_code")
        return selectors.summary_totals(rows) | {label: gettext("Total")}


# ------------------------------------------------------------------ stock status


class StockStatusQuery(StockFilterQuery):
    group_by = serializers.ChoiceField(
        choices=selectors.GROUP_STATUS,
        default=selectors.GROUP_WAREHOUSE_SKU,
        help_text=_("warehouse_sku: per warehouse and SKU; sku: per SKU across warehouses."),
    )
    only = serializers.ChoiceField(
        choices=selectors.ONLY_CHOICES,
        required=False,
        help_text=_(
            "Only the rows below safety stock, above max stock, or without outflow in "
            "no_outflow_days (slow-moving and dead stock)."
        ),
    )
    no_outflow_days = serializers.IntegerField(
        min_value=1,
        max_value=3650,
        default=90,
        help_text=_("Stock on hand without sales, stock-outs or transfers out in this many days."),
    )


class StockStatusRowSerializer(CostHidingSerializer):
    warehouse = serializers.IntegerField(source="warehouse_id", allow_null=True, default=None)
    warehouse_code = serializers.CharField(allow_null=True, default=None)
    warehouse_name = serializers.CharField(allow_null=True, default=None)
    sku = serializers.IntegerField(source="sku_id")
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()
    unit_name = serializers.CharField()
    unit_precision = serializers.IntegerField()
    category_name = serializers.CharField(allow_null=True)
    brand_name = serializers.CharField(allow_null=True)
    on_hand = _qty()
    reserved = _qty()
    available = _qty()
    in_transit = _qty(help_text=_("Shipped towards it on transfers, not yet received."))
    on_order = _qty(help_text=_("Still expected on open purchase orders, in the base unit."))
    safety_stock = _qty()
    max_stock = _qty(allow_null=True)
    value = _money()
    demand_30d = _qty(help_text=_("Sales, stock-outs and transfers out of the last 30 days."))
    days_of_cover = serializers.DecimalField(
        max_digits=12,
        decimal_places=1,
        allow_null=True,
        help_text=_("Available ÷ the daily demand of the last 30 days; null without demand."),
    )
    below_safety_stock = serializers.BooleanField()
    above_max_stock = serializers.BooleanField()
    no_outflow = serializers.BooleanField()


class ValueByRowSerializer(CostHidingSerializer):
    key = serializers.IntegerField(allow_null=True)
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    on_hand = _qty()
    value = _money()


class StockStatusTotalsSerializer(CostHidingSerializer):
    value = _money()
    rows = serializers.IntegerField()
    below_safety_stock = serializers.IntegerField()
    above_max_stock = serializers.IntegerField()
    no_outflow = serializers.IntegerField()


class StockStatusSerializer(ReportPage):
    totals = StockStatusTotalsSerializer()
    by_category = ValueByRowSerializer(many=True)
    by_warehouse = ValueByRowSerializer(many=True)
    results = StockStatusRowSerializer(many=True)


def _status_columns(group_by: str, show_cost: bool) -> list[ReportColumn]:
    columns = [] if group_by == selectors.GROUP_SKU else [_group_columns("warehouse")[0]]
    columns += _group_columns(selectors.GROUP_SKU)
    columns += [
        ReportColumn("on_hand", gettext("On hand"), _get("on_hand"), QTY),
        ReportColumn("reserved", gettext("Reserved"), _get("reserved"), QTY),
        ReportColumn("available", gettext("Available"), _get("available"), QTY),
        ReportColumn("in_transit", gettext("In transit"), _get("in_transit"), QTY),
        ReportColumn("on_order", gettext("On order"), _get("on_order"), QTY),
        ReportColumn("safety_stock", gettext("Safety stock"), _get("safety_stock"), QTY),
        ReportColumn("max_stock", gettext("Max stock"), _get("max_stock"), QTY),
    ]
    if show_cost:
        columns.append(ReportColumn("value", gettext("Value"), _get("value"), MONEY))
    columns += [
        ReportColumn("demand_30d", gettext("Outflow, 30 days"), _get("demand_30d"), QTY),
        ReportColumn("days_of_cover", gettext("Days of cover"), _get("days_of_cover"), PRICE),
    ]
    return columns


@extend_schema_view(
    get=extend_schema(parameters=[StockStatusQuery], responses=StockStatusSerializer)
)
class StockStatusView(_DatabasePagedView):
    """库存现状: on hand, reserved, available, in transit, value and days of cover per
    warehouse × SKU (or SKU), with the flags below safety stock, above max stock and no
    outflow in N days, and the value per category and per warehouse."""

    required_permission = "inventory.view_stockbalance"
    query_serializer = StockStatusQuery
    row_serializer = StockStatusRowSerializer

    def _arguments(self, query: dict) -> dict:
        return {
            "user": self.request.user,
            "filters": stock_filters(self.request.user, query),
            "group_by": query["group_by"],
            "only": query.get("only"),
            "no_outflow_days": query["no_outflow_days"],
        }

    def rows(self, query: dict) -> list[dict]:
        return selectors.stock_status(**self._arguments(query))

    def page(self, query: dict, offset: int, limit: int) -> selectors.ReportPage:
        return selectors.stock_status_page(**self._arguments(query), offset=offset, limit=limit)

    def page_extra(self, query: dict, page: selectors.ReportPage, context: dict) -> dict:
        user = self.request.user
        filters = stock_filters(user, query)
        return {
            "totals": StockStatusTotalsSerializer(page.totals, context=context).data,
            **{
                f"by_{dimension}": ValueByRowSerializer(
                    selectors.stock_value_by(user=user, filters=filters, dimension=dimension),
                    many=True,
                    context=context,
                ).data
                for dimension in ("category", "warehouse")
            },
        }


@_export_schema(StockStatusQuery)
class StockStatusExportView(_ExportView, StockStatusView):
    title = _("Stock status")
    filename = "stock-status"

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        return _status_columns(query["group_by"], show_cost)


class StockAgeingQuery(StockFilterQuery):
    group_by = serializers.ChoiceField(
        choices=selectors.GROUP_STATUS, default=selectors.GROUP_WAREHOUSE_SKU
    )


class AgeingBucketSerializer(CostHidingSerializer):
    quantity = _qty()
    value = _money()


class StockAgeingRowSerializer(CostHidingSerializer):
    warehouse = serializers.IntegerField(source="warehouse_id", allow_null=True, default=None)
    warehouse_code = serializers.CharField(allow_null=True, default=None)
    warehouse_name = serializers.CharField(allow_null=True, default=None)
    sku = serializers.IntegerField(source="sku_id")
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()
    unit_name = serializers.CharField()
    unit_precision = serializers.IntegerField()
    on_hand = _qty()
    value = _money()
    buckets = AgeingBucketSerializer(
        many=True,
        help_text=_("0–30, 31–60, 61–90, 91–180, 181–365 and over 365 days since receipt."),
    )


class StockAgeingSerializer(ReportPage):
    bucket_days = serializers.ListField(child=serializers.IntegerField())
    totals = AgeingBucketSerializer(many=True)
    results = StockAgeingRowSerializer(many=True)


def _bucket_titles() -> list[str]:
    titles, low = [], 0
    for limit in selectors.AGEING_BUCKETS:
        titles.append(gettext("%(low)s–%(high)s days") % {"low": low, "high": limit})
        low = limit + 1
    titles.append(gettext("Over %(days)s days") % {"days": selectors.AGEING_BUCKETS[-1]})
    return titles


def _bucket(index: int, field: str):
    return lambda row: row["buckets"][index][field]


@extend_schema_view(
    get=extend_schema(parameters=[StockAgeingQuery], responses=StockAgeingSerializer)
)
class StockAgeingView(_DatabasePagedView):
    """Stock ageing: the stock on hand split by days since its receipt (FIFO layers)."""

    required_permission = "inventory.view_stockbalance"
    query_serializer = StockAgeingQuery
    row_serializer = StockAgeingRowSerializer

    def _arguments(self, query: dict) -> dict:
        return {
            "user": self.request.user,
            "filters": stock_filters(self.request.user, query),
            "group_by": query["group_by"],
        }

    def rows(self, query: dict) -> list[dict]:
        return selectors.stock_ageing(**self._arguments(query))

    def page(self, query: dict, offset: int, limit: int) -> selectors.ReportPage:
        return selectors.stock_ageing_page(**self._arguments(query), offset=offset, limit=limit)

    def page_extra(self, query: dict, page: selectors.ReportPage, context: dict) -> dict:
        return {
            "bucket_days": list(selectors.AGEING_BUCKETS),
            "totals": AgeingBucketSerializer(
                page.totals["buckets"], many=True, context=context
            ).data,
        }


@_export_schema(StockAgeingQuery)
class StockAgeingExportView(_ExportView, StockAgeingView):
    title = _("Stock ageing")
    filename = "stock-ageing"

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        columns = (
            [] if query["group_by"] == selectors.GROUP_SKU else [_group_columns("warehouse")[0]]
        )
        columns += _group_columns(selectors.GROUP_SKU)
        columns.append(ReportColumn("on_hand", gettext("On hand"), _get("on_hand"), QTY))
        for index, title in enumerate(_bucket_titles()):
            columns.append(ReportColumn(f"b{index}", title, _bucket(index, "quantity"), QTY))
            if show_cost:
                value_title = gettext("%(figure)s value") % {"figure": title}
                columns.append(
                    ReportColumn(f"b{index}_value", value_title, _bucket(index, "value"), MONEY)
                )
        return columns


class ExpiringQuery(StockFilterQuery):
    days = serializers.IntegerField(
        min_value=0,
        max_value=3650,
        default=30,
        help_text=_("Batches expiring within this many days (expired ones included)."),
    )


class ExpiringRowSerializer(CostHidingSerializer):
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField()
    warehouse_name = serializers.CharField()
    sku = serializers.IntegerField(source="sku_id")
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()
    unit_name = serializers.CharField()
    unit_precision = serializers.IntegerField()
    batch = serializers.IntegerField(source="batch_id")
    batch_no = serializers.CharField()
    expiry_date = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    on_hand = _qty(source="qty_on_hand")
    available = _qty(source="qty_available")
    value = _money(source="stock_value")


ExpiringSerializer = report_page("ExpiringSerializer", ExpiringRowSerializer)


@extend_schema_view(get=extend_schema(parameters=[ExpiringQuery], responses=ExpiringSerializer))
class ExpiringView(_ReportView):
    """Batches on hand expiring within N days (expired ones included), soonest first."""

    required_permission = "inventory.view_stockbalance"
    query_serializer = ExpiringQuery
    row_serializer = ExpiringRowSerializer

    def rows(self, query: dict) -> list[dict]:
        user = self.request.user
        filters = stock_filters(user, query)
        today = timezone.localdate()
        rows = list(
            inventory_selectors.batches(
                user=user,
                expiring_within_days=query["days"],
                today=today,
                within=selectors.scoped_balances(user, filters).values("id"),
            )
        )
        for row in rows:
            expiry = row["expiry_date"]
            row["days_left"] = None if expiry is None else (expiry - today).days
        return rows


@_export_schema(ExpiringQuery)
class ExpiringExportView(_ExportView, ExpiringView):
    title = _("Batches near expiry")
    filename = "expiring-batches"

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        columns = [
            ReportColumn("expiry_date", gettext("Expiry date"), _get("expiry_date"), DATE),
            ReportColumn("days_left", gettext("Days left"), _get("days_left"), INT),
            _group_columns("warehouse")[0],
            *_group_columns(selectors.GROUP_SKU),
            ReportColumn("batch_no", gettext("Batch"), _get("batch_no")),
            ReportColumn("on_hand", gettext("On hand"), _get("qty_on_hand"), QTY),
            ReportColumn("available", gettext("Available"), _get("qty_available"), QTY),
        ]
        if show_cost:
            columns.append(ReportColumn("value", gettext("Value"), _get("stock_value"), MONEY))
        return columns

    def filters(self, query: dict) -> list[tuple[str, str]]:
        return [(gettext("Expiring within (days)"), str(query["days"]))] + describe_filters(
            {k: v for k, v in query.items() if k != "days"}
        )


# ------------------------------------------------------------------ turnover


class TurnoverQuery(StockSummaryQuery):
    group_by = serializers.ChoiceField(
        choices=selectors.TURNOVER_GROUPINGS,
        default=selectors.GROUP_SKU,
        help_text=_("sku: per SKU; warehouse, category, brand: one row per each."),
    )


class TurnoverFiguresSerializer(CostHidingSerializer):
    opening_quantity = _qty()
    opening_value = _money()
    closing_quantity = _qty()
    closing_value = _money()
    average_quantity = _qty(help_text=_("(Opening + closing) ÷ 2."))
    average_value = _money()
    consumed_quantity = _qty(help_text=_("Sales and other stock-outs in the period."))
    consumed_value = _money()
    turnover = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("Consumed ÷ average stock, by quantity; null without stock on average."),
    )
    days_of_inventory = serializers.DecimalField(
        max_digits=14,
        decimal_places=1,
        allow_null=True,
        help_text=_("The period's days ÷ turnover; null when nothing was consumed."),
    )
    turnover_by_value = CostField(max_digits=14, decimal_places=2, allow_null=True)
    days_of_inventory_by_value = CostField(max_digits=14, decimal_places=1, allow_null=True)


class TurnoverRowSerializer(
    WarehouseColumns, SkuColumns, CategoryColumns, BrandColumns, TurnoverFiguresSerializer
):
    """One row; the fields of the groupings not chosen are null."""


class TurnoverSerializer(ReportPage):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    totals = TurnoverFiguresSerializer()
    results = TurnoverRowSerializer(many=True)


@extend_schema_view(get=extend_schema(parameters=[TurnoverQuery], responses=TurnoverSerializer))
class TurnoverView(_ReportView):
    """库存周转率: per SKU (warehouse, category or brand) over a period, sales and other
    stock-outs against the average stock — turnover and days of inventory, by quantity and
    (with the cost permission) by value; slowest first."""

    required_permission = "inventory.view_stockmove"
    query_serializer = TurnoverQuery
    row_serializer = TurnoverRowSerializer

    def period(self, query: dict) -> selectors.Period:
        return selectors.Period(query["date_from"], query["date_to"])

    def rows(self, query: dict) -> list[dict]:
        return selectors.turnover(
            user=self.request.user,
            period=self.period(query),
            filters=stock_filters(self.request.user, query),
            group_by=query["group_by"],
        )

    def extra(self, query: dict, rows: list[dict], context: dict) -> dict:
        totals = selectors.turnover_totals(rows, self.period(query))
        return {
            "date_from": query["date_from"],
            "date_to": query["date_to"],
            "group_by": query["group_by"],
            "totals": TurnoverFiguresSerializer(totals, context=context).data,
        }


@_export_schema(TurnoverQuery)
class TurnoverExportView(_ExportView, TurnoverView):
    title = _("Inventory turnover")
    filename = "turnover"

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        def pair(key: str, title: str, value_kind=MONEY) -> list[ReportColumn]:
            columns = [ReportColumn(f"{key}_quantity", title, _get(f"{key}_quantity"), QTY)]
            if show_cost:
                value_title = gettext("%(figure)s value") % {"figure": title}
                columns.append(
                    ReportColumn(f"{key}_value", value_title, _get(f"{key}_value"), value_kind)
                )
            return columns

        columns = _group_columns(query["group_by"])
        columns += pair("opening", gettext("Opening"))
        columns += pair("closing", gettext("Closing"))
        columns += pair("average", gettext("Average stock"))
        columns += pair("consumed", gettext("Consumed"))
        columns += [
            ReportColumn("turnover", gettext("Turnover"), _get("turnover"), PRICE),
            ReportColumn(
                "days_of_inventory", gettext("Days of inventory"), _get("days_of_inventory"), PRICE
            ),
        ]
        if show_cost:
            columns += [
                ReportColumn(
                    "turnover_by_value",
                    gettext("Turnover by value"),
                    _get("turnover_by_value"),
                    PRICE,
                ),
                ReportColumn(
                    "days_of_inventory_by_value",
                    gettext("Days of inventory by value"),
                    _get("days_of_inventory_by_value"),
                    PRICE,
                ),
            ]
        return columns

    def totals(self, query: dict, rows: list[dict]) -> dict | None:
        first = _group_columns(query["group_by"])[0].key
        label = {"sku_code": "sku_code", "warehouse": "warehouse_code"}.get(first, f"{first}_code")
        totals = selectors.turnover_totals(rows, self.period(query))
        return totals | {label: gettext("Total")}
