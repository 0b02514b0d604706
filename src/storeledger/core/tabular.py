"""Generic xlsx/csv import and export of master data, declared once per resource.

A resource names its columns (export == import, so a sheet round-trips), a flat import
serializer that validates one row, and how to save a valid row (through the app's service).
An import validates EVERY row first and imports nothing when any row is bad; otherwise it
creates or updates by key (usually `code`) in one transaction."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from storeledger.core import spreadsheets
from storeledger.core.errors import DomainError, ValidationFailed
from storeledger.core.services import service

FORMATS = ("xlsx", "csv")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
MAX_ROWS = 20_000  # data rows of one file
MAX_COLUMNS = 64  # columns read from a sheet (the widest resource has fewer than 30)
MAX_SHEET_ROWS = MAX_ROWS + 10_000  # rows a sheet may declare or hold, empty ones included
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # an xlsx is a zip: its unpacked size


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

    def save_row(self, *, instance: models.Model | None, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def prepare(self, rows: list[dict[str, str]]) -> None:
        """Called with every data row before validation (e.g. to know codes the file adds)."""

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
            text = spreadsheets.xlsx_text(cell_text(value))
            if text:
                sheet.write_string(row_index, index, text)
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


def _invalid(rows: list[dict[str, Any]]) -> ValidationFailed:
    return ValidationFailed(
        _("%(count)s row(s) of the file are not valid; nothing was imported.")
        % {"count": len(rows)},
        code="import_invalid",
        details={"rows": rows},
    )


@service
def import_table(
    *, resource: TabularResource, data: bytes, filename: str = "", dry_run: bool = False
) -> dict[str, Any]:
    """Validate every row, then create or update by key; all or nothing."""
    rows = read_table(data, filename)
    if not rows:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    header_number, header = rows[0]
    known = set(resource.headers)
    unknown = [h for h in header if h and h not in known]
    if unknown or any(name not in header for name in resource.key_columns):
        raise ValidationFailed(
            _("The header row must name the columns %(columns)s.")
            % {"columns": ", ".join(resource.headers)},
            code="bad_header",
            details={"unknown_columns": unknown, "expected_columns": resource.headers},
        )
    data_rows = [
        (number, {n: v for n, v in zip(header, values, strict=False) if n and v != ""})
        for number, values in rows[1:]
    ]
    resource.prepare([row for _number, row in data_rows])
    errors: list[dict[str, Any]] = []
    valid: list[tuple[int, models.Model | None, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for number, row in data_rows:
        key = resource.row_key(row)
        if key and key in seen:
            errors.append(
                {
                    "row": number,
                    "fields": {
                        resource.key_columns[-1]: [
                            _("%(key)s appears again; it was already in row %(row)s.")
                            % {"key": key, "row": seen[key]}
                        ]
                    },
                }
            )
            continue
        if key:
            seen[key] = number
        instance = resource.find(row) if key else None
        serializer = resource.import_serializer(
            instance,
            data=row,
            partial=instance is not None,
            context=resource.serializer_context(),
        )
        if serializer.is_valid():
            valid.append((number, instance, dict(serializer.validated_data)))
        else:
            errors.append({"row": number, "fields": _flatten(serializer.errors)})
    if errors:
        raise _invalid(errors)
    created = sum(1 for _n, instance, _d in valid if instance is None)
    result = {"created": created, "updated": len(valid) - created, "dry_run": dry_run}
    for number, instance, validated in valid:
        try:
            with transaction.atomic():
                resource.save_row(instance=instance, data=validated)
        except (DomainError, DjangoValidationError) as error:
            errors.append({"row": number, "fields": _domain_fields(error)})
    if errors:
        raise _invalid(errors)
    if dry_run:
        transaction.set_rollback(True)
    return result
