"""Generic xlsx/csv import and export of master data, declared once per resource.

A resource names its columns (export == import, so a sheet round-trips), a flat import
serializer that validates one row, and how to save a valid row (through the app's service).
An import validates EVERY row first and imports nothing when any row is bad; otherwise it
creates or updates by key (usually `code`) in one transaction."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypedDict, Unpack

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from storeledger.core import spreadsheets
from storeledger.core.errors import DomainError, ValidationFailed
from storeledger.core.services import service

FORMATS = ("xlsx", "csv")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
MAX_ROWS = 100_000  # data rows of one file
MAX_COLUMNS = 64  # columns read from a sheet (the widest resource has fewer than 30)
MAX_SHEET_ROWS = MAX_ROWS + 10_000  # rows a sheet may declare or hold, empty ones included
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # an xlsx is a zip: its unpacked size
CHUNK_ROWS = 1000  # rows validated and saved together
ERRORS_SHOWN = 1000  # refused rows and warnings listed in an answer (the file has them all)
NOTE_PREFIX = "#"  # columns named #... are notes (row number, errors) and ignored on import
REFUSE_ALL, SKIP_INVALID = "refuse_all", "skip_invalid"
ON_ERROR_CHOICES = (REFUSE_ALL, SKIP_INVALID)


@dataclass(frozen=True)
class Column:
    """One column: `name` is the header and the import serializer's field; `source` is a
    dotted attribute path (or a callable) that gives the exported value."""

    name: str
    source: str | Callable[[Any], Any] | None = None

    def value(self, obj: Any) -> Any:
        source = self.source or self.name
        if callable(source):
            return source(obj)
        value = obj
        for part in source.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value


class TabularResource:
    """Subclass per resource: model, columns, import_serializer, save_row()."""

    model: ClassVar[type[models.Model]]
    columns: ClassVar[list[Column]]
    import_serializer: ClassVar[type[serializers.Serializer]]
    key_columns: ClassVar[tuple[str, ...]] = ("code",)
    filename: ClassVar[str] = "export"

    def __init__(self, user) -> None:
        self.user = user

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        """Add select_related/prefetch_related so the export does not query per row."""
        return queryset

    def row_key(self, row: dict[str, str]) -> str:
        """The natural key of a row; empty when a key column is empty."""
        parts = [row.get(name, "") for name in self.key_columns]
        return "/".join(parts) if all(parts) else ""

    def find(self, row: dict[str, str]) -> models.Model | None:
        """The existing record a row updates (by the key columns), or None to create one."""
        return self.model._default_manager.filter(
            **{name: row[name] for name in self.key_columns}
        ).first()

    def find_many(self, rows: list[dict[str, str]]) -> dict[str, models.Model]:
        """{row key: existing record} for the rows of a chunk: one query when the key is one
        column and `find` is not overridden."""
        if type(self).find is not TabularResource.find or len(self.key_columns) != 1:
            found = {}
            for row in rows:
                key = self.row_key(row)
                instance = self.find(row) if key else None
                if instance is not None:
                    found[key] = instance
            return found
        name = self.key_columns[0]
        keys = {row[name] for row in rows if row.get(name)}
        return {
            str(getattr(obj, name)): obj
            for obj in self.lookup_queryset().filter(**{f"{name}__in": keys})
        }

    def lookup_queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def save_row(self, *, instance: models.Model | None, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def save_chunk(
        self, items: list[tuple[int, str, models.Model | None, dict[str, Any]]]
    ) -> dict[int, dict[str, list[str]]]:
        """Save the valid rows of a chunk ((row number, code, instance, validated data));
        answer {row number: field errors} for rows that could not be saved. The default
        saves row by row through save_row, each in a savepoint; override it to save in bulk
        (a domain or integrity error then makes the chunk be saved row by row instead)."""
        return _save_rows_one_by_one(self, items)

    def begin(self) -> None:
        """Called once before the first row (e.g. to read small lookup tables)."""

    def prepare(self, rows: list[dict[str, str]]) -> None:
        """Called with the rows of each chunk, in file order, before they are validated."""

    def row_warnings(
        self, number: int, row: dict[str, str], instance: models.Model | None
    ) -> list[str]:
        """Warnings about a valid row (it is imported all the same)."""
        return []

    def serializer_context(self) -> dict[str, Any]:
        return {"user": self.user}


# ---------------------------------------------------------------- export


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def export_rows(resource: TabularResource, queryset: models.QuerySet) -> Iterable[list[Any]]:
    """The header, then one list of raw values per record."""
    yield resource.headers
    for obj in resource.export_queryset(queryset).iterator(chunk_size=2000):
        yield [column.value(obj) for column in resource.columns]


def export_bytes(resource: TabularResource, queryset: models.QuerySet, fmt: str) -> bytes:
    """Every cell is text (codes and barcodes keep their leading zeros), escaped as the report
    exports are (core.spreadsheets): in csv a leading = + - @ gets an apostrophe, in xlsx
    text is written as a string cell, never a formula; control characters are dropped."""
    rows = export_rows(resource, queryset)
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([spreadsheets.csv_text(cell_text(value)) for value in row])
        return text.getvalue().encode("utf-8-sig")  # with BOM so Excel shows Chinese
    import xlsxwriter

    binary = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        binary,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(resource.filename[:31])
    for row_index, row in enumerate(rows):
        for index, value in enumerate(row):
            shown = spreadsheets.xlsx_text(cell_text(value))
            if shown:
                sheet.write_string(row_index, index, shown)
    workbook.close()
    return binary.getvalue()


# ---------------------------------------------------------------- reading


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _too_many_rows() -> ValidationFailed:
    return ValidationFailed(
        _("A file may hold at most %(max)s rows.") % {"max": f"{MAX_ROWS:,}"},
        code="too_many_rows",
        details={"max_rows": MAX_ROWS},
    )


def _sheet_too_large(rows: int, columns: int) -> ValidationFailed:
    return ValidationFailed(
        _(
            "The workbook declares a sheet of %(rows)s rows and %(columns)s columns; at most "
            "%(max_rows)s rows and %(max_columns)s columns can be imported."
        )
        % {
            "rows": f"{rows:,}",
            "columns": f"{columns:,}",
            "max_rows": f"{MAX_ROWS:,}",
            "max_columns": MAX_COLUMNS,
        },
        code="sheet_too_large",
        details={"max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS},
    )


def _bad_xlsx() -> ValidationFailed:
    return ValidationFailed(_("The file is not a readable xlsx workbook."), code="bad_file")


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of the first sheet, streamed; the package and the sheet's declared size are
    checked before any cell is parsed (a few KB can declare a sheet of billions of cells)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _bad_xlsx() from error
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ValidationFailed(
            _("The workbook unpacks to more than %(max)s MB; it cannot be imported.")
            % {"max": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)},
            code="file_too_large",
            details={"max_uncompressed_bytes": MAX_UNCOMPRESSED_BYTES},
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise _bad_xlsx() from error
    try:
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > MAX_SHEET_ROWS or columns > MAX_COLUMNS:
            raise _sheet_too_large(rows, columns)
        # never trust the declared size for padding: read at most MAX_COLUMNS per row and
        # count rows as they come (gaps in the row numbers are yielded as empty rows)
        sheet.reset_dimensions()
        try:
            for index, values in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
            ):
                if index > MAX_SHEET_ROWS:
                    raise _too_many_rows()
                yield [_xlsx_text(v) for v in values]
        except ValidationFailed:
            raise
        except Exception as error:
            raise _bad_xlsx() from error
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed(
            _("The csv file is neither UTF-8 nor GB18030 encoded."), code="bad_file"
        )
    try:
        for values in csv.reader(io.StringIO(text, newline="")):
            yield [spreadsheets.unescape_csv_text(c.strip()) for c in values[:MAX_COLUMNS]]
    except csv.Error as error:
        raise ValidationFailed(
            _("The csv file cannot be read: %(error)s") % {"error": error}, code="bad_file"
        ) from error


def iter_table(data: bytes, filename: str = "") -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cell texts) for every row of the first sheet or the csv file,
    the header row included (row 1), streamed; fully empty rows are skipped, control
    characters dropped; more than MAX_ROWS data rows is refused (400 too_many_rows)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise file_too_large()
    is_xlsx = data[:2] == b"PK" or filename.lower().endswith(".xlsx")
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    kept = 0
    for number, values in enumerate(rows, start=1):
        if not any(values):
            continue
        kept += 1
        if kept > MAX_ROWS + 1:
            raise _too_many_rows()
        while not values[-1]:  # an xlsx row is as wide as the read: drop the empty end
            values = values[:-1]
        yield number, [spreadsheets.clean_text(v) for v in values]


def read_table(data: bytes, filename: str = "") -> list[tuple[int, list[str]]]:
    return list(iter_table(data, filename))


def file_too_large() -> ValidationFailed:
    return ValidationFailed(
        _("The file is larger than %(max)s MB.") % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)},
        code="file_too_large",
        details={"max_bytes": MAX_UPLOAD_BYTES},
    )


# ---------------------------------------------------------------- import


def _flatten(errors: Any) -> dict[str, list[str]]:
    from storeledger.core.api.errors import _flatten as flatten

    return flatten(errors)


def _domain_fields(error: Exception) -> dict[str, list[str]]:
    if isinstance(error, DomainError):
        return error.fields or {"non_field_errors": [str(error.message)]}
    if isinstance(error, DjangoValidationError):
        if hasattr(error, "error_dict"):
            return {k: [str(m) for m in v] for k, v in error.message_dict.items()}
        return {"non_field_errors": [str(m) for m in error.messages]}
    raise error


@dataclass
class ImportOutcome:
    """What an import met, filled while it runs (also when it ends refused): the refused rows
    keep their cells so they can be handed back as a file."""

    header: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows_read: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    refused: list[tuple[int, list[str]]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def refuse(self, number: int, key: str, values: list[str], fields: dict) -> None:
        self.errors.append({"row": number, "code": key, "fields": fields})
        self.refused.append((number, values))


def _invalid(outcome: ImportOutcome) -> ValidationFailed:
    count = len(outcome.errors)
    return ValidationFailed(
        _("%(count)s row(s) of the file are not valid; nothing was imported.") % {"count": count},
        code="import_invalid",
        details={
            "rows": outcome.errors[:ERRORS_SHOWN],
            "count": count,
            "warnings": outcome.warnings[:ERRORS_SHOWN],
        },
    )


def error_text(fields: dict[str, list[str]]) -> str:
    """Field errors as one line of text (the refused-rows file's #errors column)."""
    return "; ".join(
        (" ".join(messages) if name == "non_field_errors" else f"{name}: {' '.join(messages)}")
        for name, messages in fields.items()
    )


def refused_file(outcome: ImportOutcome, fmt: str) -> bytes:
    """The refused rows with their cells as read, their row number and why (the # columns are
    ignored by an import, so the file can be corrected and imported again)."""
    by_row = {error["row"]: error["fields"] for error in outcome.errors}
    header = [*outcome.header, NOTE_PREFIX + "row", NOTE_PREFIX + "errors"]
    width = len(outcome.header)

    def rows() -> Iterator[list[str]]:
        yield header
        for number, values in outcome.refused:
            cells = (values + [""] * width)[:width]
            yield [*cells, str(number), error_text(by_row.get(number, {}))]

    return table_bytes(rows(), fmt, "refused")


def table_bytes(rows: Iterable[list[str]], fmt: str, title: str) -> bytes:
    """Text rows as csv or xlsx, escaped like every export."""
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([spreadsheets.csv_text(cell) for cell in row])
        return text.getvalue().encode("utf-8-sig")
    import xlsxwriter

    binary = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        binary,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(title[:31])
    for row_index, row in enumerate(rows):
        for index, cell in enumerate(row):
            shown = spreadsheets.xlsx_text(cell)
            if shown:
                sheet.write_string(row_index, index, shown)
    workbook.close()
    return binary.getvalue()


def _row_validator(resource: TabularResource) -> Callable[[Any, dict], tuple[Any, Any]]:
    """One serializer for the whole file, run per row (building a DRF serializer per row
    costs more than validating the row)."""
    serializer = resource.import_serializer(data={}, context=resource.serializer_context())

    def validate(instance: models.Model | None, row: dict[str, str]):
        serializer.instance = instance
        serializer.partial = instance is not None
        serializer.initial_data = row
        try:
            return dict(serializer.run_validation(row)), None
        except serializers.ValidationError as error:
            return None, _flatten(error.detail)

    return validate


def _save_rows_one_by_one(
    resource: TabularResource, items: list[tuple[int, str, models.Model | None, dict[str, Any]]]
) -> dict[int, dict[str, list[str]]]:
    errors: dict[int, dict[str, list[str]]] = {}
    for number, _key, instance, validated in items:
        try:
            with transaction.atomic():
                resource.save_row(instance=instance, data=validated)
        except (DomainError, DjangoValidationError) as error:
            errors[number] = _domain_fields(error)
    return errors


def _chunks(rows: Iterator[tuple[int, list[str]]], size: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_header(resource: TabularResource, header: list[str]) -> None:
    known = set(resource.headers)
    unknown = [h for h in header if h and h not in known and not h.startswith(NOTE_PREFIX)]
    if unknown or any(name not in header for name in resource.key_columns):
        raise ValidationFailed(
            _("The header row must name the columns %(columns)s.")
            % {"columns": ", ".join(resource.headers)},
            code="bad_header",
            details={"unknown_columns": unknown, "expected_columns": resource.headers},
        )


def check_file(resource: TabularResource, data: bytes, filename: str = "") -> None:
    """What can be refused before any row is read (size, declared sheet size, header), so a
    background job is only started for a file that can be imported."""
    first = next(iter_table(data, filename), None)
    if first is None:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    _check_header(resource, first[1])


def import_table(
    *,
    resource: TabularResource,
    data: bytes,
    filename: str = "",
    dry_run: bool = False,
    on_error: str = REFUSE_ALL,
    outcome: ImportOutcome | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Create or update by key, CHUNK_ROWS rows at a time (the resource reads what a chunk
    needs in a few queries and may save it in bulk). With on_error=refuse_all (the default)
    one bad row refuses the whole file and nothing is saved: the import is one transaction.
    With skip_invalid the valid rows are saved, chunk by chunk, each chunk committed on its
    own (so other writers are not held up for the whole file, which matters on SQLite), and
    the refused ones are counted (and kept in `outcome` for the refused-rows file); a dry run
    is one transaction rolled back. Each refused row is named by its row number and code."""
    arguments: _ImportArguments = {
        "resource": resource,
        "data": data,
        "filename": filename,
        "dry_run": dry_run,
        "on_error": on_error,
        "outcome": outcome if outcome is not None else ImportOutcome(),
        "progress": progress,
    }
    if (
        on_error == SKIP_INVALID
        and not dry_run
        and not transaction.get_connection().in_atomic_block
    ):
        return _import_rows(**arguments)
    return _import_in_one_transaction(**arguments)


class _ImportArguments(TypedDict):
    resource: TabularResource
    data: bytes
    filename: str
    dry_run: bool
    on_error: str
    outcome: ImportOutcome
    progress: Callable[[int], None] | None


@service
def _import_in_one_transaction(**arguments: Unpack[_ImportArguments]) -> dict[str, Any]:
    return _import_rows(**arguments)


@service
def _save_chunk(
    *, resource: TabularResource, items: list[tuple[int, str, models.Model | None, dict]]
) -> dict[int, dict[str, list[str]]]:
    """One chunk's valid rows in one transaction (a savepoint inside the file's), retried
    on a serialization failure or a busy SQLite."""
    return resource.save_chunk(items)


def _import_rows(
    *,
    resource: TabularResource,
    data: bytes,
    filename: str,
    dry_run: bool,
    on_error: str,
    outcome: ImportOutcome,
    progress: Callable[[int], None] | None,
) -> dict[str, Any]:
    outcome.reset()  # a retried transaction starts again
    rows = iter_table(data, filename)
    first = next(rows, None)
    if first is None:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    header = first[1]
    _check_header(resource, header)
    outcome.header = header
    columns = [(index, name) for index, name in enumerate(header) if name in set(resource.headers)]
    resource.begin()
    validate = _row_validator(resource)
    seen: dict[str, int] = {}
    for chunk in _chunks(rows, CHUNK_ROWS):
        parsed = [
            (number, values, {n: values[i] for i, n in columns if i < len(values) and values[i]})
            for number, values in chunk
        ]
        resource.prepare([row for _number, _values, row in parsed])
        existing = resource.find_many([row for _number, _values, row in parsed])
        valid: list[tuple[int, str, models.Model | None, dict[str, Any]]] = []
        values_of: dict[int, list[str]] = {}
        for number, values, row in parsed:
            key = resource.row_key(row)
            code = key or row.get(resource.key_columns[-1], "")
            if key and key in seen:
                outcome.refuse(
                    number,
                    code,
                    values,
                    {
                        resource.key_columns[-1]: [
                            _("%(key)s appears again; it was already in row %(row)s.")
                            % {"key": key, "row": seen[key]}
                        ]
                    },
                )
                continue
            if key:
                seen[key] = number
            instance = existing.get(key) if key else None
            validated, errors = validate(instance, row)
            if errors is not None:
                outcome.refuse(number, code, values, errors)
                continue
            for message in resource.row_warnings(number, row, instance):
                outcome.warnings.append({"row": number, "code": code, "message": message})
            valid.append((number, code, instance, validated))
            values_of[number] = values
        try:
            failed = _save_chunk(resource=resource, items=valid)
        except (DomainError, DjangoValidationError, IntegrityError):
            failed = _save_rows_one_by_one(resource, valid)  # find the rows that fail
        for number, code, instance, _validated in valid:
            if number in failed:
                outcome.refuse(number, code, values_of[number], failed[number])
            elif instance is None:
                outcome.created += 1
            else:
                outcome.updated += 1
        outcome.rows_read += len(chunk)
        if progress is not None:
            progress(outcome.rows_read)
    outcome.errors.sort(key=lambda error: error["row"])
    outcome.refused.sort(key=lambda item: item[0])
    if outcome.errors and on_error == REFUSE_ALL:
        outcome.created = outcome.updated = 0
        transaction.set_rollback(True)
        raise _invalid(outcome)
    if dry_run:
        transaction.set_rollback(True)
    return {
        "created": outcome.created,
        "updated": outcome.updated,
        "refused": len(outcome.errors),
        "dry_run": dry_run,
        "on_error": on_error,
        "rows": outcome.errors[:ERRORS_SHOWN],
        "warnings": outcome.warnings[:ERRORS_SHOWN],
        "warning_count": len(outcome.warnings),
    }
