"""The generic document API base of the kernel, used by every document type (inventory's stock
documents, transfers and counts; purchasing; finance): the header serializer with who/when
of every transition, the reversal links and `available_actions` for the requesting user (from
the document-type registry, core.doctypes), the SKU and unit fields of a line, the common list
filters, and the endpoints every life cycle has — the state actions without a body (`state_action`,
`post_action`), `reverse` (`reverse_action`) and deleting a draft (`delete_action`) — each one
calling the resource's service with `DocumentViewSet.service_arguments`."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.core import doctypes
from storeledger.core.api.approvals import DocumentApprovalField, prefetch_approval_steps
from storeledger.core.api.kept_fields import KeptFieldsMixin
from storeledger.core.api.views import ModelViewSet
from storeledger.core.documents import NOTES_MAX_LENGTH, DocumentStatus
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES

# Who/when of every transition (core.documents.Document); read-only in the API and admin.
DOCUMENT_STAMP_FIELDS = [
    "created_at",
    "created_by",
    "submitted_at",
    "submitted_by",
    "approved_at",
    "approved_by",
    "posted_at",
    "posted_by",
    "reversed_at",
    "reversed_by",
    "cancelled_at",
    "cancelled_by",
]

# Header fields every document serializer shows (all read-only except document_date/notes).
DOCUMENT_HEADER_FIELDS = [
    "id",
    "number",
    "status",
    "document_date",
    "notes",
    "version",
    *DOCUMENT_STAMP_FIELDS,
    "reversal_of",
    "reversed_by_document",
    "available_actions",
    "approval",
]
DOCUMENT_READ_ONLY_FIELDS = [
    f for f in DOCUMENT_HEADER_FIELDS if f not in ("document_date", "notes")
]

# What a document queryset selects to show the header without extra queries.
DOCUMENT_HEADER_RELATED = [
    "created_by",
    "submitted_by",
    "approved_by",
    "posted_by",
    "reversed_by",
    "cancelled_by",
    "reversed_by_document",
]


def qty_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, **kwargs)


def money_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a stale one gives 409 stale_version.")
    )


class UsernameField(serializers.SlugRelatedField):
    """A user shown by username (read-only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(slug_field="username", **kwargs)


# SKU code/name, unit and base unit of a document line (read side); a line serializer lists
# the ones it shows in Meta.fields. The line model needs `sku` (with product.base_unit) and
# `unit` foreign keys. (No docstring: drf-spectacular would show it on every line schema.)
class LineSkuFieldsMixin(serializers.Serializer):
    sku_code = serializers.CharField(source="sku.code", read_only=True)
    sku_name = serializers.CharField(source="sku.name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    base_unit_code = serializers.CharField(source="sku.product.base_unit.code", read_only=True)
    base_unit_name = serializers.CharField(source="sku.product.base_unit.name", read_only=True)
    base_unit_precision = serializers.IntegerField(
        source="sku.product.base_unit.precision",
        read_only=True,
        help_text=_(
            "Decimal places the base unit allows: a base quantity (quantity × factor) with "
            "more is refused."
        ),
    )
    tracking = serializers.CharField(
        source="sku.product.tracking",
        read_only=True,
        help_text=_("How the SKU is tracked: none or batch."),
    )


class ReverseSerializer(serializers.Serializer):
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class DocumentHeaderSerializer(KeptFieldsMixin, serializers.ModelSerializer):
    """Base of every document read serializer: number, status, who/when of each transition,
    and the links between a document and its reversal. Subclasses set Meta.model/fields,
    starting from DOCUMENT_HEADER_FIELDS."""

    created_by = UsernameField()
    submitted_by = UsernameField()
    approved_by = UsernameField()
    posted_by = UsernameField()
    reversed_by = UsernameField()
    cancelled_by = UsernameField()
    reversed_by_document = serializers.SerializerMethodField(
        help_text=_("The reversing document, once this one has been reversed.")
    )
    available_actions = serializers.SerializerMethodField(
        help_text=_(
            "The state actions (POST …/{id}/<action>/) the requesting user may take on this "
            "document now, in life-cycle order; the server still checks each one."
        )
    )

    approval = DocumentApprovalField(
        help_text=_(
            "The approval state (the pending level, whether the requesting user may decide "
            "it) and the history of every level: who decided what, when, with which comment."
        )
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        rows = getattr(self.parent, "instance", None)
        if isinstance(rows, list | tuple) and getattr(obj, "_approval_steps", None) is None:
            prefetch_approval_steps(rows)  # a list page: the steps of all its rows at once
        return doctypes.for_document(obj).available_actions(obj, request.user)

    def get_reversed_by_document(self, obj) -> int | None:
        try:
            return obj.reversed_by_document.pk
        except obj.__class__.reversed_by_document.RelatedObjectDoesNotExist:
            return None


class DocumentFilterSet(django_filters.FilterSet):
    """status, store, date range and number search for every document list."""

    status = django_filters.MultipleChoiceFilter(choices=DocumentStatus.choices)
    store = django_filters.NumberFilter(field_name="store_id")
    date_from = django_filters.DateFilter(field_name="document_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="document_date", lookup_expr="lte")
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains")
    search = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label=_("Search by document number.")
    )


# The body of a state action that takes one (`state_action(..., body=...)`): `service_kwargs`
# turns the validated body into the service's keyword arguments. (No docstring: drf-spectacular
# would show it as the description of subclasses without one.)
class ActionBodySerializer(serializers.Serializer):
    @classmethod
    def service_kwargs(cls, values: dict) -> dict:
        return dict(values)


def state_action(
    name: str,
    service,
    response,
    *,
    body: type[ActionBodySerializer] | None = None,
    description: str | None = None,
    held: bool = False,
    **action_kwargs,
):
    """A POST action `name` (submit, approve, post, cancel... without a body; with `body`,
    the action's input, validated: 400 otherwise) that runs one state-change service on the
    document and answers with the document: the viewset's `run_state_action(service, pk,
    **kwargs)` does the call with the body's `service_kwargs`. `held`: the service returns the
    document complete (`core.held`), the answer is built from it without reading it back.
    `action_kwargs` go to DRF's @action."""

    def endpoint(self, request, pk=None):
        kwargs = {} if body is None else body.service_kwargs(validated(body, request))
        return self.run_state_action(service, pk, held=held, **kwargs)

    endpoint.__name__ = name
    return extend_schema(request=body, responses=response, description=description)(
        action(detail=True, methods=["post"], **action_kwargs)(endpoint)
    )


def post_action(service, response):
    """The `post` action (过账) of a document: the endpoint `POST …/{id}/post/`, its method named
    `post_document` (a view's `post` is its HTTP handler)."""
    return state_action("post_document", service, response, url_path="post", url_name="post")


def reverse_action(service, response, description: str | None = None):
    """`POST …/{id}/reverse/` with optional `notes`: runs the reverse `service` (红冲) of the
    resource (`service_arguments` and `notes=`) and answers 201 with the reversing document."""

    def reverse(self, request, pk=None):
        data = validated(ReverseSerializer, request)
        reversal = service(**self.service_arguments(pk), notes=data.get("notes", ""))
        return self.detail_response(reversal.pk, status.HTTP_201_CREATED)

    return extend_schema(
        request=ReverseSerializer, responses={201: response}, description=description
    )(action(detail=True, methods=["post"])(reverse))


def delete_action(service):
    """`DELETE …/{id}/`: the delete `service` of the resource removes a draft (204)."""

    def destroy(self, request, *args, **kwargs):
        service(**self.service_arguments(kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)

    return destroy


def validated(serializer_class, request) -> dict:
    """The request body validated by `serializer_class` (400 validation_failed otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Base of the document resources: `list_serializer_class` (when set) for lists,
# `serializer_class` elsewhere, and `detail_response` to answer with a fresh document.
# (No docstring: drf-spectacular would show it as the description of subclasses without one.)
class DocumentViewSet(ModelViewSet):
    list_serializer_class: type[serializers.BaseSerializer] | None = None
    # The registry key (core.doctypes) of the resource's documents: each state-action endpoint
    # is guarded by its registered action's permission, so the registry is the one table of
    # who may do what. `action_aliases` names the endpoints whose method is not the action's
    # name (post_document -> post); `extra_action_permissions` guards the other endpoints.
    document_type: str = ""
    action_aliases: dict[str, str] = {}
    extra_action_permissions: dict[str, str | list[str]] = {}
    # The keyword the resource's services take the document id by ("receipt_id"): the state
    # actions, `reverse_action` and `delete_action` call them with `service_arguments`.
    document_id_arg: str = ""
    # The document's own foreign keys its pages show (selected with the users of the header),
    # and those of its lines (prefetched in line order on every page but the list), for
    # `document_queryset`.
    header_related: tuple[str, ...] = ()
    line_related: tuple[str, ...] = ()

    @property
    def action_permissions(self) -> dict[str, str | list[str]]:
        permissions: dict[str, str | list[str]] = dict(self.extra_action_permissions)
        if self.document_type:
            aliases = {"post_document": "post", **self.action_aliases}
            endpoint_of = {action: endpoint for endpoint, action in aliases.items()}
            for registered in doctypes.document_type(self.document_type).actions:
                endpoint = endpoint_of.get(registered.name, registered.name)
                permissions[endpoint] = registered.permission
        return permissions

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        document = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(document).data, status=code)

    def held_response(self, document, code: int = status.HTTP_200_OK) -> Response:
        """Answer with a document its service holds complete (`core.held`: the row, its
        lines and their related rows, as created), without reading it back."""
        return Response(self.get_serializer(document).data, status=code)

    def document_queryset(self):
        """The resource's documents, newest first, with `header_related` and the header's users
        selected and, except on the list, the lines with `line_related` (not yet scoped: the
        resource's `get_queryset` limits it to the user's stores or warehouses)."""
        model = self.queryset.model
        queryset = model.objects.select_related(
            *self.header_related, *DOCUMENT_HEADER_RELATED
        ).order_by("-id")
        if self.action != "list" and self.line_related:
            lines = model._meta.get_field("lines").related_model.objects
            queryset = queryset.prefetch_related(
                Prefetch("lines", lines.select_related(*self.line_related).order_by("line_no"))
            )
        return queryset

    def service_arguments(self, pk) -> dict:
        """The keywords every service of the resource is called with for document `pk`: the
        acting user and the id (`document_id_arg`)."""
        return {"user": self.request.user, self.document_id_arg: int(pk)}

    def run_state_action(self, service, pk, *, held: bool = False, **kwargs) -> Response:
        """Run the state-change `service` of a `state_action` on document `pk` (with the
        action body's `kwargs`) and answer with the document (`held`: as the service holds
        it, see `held_response`)."""
        document = service(**self.service_arguments(pk), **kwargs)
        if held:
            return self.held_response(document)
        return self.detail_response(document.pk)
