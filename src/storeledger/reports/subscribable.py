"""The reports a user may subscribe to (`reports.subscriptions`): each is a report's export
view, keyed by the view's file name. A subscription's filters are checked by the view's own
query serializer, and its file is rendered by the view's own export path as a request of the
owner, so the mailed xlsx is exactly what the owner would download with the same filters —
with the owner's permissions (cost columns) and data scope (stores, warehouses) of that moment.

This module belongs to the API layer (it drives the views); the subscription service calls it
only to validate filters and to render a file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from storeledger.core.api.params import unknown_parameter
from storeledger.core.errors import PermissionDenied, ValidationFailed
from storeledger.reports import api, exports, purchase_api, returns_api, trace_api

# How a filter is shown (我的订阅): its label, and the model its id names or the labels of its
# choices. Names of things are read at display time, in the user's language.
_FILTER_MODELS = {
    "warehouse": (_("Warehouse"), "org.Warehouse"),
    "store": (_("Store"), "org.Store"),
    "category": (_("Category"), "catalog.Category"),
    "brand": (_("Brand"), "catalog.Brand"),
    "sku": (_("SKU"), "catalog.Sku"),
    "supplier": (_("Supplier"), "partners.Supplier"),
    "batch": (_("Batch"), "inventory.Batch"),
}
_GROUPS = {
    "sku": _("Per SKU"),
    "warehouse_sku": _("Per warehouse and SKU"),
    "warehouse": _("Per warehouse"),
    "category": _("Per category"),
    "brand": _("Per brand"),
    "supplier": _("Per supplier"),
    "month": _("Per month"),
    "reason": _("Per reason"),
}
_FILTER_CHOICES = {
    "group_by": (_("Group by"), _GROUPS),
    "only": (
        _("Only"),
        {
            "below_safety_stock": _("Below safety stock"),
            "above_max_stock": _("Above max stock"),
            "no_outflow": _("No outflow"),
        },
    ),
    "side": (_("Kind of return"), {"purchase": _("Purchase returns")}),
}
_FILTER_NAMES = {
    "search": _("Search"),
    "batch_no": _("Batch number"),
    "days": _("Expiring within (days)"),
    "no_outflow_days": _("No outflow for (days)"),
    "overdue": _("Overdue only"),
    "reason": _("Reason"),
    "no_reason": _("Without a reason"),
}

# Filters a subscription does not keep: its period comes from `period` and the frequency, the
# page and the file format are not the report's.
DATE_FIELDS = ("date_from", "date_to")
NOT_FILTERS = frozenset({*DATE_FIELDS, "page", "page_size", "format", "lang"})

_VIEWS: tuple[type, ...] = (
    api.StockSummaryExportView,
    api.StockStatusExportView,
    api.StockAgeingExportView,
    api.ExpiringExportView,
    api.TurnoverExportView,
    purchase_api.PurchaseAnalysisExportView,
    purchase_api.OpenOrdersExportView,
    purchase_api.SupplierRatingExportView,
    returns_api.ReturnsExportView,
    trace_api.BatchTraceExportView,
)


@dataclass(frozen=True)
class OwnerRequest:
    """What a report view reads from its request: the user and the query parameters."""

    user: Any
    query_params: QueryDict


@dataclass(frozen=True)
class SubscribableReport:
    key: str
    view: type

    @property
    def title(self) -> str:
        return str(self.view.title)

    @property
    def permission(self) -> str:
        return self.view.required_permission

    @property
    def has_period(self) -> bool:
        return "date_from" in self.view.query_serializer().fields

    def check_access(self, user) -> None:
        if not user.has_perm(self.permission):
            raise PermissionDenied(
                gettext("You do not have permission to see this report."),
                code="report_permission_denied",
            )

    def clean_filters(self, user, filters: Any) -> dict[str, Any]:
        """The filters as the report endpoint would take them, in JSON form, after the same
        checks (the view's query serializer, the user's scope of the warehouse or store
        named); only the filters given are kept, so defaults stay those of the send day."""
        if filters is None:
            filters = {}
        if not isinstance(filters, dict):
            message = gettext("The filters must be an object of report parameters.")
            raise ValidationFailed(message, fields={"filters": [message]})
        fields = self.view.query_serializer().fields
        for name in filters:
            if name in DATE_FIELDS:
                message = gettext(
                    "A subscription's period is set by its period choice, not by dates."
                )
                raise ValidationFailed(message, fields={f"filters.{name}": [message]})
            if name not in fields or name in NOT_FILTERS:
                raise unknown_parameter(
                    name, sorted(set(fields) - NOT_FILTERS), field=f"filters.{name}"
                )
        params = self.view.query_serializer(data=_query_dict(filters))
        if not params.is_valid():
            fields = {
                f"filters.{name}": [str(error) for error in errors]
                for name, errors in params.errors.items()
            }
            raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
        api.check_filter_ids(user, params.validated_data, prefix="filters.")
        check = getattr(self.view, "check_subscription_filters", None)
        if check is not None:
            check(params.validated_data)
        return {
            name: _json(params.validated_data[name])
            for name in filters
            if name in params.validated_data
        }

    def describe(
        self, filters: dict[str, Any], names: dict[tuple[str, Any], str] | None = None
    ) -> list[dict[str, str]]:
        """Each filter as `{key, label, value}` for people, in the active language: an id as
        the name of what it names (warehouse "CW 中央仓"), a choice as its label. `names`:
        `names_of` of many subscriptions' filters, read at once (a list)."""
        if names is None:
            names = names_of([filters])
        described = []
        order = list(self.view.query_serializer().fields)  # not the stored JSON's order
        keys = sorted(filters, key=lambda n: (order.index(n) if n in order else len(order), n))
        for name in keys:
            value = filters[name]
            if name in _FILTER_MODELS:
                label, model_name = _FILTER_MODELS[name]
                text = names.get((model_name, value), str(value))
            elif name in _FILTER_CHOICES:
                label, choices = _FILTER_CHOICES[name]
                text = str(choices.get(value, value))
            else:
                label = _FILTER_NAMES.get(name, name)
                if isinstance(value, bool):
                    text = gettext("Yes") if value else gettext("No")
                else:
                    text = str(value)
            described.append({"key": name, "label": str(label), "value": text})
        return described

    def render(
        self,
        user,
        filters: dict[str, Any],
        *,
        period: tuple[datetime.date, datetime.date] | None = None,
        fmt: str = "xlsx",
    ) -> exports.ExportFile:
        """The report's export file as `user` would download it with these filters (and
        this period, for a report over a period)."""
        self.check_access(user)
        params = dict(filters)
        if period is not None and self.has_period:
            params["date_from"], params["date_to"] = period[0], period[1]
        view = self.view()
        view.request = OwnerRequest(user=user, query_params=_query_dict(params))
        view.format_kwarg = None
        return exports.render(view.exported(fmt), fmt)


def names_of(filters: list[dict[str, Any]]) -> dict[tuple[str, Any], str]:
    """{(model, id): its name} of every id the filters name — one query per kind of thing,
    whatever the number of subscriptions."""
    from django.apps import apps

    wanted: dict[str, set] = {}
    for one in filters:
        for name, value in one.items():
            if name in _FILTER_MODELS and isinstance(value, int):
                wanted.setdefault(_FILTER_MODELS[name][1], set()).add(value)
    found: dict[tuple[str, Any], str] = {}
    for model_name, ids in wanted.items():
        model = apps.get_model(model_name)
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            found[(model_name, pk)] = str(obj)
    return found


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def _query_dict(params: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            query[name] = "true" if value else "false"
        elif isinstance(value, datetime.date):
            query[name] = value.isoformat()
        else:
            query[name] = str(value)
    return query


REPORTS: dict[str, SubscribableReport] = {
    view.filename: SubscribableReport(view.filename, view) for view in _VIEWS
}

REPORT_KEYS = sorted(REPORTS)


def get(key: str) -> SubscribableReport:
    try:
        return REPORTS[key]
    except KeyError:
        message = gettext("There is no such report to subscribe to.")
        raise ValidationFailed(message, fields={"report": [message]}) from None
