"""The funding forecast against hand-computed cases.

The figures are chosen so that a day's interest is a whole number of won and can be
checked with a pencil: under the period method (Civil Code Arts. 159–160, DOMAIN.md §3)
a whole year of interest is principal × rate, and a day of the remaining-days block is
principal × rate / 365 when that one-year block has 365 days.

- Claim A: 36,500,000 won at 20 % from 2024-06-01. 2024-06-01..2025-05-31 is one whole
  year: 7,300,000 won. The next block (2025-06-01..2026-05-31) has 365 days, so each day
  from 2025-06-01 adds 36,500,000 × 0.20 / 365 = 20,000 won.
- Claim B: 18,250,000 won at 20 % from 2024-06-01: one year 3,650,000, then 10,000 a day.
- A pending award: 36,500,000 won at 12 % from 2025-07-01; its block 2025-07-01..2026-06-30
  has 365 days, so 36,500,000 × 0.12 / 365 = 12,000 won a day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.calc.forecast import (
    Clearing,
    ForecastError,
    ForecastInput,
    Inflow,
    PendingLawsuit,
    WaitingClaim,
    _Dues,
    forecast,
    forecast_json,
    scenario_from_json,
)
from baesang.calc.interest import JudgmentOrder, Segment, amount_due


def order(principal: int, start: date, rate: str) -> JudgmentOrder:
    return JudgmentOrder(principal, (Segment(start, None, Decimal(rate)),))


CLAIM_A = WaitingClaim("A", order(36_500_000, date(2024, 6, 1), "20"))
CLAIM_B = WaitingClaim("B", order(18_250_000, date(2024, 6, 1), "20"))


def test_hand_figures_of_the_claims_agree_with_the_interest_engine():
    # A on 2025-06-30: 7,300,000 (one year) + 30 days × 20,000 = 7,900,000 → 44,400,000.
    assert amount_due(CLAIM_A.order, date(2025, 6, 30)).total == 44_400_000
    # B on 2025-06-30: 3,650,000 + 30 × 10,000 = 3,950,000 → 22,200,000.
    assert amount_due(CLAIM_B.order, date(2025, 6, 30)).total == 22_200_000


def test_one_claim_a_pledge_and_the_least_clearing_donation():
    result = forecast(ForecastInput(
        as_of=date(2025, 6, 1), months=3, opening_fund=40_000_000,
        waiting=[CLAIM_A], pledges=[Inflow(date(2025, 7, 15), 5_000_000, "pledge", "pledge")],
    ))
    june, july, august = result.months
    # June: 40,000,000 in the fund, A is owed 44,400,000 on 06-30 → not paid.
    assert (june.month, june.start, june.end) == ("2025-06", date(2025, 6, 1), date(2025, 6, 30))
    assert june.paid_claims == 0 and june.fund_balance == 40_000_000
    assert june.owed_waiting == 44_400_000 and june.shortfall == 4_400_000
    assert june.interest_cost == 30 * 20_000 == 600_000
    assert june.interest_per_day == 20_000
    # July: the pledge brings 45,000,000; A is owed 7,300,000 + 61 × 20,000 + 36,500,000
    # = 45,020,000 → 20,000 short, still waiting.
    assert july.inflows == 5_000_000 and july.fund_balance == 45_000_000
    assert july.owed_waiting == 45_020_000 and july.shortfall == 20_000
    assert july.interest_cost == 31 * 20_000
    # August: nothing comes in; A is owed 45,640,000.
    assert august.owed_waiting == 45_640_000 and august.shortfall == 640_000
    assert result.total_interest_cost == 600_000 + 620_000 + 620_000
    assert result.claims_paid == 0 and result.claims_waiting_at_end == 1
    # To pay A on the first payment day: 44,400,000 − 40,000,000.
    assert result.clear_now == Clearing(4_400_000, date(2025, 6, 30))
    # Least donation that clears within the horizon: 20,000 now lets A be paid in July
    # (45,000,000 + 20,000 = 45,020,000); August would need 640,000, June 4,400,000.
    assert result.clear_within_horizon == Clearing(20_000, date(2025, 7, 31))


def test_strict_order_a_pending_lawsuit_and_a_scenario_donation():
    suit = PendingLawsuit("2nd suit", 2, 36_500_000, date(2025, 7, 10), date(2025, 7, 1), Decimal("12"))
    result = forecast(ForecastInput(
        as_of=date(2025, 6, 1), months=3, opening_fund=30_000_000,
        waiting=[CLAIM_A, CLAIM_B], pending=[suit],
        scenario=[Inflow(date(2025, 7, 20), 100_000_000, "defendants contribute")],
    ))
    june, july, august = result.months
    # June: 30,000,000 cannot pay A (44,400,000); B (22,200,000) would fit but does not
    # jump the queue.
    assert june.paid_claims == 0 and june.waiting_claims == 2
    assert june.owed_waiting == 44_400_000 + 22_200_000
    assert june.shortfall == 66_600_000 - 30_000_000
    assert june.interest_cost == 30 * (20_000 + 10_000)
    assert june.interest_per_day == 30_000
    # July: 130,000,000. Pay A 45,020,000 → 84,980,000; B 18,250,000 + 3,650,000 +
    # 61 × 10,000 = 22,510,000 → 62,470,000; pending #1: 36,500,000 + 31 × 12,000
    # = 36,872,000 → 25,598,000; pending #2 (36,872,000) waits.
    assert july.new_claims == 2
    assert july.paid_keys == ("A", "B", "2nd suit #1")
    assert july.paid_amount == 45_020_000 + 22_510_000 + 36_872_000
    assert july.fund_balance == 25_598_000
    assert july.owed_waiting == 36_872_000 and july.shortfall == 36_872_000 - 25_598_000
    # Waiting cost in July: A 31 × 20,000, B 31 × 10,000, each pending claim from its
    # final day 07-10 through 07-31 (22 days × 12,000); interest from 07-01 to 07-09 is
    # part of the award, not of the waiting.
    assert july.interest_cost == 620_000 + 310_000 + 2 * 22 * 12_000
    assert july.interest_per_day == 12_000
    # August: #2 is owed 36,500,000 + 62 × 12,000 = 37,244,000 > 25,598,000.
    assert august.paid_claims == 0 and august.owed_waiting == 37_244_000
    assert august.shortfall == 37_244_000 - 25_598_000 and august.interest_cost == 31 * 12_000
    assert result.total_paid == july.paid_amount and result.claims_paid == 3
    # Now: A and B on 06-30: 66,600,000 − 30,000,000.
    assert result.clear_now == Clearing(36_600_000, date(2025, 6, 30))
    # Within the horizon: all four in July need 45,020,000 + 22,510,000 + 2 × 36,872,000
    # = 141,274,000 against 130,000,000 → 11,274,000; paying #2 in August instead would
    # need 37,244,000 − 25,598,000 = 11,646,000, more.
    assert result.clear_within_horizon == Clearing(11_274_000, date(2025, 7, 31))
    data = forecast_json(result)
    assert data["months"][1]["paid_claims"] == 3 and data["clear_within_horizon"]["donation"] == 11_274_000
    assert "A" not in {str(v) for m in data["months"] for v in m.values()}


def test_the_clearing_donation_is_the_least_that_clears():
    suit = PendingLawsuit("suit", 2, 36_500_000, date(2025, 7, 10), date(2025, 7, 1), Decimal("12"))
    base = dict(as_of=date(2025, 6, 1), months=3, opening_fund=30_000_000, waiting=[CLAIM_A, CLAIM_B],
                pending=[suit])
    donation = forecast(ForecastInput(**base)).clear_within_horizon.donation
    with_it = forecast(ForecastInput(**base, scenario=[Inflow(date(2025, 6, 1), donation)]))
    one_less = forecast(ForecastInput(**base, scenario=[Inflow(date(2025, 6, 1), donation - 1)]))
    assert with_it.claims_waiting_at_end == 0 and with_it.clear_within_horizon.donation == 0
    assert one_less.claims_waiting_at_end == 1


def test_interest_cost_is_rounded_once_per_month():
    # 10,000,000 won at 12 % from 2025-07-01: July has 31 days, block of 365 days:
    # 10,000,000 × 0.12 × 31 / 365 = 101,917.808... won per claim. Two claims: exactly
    # 203,835.616... → 203,835 truncated once (not 2 × 101,917 = 203,834).
    claims = [WaitingClaim(k, order(10_000_000, date(2025, 7, 1), "12")) for k in ("x", "y")]
    result = forecast(ForecastInput(as_of=date(2025, 7, 1), months=1, opening_fund=0, waiting=claims))
    month = result.months[0]
    assert month.exact_interest_cost == Fraction(2 * 10_000_000 * 12 * 31, 100 * 365)
    assert month.interest_cost == 203_835
    # Owed is rounded per claim, as each would be paid: 2 × (10,000,000 + 101,917).
    assert month.owed_waiting == 2 * 10_101_917
    half_up = forecast(ForecastInput(as_of=date(2025, 7, 1), months=1, opening_fund=0, waiting=claims,
                                     rounding="half-up"))
    assert half_up.months[0].interest_cost == 203_836 and half_up.months[0].owed_waiting == 2 * 10_101_918


def test_a_list_that_clears_without_help_and_an_empty_one():
    paid = forecast(ForecastInput(as_of=date(2025, 6, 1), months=2, opening_fund=50_000_000, waiting=[CLAIM_A]))
    assert paid.months[0].paid_keys == ("A",) and paid.months[0].fund_balance == 50_000_000 - 44_400_000
    assert paid.clear_within_horizon == Clearing(0, date(2025, 6, 30))
    assert paid.clear_now == Clearing(0, date(2025, 6, 30))
    assert paid.months[1].interest_cost == 0 and paid.months[1].shortfall == 0
    empty = forecast(ForecastInput(as_of=date(2025, 6, 15), months=2, opening_fund=0))
    assert empty.clear_now == Clearing(0, None) and empty.clear_within_horizon == Clearing(0, None)
    assert [m.month for m in empty.months] == ["2025-06", "2025-07"]


def test_claims_beyond_the_horizon_and_overdue_pledges():
    late = PendingLawsuit("late", 3, 10_000_000, date(2026, 1, 5), date(2025, 1, 1), Decimal("12"))
    result = forecast(ForecastInput(
        as_of=date(2025, 6, 1), months=2, opening_fund=0, pending=[late],
        pledges=[Inflow(date(2025, 5, 1), 1_000_000, "overdue", "pledge")],
    ))
    assert result.claims_beyond_horizon == 3 and result.clear_within_horizon == Clearing(0, None)
    # The overdue pledge is counted on the as-of date, and said so.
    assert result.months[0].inflows == 1_000_000 and "2025-05-01" in result.notes[0]


@pytest.mark.parametrize("change, field", [
    ({"months": 0}, "months"),
    ({"opening_fund": -1}, "opening_fund"),
    ({"rounding": "up"}, "rounding"),
    ({"pending": [PendingLawsuit("x", 0, 1, date(2025, 1, 1), date(2025, 1, 1))]}, "count"),
    ({"pending": [PendingLawsuit("x", 1, 1, date(2025, 1, 1), date(2025, 1, 1), Decimal("101"))]}, "rate"),
    ({"scenario": [Inflow(date(2025, 1, 1), 0)]}, "scenario amount"),
])
def test_bad_input_names_the_field(change, field):
    base = dict(as_of=date(2025, 6, 1), months=3, opening_fund=0)
    with pytest.raises(ForecastError) as caught:
        forecast(ForecastInput(**{**base, **change}))
    assert caught.value.field == field


def test_scenario_files():
    inflows = scenario_from_json({"name": "defendants pay", "donations": [
        {"date": "2026-03-01", "amount": 5_000_000_000, "label": "Japanese defendants contribute"},
    ]})
    assert inflows == [Inflow(date(2026, 3, 1), 5_000_000_000, "Japanese defendants contribute", "scenario")]
    assert scenario_from_json([{"date": "2026-03-01", "amount": 1}])[0].amount == 1
    for bad, message in [
        ([{"date": "2026-3-1", "amount": 1}], "entry 1: 'date'"),
        ([{"date": "2026-03-01", "amount": 1.5}], "entry 1: 'amount'"),
        ([{"date": "2026-03-01", "amount": 1}, {"date": "2026-03-01", "amount": "7"}], "entry 2: 'amount'"),
        ([{"date": "2026-03-01", "amount": 1, "when": "x"}], "unknown key(s) when"),
        ("text", "expected a list"),
    ]:
        with pytest.raises(ForecastError, match=message.replace("(", r"\(").replace(")", r"\)")):
            scenario_from_json(bad)


@settings(max_examples=40, deadline=None)
@given(
    principals=st.lists(st.integers(1_000_000, 200_000_000), min_size=1, max_size=5),
    opening=st.integers(0, 400_000_000),
    gifts=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 150_000_000)), max_size=4),
    months=st.integers(1, 8),
)
def test_money_is_conserved_and_the_clearing_donation_is_exact(principals, opening, gifts, months):
    as_of = date(2025, 3, 10)
    waiting = [WaitingClaim(str(i), order(p, date(2018, 11, 30), "20")) for i, p in enumerate(principals)]
    scenario = [Inflow(date.fromordinal(as_of.toordinal() + day), amount) for day, amount in gifts]
    base = dict(as_of=as_of, months=months, opening_fund=opening, waiting=waiting, scenario=scenario)
    result = forecast(ForecastInput(**base))
    # Fund balance = opening + money in − money paid, month after month.
    balance = opening
    for month in result.months:
        balance += month.inflows - month.paid_amount
        assert month.fund_balance == balance >= 0
        assert month.shortfall == max(0, month.owed_waiting - month.fund_balance)
    assert sum(m.paid_claims for m in result.months) + result.claims_waiting_at_end == len(waiting)
    donation = result.clear_within_horizon.donation
    extra = [Inflow(as_of, donation)] if donation else []
    cleared = forecast(ForecastInput(**{**base, "scenario": [*scenario, *extra]}))
    assert cleared.claims_waiting_at_end == 0
    if donation:
        short = forecast(ForecastInput(**{**base, "scenario": [*scenario, Inflow(as_of, donation - 1)]}))
        assert short.claims_waiting_at_end > 0


def test_each_claim_keeps_its_own_interest_method():
    # 36,500,000 won at 20 % from 2024-01-01, owed on 2025-06-30:
    # period method: one whole year (2024 has 366 days, still exactly 20 %) = 7,300,000,
    #   then 181 days of 2025 at 20,000 = 3,620,000 → 10,920,000;
    # total-days method: (366 + 181) days × 36,500,000 × 0.20 / 365 = 547 × 20,000 = 10,940,000.
    start = date(2024, 1, 1)
    period = WaitingClaim("p", order(36_500_000, start, "20"))
    days = WaitingClaim("d", order(36_500_000, start, "20"), method="days")
    result = forecast(ForecastInput(as_of=date(2025, 6, 1), months=1, opening_fund=0, waiting=[period, days]))
    assert result.months[0].owed_waiting == (36_500_000 + 10_920_000) + (36_500_000 + 10_940_000)


def test_a_partly_paid_claim_waits_for_its_remaining_share():
    # Claim A with 1/3 of it still waiting (the other heirs were paid). On 2025-06-30 the
    # whole claim is owed 44,400,000; a third is 14,800,000 exactly, and a third of the
    # June interest (600,000) is 200,000.
    part = WaitingClaim("A", CLAIM_A.order, share=Fraction(1, 3))
    result = forecast(ForecastInput(as_of=date(2025, 6, 1), months=1, opening_fund=0, waiting=[part]))
    june = result.months[0]
    assert june.owed_waiting == 14_800_000 and june.interest_cost == 200_000
    assert june.interest_per_day == 20_000 // 3  # 6,666.67 truncated
    assert result.clear_now == Clearing(14_800_000, date(2025, 6, 30))


def test_a_memo_that_starts_again_gives_the_same_forecast(monkeypatch):
    """The engine's results are kept at most _Dues.MOST at a time; a memo emptied at every
    second result forecasts exactly what the unbounded one did (the same inputs give the same
    output, computed again)."""
    suit = PendingLawsuit("2nd suit", 2, 36_500_000, date(2025, 7, 10), date(2025, 7, 1), Decimal("12"))
    inp = ForecastInput(as_of=date(2025, 6, 1), months=3, opening_fund=30_000_000, waiting=[CLAIM_A, CLAIM_B],
                        pending=[suit], scenario=[Inflow(date(2025, 7, 20), 100_000_000, "defendants contribute")])
    expected = forecast_json(forecast(inp))
    monkeypatch.setattr(_Dues, "MOST", 2)
    assert forecast_json(forecast(inp)) == expected
