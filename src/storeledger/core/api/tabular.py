"""`GET <resource>/export/?format=xlsx|csv` and `POST <resource>/import/` for a viewset."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from storeledger.core import tabular
from storeledger.core.api.errors import error_body

MULTIPART_OVERHEAD = 64 * 1024  # form fields and part headers around the file


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("An .xlsx or .csv file with the export's columns."))
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Validate only; change nothing.")
    )
    on_error = serializers.ChoiceField(
        choices=list(tabular.ON_ERROR_CHOICES),
        default=tabular.REFUSE_ALL,
        help_text=_(
            "refuse_all: one bad row refuses the whole file and nothing is saved; "
            "skip_invalid: import the valid rows and return the refused ones."
        ),
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("The row number in the sheet (the header is 1)."))
    code = serializers.CharField(help_text=_("The row's code (its key), as written in the file."))
    # the JSON key is "fields"; DRF's metaclass moves declared fields out of the class body
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


class RowWarningSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    refused = serializers.IntegerField(help_text=_("Rows not imported (skip_invalid)."))
    dry_run = serializers.BooleanField()
    on_error = serializers.ChoiceField(choices=list(tabular.ON_ERROR_CHOICES))
    rows = RowErrorSerializer(many=True, help_text=_("The refused rows (the first 1,000)."))
    warnings = RowWarningSerializer(many=True, help_text=_("The first 1,000 warnings."))
    warning_count = serializers.IntegerField()


class ImportErrorDetailsSerializer(serializers.Serializer):
    rows = RowErrorSerializer(many=True)
    count = serializers.IntegerField()
    warnings = RowWarningSerializer(many=True)


class ImportErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    # the JSON key is "fields"; DRF's metaclass moves declared fields out of the class body
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )
    details = ImportErrorDetailsSerializer()


class IgnoreFormatParam(DefaultContentNegotiation):
    """`?format=` names the file format here, not DRF's renderer; errors stay JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


FORMAT_PARAM = OpenApiParameter(
    "format", str, enum=list(tabular.FORMATS), default="xlsx", description=_("File format.")
)


class TabularMixin:
    """Add export/import to a viewset that sets `tabular_resource`."""

    tabular_resource: type[tabular.TabularResource]

    @extend_schema(
        filters=True,
        parameters=[FORMAT_PARAM],
        responses={
            (200, tabular.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        content_negotiation_class=IgnoreFormatParam,
        pagination_class=None,
    )
    def export(self, request, *args, **kwargs):
        fmt = request.query_params.get("format", "xlsx").lower()
        if fmt not in tabular.FORMATS:
            return Response(
                error_body(
                    "invalid",
                    _("The format must be xlsx or csv."),
                    {"format": [str(_("The format must be xlsx or csv."))]},
                ),
                status=400,
            )
        resource = self.tabular_resource(request.user)
        queryset = self.filter_queryset(self.get_queryset())
        content = tabular.export_bytes(resource, queryset, fmt)
        name = f"{resource.filename}-{timezone.localdate():%Y%m%d}.{fmt}"
        response = HttpResponse(
            content,
            content_type=tabular.CSV_CONTENT_TYPE if fmt == "csv" else tabular.XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportResultSerializer, 400: ImportErrorSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def import_rows(self, request, *args, **kwargs):
        # refuse a too large upload by its announced length, before it is read and stored
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if announced > tabular.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
            raise tabular.file_too_large()
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > tabular.MAX_UPLOAD_BYTES:
            raise tabular.file_too_large()
        result = tabular.import_table(
            resource=self.tabular_resource(request.user),
            data=upload.read(),
            filename=upload.name or "",
            dry_run=form.validated_data["dry_run"],
            on_error=form.validated_data["on_error"],
        )
        return Response(ImportResultSerializer(result).data)
