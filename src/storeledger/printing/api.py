"""PDF endpoints: GET /api/v1/<documents>/{id}/pdf/ and POST /api/v1/labels/.

Errors stay JSON (the project's error shape) whatever the Accept header asks for."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from storeledger.core import doctypes
from storeledger.printing import documents, labels

LANG_PARAM = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=["zh-hans", "en"],
    description=_("Language of the PDF; default: the Accept-Language header."),
)
PDF_RESPONSE = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
}


def _language(request) -> str:
    """?lang= (zh-hans/zh/zh-cn/en) or the language LocaleMiddleware chose."""
    wanted = (request.query_params.get("lang") or "").strip().lower()
    if wanted.startswith("zh"):
        return "zh-hans"
    if wanted.startswith("en"):
        return "en"
    active = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    return active or settings.LANGUAGE_CODE


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename)
    response["Content-Disposition"] = f'{disposition}; filename="{safe}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


class _PdfView(APIView):
    def perform_content_negotiation(self, request, force=False):
        # An Accept: application/pdf request still gets JSON errors.
        return super().perform_content_negotiation(request, force=True)


class DocumentPdfView(_PdfView):
    """The A4 PDF of one inventory document (within the user's data scope, else 404)."""

    document_type = ""  # a StockDocumentKind value, "transfer" or "stock_count"
    required_permission = ""

    @classmethod
    def for_type(cls, document_type: str, permission: str, tag: str):
        """A view of one document type, with its own OpenAPI operation."""

        def get(self, request, pk: int):
            return self.render_pdf(request, pk)

        schema = extend_schema(
            operation_id=f"{document_type}_pdf",
            tags=[tag],
            parameters=[LANG_PARAM],
            responses=PDF_RESPONSE,
            summary=f"PDF of a {document_type.replace('_', ' ')}",
        )
        view = cast(
            type[DocumentPdfView],
            type(
                f"{document_type.title().replace('_', '')}PdfView",
                (cls,),
                {
                    "document_type": document_type,
                    "required_permission": permission,
                    "get": schema(get),
                },
            ),
        )
        return view.as_view()

    def render_pdf(self, request, pk: int):
        with translation.override(_language(request)):
            sheet = documents.document_sheet(
                user=request.user, document_type=self.document_type, document_id=pk
            )
            content = documents.render(sheet)
        return pdf_response(content, sheet.number)


# ---------------------------------------------------------------- labels

# Every registered document kind with label lines (core.doctypes): the registry is complete
# once the apps are ready, before the URLs import this module.
LABEL_DOCUMENT_TYPES = doctypes.label_kinds()
LABEL_SIZES = list(labels.SIZES)


class LabelItemSerializer(serializers.Serializer):
    sku = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(
        min_value=1, max_value=labels.MAX_LABELS, help_text=_("Number of labels.")
    )
    unit = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Empty: the base unit (its barcode and price)."),
    )


class LabelPrintSerializer(serializers.Serializer):
    items = LabelItemSerializer(many=True, required=False, allow_empty=False)
    document_type = serializers.ChoiceField(choices=LABEL_DOCUMENT_TYPES, required=False)
    document_id = serializers.IntegerField(min_value=1, required=False)
    size = serializers.ChoiceField(choices=LABEL_SIZES, default=labels.DEFAULT_SIZE)
    show_price = serializers.BooleanField(default=True)

    def validate(self, attrs):
        from_document = "document_type" in attrs or "document_id" in attrs
        if "items" in attrs and from_document:
            raise serializers.ValidationError(
                _("Give either items or a document, not both."), code="items_or_document"
            )
        if from_document and not ("document_type" in attrs and "document_id" in attrs):
            missing = "document_id" if "document_type" in attrs else "document_type"
            raise serializers.ValidationError({missing: [_("This field is required.")]})
        if not from_document and "items" not in attrs:
            raise serializers.ValidationError({"items": [_("This field is required.")]})
        return attrs


class LabelPdfView(_PdfView):
    """Barcode labels as a PDF: SKUs with a number of labels each, or one label per line unit
    of a document's lines (at most 1000 labels per request)."""

    required_permission = "catalog.view_sku"

    @extend_schema(
        operation_id="labels_pdf",
        tags=["printing"],
        request=LabelPrintSerializer,
        parameters=[LANG_PARAM],
        responses=PDF_RESPONSE,
    )
    def post(self, request):
        serializer = LabelPrintSerializer(data=request.data)
        if not serializer.is_valid():
            raise serializers.ValidationError(serializer.errors)
        data = serializer.validated_data
        with translation.override(_language(request)):
            if "items" in data:
                items = [
                    labels.LabelItem(sku_id=i["sku"], quantity=i["quantity"], unit_id=i.get("unit"))
                    for i in data["items"]
                ]
                rows = labels.labels_for_items(items, show_price=data["show_price"])
                filename = "labels"
            else:
                rows = labels.labels_for_document(
                    user=request.user,
                    document_type=data["document_type"],
                    document_id=data["document_id"],
                    show_price=data["show_price"],
                )
                filename = f"labels-{data['document_type']}-{data['document_id']}"
            content = labels.render(rows, data["size"])
        return pdf_response(content, filename)
