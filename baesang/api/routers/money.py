"""The fund: position and report, ledger balances, statements and verification; donors,
pledges and donations."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import EARLIEST, LATEST, Id, as_of_or_today, record_or_404
from baesang.api.schemas import responses
from baesang.cases.selectors import fund_report
from baesang.donations.models import Donation, Donor
from baesang.donations.selectors import fund_position
from baesang.donations.services import donation_record, donor_create, pledge_create
from baesang.ledger.selectors import account_balance, account_statement, ledger_verify

router = Router(tags=["fund, ledger and donations"])


class AsOfQuery(Schema):
    as_of: date | None = F(None, ge=EARLIEST, le=LATEST)


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


class StatementQuery(Schema):
    date_from: date | None = F(None, ge=EARLIEST, le=LATEST)
    date_to: date | None = F(None, ge=EARLIEST, le=LATEST)


@router.get("/ledger/accounts/{code}/statement", response=responses(list[dict[str, Any]]),
            auth=allowed("view_ledger"), summary="Statement of one ledger account")
def statement(request, code: str, query: Query[StatementQuery]):

    lines = account_statement(code=code, date_from=query.date_from, date_to=query.date_to)
    return [asdict(line) for line in lines]


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


@router.get("/donors", response=responses(list[DonorOut]), auth=allowed("view_donations"), summary="Donors")
def donors(request):
    return list(Donor.objects.order_by("name", "pk"))


@router.post("/donors", response=responses(DonorOut, 201), auth=allowed("record_donation"),
             summary="Register a donor")
def donor_create_endpoint(request, payload: DonorIn):
    return 201, donor_create(name=payload.name, kind=payload.kind, country=payload.country, brn=payload.brn,
                             may_be_named_publicly=payload.may_be_named_publicly, user=request.auth)


class PledgeIn(Schema):
    amount: int = F(..., ge=1, le=10**15)
    pledged_on: date = F(..., ge=EARLIEST, le=LATEST)
    expected_on: date | None = F(None, ge=EARLIEST, le=LATEST)
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


class DonationIn(Schema):
    donor: Id
    value_date: date = F(..., ge=EARLIEST, le=LATEST)
    bank_reference: str = F(..., min_length=1, max_length=100)
    amount: Decimal = F(..., gt=0, max_digits=24, decimal_places=4)
    currency: str = F("KRW", min_length=3, max_length=3)
    rate: Decimal | None = F(None, gt=0, max_digits=18, decimal_places=6)
    restricted: bool = True


@router.get("/donations", response=responses(list[DonationOut]), auth=allowed("view_donations"),
            summary="Donations received, newest first")
def donations(request):
    return list(Donation.objects.order_by("-value_date", "-pk")[:1000])


@router.post("/donations", response=responses(DonationOut, 201), auth=allowed("record_donation"),
             summary="Record a donation received (booked in the ledger once, in won)")
def donation_record_endpoint(request, payload: DonationIn):
    donor = record_or_404(Donor, payload.donor, "donor")
    return 201, donation_record(donor=donor, value_date=payload.value_date, bank_reference=payload.bank_reference,
                                amount=payload.amount, restricted=payload.restricted, currency=payload.currency,
                                rate=payload.rate, user=request.auth)
