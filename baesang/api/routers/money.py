"""The fund: position and report, ledger balances, statements and verification; donors,
pledges and donations (lists paged by cursor, with the count and the next page's link), and
reversing a donation recorded by mistake (proposed by a finance officer, approved by another
person)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import Id, as_of_or_today, page_out, record_or_404
from baesang.api.schemas import PAGING, EventDate, Page, PageQuery, PlanDate, responses
from baesang.cases.selectors import fund_report
from baesang.donations.models import Donation, DonationReversal, Donor, ReversalState
from baesang.donations.selectors import donations_page, donors_page, fund_position, reversals_page
from baesang.donations.services import (
    donation_record,
    donation_reversal_approve,
    donation_reversal_propose,
    donation_reversal_reject,
    donor_create,
    pledge_create,
)
from baesang.ledger.selectors import account_balance, account_statement_page, ledger_verify

router = Router(tags=["fund, ledger and donations"])


class AsOfQuery(Schema):
    as_of: PlanDate | None = None


@router.get("/fund", response=responses(dict[str, Any]), auth=allowed("view_ledger"),
            summary="The fund report: received, paid, held, available, owed to waiting claims, interest per day")
def fund(request, query: Query[AsOfQuery]):
    return fund_report(as_of=as_of_or_today(query.as_of))


@router.get("/ledger/position", response=responses(dict[str, Any]), auth=allowed("view_ledger"),
            summary="The fund position from the ledger alone")
def position(request, query: Query[AsOfQuery]):
    return fund_position(as_of=query.as_of).as_dict()


class BalanceOut(Schema):
    code: str
    name: str
    type: str
    debits: int
    credits: int
    balance: int
    debits_pending: int
    credits_pending: int
    available: int


@router.get("/ledger/accounts/{code}/balance", response=responses(BalanceOut), auth=allowed("view_ledger"),
            summary="Balance of one ledger account")
def balance(request, code: str, query: Query[AsOfQuery]):
    return account_balance(code=code, as_of=query.as_of)


class StatementQuery(PageQuery):
    date_from: PlanDate | None = None
    date_to: PlanDate | None = None


@router.get("/ledger/accounts/{code}/statement", response=responses(Page[dict[str, Any]]),
            auth=allowed("view_ledger"), summary="Statement of one ledger account, a page at a time",
            description=PAGING + " Lines by value date and sequence, each with the running balance (carried "
            "from page to page in the cursor); with `date_from` the first page opens with the balance before "
            "it (a line in addition to the `limit` movements). No `count`.")
def statement(request, code: str, query: Query[StatementQuery]):
    page = account_statement_page(code=code, date_from=query.date_from, date_to=query.date_to,
                                  cursor=query.cursor, limit=query.limit)
    return page_out(request, page, items=[asdict(line) for line in page.items])


class VerifyOut(Schema):
    ok: bool
    transfers: int
    accounts: int
    head_hash: str
    first_bad_transfer: str | None
    seq: int | None
    account: str | None
    reason: str


@router.post("/ledger/verify", response=responses(VerifyOut), auth=allowed("verify_ledger"),
             summary="Recompute the hash chain and the balances; name the first transfer that breaks")
def verify(request):
    return ledger_verify()


# --------------------------------------------------------------------------- donations

class DonorOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    brn: str
    may_be_named_publicly: bool


class DonorIn(Schema):
    name: str = F(..., min_length=1, max_length=200)
    kind: Literal["company", "association", "individual", "government"]
    country: str = F(..., min_length=2, max_length=2)
    brn: str = F("", max_length=12, description="business registration number (사업자등록번호)")
    may_be_named_publicly: bool = False


class DonorsQuery(PageQuery):
    search: str = F("", max_length=200, description="part of the name, or the first digits of the registration number")


@router.get("/donors", response=responses(Page[DonorOut]), auth=allowed("view_donations"),
            summary="Donors, in the order registered, a page at a time (limit, cursor; count and next link)",
            description=PAGING)
def donors(request, query: Query[DonorsQuery]):
    page, count = donors_page(cursor=query.cursor, limit=query.limit, search=query.search)
    return page_out(request, page, count=count)


@router.post("/donors", response=responses(DonorOut, 201), auth=allowed("record_donation"),
             summary="Register a donor")
def donor_create_endpoint(request, payload: DonorIn):
    return 201, donor_create(name=payload.name, kind=payload.kind, country=payload.country, brn=payload.brn,
                             may_be_named_publicly=payload.may_be_named_publicly, user=request.auth)


class PledgeIn(Schema):
    amount: int = F(..., ge=1, le=10**15)
    pledged_on: EventDate
    expected_on: PlanDate | None = None
    conditions: str = F("", max_length=2000)
    restricted: bool = True


class PledgeOut(Schema):
    id: int
    donor: int = F(alias="donor_id")
    amount: int
    pledged_on: date
    expected_on: date | None
    restricted: bool
    withdrawn_on: date | None


@router.post("/donors/{donor_id}/pledges", response=responses(PledgeOut, 201), auth=allowed("record_donation"),
             summary="Record a donor's pledge")
def pledge_create_endpoint(request, donor_id: int, payload: PledgeIn):
    donor = record_or_404(Donor, donor_id, "donor")
    return 201, pledge_create(donor=donor, amount=payload.amount, pledged_on=payload.pledged_on,
                              expected_on=payload.expected_on, conditions=payload.conditions,
                              restricted=payload.restricted, user=request.auth)


class DonationOut(Schema):
    id: int
    donor: int = F(alias="donor_id")
    value_date: date
    bank_reference: str
    currency: str
    original_amount: Decimal
    rate: Decimal
    amount_won: int
    restricted: bool
    reversed: bool = F(False, description="the donation was reversed (its reversal approved and booked)")

    @staticmethod
    def resolve_reversed(donation: Donation) -> bool:
        known = getattr(donation, "is_reversed", None)
        if known is not None:
            return bool(known)
        return donation.reversals.filter(state=ReversalState.APPROVED).exists()


class DonationIn(Schema):
    donor: Id
    value_date: EventDate
    bank_reference: str = F(..., min_length=1, max_length=100)
    amount: Decimal = F(..., gt=0, max_digits=24, decimal_places=4)
    currency: str = F("KRW", min_length=3, max_length=3)
    rate: Decimal | None = F(None, gt=0, max_digits=18, decimal_places=6)
    restricted: bool = True


class DonationsQuery(PageQuery):
    year: int | None = F(None, ge=1945, le=9999, description="only donations received in this year")
    donor: Id | None = F(None, description="only this donor's donations")


@router.get("/donations", response=responses(Page[DonationOut]), auth=allowed("view_donations"),
            summary="Donations received, in the order recorded, a page at a time (limit, cursor; count and next link)",
            description=PAGING)
def donations(request, query: Query[DonationsQuery]):
    page, count = donations_page(cursor=query.cursor, limit=query.limit, year=query.year, donor=query.donor)
    return page_out(request, page, count=count)


@router.post("/donations", response=responses(DonationOut, 201), auth=allowed("record_donation"),
             summary="Record a donation received (booked in the ledger once, in won)")
def donation_record_endpoint(request, payload: DonationIn):
    donor = record_or_404(Donor, payload.donor, "donor")
    return 201, donation_record(donor=donor, value_date=payload.value_date, bank_reference=payload.bank_reference,
                                amount=payload.amount, restricted=payload.restricted, currency=payload.currency,
                                rate=payload.rate, user=request.auth)


# --------------------------------------------------------------------------- reversals

class ReversalOut(Schema):
    id: int
    donation: int = F(alias="donation_id")
    bank_reference: str
    amount_won: int
    state: Literal["proposed", "approved", "rejected"]
    reason: str
    proposed_by: str
    decided_by: str | None
    decision_note: str
    reversed_on: date | None
    transfer: str | None = F(alias="transfer_id")
    receipt_cancelled: str | None = F(None, description="number of the receipt cancelled by the reversal")

    @staticmethod
    def resolve_bank_reference(reversal: DonationReversal) -> str:
        return reversal.donation.bank_reference

    @staticmethod
    def resolve_amount_won(reversal: DonationReversal) -> int:
        return reversal.donation.amount_won

    @staticmethod
    def resolve_proposed_by(reversal: DonationReversal) -> str:
        return reversal.proposed_by.get_username()

    @staticmethod
    def resolve_decided_by(reversal: DonationReversal) -> str | None:
        return reversal.decided_by.get_username() if reversal.decided_by_id else None

    @staticmethod
    def resolve_receipt_cancelled(reversal: DonationReversal) -> str | None:
        cancellation = getattr(reversal, "receipt_cancellation", None)
        return cancellation.receipt.number if cancellation else None


class ReversalIn(Schema):
    reason: str = F(..., min_length=1, max_length=2000, description="why the donation is reversed")


class ReversalApproveIn(Schema):
    reversed_on: EventDate | None = F(None, description="value date of the reversing transfer (default: today)")


class ReversalRejectIn(Schema):
    note: str = F(..., min_length=1, max_length=2000)


@router.get("/donations/reversals", response=responses(Page[ReversalOut]), auth=allowed("view_donations"),
            summary="Donation reversals, newest first", description=PAGING + " No `count`.")
def reversals(request, query: Query[PageQuery]):
    return page_out(request, reversals_page(cursor=query.cursor, limit=query.limit))


@router.post("/donations/{donation_id}/reversals", response=responses(ReversalOut, 201),
             auth=allowed("propose_donation_reversal"),
             summary="Propose reversing a donation recorded by mistake (an approver must approve it)")
def reversal_propose_endpoint(request, donation_id: int, payload: ReversalIn):
    donation = record_or_404(Donation, donation_id, "donation")
    return 201, donation_reversal_propose(donation=donation, reason=payload.reason, actor=request.auth)


@router.post("/donations/reversals/{reversal_id}/approve", response=responses(ReversalOut),
             auth=allowed("approve_donation_reversal"),
             summary="Approve a proposed reversal (not its proposer): book the reversing transfer, cancel the receipt")
def reversal_approve_endpoint(request, reversal_id: int, payload: ReversalApproveIn):
    reversal = record_or_404(DonationReversal, reversal_id, "donation reversal")
    return donation_reversal_approve(reversal=reversal, approver=request.auth, reversed_on=payload.reversed_on)


@router.post("/donations/reversals/{reversal_id}/reject", response=responses(ReversalOut),
             auth=allowed("approve_donation_reversal"), summary="Reject a proposed reversal (not its proposer)")
def reversal_reject_endpoint(request, reversal_id: int, payload: ReversalRejectIn):
    reversal = record_or_404(DonationReversal, reversal_id, "donation reversal")
    return donation_reversal_reject(reversal=reversal, approver=request.auth, note=payload.note)
