"""The approval engine over the API: the requesting user's inbox of pending approvals
(/api/v1/approvals/, approve and reject with a comment), the approval rules administrators
keep (/api/v1/approval-rules/), and the approval history every document carries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.core import approvals, doctypes
from storeledger.core.api.views import GenericViewSet, ModelViewSet
from storeledger.core.costs import CostFieldsMixin
from storeledger.core.models import ApprovalLevel, ApprovalRule, ApprovalScope, ApprovalStep


class ApprovalStepSerializer(serializers.ModelSerializer):
    """One level of one submission and its decision."""

    requested_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    decided_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ApprovalStep
        fields = [
            "id",
            "round",
            "sequence",
            "role",
            "scope",
            "rule_name",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class DocumentApprovalSerializer(serializers.Serializer):
    """The approval state and history of a document."""

    pending_step = serializers.IntegerField(
        allow_null=True, help_text=_("The level waiting for a decision now (an approval id).")
    )
    can_decide = serializers.BooleanField(
        help_text=_("Whether the requesting user may approve or reject that level.")
    )
    steps = ApprovalStepSerializer(many=True, help_text=_("Every level of every submission."))


def document_approval(document, user) -> dict:
    """The `approval` field of a document for `user`."""
    steps = approvals.document_steps(document)
    pending = approvals.current_step(steps)
    return {
        "pending_step": pending.pk if pending else None,
        "can_decide": bool(
            pending is not None
            and user is not None
            and approvals.may_decide(user, pending, document, steps)
        ),
        "steps": ApprovalStepSerializer(steps, many=True).data,
    }


def prefetch_approval_steps(documents) -> None:
    """Set the approval memos of every document of a page: its steps (one query per type)
    and, for drafts, whether rules ask for approval (a constant number of queries)."""
    approvals.evaluate_many(documents)
    by_type: dict[str, list] = {}
    for document in documents:
        if getattr(document, "_approval_steps", None) is None:
            by_type.setdefault(doctypes.for_document(document).key, []).append(document)
    for key, rows in by_type.items():
        steps = approvals.steps_of(key, [row.pk for row in rows])
        for row in rows:
            approvals.remember_steps(row, steps.get(row.pk, []))


# ---------------------------------------------------------------- inbox


class ApprovalInboxSerializer(CostFieldsMixin, ApprovalStepSerializer):
    cost_fields = ("amount",)  # a document's value: null without the cost permission
    document_type = serializers.CharField(read_only=True)
    document_kind = serializers.CharField(read_only=True)
    document_id = serializers.IntegerField(read_only=True)
    document_number = serializers.CharField(read_only=True)
    store = serializers.IntegerField(source="store_id", read_only=True, allow_null=True)
    store_code = serializers.CharField(source="store.code", read_only=True, default=None)
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=4, read_only=True, allow_null=True
    )
    quantity = serializers.DecimalField(
        max_digits=18, decimal_places=4, read_only=True, allow_null=True
    )
    resource = serializers.SerializerMethodField(
        help_text=_("The document's API resource (e.g. stock-outs)."),
    )
    url = serializers.SerializerMethodField(help_text=_("The document's API address."))

    class Meta(ApprovalStepSerializer.Meta):
        fields = [
            *ApprovalStepSerializer.Meta.fields,
            "document_type",
            "document_kind",
            "document_id",
            "document_number",
            "store",
            "store_code",
            "amount",
            "quantity",
            "resource",
            "url",
        ]
        read_only_fields = fields

    def get_resource(self, obj) -> str:
        try:
            return doctypes.document_type(obj.document_type).resource(obj.document_kind)
        except KeyError:
            return ""

    def get_url(self, obj) -> str:
        resource = self.get_resource(obj)
        return f"/api/v1/{resource}/{obj.document_id}/" if resource else ""


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, trim_whitespace=True
    )


class ApprovalCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


# (No docstring: drf-spectacular would show it as the description.)
class ApprovalViewSet(GenericViewSet):
    serializer_class = ApprovalInboxSerializer
    queryset = ApprovalStep.objects.none()
    # Any signed-in user has an inbox; the engine decides who may decide which step.
    action_permissions: dict[str, list[str]] = {
        "list": [],
        "count": [],
        "approve": [],
        "reject": [],
    }

    def get_queryset(self):
        return approvals.pending_for(self.request.user)

    @extend_schema(
        summary=_("The approvals waiting for the requesting user"),
        responses=ApprovalInboxSerializer(many=True),
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary=_("How many approvals wait for the requesting user (the menu badge)"),
        responses=ApprovalCountSerializer,
    )
    @action(detail=False, methods=["get"])
    def count(self, request):
        return Response({"count": self.get_queryset().count()})

    def _decide(self, request, pk, approve: bool) -> Response:
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = approvals.decide_step(
            user=request.user,
            step_id=int(pk),
            approve=approve,
            comment=data.validated_data["comment"],
        )
        return Response(ApprovalStepSerializer(step).data)

    @extend_schema(
        request=DecisionSerializer,
        responses=ApprovalStepSerializer,
        summary=_("Approve this level (with a comment)"),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(
        request=DecisionSerializer,
        responses=ApprovalStepSerializer,
        summary=_("Reject: the document goes back to draft with the comment"),
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, False)


# ---------------------------------------------------------------- rules


class ApprovalLevelSerializer(serializers.ModelSerializer):
    sequence = serializers.IntegerField(min_value=1, max_value=99)
    scope = serializers.ChoiceField(
        choices=[ApprovalScope.DOCUMENT_STORE, ApprovalScope.HEAD_OFFICE],
        default=ApprovalScope.DOCUMENT_STORE,
    )

    class Meta:
        model = ApprovalLevel
        fields = ["sequence", "role", "scope"]


class ApprovalRuleSerializer(serializers.ModelSerializer):
    levels = ApprovalLevelSerializer(many=True)
    builtin = serializers.SerializerMethodField(
        help_text=_("A built-in rule: may be changed or deactivated, not deleted.")
    )
    amount_above = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    quantity_above = serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=0, required=False, allow_null=True
    )

    class Meta:
        model = ApprovalRule
        fields = [
            "id",
            "document_type",
            "document_kind",
            "name",
            "builtin",
            "active",
            "amount_above",
            "quantity_above",
            "store",
            "supplier",
            "category",
            "levels",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "builtin", "created_at", "updated_at"]

    def get_builtin(self, obj) -> bool:
        return bool(obj.key)


class DocumentTypeSerializer(serializers.Serializer):
    key = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())


class ApprovalRuleViewSet(ModelViewSet):
    """Approval rules: when a document needs approval, and by whom (administrators)."""

    queryset = ApprovalRule.objects.prefetch_related("levels").order_by(
        "document_type", "document_kind", "id"
    )
    serializer_class = ApprovalRuleSerializer
    filterset_fields = ["document_type", "document_kind", "active"]
    action_permissions = {"document_types": "core.view_approvalrule"}

    def _save(self, request, rule_id: int | None, partial: bool) -> Response:
        instance = None if rule_id is None else approvals._rule(rule_id)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        raw_levels = values.pop("levels", None)
        levels = (
            None
            if raw_levels is None
            else [approvals.LevelInput(**dict(level)) for level in raw_levels]
        )
        rule = approvals.save_rule(user=request.user, rule_id=rule_id, values=values, levels=levels)
        code = status.HTTP_201_CREATED if rule_id is None else status.HTTP_200_OK
        return Response(self.get_serializer(self.get_queryset().get(pk=rule.pk)).data, code)

    def create(self, request, *args, **kwargs):
        return self._save(request, None, partial=False)

    def update(self, request, *args, **kwargs):
        return self._save(request, int(kwargs["pk"]), partial=kwargs.get("partial", False))

    def destroy(self, request, *args, **kwargs):
        approvals.delete_rule(user=request.user, rule_id=int(kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=DocumentTypeSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="document-types", pagination_class=None)
    def document_types(self, request):
        """The document types (and their kinds) rules can be written for."""
        return Response(
            [
                {"key": doctype.key, "kinds": list(doctype.prefixes)}
                for doctype in doctypes.registered()
                if doctype.approval_facts is not None
            ]
        )


@extend_schema_field(DocumentApprovalSerializer)
class DocumentApprovalField(serializers.Field):
    """The `approval` field of every document serializer (see core.api.documents)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, document):
        parent = self.parent
        rows = getattr(getattr(parent, "parent", None), "instance", None)
        if isinstance(rows, list | tuple) and getattr(document, "_approval_steps", None) is None:
            prefetch_approval_steps(rows)
        request = self.context.get("request")
        return document_approval(document, getattr(request, "user", None))
