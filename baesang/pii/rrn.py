"""Resident registration numbers (주민등록번호): validation, canonical forms, masking.

A resident registration number has 13 digits ``YYMMDD-SBBBBCC`` (Resident Registration Act,
Enforcement Rule Art. 2 and annex): the birth date, a digit for sex and century, and — for
numbers assigned before 5 October 2020 — a region code and a check digit. Validation
follows python-stdnum (``stdnum.kr.rrn``): format, birth date, region code (at most 96) and
check digit, with one stated exception: since 5 October 2020 the Ministry of the Interior and
Safety assigns the last six digits at random to new and changed numbers, so they carry no
region code and no check digit. A number whose birth date is on or after that day is
therefore checked for format and birth date only; an older birth date with a new-scheme
number (a number changed after 2020-10-05) passes with ``issued_from_2020_10=True`` once
staff have seen the document.

Errors name the field and the rule broken; none of them repeats the number itself, so
they can be logged and shown safely.

The masking rules of the other kinds of personal data live in :mod:`baesang.pii.masking`
and are re-exported here.
"""

from __future__ import annotations

import datetime

from stdnum import exceptions as stdnum_errors
from stdnum.kr import rrn as stdnum_rrn

from baesang.core.errors import InputError
from baesang.pii.masking import mask_account, mask_address, mask_phone, mask_rrn

__all__ = [
    "NEW_SCHEME_FROM",
    "InvalidRRN",
    "RRNBadBirthDate",
    "RRNBadChecksum",
    "RRNBadFormat",
    "RRNBadRegion",
    "birth_date",
    "compact_rrn",
    "format_rrn",
    "is_valid_rrn",
    "mask_account",
    "mask_address",
    "mask_phone",
    "mask_rrn",
    "validate_rrn",
]

# 주민등록번호 부여체계 개편: numbers assigned from this day end in six random digits.
NEW_SCHEME_FROM = datetime.date(2020, 10, 5)


class InvalidRRN(InputError):
    """A resident registration number broke a rule; ``code`` says which one."""

    code = "rrn_invalid"
    rule = ""

    def __init__(self, *, field: str = "rrn", row: int | None = None) -> None:
        super().__init__(f"{field}: {self.rule}", field=field, row=row)


class RRNBadFormat(InvalidRRN):
    code = "rrn_format"
    rule = "a resident registration number (주민등록번호) has 13 digits, written 000000-0000000"


class RRNBadBirthDate(InvalidRRN):
    code = "rrn_birth_date"
    rule = ("the first seven digits of a resident registration number (주민등록번호) must form a real "
            "birth date (YYMMDD and the century digit) that is not in the future")


class RRNBadRegion(InvalidRRN):
    code = "rrn_region"
    rule = ("digits 8-9 of a resident registration number (주민등록번호) assigned before 2020-10-05 are a "
            "region code from 00 to 96; if the number was assigned or changed from 2020-10-05, say so")


class RRNBadChecksum(InvalidRRN):
    code = "rrn_checksum"
    rule = ("the check digit (the 13th) of the resident registration number (주민등록번호) does not match; "
            "numbers assigned before 2020-10-05 carry one — check for a typing error, or say that the "
            "number was assigned or changed from 2020-10-05 (those have no check digit)")


def compact_rrn(number: str) -> str:
    """The 13 digits without separators or spaces (no validation)."""
    return "".join(stdnum_rrn.compact(number).split())


def format_rrn(number: str) -> str:
    """``9001011234567`` → ``900101-1234567``."""
    return stdnum_rrn.format(compact_rrn(number))


def birth_date(number: str) -> datetime.date:
    """The birth date coded in the first seven digits; raises :class:`RRNBadBirthDate`."""
    try:
        return stdnum_rrn.get_birth_date(compact_rrn(number))
    except (stdnum_errors.ValidationError, ValueError, IndexError):
        raise RRNBadBirthDate() from None


def validate_rrn(number: str, *, field: str = "rrn", row: int | None = None,
                 issued_from_2020_10: bool = False, today: datetime.date | None = None) -> str:
    """Check ``number`` and return its compact 13-digit form.

    Raises :class:`RRNBadFormat`, :class:`RRNBadBirthDate`, :class:`RRNBadRegion` or
    :class:`RRNBadChecksum`, naming ``field`` (and ``row`` for imports).
    """
    compact = compact_rrn(number or "")
    if len(compact) != 13 or not compact.isdigit() or not compact.isascii():
        raise RRNBadFormat(field=field, row=row)
    try:
        born = stdnum_rrn.get_birth_date(compact)
    except stdnum_errors.ValidationError:
        raise RRNBadBirthDate(field=field, row=row) from None
    if born > (today or datetime.date.today()):
        raise RRNBadBirthDate(field=field, row=row)
    if issued_from_2020_10 or born >= NEW_SCHEME_FROM:
        return compact
    try:
        stdnum_rrn.validate(compact)
    except stdnum_errors.InvalidChecksum:
        raise RRNBadChecksum(field=field, row=row) from None
    except stdnum_errors.InvalidComponent:
        raise RRNBadRegion(field=field, row=row) from None
    except stdnum_errors.ValidationError:  # pragma: no cover - format and date were checked above
        raise RRNBadFormat(field=field, row=row) from None
    return compact


def is_valid_rrn(number: str, *, issued_from_2020_10: bool = False) -> bool:
    try:
        validate_rrn(number, issued_from_2020_10=issued_from_2020_10)
    except InvalidRRN:
        return False
    return True
