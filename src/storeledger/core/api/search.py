"""`?search=` for master-data lists: codes, names, exact barcodes and pinyin initials."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import BaseFilterBackend

from storeledger.core.errors import ValidationFailed

SEARCH_PARAM = "search"


class TextSearchFilter(BaseFilterBackend):
    """A view declares `search_fields` (icontains lookups) and optionally `search_q(term)`
    returning extra Q objects (exact barcode as a subquery, pinyin initials, ...); every whitespace-separated
    term must match (AND), each term may match any field (OR)."""

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get(SEARCH_PARAM, "").strip()
        if not text:
            return queryset
        if "\x00" in text:
            # PostgreSQL refuses NUL in text (a 500); SQLite matched every row
            raise ValidationFailed(
                _("The search text contains a NUL character."),
                code="invalid",
                fields={SEARCH_PARAM: [_("Remove the NUL character.")]},
            )
        fields = getattr(view, "search_fields", ())
        extra = getattr(view, "search_q", None)
        for term in text.split()[:5]:
            parts = [Q(**{f"{field}__icontains": term}) for field in fields]
            if extra is not None:
                parts.extend(extra(term))
            if parts:
                queryset = queryset.filter(reduce(or_, parts))
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": SEARCH_PARAM,
                "required": False,
                "in": "query",
                "description": str(
                    _("Search by code, name, barcode or the pinyin initials of the name.")
                ),
                "schema": {"type": "string"},
            }
        ]


def pinyin_q(term: str, field: str = "name_initials") -> list[Q]:
    """Pinyin initials match when the term is plain ASCII letters (typing `kkkl` finds 可口可乐)."""
    if term.isascii() and term.isalpha():
        return [Q(**{f"{field}__icontains": term.lower()})]
    return []
