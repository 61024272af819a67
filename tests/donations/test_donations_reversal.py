"""Reversing a donation recorded by mistake (기부금 입금 취소): proposed by a finance officer with a
reason, approved by another person (four eyes, also a database CHECK), booked once as the reversing
ledger transfer, the receipt cancelled but kept with its number, public and pledge figures following;
and future dates refused (a donation is recorded when received, a pledge when made)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from factories import staff_user

from baesang.core import roles
from baesang.core.errors import ValidationFailed
from baesang.core.models import AuditEvent
from baesang.core.permissions import ActionNotPermitted
from baesang.donations.models import DonationReceipt, DonationReversal, Donor, ReceiptCancellation, ReversalState
from baesang.donations.selectors import donations_standing, fund_position, pledge_outstanding
from baesang.donations.services import (
    FutureDate,
    ReversalExists,
    ReversalFourEyes,
    ReversalNotProposed,
    ReversalReasonRequired,
    donation_record,
    donation_reversal_approve,
    donation_reversal_propose,
    donation_reversal_reject,
    donations_import,
    donor_create,
    pledge_create,
    receipt_issue,
    receipts_issue,
    reversal_transfer_id_for,
)
from baesang.ledger import accounts as chart
from baesang.ledger.models import Transfer
from baesang.ledger.selectors import account_balance, ledger_verify
from baesang.ledger.services import LimitExceeded, TransferSpec, transfers_create
from baesang.public import selectors as public_selectors

HEADER = "date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted\n"


@pytest.fixture
def books(db):
    chart.chart_ensure()


@pytest.fixture
def approver(db):
    return staff_user("approver", roles.APPROVER)


@pytest.fixture
def posco(books, treasurer):
    # POSCO's business registration number from its public disclosures (see test_donations_import).
    return donor_create(name="POSCO", kind="company", country="KR", brn="124-81-00998", user=treasurer)


def _record(donor, treasurer, ref="BANK-1", amount=4_000_000_000, on=date(2023, 3, 15), restricted=True):
    return donation_record(donor=donor, value_date=on, bank_reference=ref, amount=amount, restricted=restricted,
                           user=treasurer)


def test_a_reversal_books_the_reversing_transfer_once_and_cancels_the_receipt(posco, treasurer, approver):
    wrong = _record(posco, treasurer, "BANK-1", 4_000_000_000)
    receipt = receipt_issue(donation=wrong, issued_on=date(2023, 3, 20), user=treasurer)
    assert receipt.number == "2023-000001"

    proposal = donation_reversal_propose(donation=wrong, reason="입금액 오기 (4억 원을 40억 원으로 기록)",
                                         actor=treasurer)
    assert proposal.state == ReversalState.PROPOSED
    assert account_balance(code=chart.BANK).balance == 4_000_000_000  # nothing booked before approval

    done = donation_reversal_approve(reversal=proposal, approver=approver, reversed_on=date(2023, 3, 21))
    assert done.state == ReversalState.APPROVED
    transfer = Transfer.objects.get(pk=reversal_transfer_id_for("BANK-1"))
    assert transfer.amount == 4_000_000_000
    # Dr restricted donations income / Cr bank: both back to zero.
    assert account_balance(code=chart.BANK).balance == 0
    assert account_balance(code=chart.DONATIONS_RESTRICTED).balance == 0
    assert ledger_verify().ok

    # The receipt keeps its number and is marked cancelled with the reason.
    receipt = DonationReceipt.objects.get(pk=receipt.pk)
    assert receipt.number == "2023-000001"
    assert receipt.cancellation.reason == "입금액 오기 (4억 원을 40억 원으로 기록)"
    assert receipt.cancellation.cancelled_on == date(2023, 3, 21)

    # A retry books nothing twice: the reversal is no longer proposed, and the ledger holds one transfer.
    with pytest.raises(ReversalNotProposed):
        donation_reversal_approve(reversal=proposal, approver=approver, reversed_on=date(2023, 3, 21))
    assert Transfer.objects.filter(pk__startswith="donation-reversal:").count() == 1

    # The corrected donation takes a new bank reference and the next gap-free receipt number.
    corrected = _record(posco, treasurer, "BANK-1-1", 400_000_000)
    assert receipts_issue(issued_on=date(2023, 3, 22), user=treasurer)[0].number == "2023-000002"
    assert corrected.receipt.number == "2023-000002"
    assert list(donations_standing().values_list("bank_reference", flat=True)) == ["BANK-1-1"]
    assert fund_position().bank_balance == 400_000_000

    actions = list(AuditEvent.objects.filter(action__startswith="donations.reversal").values_list("action", flat=True))
    assert sorted(actions) == ["donations.reversal_approve", "donations.reversal_propose"]


def test_the_proposer_never_approves(posco, treasurer):
    both = staff_user("both", roles.FINANCE_OFFICER, roles.APPROVER)
    donation = _record(posco, treasurer)
    proposal = donation_reversal_propose(donation=donation, reason="duplicate entry", actor=both)
    with pytest.raises(ReversalFourEyes):
        donation_reversal_approve(reversal=proposal, approver=both)
    with pytest.raises(ReversalFourEyes):
        donation_reversal_reject(reversal=proposal, approver=both, note="no")
    assert not Transfer.objects.filter(pk=reversal_transfer_id_for(donation.bank_reference)).exists()


def test_four_eyes_is_a_database_check(posco, treasurer):
    donation = _record(posco, treasurer)
    proposal = donation_reversal_propose(donation=donation, reason="duplicate entry", actor=treasurer)
    with pytest.raises(IntegrityError), transaction.atomic():
        DonationReversal.objects.filter(pk=proposal.pk).update(decided_by=treasurer)


def test_only_a_finance_officer_proposes_and_only_an_approver_approves(posco, treasurer, approver):
    donation = _record(posco, treasurer)
    with pytest.raises(ActionNotPermitted):
        donation_reversal_propose(donation=donation, reason="x", actor=approver)
    proposal = donation_reversal_propose(donation=donation, reason="x", actor=treasurer)
    other_treasurer = staff_user("treasurer2", roles.FINANCE_OFFICER)
    with pytest.raises(ActionNotPermitted):
        donation_reversal_approve(reversal=proposal, approver=other_treasurer)


def test_a_reason_is_required_and_one_open_reversal_per_donation(posco, treasurer, approver):
    donation = _record(posco, treasurer)
    with pytest.raises(ReversalReasonRequired):
        donation_reversal_propose(donation=donation, reason="   ", actor=treasurer)
    proposal = donation_reversal_propose(donation=donation, reason="wrong donor", actor=treasurer)
    with pytest.raises(ReversalExists):
        donation_reversal_propose(donation=donation, reason="again", actor=treasurer)
    rejected = donation_reversal_reject(reversal=proposal, approver=approver, note="the donor confirmed it")
    assert rejected.state == ReversalState.REJECTED
    assert account_balance(code=chart.BANK).balance == 4_000_000_000
    again = donation_reversal_propose(donation=donation, reason="wrong donor after all", actor=treasurer)
    donation_reversal_approve(reversal=again, approver=approver)
    with pytest.raises(ReversalExists):
        donation_reversal_propose(donation=donation, reason="third time", actor=treasurer)


def test_a_reversed_donation_gets_no_receipt_and_frees_its_pledge(posco, treasurer, approver):
    pledge = pledge_create(donor=posco, amount=6_000_000_000, pledged_on=date(2023, 3, 1), user=treasurer)
    donation = _record(posco, treasurer)
    assert donation.pledge_id == pledge.pk
    assert pledge_outstanding(pledge=pledge) == 2_000_000_000
    donation_reversal_approve(reversal=donation_reversal_propose(donation=donation, reason="x", actor=treasurer),
                              approver=approver)
    assert pledge_outstanding(pledge=pledge) == 6_000_000_000
    assert receipts_issue(issued_on=date(2023, 4, 1), user=treasurer) == []
    assert not ReceiptCancellation.objects.exists()  # it had no receipt to cancel


def test_a_reversed_reference_is_not_recorded_again_but_a_reimport_skips_it(posco, treasurer, approver):
    data = HEADER + "2023-03-15,POSCO,KR,124-81-00998,4000000000,KRW,,BANK-1,yes\n"
    donations_import(data=data, user=treasurer)
    donation = donations_standing().get()
    donation_reversal_approve(reversal=donation_reversal_propose(donation=donation, reason="x", actor=treasurer),
                              approver=approver)
    assert donations_import(data=data, user=treasurer).booked == 0  # the same statement again books nothing
    with pytest.raises(Exception, match="new bank reference"):
        _record(posco, treasurer, "BANK-1")


def test_money_already_paid_out_cannot_be_reversed(posco, treasurer, approver):
    """The bank account never goes negative (docs/ledger.md): the reversal is refused and nothing changes."""
    donation = _record(posco, treasurer, amount=100)
    # 70 won of it left the bank into a court deposit (Dr deposits held / Cr bank): 30 won remain.
    transfers_create(specs=[TransferSpec(id="deposit-1", debit=chart.DEPOSITS_HELD, credit=chart.BANK, amount=70,
                                         value_date=date(2023, 3, 16))], user=treasurer)
    receipt = receipt_issue(donation=donation, issued_on=date(2023, 3, 20), user=treasurer)
    proposal = donation_reversal_propose(donation=donation, reason="x", actor=treasurer)
    with pytest.raises(LimitExceeded):
        donation_reversal_approve(reversal=proposal, approver=approver)
    assert DonationReversal.objects.get(pk=proposal.pk).state == ReversalState.PROPOSED
    assert not ReceiptCancellation.objects.filter(receipt=receipt).exists()
    assert account_balance(code=chart.BANK).balance == 30


# ---------------------------------------------------------------- future dates


def test_a_donation_after_today_is_refused(posco, treasurer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(FutureDate) as caught:
        _record(posco, treasurer, on=tomorrow)
    assert caught.value.field == "value_date"
    assert _record(posco, treasurer, on=timezone.localdate()).value_date == timezone.localdate()


def test_an_import_row_after_today_names_row_and_field(books, treasurer):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = HEADER + ("2023-03-15,POSCO,KR,124-81-00998,10,KRW,,R1,yes\n"
                     f"{tomorrow},POSCO,KR,124-81-00998,10,KRW,,R2,yes\n")
    with pytest.raises(ValidationFailed) as caught:
        donations_import(data=data, user=treasurer)
    [error] = caught.value.errors
    assert (error.row, error.field) == (3, "date")
    assert f"row 3, date: {tomorrow} is after today" in error.message
    assert not Donor.objects.exists()  # all or nothing


def test_a_pledge_after_today_is_refused(posco, treasurer):
    with pytest.raises(FutureDate) as caught:
        pledge_create(donor=posco, amount=1, pledged_on=timezone.localdate() + timedelta(days=1), user=treasurer)
    assert caught.value.field == "pledged_on"
    later = pledge_create(donor=posco, amount=1, pledged_on=timezone.localdate(),
                          expected_on=timezone.localdate() + timedelta(days=365), user=treasurer)
    assert later.expected_on > timezone.localdate()  # the expected date of a pledge may lie ahead


def test_the_public_donations_total_leaves_a_reversed_donation_out(posco, treasurer, approver):
    wrong = _record(posco, treasurer, "BANK-1", 4_000_000_000)
    _record(posco, treasurer, "BANK-2", 100_000_000)
    donation_reversal_approve(reversal=donation_reversal_propose(donation=wrong, reason="x", actor=treasurer),
                              approver=approver)
    public_selectors.cache_clear()
    assert public_selectors.public_summary(as_of=timezone.localdate()).donations_total == 100_000_000
