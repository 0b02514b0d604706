"""Serializer fields built once per class (request hot path, issue 9).

DRF builds every field of a serializer again for each request: a ModelSerializer introspects
its model (`build_field`) and deep-copies its declared fields, which re-runs each field's
constructor. For a document answer that was most of the time spent serializing it. A
serializer class with `KeptFieldsMixin` builds its fields once (unbound, as `get_fields`
returns them) and hands each new serializer shallow copies, which DRF then binds to it as
usual. Fields holding other fields or serializers (a nested serializer, a list's child, a
many-related field) are deep-copied as before: binding changes them.

Only for serializers whose `get_fields` depends on the class alone (not on the request, the
instance or the context) — true of DRF's own and of every `get_fields` here (core.costs)."""

from __future__ import annotations

import copy

from rest_framework import serializers

_KEPT: dict[type, list[tuple[str, serializers.Field, bool]]] = {}


def _nests(field: serializers.Field) -> bool:
    return (
        isinstance(field, serializers.BaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    )


def _shallow(field: serializers.Field) -> serializers.Field:
    """`copy.copy(field)` without its `__reduce_ex__` round: a new instance of the class with
    the same attributes (DRF fields keep their state in `__dict__` and define no `__copy__`)."""
    new = object.__new__(type(field))
    new.__dict__.update(field.__dict__)
    return new


class KeptFieldsMixin:
    def get_fields(self):
        kept = _KEPT.get(type(self))
        if kept is None:
            fields = super().get_fields()  # type: ignore[misc]
            kept = [(name, field, _nests(field)) for name, field in fields.items()]
            _KEPT[type(self)] = kept
        return {
            name: copy.deepcopy(field) if nests else _shallow(field) for name, field, nests in kept
        }
