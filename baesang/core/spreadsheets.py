"""One writer for every spreadsheet baesang produces: CSV and XLSX, safe to open in a spreadsheet.

Files written here are opened by staff, auditors and banks in Excel or LibreOffice, so:

- **No cell runs as a formula** (OWASP, "CSV Injection"): a text cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading apostrophe
  (``'=HYPERLINK(…)``), so a name typed by anyone is shown as text. Numbers written as numbers
  (``int``, ``Decimal``) stay numbers — a negative amount is still ``-5`` and still sums — and
  in CSV every text cell is quoted, so a separator inside a text cannot start a new cell.
- **Korean headers**: each :class:`Column` has a key (the field of the row) and a header.
- **CSV for Excel**: UTF-8 with a byte-order mark (without it Excel reads Korean as the local
  code page), lines ended by CRLF (RFC 4180).
- **XLSX** through openpyxl in write-only mode (rows are streamed to the file, not held in
  memory); dates are real date cells.
- **Streaming**: :func:`csv_lines` yields the file line by line for a
  :class:`~django.http.StreamingHttpResponse` (:func:`csv_response`), so an export of a
  million rows never sits whole in memory.

Rows are mappings from column key to value (named fields, never positions). Floats are
refused: money is whole won (``int``) and exact values are ``Fraction`` or ``Decimal``
rounded before they are written.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
BOM = "\ufeff"
CSV_LINE_END = "\r\n"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit for a sheet's name.
SHEET_TITLE_MAX = 31
# Rows kept in memory before an XLSX spills to a temporary file on disk.
SPOOL_BYTES = 8 * 1024 * 1024

ERROR_FLOAT = "spreadsheet_float"
ERROR_TYPE = "spreadsheet_type"
ERROR_COLUMNS = "spreadsheet_columns"


class SpreadsheetError(TypeError):
    """A value or a column list that cannot be written; ``code`` is one of the ``ERROR_*`` constants."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Column:
    """A column: ``key`` is the row's field, ``header`` the heading written (in Korean)."""

    key: str
    header: str


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula character."""
    return NEUTRALISER + text if text.startswith(FORMULA_PREFIXES) else text


def cell_value(value: Any) -> str | int | Decimal | date:
    """The value written for ``value``: numbers and dates as they are, everything else as
    neutralised text. ``None`` is an empty cell; ``True``/``False`` are written as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        raise SpreadsheetError(f"{value!r} is a float: write whole won (int) or a Decimal", code=ERROR_FLOAT)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, date):  # datetime too
        return value
    if isinstance(value, str):
        return neutralise(value)
    raise SpreadsheetError(f"cannot write a {type(value).__name__} ({value!r}) to a spreadsheet; convert it to "
                           "text, a whole number, a Decimal or a date first", code=ERROR_TYPE)


def _check_columns(columns: Sequence[Column]) -> None:
    keys = [c.key for c in columns]
    if not keys:
        raise SpreadsheetError("a spreadsheet needs at least one column", code=ERROR_COLUMNS)
    if len(set(keys)) != len(keys):
        raise SpreadsheetError(f"column keys repeat: {keys}", code=ERROR_COLUMNS)


def _row_values(columns: Sequence[Column], row: Mapping[str, Any], number: int) -> list:
    missing = [c.key for c in columns if c.key not in row]
    if missing:
        raise SpreadsheetError(f"row {number}: no value for column(s) {', '.join(missing)}", code=ERROR_COLUMNS)
    return [cell_value(row[c.key]) for c in columns]


# ---------------------------------------------------------------------------------------
# CSV


def _csv_text(value: str | int | Decimal | date) -> str | int | Decimal:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_lines(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *, bom: bool = True) -> Iterator[str]:
    """The CSV file line by line: the header (after the byte-order mark), then one line per row.

    Text cells are quoted, numbers are not (``csv.QUOTE_NONNUMERIC``), so a spreadsheet reads
    ``-5`` as a number and ``"'-5"`` as the text it was."""
    _check_columns(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END, quoting=csv.QUOTE_NONNUMERIC)

    def line(values: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    header = line([neutralise(c.header) for c in columns])
    yield (BOM + header) if bom else header
    for number, row in enumerate(rows, 1):
        yield line([_csv_text(v) for v in _row_values(columns, row, number)])


def write_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], out: IO[str], *, bom: bool = True) -> int:
    """Write the CSV file to a text stream; return the number of rows written (header excluded)."""
    count = -1
    for count, text in enumerate(csv_lines(columns, rows, bom=bom)):  # noqa: B007 - the count is the result
        out.write(text)
    return count


def csv_text(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *, bom: bool = True) -> str:
    return "".join(csv_lines(columns, rows, bom=bom))


# ---------------------------------------------------------------------------------------
# XLSX


def _xlsx_cell(sheet, value: str | int | Decimal | date) -> WriteOnlyCell | str | int | Decimal:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        # Control characters are not allowed in XLSX; a neutralised text never starts with "=",
        # so openpyxl writes it as a string, never as a formula.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], out: IO[bytes] | str, *,
               title: str = "Sheet1") -> int:
    """Write an XLSX workbook of one sheet (write-only mode) to a binary stream or a path;
    return the number of rows written (header excluded)."""
    _check_columns(columns)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:SHEET_TITLE_MAX] or "Sheet1")
    sheet.append([_xlsx_cell(sheet, neutralise(c.header)) for c in columns])
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007 - the count is the result
        sheet.append([_xlsx_cell(sheet, v) for v in _row_values(columns, row, count)])
    book.save(out)
    return count


def xlsx_bytes(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *, title: str = "Sheet1") -> bytes:
    out = io.BytesIO()
    write_xlsx(columns, rows, out, title=title)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# HTTP responses


def csv_response(filename: str, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]
                 ) -> StreamingHttpResponse:
    """A download streamed line by line (the rows are read as the client receives them)."""
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_response(filename: str, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *,
                  title: str = "Sheet1") -> FileResponse:
    """An XLSX download: written to a spooled temporary file (memory, then disk past
    ``SPOOL_BYTES``), since a ZIP file is complete only once written, then streamed."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    write_xlsx(columns, rows, spool, title=title)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def _disposition(filename: str) -> str:
    return content_disposition_header(True, filename)
