"""Purchase reports under /api/v1/reports/: purchase analysis, the price trend of a SKU, open
purchase orders and overdue deliveries, and the supplier rating. Thin views over
`reports.purchases` and `purchasing.rating`; each has an xlsx/csv/PDF export like the stock
reports. Amounts are the company's purchase costs: null (no column in a file) without
`reports.view_cost`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from storeledger.accounts import scope
from storeledger.core.spreadsheets import DATE, INT, MONEY, PRICE, QTY, ReportColumn
from storeledger.org.models import Warehouse
from storeledger.partners.models import Supplier
from storeledger.purchasing import rating
from storeledger.reports import purchases
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
    describe_filters,
    report_page,
)
from storeledger.reports.selectors import Period

VIEW_RECEIPTS = "purchasing.view_purchasereceipt"
VIEW_ORDERS = "purchasing.view_purchaseorder"


class PurchaseFilterQuery(ScopeFilterQuery):
    supplier = serializers.IntegerField(required=False, min_value=1)


def purchase_filters(user, query: dict) -> purchases.PurchaseFilters:
    if query.get("warehouse"):
        scope.ensure_warehouses(user, [query["warehouse"]])
    if query.get("store"):
        scope.ensure_stores(user, [query["store"]])
    return purchases.PurchaseFilters(
        warehouse_id=query.get("warehouse"),
        store_id=query.get("store"),
        supplier_id=query.get("supplier"),
        category_id=query.get("category"),
        sku_id=query.get("sku"),
        search=query.get("search", ""),
    )


def _describe(query: dict) -> list[tuple[str, str]]:
    described = describe_filters({k: v for k, v in query.items() if k != "group_by"})
    if query.get("supplier"):
        found = Supplier.objects.filter(pk=query["supplier"]).first()
        described.append((gettext("Supplier"), str(found or query["supplier"])))
    return described


# ------------------------------------------------------------------ purchase analysis


class PurchaseAnalysisQuery(PurchaseFilterQuery, PeriodQuery):
    group_by = serializers.ChoiceField(
        choices=purchases.PURCHASE_GROUPINGS,
        default=purchases.GROUP_SUPPLIER,
        help_text=_("supplier, sku, category or month: one row per each."),
    )


class PurchaseFiguresSerializer(CostHidingSerializer):
    receipts = serializers.IntegerField(allow_null=True)
    lines = serializers.IntegerField()
    value = _money(help_text=_("Accepted quantity at the receipt's net cost."))
    rejected_value = _money()


class SupplierColumns(serializers.Serializer):
    supplier = serializers.IntegerField(source="supplier_id", allow_null=True, default=None)
    supplier_code = serializers.CharField(allow_null=True, default=None)
    supplier_name = serializers.CharField(allow_null=True, default=None)


class PurchaseRowSerializer(
    SupplierColumns, SkuColumns, CategoryColumns, PurchaseFiguresSerializer
):
    """One row; the fields of the groupings not chosen are null."""

    month = serializers.DateField(allow_null=True, default=None)
    quantity = _qty(allow_null=True, help_text=_("In the base unit; per SKU only."))
    average_cost = CostField(
        max_digits=18, decimal_places=4, read_only=True, allow_null=True, default=None
    )
    share = CostField(  # a split of the values: hidden with them
        max_digits=5,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text=_("Percent of the period's value; null without the permission to see costs."),
    )


class MonthValueSerializer(CostHidingSerializer):
    month = serializers.DateField()
    value = _money()
    lines = serializers.IntegerField()


class PurchaseAnalysisSerializer(ReportPage):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    totals = PurchaseFiguresSerializer()
    by_month = MonthValueSerializer(many=True)
    results = PurchaseRowSerializer(many=True)


@extend_schema_view(
    get=extend_schema(parameters=[PurchaseAnalysisQuery], responses=PurchaseAnalysisSerializer)
)
class PurchaseAnalysisView(_ReportView):
    """采购分析: posted purchase receipts of a period per supplier, SKU, category or month —
    receipts, lines, the accepted value at net cost, the rejected value and each group's
    share; the value per month for the chart."""

    required_permission = VIEW_RECEIPTS
    query_serializer = PurchaseAnalysisQuery
    row_serializer = PurchaseRowSerializer

    def arguments(self, query: dict) -> dict:
        return {
            "user": self.request.user,
            "period": Period(query["date_from"], query["date_to"]),
            "filters": purchase_filters(self.request.user, query),
        }

    def rows(self, query: dict) -> list[dict]:
        return purchases.purchases(**self.arguments(query), group_by=query["group_by"])

    def totals_of(self, query: dict, rows: list[dict]) -> dict:
        receipts = purchases.receipt_count(**self.arguments(query))
        return purchases.purchase_totals(rows, receipts=receipts)

    def extra(self, query: dict, rows: list[dict], context: dict) -> dict:
        months = purchases.by_month(**self.arguments(query))
        return {
            "date_from": query["date_from"],
            "date_to": query["date_to"],
            "group_by": query["group_by"],
            "totals": PurchaseFiguresSerializer(self.totals_of(query, rows), context=context).data,
            "by_month": MonthValueSerializer(months, many=True, context=context).data,
        }


_PURCHASE_GROUP_COLUMNS = {
    purchases.GROUP_SUPPLIER: lambda: [
        ReportColumn("supplier_code", gettext("Supplier"), _name("supplier"), width=30)
    ],
    purchases.GROUP_SKU: lambda: [
        ReportColumn("sku_code", gettext("SKU code"), _get("sku_code")),
        ReportColumn("sku_name", gettext("SKU"), _get("sku_name"), width=30),
        ReportColumn("unit_name", gettext("Unit"), _get("unit_name"), width=6),
    ],
    purchases.GROUP_CATEGORY: lambda: [
        ReportColumn("category_code", gettext("Category"), _name("category"), width=24)
    ],
    purchases.GROUP_MONTH: lambda: [ReportColumn("month", gettext("Month"), _get("month"), DATE)],
}


@_export_schema(PurchaseAnalysisQuery)
class PurchaseAnalysisExportView(_ExportView, PurchaseAnalysisView):
    title = _("Purchase analysis")
    filename = "purchases"

    def filters(self, query: dict) -> list[tuple[str, str]]:
        return _describe(query)

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        columns = _PURCHASE_GROUP_COLUMNS[query["group_by"]]()
        columns += [
            ReportColumn("receipts", gettext("Receipts"), _get("receipts"), INT),
            ReportColumn("lines", gettext("Lines"), _get("lines"), INT),
        ]
        if query["group_by"] == purchases.GROUP_SKU:
            columns.append(ReportColumn("quantity", gettext("Quantity"), _get("quantity"), QTY))
        if show_cost:
            if query["group_by"] == purchases.GROUP_SKU:
                columns.append(
                    ReportColumn(
                        "average_cost", gettext("Average cost"), _get("average_cost"), PRICE
                    )
                )
            columns += [
                ReportColumn("value", gettext("Value"), _get("value"), MONEY),
                ReportColumn(
                    "rejected_value", gettext("Rejected value"), _get("rejected_value"), MONEY
                ),
                ReportColumn("share", gettext("Share (%)"), _get("share"), PRICE),
            ]
        return columns

    def totals(self, query: dict, rows: list[dict]) -> dict | None:
        first = _PURCHASE_GROUP_COLUMNS[query["group_by"]]()[0].key
        return self.totals_of(query, rows) | {first: gettext("Total")}


# ------------------------------------------------------------------ price trend


class PriceTrendQuery(PeriodQuery):
    sku = serializers.IntegerField(min_value=1)
    warehouse = serializers.IntegerField(required=False, min_value=1)
    store = serializers.IntegerField(required=False, min_value=1)
    supplier = serializers.IntegerField(required=False, min_value=1)


class PriceTrendRowSerializer(CostHidingSerializer):
    date = serializers.DateField()
    receipt_number = serializers.CharField()
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()
    quantity = _qty()
    unit_cost = CostField(max_digits=18, decimal_places=4, read_only=True, allow_null=True)


PriceTrendSerializer = report_page("PriceTrendSerializer", PriceTrendRowSerializer)


@extend_schema_view(get=extend_schema(parameters=[PriceTrendQuery], responses=PriceTrendSerializer))
class PriceTrendView(_ReportView):
    """采购价格走势: every receipt of one SKU in the period — date, supplier, quantity and net
    cost per base unit — oldest first."""

    required_permission = VIEW_RECEIPTS
    query_serializer = PriceTrendQuery
    row_serializer = PriceTrendRowSerializer

    def rows(self, query: dict) -> list[dict]:
        return purchases.price_trend(
            user=self.request.user,
            period=Period(query["date_from"], query["date_to"]),
            filters=purchase_filters(self.request.user, query),
        )


# ------------------------------------------------------------------ open orders


class OpenOrdersQuery(PurchaseFilterQuery):
    overdue = serializers.BooleanField(
        required=False, default=False, help_text=_("Only lines past their expected date.")
    )


class OpenOrderLineSerializer(CostHidingSerializer):
    order = serializers.IntegerField(source="order_id")
    order_number = serializers.CharField()
    order_status = serializers.CharField()
    line_no = serializers.IntegerField()
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField()
    warehouse_name = serializers.CharField()
    sku = serializers.IntegerField(source="sku_id")
    sku_code = serializers.CharField()
    sku_name = serializers.CharField()
    unit_name = serializers.CharField()
    ordered_quantity = _qty()
    received_quantity = _qty()
    open_quantity = _qty()
    open_value = _money()
    expected_date = serializers.DateField(allow_null=True)
    days_overdue = serializers.IntegerField()


class OpenOrdersSerializer(ReportPage):
    overdue_lines = serializers.IntegerField()
    results = OpenOrderLineSerializer(many=True)


@extend_schema_view(get=extend_schema(parameters=[OpenOrdersQuery], responses=OpenOrdersSerializer))
class OpenOrdersView(_ReportView):
    """未到货采购订单: lines of approved, sent and partially received orders still expecting
    goods, with open quantity and value and the days overdue; most overdue first."""

    required_permission = VIEW_ORDERS
    query_serializer = OpenOrdersQuery
    row_serializer = OpenOrderLineSerializer

    def rows(self, query: dict) -> list[dict]:
        return purchases.open_order_lines(
            user=self.request.user,
            filters=purchase_filters(self.request.user, query),
            overdue_only=query["overdue"],
            today=timezone.localdate(),
        )

    def extra(self, query: dict, rows: list[dict], context: dict) -> dict:
        return {"overdue_lines": sum(1 for row in rows if row["days_overdue"] > 0)}


@_export_schema(OpenOrdersQuery)
class OpenOrdersExportView(_ExportView, OpenOrdersView):
    title = _("Open purchase orders")
    filename = "open-purchase-orders"

    def filters(self, query: dict) -> list[tuple[str, str]]:
        described = _describe(query)
        if query.get("overdue"):
            described.append((gettext("Overdue only"), gettext("Yes")))
        return described

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        columns = [
            ReportColumn("order_number", gettext("Purchase order"), _get("order_number")),
            ReportColumn("supplier_code", gettext("Supplier"), _name("supplier"), width=24),
            ReportColumn("warehouse_code", gettext("Warehouse"), _name("warehouse"), width=18),
            ReportColumn("sku_code", gettext("SKU code"), _get("sku_code")),
            ReportColumn("sku_name", gettext("SKU"), _get("sku_name"), width=28),
            ReportColumn("unit_name", gettext("Unit"), _get("unit_name"), width=6),
            ReportColumn("ordered_quantity", gettext("Ordered"), _get("ordered_quantity"), QTY),
            ReportColumn("received_quantity", gettext("Received"), _get("received_quantity"), QTY),
            ReportColumn("open_quantity", gettext("Open"), _get("open_quantity"), QTY),
        ]
        if show_cost:
            columns.append(
                ReportColumn("open_value", gettext("Open value"), _get("open_value"), MONEY)
            )
        columns += [
            ReportColumn("expected_date", gettext("Expected"), _get("expected_date"), DATE),
            ReportColumn("days_overdue", gettext("Days overdue"), _get("days_overdue"), INT),
        ]
        return columns


# ------------------------------------------------------------------ supplier rating


class SupplierRatingQuery(PeriodQuery):
    warehouse = serializers.IntegerField(required=False, min_value=1)
    store = serializers.IntegerField(required=False, min_value=1)
    supplier = serializers.IntegerField(required=False, min_value=1)


def _percent(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, read_only=True, **kwargs
    )


class SupplierRatingRowSerializer(CostHidingSerializer):
    rank = serializers.IntegerField(allow_null=True)
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()
    score = _percent(help_text=_("Weighted mean of the figures present, 0–100."))
    on_time = _percent(help_text=_("Receipt lines on or before the expected date, %."))
    fill_rate = _percent(help_text=_("Value of due order lines received, %."))
    quality = _percent(help_text=_("100 − rejected and returned value ÷ delivered value, %."))
    price_index = _percent(help_text=_("Charged ÷ the average of all suppliers × 100."))
    price = _percent(help_text=_("100 × average ÷ charged, at most 100."))
    receipt_lines = serializers.IntegerField()
    received_value = _money()
    returned_value = _money()


class RatingWeightsSerializer(serializers.Serializer):
    on_time = serializers.DecimalField(max_digits=5, decimal_places=2)
    fill_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    quality = serializers.DecimalField(max_digits=5, decimal_places=2)
    price = serializers.DecimalField(max_digits=5, decimal_places=2)


class SupplierRatingSerializer(ReportPage):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    weights = RatingWeightsSerializer()
    results = SupplierRatingRowSerializer(many=True)


@extend_schema_view(
    get=extend_schema(parameters=[SupplierRatingQuery], responses=SupplierRatingSerializer)
)
class SupplierRatingView(_ReportView):
    """供应商评分: per supplier over a period, on-time delivery, fill rate, quality and price
    against other suppliers of the same SKUs, and their weighted score (weights in the
    company settings); best first."""

    required_permission = VIEW_RECEIPTS
    query_serializer = SupplierRatingQuery
    row_serializer = SupplierRatingRowSerializer

    def rows(self, query: dict) -> list[dict]:
        user = self.request.user
        if query.get("warehouse"):
            scope.ensure_warehouses(user, [query["warehouse"]])
            warehouses = [query["warehouse"]]
        else:
            warehouses = scope.warehouse_ids(user)
        if query.get("store"):
            scope.ensure_stores(user, [query["store"]])
            in_store = Warehouse.objects.filter(store_id=query["store"]).values_list(
                "id", flat=True
            )
            warehouses = [w for w in in_store if warehouses is None or w in warehouses]
        return rating.supplier_ratings(
            date_from=query["date_from"],
            date_to=query["date_to"],
            warehouse_ids=warehouses,
            supplier_ids=[query["supplier"]] if query.get("supplier") else None,
        )

    def extra(self, query: dict, rows: list[dict], context: dict) -> dict:
        weights = rating.Weights.of_company()
        return {
            "date_from": query["date_from"],
            "date_to": query["date_to"],
            "weights": RatingWeightsSerializer(weights).data,
        }


@_export_schema(SupplierRatingQuery)
class SupplierRatingExportView(_ExportView, SupplierRatingView):
    title = _("Supplier rating")
    filename = "supplier-rating"

    def filters(self, query: dict) -> list[tuple[str, str]]:
        return _describe(query)

    def columns(self, query: dict, *, show_cost: bool, fmt: str) -> list[ReportColumn]:
        columns = [
            ReportColumn("rank", gettext("Rank"), _get("rank"), INT),
            ReportColumn("supplier_code", gettext("Supplier"), _name("supplier"), width=28),
            ReportColumn("score", gettext("Score"), _get("score"), PRICE),
            ReportColumn("on_time", gettext("On time (%)"), _get("on_time"), PRICE),
            ReportColumn("fill_rate", gettext("Fill rate (%)"), _get("fill_rate"), PRICE),
            ReportColumn("quality", gettext("Quality (%)"), _get("quality"), PRICE),
            ReportColumn("price_index", gettext("Price index"), _get("price_index"), PRICE),
            ReportColumn("receipt_lines", gettext("Receipt lines"), _get("receipt_lines"), INT),
        ]
        if show_cost:
            columns += [
                ReportColumn(
                    "received_value", gettext("Delivered value"), _get("received_value"), MONEY
                ),
                ReportColumn(
                    "returned_value", gettext("Returned value"), _get("returned_value"), MONEY
                ),
            ]
        return columns
