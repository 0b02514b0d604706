"""系统设置 → 单据编号: every document kind's number series of a day per store (prefix,
pattern, the last number handed out, the next one), and moving a series' next number up
(/api/v1/document-numbering/)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.core import numbering
from storeledger.core.api.views import GenericViewSet


class SeriesSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("The document kind, e.g. stock_in."))
    document_type = serializers.CharField()
    # DRF's serializer metaclass takes declared fields out of the class, so this never shadows
    # Field.label at run time; the stubs cannot know that.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text=_("The document kind's name, translated.")
    )
    prefix = serializers.CharField()
    pattern = serializers.CharField(help_text=_("How a number is made."))
    store = serializers.IntegerField()
    store_code = serializers.CharField()
    store_name = serializers.CharField()
    day = serializers.DateField()
    last_number = serializers.IntegerField(help_text=_("The last number handed out (0: none)."))
    next_number = serializers.IntegerField()
    next = serializers.CharField(help_text=_("The next document number of the series."))


class SeriesQuerySerializer(serializers.Serializer):
    store = serializers.IntegerField(required=False, min_value=1)
    day = serializers.DateField(required=False)


class SetNextSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=40)
    store = serializers.IntegerField(min_value=1)
    day = serializers.DateField(
        required=False, help_text=_("The series' day (default: today, company time).")
    )
    next_number = serializers.IntegerField(min_value=1, max_value=999_999)


class DocumentNumberingViewSet(GenericViewSet):
    """Document numbers: `{prefix}-{store}-{yyyymmdd}-{nnnn}`, a series per document kind,
    store and day. The next number of a series only goes up (head office)."""

    serializer_class = SeriesSerializer
    query_serializer = SeriesQuerySerializer  # the list's parameters (core.api.params)
    pagination_class = None
    filter_backends: list = []
    action_permissions = {
        "list": "core.view_documentsequence",
        "set_next": "core.change_documentsequence",
    }

    @extend_schema(
        parameters=[
            OpenApiParameter("store", int, description=_("Only this store.")),
            OpenApiParameter("day", str, description=_("The day (default: today).")),
        ],
        responses=SeriesSerializer(many=True),
    )
    def list(self, request):
        query = SeriesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = numbering.series(
            user=request.user,
            day=query.validated_data.get("day") or timezone.localdate(),
            store_id=query.validated_data.get("store"),
        )
        return Response(SeriesSerializer(rows, many=True).data)

    @extend_schema(request=SetNextSerializer, responses=SeriesSerializer)
    @action(detail=False, methods=["post"], url_path="set-next")
    def set_next(self, request):
        form = SetNextSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        row = numbering.set_next_number(
            user=request.user,
            kind=data["kind"],
            store_id=data["store"],
            day=data.get("day") or timezone.localdate(),
            next_number=data["next_number"],
        )
        return Response(SeriesSerializer(row).data)
