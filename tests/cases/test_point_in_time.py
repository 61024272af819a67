"""Point in time: a report for a past date gives what the foundation would have reported that
day, from the effect dates the rows record (a judgment's final date, a holding's valid_from,
offer and answer dates, payment value dates, deposit decisions) — so reports for a date taken
before later events equal the same reports recomputed after them (docs/workflow.md)."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest
from casework_support import accept_all, fund_donate
from factories import JudgmentFactory
from test_payment_batch import run_batch

from baesang.cases import holdings, services
from baesang.cases.models import ClaimHolding
from baesang.cases.selectors import claim_detail, claims_by_state, claims_list, claims_waiting, fund_report
from baesang.donations.selectors import fund_position
from baesang.judgments import services as judgments

ANNOUNCED = date(2023, 3, 6)
END_OF_MARCH = date(2023, 3, 31)
# 100,000,000 won at 20 % from 2013-06-19 to 2023-03-06, period method (Civil Code Arts. 159-160):
# 9 whole years (2013-06-19 … 2022-06-18) = 180,000,000; then 2022-06-19 … 2023-03-06 = 261 days
# of a 365-day period (2022-06-19 … 2023-06-18 has no 29 February): 20,000,000 × 261/365 =
# 14,301,369.86 → 194,301,369 won of interest, truncated (원 미만 버림).
DUE_ON_ANNOUNCEMENT = 100_000_000 + 194_301_369


def reports(as_of: date) -> str:
    """Every report of a date, as one JSON text (so two takes compare exactly)."""
    return json.dumps({"fund": fund_report(as_of=as_of), "waiting": claims_waiting(as_of=as_of).as_json(),
                       "list": claims_list(as_of=as_of), "states": claims_by_state(as_of=as_of)},
                      sort_keys=True, default=str)


@pytest.mark.django_db
def test_reports_for_past_dates_do_not_change_with_later_events(world):
    paid_claim = world.claim(world.person("박순이"))
    refusing = world.claim(world.person("김거부"))
    heirs_claim = world.claim(world.person("이망자", death_date=date(2016, 1, 2)))
    later = JudgmentFactory(actor=world.staff.case, case_number="2019다12345", decided_on=date(2024, 1, 11),
                            final_on=date(2024, 1, 11))
    late_claim = judgments.claim_create(judgment=later, position=1, victim=world.person("최나중"),
                                        principal=100_000_000, segments=["2019-01-01:paid:12"],
                                        actor=world.staff.case)
    holdings.claim_holders_plaintiff(claim=late_claim, actor=world.staff.case)

    taken_before = {ANNOUNCED: reports(ANNOUNCED)}
    before = json.loads(taken_before[ANNOUNCED])
    # Three claims of the 2018 judgment wait, each owed DUE_ON_ANNOUNCEMENT; the 2024 one is not final yet.
    assert before["fund"]["owed_waiting"] == 3 * DUE_ON_ANNOUNCEMENT
    assert before["fund"]["claims"]["registered"] == 3 and before["fund"]["claims"]["total"] == 3
    assert [row["claim"] for row in before["waiting"]["claims"]] == [paid_claim.pk, refusing.pk, heirs_claim.pk]

    # Later events in the order of their dates, a report taken before each stage.
    fund_donate(1_000_000_000, on=date(2023, 3, 15))
    accept_all(world, paid_claim, offered_on=date(2023, 3, 20), verified_on=date(2023, 3, 22))
    offer = services.offer_make(holding=refusing.holdings.get(), offered_on=date(2023, 3, 16), actor=world.staff.case)
    services.offer_refuse(offer=offer, actor=world.staff.case, refused_on=date(2023, 3, 20))
    taken_before[END_OF_MARCH] = reports(END_OF_MARCH)
    run_batch(world, payment_date=date(2023, 4, 12))
    son, daughter = world.person("이아들"), world.person("이딸")
    holdings.holder_change_approve(proposal=holdings.holders_propose_document(
        claim=heirs_claim, shares={son: Fraction(1, 2), daughter: Fraction(1, 2)},
        document=world.consent_form("inheritance"),
        valid_from=date(2023, 5, 1), actor=world.staff.case), actor=world.staff.approver)
    taken_before[date(2023, 6, 30)] = reports(date(2023, 6, 30))
    court = judgments.court_ensure(name="광주지방법원", actor=world.staff.case)
    deposit = services.deposit_file(holding=refusing.holdings.get(), court=court, filed_on=date(2023, 7, 3),
                                    actor=world.staff.case)
    services.deposit_decide(deposit=deposit, outcome="accepted", decided_on=date(2023, 7, 20), actor=world.staff.case)

    for day, text in taken_before.items():
        assert reports(day) == text, day

    # After the events the reports of later dates do see them.
    after = fund_report(as_of=date(2023, 8, 1))
    assert after["claims"]["paid"] == 1 and after["claims"]["deposited"] == 1
    assert fund_report(as_of=date(2024, 1, 11))["claims"]["total"] == 4


@pytest.mark.django_db
def test_a_past_waiting_list_leaves_out_judgments_not_yet_final(world):
    world.claim()
    later = JudgmentFactory(actor=world.staff.case, case_number="2019다12345", decided_on=date(2024, 1, 11),
                            final_on=date(2024, 1, 11))
    claim = judgments.claim_create(judgment=later, position=1, victim=world.person("최나중"), principal=100_000_000,
                                   segments=["2019-01-01:paid:12"], actor=world.staff.case)
    holdings.claim_holders_plaintiff(claim=claim, actor=world.staff.case)
    assert [row.final_on for row in claims_waiting(as_of=END_OF_MARCH).claims] == [date(2018, 10, 30)]
    assert claim.pk not in [row["id"] for row in claims_list(as_of=END_OF_MARCH)]
    # From its final date (the judgment binds once final) it waits too.
    assert len(claims_waiting(as_of=date(2024, 1, 11)).claims) == 2


@pytest.mark.django_db
def test_holders_and_their_states_on_a_date_come_from_effect_dates(world):
    victim = world.person("이망자", death_date=date(2023, 4, 30))
    claim = world.claim(victim)
    offer = services.offer_make(holding=claim.holdings.get(), offered_on=date(2023, 3, 16), actor=world.staff.case)
    services.offer_refuse(offer=offer, actor=world.staff.case, refused_on=date(2023, 3, 20))
    son, daughter = world.person("이아들"), world.person("이딸")
    holdings.holder_change_approve(proposal=holdings.holders_propose_document(
        claim=claim, shares={son: Fraction(1, 2), daughter: Fraction(1, 2)},
        document=world.consent_form("inheritance"),
        valid_from=date(2023, 5, 1), actor=world.staff.case), actor=world.staff.approver)

    def holders(day):
        detail = claim_detail(claim_id=claim.pk, as_of=day)
        return [(h["name"], h["share"], h["state"]) for h in detail["holders"]]

    assert holders(date(2023, 3, 15)) == [("이망자", "1/1", ClaimHolding.PENDING)]
    assert holders(date(2023, 3, 17)) == [("이망자", "1/1", ClaimHolding.OFFERED)]
    assert holders(date(2023, 3, 20)) == [("이망자", "1/1", ClaimHolding.REFUSED)]
    assert holders(date(2023, 5, 1)) == [("이아들", "1/2", ClaimHolding.PENDING), ("이딸", "1/2", ClaimHolding.PENDING)]
    # Refusing, the victim did not wait on 2023-03-20; the heirs wait from 2023-05-01.
    assert claims_waiting(as_of=date(2023, 3, 20)).claims == []
    assert len(claims_waiting(as_of=date(2023, 5, 1)).claims) == 1


@pytest.mark.django_db
def test_reserved_on_a_date_counts_a_batch_dated_later_than_that_date(world):
    """A batch approved now for a later payment date is reserved now: report fund, the
    dashboard (fund_report) and ledger position (fund_position) agree on every date."""
    fund_donate(1_000_000_000, on=date(2023, 3, 15))
    claim = world.claim()
    accept_all(world, claim)
    today = date.today()
    batch = services.batch_prepare(payment_date=date(today.year + 1, 1, 15), preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    report = fund_report(as_of=today)
    assert report["reserved"] == batch.total_amount == fund_position().reserved
    assert report["available"] == 1_000_000_000 - batch.total_amount == fund_position().available
    assert fund_position(as_of=today).reserved == fund_position().reserved
    # Before the approval was made (and before its value date) nothing was reserved.
    assert fund_report(as_of=date(2023, 4, 1))["reserved"] == 0


@pytest.mark.django_db
def test_a_refuser_who_accepts_after_a_refused_deposit_waits_again(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    holding = claim.holdings.get()
    offer = services.offer_make(holding=holding, offered_on=date(2023, 3, 16), actor=world.staff.case)
    services.offer_refuse(offer=offer, actor=world.staff.case, refused_on=date(2023, 3, 20))
    court = judgments.court_ensure(name="광주지방법원", actor=world.staff.case)
    deposit = services.deposit_file(holding=holding, court=court, filed_on=date(2023, 7, 3), actor=world.staff.case)
    services.deposit_decide(deposit=deposit, outcome="refused", decided_on=date(2023, 7, 10), actor=world.staff.case)
    accept_all(world, claim, offered_on=date(2023, 9, 1), verified_on=date(2023, 9, 4))

    def state(day):
        return claim_detail(claim_id=claim.pk, as_of=day)["holders"][0]["state"]

    assert [state(day) for day in (date(2023, 7, 5), date(2023, 9, 2), date(2023, 9, 4))] == [
        ClaimHolding.REFUSED, ClaimHolding.OFFERED, ClaimHolding.ACCEPTED]
    assert [row.claim_id for row in claims_waiting(as_of=date(2023, 9, 4)).claims] == [claim.pk]
    assert claims_waiting(as_of=date(2023, 7, 5)).claims == []
