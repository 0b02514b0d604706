"""Objects a service already holds, answered without reading them back.

A service that creates a document has its row, its lines and their SKUs, units and batches in
memory; the API answers from them (request hot path, issue 9) instead of re-reading the
document with a dozen joins and a prefetch — which cost more than the operation itself."""

from __future__ import annotations

from django.db import models


def hold_related(instance: models.Model, name: str, rows: list) -> None:
    """`instance.<name>.all()` (a reverse foreign key or many-to-many) answers `rows` without
    a query, as after `prefetch_related(name)`."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def hold_missing_reverse_one(instance: models.Model, name: str) -> None:
    """A reverse one-to-one known to be empty (a new row): reading it raises DoesNotExist
    without a query."""
    descriptor = getattr(type(instance), name)
    descriptor.related.set_cached_value(instance, None)


def hold_new_document(document: models.Model, *, lines: list) -> None:
    """A document just created in this transaction: its `lines` as given, and no reversing
    document yet."""
    hold_related(document, "lines", lines)
    hold_missing_reverse_one(document, "reversed_by_document")
