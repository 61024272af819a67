"""Payment batches from preparation to the bank's answer: amounts to the won, four eyes,
money reserved all or none, never paid twice, the indemnity claim and the ledger agreeing."""

from __future__ import annotations

import csv
import io
from datetime import date
from fractions import Fraction

import pytest
from casework_support import accept_all, fund_donate
from django.db import IntegrityError, transaction

from baesang.cases import holdings, services
from baesang.cases.errors import (
    BankResultInvalid,
    EmptyBatch,
    FourEyesViolation,
    IllegalTransition,
    InsufficientFund,
)
from baesang.cases.models import BatchLine, ClaimHolding, IndemnityClaim, PaymentBatch
from baesang.cases.selectors import batch_detail, paid_total
from baesang.core.models import AuditEvent
from baesang.core.permissions import ActionNotPermitted
from baesang.donations.selectors import fund_position
from baesang.judgments.models import Claim
from baesang.ledger import accounts
from baesang.ledger.models import Transfer
from baesang.ledger.selectors import account_balance, ledger_verify
from baesang.pii.models import PersonalDataAccess

# DOMAIN.md §3 public check: 100,000,000 won at 20 % from 2013-06-19 to 2018-11-01 is
# 5 years + 136/365 → 107,452,054.79 won of interest, 107,452,054 won truncated.
PUBLIC_DATE = date(2018, 11, 1)
PUBLIC_INTEREST = 107_452_054


def results_for(bank_file: str, failed: set[int] = frozenset()) -> list[services.BankResult]:
    rows = csv.DictReader(io.StringIO(bank_file))
    return [services.BankResult(line=int(r["line"]), amount=int(r["amount"]),
                                status="failed" if int(r["line"]) in failed else "paid",
                                bank_reference=f"BANK-{r['line']}", reason="account closed" if int(r["line"]) in
                                failed else "") for r in rows]


def run_batch(world, payment_date=PUBLIC_DATE, failed_holders=()):
    staff = world.staff
    batch = services.batch_prepare(payment_date=payment_date, preparer=staff.finance)
    services.batch_approve(batch=batch, approver=staff.approver)
    bank_file = services.batch_export(batch=batch, actor=staff.finance)
    failed = set(BatchLine.objects.filter(batch=batch, holder__in=failed_holders).values_list("pk", flat=True))
    summary = services.batch_result_import(batch=batch, results=results_for(bank_file.content, failed),
                                           actor=staff.finance)
    return batch, bank_file, summary


@pytest.mark.django_db
def test_a_batch_pays_the_amount_due_to_the_day_and_books_it(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    accept_all(world, claim, offered_on=date(2018, 10, 31), verified_on=date(2018, 10, 31))
    batch, bank_file, summary = run_batch(world)

    line = BatchLine.objects.get(batch=batch)
    assert line.interest_part == PUBLIC_INTEREST
    assert line.principal_part == 100_000_000
    assert line.amount == 100_000_000 + PUBLIC_INTEREST
    assert line.batch_claim.sheet["interest"] == PUBLIC_INTEREST
    # 5 whole years (2013-06-19 to 2018-06-18, 1,826 days), then 136 days over 365
    assert [(row["years"], row["days"]) for row in line.batch_claim.sheet["lines"]] == [(5, 1826), (0, 136)]
    assert summary.paid == 1 and summary.settled
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.SETTLED
    claim.refresh_from_db()
    assert claim.state == Claim.PAID
    # The ledger agrees: the bank paid out exactly the line, the payments account holds it.
    assert account_balance(code=accounts.BANK).balance == 1_000_000_000 - line.amount
    assert account_balance(code=accounts.JUDGMENT_PAYMENTS_EXPENSE).balance == line.amount == paid_total()
    assert fund_position().reserved == 0
    # Indemnity (구상권) against the debtor for the amount paid, limitation ten years (Art. 162(1)).
    indemnity = IndemnityClaim.objects.get(line=line)
    assert indemnity.amount == line.amount and indemnity.debtor == world.debtor
    assert indemnity.limitation_on == date(2028, 11, 1)
    assert account_balance(code=f"{accounts.INDEMNITY_RECEIVABLE_PREFIX}NSC").balance == line.amount
    assert ledger_verify().ok


@pytest.mark.django_db
def test_heirs_are_paid_parts_that_add_up_to_the_claim_exactly(world):
    fund_donate(1_000_000_000)
    heirs = {world.person("배우자"): Fraction(3, 7), world.person("장남"): Fraction(2, 7),
             world.person("장녀"): Fraction(2, 7)}
    claim = world.claim(heirs=heirs)
    accept_all(world, claim, offered_on=date(2018, 10, 31), verified_on=date(2018, 10, 31))
    batch, _, _ = run_batch(world)
    lines = list(BatchLine.objects.filter(batch=batch))
    total = 100_000_000 + PUBLIC_INTEREST
    assert sum(line.amount for line in lines) == total
    assert sum(line.principal_part for line in lines) == 100_000_000
    for line in lines:
        exact = total * Fraction(line.share_numerator, line.share_denominator)
        assert abs(line.amount - exact) < 1


@pytest.mark.django_db
def test_only_another_approver_can_approve(world):
    fund_donate(1_000_000_000)
    accept_all(world, world.claim())
    staff = world.staff
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=staff.both)
    with pytest.raises(FourEyesViolation):
        services.batch_approve(batch=batch, approver=staff.both)
    with pytest.raises(ActionNotPermitted):
        services.batch_approve(batch=batch, approver=staff.finance)
    with pytest.raises(ActionNotPermitted):
        services.batch_prepare(payment_date=date(2023, 4, 10), preparer=staff.approver)
    # The database refuses it too, whatever code writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(state=PaymentBatch.APPROVED, approved_by=staff.both)
    services.batch_approve(batch=batch, approver=staff.approver)
    with pytest.raises(IllegalTransition):
        services.batch_approve(batch=batch, approver=staff.approver2)


