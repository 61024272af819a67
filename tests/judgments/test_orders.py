"""Each holder's part of an amount due, and the ten-year limitation of an indemnity claim."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.calc.interest import AmountDue
from baesang.cases.holdings import holder_parts
from baesang.judgments.orders import limitation_date


def due(principal: int, interest: int) -> AmountDue:
    return AmountDue(principal, interest, principal + interest, Fraction(interest), "period", "truncate",
                     date(2023, 3, 6), ())


@st.composite
def shares(draw) -> dict[int, Fraction]:
    weights = draw(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=12))
    total = sum(weights)
    return {holding: Fraction(w, total) for holding, w in enumerate(weights, start=100)}


@settings(max_examples=200)
@given(principal=st.integers(min_value=1, max_value=10**9), interest=st.integers(min_value=0, max_value=10**9),
       split=shares())
def test_parts_add_up_exactly_and_stay_within_a_won(principal, interest, split):
    parts = holder_parts(due(principal, interest), split)
    assert sum(p.amount for p in parts.values()) == principal + interest
    for holding, part in parts.items():
        assert part.principal >= 0 and part.interest >= 0
        assert abs(part.amount - (principal + interest) * split[holding]) < 1
    if interest >= len(split):  # the interest part can only be clamped when there is less than a won each
        assert sum(p.principal for p in parts.values()) == principal


def test_a_sole_holder_takes_the_whole_amount():
    parts = holder_parts(due(100_000_000, 107_452_054), {7: Fraction(1)})
    assert (parts[7].principal, parts[7].interest) == (100_000_000, 107_452_054)


def test_limitation_runs_ten_years_from_the_day_after_payment():
    # Civil Code Art. 157 (first day not counted), Art. 160(2) (ends the day before the
    # corresponding day), Art. 160(3) (no corresponding day: the end of the month).
    assert limitation_date(date(2023, 4, 12)) == date(2033, 4, 12)
    assert limitation_date(date(2023, 12, 31)) == date(2033, 12, 31)
    assert limitation_date(date(2024, 2, 28)) == date(2034, 2, 28)  # counted from 29 Feb 2024, no 29 Feb 2034
    assert limitation_date(date(2024, 2, 29)) == date(2034, 2, 28)  # counted from 1 March 2024
