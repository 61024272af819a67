"""Payments and court deposits as events of the interest engine in the statements, the
never-paid-twice rule with the holding as the unit, and the basis of a claim's amounts
(the judgment's own order or apportionment) on the calculation sheet."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from casework_support import accept_all, fund_donate
from django.db import IntegrityError, transaction
from test_payment_batch import run_batch

from baesang.cases import holdings, services
from baesang.cases.errors import AlreadyPaid
from baesang.cases.models import BatchLine, ClaimHolding, HolderChange
from baesang.cases.selectors import claim_detail, claims_waiting
from baesang.judgments import services as judgments

FILED = date(2023, 7, 3)
# 100 M won at 20 % from 2013-06-19 to 2023-07-03 (period method, Arts. 159-160): 10 whole years
# (200,000,000) and 15 days of the 366-day period 2023-06-19 … 2024-06-18 (it holds 29 February
# 2024): 20,000,000 × 15/366 = 819,672.13 → 819,672 (원 미만 버림).
DUE_AT_FILING = 100_000_000 + 200_000_000 + 819_672


def refused_deposit(world):
    claim = world.claim()
    holding = claim.holdings.get()
    offer = services.offer_make(holding=holding, offered_on=date(2023, 3, 16), actor=world.staff.case)
    services.offer_refuse(offer=offer, actor=world.staff.case, refused_on=date(2023, 3, 20))
    court = judgments.court_ensure(name="광주지방법원", actor=world.staff.case)
    deposit = services.deposit_file(holding=holding, court=court, filed_on=FILED, actor=world.staff.case)
    return claim, deposit


@pytest.mark.django_db
def test_a_deposit_accepted_after_objection_keeps_its_filing_amount_and_stops_interest_from_filing(world):
    fund_donate(1_000_000_000)
    claim, deposit = refused_deposit(world)
    assert deposit.amount == DUE_AT_FILING
    services.deposit_decide(deposit=deposit, outcome="refused", decided_on=date(2023, 7, 10), actor=world.staff.case)
    services.deposit_decide(deposit=deposit, outcome="objection_filed", decided_on=date(2023, 7, 20),
                            actor=world.staff.case)
    # While refused (불수리) the deposit has no effect: interest runs on (Art. 487 needs a valid deposit).
    # On 2023-08-01: 10 years + 44 days of 366 → 20,000,000 × 44/366 = 2,404,371.58 → 2,404,371.
    pending = claim_detail(claim_id=claim.pk, as_of=date(2023, 8, 1))
    assert pending["outstanding"] == 100_000_000 + 200_000_000 + 2_404_371
    assert [h["settled"] for h in pending["holders"]] == [False]
    services.deposit_decide(deposit=deposit, outcome="accepted", decided_on=date(2023, 9, 1), actor=world.staff.case)
    # Accepted after the objection: the tender was valid from its filing (Arts. 461, 487), the
    # amount stays the one computed at filing, whatever the date of the statement.
    for day in (date(2023, 9, 1), date(2024, 6, 30)):
        detail = claim_detail(claim_id=claim.pk, as_of=day)
        [holder] = detail["holders"]
        assert holder["settled"] and holder["state"] == ClaimHolding.DEPOSITED
        assert holder["amount"] == DUE_AT_FILING
        assert detail["outstanding"] == 0
        [event] = detail["calculation"]["events"]
        assert (event["kind"], event["on"], event["effect"]) == ("deposit", "2023-07-03", "discharged")
        assert detail["calculation"]["total"] == 0
    # Before the acceptance was decided the statement of 2023-08-01 is unchanged (point in time).
    assert claim_detail(claim_id=claim.pk, as_of=date(2023, 8, 1))["outstanding"] == pending["outstanding"]


@pytest.mark.django_db
def test_a_returned_deposit_is_deemed_never_made_and_interest_runs_on(world):
    fund_donate(1_000_000_000)
    claim, deposit = refused_deposit(world)
    services.deposit_decide(deposit=deposit, outcome="accepted", decided_on=date(2023, 7, 10), actor=world.staff.case)
    taken_before = claim_detail(claim_id=claim.pk, as_of=date(2023, 8, 1))
    assert taken_before["outstanding"] == 0
    services.deposit_decide(deposit=deposit, outcome="returned", decided_on=date(2023, 8, 15), actor=world.staff.case)
    # Point in time: on 2023-08-01 the deposit stood accepted; its later return does not change that day.
    again = claim_detail(claim_id=claim.pk, as_of=date(2023, 8, 1))
    for key in ("state", "outstanding", "holders", "calculation", "basis", "limitation"):
        assert again[key] == taken_before[key], key
    # Withdrawn (회수): deemed never made (Art. 489(1)); on 2023-09-01, 10 years + 75 days of 366:
    # 20,000,000 × 75/366 = 4,098,360.65 → 4,098,360.
    detail = claim_detail(claim_id=claim.pk, as_of=date(2023, 9, 1))
    assert detail["outstanding"] == 100_000_000 + 200_000_000 + 4_098_360
    assert detail["calculation"]["events"][0]["effect"] == "withdrawn"


@pytest.mark.django_db
def test_never_paid_twice_for_the_same_holding(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    accept_all(world, claim)
    run_batch(world, payment_date=date(2023, 4, 12))
    paid = BatchLine.objects.get(state=BatchLine.PAID)
    # The database refuses a second live line for the same holding, whatever the batch.
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchLine.objects.create(batch=paid.batch, batch_claim=paid.batch_claim, claim=claim, holding=paid.holding,
                                 holder=paid.holder, consent=paid.consent, share_numerator=1, share_denominator=1,
                                 principal_part=1, interest_part=0, amount=1, bank_reference="again")
    ClaimHolding.objects.filter(pk=paid.holding_id).update(state=ClaimHolding.ACCEPTED)  # as if the state were lost
    with pytest.raises(AlreadyPaid):
        services.batch_prepare(payment_date=date(2023, 5, 1), preparer=world.staff.finance)


@pytest.mark.django_db
def test_a_holder_paid_who_inherits_a_further_share_is_paid_that_share(world):
    """Mother and son held 1/2 each and the mother was paid; the son dies and the mother
    inherits half of his share (1/4) beside his widow: a new holding of the same person, paid
    once, for its own part (the unit of payment is the holding)."""
    fund_donate(1_000_000_000)
    mother, son, widow = world.person("어머니"), world.person("아들"), world.person("며느리")
    claim = world.claim(heirs={mother: Fraction(1, 2), son: Fraction(1, 2)})
    mother_holding = claim.holdings.get(holder=mother)
    offer = services.offer_make(holding=mother_holding, offered_on=date(2023, 3, 20), actor=world.staff.case)
    services.offer_accept(offer=offer, actor=world.staff.case, verified_on=date(2023, 3, 22),
                          identity_method="id_card_in_person", capacity="self", witness_name="증인 갑",
                          form_document=world.consent_form("mother"))
    run_batch(world, payment_date=date(2023, 4, 12))
    # The son's death: his holding is replaced by the mother's new 1/4 and the widow's 1/4
    # (recorded here directly: the holders' service still refuses a person already paid).
    son_holding = claim.holdings.get(holder=son)
    change = HolderChange.objects.create(claim=claim, basis=HolderChange.DOCUMENT, valid_from=date(2023, 6, 1),
                                         document=world.consent_form("son's succession"))
    ClaimHolding.objects.filter(pk=son_holding.pk).update(superseded_at=son_holding.claim.created_at,
                                                         superseded_by=change)
    again = ClaimHolding.objects.create(claim=claim, holder=mother, share_numerator=1, share_denominator=4,
                                        change=change, valid_from=date(2023, 6, 1))
    ClaimHolding.objects.create(claim=claim, holder=widow, share_numerator=1, share_denominator=4, change=change,
                                valid_from=date(2023, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():  # one current holding per person and change
        ClaimHolding.objects.create(claim=claim, holder=widow, share_numerator=1, share_denominator=8,
                                    change=change, valid_from=date(2023, 6, 1))
    offer = services.offer_make(holding=again, offered_on=date(2023, 6, 5), actor=world.staff.case)
    services.offer_accept(offer=offer, actor=world.staff.case, verified_on=date(2023, 6, 7),
                          identity_method="id_card_in_person", capacity="self", witness_name="증인 갑",
                          form_document=world.consent_form("mother again"))
    batch, _, summary = run_batch(world, payment_date=date(2023, 7, 3))
    [line] = BatchLine.objects.filter(batch=batch)
    assert (line.holding_id, line.holder_id, line.state) == (again.pk, mother.pk, BatchLine.PAID)
    # Her part is a quarter of the claim on 2023-07-03, DUE_AT_FILING = 300,819,672 won:
    # apportioned by exact shares 1/2, 1/4, 1/4 → 75,204,918 for the quarter.
    assert line.amount == 75_204_918
    assert BatchLine.objects.filter(holder=mother, state=BatchLine.PAID).count() == 2
    # The widow still waits; the mother's two holdings are settled.
    [waiting] = claims_waiting(as_of=date(2023, 7, 3)).claims
    assert waiting.amount_due == 75_204_918


@pytest.mark.django_db
def test_the_calculation_sheet_states_the_basis(world):
    """Heirs who were plaintiffs each have a claim of their own with the principal the judgment
    fixed for them: own_order. A claim whose holders changed after the judgment: apportioned."""
    victim = world.person("망자", death_date=date(2012, 5, 1))
    heir = world.person("상속인")
    own = judgments.claim_create(judgment=world.judgment, position=9, victim=victim, plaintiff=heir,
                                 principal=33_333_333, segments=["2013-06-19:paid:20"], actor=world.staff.case)
    holdings.claim_holders_plaintiff(claim=own, actor=world.staff.case)
    detail = claim_detail(claim_id=own.pk, as_of=date(2023, 3, 6))
    assert detail["basis"] == detail["calculation"]["basis"] == "own_order"
    # 33,333,333 × 20 % × (9 + 261/365) (period method, Arts. 159-160) = 59,999,999.4
    # + 4,767,123.24 = 64,767,122.64 → 64,767,122; interest runs on the judgment's own principal.
    assert detail["calculation"]["interest"] == 64_767_122

    changed = world.claim(world.person("사망자", death_date=date(2020, 2, 2)))
    a, b = world.person("갑"), world.person("을")
    holdings.holder_change_approve(proposal=holdings.holders_propose_document(
        claim=changed, shares={a: Fraction(1, 2), b: Fraction(1, 2)}, document=world.consent_form("heirs"),
        valid_from=date(2020, 2, 2), actor=world.staff.case), actor=world.staff.approver)
    detail = claim_detail(claim_id=changed.pk, as_of=date(2023, 3, 6))
    assert detail["basis"] == detail["calculation"]["basis"] == "apportioned"
    assert detail["holders_changed_on"] == ["2020-02-02"]
    # Before the holders changed the claim was its plaintiff's own order.
    assert claim_detail(claim_id=changed.pk, as_of=date(2019, 1, 1))["basis"] == "own_order"
