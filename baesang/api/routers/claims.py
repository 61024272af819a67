"""Claims: what is owed and to whom, the calculation sheet, the waiting list; offers, consent
(with its verification record) and refusal; court deposits."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import Id, as_of_or_today, page_out, record_or_404
from baesang.api.schemas import PAGING, Page, PageQuery, PlanDate, responses
from baesang.cases.models import ClaimHolding, ConsentVerification, CourtDeposit, Offer
from baesang.cases.selectors import claim_detail, claims_page, waiting_page
from baesang.cases.services import (
    claim_offers_make,
    deposit_decide,
    deposit_file,
    offer_accept,
    offer_make,
    offer_refuse,
    offer_withdraw,
)
from baesang.judgments.models import Claim, Document
from baesang.judgments.orders import rounding_policy

router = Router(tags=["claims and consent"])

ClaimState = Literal["registered", "offered", "accepted", "refused", "deposited", "paid"]
AsOf = F(None, description="the day the amounts are computed for (default: today)")


class ClaimsQuery(PageQuery):
    as_of: PlanDate | None = AsOf
    state: ClaimState | None = None


class HolderShort(Schema):
    name: str
    share: str = F(description="exact fraction, e.g. 3/13")


class ClaimRow(Schema):
    id: int
    case_number: str
    victim_name: str
    state: str
    amount_due: int = F(description="still owed on as_of: principal and interest, whole won")
    holders: list[HolderShort]


@router.get("/claims", response=responses(Page[ClaimRow]), auth=allowed("view_claims"),
            summary="Claims with what is still owed on them and their holders, by case number, a page at a time",
            description=PAGING + " No `count`: counting claims in a state on a day computes every claim.")
def claims(request, query: Query[ClaimsQuery]):
    page = claims_page(as_of=as_of_or_today(query.as_of), state=query.state, cursor=query.cursor, limit=query.limit)
    return page_out(request, page)


class AsOfQuery(Schema):
    as_of: PlanDate | None = AsOf


class ClaimDetail(Schema):
    id: int
    case_number: str
    position: int
    court: str
    debtor: str
    final_on: date
    victim_name: str
    victim_living: bool
    state: str
    principal: int
    segments: list[dict[str, Any]]
    as_of: date
    calculation: dict[str, Any] = F(description="the calculation sheet: segments, periods, interest, rounding")
    outstanding: int
    interest_per_day: str = F(description="exact fraction of won accruing per day")
    holders: list[dict[str, Any]]
    history: list[dict[str, Any]]
    offers: list[dict[str, Any]]
    deposits: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    indemnity: list[dict[str, Any]]


@router.get("/claims/{claim_id}", response=responses(ClaimDetail), auth=allowed("view_claims"),
            summary="One claim: calculation sheet, holders and shares, offers, consents, deposits, payments")
def claim(request, claim_id: int, query: Query[AsOfQuery]):
    record_or_404(Claim, claim_id, "claim")
    return claim_detail(claim_id=claim_id, as_of=as_of_or_today(query.as_of))


class WaitingQuery(PageQuery):
    as_of: PlanDate | None = AsOf
    policy: Literal["earliest_final", "oldest_living"] = "earliest_final"


class WaitingRow(Schema):
    rank: int = F(description="place in the waiting order (1 = paid first)")
    claim: int
    case_number: str
    position: int
    victim_name: str
    victim_living: bool
    final_on: date
    state: str
    amount_due: int = F(description="owed to the waiting holders on as_of, whole won")
    interest_per_day: int = F(description="interest accruing per day, rounded by the rounding policy")
    interest_per_day_exact: str = F(description="the same as an exact fraction of won")


class WaitingPage(Page[WaitingRow]):
    as_of: date
    policy: str


@router.get("/waiting-list", response=responses(WaitingPage), auth=allowed("view_claims"),
            summary="Claims whose holders the fund has not reached, in order, with the interest cost per day",
            description=PAGING + " No `count` and no totals on a page (they compute every claim): the "
            "totals are in `GET /api/fund` (owed to waiting claims, interest per day).")
def waiting_list(request, query: Query[WaitingQuery]):
    as_of = as_of_or_today(query.as_of)
    page = waiting_page(as_of=as_of, policy=query.policy, cursor=query.cursor, limit=query.limit)
    rounding = rounding_policy()
    return {"as_of": as_of, "policy": query.policy,
            **page_out(request, page, items=[row.as_json(rounding) for row in page.items])}


# --------------------------------------------------------------------------- offers and consent

OfferChannel = Literal["visit", "letter", "phone", "lawyer"]


class OfferOut(Schema):
    id: int
    holding: int = F(alias="holding_id")
    offered_on: date
    channel: str
    amount_quoted: int
    state: str
    answered_on: date | None


class OfferIn(Schema):
    offered_on: PlanDate
    channel: OfferChannel = "visit"


@router.post("/holdings/{holding_id}/offers", response=responses(OfferOut, 201), auth=allowed("record_consent"),
             summary="Offer one holder their part (amount quoted as of the offer date)")
def holding_offer(request, holding_id: int, payload: OfferIn):
    holding = record_or_404(ClaimHolding, holding_id, "holding")
    return 201, offer_make(holding=holding, offered_on=payload.offered_on, actor=request.auth,
                           channel=payload.channel)


@router.post("/claims/{claim_id}/offers", response=responses(list[OfferOut], 201), auth=allowed("record_consent"),
             summary="Offer every current holder of a claim without an offer their part")
def claim_offers(request, claim_id: int, payload: OfferIn):
    found = record_or_404(Claim, claim_id, "claim")
    return 201, claim_offers_make(claim=found, offered_on=payload.offered_on, actor=request.auth,
                                  channel=payload.channel)


class AcceptIn(Schema):
    verified_on: PlanDate
    identity_method: Literal["id_card_in_person", "resident_certificate", "notarised", "video_call"]
    capacity: Literal["self", "guardian", "proxy"]
    witness_name: str = F(..., min_length=1, max_length=100)
    form_document: Id = F(..., description="id of the signed consent form (POST /api/documents, kind consent_form)")
    representative_name: str = F("", max_length=100)
    representative_document: Id | None = F(None, description="court document appointing the guardian or proxy")


class ConsentOut(Schema):
    id: int
    offer: int = F(alias="offer_id")
    holding: int = F(alias="holding_id")
    verified_on: date
    identity_method: str
    capacity: str
    witness_name: str
    form_document: Id = F(alias="form_document_id")


@router.post("/offers/{offer_id}/accept", response=responses(ConsentOut, 201), auth=allowed("record_consent"),
             summary="Record an acceptance with its verification (identity, capacity, witness, signed form)")
def offer_accept_endpoint(request, offer_id: int, payload: AcceptIn):
    offer = record_or_404(Offer, offer_id, "offer")
    form = record_or_404(Document, payload.form_document, "document")
    representative = (record_or_404(Document, payload.representative_document, "document")
                      if payload.representative_document is not None else None)
    consent = offer_accept(
        offer=offer, actor=request.auth, verified_on=payload.verified_on, identity_method=payload.identity_method,
        capacity=payload.capacity, witness_name=payload.witness_name, form_document=form,
        representative_name=payload.representative_name, representative_document=representative)
    return 201, ConsentVerification.objects.get(pk=consent.pk)


class RefuseIn(Schema):
    refused_on: PlanDate
    reason: str = F("", max_length=2000)


@router.post("/offers/{offer_id}/refuse", response=responses(OfferOut), auth=allowed("record_consent"),
             summary="Record that the holder refused the foundation's money (수령 거부)")
def offer_refuse_endpoint(request, offer_id: int, payload: RefuseIn):
    offer = record_or_404(Offer, offer_id, "offer")
    return offer_refuse(offer=offer, actor=request.auth, refused_on=payload.refused_on, reason=payload.reason)


class WithdrawIn(Schema):
    on: PlanDate
    reason: str = F(..., min_length=1, max_length=2000)


@router.post("/offers/{offer_id}/withdraw", response=responses(OfferOut), auth=allowed("record_consent"),
             summary="Withdraw an open offer")
def offer_withdraw_endpoint(request, offer_id: int, payload: WithdrawIn):
    offer = record_or_404(Offer, offer_id, "offer")
    return offer_withdraw(offer=offer, actor=request.auth, on=payload.on, reason=payload.reason)


# --------------------------------------------------------------------------- court deposits


class DepositOut(Schema):
    id: int
    holding: int = F(alias="holding_id")
    court: str = F(alias="court.name")
    filed_on: date
    amount: int
    state: str
    decided_on: date | None


class DepositIn(Schema):
    court: str = F(..., min_length=1, max_length=100,
                   description="name of the court or deposit office (법원명); registered when new")
    filed_on: PlanDate
    deposit_number: str = F("", max_length=60)
    note: str = F("", max_length=2000)


@router.post("/holdings/{holding_id}/deposits", response=responses(DepositOut, 201),
             auth=allowed("manage_deposits"), summary="File a court deposit (변제공탁) of a refusing holder's part")
def deposit_file_endpoint(request, holding_id: int, payload: DepositIn):
    holding = record_or_404(ClaimHolding, holding_id, "holding")
    deposit = deposit_file(holding=holding, court_name=payload.court, filed_on=payload.filed_on, actor=request.auth,
                           deposit_number=payload.deposit_number, note=payload.note)
    return 201, CourtDeposit.objects.select_related("court").get(pk=deposit.pk)


class DecisionIn(Schema):
    outcome: Literal["accepted", "refused", "objection_filed", "objection_dismissed", "returned"]
    decided_on: PlanDate
    document: Id | None = None
    deposit_number: str = F("", max_length=60)
    note: str = F("", max_length=2000)


@router.post("/deposits/{deposit_id}/decision", response=responses(DepositOut), auth=allowed("manage_deposits"),
             summary="Record the deposit office's or court's decision (수리, 불수리, 이의 …)")
def deposit_decide_endpoint(request, deposit_id: int, payload: DecisionIn):
    deposit = record_or_404(CourtDeposit, deposit_id, "deposit")
    document = record_or_404(Document, payload.document, "document") if payload.document is not None else None
    decided = deposit_decide(deposit=deposit, outcome=payload.outcome, decided_on=payload.decided_on,
                             actor=request.auth, document=document, deposit_number=payload.deposit_number,
                             note=payload.note)
    return CourtDeposit.objects.select_related("court").get(pk=decided.pk)
