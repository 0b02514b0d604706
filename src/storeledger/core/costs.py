"""Who sees costs (issue 8): unit costs, moving-average costs, stock values, move and line
values, variance values and purchase prices are shown only to users with `reports.view_cost`
(admin, head office/buyer, store manager, finance — not warehouse keepers, cashiers or
viewers; accounts.roles). Everywhere one rule:

- JSON: the field stays in the answer (the schema does not change per user) and is `null`;
- files (xlsx, csv, PDF): the column is left out;
- the web UI hides the column or field (the permission comes with /api/v1/auth/me/).

The permission is the reports' own (`reports.ReportAccess`, the first place that needed it);
its code name is all the other apps need, so they do not import the reports app."""

from __future__ import annotations

from typing import Any

COST_PERMISSION = "reports.view_cost"
_CACHE = "_storeledger_show_cost"


def can_see_cost(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(COST_PERMISSION))


def shows_cost(context: dict[str, Any]) -> bool:
    """From a serializer's context: its `show_cost`, else the request's user (kept on the
    request, so a list of many rows asks once)."""
    if "show_cost" in context:
        return bool(context["show_cost"])
    request = context.get("request")
    if request is None:
        return True  # no user: a service or a test serializing on its own
    cached = getattr(request, _CACHE, None)
    if cached is None:
        cached = can_see_cost(request.user)
        setattr(request, _CACHE, cached)
    return cached


class CostFieldsMixin:
    """A serializer whose `cost_fields` are null for a user without the cost permission
    (nested serializers of this kind hide their own: the context is the root's). Read-only ones
    are declared nullable, so the OpenAPI schema and the typed client say so (a writable one
    keeps refusing a null input)."""

    cost_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        for name in self.cost_fields:
            if name in fields and fields[name].read_only:
                fields[name].allow_null = True
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)  # type: ignore[misc]
        if self.cost_fields and not shows_cost(self.context):  # type: ignore[attr-defined]
            for name in self.cost_fields:
                if name in data:
                    data[name] = None
        return data
