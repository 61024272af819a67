"""Person records as the sources give them, read from CSV and turned into comparison features.

File format (UTF-8, header row): ``id,name,name_reading,birth_date,birth_calendar,sex,
hometown,employer,worksite``; only ``id`` and ``name`` are required, other columns may be
absent or empty. Reading is all-or-nothing: a missing ``id`` or ``name`` column, an
empty or duplicate id, a date that cannot be read at all, an unknown calendar or sex
raises ``RecordError`` naming the row (1 = the header) and the field.
This module imports nothing from Django.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from baesang.identity.dates import DateError, parse_birth_date
from baesang.identity.gazetteer import resolve_employer, resolve_place
from baesang.identity.names import parse_name

__all__ = [
    "COLUMNS",
    "ERR_DUPLICATE_ID",
    "ERR_EMPTY_ID",
    "ERR_MISSING_COLUMN",
    "ERR_UNREADABLE",
    "ERR_BAD_DATE",
    "ERR_BAD_SEX",
    "FEATURE_COLUMNS",
    "PersonRecord",
    "RecordError",
    "features_of",
    "parse_sex",
    "read_records",
    "validate_records",
]

COLUMNS = ("id", "name", "name_reading", "birth_date", "birth_calendar", "sex", "hometown", "employer", "worksite")
REQUIRED_COLUMNS = ("id", "name")

ERR_MISSING_COLUMN = "missing_column"
ERR_EMPTY_ID = "empty_id"
ERR_DUPLICATE_ID = "duplicate_id"
ERR_BAD_DATE = "bad_date"
ERR_BAD_SEX = "bad_sex"
ERR_UNREADABLE = "unreadable_file"


class RecordError(ValueError):
    """Bad input: ``code`` is one of the ERR_ constants; ``row`` counts the header as 1."""

    def __init__(self, code: str, message: str, *, row: int | None = None, field: str | None = None):
        self.code, self.row, self.field = code, row, field
        where = ", ".join(p for p in (f"row {row}" if row else "", f"field {field!r}" if field else "") if p)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class PersonRecord:
    """One person record as written by its source (all text; empty string when absent)."""

    id: str
    name: str
    name_reading: str = ""
    birth_date: str = ""
    birth_calendar: str = ""
    sex: str = ""
    hometown: str = ""
    employer: str = ""
    worksite: str = ""


_SEX = {"m": "M", "male": "M", "man": "M", "남": "M", "남자": "M", "男": "M",
        "f": "F", "female": "F", "woman": "F", "여": "F", "여자": "F", "女": "F"}


def parse_sex(text: str | None) -> str:
    """``M``, ``F`` or "" (unknown)."""
    value = (text or "").strip().lower()
    if value in {"", "u", "unknown", "?", "x"}:
        return ""
    if value not in _SEX:
        raise ValueError(f"unknown sex {text!r} (M, F or empty)")
    return _SEX[value]


def validate_records(records: Iterable[PersonRecord], *, first_row: int = 2) -> list[PersonRecord]:
    """Check ids and dates of ``records``; returns them as a list or raises ``RecordError``."""
    seen: dict[str, int] = {}
    checked = []
    for row, record in enumerate(records, start=first_row):
        if not record.id.strip():
            raise RecordError(ERR_EMPTY_ID, "the id is empty", row=row, field="id")
        if record.id in seen:
            raise RecordError(ERR_DUPLICATE_ID, f"id {record.id!r} repeats row {seen[record.id]}", row=row, field="id")
        seen[record.id] = row
        try:
            parse_birth_date(record.birth_date, "")
        except DateError as exc:
            raise RecordError(ERR_BAD_DATE, str(exc), row=row, field="birth_date") from exc
        try:
            parse_birth_date(record.birth_date or "1900", record.birth_calendar)
        except DateError as exc:
            raise RecordError(ERR_BAD_DATE, str(exc), row=row, field="birth_calendar") from exc
        try:
            parse_sex(record.sex)
        except ValueError as exc:
            raise RecordError(ERR_BAD_SEX, str(exc), row=row, field="sex") from exc
        checked.append(record)
    return checked


def read_records(path: str | Path) -> list[PersonRecord]:
    """Read and check a CSV file of person records (see the module docstring)."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            for column in REQUIRED_COLUMNS:
                if column not in header:
                    raise RecordError(ERR_MISSING_COLUMN, f"the header has no {column!r} column", row=1, field=column)
            reader.fieldnames = header
            known = [c for c in COLUMNS if c in header]
            records = [
                PersonRecord(**{c: (line.get(c) or "").strip() for c in known}) for line in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RecordError(ERR_UNREADABLE, f"cannot read {path}: {exc}") from exc
    return validate_records(records)


FEATURE_COLUMNS = (
    "unique_id", "surname_key", "given_key", "surname_alt", "given_alt", "given_hangul", "japanese_style",
    "bd_written", "bd_precision", "bd_year", "bd_ym", "bd_swapped", "bd_solar", "bd_lunar", "bd_leap",
    "sex", "province", "county", "company", "site",
)


def features_of(record: PersonRecord) -> dict[str, object]:
    """The comparison features of one record (None where unknown)."""
    name = parse_name(record.name, record.name_reading)
    birth = parse_birth_date(record.birth_date, record.birth_calendar)
    place = resolve_place(record.hometown)
    employer = resolve_employer(record.employer, record.worksite)
    solar, lunar = birth.solar_dates() if birth else ("", "")
    return {
        "unique_id": record.id,
        "surname_key": name.surname_key or None,
        "given_key": name.given_key or None,
        "surname_alt": name.surname_alt_key or None,
        "given_alt": name.given_alt_key or None,
        "given_hangul": name.given_hangul or None,
        "japanese_style": name.japanese_style,
        "bd_written": birth.written if birth else None,
        "bd_precision": birth.precision if birth else None,
        "bd_year": birth.year if birth else None,
        "bd_ym": birth.written[:7] if birth and birth.precision >= 2 else None,
        "bd_swapped": (birth.swapped or None) if birth else None,
        "bd_solar": solar or None,
        "bd_lunar": lunar or None,
        "bd_leap": (birth.leap_month_date() or None) if birth else None,
        "sex": parse_sex(record.sex) or None,
        "province": place.province or None,
        "county": place.county or None,
        "company": employer.company or None,
        "site": employer.site or None,
    }


def record_field_names() -> list[str]:
    return [f.name for f in fields(PersonRecord)]
