"""Apportionment of whole won by exact shares: exact sum, within one won, documented tie-break."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.calc.apportion import ApportionError, apportion, parse_share, parse_shares, validate_shares


def test_1982_example_shares_of_100_million():
    # Shares 6/13, 6/13, 1/13 of 100,000,000: exact 46,153,846.15…, 46,153,846.15…, 7,692,307.69…;
    # floors sum to 99,999,999, the one won left goes to the largest remainder (D: 9/13 of a won).
    assert apportion(100_000_000, {"W": F(6, 13), "A": F(6, 13), "D": F(1, 13)}) == {
        "W": 46_153_846, "A": 46_153_846, "D": 7_692_308}


def test_tie_break_larger_remainder_then_larger_share_then_id():
    # Equal shares, equal remainders: the id order decides (A before B before C).
    assert apportion(100, {"C": F(1, 3), "B": F(1, 3), "A": F(1, 3)}) == {"C": 33, "B": 33, "A": 34}
    # Equal remainders (1/2 each) but different shares: the larger share (B, 3/4) gets the won.
    assert apportion(2, {"A": F(1, 4), "B": F(3, 4)}) == {"A": 0, "B": 2}
    # The larger remainder wins over the larger share: 10 × 3/7 = 4 2/7, 10 × 4/7 = 5 5/7.
    assert apportion(10, {"A": F(3, 7), "B": F(4, 7)}) == {"A": 4, "B": 6}
    # Ties are independent of the mapping's order.
    assert apportion(1, {"Z": F(1, 2), "Y": F(1, 2)}) == {"Z": 0, "Y": 1}


def test_exact_shares_need_no_rounding_and_zero_amount():
    assert apportion(1_000, {"A": F(1, 2), "B": F(1, 4), "C": F(1, 4)}) == {"A": 500, "B": 250, "C": 250}
    assert apportion(0, {"A": F(1, 2), "B": F(1, 2)}) == {"A": 0, "B": 0}
    assert apportion(7, {"A": 1}) == {"A": 7}


@pytest.mark.parametrize("shares, message", [
    ({"A": F(1, 3), "B": F(1, 2)}, "sum to 5/6, not 1"),
    ({"A": F(3, 2), "B": F(-1, 2)}, "not positive"),
    ({"A": F(1), "B": F(0)}, "not positive"),
    ({}, "no shares"),
    ({"A": 0.5, "B": F(1, 2)}, "not an exact fraction"),
])
def test_invalid_shares_are_refused_naming_the_problem(shares, message):
    with pytest.raises(ApportionError, match=message):
        validate_shares(shares)
    with pytest.raises(ApportionError, match=message):
        apportion(100, shares)


def test_invalid_amounts():
    with pytest.raises(ApportionError, match="negative"):
        apportion(-1, {"A": F(1)})
    with pytest.raises(ApportionError, match="whole number"):
        apportion(1.5, {"A": F(1)})  # type: ignore[arg-type]


def test_parse_share():
    assert parse_share("W=2/7") == ("W", F(2, 7))
    assert parse_share(" A = 1 ") == ("A", F(1))
    assert parse_share("김철수=4/8") == ("김철수", F(1, 2))
    for bad in ("W", "W=", "=1/2", "W=1/0", "W=0.5", "W=-1/2", "W=1/2/3"):
        with pytest.raises(ApportionError):
            parse_share(bad)
    assert parse_shares(["A=1/2", "B=1/2"]) == {"A": F(1, 2), "B": F(1, 2)}
    with pytest.raises(ApportionError, match="twice"):
        parse_shares(["A=1/2", "A=1/2"])
    with pytest.raises(ApportionError, match="not 1"):
        parse_shares(["A=1/2", "B=1/3"])


@st.composite
def share_sets(draw) -> dict[str, F]:
    """Positive weights normalised to exact shares summing to 1."""
    weights = draw(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=12))
    total = sum(weights)
    return {f"H{i:02d}": F(w, total) for i, w in enumerate(weights)}


@settings(max_examples=500, deadline=None)
@given(share_sets(), st.integers(min_value=0, max_value=10**15))
def test_property_parts_sum_to_amount_and_stay_within_one_won(shares, amount):
    parts = apportion(amount, shares)
    assert list(parts) == list(shares)
    assert sum(parts.values()) == amount
    for holder, share in shares.items():
        exact = amount * share
        assert parts[holder] in (exact.numerator // exact.denominator, -(-exact.numerator // exact.denominator))
        assert abs(parts[holder] - exact) < 1


@settings(max_examples=200, deadline=None)
@given(share_sets(), st.integers(min_value=0, max_value=10**12), st.randoms(use_true_random=False))
def test_property_result_does_not_depend_on_mapping_order(shares, amount, rnd):
    items = list(shares.items())
    rnd.shuffle(items)
    assert apportion(amount, dict(items)) == apportion(amount, shares)
