"""Returns statistics under /api/v1/reports/returns/: returned quantity and value per reason,
SKU, category, supplier or month with the return rate, the value per month for the chart, the
return lines behind a figure (`lines/`) and the exports. Thin views over `reports.returns`;
values are null (no column in a file) without `reports.view_cost`. `side` chooses the kind
of return: purchase returns now (sales returns register in `reports.returns.SIDES`)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from storeledger.accounts import scope
from storeledger.core.errors import PermissionDenied, ValidationFailed
from storeledger.core.spreadsheets import DATE, INT, MONEY, PRICE, QTY, ReportColumn
from storeledger.reports import returns
from storeledger.reports.api import (
    CategoryColumns,
    CostField,
    CostHidingSerializer,
    PeriodQuery,
    ReportPage,
    ScopeFilterQuery,
    SkuColumns,
    _export_schema,
    _ExportView,
    _get,
    _money,
    _name,
    _qty,
    _ReportView,
    report_page,
)
from storeledger.reports.purchase_api import _describe
from storeledger.reports.selectors import Period

PURCHASE = "purchase"


class ReturnFilterQuery(ScopeFilterQuery, PeriodQuery):
    side = serializers.ChoiceField(
        choices=list(returns.SIDES),
        default=PURCHASE,
        help_text=_("The kind of return: purchase (to suppliers)."),
    )
    supplier = serializers.IntegerField(required=False, min_value=1)
    reason = serializers.CharField(
        required=False, max_length=200, help_text=_("Only returns with this reason.")
    )
    no_reason = serializers.BooleanField(
        required=False, default=False, help_text=_("Only returns without a reason.")
    )


class ReturnsQuery(ReturnFilterQuery):
    group_by = serializers.ChoiceField(
        choices=returns.RETURN_GROUPINGS,
        default=returns.GROUP_REASON,
        help_text=_("reason, sku, category, supplier or month: one row per each."),
    )


def _side(user, query: dict) -> returns.ReturnSide:
    side = returns.SIDES[query["side"]]
    if not user.has_perm(side.permission):
        raise PermissionDenied()
    group_by = query.get("group_by")
    if group_by in returns.PARTNERS and group_by != side.partner:
        message = gettext("This kind of return has no %(grouping)s.") % {"grouping": group_by}
        raise ValidationFailed(message, fields={"group_by": [message]})
    return side


def _filters(user, query: dict) -> returns.ReturnFilters:
    if query.get("warehouse"):
        scope.ensure_warehouses(user, [query["warehouse"]])
    if query.get("store"):
        scope.ensure_stores(user, [query["store"]])
    return returns.ReturnFilters(
        warehouse_id=query.get("warehouse"),
        store_id=query.get("store"),
        partner_id=query.get("supplier"),
        category_id=query.get("category"),
        sku_id=query.get("sku"),
        reason="" if query["no_reason"] else query.get("reason"),
        search=query.get("search", ""),
    )


class ReturnFiguresSerializer(CostHidingSerializer):
    documents = serializers.IntegerField(allow_null=True)
    lines = serializers.IntegerField()
    quantity = _qty(help_text=_("In base units."))
    value = _money(help_text=_("At the cost the goods came in with."))


class PartnerColumns(serializers.Serializer):
    partner = serializers.IntegerField(source="partner_id", allow_null=True, default=None)
    partner_code = serializers.CharField(allow_null=True, default=None)
    partner_name = serializers.CharField(allow_null=True, default=None)


class ReturnRowSerializer(SkuColumns, CategoryColumns, PartnerColumns, ReturnFiguresSerializer):
    """One row; the fields of the groupings not chosen are null."""

    reason = serializers.CharField(allow_null=True, default=None)
    month = serializers.DateField(allow_null=True, default=None)
    base_quantity = _qty(
        allow_null=True,
        help_text=_("What came in in the period (received); null per reason."),
    )
    base_value = _money()
    return_rate = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        allow_null=True,
        help_text=_("Returned ÷ received quantity, %; null without a base."),
    )
    return_rate_by_value = CostField(max_digits=7, decimal_places=1, allow_null=True)


class MonthReturnSerializer(CostHidingSerializer):
    month = serializers.DateField()
    quantity = _qty()
    value = _money()
    lines = serializers.IntegerField()


class ReturnsSerializer(ReportPage):
    side = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    totals = ReturnFiguresSerializer()
    by_month = MonthReturnSerializer(many=True)
    results = ReturnRowSerializer(many=True)


@extend_schema_view(get=extend_schema(parameters=[ReturnsQuery], responses=ReturnsSerializer))
class ReturnsView(_ReportView):
    """退货统计: posted returns of a period per reason, SKU, category, supplier or month —
    documents, lines, quantity, value at cost and the return rate against what was received
    in the period; the quantity and value per month for the chart. Largest first."""

    required_permission = "purchasing.view_purchasereturn"
    query_serializer = ReturnsQuery
    row_serializer = ReturnRowSerializer

    def arguments(self, query: dict) -> dict:
        user = self.request.user
        return {
            "user": user,
            "side": _side(user, query),
            "period": Period(query["date_from"], query["date_to"]),
            "filters": _filters(user, query),
        }

    def rows(self, query: dict) -> list[dict]:
        return returns.returns(**self.arguments(query), group_by=query["group_by"])

    def extra(self, query: dict, rows: list[dict], context: dict) -> dict:
        months = (
            rows
            if query["group_by"] == returns.GROUP_MONTH
            else returns.returns(**self.arguments(query), group_by=returns.GROUP_MONTH)
        )
        return {
            "side": query["side"],
            "date_from": query["date_from"],
            "date_to": query["date_to"],
            "group_by": query["group_by"],
            "totals": ReturnFiguresSerializer(returns.return_totals(rows), context=context).data,
            "by_month": MonthReturnSerializer(months, many=True, context=context).data,
        }


_GROUP_COLUMNS = {
    returns.GROUP_REASON: lambda: [
        ReportColumn("reason", gettext("Reason"), _reason, width=24),
    ],
    returns.GROUP_SKU: lambda: [
        ReportColumn("sku_code", gettext("SKU code"), _get("sku_code")),
        ReportColumn("sku_name", gettext("SKU"), _get("sku_name"), width=30),
        ReportColumn("unit_name", gettext("Unit"), _get("unit_name"), width=6),
    ],
    returns.GROUP_CATEGORY: lambda: [
        ReportColumn("category_code", gettext("Category"), _name("category"), width=24)
    ],
    "supplier": lambda: [
        ReportColumn("partner_code", gettext("Supplier"), _name("partner"), width=30)
    ],
    returns.GROUP_MONTH: lambda: [ReportColumn("month", gettext("Month"), _get("month"), DATE)],
}


def _reason(row: dict) -> str | None:
    if "reason" not in row:
        return None
    return row["reason"] or gettext("(no reason)")


def _describe_returns(query: dict) -> list[tuple[str, str]]:
    hidden = ("reason", "no_reason", "side")
    described = _describe({k: v for k, v in query.items() if k not in hidden})
    if query.get("no_reason"):
        described.append((gettext("Reason"), gettext("(no reason)")))
    elif query.get("reason"):
        described.append((gettext("Reason"), query["reason"]))
    return described


@_export_schema(ReturnsQuery)
class ReturnsExportView(_ExportView, ReturnsView):
    title = _("Returns statistics")
    filename = "returns"

    def filters(self, query: dict) -> list[tuple[str, str]]:
        return _describe_returns(query)

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        columns = _GROUP_COLUMNS[query["group_by"]]()
        columns += [
            ReportColumn("documents", gettext("Documents"), _get("documents"), INT),
            ReportColumn("lines", gettext("Lines"), _get("lines"), INT),
            ReportColumn("quantity", gettext("Returned"), _get("quantity"), QTY),
        ]
        if show_cost:
            columns.append(ReportColumn("value", gettext("Returned value"), _get("value"), MONEY))
        if query["group_by"] != returns.GROUP_REASON:
            columns += [
                ReportColumn("base_quantity", gettext("Received"), _get("base_quantity"), QTY),
                ReportColumn("return_rate", gettext("Return rate (%)"), _get("return_rate"), PRICE),
            ]
            if show_cost:
                columns += [
                    ReportColumn(
                        "base_value", gettext("Received value"), _get("base_value"), MONEY
                    ),
                    ReportColumn(
                        "return_rate_by_value",
                        gettext("Return rate by value (%)"),
                        _get("return_rate_by_value"),
                        PRICE,
                    ),
                ]
        return columns

    def totals(self, query: dict, rows: list[dict]) -> dict | None:
        first = _GROUP_COLUMNS[query["group_by"]]()[0].key
        return returns.return_totals(rows) | {first: gettext("Total")}


# ------------------------------------------------------------------ the lines behind a figure


class ReturnLineSerializer(SkuColumns, PartnerColumns, CostHidingSerializer):
    id = serializers.IntegerField()
    side = serializers.CharField()
    document_id = serializers.IntegerField()
    document_number = serializers.CharField()
    document_status = serializers.CharField()
    date = serializers.DateField()
    reason = serializers.CharField()
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField()
    warehouse_name = serializers.CharField()
    batch_no = serializers.CharField(allow_null=True)
    quantity = _qty(help_text=_("In base units; negative on a reversing document."))
    value = _money()


ReturnLinesSerializer = report_page("ReturnLinesSerializer", ReturnLineSerializer)


@extend_schema_view(
    get=extend_schema(parameters=[ReturnFilterQuery], responses=ReturnLinesSerializer)
)
class ReturnLinesView(_ReportView):
    """The return lines behind a figure of the returns statistics (the same filters; a row's
    reason, SKU, category, supplier or month as a filter), newest first."""

    required_permission = "purchasing.view_purchasereturn"
    query_serializer = ReturnFilterQuery
    row_serializer = ReturnLineSerializer

    def rows(self, query: dict) -> list[dict]:
        user = self.request.user
        return returns.return_lines(
            user=user,
            side=_side(user, query),
            period=Period(query["date_from"], query["date_to"]),
            filters=_filters(user, query),
        )
