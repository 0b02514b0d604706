"""`/api/v1/report-subscriptions/`: a user's report subscriptions (thin views over
`reports.subscriptions`). A user sees and changes only his own; an administrator (the
`reports.view_reportsubscription` permission) may list and read everyone's (`?all=true`).
`send-now/` mails the report at once (to try a subscription), leaving its schedule alone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from storeledger.core.api.masterdata import clean_input
from storeledger.core.api.routers import Router
from storeledger.core.api.views import GenericViewSet
from storeledger.core.errors import PermissionDenied
from storeledger.reports import subscribable, subscriptions
from storeledger.reports.models import (
    Frequency,
    ReportSubscription,
    SubscriptionLanguage,
    SubscriptionPeriod,
)

SEE_ALL = "reports.view_reportsubscription"


class FilterLabelSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The filter's parameter."))
    label = serializers.CharField()
    value = serializers.CharField()


class _SubscriptionList(serializers.ListSerializer):
    """Reads the names the filters of the listed subscriptions name at once."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        self.context["filter_names"] = subscribable.names_of([s.filters for s in items])
        return super().to_representation(items)


class ReportSubscriptionSerializer(serializers.ModelSerializer):
    owner_username = serializers.CharField(source="owner.username", read_only=True)
    report = serializers.ChoiceField(choices=subscribable.REPORT_KEYS, read_only=True)
    filters = serializers.DictField(read_only=True)
    extra_recipients = serializers.ListField(child=serializers.EmailField(), read_only=True)
    report_title = serializers.SerializerMethodField()
    filter_labels = serializers.SerializerMethodField(
        help_text=_(
            "The filters for people, in the request's language: the name of what an id "
            "names, the label of a choice."
        )
    )
    period_label = serializers.SerializerMethodField(
        help_text=_("The period sent, for a report over a period (null otherwise).")
    )
    recipients = serializers.SerializerMethodField(
        help_text=_("The owner's e-mail address and the extra recipients.")
    )
    next_send_at = serializers.SerializerMethodField(
        help_text=_("The next scheduled send; null while paused.")
    )

    class Meta:
        model = ReportSubscription
        list_serializer_class = _SubscriptionList
        fields = [
            "id",
            "owner",
            "owner_username",
            "report",
            "report_title",
            "filters",
            "filter_labels",
            "period",
            "period_label",
            "frequency",
            "weekday",
            "day_of_month",
            "hour",
            "language",
            "extra_recipients",
            "recipients",
            "is_active",
            "next_send_at",
            "last_sent_at",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields

    def get_report_title(self, obj: ReportSubscription) -> str:
        report = subscribable.REPORTS.get(obj.report)
        return report.title if report else obj.report

    @extend_schema_field(FilterLabelSerializer(many=True))
    def get_filter_labels(self, obj: ReportSubscription) -> list[dict[str, str]]:
        report = subscribable.REPORTS.get(obj.report)
        return report.describe(obj.filters, self.context.get("filter_names")) if report else []

    def get_period_label(self, obj: ReportSubscription) -> str | None:
        report = subscribable.REPORTS.get(obj.report)
        if report is None or not report.has_period:
            return None
        return str(SubscriptionPeriod(obj.period).label)

    def get_recipients(self, obj: ReportSubscription) -> list[str]:
        return subscriptions.recipients(obj)

    def get_next_send_at(self, obj: ReportSubscription) -> str | None:
        if not obj.is_active:
            return None
        zone = self.context.get("zone") or subscriptions.company_zone()
        slot = subscriptions.next_slot(subscriptions.Schedule.of(obj), timezone.now(), zone)
        if slot < obj.active_since:  # cannot happen: slots after now are after active_since
            return None
        return slot.astimezone(zone).isoformat()


class ReportSubscriptionWriteSerializer(serializers.Serializer):
    report = serializers.ChoiceField(choices=subscribable.REPORT_KEYS)
    filters = serializers.DictField(
        required=False,
        default=dict,
        help_text=_(
            "The report's query parameters (as its export endpoint takes them), without "
            "date_from/date_to: the period follows `period`."
        ),
    )
    period = serializers.ChoiceField(
        choices=SubscriptionPeriod.choices, default=SubscriptionPeriod.PREVIOUS
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    weekday = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=6, help_text=_("0 = Monday.")
    )
    day_of_month = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=31
    )
    hour = serializers.IntegerField(
        min_value=0, max_value=23, default=8, help_text=_("In the company's time zone.")
    )
    language = serializers.ChoiceField(
        choices=SubscriptionLanguage.choices, default=SubscriptionLanguage.ZH_HANS
    )
    extra_recipients = serializers.ListField(
        child=serializers.EmailField(),
        required=False,
        default=list,
        max_length=subscriptions.MAX_EXTRA_RECIPIENTS,
    )


class FilterLabelsInput(serializers.Serializer):
    report = serializers.ChoiceField(choices=subscribable.REPORT_KEYS)
    filters = serializers.DictField(required=False, default=dict)