@pytest.mark.django_db
def test_approval_fails_as_a_whole_when_the_fund_is_short(world):
    fund_donate(300_000_000)
    for _ in range(3):
        accept_all(world, world.claim())
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    assert batch.total_amount > 300_000_000  # three claims of about 290 M won each
    with pytest.raises(InsufficientFund, match="available"):
        services.batch_approve(batch=batch, approver=world.staff.approver)
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.PREPARED
    assert not Transfer.objects.filter(kind="pending").exists()
    assert set(BatchLine.objects.filter(batch=batch).values_list("state", flat=True)) == {BatchLine.OPEN}
    # A smaller batch fits: cancel, prepare one claim, approve.
    services.batch_cancel(batch=batch, actor=world.staff.finance, reason="fund short")
    smaller = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance, limit=1)
    services.batch_approve(batch=smaller, approver=world.staff.approver)
    assert fund_position().reserved == smaller.total_amount


@pytest.mark.django_db
def test_a_failed_line_is_voided_and_paid_in_a_later_batch_but_nobody_twice(world):
    fund_donate(2_000_000_000)
    first, second = world.claim(), world.claim()
    accept_all(world, first)
    accept_all(world, second)
    failed_holder = second.holdings.get().holder
    batch, bank_file, summary = run_batch(world, date(2023, 4, 10), failed_holders=[failed_holder])
    assert (summary.paid, summary.failed) == (1, 1)
    failed_line = BatchLine.objects.get(batch=batch, holder=failed_holder)
    assert failed_line.state == BatchLine.FAILED and failed_line.failure_reason == "account closed"
    assert Transfer.objects.filter(kind="void_pending").count() == 1
    assert not IndemnityClaim.objects.filter(line=failed_line).exists()
    # Posting the voided line later is refused.
    with pytest.raises(BankResultInvalid, match="already failed"):
        services.batch_result_import(batch=batch, results=results_for(bank_file.content), actor=world.staff.finance)
    # The same answer again changes nothing.
    again = services.batch_result_import(batch=batch, results=results_for(bank_file.content, {failed_line.pk}),
                                         actor=world.staff.finance)
    assert (again.paid, again.failed, again.unchanged) == (0, 0, 2)
    # Next batch: only the failed holder, paid on the new date with interest to that day.
    later, _, _ = run_batch(world, date(2023, 5, 10))
    line = BatchLine.objects.get(batch=later)
    assert line.holder == failed_holder and line.amount > failed_line.amount
    with pytest.raises(EmptyBatch):
        services.batch_prepare(payment_date=date(2023, 6, 1), preparer=world.staff.finance)
    assert BatchLine.objects.filter(state=BatchLine.PAID).count() == 2
    assert account_balance(code=accounts.JUDGMENT_PAYMENTS_EXPENSE).balance == paid_total()
    assert ledger_verify().ok


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_line_for_the_same_holder(world):
    fund_donate(1_000_000_000)
    accept_all(world, world.claim())
    batch, _, _ = run_batch(world, date(2023, 4, 10))
    paid = BatchLine.objects.get(batch=batch)
    other = PaymentBatch.objects.create(payment_date=date(2023, 5, 1), prepared_by=world.staff.finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchLine.objects.create(
            batch=other, batch_claim=paid.batch_claim, claim=paid.claim, holding=paid.holding, holder=paid.holder,
            consent=paid.consent, share_numerator=1, share_denominator=1, principal_part=1, interest_part=0,
            amount=1, state=BatchLine.OPEN)


@pytest.mark.django_db
def test_a_holder_cannot_be_in_two_open_batches_or_paid_again_even_by_a_buggy_tool(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    accept_all(world, claim)
    stale = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    with pytest.raises(EmptyBatch):  # the holder is in an open batch already
        services.batch_prepare(payment_date=date(2023, 4, 11), preparer=world.staff.finance)
    services.batch_cancel(batch=stale, actor=world.staff.finance, reason="redo")
    run_batch(world, date(2023, 4, 11))
    # Reopening the cancelled batch's line, as a buggy tool might, is refused by the database.
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchLine.objects.filter(batch=stale).update(state=BatchLine.OPEN, live=True)
    assert BatchLine.objects.filter(claim=claim, state__in=BatchLine.LIVE).count() == 1


@pytest.mark.django_db
def test_cancelling_an_approved_batch_releases_the_money(world):
    fund_donate(1_000_000_000)
    accept_all(world, world.claim())
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    assert fund_position().available == 1_000_000_000 - batch.total_amount
    services.batch_cancel(batch=batch, actor=world.staff.approver, reason="wrong date")
    assert fund_position().available == 1_000_000_000
    assert ClaimHolding.objects.get().state == ClaimHolding.ACCEPTED
    again = services.batch_prepare(payment_date=date(2023, 4, 12), preparer=world.staff.finance)
    assert again.line_count == 1
    # An exported batch cannot be cancelled: the bank has the file.
    services.batch_approve(batch=again, approver=world.staff.approver)
    services.batch_export(batch=again, actor=world.staff.finance)
    with pytest.raises(IllegalTransition):
        services.batch_cancel(batch=again, actor=world.staff.finance, reason="too late")


@pytest.mark.django_db
def test_bank_file_lists_each_line_with_its_account(world):
    fund_donate(1_000_000_000)
    claim = world.claim(world.person("박순이", bank_account="123-456-789012"))
    accept_all(world, claim)
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance)
    rows = list(csv.DictReader(io.StringIO(bank_file.content)))
    assert rows[0]["holder"] == "박순이" and rows[0]["account"] == "123-456-789012"
    assert int(rows[0]["amount"]) == batch.total_amount
    # Exporting again (a retry) gives the same file.
    assert services.batch_export(batch=batch, actor=world.staff.finance).sha256 == bank_file.sha256
    # Each export of the accounts in full is in the personal-data access log.

    logged = PersonalDataAccess.objects.filter(entity_type="cases.paymentbatch", entity_id=str(batch.pk))
    assert logged.count() == 2 and logged.first().user == world.staff.finance


@pytest.mark.django_db
def test_a_bank_result_that_contradicts_the_batch_imports_nothing(world):
    fund_donate(1_000_000_000)
    accept_all(world, world.claim())
    accept_all(world, world.claim())
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance)
    results = results_for(bank_file.content)
    wrong = [results[0], services.BankResult(line=results[1].line, amount=results[1].amount - 1, status="paid")]
    with pytest.raises(BankResultInvalid, match="reports"):
        services.batch_result_import(batch=batch, results=wrong, actor=world.staff.finance)
    assert not BatchLine.objects.filter(state=BatchLine.PAID).exists()
    assert not Transfer.objects.filter(kind="post_pending").exists()
    with pytest.raises(BankResultInvalid):
        services.bank_results_parse("line,amount,status\n1,abc,paid\n")


