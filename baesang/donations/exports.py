"""Donations as spreadsheets (기부금 내역 엑셀·CSV): XLSX and CSV with Korean headers, safe to open.

A cell that a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return — CSV/formula injection, OWASP) is written as text behind an
apostrophe; amounts stay numbers (whole won as integers, original amounts as exact decimals),
dates stay dates. The CSV is UTF-8 with a byte-order mark so that spreadsheet programs read the
Korean headers. The writer is local to this app (``Column``, ``csv_text``, ``xlsx_bytes``) and
has the shape of a shared one, so it can be swapped for it without touching the callers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from baesang.donations.selectors import DonationRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Column:
    key: str
    header: str


#: The donations export: one column per field of :class:`~baesang.donations.selectors.DonationRow`.
DONATION_COLUMNS: tuple[Column, ...] = (
    Column("value_date", "입금일"),
    Column("donor", "기부자"),
    Column("country", "국가"),
    Column("brn", "사업자등록번호"),
    Column("bank_reference", "은행 거래번호"),
    Column("currency", "통화"),
    Column("original_amount", "원래 금액"),
    Column("rate", "환율(원)"),
    Column("amount_won", "금액(원)"),
    Column("restricted", "지정 기부금"),
    Column("receipt", "영수증 번호"),
    Column("reversed", "입금 취소"),
)


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as written, never runs: an apostrophe before a formula character."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str | int | Decimal | date:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, float):
        raise TypeError(f"{value!r} is a float; money is written as int or Decimal")
    if isinstance(value, int | Decimal | date):
        return value
    return safe_text(str(value))


def csv_text(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> str:
    """UTF-8 CSV text with a byte-order mark; text cells quoted, numbers not."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([safe_text(c.header) for c in columns])
    for row in rows:
        values = [_cell(row[c.key]) for c in columns]
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in values])
    return "\ufeff" + out.getvalue()


def xlsx_bytes(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *, title: str = "Sheet1") -> bytes:
    """A workbook of one sheet written in openpyxl's write-only mode (rows streamed, not held)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])

    def cell(value):
        value = _cell(value)
        if isinstance(value, str):
            written = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
            written.data_type = "s"  # never a formula
            return written
        if isinstance(value, date):
            written = WriteOnlyCell(sheet, value=value)
            written.number_format = "yyyy-mm-dd"
            return written
        return value

    sheet.append([cell(c.header) for c in columns])
    for row in rows:
        sheet.append([cell(row[c.key]) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def donations_csv(donations: Iterable[DonationRow]) -> bytes:
    return csv_text(DONATION_COLUMNS, (asdict(d) for d in donations)).encode("utf-8")


def donations_xlsx(donations: Iterable[DonationRow]) -> bytes:
    return xlsx_bytes(DONATION_COLUMNS, (asdict(d) for d in donations), title="기부금")
