"""Plain-SQL reads that answer model instances exactly as the ORM would, for the request hot
path (issue 9): compiling a queryset with a few joins costs more Python time than the database
spends running it, so a hot read is written once as SQL, and its rows become instances through
the ORM's own column conversions (`Model.from_db` with each field's database converters —
SQLite's decimals, dates and booleans, JSON), related rows cached as `select_related` would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, connection, models, transaction


class Columns:
    """The concrete columns of `model` under a table alias: their SELECT list, and the
    instance a row's slice of values makes (None when the joined row is missing)."""

    def __init__(self, model: type[models.Model], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self._converters: dict[str, list[tuple[int, list, Any]]] = {}

    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)

    def _converters_for(self) -> list[tuple[int, list, Any]]:
        vendor = connection.vendor
        found = self._converters.get(vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                functions = connection.ops.get_db_converters(col) + col.get_db_converters(
                    connection
                )
                if functions:
                    found.append((index, functions, col))
            self._converters[vendor] = found
        return found

    def instance(self, row: Sequence, start: int) -> models.Model | None:
        values = list(row[start : start + self.width])
        if values[0] is None:  # the primary key: no joined row
            return None
        for index, functions, col in self._converters_for():
            value = values[index]
            for function in functions:
                value = function(value, col, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.attnames, values)


def cache_related(instance: models.Model, name: str, related: models.Model | None) -> None:
    """`instance.<name>` (a forward foreign key) answers `related` without a query."""
    type(instance)._meta.get_field(name).set_cached_value(instance, related)  # type: ignore[union-attr]


def convert(model: type[models.Model], name: str, value: Any) -> Any:
    """A value of `model.<name>`'s column as a plain cursor read it (e.g. an aggregate of the
    column), converted as the ORM converts the column."""
    col = model._meta.get_field(name).get_col(model._meta.db_table)  # type: ignore[union-attr]
    for function in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
        value = function(value, col, connection)
    return value


_INSERT_CHUNK = 500  # rows per INSERT: far below the parameter limits of both databases


def insert(objs: list, *, on_conflict_nothing: bool = False) -> int:
    """INSERT ... RETURNING id of new rows of one model, setting their ids; returns how many
    were inserted. With `on_conflict_nothing`, a row that hits a unique constraint is
    skipped (no error, no savepoint needed: the transaction stays usable).

    Django's bulk_create costs more Python time than the whole rest of a small posting and
    cannot report which rows a conflict skipped; this is the plain statement."""
    if not objs:
        return 0
    connection = transaction.get_connection()
    meta = objs[0]._meta
    if connection.vendor not in ("postgresql", "sqlite"):  # pragma: no cover
        if on_conflict_nothing:
            try:
                with transaction.atomic():
                    type(objs[0]).objects.bulk_create(objs)
            except IntegrityError:
                return 0
            return len(objs)
        type(objs[0]).objects.bulk_create(objs)
        return len(objs)
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = " ON CONFLICT DO NOTHING" if on_conflict_nothing else ""
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), _INSERT_CHUNK):
            chunk = objs[start : start + _INSERT_CHUNK]
            params = [
                f.get_db_prep_save(f.pre_save(obj, True), connection)
                for obj in chunk
                for f in fields
            ]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                f"{', '.join([row] * len(chunk))}{suffix} RETURNING {quote(meta.pk.column)}",
                params,
            )
            ids = [r[0] for r in cursor.fetchall()]
            if len(ids) == len(chunk):
                for obj, pk in zip(chunk, ids, strict=True):
                    obj.pk = pk
                    obj._state.adding = False
                    obj._state.db = connection.alias
            inserted += len(ids)
    return inserted
