"""Plain-SQL reads that answer model instances exactly as the ORM would, for the request hot
path (issue 9): compiling a queryset with a few joins costs more Python time than the database
spends running it, so a hot read is written once as SQL, and its rows become instances through
the ORM's own column conversions (`Model.from_db` with each field's database converters —
SQLite's decimals, dates and booleans, JSON), related rows cached as `select_related` would."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models.base import ModelState
from django.db.models.signals import post_init

_new_object = object.__new__


class Columns:
    """The concrete columns of `model` under a table alias: their SELECT list, and the
    instance a row's slice of values makes (None when the joined row is missing). Fields named
    in `defer` are not read: the instance loads one if it is ever asked for it, as after the
    ORM's `.defer()`."""

    def __init__(self, model: type[models.Model], alias: str, defer: Sequence[str] = ()) -> None:
        self.model = model
        self.alias = alias
        self.fields = [f for f in model._meta.concrete_fields if f.name not in defer]
        if self.fields[0] is not model._meta.pk or len(self.fields) + len(set(defer)) != len(
            model._meta.concrete_fields
        ):
            raise ValueError(f"{model.__name__}: defer names fields other than its key")
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self._converters: dict[str, list[tuple[int, list, Any]]] = {}
        self._sql: dict[str, str] = {}

    def sql(self) -> str:
        """The SELECT list (built once per database vendor: its quoting)."""
        found = self._sql.get(connection.vendor)
        if found is None:
            quote = connection.ops.quote_name
            found = ", ".join(
                f"{self.alias}.{quote(f.attname if f.column is None else f.column)}"
                for f in self.fields
            )
            self._sql[connection.vendor] = found
        return found

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
        if post_init.receivers:  # pragma: no cover - none in this project: Django's own path
            return self.model.from_db(connection.alias, self.attnames, values)
        # What `from_db` makes (every concrete field given: `__init__` sets each attname in
        # the instance's `__dict__`, then `post_init`, which has no receiver), without walking
        # the fields through their descriptors: a line's SKU, product, unit and category cost
        # a posted stock-out more than its own line (issue 9; `test_rawsql` compares both).
        obj = _new_object(self.model)
        state = obj._state = ModelState()
        state.adding = False
        state.db = connection.alias
        obj.__dict__.update(zip(self.attnames, values, strict=True))
        return obj


def new(model: type[models.Model], **values: Any) -> Any:
    """A new unsaved instance, as `model(**values)` makes it (fields by name — a relation by
    its instance or by `<name>_id` — the others their defaults), without Django's `__init__`:
    it sets each field through its descriptor, which cost a 5-line posted stock-out more than
    its lines' own checks (issue 9). `test_rawsql` compares both on the rows the hot path
    makes."""
    if post_init.receivers:  # pragma: no cover - none in this project: Django's own path
        return model(**values)
    obj = _new_object(model)
    obj._state = ModelState()
    kept = obj.__dict__
    for field in model._meta.concrete_fields:
        if field.name in values:
            value = values.pop(field.name)
            if field.is_relation:
                kept[field.attname] = None if value is None else value.pk
                field.set_cached_value(obj, value)  # type: ignore[attr-defined]
                continue
        elif field.attname in values:
            value = values.pop(field.attname)
        else:
            value = field.get_default()
        kept[field.attname] = value
    if values:
        raise TypeError(f"{model.__name__}() got unexpected fields: {', '.join(values)}")
    return obj


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


_INSERT_PARTS: dict[tuple[str, str], tuple[list, str, str, str, list[str]]] = {}


