"""Payments, court deposits and judgment-fixed per-heir orders in the interest engine.

Reference values are computed by hand in the comments from the rules they name:
Civil Code Art. 479 (a part payment goes to costs, then interest, then principal), the
judgment's "until paid" (다 갚는 날까지: the day of payment accrues), Arts. 461, 487 and
489(1) for deposits, and the period method of Arts. 159-160 (docs/interest.md).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from baesang.calc import interest
from baesang.calc.interest import (
    BASIS_APPORTIONED,
    BASIS_OWN_ORDER,
    Deposit,
    InterestError,
    JudgmentOrder,
    Payment,
    Segment,
    SheetLine,
    amount_due,
    amount_owed,
    compare_bases,
    deposit_amount,
    interest_per_day,
    judgment_principal,
)

D = Decimal
ONE_DAY = timedelta(days=1)
NIPPON_STEEL = JudgmentOrder(100_000_000, (Segment(date(2013, 6, 19), None, D("20")),))
AS_OF = date(2018, 11, 1)
# DOMAIN.md §3: without payments, 107,452,054.79 won of interest on 2018-11-01.
DUE_2018_11_01 = 207_452_054


# --- Art. 479: costs, interest, principal ---------------------------------------------------


def test_part_payment_goes_to_interest_then_principal_period_method():
    # Art. 479(1). Through 2015-06-18 (the payment day accrues) two whole years from 2013-06-19:
    # 2 x 20,000,000 = 40,000,000 interest. The 50,000,000 paid: 40,000,000 to interest,
    # 10,000,000 to principal, leaving 90,000,000, on which interest runs from 2015-06-19.
    # Years are still counted from 2013-06-19: 2015-06-19..2018-06-18 three whole years
    # (3 x 18,000,000 = 54,000,000) and 136 days over 365 (18,000,000 x 136/365 =
    # 6,706,849.31...). Interest 60,706,849 won truncated, total 150,706,849.
    payment = Payment(date(2015, 6, 18), 50_000_000)
    result = amount_due(NIPPON_STEEL, AS_OF, payments=[payment])
    assert result.exact_interest == 54_000_000 + Fraction(18_000_000 * 136, 365)
    assert (result.principal, result.interest, result.total) == (90_000_000, 60_706_849, 150_706_849)
    assert result.exact_principal == 90_000_000
    assert result.lines == (
        SheetLine(1, date(2013, 6, 19), date(2015, 6, 18), 730, None, 2, D("20"), Fraction(40_000_000), 100_000_000),
        SheetLine(1, date(2015, 6, 19), date(2018, 6, 18), 1096, None, 3, D("20"), Fraction(54_000_000), 90_000_000),
        SheetLine(1, date(2018, 6, 19), date(2018, 11, 1), 136, 365, 0, D("20"),
                  Fraction(18_000_000 * 136, 365), 90_000_000),
    )
    [event] = result.events
    assert (event.kind, event.on, event.amount, event.effect) == ("payment", date(2015, 6, 18), 50_000_000, "applied")
    assert (event.interest_before, event.principal_before) == (40_000_000, 100_000_000)
    assert (event.to_costs, event.to_interest, event.to_principal) == (0, 40_000_000, 10_000_000)
    assert (event.interest_after, event.principal_after, event.balance_after) == (0, 90_000_000, 90_000_000)


def test_part_payment_total_days_method():
    # Total days: 2013-06-19..2015-06-18 is 730 days -> 20,000,000 x 730/365 = 40,000,000;
    # 10,000,000 to principal; then 2015-06-19..2018-11-01 is 1,962 - 730 = 1,232 days on
    # 90,000,000: 18,000,000 x 1,232/365 = 60,756,164.38... -> total 150,756,164.
    result = amount_due(NIPPON_STEEL, AS_OF, "days", payments=[Payment(date(2015, 6, 18), 50_000_000)])
    assert result.exact_interest == Fraction(18_000_000 * 1232, 365)
    assert result.total == 150_756_164


def test_payment_is_applied_against_the_exact_interest_and_the_remainder_carried():
    # Paid 1,000,000 on the first day, 2013-06-19. That day accrues 20,000,000/365 =
    # 54,794.52... (the year 2013-06-19..2014-06-18 has 365 days). The exact interest is paid
    # and the rest, 1,000,000 - 20,000,000/365 = 69,000,000/73, goes to principal: the
    # principal left is 100,000,000 - 69,000,000/73 = 7,231,000,000/73 (99,054,794.52...),
    # not a rounded figure. On 2013-06-20 one more day accrues on it: x 20 % / 365.
    result = amount_due(NIPPON_STEEL, date(2013, 6, 20), payments=[Payment(date(2013, 6, 19), 1_000_000)])
    [event] = result.events
    assert event.interest_before == Fraction(20_000_000, 365)
    assert event.to_interest == Fraction(20_000_000, 365)
    assert event.to_principal == Fraction(69_000_000, 73)
    left = Fraction(7_231_000_000, 73)
    assert event.principal_after == result.exact_principal == left
    assert result.exact_interest == left / 5 / 365
    # Rounded once at the end: 99,054,794.52 + 54,276.58 = 99,109,071.10 -> 99,109,071.
    assert result.total == 99_109_071
    assert result.principal == 99_054_794 and result.interest == 99_109_071 - 99_054_794


def test_payment_in_the_first_segment_of_the_nagoya_order():
    # Nagoya order: 5 % 2015-05-13..2015-06-24, then 20 % until paid. 10,000,000 paid on
    # 2015-06-24: 43 days at 5 % over 366 (the year from 2015-05-13 holds 29 February 2016):
    # 5,000,000 x 43/366 = 215,000,000/366 = 587,431.69 of interest, paid first; the rest,
    # 10,000,000 - 215,000,000/366 = 3,445,000,000/366, reduces the principal to
    # 33,155,000,000/366 = 90,587,431.69. The 20 % segment then runs on that from 2015-06-25:
    # to 2018-11-29, 3 whole years and 158 days over 365 (docs/interest.md).
    nagoya = JudgmentOrder(100_000_000, (Segment(date(2015, 5, 13), date(2015, 6, 24), D("5")),
                                         Segment(date(2015, 6, 25), None, D("20"))))
    result = amount_due(nagoya, date(2018, 11, 29), payments=[Payment(date(2015, 6, 24), 10_000_000)])
    left = Fraction(33_155_000_000, 366)
    assert result.events[0].to_interest == Fraction(215_000_000, 366)
    assert result.exact_principal == left
    assert result.exact_interest == left / 5 * (3 + Fraction(158, 365))
    # 90,587,431.69 + 54,352,459.01 + 7,842,637.92 (18,117,486.34 x 158/365) = 152,782,528.63.
    assert result.total == 152_782_528
    assert [(line.segment, line.years, line.divisor) for line in result.lines] == [(1, 0, 366), (2, 3, None),
                                                                                  (2, 0, 365)]


def test_costs_come_first_under_art_479():
    # Costs 1,000,000 and a payment of 1,500,000 on 2013-06-19: costs 1,000,000, interest
    # 20,000,000/365, principal the rest 500,000 - 20,000,000/365 = 32,500,000/73.
    result = amount_due(NIPPON_STEEL, date(2013, 6, 19), costs=1_000_000,
                        payments=[Payment(date(2013, 6, 19), 1_500_000)])
    [event] = result.events
    assert (event.costs_before, event.to_costs) == (1_000_000, 1_000_000)
    assert event.to_interest == Fraction(20_000_000, 365)
    assert event.to_principal == Fraction(32_500_000, 73)
    # Principal left 100,000,000 - 32,500,000/73 = 99,554,794.52..., truncated.
    assert result.costs == 0 and result.total == 99_554_794


def test_costs_are_part_of_the_total_without_payments():
    result = amount_due(NIPPON_STEEL, AS_OF, costs=2_000_000)
    assert (result.costs, result.total) == (2_000_000, DUE_2018_11_01 + 2_000_000)
    assert result.principal + result.interest + result.costs == result.total


def test_principal_first_when_the_judgment_or_an_agreement_says_so():
    # 50,000,000 on 2015-06-18 all to principal: 50,000,000 left, the 40,000,000 accrued stays
    # owed. Then 10,000,000 x (3 + 136/365) = 30,000,000 + 3,726,027.39... on the rest:
    # interest 73,726,027 truncated, total 123,726,027.
    result = amount_due(NIPPON_STEEL, AS_OF, payments=[Payment(date(2015, 6, 18), 50_000_000)],
                        application="principal_first")
    assert result.exact_interest == 70_000_000 + Fraction(10_000_000 * 136, 365)
    assert (result.principal, result.interest, result.total) == (50_000_000, 73_726_027, 123_726_027)
    assert result.application == "principal_first"
    assert result.events[0].to_principal == 50_000_000 and result.events[0].to_interest == 0
    assert result.as_json()["application"] == "principal_first"


def test_application_as_an_order_of_the_parts():
    same = amount_due(NIPPON_STEEL, AS_OF, payments=[Payment(date(2015, 6, 18), 50_000_000)],
                      application=("principal", "costs", "interest"))
    assert same.total == 123_726_027 and same.application == "principal,costs,interest"


def test_payment_day_accrues_interest():
    # "다 갚는 날까지": interest runs until the day of payment, that day included. Paying the
    # 207,452,054 due on 2018-11-01 on that day settles it; paying it a day later does not
    # (that day's 20,000,000/365 = 54,794.52 and the 0.79 are owed: 4,000,058/73 = 54,795.31).
    on_the_day = amount_due(NIPPON_STEEL, date(2019, 1, 1), payments=[Payment(AS_OF, DUE_2018_11_01)])
    assert on_the_day.total == 0
    next_day = AS_OF + ONE_DAY
    day_after = amount_due(NIPPON_STEEL, next_day, payments=[Payment(next_day, DUE_2018_11_01)])
    assert day_after.exact_principal == Fraction(4_000_058, 73) and day_after.total == 54_795
    assert day_after.events[0].effect == "applied"


def test_full_payment_discharges_and_the_sub_won_part_is_the_rounding():
    # Exact 207,452,054.79...: truncated, 207,452,054 paid discharges; the 0.79 (58/73 won) is
    # the rounding policy's, shown on the sheet. Half-up, 207,452,055 is due and discharges.
    truncated = amount_due(NIPPON_STEEL, date(2020, 1, 1), payments=[Payment(AS_OF, DUE_2018_11_01)])
    event = truncated.events[0]
    assert (event.effect, event.balance_after, event.rounding_difference) == ("discharged", 0, Fraction(-58, 73))
    assert (truncated.principal, truncated.interest, truncated.total, truncated.exact_interest) == (0, 0, 0, 0)
    half_up = amount_due(NIPPON_STEEL, date(2020, 1, 1), "period", "half-up",
                         payments=[Payment(AS_OF, DUE_2018_11_01 + 1)])
    assert half_up.total == 0 and half_up.events[0].rounding_difference == Fraction(15, 73)


def test_over_payment_is_refused_with_a_code():
    with pytest.raises(InterestError) as error:
        amount_due(NIPPON_STEEL, date(2020, 1, 1), payments=[Payment(AS_OF, DUE_2018_11_01 + 1)])
    assert error.value.code == interest.OVERPAYMENT
    assert "207,452,055" in error.value.message and "207,452,054" in error.value.message
    with pytest.raises(InterestError) as error:
        amount_due(NIPPON_STEEL, date(2020, 1, 1),
                   payments=[Payment(AS_OF, DUE_2018_11_01), Payment(date(2019, 1, 1), 1)])
    assert error.value.code == interest.OVERPAYMENT


@pytest.mark.parametrize(("payment", "code"), [
    (Payment(AS_OF, 0), interest.PAYMENT_NOT_POSITIVE),
    (Payment(AS_OF, -5), interest.PAYMENT_NOT_POSITIVE),
    (Payment(AS_OF, 10.0), interest.PAYMENT_NOT_POSITIVE),
    (Payment("2018-11-01", 10), interest.BAD_DATE),
    ((AS_OF, 10), interest.BAD_PAYMENT),
])
def test_bad_payments(payment, code):
    with pytest.raises(InterestError) as error:
        amount_due(NIPPON_STEEL, AS_OF, payments=[payment])
    assert error.value.code == code


def test_bad_costs_application_and_basis():
    for kwargs, code in (({"costs": -1}, interest.BAD_COSTS), ({"costs": 1.5}, interest.BAD_COSTS),
                         ({"application": "interest_first"}, interest.UNKNOWN_APPLICATION),
                         ({"application": ("costs", "costs", "principal")}, interest.UNKNOWN_APPLICATION),
                         ({"basis": "shares"}, interest.UNKNOWN_BASIS)):
        with pytest.raises(InterestError) as error:
            amount_due(NIPPON_STEEL, AS_OF, payments=[Payment(AS_OF, 1)], **kwargs)
        assert error.value.code == code


def test_payments_after_the_as_of_date_are_not_counted_yet():
    later = Payment(date(2019, 1, 1), 1_000_000)
    assert amount_due(NIPPON_STEEL, AS_OF, payments=[later]).total == DUE_2018_11_01


def test_interest_per_day_after_a_payment():
    # On the payment day 2015-06-18 the old principal still accrues: 20,000,000/365 (the year
    # 2014-06-19..2015-06-18 has no 29 February). From 2015-06-19 the 90,000,000 left accrues
    # 18,000,000 a year over 366 (2015-06-19..2016-06-18 holds 29 February 2016).
    payments = [Payment(date(2015, 6, 18), 50_000_000)]
    assert interest_per_day(NIPPON_STEEL, date(2015, 6, 18), payments=payments) == Fraction(20_000_000, 365)
    assert interest_per_day(NIPPON_STEEL, date(2015, 6, 19), payments=payments) == Fraction(18_000_000, 366)
    assert interest_per_day(NIPPON_STEEL, date(2015, 6, 19)) == Fraction(20_000_000, 366)
    settled = [Deposit(FILED, DUE_2018_11_01, "accepted")]
    assert interest_per_day(NIPPON_STEEL, date(2019, 1, 1), deposits=settled) == 0


def test_sheet_json_shows_each_payment():
    data = amount_due(NIPPON_STEEL, AS_OF, payments=[Payment(date(2015, 6, 18), 50_000_000, "bank 17")]).as_json()
    assert data["exact_principal"] == "90000000/1" and data["costs"] == 0
    assert data["lines"][1]["principal"] == "90000000/1"
    assert data["events"] == [{
        "kind": "payment", "on": "2015-06-18", "amount": 50_000_000, "effect": "applied",
        "costs_before": "0/1", "interest_before": "40000000/1", "principal_before": "100000000/1",
        "to_costs": "0/1", "to_interest": "40000000/1", "to_principal": "10000000/1",
        "rounding_difference": "0/1", "excess": "0/1", "costs_after": "0/1", "interest_after": "0/1",
        "principal_after": "90000000/1", "balance_after": 90_000_000, "reference": "bank 17",
    }]


def test_without_events_the_json_keeps_its_shape():
    assert set(amount_due(NIPPON_STEEL, AS_OF).as_json()) == {
        "principal", "interest", "total", "exact_interest", "method", "rounding", "lines"}


# --- Court deposits (공탁): Arts. 461, 487, 489 ----------------------------------------------


FILED = AS_OF  # the deposit is computed to and filed on 2018-11-01
LATER = date(2020, 1, 1)
# Without any event, 2020-01-01: 6 whole years (120,000,000) + 2019-06-19..2020-01-01 = 197
# days over 366 (the year 2019-06-19..2020-06-18 holds 29 February 2020): 10,765,027.32...
DUE_2020_01_01 = 100_000_000 + 120_000_000 + 10_765_027


def test_deposit_amount_is_the_amount_due_on_the_filing_day():
    assert deposit_amount(NIPPON_STEEL, FILED) == DUE_2018_11_01
    assert amount_due(NIPPON_STEEL, LATER).total == DUE_2020_01_01


def test_accepted_deposit_stops_interest_on_the_filing_day():
    # Art. 487: a valid deposit discharges the debt; the filing day accrues, nothing after.
    deposit = Deposit(FILED, DUE_2018_11_01, "accepted")
    result = amount_due(NIPPON_STEEL, LATER, deposits=[deposit])
    assert result.total == 0
    assert (result.events[0].kind, result.events[0].effect) == ("deposit", "discharged")


def test_refused_deposit_leaves_interest_running():
    # A deposit the office refused (불수리) was never made: as without it.
    deposit = Deposit(FILED, DUE_2018_11_01, "refused", date(2018, 11, 20))
    result = amount_due(NIPPON_STEEL, LATER, deposits=[deposit])
    assert result.total == DUE_2020_01_01
    assert result.events[0].effect == "refused" and result.events[0].balance_after == DUE_2018_11_01


def test_withdrawn_deposit_is_deemed_never_made_from_its_withdrawal():
    # Art. 489(1): withdrawn, the deposit is deemed not made. Before the withdrawal it stood.
    deposit = Deposit(FILED, DUE_2018_11_01, "withdrawn", date(2019, 5, 1))
    assert amount_owed(NIPPON_STEEL, date(2019, 4, 30), [deposit]).total == 0
    after = amount_owed(NIPPON_STEEL, LATER, [deposit])
    assert after.total == DUE_2020_01_01 and after.events[0].effect == "withdrawn"


def test_deposit_accepted_after_objection_counts_from_its_filing_day_once_decided():
    # Refused, then accepted on the objection decided 2019-03-01: until then the deposit had
    # no effect; from then it is valid as filed, the tender of 2018-11-01 having been good
    # (Art. 461), so nothing is owed after the filing day and the amount stays the one
    # computed to 2018-11-01.
    deposit = Deposit(FILED, DUE_2018_11_01, "accepted_after_objection", date(2019, 3, 1))
    before = amount_owed(NIPPON_STEEL, date(2019, 2, 28), [deposit])
    assert before.total == amount_due(NIPPON_STEEL, date(2019, 2, 28)).total
    assert before.events[0].effect == "refused"
    assert amount_owed(NIPPON_STEEL, date(2019, 3, 1), [deposit]).total == 0
    assert amount_owed(NIPPON_STEEL, LATER, [deposit]).events[0].decided_on == date(2019, 3, 1)
    assert deposit_amount(NIPPON_STEEL, FILED) == deposit.amount


def test_pending_and_not_yet_accepted_deposits_have_no_effect():
    pending = Deposit(FILED, DUE_2018_11_01)
    assert amount_owed(NIPPON_STEEL, LATER, [pending]).total == DUE_2020_01_01
    accepted_later = Deposit(FILED, DUE_2018_11_01, "accepted", date(2018, 12, 1))
    assert amount_owed(NIPPON_STEEL, date(2018, 11, 30), [accepted_later]).events[0].effect == "pending"
    assert amount_owed(NIPPON_STEEL, date(2018, 12, 1), [accepted_later]).total == 0


def test_short_deposit_discharges_nothing_unless_the_creditor_took_it_in_part():
    # A deposit must tender the whole debt; one won short it has no effect.
    short = Deposit(FILED, DUE_2018_11_01 - 1, "accepted")
    result = amount_owed(NIPPON_STEEL, LATER, [short])
    assert result.total == DUE_2020_01_01 and result.events[0].effect == "short"
    # Taken by the creditor as a part payment: applied like a payment on its filing day. The
    # interest 107,452,054 + 58/73 is paid first, the rest 99,999,999 - 58/73 goes to principal,
    # leaving 1 + 58/73 = 131/73 won of principal (interest runs on it: fractions of a won).
    taken = dataclasses.replace(short, creditor_accepted_part=True)
    result = amount_owed(NIPPON_STEEL, LATER, [taken])
    assert result.events[0].effect == "applied" and result.events[0].principal_after == Fraction(131, 73)
    # To 2020-01-01: 2018-11-02..2019-06-18 is 229 days of the year ending 2019-06-18 (365),
    # then 197 days over 366: 131/73 x 20 % x (229/365 + 197/366) = 0.418...; total 2.21 -> 2.
    assert result.exact_principal == Fraction(131, 73)
    assert result.exact_interest == Fraction(131, 73) / 5 * (Fraction(229, 365) + Fraction(197, 366))
    assert result.total == 2


def test_short_deposit_topped_up_later_discharges_from_the_top_up():
    # 98다17046: one won short, the deposit of 2018-11-01 discharges nothing; topped up
    # (추가공탁, 91다35670) on 2018-12-03, both together discharge the debt from that day.
    # Due on 2018-12-03: 5 whole years + 2018-06-19..2018-12-03 = 12+31+31+30+31+30+3 = 168
    # days over 365: 20,000,000 x 168/365 = 9,205,479.45; total 209,205,479. The top-up
    # needed is 209,205,479 - 207,452,053 = 1,753,426 won.
    short = Deposit(FILED, DUE_2018_11_01 - 1, "accepted")
    assert amount_due(NIPPON_STEEL, date(2018, 12, 3)).total == 209_205_479
    top_up = Deposit(date(2018, 12, 3), 1_753_426, "accepted")
    result = amount_owed(NIPPON_STEEL, LATER, [short, top_up])
    assert result.total == 0
    assert [line.effect for line in result.events] == ["short", "discharged"]
    not_enough = dataclasses.replace(top_up, amount=1_753_425)
    assert amount_owed(NIPPON_STEEL, LATER, [short, not_enough]).total == DUE_2020_01_01


def test_larger_deposit_discharges_and_shows_the_excess():
    result = amount_owed(NIPPON_STEEL, LATER, [Deposit(FILED, DUE_2018_11_01 + 1000, "accepted")])
    assert result.total == 0 and result.events[0].excess == 1000


@pytest.mark.parametrize(("deposit", "code"), [
    (Deposit(FILED, 10, "lost"), interest.UNKNOWN_DEPOSIT_OUTCOME),
    (Deposit(FILED, 10, "withdrawn"), interest.DEPOSIT_DECISION_DATE),
    (Deposit(FILED, 10, "accepted_after_objection"), interest.DEPOSIT_DECISION_DATE),
    (Deposit(FILED, 10, "refused", FILED - ONE_DAY), interest.DEPOSIT_DECISION_DATE),
    (Deposit(FILED, 0, "accepted"), interest.PAYMENT_NOT_POSITIVE),
])
def test_bad_deposits(deposit, code):
    with pytest.raises(InterestError) as error:
        amount_owed(NIPPON_STEEL, LATER, [deposit])
    assert error.value.code == code


def test_amount_owed_refuses_other_events():
    with pytest.raises(InterestError) as error:
        amount_owed(NIPPON_STEEL, LATER, ["payment"])
    assert error.value.code == interest.BAD_PAYMENT


# --- Section 6: the judgment's own order for an heir, or the victim's total apportioned -----


def test_heir_order_fixed_by_the_judgment_against_apportionment():
    # Victim 100,000,000 won at 20 % from 2013-06-19, as of 2018-11-01; heirs W 3/7 (spouse,
    # 1.5 shares) and S, T 2/7 each (Art. 1009). The judgment fixes each heir's principal
    # truncated: 300,000,000/7 = 42,857,142.85 -> 42,857,142; 200,000,000/7 -> 28,571,428.
    # Interest factor 20 % x (5 + 136/365) = 1961/1825:
    #   W: 42,857,142 x 1961/1825 = 84,042,855,462/1825 = 46,050,879.70 -> 46,050,879;
    #      total 88,908,021.
    #   S, T: 28,571,428 x 1961/1825 = 56,028,570,308/1825 = 30,700,586.47 -> 30,700,586;
    #      total 59,272,014 each.
    # Judgment path: 88,908,021 + 2 x 59,272,014 = 207,452,049.
    # Apportioned: 207,452,054 x 3/7 = 88,908,023.14, x 2/7 = 59,272,015.43; floors sum to
    # 207,452,053, the last won to the largest remainder (3/7 for S and T, tie to "S"):
    # W 88,908,023, S 59,272,016, T 59,272,015. The judgment path pays 5 won less.
    shares = {"W": Fraction(3, 7), "S": Fraction(2, 7), "T": Fraction(2, 7)}
    comparison = compare_bases(NIPPON_STEEL, shares, AS_OF)
    assert comparison.victim_total == DUE_2018_11_01
    rows = {row.heir: (row.own_principal, row.own_total, row.apportioned_total) for row in comparison.heirs}
    assert rows == {"W": (42_857_142, 88_908_021, 88_908_023), "S": (28_571_428, 59_272_014, 59_272_016),
                    "T": (28_571_428, 59_272_014, 59_272_015)}
    assert (comparison.own_total, comparison.apportioned_total, comparison.difference) == (
        207_452_049, 207_452_054, 5)
    assert [row.difference for row in comparison.heirs] == [2, 2, 1]


def test_heir_own_order_is_an_ordinary_order_and_the_sheet_says_so():
    heir = JudgmentOrder(judgment_principal(100_000_000, Fraction(3, 7)), NIPPON_STEEL.segments)
    result = amount_due(heir, AS_OF, basis=BASIS_OWN_ORDER)
    assert (result.principal, result.total, result.basis) == (42_857_142, 88_908_021, "own_order")
    assert result.as_json()["basis"] == "own_order"
    assert amount_due(NIPPON_STEEL, AS_OF, sheet=False, basis=BASIS_APPORTIONED).basis == "apportioned"
    assert interest.BASIS_LABELS["own_order"][1] == "the judgment's own order for this creditor"


def test_principals_stated_by_the_judgment_override_the_computed_ones():
    comparison = compare_bases(NIPPON_STEEL, {"A": Fraction(1, 2), "B": Fraction(1, 2)}, AS_OF,
                               own_principals={"A": 50_000_000, "B": 49_999_999})
    assert [row.own_principal for row in comparison.heirs] == [50_000_000, 49_999_999]


# --- Properties ------------------------------------------------------------------------------


dates = st.dates(min_value=date(1960, 1, 1), max_value=date(2060, 12, 31))
rates = st.decimals(min_value=0, max_value=100, places=2)
principals = st.integers(min_value=1, max_value=10**11)


@st.composite
def orders(draw) -> JudgmentOrder:
    start = draw(dates)
    count = draw(st.integers(1, 3))
    segments = []
    for number in range(1, count + 1):
        rate = draw(rates)
        if number == count and draw(st.booleans()):
            segments.append(Segment(start, None, rate))
            break
        end = start + timedelta(days=draw(st.integers(0, 2500)))
        segments.append(Segment(start, end, rate))
        start = end + ONE_DAY
    return JudgmentOrder(draw(principals), tuple(segments))


def day_in(draw, judgment: JudgmentOrder, after: date | None = None, span: int = 6000) -> date:
    return (after or judgment.segments[0].start) + timedelta(days=draw(st.integers(0, span)))


@st.composite
def paid_orders(draw):
    """An order, its method and rounding, and up to three payments each at most what is due."""
    judgment = draw(orders())
    method = draw(st.sampled_from(interest.METHODS))
    rounding = draw(st.sampled_from(interest.ROUNDINGS))
    payments: list[Payment] = []
    on = judgment.segments[0].start
    for _ in range(draw(st.integers(1, 3))):
        on = day_in(draw, judgment, on, 3000)
        due = amount_due(judgment, on, method, rounding, payments=payments, sheet=False).total
        if due == 0:
            break
        payments.append(Payment(on, draw(st.integers(1, due))))
    return judgment, method, rounding, payments


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_paying_the_full_amount_due_leaves_zero(data):
    judgment = data.draw(orders())
    method = data.draw(st.sampled_from(interest.METHODS))
    rounding = data.draw(st.sampled_from(interest.ROUNDINGS))
    day = day_in(data.draw, judgment)
    due = amount_due(judgment, day, method, rounding).total
    later = day_in(data.draw, judgment, day)
    result = amount_due(judgment, later, method, rounding, payments=[Payment(day, due)])
    assert (result.total, result.interest, result.principal, result.exact_interest) == (0, 0, 0, 0)
    with pytest.raises(InterestError):
        amount_due(judgment, later, method, rounding, payments=[Payment(day, due + 1)])


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_splitting_a_payment_in_two_on_the_same_day_changes_nothing(data):
    judgment, method, rounding, payments = data.draw(paid_orders())
    last = payments[-1]
    assume(last.amount >= 2)
    first_part = data.draw(st.integers(1, last.amount - 1))
    split = [*payments[:-1], Payment(last.on, first_part), Payment(last.on, last.amount - first_part)]
    as_of = day_in(data.draw, judgment, last.on, 3000)
    whole = amount_due(judgment, as_of, method, rounding, payments=payments)
    parts = amount_due(judgment, as_of, method, rounding, payments=split)
    assert parts.exact_interest == whole.exact_interest and parts.exact_principal == whole.exact_principal
    assert (parts.principal, parts.interest, parts.total, parts.lines) == (
        whole.principal, whole.interest, whole.total, whole.lines)
    assert parts.events[-1].balance_after == whole.events[-1].balance_after


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_adding_a_payment_never_increases_the_amount_due(data):
    judgment, method, rounding, payments = data.draw(paid_orders())
    as_of = day_in(data.draw, judgment, payments[-1].on, 3000)
    totals = []
    exact = []
    for count in range(len(payments) + 1):
        result = amount_due(judgment, as_of, method, rounding, payments=payments[:count])
        totals.append(result.total)
        exact.append(result.exact_interest + (result.exact_principal or result.principal))
    assert totals == sorted(totals, reverse=True)
    assert exact == sorted(exact, reverse=True)


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_without_payments_results_are_those_of_today(data):
    judgment = data.draw(orders())
    as_of = day_in(data.draw, judgment)
    for method in interest.METHODS:
        today = amount_due(judgment, as_of, method)
        assert amount_due(judgment, as_of, method, payments=[], deposits=[]) == today
        assert amount_owed(judgment, as_of, [], method) == today
        # Through the events path (a refused deposit has no effect): the same figures.
        refused = Deposit(judgment.segments[0].start, 1, "refused")
        events = amount_due(judgment, as_of, method, deposits=[refused])
        assert (events.principal, events.interest, events.total, events.exact_interest) == (
            today.principal, today.interest, today.total, today.exact_interest)
        assert sum((line.interest for line in events.lines), Fraction(0)) == today.exact_interest


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_sheet_with_payments_covers_every_day_and_each_line_is_its_own_formula(data):
    judgment, method, rounding, payments = data.draw(paid_orders())
    assume(all((s.start.month, s.start.day) != (2, 29) for s in judgment.segments))
    as_of = day_in(data.draw, judgment, payments[-1].on, 3000)
    result = amount_due(judgment, as_of, method, rounding, payments=payments)
    accrued = sum((line.interest for line in result.lines), Fraction(0))
    paid_interest = sum((event.to_interest for event in result.events), Fraction(0))
    discharged = any(event.effect == "discharged" for event in result.events)
    if not discharged:
        assert accrued == result.exact_interest + paid_interest
    day = judgment.segments[0].start
    for line in result.lines:
        assert line.start == day and line.days == (line.end - line.start).days + 1
        rate = Fraction(line.rate) / 100 * line.principal
        expected = rate * line.years if line.divisor is None else rate * Fraction(line.days, line.divisor)
        assert line.interest == expected
        day = line.end + ONE_DAY
    last_paid = max((event.on for event in result.events if event.balance_after == 0), default=None)
    end = min(as_of, judgment.segments[-1].end or as_of)
    if last_paid is None:
        assert day == end + ONE_DAY
    assert result.principal + result.interest + result.costs == result.total
