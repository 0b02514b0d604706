"""Report files: a list of rows written as an xlsx workbook (title, filters and time of export
above a frozen, filterable header; numbers as numbers with their precision, dates as dates)
or as a plain csv table.

The rows are read once, in chunks, and written to a spooled temporary file, so a large export
does not sit in memory twice; more than MAX_ROWS rows is refused with a clear error."""

from __future__ import annotations

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.core.errors import ValidationFailed

MAX_ROWS = 100_000
TEXT, INT, QTY, MONEY, PRICE, DATE, DATETIME = (
    "text",
    "int",
    "qty",
    "money",
    "price",
    "date",
    "datetime",
)
_FORMATS = {
    INT: "0",
    MONEY: "#,##0.00",
    PRICE: "#,##0.00##",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm:ss",
}
_WIDTHS = {TEXT: 16, INT: 8, QTY: 12, MONEY: 14, PRICE: 12, DATE: 12, DATETIME: 19}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# characters an xlsx file cannot hold (XML 1.0) and that no name or code needs
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without control characters (tab and line breaks stay): what is stored from an
    import or the API and what every export writes, so one stray character read from a
    scanner or pasted from elsewhere can never make a workbook unwritable."""
    return _CONTROL.sub("", text)


def xlsx_text(text: str) -> str:
    """A text cell of an xlsx export (always written as a string cell, never a formula)."""
    return clean_text(text)


def csv_text(text: str) -> str:
    """A text cell of a csv export: a leading = + - @ (or tab / CR) would be run as a formula
    by spreadsheet programs (CSV injection), so such text gets a leading apostrophe."""
    text = clean_text(text)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def unescape_csv_text(text: str) -> str:
    """Undo csv_text on import, so an exported sheet imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


@dataclass(frozen=True)
class ReportColumn:
    """One column: its translated `title`, how to read the value of a row, and its kind
    (a QTY column is shown with the row's unit precision, see Report.qty_places)."""

    key: str
    title: str
    value: Callable[[Any], Any]
    kind: str = TEXT
    width: int | None = None


@dataclass
class Report:
    title: str
    filename: str
    columns: Sequence[ReportColumn]
    filters: list[tuple[str, str]] = field(default_factory=list)
    qty_places: Callable[[Any], int] = lambda row: 4


def _local(value: datetime.datetime) -> datetime.datetime:
    """Spreadsheets have no time zones: the wall-clock time of the company's zone."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _places_format(places: int) -> str:
    return "#,##0" if places <= 0 else "#,##0." + "0" * min(places, 4)


def _checked_rows(rows: QuerySet | list) -> Iterable[Any]:
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    if count > MAX_ROWS:
        raise ValidationFailed(
            _(
                "The export would hold %(count)s rows; at most %(max)s rows can be exported. "
                "Narrow the filters and try again."
            )
            % {"count": f"{count:,}", "max": f"{MAX_ROWS:,}"},
            code="too_many_rows",
            details={"count": count, "max": MAX_ROWS},
        )
    return rows.iterator(chunk_size=2000) if isinstance(rows, QuerySet) else rows


def _subtitle(report: Report) -> str:
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    parts = [f"{label}: {text}" for label, text in report.filters]
    parts.append(_("Exported at: %(time)s") % {"time": exported})
    return " · ".join(parts)


def write_xlsx(report: Report, rows: QuerySet | list, out: IO[bytes]) -> None:
    """XlsxWriter in constant-memory mode: rows go to disk as they come (fast and flat in
    memory for 100,000 rows); text is always text, never a formula or a number."""
    import xlsxwriter

    data = _checked_rows(rows)
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(report.title[:31])
    formats: dict[str, Any] = {}

    def number_format(pattern: str):
        if pattern not in formats:
            formats[pattern] = workbook.add_format({"num_format": pattern})
        return formats[pattern]

    for index, column in enumerate(report.columns):
        width = column.width or max(_WIDTHS[column.kind], len(column.title) * 2 + 2)
        sheet.set_column(index, index, width)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, 2, len(report.columns) - 1)
    sheet.write_string(0, 0, report.title, workbook.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(
        1, 0, xlsx_text(_subtitle(report)), workbook.add_format({"font_color": "#666666"})
    )
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF7"})
    for index, column in enumerate(report.columns):
        sheet.write_string(2, index, column.title, header)
    for row_index, row in enumerate(data, start=3):
        places = _places_format(report.qty_places(row))
        for index, column in enumerate(report.columns):
            value = column.value(row)
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row_index, index, xlsx_text(value))
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(
                    row_index, index, _local(value), number_format(_FORMATS[DATETIME])
                )
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_index, index, value, number_format(_FORMATS[DATE]))
            elif isinstance(value, bool):
                sheet.write_boolean(row_index, index, value)
            else:
                pattern = places if column.kind == QTY else _FORMATS.get(column.kind)
                cell_format = number_format(pattern) if pattern else None
                sheet.write_number(row_index, index, value, cell_format)
    workbook.close()


def _csv_text(value: Any, kind: str, places: int) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if kind == QTY:
            return f"{value:.{max(places, 0)}f}"
        if kind in (MONEY, PRICE):  # a price keeps its 3rd and 4th decimal when it has one
            exponent = value.normalize().as_tuple().exponent
            decimals = 2 if kind == MONEY or not isinstance(exponent, int) else -exponent
            return f"{value:.{min(max(decimals, 2), 4)}f}"
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_text(str(value))


def write_csv(report: Report, rows: QuerySet | list, out: IO[bytes]) -> None:
    """A plain table (header + rows), UTF-8 with a BOM so Excel shows Chinese."""
    data = _checked_rows(rows)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([c.title for c in report.columns])
    for row in data:
        places = report.qty_places(row)
        writer.writerow([_csv_text(c.value(row), c.kind, places) for c in report.columns])
    text.detach()


def render(report: Report, rows: QuerySet | list, fmt: str) -> IO[bytes]:
    """The report as a file object positioned at its start (in memory up to 8 MB, then on
    disk)."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned)
    try:
        (write_csv if fmt == "csv" else write_xlsx)(report, rows, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