def _insert_parts(connection, meta) -> tuple[list, str, str, str, list[str]]:
    """The fields an INSERT of `meta`'s rows writes, its `INSERT INTO t (columns) `, one VALUES
    row's placeholders, its ` RETURNING id` and the UNNEST placeholders of its columns ([] where
    rows go as a VALUES list; `_unnest_types`), built once per vendor and model."""
    key = (connection.vendor, meta.label)
    found = _INSERT_PARTS.get(key)
    if found is None:
        quote = connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        columns = ", ".join(quote(f.column) for f in fields)
        found = (
            fields,
            f"INSERT INTO {quote(meta.db_table)} ({columns}) ",
            "(" + ", ".join(["%s"] * len(fields)) + ")",
            f" RETURNING {quote(meta.pk.column)}",
            _unnest_types(fields, connection),
        )
        _INSERT_PARTS[key] = found
    return found


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
    fields, head, row, tail, unnest = _insert_parts(connection, meta)
    suffix = " ON CONFLICT DO NOTHING" if on_conflict_nothing else ""
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), _INSERT_CHUNK):
            chunk = objs[start : start + _INSERT_CHUNK]
            params = row_params(chunk, fields, connection, adding=True, key=(meta.label, "insert"))
            if unnest and len(chunk) > 1 and not any(hasattr(p, "as_sql") for p in params):
                # one array a column: a short statement whatever the rows (see _unnest_types)
                source = f"SELECT * FROM UNNEST({', '.join(unnest)})"
                params = _columns(params, len(fields))
            else:
                source = f"VALUES {', '.join([row] * len(chunk))}"
            cursor.execute(
                f"{head}{source}{suffix}{tail}",
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


def insert_with_children(parent: models.Model, children: list, *, parent_field: str) -> None:
    """INSERT a new row and its new child rows, whose foreign key `parent_field` points at it
    (a document and its lines), setting every id. On PostgreSQL one statement: the parent in a
    writable CTE, the children from one array a column with its id; elsewhere (or for rows
    this statement cannot carry) two `insert`s. One round trip fewer on every created
    document (issue 9)."""
    connection = transaction.get_connection()
    statement = _parent_child_statement(connection, parent, children, parent_field)
    if statement is None:
        insert([parent])
        for child in children:
            setattr(child, parent_field, parent)
        insert(children)
        return
    sql, params, fk = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    parent.pk = rows[0][0]
    _saved(parent, connection)
    for child, (_parent_id, pk) in zip(children, rows, strict=True):
        child.__dict__[fk.attname] = parent.pk
        fk.set_cached_value(child, parent)
        child.pk = pk
        _saved(child, connection)


def _saved(obj: models.Model, connection) -> None:
    obj._state.adding = False
    obj._state.db = connection.alias


def _parent_child_statement(connection, parent, children: list, parent_field: str):
    """`insert_with_children`'s statement, its parameters and the children's foreign key —
    or None where it takes two INSERTs."""
    if connection.vendor != "postgresql" or not children or len(children) > _INSERT_CHUNK:
        return None
    p_meta, c_meta = parent._meta, children[0]._meta
    p_fields, p_head, p_row, p_tail, _unnest = _insert_parts(connection, p_meta)
    c_fields, c_head, _row, c_tail, c_unnest = _insert_parts(connection, c_meta)
    fk = c_meta.get_field(parent_field)
    if not c_unnest or fk not in c_fields:
        return None
    others = [f for f in c_fields if f is not fk]
    p_params = row_params([parent], p_fields, connection, adding=True, key=(p_meta.label, "insert"))
    c_params = row_params(
        children, others, connection, adding=True, key=(c_meta.label, "child", parent_field)
    )
    if any(hasattr(p, "as_sql") for p in (*p_params, *c_params)):
        return None
    quote = connection.ops.quote_name
    parent_id = f"(SELECT {quote(p_meta.pk.column)} FROM d)"
    names = iter(f"u.c{i}" for i in range(len(others)))
    select = ", ".join(parent_id if f is fk else next(names) for f in c_fields)
    arrays = ", ".join(t for f, t in zip(c_fields, c_unnest, strict=True) if f is not fk)
    aliases = ", ".join(f"c{i}" for i in range(len(others)))
    sql = (
        f"WITH d AS ({p_head}VALUES {p_row}{p_tail}), "
        f"l AS ({c_head}SELECT {select} FROM UNNEST({arrays}) AS u ({aliases}){c_tail}) "
        f"SELECT {parent_id}, {quote(c_meta.pk.column)} FROM l ORDER BY 2"
    )
    return sql, [*p_params, *_columns(c_params, len(others))], fk


def _unnest_types(fields: Sequence[Any], connection) -> list[str]:
    """On PostgreSQL, the `(%s)::type[]` placeholders of an `UNNEST` of one array a column of
    `fields` — or [] where the rows are to be written as a VALUES list (SQLite; a field whose
    type is not a plain one of the backend's, or that places its own placeholder), by the rules
    Django 5.2's bulk_create follows for the same statement.

    A VALUES list has a placeholder a value: psycopg splits a statement text longer than 4 kB
    or with more than 50 parameters anew at each call, in Python — about 2 ms for the 50 moves of
    a 50-line receipt, more than PostgreSQL spends running the INSERT (issue 12) — and the
    server parses and plans one VALUES row a row. The UNNEST statement's text is the same for
    any number of rows: psycopg's statement cache holds it. Rows come out of UNNEST in the
    arrays' order, so RETURNING gives the ids in the order of the objects (as bulk_create
    relies on)."""
    if connection.vendor != "postgresql":
        return []
    types = []
    for field in fields:
        target = field.target_field if field.is_relation else field
        if hasattr(field, "get_placeholder") or target.get_internal_type() not in (
            connection.data_types
        ):
            return []
        types.append(f"(%s)::{field.db_type(connection).split('(')[0]}[]")
    return types


def _columns(params: list, width: int) -> list:
    """Flat row-major `params` of rows `width` values wide, as one array a column: a
    PostgreSQL array literal (`'{1,2,NULL}'`, which each statement casts to the column's array
    type) where every value is of a plain type, else the list for psycopg to adapt (JSON, say).
    psycopg scans a list to choose its element type and dumps it element by element: about
    0.4 ms for the 40 arrays of a 5-line posted stock-out, three times the literals' cost
    (issue 9)."""
    return [_array_literal(params[k::width]) for k in range(width)]


def _array_literal(values: list) -> str | list:
    parts: list[str] = []
    append = parts.append
    for value in values:
        kind = type(value)
        if value is None:
            append("NULL")
        elif kind is str:
            append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        elif kind is int or kind is Decimal:
            append(str(value))
        elif kind is bool:
            append("t" if value else "f")
        elif kind is datetime.datetime or kind is datetime.date:
            append(value.isoformat())
        else:
            return values
    return "{" + ",".join(parts) + "}"


# ---- the values of rows as the database driver takes them

_Prep = Callable[[Any], Any]


def _field_prep(field: Any, connection) -> tuple[str, bool, _Prep]:
    """(attname, whether pre_save must run, value → driver value) of one concrete field.

    `field.get_db_prep_save` walks half a dozen methods per value (to_python, the Promise
    check, get_prep_value, the backend's adapter); for the value types a field normally holds
    the result is the backend adapter's answer on the value itself, so the common case calls
    just that (None is None but in a boolean field), and any other value (an expression, a
    string in a decimal field, a naive datetime) takes Django's own path. `core/tests/test_rawsql.py` checks both agree on every field of the
    rows the hot paths write, on SQLite and PostgreSQL."""
    ops = connection.ops

    def slow(value):
        return field.get_db_prep_save(value, connection)

    internal = field.get_internal_type()
    target = field.target_field if field.is_relation else field
    fast: _Prep = slow
    if field.is_relation:
        target_internal = target.get_internal_type()
        if target_internal in ("AutoField", "BigAutoField", "SmallAutoField"):
            validate = ops.validate_autopk_value

            def fast(value):
                if type(value) is int:
                    return validate(value)
                return None if value is None else slow(value)

    elif internal in ("AutoField", "BigAutoField", "SmallAutoField"):
        pass
    elif internal in (
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    ):
        adapt_int = ops.adapt_integerfield_value

        def fast(value):
            if type(value) is int:
                return adapt_int(value, internal)
            return None if value is None else slow(value)

    elif internal == "DecimalField":
        adapt_decimal = ops.adapt_decimalfield_value
        digits, places = field.max_digits, field.decimal_places  # type: ignore[attr-defined]

        def fast(value):
            if type(value) is Decimal and value.is_finite():
                return adapt_decimal(value, digits, places)
            return None if value is None else slow(value)

    elif internal in ("CharField", "TextField"):

        def fast(value):
            return value if type(value) is str or value is None else slow(value)

    elif internal == "BooleanField":

        def fast(value):
            return value if type(value) is bool else slow(value)

    elif internal == "DateTimeField":
        adapt_datetime = ops.adapt_datetimefield_value
        last: list = [None, None]  # the last datetime adapted and its answer: the rows of one
        # statement mostly share one (a posting's time on each of its moves)

        def fast(value):
            if value is last[0] and value is not None:
                return last[1]
            if type(value) is datetime.datetime and value.utcoffset() is not None:
                adapted = adapt_datetime(value)
                last[0], last[1] = value, adapted
                return adapted
            return None if value is None else slow(value)

    elif internal == "DateField":
        adapt_date = ops.adapt_datefield_value

        def fast(value):
            if type(value) is datetime.date:
                return adapt_date(value)
            return None if value is None else slow(value)

    pre_save = bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    if type(field).pre_save is not models.Field.pre_save and internal not in (
        "DateField",
        "DateTimeField",
    ):
        pre_save = True  # a field computing its value on save (a file, a custom field)
    return field.attname, pre_save, fast


def _preps(key: tuple, fields: Sequence[Any], connection) -> list[tuple[Any, str, bool, _Prep]]:
    """The preparations of `fields` (named by `key`), kept on the connection: they hold its
    backend's adapters."""
    kept = connection.__dict__.setdefault("_storeledger_field_preps", {})
    found = kept.get(key)
    if found is None:
        found = kept[key] = [(field, *_field_prep(field, connection)) for field in fields]
    return found


def row_params(
    objs: Sequence, fields: Sequence[Any], connection, *, adding: bool | None, key: tuple = ()
) -> list:
    """The values of `fields` of each of `objs`, flat, as `field.get_db_prep_save(
    field.pre_save(obj, adding))` gives them — or, with `adding` None, as
    `field.get_db_prep_save(<the attribute>)` (an update of values the caller set). `key`
    names the list of fields (the model and the statement) to keep their preparations by."""
    if key:
        preps = _preps(key, fields, connection)
    else:
        preps = [(field, *_field_prep(field, connection)) for field in fields]
    params: list = []
    append = params.append
    for obj in objs:
        values = obj.__dict__
        for field, attname, pre_save, prep in preps:
            if pre_save and adding is not None:
                append(prep(field.pre_save(obj, adding)))
            else:
                value = values[attname] if attname in values else getattr(obj, attname)
                append(prep(value))
    return params


def update(objs: Sequence[models.Model], names: Sequence[str]) -> None:
    """One set-based UPDATE of `names` of `objs` (rows of one model, by primary key): a VALUES
    list joined on the key. Django's bulk_update builds a CASE expression per field and row,
    which costs more Python time than the rest of a posting; this statement is built in
    microseconds. `names` are set as the instances hold them (no auto_now stamping)."""
    if not objs:
        return
    connection = transaction.get_connection()
    model = type(objs[0])
    if connection.vendor not in ("postgresql", "sqlite"):  # pragma: no cover
        model._default_manager.bulk_update(objs, list(names))
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields: list[Any] = [meta.get_field(name) for name in names]
    pk = meta.pk
    if connection.vendor == "postgresql":
        casts = [f"::{f.cast_db_type(connection)}" for f in (pk, *fields)]
    else:
        casts = [""] * (len(fields) + 1)
    row = "(" + ", ".join(f"%s{cast}" for cast in casts) + ")"
    params = row_params(
        objs, [pk, *fields], connection, adding=None, key=(meta.label, "update", *names)
    )
    source = f"VALUES {', '.join([row] * len(objs))}"
    if (
        len(objs) > 1
        and _unnest_types([pk, *fields], connection)
        and not any(hasattr(p, "as_sql") for p in params)
    ):  # one array a column, each cast to the column's type as the VALUES rows are
        source = "SELECT * FROM UNNEST(" + ", ".join(f"(%s){cast}[]" for cast in casts) + ")"
        params = _columns(params, len(fields) + 1)
    columns = ["id", *(f"v{i}" for i in range(len(fields)))]
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = v.v{i}" for i, f in enumerate(fields))
    sql = (
        f"WITH v ({', '.join(columns)}) AS ({source}) "
        f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{quote(pk.column)} = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
