"""Report files: the same rows as the API as xlsx/csv (`core.spreadsheets`) or as an A4 PDF
(`printing.documents`), with the filters in use named in the title rows. Value columns are
left out for a user without the cost permission."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from storeledger.core import spreadsheets
from storeledger.core.errors import ValidationFailed
from storeledger.core.spreadsheets import ReportColumn
from storeledger.core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from storeledger.printing import documents, pdf
from storeledger.printing.api import pdf_response

FORMATS = ("xlsx", "csv", "pdf")
PDF_MAX_ROWS = 2000


@dataclass(frozen=True)
class Exported:
    """One report file's content: title, file name stem, columns, rows, totals row."""

    title: str
    filename: str
    columns: Sequence[ReportColumn]
    rows: list[dict]
    filters: list[tuple[str, str]]
    totals: dict | None = None


def _places(row: Any) -> int:
    return row.get("unit_precision") or 0 if isinstance(row, dict) else 0


def check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        message = gettext("The format must be xlsx, csv or pdf.")
        raise ValidationFailed(message, fields={"format": [message]})
    return fmt


@dataclass(frozen=True)
class ExportFile:
    """A rendered report file: its bytes, its name (with the time stamp) and content type."""

    content: bytes
    filename: str
    content_type: str


def _stamp() -> str:
    return f"{timezone.localtime():%Y%m%d-%H%M}"


def _spreadsheet(exported: Exported, fmt: str):
    """The xlsx/csv file object of the report (the totals as its last row)."""
    rows = list(exported.rows)
    if exported.totals is not None:
        rows.append(exported.totals)
    report = spreadsheets.Report(
        title=exported.title,
        filename=exported.filename,
        columns=exported.columns,
        filters=exported.filters,
        qty_places=_places,
    )
    return spreadsheets.render(report, rows, fmt)


def _content_type(fmt: str) -> str:
    return CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE


def render(exported: Exported, fmt: str) -> ExportFile:
    """The report as a file in `fmt`, in memory: the very file the export endpoint answers,
    for a report subscription's e-mail (`reports.subscriptions`)."""
    stamp = _stamp()
    if fmt == "pdf":
        content = _pdf(exported, stamp)
        return ExportFile(content, f"{exported.filename}-{stamp}.pdf", "application/pdf")
    with _spreadsheet(exported, fmt) as out:
        content = out.read()
    return ExportFile(content, f"{exported.filename}-{stamp}.{fmt}", _content_type(fmt))


def response(exported: Exported, fmt: str) -> HttpResponse:
    stamp = _stamp()
    if fmt == "pdf":
        return pdf_response(_pdf(exported, stamp), f"{exported.filename}-{stamp}", inline=False)
    return FileResponse(
        _spreadsheet(exported, fmt),
        as_attachment=True,
        filename=f"{exported.filename}-{stamp}.{fmt}",
        content_type=_content_type(fmt),
    )


def _cell(column: ReportColumn, row: dict) -> str:
    value = column.value(row)
    if value is None:
        return ""
    if column.kind == spreadsheets.QTY:
        return pdf.fmt_qty(value, _places(row))
    if column.kind in (spreadsheets.MONEY, spreadsheets.PRICE):
        return pdf.fmt_money(value)
    if column.kind == spreadsheets.DATE:
        return pdf.fmt_date(value)
    return str(value)


def _pdf(exported: Exported, stamp: str) -> bytes:
    if len(exported.rows) > PDF_MAX_ROWS:
        raise ValidationFailed(
            gettext(
                "A PDF holds at most %(max)s rows; this report has %(count)s. Narrow the "
                "filters or export xlsx."
            )
            % {"max": f"{PDF_MAX_ROWS:,}", "count": f"{len(exported.rows):,}"},
            code="too_many_rows",
            details={"count": len(exported.rows), "max": PDF_MAX_ROWS},
        )
    numeric = (spreadsheets.QTY, spreadsheets.MONEY, spreadsheets.PRICE, spreadsheets.INT)
    columns = [
        documents.Column(
            c.title,
            2.0 if c.kind == spreadsheets.TEXT else 1.0,
            documents.RIGHT if c.kind in numeric else documents.LEFT,
        )
        for c in exported.columns
    ]
    totals = None
    if exported.totals is not None:
        totals = [_cell(c, exported.totals) for c in exported.columns]
    sheet = documents.Sheet(
        title=exported.title,
        number=f"RPT-{stamp}",
        fields=exported.filters,
        columns=columns,
        rows=[[_cell(c, row) for c in exported.columns] for row in exported.rows],
        totals=totals,
    )
    return documents.render(sheet)
