"""The judgment-interest engine: public figures, leap years, the Nagoya order, each error,
the Litigation Promotion Act rates, and properties of the period and total-days methods.

Reference values are computed by hand in comments from the rules of DOMAIN.md §3
(Civil Code Arts. 159–160 for the period method) or taken from published figures.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from baesang.calc import interest
from baesang.calc.interest import (
    AmountDue,
    InterestError,
    JudgmentOrder,
    Segment,
    SheetLine,
    amount_due,
    exact_interest,
    interest_per_day,
    litigation_promotion_rate,
    parse_segment,
    round_won,
)

D = Decimal
PAID = None
ONE_DAY = timedelta(days=1)


def order(principal: int, *segments: tuple[date, date | None, str | int]) -> JudgmentOrder:
    return JudgmentOrder(principal, tuple(Segment(start, end, D(rate)) for start, end, rate in segments))


NIPPON_STEEL = order(100_000_000, (date(2013, 6, 19), PAID, "20"))
NAGOYA = order(100_000_000, (date(2015, 5, 13), date(2015, 6, 24), "5"), (date(2015, 6, 25), PAID, "20"))


# --- Public figure -------------------------------------------------------------------------


def test_public_figure_nippon_steel_period_method():
    # DOMAIN.md §3: 100,000,000 won at 20 % from 2013-06-19 to 2018-11-01 is 5 whole years
    # (2013-06-19..2018-06-18) plus 136 days (2018-06-19..2018-11-01: 12+31+31+30+31+1)
    # over 365 (2018-06-19..2019-06-18 has no 29 February) -> 107,452,054.79 won.
    result = amount_due(NIPPON_STEEL, date(2018, 11, 1))
    assert result.exact_interest == 5 * 20_000_000 + Fraction(20_000_000 * 136, 365)
    assert float(result.exact_interest) == pytest.approx(107_452_054.7945, abs=1e-3)
    assert result.interest == 107_452_054
    assert result.total == 207_452_054
    assert result.principal == 100_000_000
    assert (result.method, result.rounding, result.as_of) == ("period", "truncate", date(2018, 11, 1))
    assert result.lines == (
        SheetLine(1, date(2013, 6, 19), date(2018, 6, 18), 1826, None, 5, D("20"), Fraction(100_000_000)),
        SheetLine(1, date(2018, 6, 19), date(2018, 11, 1), 136, 365, 0, D("20"), Fraction(20_000_000 * 136, 365)),
    )


def test_public_figure_half_up_is_the_reported_figure():
    # The same figure as reported in the press, rounded to the nearest won: 107,452,055.
    result = amount_due(NIPPON_STEEL, date(2018, 11, 1), rounding="half-up")
    assert (result.interest, result.total, result.rounding) == (107_452_055, 207_452_055, "half-up")


def test_public_figure_total_days_method():
    # 2013-06-19..2018-11-01 is 1,826 + 136 = 1,962 days (2016 is a leap year);
    # 100,000,000 x 20 % x 1,962 / 365 = 107,506,849.31...
    result = amount_due(NIPPON_STEEL, date(2018, 11, 1), method="days")
    assert result.exact_interest == Fraction(20_000_000 * 1962, 365)
    assert result.interest == 107_506_849
    assert result.lines == (
        SheetLine(1, date(2013, 6, 19), date(2018, 11, 1), 1962, 365, 0, D("20"), Fraction(20_000_000 * 1962, 365)),
    )


def test_json_shape_of_the_issue():
    data = amount_due(NIPPON_STEEL, date(2018, 11, 1)).as_json()
    assert data == {
        "principal": 100_000_000,
        "interest": 107_452_054,
        "total": 207_452_054,
        "exact_interest": "7844000000/73",
        "method": "period",
        "rounding": "truncate",
        "lines": [
            {"start": "2013-06-19", "end": "2018-06-18", "days": 1826, "divisor": None, "years": 5, "rate": "20",
             "interest": "100000000/1"},
            {"start": "2018-06-19", "end": "2018-11-01", "days": 136, "divisor": 365, "years": 0, "rate": "20",
             "interest": "544000000/73"},
        ],
    }


def test_first_and_last_day_both_accrue():
    # Interest on the start day itself: one day, over the 365 days of 2013-06-19..2014-06-18.
    assert exact_interest(NIPPON_STEEL, date(2013, 6, 19)) == Fraction(20_000_000, 365)
    assert exact_interest(NIPPON_STEEL, date(2013, 6, 20)) == Fraction(2 * 20_000_000, 365)


def test_rate_written_with_decimals():
    # 12.5 % on 1,000,000 won for exactly one year is 125,000 won; "12.50" is the same rate.
    one_year = order(1_000_000, (date(2019, 6, 1), PAID, "12.50"))
    assert exact_interest(one_year, date(2020, 5, 31)) == 125_000
    assert amount_due(one_year, date(2020, 5, 31)).as_json()["lines"][0]["rate"] == "12.5"


# --- Leap years ------------------------------------------------------------------------------

LEAP_START = order(1_000_000, (date(2016, 2, 29), PAID, "20"))  # 200,000 won a year


@pytest.mark.parametrize(
    ("as_of", "expected", "why"),
    [
        # Art. 160(3): a year from 29 Feb 2016 ends on 28 Feb 2017 (no 29 Feb in 2017).
        (date(2017, 2, 28), Fraction(200_000), "exactly one year"),
        # One day short: 365 days of the year 2016-02-29..2017-02-28, which has 366 days.
        (date(2017, 2, 27), Fraction(200_000 * 365, 366), "365/366"),
        # The second year begins on 1 March 2017 and runs to 28 Feb 2018 (365 days).
        (date(2017, 3, 1), 200_000 + Fraction(200_000, 365), "1 year + 1/365"),
        # The fourth year begins on 1 March 2019; the one-year period that begins that day
        # runs to 29 Feb 2020 and has 366 days, the divisor of the remaining days.
        (date(2019, 3, 1), 600_000 + Fraction(200_000, 366), "3 years + 1/366"),
        (date(2020, 2, 27), 600_000 + Fraction(200_000 * 364, 366), "3 years + 364/366"),
        # 2019-03-01..2020-02-28 would be the fourth year; it ends on 28 Feb 2020 because
        # the corresponding day 29 Feb 2020 exists (Art. 160(2)).
        (date(2020, 2, 28), Fraction(800_000), "exactly four years"),
        # The fifth year begins on 29 Feb 2020 and runs to 28 Feb 2021: 366 days.
        (date(2020, 2, 29), 800_000 + Fraction(200_000, 366), "4 years + 1/366"),
    ],
)
def test_start_on_29_february(as_of, expected, why):
    assert exact_interest(LEAP_START, as_of) == expected, why


def test_start_on_29_february_sheet_blocks():
    result = amount_due(LEAP_START, date(2017, 3, 1))
    assert [(line.start, line.end, line.days, line.divisor, line.years) for line in result.lines] == [
        (date(2016, 2, 29), date(2017, 2, 28), 366, None, 1),
        (date(2017, 3, 1), date(2017, 3, 1), 1, 365, 0),
    ]


def test_segment_ending_on_29_february():
    # 2019-03-01..2020-02-29 is exactly one year (the year 2019-03-01..2020-02-29), so a
    # segment ending on 29 Feb 2020 gives the annual rate exactly: 1,000,000 x 5 % = 50,000.
    closed = order(1_000_000, (date(2019, 3, 1), date(2020, 2, 29), "5"), (date(2020, 3, 1), PAID, "20"))
    assert exact_interest(closed, date(2020, 2, 29)) == 50_000
    # One day later the 20 % segment has accrued one day over 2020-03-01..2021-02-28 (365).
    assert exact_interest(closed, date(2020, 3, 1)) == 50_000 + Fraction(200_000, 365)


def test_as_of_on_29_february_inside_a_year():
    # 2019-06-19..2020-02-29 is 256 days (12+31+31+30+31+30+31+31+29) of the year
    # 2019-06-19..2020-06-18, which has 366 days because it holds 29 Feb 2020.
    since = order(1_000_000, (date(2019, 6, 19), PAID, "20"))
    assert exact_interest(since, date(2020, 2, 29)) == Fraction(200_000 * 256, 366)


def test_remaining_days_block_of_366_days():
    # 100,000,000 at 20 % from 2013-06-19 to 2019-11-01: 6 whole years (to 2019-06-18), then
    # 136 days from 2019-06-19 over 366, because 2019-06-19..2020-06-18 holds 29 Feb 2020.
    result = amount_due(NIPPON_STEEL, date(2019, 11, 1))
    assert result.lines[-1] == SheetLine(
        1, date(2019, 6, 19), date(2019, 11, 1), 136, 366, 0, D("20"), Fraction(20_000_000 * 136, 366)
    )
    assert result.exact_interest == 6 * 20_000_000 + Fraction(20_000_000 * 136, 366)
    assert result.interest == 127_431_693  # 120,000,000 + 7,431,693.98...


def test_whole_years_hold_the_annual_rate_whether_365_or_366_days():
    # The year 2015-06-19..2016-06-18 has 366 days and 2016-06-19..2017-06-18 has 365: both
    # give exactly 20 %.
    result = amount_due(NIPPON_STEEL, date(2017, 6, 18))
    assert result.exact_interest == 80_000_000
    assert result.lines == (
        SheetLine(1, date(2013, 6, 19), date(2017, 6, 18), 1461, None, 4, D("20"), Fraction(80_000_000)),
    )


def test_start_on_1_january_year_ends_on_31_december():
    calendar_year = order(1_000_000, (date(2020, 1, 1), PAID, "10"))
    assert exact_interest(calendar_year, date(2020, 12, 31)) == 100_000
    assert exact_interest(calendar_year, date(2021, 12, 31)) == 200_000
    assert exact_interest(calendar_year, date(2021, 1, 1)) == 100_000 + Fraction(100_000, 365)
    assert [(line.start, line.end, line.days, line.divisor, line.years)
            for line in amount_due(calendar_year, date(2020, 12, 31)).lines] == [
        (date(2020, 1, 1), date(2020, 12, 31), 366, None, 1),
    ]


# --- The Nagoya order (MHI, women's labour corps) ----------------------------------------------


def test_nagoya_period_method():
    # 5 % from 2015-05-13 to 2015-06-24: 43 days (19 in May + 24 in June) of the year
    # 2015-05-13..2016-05-12, which has 366 days (29 Feb 2016): 5,000,000 x 43/366 = 587,431.69...
    # 20 % from 2015-06-25 to 2018-11-29 (Supreme Court ruling): 3 whole years to 2018-06-24,
    # then 158 days (6+31+31+30+31+29) over 365: 60,000,000 + 20,000,000 x 158/365 = 68,657,534.24...
    # Total 69,244,965.94... -> 69,244,965 truncated, 69,244,966 half-up.
    result = amount_due(NAGOYA, date(2018, 11, 29))
    assert result.exact_interest == Fraction(5_000_000 * 43, 366) + 60_000_000 + Fraction(20_000_000 * 158, 365)
    assert result.interest == 69_244_965
    assert amount_due(NAGOYA, date(2018, 11, 29), rounding="half-up").interest == 69_244_966
    assert [(line.segment, line.start, line.end, line.days, line.divisor, line.years) for line in result.lines] == [
        (1, date(2015, 5, 13), date(2015, 6, 24), 43, 366, 0),
        (2, date(2015, 6, 25), date(2018, 6, 24), 1096, None, 3),
        (2, date(2018, 6, 25), date(2018, 11, 29), 158, 365, 0),
    ]


def test_nagoya_total_days_method():
    # 43/365 at 5 % = 589,041.09...; 2015-06-25..2018-11-29 is 1,096 + 158 = 1,254 days at
    # 20 %: 20,000,000 x 1,254/365 = 68,712,328.76...; total 69,301,369.86... -> 69,301,369.
    result = amount_due(NAGOYA, date(2018, 11, 29), method="days")
    assert result.exact_interest == Fraction(5_000_000 * 43, 365) + Fraction(20_000_000 * 1254, 365)
    assert result.interest == 69_301_369


def test_segment_cut_at_as_of_and_later_segments_contribute_nothing():
    # As of 2015-06-01 only 20 days of the 5 % segment have run (2015-05-13..2015-06-01).
    result = amount_due(NAGOYA, date(2015, 6, 1))
    assert result.exact_interest == Fraction(5_000_000 * 20, 366)
    assert [(line.segment, line.end, line.days) for line in result.lines] == [(1, date(2015, 6, 1), 20)]


def test_order_of_closed_segments_stops_accruing_after_the_last_end():
    closed = order(1_000_000, (date(2020, 1, 1), date(2020, 12, 31), "10"))
    assert exact_interest(closed, date(2020, 12, 31)) == exact_interest(closed, date(2030, 1, 1)) == 100_000


# --- Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_order", "code", "words"),
    [
        (order(0, (date(2013, 6, 19), PAID, "20")), interest.PRINCIPAL_NOT_POSITIVE, ["principal", "than zero"]),
        (order(-5, (date(2013, 6, 19), PAID, "20")), interest.PRINCIPAL_NOT_POSITIVE, ["principal", "-5"]),
        (JudgmentOrder(100, ()), interest.NO_SEGMENTS, ["segment"]),
        (order(100, (date(2013, 6, 19), PAID, "-1")), interest.RATE_OUT_OF_RANGE, ["segment 1", "0–100"]),
        (order(100, (date(2013, 6, 19), PAID, "100.01")), interest.RATE_OUT_OF_RANGE, ["segment 1", "100.01"]),
        (
            order(100, (date(2015, 5, 13), date(2015, 6, 24), "5"), (date(2015, 6, 20), PAID, "20")),
            interest.SEGMENTS_OVERLAP, ["segment 2", "2015-06-20", "overlap"],
        ),
        (
            order(100, (date(2015, 5, 13), date(2015, 6, 24), "5"), (date(2015, 6, 27), PAID, "20")),
            interest.SEGMENTS_GAP, ["segment 2", "gap", "2015-06-25"],
        ),
        (
            order(100, (date(2015, 6, 25), date(2016, 1, 1), "20"), (date(2015, 5, 13), date(2015, 6, 24), "5")),
            interest.SEGMENTS_OUT_OF_ORDER, ["segment 2", "date order"],
        ),
        (
            order(100, (date(2015, 5, 13), PAID, "5"), (date(2015, 6, 25), PAID, "20")),
            interest.OPEN_SEGMENT_NOT_LAST, ["segment 1", "until paid", "last"],
        ),
        (
            order(100, (date(2015, 5, 13), date(2015, 5, 12), "5")),
            interest.SEGMENT_ENDS_BEFORE_START, ["segment 1", "2015-05-12"],
        ),
    ],
)
def test_each_invalid_order_is_refused_with_a_clear_message(bad_order, code, words):
    with pytest.raises(InterestError) as caught:
        bad_order.validate()
    assert caught.value.code == code
    for word in words:
        assert word in str(caught.value)
    with pytest.raises(InterestError) as again:
        amount_due(bad_order, date(2020, 1, 1))
    assert again.value.code == code


def test_overlap_names_both_segments():
    bad = order(100, (date(2015, 5, 13), date(2015, 6, 24), "5"), (date(2015, 6, 24), PAID, "20"))
    with pytest.raises(InterestError, match="segment 2 starts on 2015-06-24, inside segment 1") as caught:
        bad.validate()
    assert caught.value.segment == 2


def test_as_of_before_interest_starts():
    with pytest.raises(InterestError, match="as-of date 2013-06-18 is before interest starts on 2013-06-19") as e:
        amount_due(NIPPON_STEEL, date(2013, 6, 18))
    assert e.value.code == interest.AS_OF_BEFORE_START
    with pytest.raises(InterestError):
        exact_interest(NIPPON_STEEL, date(2013, 6, 18))


@pytest.mark.parametrize("rate", [20.0, "20", True, Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity")])
def test_rate_must_be_an_exact_finite_number(rate):
    bad = JudgmentOrder(100, (Segment(date(2013, 6, 19), None, rate),))
    with pytest.raises(InterestError) as caught:
        bad.validate()
    assert caught.value.code == interest.BAD_RATE


def test_integer_rate_is_exact_and_accepted():
    as_int = JudgmentOrder(100_000_000, (Segment(date(2013, 6, 19), None, 20),))
    assert exact_interest(as_int, date(2018, 11, 1)) == exact_interest(NIPPON_STEEL, date(2018, 11, 1))


def test_principal_must_be_an_int():
    with pytest.raises(InterestError, match="principal"):
        JudgmentOrder(Decimal("100"), NIPPON_STEEL.segments).validate()


def test_dates_must_be_calendar_dates():

    bad = JudgmentOrder(100, (Segment(datetime(2013, 6, 19), None, D("20")),))
    with pytest.raises(InterestError) as caught:
        bad.validate()
    assert caught.value.code == interest.BAD_DATE
    with pytest.raises(InterestError, match="as-of"):
        amount_due(NIPPON_STEEL, datetime(2018, 11, 1))


def test_unknown_method_and_rounding():
    with pytest.raises(InterestError, match="method must be one of period, days") as caught:
        amount_due(NIPPON_STEEL, date(2018, 11, 1), method="simple")
    assert caught.value.code == interest.UNKNOWN_METHOD
    with pytest.raises(InterestError, match="rounding must be one of truncate, half-up") as caught:
        amount_due(NIPPON_STEEL, date(2018, 11, 1), rounding="bankers")
    assert caught.value.code == interest.UNKNOWN_ROUNDING
    with pytest.raises(InterestError):
        round_won(Fraction(1, 2), "ceiling")


def test_error_is_a_value_error_with_a_dict():
    with pytest.raises(ValueError) as caught:
        order(0, (date(2013, 6, 19), PAID, "20")).validate()
    assert caught.value.as_dict()["field"] == "principal"


# --- Litigation Promotion Act rate -----------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "rate"),
    [
        (date(2003, 6, 1), D("20")),
        (date(2013, 6, 19), D("20")),
        (date(2015, 9, 30), D("20")),
        (date(2015, 10, 1), D("15")),
        (date(2019, 5, 31), D("15")),
        (date(2019, 6, 1), D("12")),
        (date(2025, 4, 1), D("12")),
    ],
)
def test_litigation_promotion_rate_boundaries(on, rate):
    # DOMAIN.md §3: 20 % until 2015-09-30, 15 % from 2015-10-01, 12 % from 2019-06-01.
    assert litigation_promotion_rate(on) == rate


def test_litigation_promotion_rate_before_the_table_is_refused():
    with pytest.raises(InterestError, match="2003-06-01") as caught:
        litigation_promotion_rate(date(2003, 5, 31))
    assert caught.value.code == interest.RATE_UNKNOWN


# --- Segment text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        ("2013-06-19:paid:20", Segment(date(2013, 6, 19), None, D("20"))),
        ("2015-05-13:2015-06-24:5", Segment(date(2015, 5, 13), date(2015, 6, 24), D("5"))),
        ("2019-06-01:PAID:12.5%", Segment(date(2019, 6, 1), None, D("12.5"))),
    ],
)
def test_parse_segment(text, segment):
    assert parse_segment(text) == segment


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("2013-06-19:paid", interest.SEGMENT_SYNTAX, ["START:END:RATE"]),
        ("2013-06-19:paid:20:1", interest.SEGMENT_SYNTAX, ["START:END:RATE"]),
        ("2013-13-19:paid:20", interest.SEGMENT_SYNTAX, ["start", "YYYY-MM-DD"]),
        ("20130619:paid:20", interest.SEGMENT_SYNTAX, ["start", "YYYY-MM-DD"]),
        ("2013-06-19:later:20", interest.SEGMENT_SYNTAX, ["end", "paid"]),
        ("2013-06-19:paid:twenty", interest.BAD_RATE, ["rate", "twenty"]),
        ("2013-06-19:paid:nan", interest.BAD_RATE, ["rate"]),
    ],
)
def test_parse_segment_errors(text, code, words):
    with pytest.raises(InterestError) as caught:
        parse_segment(text)
    assert caught.value.code == code
    for word in words:
        assert word in caught.value.message


# --- Interest per day ------------------------------------------------------------------------


def test_interest_per_day():
    # 100,000,000 x 20 % / 365 on a day of the year 2018-06-19..2019-06-18 ...
    assert interest_per_day(NIPPON_STEEL, date(2018, 11, 1)) == Fraction(20_000_000, 365)
    # ... and / 366 in the year 2019-06-19..2020-06-18, which holds 29 Feb 2020.
    assert interest_per_day(NIPPON_STEEL, date(2019, 11, 1)) == Fraction(20_000_000, 366)
    assert interest_per_day(NIPPON_STEEL, date(2013, 6, 18)) == 0
    # Nagoya: both 2015-05-13..2016-05-12 and 2015-06-25..2016-06-24 hold 29 Feb 2016.
    assert interest_per_day(NAGOYA, date(2015, 6, 24)) == Fraction(5_000_000, 366)
    assert interest_per_day(NAGOYA, date(2015, 6, 25)) == Fraction(20_000_000, 366)
    assert interest_per_day(NAGOYA, date(2016, 6, 25)) == Fraction(20_000_000, 365)
    closed = order(1_000_000, (date(2020, 1, 1), date(2020, 12, 31), "10"))
    assert interest_per_day(closed, date(2021, 1, 1)) == 0


# --- Rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "truncated", "half_up"),
    [
        (Fraction(7, 2), 3, 4),
        (Fraction(349, 100), 3, 3),
        (Fraction(351, 100), 3, 4),
        (Fraction(-7, 2), -3, -4),
        (Fraction(0), 0, 0),
        (5, 5, 5),
    ],
)
def test_round_won_examples(value, truncated, half_up):
    assert round_won(value) == truncated
    assert round_won(value, "truncate") == truncated
    assert round_won(value, "half-up") == half_up


def test_round_won_refuses_float():
    with pytest.raises(TypeError):
        round_won(0.5)


fractions = st.fractions(min_value=-(10**15), max_value=10**15)


@given(fractions)
@settings(max_examples=300)
def test_round_won_properties(value):
    truncated, half_up = round_won(value, "truncate"), round_won(value, "half-up")
    assert abs(value - truncated) < 1 and abs(truncated) <= abs(value)  # toward zero, within a won
    assert abs(value - half_up) <= Fraction(1, 2)
    assert round_won(-value) == -truncated and round_won(-value, "half-up") == -half_up
    assert round_won(Fraction(truncated)) == truncated


@given(fractions, fractions)
@settings(max_examples=200)
def test_round_won_is_monotone(a, b):
    low, high = min(a, b), max(a, b)
    for rounding in interest.ROUNDINGS:
        assert round_won(low, rounding) <= round_won(high, rounding)


# --- Properties ------------------------------------------------------------------------------

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
rates = st.decimals(min_value=0, max_value=100, places=3)
principals = st.integers(min_value=1, max_value=10**12)


@st.composite
def orders(draw, max_segments: int = 3) -> JudgmentOrder:
    start = draw(dates)
    count = draw(st.integers(1, max_segments))
    segments = []
    for number in range(1, count + 1):
        rate = draw(rates)
        if number == count and draw(st.booleans()):
            segments.append(Segment(start, None, rate))
            break
        end = start + timedelta(days=draw(st.integers(0, 3000)))
        segments.append(Segment(start, end, rate))
        start = end + ONE_DAY
    return JudgmentOrder(draw(principals), tuple(segments))


def as_of_for(draw, judgment: JudgmentOrder) -> date:
    return judgment.segments[0].start + timedelta(days=draw(st.integers(0, 12000)))


def reference_year_end(start: date, years: int) -> date:
    """Last day of ``years`` whole years from ``start``, Civil Code Art. 160(2)-(3): the day
    before the corresponding day, or the end of February where there is no 29 February."""
    target = start.year + years
    try:
        return start.replace(year=target) - ONE_DAY
    except ValueError:
        return date(target, 2, 28)


def reference_period(principal: int, start: date, last: date, rate: Decimal) -> Fraction:
    """The period method written directly from the rules, with calendar dates."""
    years = 0
    while reference_year_end(start, years + 1) <= last:
        years += 1
    first_remaining = reference_year_end(start, years) + ONE_DAY if years else start
    days = (last - first_remaining).days + 1
    divisor = (reference_year_end(first_remaining, 1) - first_remaining).days + 1
    return principal * Fraction(rate) / 100 * (years + Fraction(days, divisor))


@given(st.data())
@settings(max_examples=300)
def test_period_method_matches_the_rules_written_with_dates(data):
    judgment = data.draw(orders())
    as_of = as_of_for(data.draw, judgment)
    expected = Fraction(0)
    for segment in judgment.segments:
        if segment.start > as_of:
            break
        last = as_of if segment.end is None or segment.end > as_of else segment.end
        expected += reference_period(judgment.principal, segment.start, last, segment.rate)
    assert exact_interest(judgment, as_of) == expected


@given(st.data())
@settings(max_examples=200)
def test_period_method_from_29_february_matches_the_rules(data):
    year = data.draw(st.sampled_from([y for y in range(1952, 2089) if y % 4 == 0]))
    start = date(year, 2, 29)
    last = start + timedelta(days=data.draw(st.integers(0, 6000)))
    judgment = JudgmentOrder(1_000_000, (Segment(start, None, D("20")),))
    assert exact_interest(judgment, last) == reference_period(1_000_000, start, last, D("20"))


@given(st.data())
@settings(max_examples=300)
def test_interest_never_decreases_as_as_of_moves_later(data):
    judgment = data.draw(orders())
    earlier = as_of_for(data.draw, judgment)
    later = earlier + timedelta(days=data.draw(st.integers(0, 2000)))
    for method in interest.METHODS:
        before, after = amount_due(judgment, earlier, method), amount_due(judgment, later, method)
        assert before.exact_interest <= after.exact_interest
        assert before.interest <= after.interest


@given(st.data())
@settings(max_examples=300)
def test_on_an_anniversary_the_period_method_gives_whole_years_exactly(data):
    start = data.draw(dates)
    years = data.draw(st.integers(1, 40))
    rate = data.draw(rates)
    principal = data.draw(principals)
    judgment = JudgmentOrder(principal, (Segment(start, None, rate),))
    as_of = reference_year_end(start, years)
    assert exact_interest(judgment, as_of) == principal * Fraction(rate) / 100 * years
    result = amount_due(judgment, as_of)
    assert [(line.years, line.divisor) for line in result.lines] == [(years, None)]


@given(st.data())
@settings(max_examples=300)
def test_splitting_a_segment_keeps_the_total_days_interest(data):
    judgment = data.draw(orders(max_segments=1))
    segment = judgment.segments[0]
    end = segment.end or segment.start + timedelta(days=data.draw(st.integers(1, 5000)))
    assume(end > segment.start)
    split = segment.start + timedelta(days=data.draw(st.integers(0, (end - segment.start).days - 1)))
    whole = JudgmentOrder(judgment.principal, (Segment(segment.start, segment.end, segment.rate),))
    parts = JudgmentOrder(judgment.principal, (
        Segment(segment.start, split, segment.rate), Segment(split + ONE_DAY, segment.end, segment.rate),
    ))
    as_of = as_of_for(data.draw, judgment)
    assert exact_interest(whole, as_of, "days") == exact_interest(parts, as_of, "days")


@given(st.data())
@settings(max_examples=300)
def test_sheet_agrees_with_the_lean_path_and_covers_every_day(data):
    judgment = data.draw(orders())
    as_of = as_of_for(data.draw, judgment)
    for method in interest.METHODS:
        result = amount_due(judgment, as_of, method)
        lean = amount_due(judgment, as_of, method, sheet=False)
        assert result.exact_interest == lean.exact_interest == exact_interest(judgment, as_of, method)
        assert lean == dataclasses.replace(result, lines=())
        assert result.exact_interest == sum((line.interest for line in result.lines), Fraction(0))
        day = judgment.segments[0].start
        for line in result.lines:
            assert line.start == day and line.days == (line.end - line.start).days + 1
            assert line.divisor is None or line.days < line.divisor or method == "days"
            assert (line.years > 0) == (line.divisor is None)
            day = line.end + ONE_DAY
        assert day == min(as_of, judgment.segments[-1].end or as_of) + ONE_DAY


@given(st.data())
@settings(max_examples=200)
def test_interest_per_day_is_the_cost_of_one_more_day(data):
    # Outside orders starting on 29 February (whose years end on 28 February, so a year and
    # the divisor of its remaining days can differ by one day), one more day adds exactly
    # the interest of that day.
    judgment = data.draw(orders())
    assume(all((s.start.month, s.start.day) != (2, 29) for s in judgment.segments))
    on = as_of_for(data.draw, judgment)
    start = judgment.segments[0].start
    before = exact_interest(judgment, on - ONE_DAY) if on > start else 0
    assert exact_interest(judgment, on) - before == interest_per_day(judgment, on)


@pytest.mark.parametrize("sheet", [True, False])
def test_amount_due_is_immutable(sheet):
    result = amount_due(NIPPON_STEEL, date(2018, 11, 1), sheet=sheet)
    assert isinstance(result, AmountDue)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.interest = 0