@pytest.mark.django_db
def test_a_payment_to_an_account_changed_shortly_before_is_flagged_at_approval(world, settings):
    # Issue 14 §1: an account changed fewer than BAESANG_ACCOUNT_CHANGE_DAYS before the payment
    # date is flagged to the approver (page and audit row); an older change is not.

    settings.BAESANG_ACCOUNT_CHANGE_DAYS = 30
    fund_donate(1_000_000_000)
    changed, steady = world.claim(), world.claim()
    accept_all(world, changed)
    accept_all(world, steady)
    holder = changed.holdings.get().holder
    proposal = holdings.account_change_propose(person=holder, bank_name="새은행", bank_account="333-000000-01",
                                               actor=world.staff.case, reason="moved bank")
    holdings.holder_change_approve(proposal=proposal, actor=world.staff.approver)
    payment_day = date.today()  # the change was approved today: within the window before the payment
    batch = services.batch_prepare(payment_date=payment_day, preparer=world.staff.finance)
    flagged = batch_detail(batch_id=batch.pk)["recent_account_changes"]
    assert [row["holder"] for row in flagged] == [holder.pk]
    services.batch_approve(batch=batch, approver=world.staff.approver)
    audit = AuditEvent.objects.get(action="batch.approve", entity_id=str(batch.pk))
    assert list(audit.new["recent_account_changes"]) == [str(holder.pk)]
    settings.BAESANG_ACCOUNT_CHANGE_DAYS = 0  # a window of no days flags nothing
    assert batch_detail(batch_id=batch.pk)["recent_account_changes"] == []
