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

from storeledger.core import jobs, tabular
from storeledger.core.api.errors import error_body
from storeledger.core.api.views import ReadOnlyModelViewSet
from storeledger.core.costs import can_see_cost
from storeledger.core.errors import NotFound
from storeledger.core.models import ImportJob

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
    background = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Run as a background job (202 with the job) even when the file is small; files "
            "of more than 2,000 rows always are."
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
    job = serializers.IntegerField(help_text=_("The import job: GET /import-jobs/{job}/."))


class ImportErrorDetailsSerializer(serializers.Serializer):
    rows = RowErrorSerializer(many=True)
    count = serializers.IntegerField()
    warnings = RowWarningSerializer(many=True)
    job = serializers.IntegerField(help_text=_("The import job, for its refused-rows file."))


class ImportErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    # the JSON key is "fields"; DRF's metaclass moves declared fields out of the class body
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )
    details = ImportErrorDetailsSerializer()


class ImportJobSerializer(serializers.ModelSerializer):
    # a plain string: an enum named "status" would collide with the documents' StatusEnum
    status = serializers.CharField(
        help_text=_("queued, running, done, refused (bad file or rows) or failed.")
    )
    resource = serializers.SerializerMethodField()
    rows_done = serializers.SerializerMethodField()
    refused_file = serializers.SerializerMethodField()
    result = serializers.JSONField(
        help_text=_(
            "When finished: the answer the import gave (as POST <resource>/import/ answers: "
            "the result, or the error with its refused rows)."
        )
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "resource",
            "filename",
            "on_error",
            "dry_run",
            "status",
            "rows_total",
            "rows_done",
            "created",
            "updated",
            "refused",
            "refused_file",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_resource(self, job: ImportJob) -> str:
        return jobs.resource_class(job).filename

    def get_rows_done(self, job: ImportJob) -> int:
        return jobs.rows_done(job)

    def get_refused_file(self, job: ImportJob) -> str | None:
        """The URL of the refused rows (xlsx or csv, as uploaded), when there are any."""
        if not job.refused:
            return None
        return f"/api/v1/import-jobs/{job.pk}/refused/"


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
    # columns left out of the export for a user without the cost permission (core.costs)
    cost_columns: tuple[str, ...] = ()

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
        if self.cost_columns and not can_see_cost(request.user):
            resource.columns = [c for c in resource.columns if c.name not in self.cost_columns]
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
        responses={
            200: ImportResultSerializer,
            202: ImportJobSerializer,
            400: ImportErrorSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def import_rows(self, request, *args, **kwargs):
        """Import an xlsx/csv file (see docs/api.md, "Importing and exporting master data").
        Up to 2,000 rows the answer is the result (200, or 400 when refused); a larger file,
        or `background=true`, answers 202 with an import job to follow at /import-jobs/{id}/.
        Either way the refused rows can be downloaded from /import-jobs/{id}/refused/."""
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
        data = upload.read()
        filename = upload.name or ""
        tabular.check_file(self.tabular_resource(request.user), data, filename)
        background = (
            form.validated_data["background"]
            or jobs.estimate_rows(data, filename) > jobs.BACKGROUND_ROWS
        )
        job = jobs.create_job(
            user=request.user,
            resource=self.tabular_resource,
            data=data,
            filename=filename,
            on_error=form.validated_data["on_error"],
            dry_run=form.validated_data["dry_run"],
            background=background,
        )
        if background:
            jobs.start(job)
            return Response(ImportJobSerializer(job).data, status=202)
        job = jobs.execute(job, data)
        status = 400 if job.status == ImportJob.Status.REFUSED else 200
        return Response(job.result, status=status)


class ImportJobViewSet(ReadOnlyModelViewSet):
    """The user's own imports (an administrator sees every user's), newest first: status,
    progress (rows read of about rows_total), counts and the answer; `refused/` downloads
    the refused rows with their row number and errors, ready to correct and import again."""

    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.defer("data", "refused_file")
    action_permissions: dict[str, list[str]] = {"list": [], "retrieve": [], "refused": []}

    def get_queryset(self):
        queryset = super().get_queryset().select_related("user")
        if not self.request.user.is_superuser:
            queryset = queryset.filter(user=self.request.user)
        return queryset

    @extend_schema(
        responses={
            (200, tabular.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
        }
    )
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreFormatParam)
    def refused(self, request, pk=None):
        job = self.get_object()
        content = ImportJob.objects.filter(pk=job.pk).values_list("refused_file", flat=True)[0]
        if not content:
            raise NotFound(_("This import refused no row."), code="no_refused_rows")
        fmt = jobs.refused_format(job)
        response = HttpResponse(
            bytes(content),
            content_type=tabular.CSV_CONTENT_TYPE if fmt == "csv" else tabular.XLSX_CONTENT_TYPE,
        )
        name = f"{jobs.resource_class(job).filename}-refused-{job.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
