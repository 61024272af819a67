"""Limitation of judgment claims and indemnity claims (baesang.calc.limitation).

Every reference date is computed by hand in the comment from the article it names (Civil Code,
민법): Art. 157 (first day not counted unless the period starts at 00:00), Art. 159 (expiry at
the end of the last day), Art. 160(2)-(3) (the day before the corresponding day, or the end of
the month), Art. 161 (Saturdays and holidays), Art. 165(1) (ten years after a final
judgment), Arts. 168-178 (interruption).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.calc import limitation
from baesang.calc.limitation import (
    LimitationError,
    LimitationEvent,
    days_left,
    explain_limitation,
    limitation_date,
    period_end,
)

# The Supreme Court en banc judgment against Nippon Steel, 2018-10-30, final on pronouncement.
FINAL = date(2018, 10, 30)
LAST = date(2028, 10, 30)


def event(kind: str, on: date, ended_on: date | None = None, *, failed: bool = False) -> LimitationEvent:
    return LimitationEvent(kind, on, ended_on, failed)


# --- Period arithmetic -------------------------------------------------------------------------


def test_ten_years_after_a_final_judgment():
    # Art. 165(1): ten years. Art. 157: 2018-10-30 not counted, the first counted day is
    # 2018-10-31; Art. 160(2): the period ends the day before its corresponding day
    # 2028-10-31, i.e. 2028-10-30, at the end of that day (Art. 159).
    assert limitation_date(FINAL) == LAST
    result = explain_limitation(FINAL)
    assert (result.last_day, result.running_from, result.claim) == (LAST, FINAL, "judgment")
    assert "Art. 157" in result.explanation[0] and "제165조" in result.explanation_ko[0]


def test_period_starting_at_midnight_counts_its_first_day():
    # Art. 157 proviso: a period starting at 00:00 of 2018-10-30 counts that day; it ends the
    # day before 2028-10-30, i.e. 2028-10-29.
    assert limitation_date(FINAL, starts_at_midnight=True) == date(2028, 10, 29)
    assert period_end(date(2018, 10, 31), years=10, starts_at_midnight=True) == LAST


@pytest.mark.parametrize(("start", "last", "why"), [
    # Art. 160(3): first counted day 2020-02-29, no 29 February in 2030: end of February.
    (date(2020, 2, 28), date(2030, 2, 28), "no corresponding day"),
    # First counted day 2020-03-01; the day before 2030-03-01 is 2030-02-28.
    (date(2020, 2, 29), date(2030, 2, 28), "day before 1 March"),
    # First counted day 2020-01-01, the start of a year: the period ends with 2029 (Art. 160(2)).
    (date(2019, 12, 31), date(2029, 12, 31), "from the start of a year"),
    # First counted day 2024-02-29 (leap to leap): corresponding day 2034-02-29 does not exist.
    (date(2024, 2, 28), date(2034, 2, 28), "leap to common year"),
])
def test_calendar_cases_of_art_160(start, last, why):
    assert period_end(start, years=10) == last, why


def test_six_month_window_ends_on_the_last_day_of_a_short_month():
    # Art. 174 window from a demand on 2023-08-31: first counted day 2023-09-01, the day
    # before 2024-03-01 is 2024-02-29. From 2023-08-30: the day before 2024-02-31, which does
    # not exist -> end of February (Art. 160(3)), again 2024-02-29.
    assert period_end(date(2023, 8, 31), months=6) == date(2024, 2, 29)
    assert period_end(date(2023, 8, 30), months=6) == date(2024, 2, 29)
    assert period_end(date(2023, 8, 28), months=6) == date(2024, 2, 28)


def test_saturday_and_holidays_move_the_expiry_but_not_the_last_day():
    # Final 2018-10-28: last day 2028-10-28, a Saturday; Art. 161: expires on the next day
    # that is not a Saturday or holiday: Sunday 2028-10-29 is a holiday, so Monday 2028-10-30.
    result = explain_limitation(date(2018, 10, 28))
    assert (result.last_day, result.expires_on) == (date(2028, 10, 28), date(2028, 10, 30))
    # A public holiday given by staff: 2029-12-25 (Tuesday) -> 2029-12-26.
    christmas = explain_limitation(date(2019, 12, 25), holidays=[date(2029, 12, 25)])
    assert (christmas.last_day, christmas.expires_on) == (date(2029, 12, 25), date(2029, 12, 26))
    assert explain_limitation(FINAL).expires_on == LAST  # a Monday


def test_days_left():
    # 2018-10-30 .. 2028-10-30 is 3,650 days plus the leap days 2020-02-29, 2024-02-29, 2028-02-29.
    assert days_left(FINAL, FINAL) == 3653
    assert days_left(FINAL, LAST) == 0  # the last day: an interruption today is in time
    assert days_left(FINAL, LAST + timedelta(days=1)) == -1  # prescribed
    assert explain_limitation(FINAL).days_left(date(2028, 10, 1)) == 29


# --- What interrupts and what does not ----------------------------------------------------------


@pytest.mark.parametrize("kind", [limitation.FOUNDATION_OFFER, limitation.FOUNDATION_PAYMENT,
                                  limitation.FOUNDATION_DEPOSIT])
def test_the_foundations_acts_do_not_interrupt(kind):
    # Arts. 168, 169, 469: the foundation is a third party; its offer, payment or deposit is
    # neither the creditor's claim nor the debtor's acknowledgment.
    result = explain_limitation(FINAL, [event(kind, date(2023, 3, 6))])
    assert result.last_day == LAST
    assert result.steps[1].effect == limitation.NO_EFFECT_THIRD_PARTY
    assert "169" in result.steps[1].article and "제3자" in result.steps[1].text_ko


def test_acknowledgment_by_the_debtor_starts_a_new_period():
    # Art. 168(3), Art. 178(1): acknowledged on 2025-01-15 (first day not counted), ten years:
    # last day 2035-01-15.
    result = explain_limitation(FINAL, [event(limitation.ACKNOWLEDGMENT, date(2025, 1, 15))])
    assert (result.last_day, result.running_from) == (date(2035, 1, 15), date(2025, 1, 15))
    assert result.steps[1].effect == limitation.INTERRUPTED


def test_new_suit_runs_anew_from_its_judgment_becoming_final():
    # Art. 168(1), Art. 178(2), Art. 165(1): suit filed 2027-05-02, judgment final 2028-03-15:
    # ten years from then, last day 2038-03-15.
    result = explain_limitation(FINAL, [event(limitation.SUIT, date(2027, 5, 2), date(2028, 3, 15))])
    assert result.last_day == date(2038, 3, 15)
    assert "178(2)" in result.steps[1].text_en


def test_pending_suit_or_seizure_stops_the_period():
    # Art. 178: the period runs anew only when the interruption ends; until then no date.
    pending = explain_limitation(FINAL, [event(limitation.SUIT, date(2027, 5, 2))])
    assert pending.last_day is None and pending.expires_on is None and pending.days_left(date(2030, 1, 1)) is None
    assert limitation_date(FINAL, [event(limitation.SEIZURE, date(2026, 1, 10))]) is None
    # A seizure (Art. 168(2)) that ended on 2029-06-30: ten years from then, 2039-06-30.
    assert limitation_date(FINAL, [event(limitation.SEIZURE, date(2026, 1, 10), date(2029, 6, 30))]) == date(
        2039, 6, 30)


def test_cancelled_seizure_does_not_interrupt():
    # Art. 175.
    result = explain_limitation(FINAL, [event(limitation.SEIZURE, date(2026, 1, 10), date(2026, 3, 1), failed=True)])
    assert result.last_day == LAST and result.steps[1].effect == limitation.NO_EFFECT_FAILED


def test_demand_followed_by_a_suit_within_six_months():
    # Art. 174: demand 2028-09-01 (before the last day 2028-10-30); six months: first counted
    # day 2028-09-02, window's last day 2029-03-01. A suit filed 2029-02-20 is in time and
    # interrupts; final 2030-01-10 -> last day 2040-01-10.
    demand = event(limitation.DEMAND, date(2028, 9, 1))
    suit = event(limitation.SUIT, date(2029, 2, 20), date(2030, 1, 10))
    result = explain_limitation(FINAL, [suit, demand])  # any order
    assert result.last_day == date(2040, 1, 10)
    assert [step.effect for step in result.steps] == [limitation.STARTED, limitation.DEMAND_WAITING,
                                                      limitation.INTERRUPTED]
    assert "2029-03-01" in result.steps[1].text_en and "2028-09-01" in result.steps[2].text_en
    # Without the demand the suit comes after the claim prescribed: no effect.
    alone = explain_limitation(FINAL, [suit])
    assert alone.last_day == LAST and alone.steps[1].effect == limitation.NO_EFFECT_AFTER_EXPIRY
    # One day after the window (2029-03-02) is too late.
    late = event(limitation.SUIT, date(2029, 3, 2), date(2030, 1, 10))
    assert limitation_date(FINAL, [demand, late]) == LAST


def test_dismissed_suit_then_a_new_suit_within_six_months():
    # Art. 170: a suit filed 2028-06-01, withdrawn 2028-12-01, does not interrupt; a new suit
    # by 2029-06-01 (six months from 2028-12-01, first counted day 2028-12-02) interrupts as of
    # 2028-06-01. The new suit (2029-05-01) is final 2030-02-01: last day 2040-02-01.
    failed = event(limitation.SUIT, date(2028, 6, 1), date(2028, 12, 1), failed=True)
    again = event(limitation.SUIT, date(2029, 5, 1), date(2030, 2, 1))
    assert limitation_date(FINAL, [failed, again]) == date(2040, 2, 1)
    assert limitation_date(FINAL, [failed]) == LAST


def test_acknowledgment_after_expiry_is_flagged_as_a_possible_waiver():
    # Art. 184(1): after 2028-10-30 an acknowledgment cannot interrupt; it may be a waiver.
    result = explain_limitation(FINAL, [event(limitation.ACKNOWLEDGMENT, date(2029, 1, 5))])
    assert result.last_day == LAST and result.steps[1].effect == limitation.POSSIBLE_WAIVER


def test_acknowledgment_during_a_suit_does_not_shorten_the_later_period():
    # Art. 178: the suit's interruption ends with its final judgment 2027-06-30 (-> 2037-06-30);
    # an acknowledgment on 2026-05-05 (-> 2036-05-05) does not bring it forward.
    events = [event(limitation.SUIT, date(2026, 1, 5), date(2027, 6, 30)),
              event(limitation.ACKNOWLEDGMENT, date(2026, 5, 5))]
    assert limitation_date(FINAL, events) == date(2037, 6, 30)


def test_indemnity_claim_runs_ten_years_from_the_payment_with_the_same_interruptions():
    # Arts. 162(1), 166(1): the foundation paid on 2023-03-15; first counted day 2023-03-16;
    # last day 2033-03-15. The debtor acknowledging on 2030-07-01 -> 2040-07-01 (Art. 178(1)).
    paid = date(2023, 3, 15)
    assert limitation_date(paid, claim="indemnity") == date(2033, 3, 15)
    result = explain_limitation(paid, [event(limitation.ACKNOWLEDGMENT, date(2030, 7, 1))], claim="indemnity")
    assert result.last_day == date(2040, 7, 1) and "구상권" in result.explanation_ko[0]


def test_json_of_a_limitation():
    data = explain_limitation(FINAL, [event(limitation.FOUNDATION_OFFER, date(2023, 3, 6))]).as_json()
    assert data["last_day"] == "2028-10-30" and data["steps"][1]["effect"] == "no_effect_third_party"


@pytest.mark.parametrize(("call", "code"), [
    (lambda: explain_limitation(FINAL, [event("letter", date(2020, 1, 1))]), limitation.UNKNOWN_KIND),
    (lambda: explain_limitation(FINAL, [event(limitation.SUIT, date(2017, 1, 1))]), limitation.EVENT_BEFORE_START),
    (lambda: explain_limitation(FINAL, [event(limitation.SUIT, date(2020, 1, 2), date(2020, 1, 1))]),
     limitation.ENDS_BEFORE_START),
    (lambda: explain_limitation(FINAL, [event(limitation.ACKNOWLEDGMENT, date(2020, 1, 2), date(2020, 1, 3))]),
     limitation.ENDED_ON_NOT_APPLICABLE),
    (lambda: explain_limitation("2018-10-30"), limitation.BAD_DATE),
    (lambda: explain_limitation(FINAL, claim="wages"), limitation.UNKNOWN_CLAIM),
    (lambda: explain_limitation(FINAL).days_left("2020-01-01"), limitation.BAD_DATE),
])
def test_errors(call, code):
    with pytest.raises(LimitationError) as error:
        call()
    assert error.value.code == code


# --- Properties ---------------------------------------------------------------------------------


dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31))


@given(dates, st.integers(1, 30))
@settings(max_examples=300)
def test_period_end_matches_a_direct_reading_of_art_160(start, years):
    # Written with replace(): the corresponding day of the first counted day, the day before;
    # or, where it does not exist (29 February), the last day of February.
    first = start + timedelta(days=1)
    try:
        expected = first.replace(year=first.year + years) - timedelta(days=1)
    except ValueError:
        expected = date(first.year + years, 2, 28)
    assert period_end(start, years=years) == expected


@given(dates, dates)
@settings(max_examples=200)
def test_a_later_start_never_gives_an_earlier_last_day(a, b):
    early, late = min(a, b), max(a, b)
    assert limitation_date(early) <= limitation_date(late)


@given(dates, st.integers(0, 3650), st.integers(0, 3650))
@settings(max_examples=200)
def test_an_acknowledgment_in_time_never_brings_the_date_forward(final, after, later):
    # Art. 178(1): an acknowledgment within the period starts a new ten-year period from its
    # day, never earlier than the period it interrupts; after the last day it changes nothing.
    on = final + timedelta(days=after)
    base = limitation_date(final)
    with_acknowledgment = limitation_date(final, [event(limitation.ACKNOWLEDGMENT, on)])
    if on <= base:
        assert with_acknowledgment == period_end(on, years=10) >= base
    else:
        assert with_acknowledgment == base
    suit = event(limitation.SUIT, on, on + timedelta(days=later))
    assert (limitation_date(final, [suit]) or base) >= base
