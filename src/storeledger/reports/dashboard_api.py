"""`GET /api/v1/reports/dashboard/[?store=<id>]`: the dashboards (经营看板) — every store in the
user's scope with the figures of them together (head office), or one store. A thin view over
`reports.dashboard`; values, costs and amounts are null without `reports.view_cost`, the
purchasing and payables figures null without their module's permission."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES
from storeledger.reports import dashboard
from storeledger.reports.api import QueryView
from storeledger.reports.selectors import IN, OUT


def _money(**kwargs) -> serializers.DecimalField:
    kwargs.setdefault("help_text", _("Null without the permission to see costs."))
    return serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, allow_null=True, **kwargs
    )


def _count(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, **kwargs)


class ReportDashboardQuery(serializers.Serializer):
    store = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Only this store (403 outside your scope); without it, every store of yours."),
    )


class ReportDashboardFiguresSerializer(serializers.Serializer):
    stock_value = _money(help_text=_("Value on hand now (in-transit stock excluded)."))
    in_value = _money(help_text=_("Value of the stock-in of the period."))
    out_value = _money(help_text=_("Value of the stock-out of the period, as a positive amount."))
    consumed_value = _money(help_text=_("Sales and other stock-out of the period, at cost."))
    turnover = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        allow_null=True,
        help_text=_("Consumed ÷ average stock value over the period (as the turnover report)."),
    )
    days_of_inventory = serializers.DecimalField(
        max_digits=20,
        decimal_places=1,
        allow_null=True,
        help_text=_("The period's days ÷ turnover: days of cover at the period's pace."),
    )
    sku_count = serializers.IntegerField(help_text=_("SKUs with stock on hand."))
    below_safety_stock = serializers.IntegerField(
        help_text=_("Warehouse × SKU rows whose on hand is below the SKU's safety stock.")
    )
    negative_stock = serializers.IntegerField(help_text=_("Warehouse × SKU rows below zero."))
    zero_stock = serializers.IntegerField(help_text=_("Warehouse × SKU rows at zero."))
    expiring_batches = serializers.IntegerField(
        help_text=_("Batches on hand expiring within near_expiry_days (expired ones included).")
    )
    open_counts = serializers.IntegerField(help_text=_("Stock counts not posted nor cancelled."))
    transfers_in_transit = serializers.IntegerField(
        help_text=_("Transfers shipped to the store and not yet received in full.")
    )
    open_orders = _count(help_text=_("Purchase orders expecting goods (null without access)."))
    on_order_value = _money(help_text=_("Net value still expected on open orders."))
    pending_approvals = _count(help_text=_("Purchase orders awaiting approval."))
    overdue_orders = _count(help_text=_("Open orders with a line past its expected date."))
    receipts_month = _count(help_text=_("Purchase receipts posted this month."))
    receipts_month_value = _money()
    payables = _money(help_text=_("Owed to suppliers (null without access to payables)."))
    payables_overdue = _money(help_text=_("Owed and past its due date."))
    payables_due_soon = _money(help_text=_("Owed and due within the next 7 days."))


class ReportDashboardStoreSerializer(ReportDashboardFiguresSerializer):
    store = serializers.IntegerField(
        allow_null=True,
        help_text=_("Null: the central warehouses (of no store), head office only."),
    )
    store_code = serializers.CharField(allow_null=True)
    store_name = serializers.CharField(allow_null=True)


class ReportDashboardKindSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("A kind of flow of the stock summary."))
    direction = serializers.ChoiceField(choices=[IN, OUT])
    quantity = serializers.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    value = _money()


class ReportDashboardCategorySerializer(serializers.Serializer):
    category = serializers.IntegerField(allow_null=True, help_text=_("Null: uncategorised."))
    category_code = serializers.CharField(allow_null=True)
    category_name = serializers.CharField(allow_null=True)
    value = _money()


class ReportDashboardDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    stock_value = _money(help_text=_("Stock value at the end of the day."))
    in_value = _money()
    out_value = _money(help_text=_("As a positive amount."))


class ReportDashboardSectionsSerializer(serializers.Serializer):
    orders = serializers.BooleanField()
    receipts = serializers.BooleanField()
    payables = serializers.BooleanField()


class ReportDashboardSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("Today."))
    date_from = serializers.DateField(help_text=_("First day of the period (the last 30 days)."))
    date_to = serializers.DateField(help_text=_("Last day of the period (today)."))
    month_from = serializers.DateField(help_text=_("The 1st of this month (receipts)."))
    store = serializers.IntegerField(allow_null=True)
    show_cost = serializers.BooleanField(help_text=_("Whether values are shown."))
    sections = ReportDashboardSectionsSerializer(
        help_text=_("Which modules' figures the user may see (the others are null).")
    )
    near_expiry_days = serializers.IntegerField()
    totals = ReportDashboardFiguresSerializer(help_text=_("The stores together."))
    stores = ReportDashboardStoreSerializer(
        many=True,
        help_text=_("Each store in scope, by code; then the central warehouses (head office)."),
    )
    kinds = ReportDashboardKindSerializer(many=True, help_text=_("The period's flows per kind."))
    categories = ReportDashboardCategorySerializer(
        many=True, help_text=_("Top categories by stock value (empty without costs).")
    )
    trend = ReportDashboardDaySerializer(
        many=True, help_text=_("Each day of the period, today last.")
    )


class DashboardView(QueryView):
    """Key figures of your stores — together and per store — or of one store."""

    required_permission = "inventory.view_stockbalance"
    query_serializer = ReportDashboardQuery

    @extend_schema(parameters=[ReportDashboardQuery], responses=ReportDashboardSerializer)
    def get(self, request):
        figures = dashboard.dashboard(user=request.user, store_id=self.query().get("store"))
        return Response(ReportDashboardSerializer(figures).data)
