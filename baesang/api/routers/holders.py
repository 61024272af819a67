"""Who may receive the money: proposed changes of holders (heirs from a family file, shares from
a document) and of a holder's bank account, approved or rejected by a second person; a person's
death recorded with its evidence. Approving or rejecting needs a second factor through a token
(``X-Baesang-OTP``, see ``baesang/api/auth.py``)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import Id, page_out, record_or_404
from baesang.api.schemas import PAGING, EventDate, LifeDate, Page, PageQuery, responses
from baesang.cases.holdings import (
    account_change_propose,
    holder_change_approve,
    holder_change_reject,
    holders_propose_document,
    holders_propose_family,
    proposals_list,
    proposals_page,
)
from baesang.cases.models import HolderChangeProposal
from baesang.judgments.errors import InvalidShares
from baesang.judgments.models import Claim, Person
from baesang.judgments.services import person_death_record

router = Router(tags=["holders"])


class HolderShare(Schema):
    person: int
    name: str
    share: str


class ProposalOut(Schema):
    id: int
    kind: str
    state: str
    claim: int | None
    person: int | None
    basis: str
    holders: list[HolderShare]
    replaces: list[int]
    decedent: int | None
    family_sha256: str
    regime: str
    document: int | None
    valid_from: date | None
    bank_name: str
    reason: str
    proposed_by: str
    decided_by: str | None
    decision_note: str
    change: int | None


class ProposalsQuery(PageQuery):
    all: bool = F(False, description="also decided proposals")


def _one(proposal_id: int) -> dict[str, Any]:
    return next(row for row in proposals_list(include_decided=True) if row["id"] == proposal_id)


@router.get("/holder-proposals", response=responses(Page[ProposalOut]), auth=allowed("view_claims"),
            summary="Proposed changes of holders and bank accounts (the approval queue), oldest first",
            description=PAGING + " No `count`.")
def proposals(request, query: Query[ProposalsQuery]):
    return page_out(request, proposals_page(include_decided=query.all, cursor=query.cursor, limit=query.limit))


class FamilyProposalIn(Schema):
    family: dict[str, Any] = F(..., description="the family file (docs/succession.md)")
    persons: dict[str, Id] = F(..., description="family-file id → registered person number")
    valid_from: EventDate | None = None
    reason: str = F("", max_length=4000)


@router.post("/claims/{claim_id}/holder-proposals/family", response=responses(ProposalOut, 201),
             auth=allowed("propose_holder_change"),
             summary="Propose the heirs of a family file as holders; it must agree with the recorded persons")
def propose_family(request, claim_id: int, payload: FamilyProposalIn):
    claim = record_or_404(Claim, claim_id, "claim")
    proposal = holders_propose_family(claim=claim, family=payload.family, persons=dict(payload.persons),
                                      actor=request.auth, valid_from=payload.valid_from, reason=payload.reason)
    return 201, _one(proposal.pk)


class DocumentProposalIn(Schema):
    document: Id
    shares: dict[str, str] = F(..., description="person number → share of the replaced part, e.g. '1/2'")
    valid_from: EventDate
    reason: str = F("", max_length=4000)


def _fraction(text: str, person: str) -> Fraction:
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise InvalidShares(f"person {person}: {text!r} is not an exact fraction such as 1/2", field="shares") from None
    return value


@router.post("/claims/{claim_id}/holder-proposals/document", response=responses(ProposalOut, 201),
             auth=allowed("propose_holder_change"), summary="Propose shares entered from a stored document")
def propose_document(request, claim_id: int, payload: DocumentProposalIn):
    claim = record_or_404(Claim, claim_id, "claim")
    shares = {int(person): _fraction(text, person) for person, text in payload.shares.items() if person.isdigit()}
    if len(shares) != len(payload.shares):
        raise InvalidShares("shares are keyed by person number", field="shares")
    proposal = holders_propose_document(claim=claim, shares=shares, document=payload.document, actor=request.auth,
                                        valid_from=payload.valid_from, reason=payload.reason)
    return 201, _one(proposal.pk)


class AccountProposalIn(Schema):
    bank_name: str = F(..., min_length=1, max_length=60)
    bank_account: str = F(..., min_length=1, max_length=40)
    reason: str = F("", max_length=4000)


@router.post("/persons/{person_id}/account-proposals", response=responses(ProposalOut, 201),
             auth=allowed("propose_holder_change"), summary="Propose a new bank account for a holder")
def propose_account(request, person_id: int, payload: AccountProposalIn):
    person = record_or_404(Person, person_id, "person")
    proposal = account_change_propose(person=person, bank_name=payload.bank_name, bank_account=payload.bank_account,
                                      actor=request.auth, reason=payload.reason)
    return 201, _one(proposal.pk)


class DecisionIn(Schema):
    note: str = F("", max_length=4000)


@router.post("/holder-proposals/{proposal_id}/approve", response=responses(ProposalOut),
             auth=allowed("approve_holder_change"),
             summary="Approve a proposal (never one's own); through a token it needs X-Baesang-OTP")
def approve(request, proposal_id: int, payload: DecisionIn | None = None):
    proposal = record_or_404(HolderChangeProposal, proposal_id, "proposal")
    holder_change_approve(proposal=proposal, actor=request.auth, note=payload.note if payload else "")
    return _one(proposal_id)


@router.post("/holder-proposals/{proposal_id}/reject", response=responses(ProposalOut),
             auth=allowed("approve_holder_change"),
             summary="Reject a proposal (never one's own), saying why; through a token it needs X-Baesang-OTP")
def reject(request, proposal_id: int, payload: DecisionIn):
    proposal = record_or_404(HolderChangeProposal, proposal_id, "proposal")
    holder_change_reject(proposal=proposal, actor=request.auth, note=payload.note)
    return _one(proposal_id)


class DeathIn(Schema):
    death_date: LifeDate
    document: Id = F(..., description="the stored evidence of the death")
    note: str = F("", max_length=4000)


class DeathOut(Schema):
    person: int
    death_date: date
    document: int


@router.post("/persons/{person_id}/death", response=responses(DeathOut), auth=allowed("record_death"),
             summary="Record a person's death with its evidence (a stored document)")
def death(request, person_id: int, payload: DeathIn):
    person = record_or_404(Person, person_id, "person")
    person = person_death_record(person=person, death_date=payload.death_date, document=payload.document,
                                 actor=request.auth, note=payload.note)
    return {"person": person.pk, "death_date": person.death_date, "document": person.death_document_id}
