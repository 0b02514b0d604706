"""Query parameters of list endpoints are checked, not ignored: a misspelt filter
(`?wharehouse=3`) would otherwise answer every row as if it were applied, and a page number
that is not a number answered an HTML-less 404. Every list, export and other collection
endpoint (a viewset's `list` and its `detail=False` actions, an API view with a
`query_serializer`) refuses a parameter it does not know with 400 `unknown_parameter` and an
unreadable page or page size with 400 `invalid_parameter`, both naming the parameter.

What a view knows is collected from what it already declares, so no view lists its
parameters twice: the paginator's page parameters, each filter backend's parameters
(django-filter's filterset, `search=`, `ordering=`), the view's `query_serializer` fields, the
standard `format` (file format of exports, DRF's renderer elsewhere) and `lang` (language),
and `extra_query_params` for a parameter a view reads by hand (an action may pass it as an
`@action(...)` keyword). tests/contract checks every parameter of the OpenAPI schema against it.

A parameter given twice (`?warehouse=1&warehouse=2`) is refused with 400 `repeated_parameter`
unless it takes several values (a multiple-choice filter such as `status`, a list field of a
`query_serializer`): otherwise one of the two would be applied silently."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django import forms
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from storeledger.core.errors import ValidationFailed

# accepted by every checked endpoint: the file/renderer format and the request language
STANDARD = frozenset({"format", "lang"})


def unknown_parameter(
    name: str, known: Iterable[str], field: str | None = None
) -> ValidationFailed:
    """`field`: where the parameter sits in the request (default: its name)."""
    message = _("Unknown query parameter: %(name)s.") % {"name": name}
    return ValidationFailed(
        message,
        code="unknown_parameter",
        fields={field or name: [message]},
        details={"parameter": name, "known": sorted(known)},
    )


def invalid_parameter(name: str) -> ValidationFailed:
    message = _("%(name)s must be a whole number of at least 1.") % {"name": name}
    return ValidationFailed(
        message, code="invalid_parameter", fields={name: [message]}, details={"parameter": name}
    )


def repeated_parameter(name: str) -> ValidationFailed:
    message = _("%(name)s is given more than once; it takes one value.") % {"name": name}
    return ValidationFailed(
        message, code="repeated_parameter", fields={name: [message]}, details={"parameter": name}
    )


def _filters(view, backend: DjangoFilterBackend) -> dict:
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        queryset = view.get_queryset()
    filterset_class = backend.get_filterset_class(view, queryset)
    return {} if filterset_class is None else filterset_class.base_filters


def _filterset_params(view, backend: DjangoFilterBackend) -> set[str]:
    names: set[str] = set()
    for name, filter_ in _filters(view, backend).items():
        suffixes = getattr(filter_.field.widget, "suffixes", None)
        if suffixes:
            names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
        else:
            names.add(name)
    return names


class QueryParamsMixin:
    """Checks the query parameters of a view's collection endpoints (see the module text)."""

    extra_query_params: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method in ("GET", "HEAD") and self.checks_query_params():
            check_query_params(request, self.known_query_params(), self.multi_value_params())

    def checks_query_params(self) -> bool:
        action = getattr(self, "action", None)
        if action is not None:
            return action == "list" or not getattr(self, "detail", True)
        return getattr(self, "query_serializer", None) is not None or bool(self.extra_query_params)

    def known_query_params(self) -> set[str]:
        names = set(STANDARD) | set(self.extra_query_params)
        paginator = getattr(self, "paginator", None)
        if paginator is not None:
            names.add(paginator.page_query_param)
            if getattr(paginator, "page_size_query_param", None):
                names.add(paginator.page_size_query_param)
        for backend_class in getattr(self, "filter_backends", ()):
            backend = backend_class()
            if isinstance(backend, DjangoFilterBackend):
                names |= _filterset_params(self, backend)
            elif hasattr(backend, "get_schema_operation_parameters"):
                names.update(p["name"] for p in backend.get_schema_operation_parameters(self))
        query_serializer = getattr(self, "query_serializer", None)
        if query_serializer is not None:
            names.update(query_serializer().fields)
        return names

    def multi_value_params(self) -> set[str]:
        """The parameters that may be given more than once."""
        names: set[str] = set()
        for backend_class in getattr(self, "filter_backends", ()):
            if issubclass(backend_class, DjangoFilterBackend):
                names.update(
                    name
                    for name, filter_ in _filters(self, backend_class()).items()
                    if issubclass(
                        filter_.field_class,
                        forms.MultipleChoiceField | forms.ModelMultipleChoiceField,
                    )
                )
        query_serializer = getattr(self, "query_serializer", None)
        if query_serializer is not None:
            names.update(
                name
                for name, field in query_serializer().fields.items()
                if isinstance(field, serializers.ListField | serializers.MultipleChoiceField)
            )
        return names


def check_query_params(request, known: set[str], multi: Collection[str] = ()) -> None:
    for name in request.query_params:
        if name not in known:
            raise unknown_parameter(name, known)
    for name, values in request.query_params.lists():
        if len(values) > 1 and name not in multi:
            raise repeated_parameter(name)
    for name in ("page", "page_size"):
        raw = request.query_params.get(name)
        if name not in known or not raw or (name == "page" and raw == "last"):
            continue  # absent or empty: the first page, the default size
        if not (raw.isdigit() and len(raw) <= 9 and int(raw) >= 1):
            raise invalid_parameter(name)
