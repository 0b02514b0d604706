"""`GET /api/v1/dashboard/`: the home page's figures (stock value, value per warehouse, SKUs
below safety stock, near-expiry batches, today's stock-in/out and the week's trend), summed
in the database over the user's warehouses by `inventory.selectors.dashboard`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from storeledger.accounts import scope
from storeledger.core.api.views import APIView
from storeledger.core.costs import CostFieldsMixin
from storeledger.inventory import blind, selectors
from storeledger.inventory.api.common import money_field, qty_field
from storeledger.inventory.models import MoveType


class DashboardQuery(serializers.Serializer):
    warehouse = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Only this warehouse (403 outside your scope).")
    )


class WarehouseValueSerializer(CostFieldsMixin, serializers.Serializer):
    cost_fields = ("value",)
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField()
    warehouse_name = serializers.CharField()
    value = money_field(source="stock_value")
    on_hand = qty_field(source="qty_on_hand", help_text=_("Summed over SKUs, in their base units."))
    sku_count = serializers.IntegerField(help_text=_("SKUs with stock on hand."))


class MoveTypeTotalSerializer(CostFieldsMixin, serializers.Serializer):
    cost_fields = ("in_value", "out_value")
    move_type = serializers.ChoiceField(choices=MoveType.choices)
    moves = serializers.IntegerField()
    in_value = money_field()
    out_value = money_field(help_text=_("Value of the outbound moves, as a positive amount."))


class DayMovesSerializer(CostFieldsMixin, serializers.Serializer):
    cost_fields = ("in_value", "out_value")
    date = serializers.DateField()
    in_moves = serializers.IntegerField(help_text=_("Number of inbound moves."))
    out_moves = serializers.IntegerField(help_text=_("Number of outbound moves."))
    in_value = money_field()
    out_value = money_field(help_text=_("Value of the outbound moves, as a positive amount."))
    by_move_type = MoveTypeTotalSerializer(many=True)


class DashboardSerializer(CostFieldsMixin, serializers.Serializer):
    """Values are null without the permission to see costs."""

    cost_fields = ("stock_value", "in_transit_value")
    date = serializers.DateField(help_text=_("Today in the company's time zone."))
    time_zone = serializers.CharField()
    stock_value = money_field(help_text=_("Value on hand, in-transit stock excluded."))
    sku_count = serializers.IntegerField(help_text=_("SKUs with stock on hand."))
    in_transit_value = money_field(help_text=_("Value of the stock shipped and not yet received."))
    below_safety_stock = serializers.IntegerField(
        help_text=_("SKUs whose on hand is below their safety stock.")
    )
    near_expiry_days = serializers.IntegerField()
    expiring_batches = serializers.IntegerField(
        help_text=_("Batches on hand expiring within near_expiry_days (expired ones included).")
    )
    warehouses = WarehouseValueSerializer(many=True, help_text=_("Highest value first."))
    today = DayMovesSerializer()
    trend = DayMovesSerializer(many=True, help_text=_("The last 7 days, today last."))


class DashboardView(APIView):
    """Stock figures of the warehouses in your scope (or one of them), computed over every
    balance and move."""

    required_permission = "inventory.view_stockbalance"
    query_serializer = DashboardQuery

    @extend_schema(parameters=[DashboardQuery], responses=DashboardSerializer)
    def get(self, request):
        query = DashboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        warehouse_id = query.validated_data.get("warehouse")
        if warehouse_id is not None:
            scope.ensure_warehouses(request.user, [warehouse_id])
            blind.ensure_book_visible(request.user, [warehouse_id])
        figures = selectors.dashboard(user=request.user, warehouse_id=warehouse_id)
        return Response(DashboardSerializer(figures, context={"request": request}).data)