class FilterLabelsSerializer(serializers.Serializer):
    filter_labels = FilterLabelSerializer(many=True)


class SendNowSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[o.value for o in subscriptions.Outcome])
    subscription = ReportSubscriptionSerializer()


ALL_PARAM = OpenApiParameter(
    "all",
    bool,
    required=False,
    description=_("Everyone's subscriptions (administrators)."),
)


@extend_schema_view(list=extend_schema(parameters=[ALL_PARAM]))
class ReportSubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    GenericViewSet,
):
    """报表订阅: a report with its filters mailed as xlsx daily, weekly or monthly."""

    serializer_class = ReportSubscriptionSerializer
    queryset = ReportSubscription.objects.select_related("owner")
    extra_query_params = ("all",)
    # any signed-in user keeps his own; subscribing needs the report's permission (service)
    action_permissions: dict[str, tuple[str, ...]] = dict.fromkeys(
        (
            "list",
            "retrieve",
            "create",
            "partial_update",
            "destroy",
            "send_now",
            "activate",
            "deactivate",
            "filter_labels",
        ),
        (),
    )

    def _sees_all(self) -> bool:
        return self.request.user.has_perm(SEE_ALL)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            wants_all = self.request.query_params.get("all", "").lower() in ("true", "1")
            if wants_all and not self._sees_all():
                raise PermissionDenied()
            return queryset if wants_all else queryset.filter(owner=self.request.user)
        if self.action == "retrieve" and self._sees_all():
            return queryset
        return queryset.filter(owner=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context() | {"zone": subscriptions.company_zone()}

    def _answer(self, subscription: ReportSubscription, code: int = status.HTTP_200_OK):
        return Response(
            ReportSubscriptionSerializer(subscription, context=self.get_serializer_context()).data,
            code,
        )

    def _input(
        self, request, instance: ReportSubscription | None
    ) -> subscriptions.SubscriptionInput:
        data = request.data
        if isinstance(data, dict):
            data = clean_input(data)
        form = ReportSubscriptionWriteSerializer(data=data, partial=instance is not None)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        if instance is not None:
            for name in ReportSubscriptionWriteSerializer().fields:
                values.setdefault(name, getattr(instance, name))
        return subscriptions.SubscriptionInput(
            report=values["report"],
            frequency=values["frequency"],
            filters=values.get("filters") or {},
            period=values["period"],
            weekday=values.get("weekday"),
            day_of_month=values.get("day_of_month"),
            hour=values["hour"],
            language=values["language"],
            extra_recipients=list(values.get("extra_recipients") or []),
        )

    @extend_schema(request=FilterLabelsInput, responses=FilterLabelsSerializer)
    @action(detail=False, methods=["post"], url_path="filter-labels")
    def filter_labels(self, request):
        """The filters of a subscription to be made, as `filter_labels` shows them (checked
        first as subscribing checks them: the same 400 / 403)."""
        form = FilterLabelsInput(data=request.data)
        form.is_valid(raise_exception=True)
        report = subscribable.get(form.validated_data["report"])
        report.check_access(request.user)
        filters = report.clean_filters(request.user, form.validated_data["filters"])
        return Response(FilterLabelsSerializer({"filter_labels": report.describe(filters)}).data)

    @extend_schema(
        request=ReportSubscriptionWriteSerializer, responses={201: ReportSubscriptionSerializer}
    )
    def create(self, request, *args, **kwargs):
        subscription = subscriptions.create_subscription(
            user=request.user, data=self._input(request, None)
        )
        return self._answer(subscription, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportSubscriptionWriteSerializer, responses=ReportSubscriptionSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        subscription = subscriptions.update_subscription(
            user=request.user, subscription_id=instance.pk, data=self._input(request, instance)
        )
        return self._answer(subscription)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        subscriptions.delete_subscription(user=request.user, subscription_id=instance.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ReportSubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Pause: nothing is mailed until it is activated again."""
        instance = self.get_object()
        return self._answer(
            subscriptions.deactivate_subscription(user=request.user, subscription_id=instance.pk)
        )

    @extend_schema(request=None, responses=ReportSubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Resume from the next scheduled send (a slot missed while paused is not sent)."""
        instance = self.get_object()
        return self._answer(
            subscriptions.activate_subscription(user=request.user, subscription_id=instance.pk)
        )

    @extend_schema(request=None, responses=SendNowSerializer)
    @action(detail=True, methods=["post"], url_path="send-now")
    def send_now(self, request, pk=None):
        """Mail the report now with the owner's current permissions and scope, to try the
        subscription; the schedule is left as it is. `outcome` says whether it went (or why
        the subscription was paused: see `last_error`)."""
        instance = self.get_object()
        outcome = subscriptions.send_subscription(instance, timezone.now(), force=True)
        return Response(
            {
                "outcome": outcome.value,
                "subscription": ReportSubscriptionSerializer(
                    instance, context=self.get_serializer_context()
                ).data,
            }
        )


router = Router()
router.register("report-subscriptions", ReportSubscriptionViewSet, basename="report-subscription")
