"""Money, dates and rates as people read them (baesang.core.formatting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baesang.core.formatting import format_date, format_rate, format_won, format_won_exact, format_won_readable


def test_format_won():
    assert format_won(107_452_054) == "107,452,054원"
    assert format_won(107_452_054, "en") == "KRW 107,452,054"
    assert format_won(0) == "0원"
    assert format_won(-1_000, "ko") == "-1,000원"


@pytest.mark.parametrize(
    ("amount", "korean", "english"),
    [
        (120_000_000, "1억 2,000만 원", "KRW 120 million"),
        (107_452_054, "1억 745만 2,054원", "KRW 107.45 million"),
        (4_000_000_000, "40억 원", "KRW 4 billion"),
        (2_078_000_000, "20억 7,800만 원", "KRW 2.07 billion"),
        (1_500_000_000_000, "1조 5,000억 원", "KRW 1.5 trillion"),
        (10_000, "1만 원", "KRW 10,000"),
        (9_999, "9,999원", "KRW 9,999"),
        (0, "0원", "KRW 0"),
        (-120_000_000, "-1억 2,000만 원", "KRW -120 million"),
    ],
)
def test_format_won_readable(amount, korean, english):
    assert format_won_readable(amount) == korean
    assert format_won_readable(amount, "en") == english


@given(st.integers(min_value=0, max_value=10**16))
def test_readable_korean_is_exact(amount):
    # Reading the groups back gives the amount: 조 10^12, 억 10^8, 만 10^4.
    text = format_won_readable(amount).replace("원", "").replace(",", "")
    units = {"조": 10**12, "억": 10**8, "만": 10**4}
    total = 0
    for part in text.split():
        unit = units.get(part[-1])
        total += int(part[:-1]) * unit if unit else int(part)
    assert total == amount


def test_format_won_exact_truncates_to_two_decimals():
    assert format_won_exact(Fraction(7_844_000_000, 73)) == "107,452,054.79원"  # 107,452,054.7945...
    assert format_won_exact(Fraction(1999, 1000), "en") == "KRW 1.99"
    assert format_won_exact(Fraction(-1, 3)) == "-0.33원"
    assert format_won_exact(5) == "5.00원"


def test_format_date():
    assert format_date(date(2018, 11, 1)) == "2018년 11월 1일"
    assert format_date(date(2018, 11, 1), "en") == "1 Nov 2018"


def test_format_rate():
    assert format_rate(Decimal("20")) == "20%"
    assert format_rate(Decimal("12.50")) == "12.5%"
    assert format_rate(Decimal("2E+1")) == "20%"
    assert format_rate(5) == "5%"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of ko, en"):
        format_won(1, "ja")
