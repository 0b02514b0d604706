"""The API's django-filter backend: a number filter beyond the 64-bit range of the database's
columns (`?warehouse=36893488147419103232`, `?warehouse=-5e153`) is a 400 on every database
(SQLite raised OverflowError, PostgreSQL quietly matched nothing)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend

from storeledger.core.api.parsers import INT64_MAX
from storeledger.core.errors import ValidationFailed


def out_of_range_error(name: str) -> ValidationFailed:
    message = _("The number in %(name)s is out of range (at most 19 digits).") % {"name": name}
    return ValidationFailed(message, code="number_out_of_range", fields={name: [message]})


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and filterset.is_valid():
            for name, value in filterset.form.cleaned_data.items():
                if isinstance(value, Decimal) and (not value.is_finite() or abs(value) > INT64_MAX):
                    raise out_of_range_error(name)
        return super().filter_queryset(request, queryset, view)
