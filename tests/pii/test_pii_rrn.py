"""Resident registration numbers: validation rule by rule, canonical forms and the masks.

The numbers are pseudonymous: made-up serial digits completed with the check digit of the
published rule (weights 2,3,4,5,6,7,8,9,2,3,4,5; check = (11 − sum mod 11) mod 10), the rule
python-stdnum implements.
"""

from __future__ import annotations

import datetime

import pytest

from baesang.core.errors import DomainError
from baesang.pii import rrn
from baesang.pii.rrn import (
    RRNBadBirthDate,
    RRNBadChecksum,
    RRNBadFormat,
    RRNBadRegion,
    mask_account,
    mask_address,
    mask_phone,
    mask_rrn,
    validate_rrn,
)

TODAY = datetime.date(2025, 6, 1)


def with_check_digit(first_twelve: str) -> str:
    digits = first_twelve.replace("-", "")
    total = sum(w * int(d) for w, d in zip((2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), digits, strict=True))
    return f"{digits[:6]}-{digits[6:]}{(11 - total % 11) % 10}"


def wrong_check_digit(first_twelve: str) -> str:
    right = with_check_digit(first_twelve)
    return right[:-1] + str((int(right[-1]) + 1) % 10)


MAN_1925 = with_check_digit("250317-101234")  # a victim born 1925-03-17 (digit 1: man born 1900–1999)
WOMAN_1931 = with_check_digit("310809-205678")
HEIR_2003 = with_check_digit("030214-312345")  # digit 3: man born 2000–2099


@pytest.mark.parametrize("number", [MAN_1925, WOMAN_1931, HEIR_2003, "971013-9019902"])
def test_valid_numbers_compact(number):
    assert validate_rrn(number, today=TODAY) == number.replace("-", "")
    assert validate_rrn(f"  {number.replace('-', ' - ')} ", today=TODAY) == number.replace("-", "")


def test_full_width_digits_typed_with_a_korean_input_method_are_read_as_digits():
    full_width = MAN_1925.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert full_width != MAN_1925
    assert validate_rrn(full_width, today=TODAY) == MAN_1925.replace("-", "")


def test_stdnum_example_is_a_man_born_in_1897():
    # python-stdnum's own doctest number; digit 9 is a man born 1800–1899
    assert rrn.birth_date("971013-9019902") == datetime.date(1897, 10, 13)
    assert rrn.birth_date(MAN_1925) == datetime.date(1925, 3, 17)
    assert rrn.birth_date(HEIR_2003) == datetime.date(2003, 2, 14)


@pytest.mark.parametrize("number", ["250317-10123", "250317-10123456", "25O317-1012345", "250317_1012345", ""])
def test_bad_format(number):
    with pytest.raises(RRNBadFormat) as caught:
        validate_rrn(number, field="creditor.rrn", today=TODAY)
    assert caught.value.code == "rrn_format" and caught.value.field == "creditor.rrn"
    assert caught.value.message.startswith("creditor.rrn: ") and "13 digits" in caught.value.message


@pytest.mark.parametrize("first_twelve", [
    "251317-101234",  # month 13
    "250230-201234",  # 30 February
    "250000-101234",  # month 00
    "990101-301234",  # 2099-01-01, after TODAY
])
def test_bad_birth_date(first_twelve):
    with pytest.raises(RRNBadBirthDate) as caught:
        validate_rrn(with_check_digit(first_twelve), today=TODAY)
    assert caught.value.code == "rrn_birth_date" and "birth date" in caught.value.message


def test_bad_region_code():
    number = with_check_digit("250317-197123")  # region digits 97 > 96
    with pytest.raises(RRNBadRegion) as caught:
        validate_rrn(number, field="heir.rrn", row=7, today=TODAY)
    assert caught.value.row == 7 and "region code" in caught.value.message


def test_bad_check_digit_names_the_rule_and_not_the_number():
    number = wrong_check_digit("250317-101234")
    with pytest.raises(RRNBadChecksum) as caught:
        validate_rrn(number, field="creditor.rrn", row=3, today=TODAY)
    error = caught.value
    assert isinstance(error, DomainError)
    assert error.as_dict() == {"code": "rrn_checksum", "message": error.message, "field": "creditor.rrn", "row": 3}
    assert "check digit" in error.message and "2020-10-05" in error.message
    assert number.replace("-", "") not in error.message and number not in error.message
    assert not rrn.is_valid_rrn(number)


def test_numbers_from_the_2020_scheme_have_no_check_digit():
    # Born 2021-03-15 (digit 4: woman born 2000–2099): the last six digits are random since
    # 2020-10-05, so a "wrong" check digit and a region above 96 are both fine.
    random_tail = wrong_check_digit("210315-498765")
    assert validate_rrn(random_tail, today=TODAY) == random_tail.replace("-", "")
    # Born before the change but given a new number after it: staff say so explicitly.
    changed = wrong_check_digit("250317-198765")
    with pytest.raises(RRNBadRegion):
        validate_rrn(changed, today=TODAY)
    assert validate_rrn(changed, issued_from_2020_10=True, today=TODAY) == changed.replace("-", "")
    # Born 2020-10-04, the day before: the old rule still applies without the flag.
    with pytest.raises(RRNBadChecksum):
        validate_rrn(wrong_check_digit("201004-401234"), today=TODAY)
    # The birth date is checked under either scheme.
    with pytest.raises(RRNBadBirthDate):
        validate_rrn(wrong_check_digit("211315-498765"), issued_from_2020_10=True, today=TODAY)


def test_compact_and_format():
    assert rrn.compact_rrn(" 250317 - 1012345 ") == "2503171012345"
    assert rrn.format_rrn("2503171012345") == "250317-1012345"


def test_masks():
    assert mask_rrn("900101-1234567") == "900101-1******"
    assert mask_rrn("9001011234567") == "900101-1******"
    assert mask_rrn("12345") == "******-*******"
    assert mask_rrn("") == ""
    assert mask_account("123-45-61234") == "***-**-*1234"
    assert mask_account("110-123-456789") == "***-***-**6789"
    assert mask_account("1002-345-678901") == "****-***-**8901"
    assert mask_account("123") == "***"
    assert mask_phone("010-1234-5678") == "010-****-5678"
    assert mask_phone("01012345678") == "010-****-5678"
    assert mask_phone("+82 10-1234-5678") == "010-****-5678"
    assert mask_phone("02-123-4567") == "02-***-4567"
    assert mask_phone("051-1234-5678") == "051-****-5678"
    assert mask_address("서울특별시 종로구 세종대로 209") == "서울특별시 종로구 ***"
    assert mask_address("부산광역시 해운대구") == "부산광역시 ***"
    assert mask_address("세종특별자치시") == "***"
