"""The waiting list (policy order, daily interest cost) and the fund report, reconciled with the ledger."""

from __future__ import annotations

import io
import json
from datetime import date
from fractions import Fraction

import pytest
from casework_support import accept_all, fund_donate
from django.core.management import call_command

from baesang.cases import services
from baesang.cases.selectors import (
    claim_detail,
    claims_list,
    claims_list_iter,
    claims_waiting,
    fund_report,
    paid_total,
)
from baesang.ledger import accounts
from baesang.ledger.selectors import account_balance

AS_OF = date(2023, 3, 6)
REPORT_KEYS = {"donations_received", "paid", "deposits_held", "balance", "reserved", "available", "owed_waiting",
               "interest_per_day", "claims"}


@pytest.fixture
def three_claims(world):
    older = world.person("노인갑", birth_date=date(1924, 1, 1))
    younger = world.person("노인을", birth_date=date(1930, 1, 1))
    dead = world.person("고인병", birth_date=date(1920, 1, 1), death_date=date(2015, 1, 1))
    first = world.claim(younger)
    second = world.claim(dead, heirs={world.person("상속인병"): Fraction(1)})
    third = world.claim(older)
    return first, second, third


@pytest.mark.django_db
def test_the_waiting_list_is_ordered_by_policy_and_prices_a_day_of_waiting(world, three_claims):
    first, second, third = three_claims
    earliest = claims_waiting(as_of=AS_OF)
    # All three come from the same judgment: earliest final first, then plaintiff number.
    assert [row.claim_id for row in earliest.claims] == [first.pk, second.pk, third.pk]
    oldest = claims_waiting(as_of=AS_OF, policy="oldest_living")
    assert [row.claim_id for row in oldest.claims] == [third.pk, first.pk, second.pk]
    # One day of waiting costs principal × 20 % / 365 on each claim (2023-03-06 lies in the
    # one-year period 2022-06-19..2023-06-18 of 365 days): 100,000,000 × 0.2 / 365 ≈ 54,794.52 won.
    assert earliest.claims[0].interest_per_day == Fraction(100_000_000 * 20, 100 * 365)
    assert earliest.interest_per_day == 3 * Fraction(100_000_000 * 20, 100 * 365)
    assert earliest.total_due == 3 * 294_301_369  # 100 M + 9 years × 20 M + 261/365 × 20 M (truncated)
    with pytest.raises(ValueError):
        claims_waiting(as_of=AS_OF, policy="richest_first")


@pytest.mark.django_db
def test_the_fund_report_reconciles_with_the_ledger(world, three_claims):
    first, second, third = three_claims
    fund_donate(4_000_000_000)
    accept_all(world, first)
    accept_all(world, second)
    batch = services.batch_prepare(payment_date=date(2023, 4, 12), preparer=world.staff.finance, claims=[first])
    services.batch_approve(batch=batch, approver=world.staff.approver)
    reserved = fund_report(as_of=date(2023, 4, 12))
    assert set(reserved) - {"as_of"} == REPORT_KEYS
    assert reserved["reserved"] == batch.total_amount
    assert reserved["available"] == 4_000_000_000 - batch.total_amount
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance)
    line = bank_file.content.splitlines()[1].split(",")
    services.batch_result_import(batch=batch, actor=world.staff.finance, results=[
        services.BankResult(line=int(line[0]), amount=int(line[-1]), status="paid")])
    report = fund_report(as_of=date(2023, 4, 12))
    assert report["donations_received"] == 4_000_000_000
    assert report["paid"] == batch.total_amount == paid_total()
    assert report["balance"] == 4_000_000_000 - batch.total_amount == account_balance(code=accounts.BANK).balance
    assert report["reserved"] == 0 and report["deposits_held"] == 0
    waiting = claims_waiting(as_of=date(2023, 4, 12))
    assert report["owed_waiting"] == waiting.total_due and len(waiting.claims) == 2
    assert report["claims"]["paid"] == 1 and report["claims"]["accepted"] == 1
    assert report["claims"]["registered"] == 1 and report["claims"]["waiting"] == 2
    # Before the payment date, the paid claim was still owed.
    earlier = fund_report(as_of=date(2023, 3, 20))
    assert earlier["paid"] == 0 and earlier["claims"]["waiting"] == 3


@pytest.mark.django_db
def test_claims_list_and_detail_show_amounts_and_holders(world):
    heirs = {world.person("상속인갑"): Fraction(2, 3), world.person("상속인을"): Fraction(1, 3)}
    claim = world.claim(heirs=heirs)
    [row] = claims_list(as_of=AS_OF)
    assert row["case_number"] == "2013다61381" and row["amount_due"] == 294_301_369
    assert sorted(h["share"] for h in row["holders"]) == ["1/3", "2/3"]
    detail = claim_detail(claim_id=claim.pk, as_of=AS_OF)
    assert detail["calculation"]["total"] == 294_301_369
    assert sum(h["amount"] for h in detail["holders"]) == 294_301_369
    assert claims_list(as_of=AS_OF, state="paid") == []


@pytest.mark.django_db
def test_a_limited_batch_takes_the_first_claims_of_the_configured_waiting_order(world, three_claims, settings):
    first, second, third = three_claims
    fund_donate(4_000_000_000)
    for claim in three_claims:
        accept_all(world, claim)
    settings.BAESANG_WAITING_POLICY = "oldest_living"
    assert [row.claim_id for row in claims_waiting(as_of=AS_OF).claims] == [third.pk, first.pk, second.pk]
    batch = services.batch_prepare(payment_date=date(2023, 4, 12), preparer=world.staff.finance, limit=2)
    assert set(batch.lines.values_list("claim_id", flat=True)) == {third.pk, first.pk}
    services.batch_cancel(batch=batch, actor=world.staff.finance, reason="policy check")
    batch = services.batch_prepare(payment_date=date(2023, 4, 12), preparer=world.staff.finance, limit=1,
                                   policy="earliest_final")
    assert set(batch.lines.values_list("claim_id", flat=True)) == {first.pk}


def test_claims_list_json_is_streamed_as_one_array_equal_to_the_list(world, three_claims):
    """`claims list --json` writes one JSON array a claim at a time; read back it is the list of
    claims_list, in its order, also when the claims span several chunks."""
    today = date.today()
    expected = json.loads(json.dumps(claims_list(as_of=today), default=str))
    assert len(expected) == 3
    assert [row["id"] for row in claims_list_iter(as_of=today, chunk=2)] == [row["id"] for row in expected]
    out = io.StringIO()
    call_command("claims", "list", "--json", stdout=out)
    assert json.loads(out.getvalue()) == expected
