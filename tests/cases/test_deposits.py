"""Court deposits (공탁, Civil Code Art. 487) for holders who refuse: filing to the day,
the deposit office's outcome, objections, and the money moving to and from deposits held."""

from __future__ import annotations

from datetime import date

import pytest
from casework_support import fund_donate

from baesang.cases import services
from baesang.cases.errors import IllegalTransition, InsufficientFund, InvalidDeposit
from baesang.cases.models import ClaimHolding, CourtDeposit, IndemnityClaim
from baesang.donations.selectors import fund_position
from baesang.judgments import services as judgments
from baesang.judgments.models import Claim
from baesang.ledger import accounts
from baesang.ledger.selectors import account_balance, ledger_verify
from baesang.public.claims import claims_with_deposits_held

FILED = date(2023, 7, 3)


def refused_holding(world):
    claim = world.claim()
    holding = claim.holdings.get()
    offer = services.offer_make(holding=holding, offered_on=date(2023, 3, 16), actor=world.staff.case)
    services.offer_refuse(offer=offer, actor=world.staff.case, refused_on=date(2023, 3, 20))
    return claim, holding


@pytest.mark.django_db
def test_a_refused_deposit_releases_the_money_and_an_objection_can_be_dismissed(world):
    fund_donate(1_000_000_000)
    claim, holding = refused_holding(world)
    court = judgments.court_ensure(name="광주지방법원", actor=world.staff.case)
    deposit = services.deposit_file(holding=holding, court=court, filed_on=FILED, actor=world.staff.case)
    # 100 M won at 20 % from 2013-06-19 to 2023-07-03: 10 whole years (200,000,000) and 15 days of
    # a 366-day period (2023-06-19 to 2024-06-18 contains 29 Feb 2024) → 819,672.13 won.
    assert deposit.amount == 100_000_000 + 200_000_000 + 819_672
    assert fund_position().reserved == deposit.amount
    services.deposit_decide(deposit=deposit, outcome="refused", decided_on=date(2023, 7, 4), actor=world.staff.case)
    assert fund_position().reserved == 0
    assert account_balance(code=accounts.DEPOSITS_HELD).balance == 0
    services.deposit_decide(deposit=deposit, outcome="objection_filed", decided_on=date(2023, 7, 10),
                            actor=world.staff.case)
    services.deposit_decide(deposit=deposit, outcome="objection_dismissed", decided_on=date(2023, 8, 11),
                            actor=world.staff.case)
    deposit.refresh_from_db()
    assert deposit.state == CourtDeposit.OBJECTION_DISMISSED
    with pytest.raises(IllegalTransition, match="objection_dismissed"):
        services.deposit_decide(deposit=deposit, outcome="accepted", decided_on=date(2023, 9, 1),
                                actor=world.staff.case)
    claim.refresh_from_db()
    assert claim.state == Claim.REFUSED
    assert account_balance(code=accounts.BANK).balance == 1_000_000_000
    assert ledger_verify().ok


@pytest.mark.django_db
def test_an_accepted_deposit_settles_the_part_records_indemnity_and_can_come_back(world):
    fund_donate(1_000_000_000)
    claim, holding = refused_holding(world)
    court = judgments.court_ensure(name="전주지방법원", actor=world.staff.case)
    deposit = services.deposit_file(holding=holding, court=court, filed_on=FILED, actor=world.staff.finance)
    services.deposit_decide(deposit=deposit, outcome="accepted", decided_on=date(2023, 7, 5), actor=world.staff.case,
                            deposit_number="2023금제101호")
    assert account_balance(code=accounts.DEPOSITS_HELD).balance == deposit.amount
    claim.refresh_from_db()
    assert claim.state == Claim.DEPOSITED
    indemnity = IndemnityClaim.objects.get(deposit=deposit)
    assert indemnity.amount == deposit.amount and indemnity.limitation_on == date(2033, 7, 5)
    with pytest.raises(IllegalTransition):
        services.offer_make(holding=holding, offered_on=date(2023, 8, 1), actor=world.staff.case)
    services.deposit_decide(deposit=deposit, outcome="returned", decided_on=date(2024, 1, 10),
                            actor=world.staff.finance)
    assert account_balance(code=accounts.DEPOSITS_HELD).balance == 0
    assert account_balance(code=accounts.BANK).balance == 1_000_000_000
    indemnity.refresh_from_db()
    assert indemnity.state == IndemnityClaim.CANCELLED
    assert account_balance(code=f"{accounts.INDEMNITY_RECEIVABLE_PREFIX}NSC").balance == 0
    holding.refresh_from_db()
    assert holding.state == ClaimHolding.REFUSED
    assert ledger_verify().ok
    # The public count of claims with a deposit held, as it stood on each day (issue 15 §2):
    # accepted on 2023-07-05, returned on 2024-01-10.
    assert [claims_with_deposits_held(as_of=day) for day in (date(2023, 7, 4), date(2023, 7, 5), date(2024, 1, 9),
                                                             date(2024, 1, 10))] == [0, 1, 1, 0]


@pytest.mark.django_db
def test_only_a_refused_part_is_deposited_once_and_within_the_fund(world):
    fund_donate(100_000_000)
    claim = world.claim()
    court = judgments.court_ensure(name="수원지방법원", actor=world.staff.case)
    with pytest.raises(InvalidDeposit, match="only a refused part"):
        services.deposit_file(holding=claim.holdings.get(), court=court, filed_on=FILED, actor=world.staff.case)
    _, holding = refused_holding(world)
    with pytest.raises(InsufficientFund):  # about 300 M won due, 100 M won in the fund
        services.deposit_file(holding=holding, court=court, filed_on=FILED, actor=world.staff.case)
    assert not CourtDeposit.objects.exists()
    fund_donate(900_000_000, ref="donation-2")
    services.deposit_file(holding=holding, court=court, filed_on=FILED, actor=world.staff.case)
    with pytest.raises(InvalidDeposit, match="live deposit"):
        services.deposit_file(holding=holding, court=court, filed_on=FILED, actor=world.staff.case)
