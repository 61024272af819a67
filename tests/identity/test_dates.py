"""Birth dates: lunar and solar, Japanese eras, partial dates, unreadable dates."""

from datetime import date

import pytest

from baesang.identity.dates import (
    CALENDAR_LUNAR,
    CALENDAR_SOLAR,
    DateError,
    lunar_to_solar,
    parse_birth_date,
)


def test_full_partial_and_separators():
    assert parse_birth_date("1921-05-03").precision == 3
    assert parse_birth_date("1921-05").written == "1921-05"
    assert parse_birth_date("1921").precision == 1
    assert parse_birth_date("1921.5.3").written == "1921-05-03"
    assert parse_birth_date("") is None


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("大正10年5月3日", "1921-05-03"),  # 大正 1912: year 10 is 1921
        ("昭和3年", "1928"),  # 昭和 1926: year 3 is 1928
        ("昭和元年12月", "1926-12"),  # 元年 is year 1
        ("明治45年", "1912"),
        ("大正十年五月三日", "1921-05-03"),  # kanji numerals
        ("大正１０年５月３日", "1921-05-03"),  # full-width digits
    ],
)
def test_japanese_era_dates(text, written):
    assert parse_birth_date(text).written == written


def test_lunar_to_solar_by_the_kari_tables():
    # Lunar new year 1921 (1st day of the 1st month) fell on solar 1921-02-08.
    assert lunar_to_solar(1921, 1, 1) == date(1921, 2, 8)


def test_lunar_only_date_is_read_as_lunar():
    marked = parse_birth_date("1921-02-30", "lunar")
    unmarked = parse_birth_date("1921-02-30", "")
    assert marked.calendar == unmarked.calendar == CALENDAR_LUNAR
    # The 2nd lunar month of 1921 has 29 days: day 30 is read as its last day.
    assert marked.solar_dates()[1] == lunar_to_solar(1921, 2, 29).isoformat()


def test_both_readings_of_an_unknown_calendar():
    solar, lunar = parse_birth_date("1925-05-03", "").solar_dates()
    assert solar == "1925-05-03"
    assert lunar == lunar_to_solar(1925, 5, 3).isoformat()
    assert parse_birth_date("1925-05-03", CALENDAR_SOLAR).solar_dates() == ("1925-05-03", "")


def test_lunar_record_and_solar_record_of_one_birth_meet():
    solar_day = lunar_to_solar(1923, 8, 15)
    lunar_record = parse_birth_date("1923-08-15", "lunar").solar_dates()
    solar_record = parse_birth_date(solar_day.isoformat(), "solar").solar_dates()
    assert lunar_record[1] == solar_record[0]


def test_swapped_day_and_month():
    assert parse_birth_date("1921-05-03").swapped == "1921-03-05"
    assert parse_birth_date("1921-05-13").swapped == ""  # 13 cannot be a month


@pytest.mark.parametrize("text", ["abc", "1921-13-01", "1921-02-32", "大正", "19211"])
def test_unreadable_dates(text):
    with pytest.raises(DateError):
        parse_birth_date(text)


def test_calendar_words():
    assert parse_birth_date("1921-01-01", "음력").calendar == CALENDAR_LUNAR
    with pytest.raises(DateError):
        parse_birth_date("1921-01-01", "julian")
