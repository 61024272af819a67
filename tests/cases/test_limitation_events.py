"""Limitation of judgment claims and of the foundation's indemnity claims, with the
interruptions recorded as events (Civil Code Arts. 162(1), 165(1), 168-178)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from casework_support import accept_all, fund_donate
from django.core.management import call_command
from test_payment_batch import run_batch

from baesang.cases import services
from baesang.cases.errors import InvalidLimitationEvent
from baesang.cases.models import LimitationEvent
from baesang.cases.selectors import (
    LIMITATION_WATCH_DAYS,
    LIMITATION_WATCH_SHOWN,
    LimitationWatch,
    claim_detail,
    claims_list,
    claims_nearing_limitation,
    claims_summary,
    figures_refresh,
    indemnity_limitations,
    indemnity_totals,
    limitation_watch,
)
from baesang.core.permissions import ActionNotPermitted


def limitation_of(claim, as_of):
    return next(row["limitation"] for row in claims_list(as_of=as_of) if row["id"] == claim.pk)


@pytest.mark.django_db
def test_a_judgment_claim_prescribes_ten_years_after_final_unless_interrupted(world):
    claim = world.claim()
    # Final 2018-10-30: the first day is not counted (Art. 157), the period ends on the day before
    # the corresponding day 2028-10-31 (Art. 160(2)): 2028-10-30 (Art. 165(1)).
    untouched = limitation_of(claim, date(2023, 3, 6))
    assert (untouched["last_day"], untouched["events"]) == ("2028-10-30", 0)
    # 2023-03-06 to 2028-10-30: 300 days to 2024-01-01, then 366 + 365 + 365 + 365 (2024-2027), then 303.
    assert untouched["days_left"] == 2065
    event = services.limitation_event_record(actor=world.staff.case, claim=claim, kind=LimitationEvent.ACKNOWLEDGMENT,
                                             on=date(2025, 1, 15), note="letter of the debtor")
    # The debtor's acknowledgment interrupts (Arts. 168(3), 177); a new ten-year period runs
    # from that day (Art. 178(1)): last day 2035-01-15.
    assert limitation_of(claim, date(2025, 1, 15))["last_day"] == "2035-01-15"
    # Point in time: before the acknowledgment the date was still 2028-10-30.
    assert limitation_of(claim, date(2025, 1, 14))["last_day"] == "2028-10-30"
    detail = claim_detail(claim_id=claim.pk, as_of=date(2025, 2, 1))
    last = detail["limitation"]["steps"][-1]
    assert (last["kind"], last["effect"], last["last_day"]) == (event.kind, "interrupted", "2035-01-15")
    assert "제178조 제1항" in last["text_ko"]  # the explanation in the creditor's statement, in Korean


@pytest.mark.django_db
def test_a_pending_suit_holds_the_date_and_its_judgment_starts_a_new_period(world):
    claim = world.claim()
    services.limitation_event_record(actor=world.staff.case, claim=claim, kind=LimitationEvent.SUIT,
                                     on=date(2027, 5, 2), ended_on=date(2028, 3, 10))
    # While the suit is pending the period does not run: no date (Arts. 168(1), 170).
    assert limitation_of(claim, date(2027, 6, 1))["last_day"] is None
    # Its judgment final 2028-03-10: ten years from then (Arts. 178(2), 165(1)): 2038-03-10.
    assert limitation_of(claim, date(2028, 3, 10))["last_day"] == "2038-03-10"


@pytest.mark.django_db
def test_events_are_checked_and_need_the_permission(world):
    claim = world.claim()
    with pytest.raises(InvalidLimitationEvent):  # before the judgment was final (engine: event_before_start)
        services.limitation_event_record(actor=world.staff.case, claim=claim, kind="acknowledgment",
                                         on=date(2017, 1, 1))
    with pytest.raises(InvalidLimitationEvent):  # an acknowledgment has no end (Art. 177)
        services.limitation_event_record(actor=world.staff.case, claim=claim, kind="acknowledgment",
                                         on=date(2024, 1, 1), ended_on=date(2024, 2, 1))
    with pytest.raises(InvalidLimitationEvent):
        services.limitation_event_record(actor=world.staff.case, claim=claim, kind="foundation_offer",
                                         on=date(2024, 1, 1))
    with pytest.raises(InvalidLimitationEvent):  # neither a claim nor a debtor
        services.limitation_event_record(actor=world.staff.case, kind="acknowledgment", on=date(2024, 1, 1))
    with pytest.raises(ActionNotPermitted):
        services.limitation_event_record(actor=world.staff.finance, claim=claim, kind="acknowledgment",
                                         on=date(2024, 1, 1))
    assert not LimitationEvent.objects.exists()


@pytest.mark.django_db
def test_indemnity_claims_show_their_own_interruptions(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    accept_all(world, claim)
    run_batch(world, payment_date=date(2023, 4, 12))
    [row] = indemnity_limitations(as_of=date(2024, 1, 1))
    # Paid 2023-04-12 (the bank's answer): ten years (Arts. 162(1), 157, 160(2)) → 2033-04-12.
    assert row["limitation"]["last_day"] == "2033-04-12"
    services.limitation_event_record(actor=world.staff.case, debtor=world.debtor, kind="acknowledgment",
                                     on=date(2024, 5, 2))
    [row] = indemnity_limitations(as_of=date(2024, 6, 1))
    # The debtor's acknowledgment to the foundation interrupts (Art. 177): 2034-05-02.
    assert (row["limitation"]["last_day"], row["limitation"]["events"]) == ("2034-05-02", 1)
    assert indemnity_limitations(as_of=date(2024, 5, 1))[0]["limitation"]["last_day"] == "2033-04-12"
    # The judgment claim of the creditor is not touched by an event of the indemnity claims (Art. 169).
    assert limitation_of(claim, date(2024, 6, 1))["last_day"] == "2028-10-30"


@pytest.mark.django_db
def test_indemnity_counts_and_panel_per_group_agree_with_each_claim_computed_alone(world):
    """The dashboard's indemnity panel and the totals per debtor compute the limitation once per
    (debtor, day arisen); they agree with the rows of every claim computed one by one."""
    fund_donate(100_000_000_000)
    first = [world.claim() for _ in range(10)]
    for claim in first:
        accept_all(world, claim)
    run_batch(world, payment_date=date(2023, 4, 12))  # ten indemnity claims arise 2023-04-12
    later = [world.claim() for _ in range(2)]
    for claim in later:
        accept_all(world, claim, offered_on=date(2024, 3, 1), verified_on=date(2024, 3, 2))
    run_batch(world, payment_date=date(2024, 4, 12))  # two more 2024-04-12
    services.limitation_event_record(actor=world.staff.case, debtor=world.debtor, kind="acknowledgment",
                                     on=date(2024, 1, 10))  # after the first ten arose: theirs move to 2034-01-10
    for as_of in (date(2024, 6, 1), date(2032, 1, 15), date(2032, 6, 1), date(2033, 1, 1)):
        rows = indemnity_limitations(as_of=as_of)
        near = [row for row in rows if row["limitation"]["days_left"] is not None
                and row["limitation"]["days_left"] <= LIMITATION_WATCH_DAYS]
        panel = limitation_watch(as_of=as_of, cached=False)
        assert (panel["indemnity_count"], panel["indemnity"]) == (len(near), near[:LIMITATION_WATCH_SHOWN])
        totals = indemnity_totals(as_of=as_of)
        assert totals[world.debtor.code]["claims"] == len(rows) == 12
        assert totals[world.debtor.code]["amount"] == sum(row["amount"] for row in rows)
        assert totals[world.debtor.code]["earliest_limitation"] == min(row["limitation"]["last_day"] for row in rows)
    # 2032-06-01: the first ten (2034-01-10, 588 days) are near, the two later (2034-04-12) too (680 days)
    assert limitation_watch(as_of=date(2032, 6, 1), cached=False)["indemnity_count"] == 12
    # 2032-01-15: the first ten (726 days) are near, the two later (818 days) not; eight are shown
    panel = limitation_watch(as_of=date(2032, 1, 15), cached=False)
    assert panel["indemnity_count"] == 10 and len(panel["indemnity"]) == LIMITATION_WATCH_SHOWN == 8
    # 2024-06-01: none within two years
    assert limitation_watch(as_of=date(2024, 6, 1), cached=False)["indemnity_count"] == 0


@pytest.mark.django_db
def test_claims_nearing_their_date_and_the_command(world, capsys):
    near = world.claim(world.person("가까움"))
    far = world.claim(world.person("멀리"))
    services.limitation_event_record(actor=world.staff.case, claim=far, kind="acknowledgment", on=date(2025, 1, 15))
    # On 2027-01-01, 2028-10-30 is 668 days away (365 + 303): within two years (730 days).
    rows = claims_nearing_limitation(as_of=date(2027, 1, 1), within_days=730)
    assert [(row["id"], row["limitation"]["days_left"]) for row in rows] == [(near.pk, 668)]
    assert claims_nearing_limitation(as_of=date(2027, 1, 1), within_days=667) == []
    call_command("claims", "list", "--as-of", "2027-01-01", "--limitation-within", "730", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert [(row["id"], row["limitation"]["last_day"]) for row in listed] == [(near.pk, "2028-10-30")]
    call_command("claims", "list", "--as-of", "2027-01-01")
    text = capsys.readouterr().out
    assert "2028-10-30" in text and "2035-01-15" in text


@pytest.mark.django_db
def test_the_limitation_panel_gathered_in_the_figures_pass_equals_its_own_pass(world):
    fund_donate(1_000_000_000)
    paid = world.claim(world.person("지급됨"))
    accept_all(world, paid)
    run_batch(world, payment_date=date(2023, 4, 12))  # nothing is owed on it any more
    near = [world.claim(world.person(f"가까움{i}")) for i in range(5)]
    far = world.claim(world.person("멀리"))
    services.limitation_event_record(actor=world.staff.case, claim=far, kind="acknowledgment", on=date(2025, 1, 15))
    as_of = date(2027, 1, 1)
    # Final 2018-10-30: last day 2028-10-30 (Art. 165(1)), 668 days after 2027-01-01; the
    # acknowledgment moved the far claim's to 2035-01-15 (Art. 178(1)); the paid claim owes nothing.
    alone = claims_nearing_limitation(as_of=as_of, within_days=730)
    assert [row["id"] for row in alone] == [claim.pk for claim in near]
    assert {row["limitation"]["last_day"] for row in alone} == {"2028-10-30"}
    # The same claims gathered by the figures' one pass (several chunks, the two nearest kept).
    watch = LimitationWatch(as_of, 730, keep=2)
    claims_summary(as_of=as_of, chunk=2, watch=watch)
    assert (watch.count, watch.rows()) == (5, alone[:2])
    panel = limitation_watch(as_of=as_of, cached=False)
    assert (panel["claims_count"], panel["claims"]) == (5, alone)
    figures_refresh(as_of=as_of)
    assert limitation_watch(as_of=as_of) == panel
