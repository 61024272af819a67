"""The creditors' portal, staff side: invitations, revocation, the requests queue and each
account's portal activity (docs/portal.md). The creditors' own pages are not in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import page_out, record_or_404
from baesang.api.schemas import PAGING, Page, PageQuery, responses
from baesang.core.paging import keyset_page
from baesang.creditors.models import PortalAccount, PortalActivity, PortalRequest
from baesang.creditors.services import portal_invite, portal_request_decide, portal_revoke
from baesang.judgments.models import Person

router = Router(tags=["creditors' portal"])


class InvitationIn(Schema):
    email: str = F("", max_length=120, description="e-mail address of the person signing in")
    phone: str = F("", max_length=40, description="mobile number of the person signing in")
    channel: Literal["email", "sms", ""] = F("", description="where the link goes; default: e-mail if given")
    capacity: Literal["holder", "guardian", "proxy"] = "holder"
    representative_name: str = F("", max_length=100)
    hours: int = F(72, ge=1, le=336, description="how long the one-time link is valid")


class InvitationOut(Schema):
    invitation: int
    account: int
    person: int
    channel: str
    expires_at: datetime


class AccountOut(Schema):
    id: int
    person: int
    capacity: str
    representative_name: str
    state: str
    second_factor_bound: bool
    last_sign_in_at: datetime | None


class RevokeIn(Schema):
    reason: str = F(..., min_length=1, max_length=2000)


class RequestOut(Schema):
    id: int
    account: int
    person: int
    kind: str
    state: str
    claim: int | None
    message: str
    document_kind: str
    upload_name: str
    upload_sha256: str
    upload_type: str
    scan_result: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    document: int | None
    proposal: int | None


class DecideIn(Schema):
    decision: Literal["accept", "reject"]
    note: str = F("", max_length=2000, description="required to reject; the creditor reads it")
    document_kind: str = F("", max_length=40, description="kind the accepted upload is kept as")


class ActivityOut(Schema):
    at: datetime
    action: str
    entity_type: str
    entity_id: str
    personal_data: bool
    note: str


def _account(account: PortalAccount) -> dict:
    return {"id": account.pk, "person": account.person_id, "capacity": account.capacity,
            "representative_name": account.representative_name, "state": account.state,
            "second_factor_bound": account.totp_confirmed_at is not None, "last_sign_in_at": account.last_sign_in_at}


def _request(item: PortalRequest) -> dict:
    return {"id": item.pk, "account": item.account_id, "person": item.account.person_id, "kind": item.kind,
            "state": item.state, "claim": item.claim_id, "message": item.message, "document_kind": item.document_kind,
            "upload_name": item.upload_name, "upload_sha256": item.upload_sha256, "upload_type": item.upload_type,
            "scan_result": item.scan_result, "created_at": item.created_at,
            "decided_by": item.decided_by.get_username() if item.decided_by else None, "decided_at": item.decided_at,
            "decision_note": item.decision_note, "document": item.document_id, "proposal": item.proposal_id}


@router.post("/persons/{person_id}/portal-invitations", response=responses(InvitationOut, 201),
             auth=allowed("invite_creditors"),
             summary="Invite a holder (or their representative) to the portal: a one-time link through the outbox")
def invite(request, person_id: int, payload: InvitationIn):
    person = record_or_404(Person, person_id, "person")
    invitation, _link = portal_invite(person=person, actor=request.auth, email=payload.email, phone=payload.phone,
                                      channel=payload.channel, capacity=payload.capacity,
                                      representative_name=payload.representative_name, hours=payload.hours)
    return 201, {"invitation": invitation.pk, "account": invitation.account_id, "person": person.pk,
                 "channel": invitation.channel, "expires_at": invitation.expires_at}


@router.get("/portal/accounts", response=responses(Page[AccountOut]), auth=allowed("view_portal"),
            summary="Portal accounts, newest first", description=PAGING + " No `count`.")
def accounts(request, query: Query[PageQuery]):
    page = keyset_page(PortalAccount.objects.all(), name="portal-accounts", order=("-created_at", "-pk"),
                       after=query.cursor, limit=query.limit)
    return page_out(request, page, items=[_account(account) for account in page.items])


@router.post("/portal/accounts/{account_id}/revoke", response=responses(AccountOut), auth=allowed("invite_creditors"),
             summary="Revoke a portal account, saying why")
def revoke(request, account_id: int, payload: RevokeIn):
    account = record_or_404(PortalAccount, account_id, "portal account")
    return _account(portal_revoke(account=account, actor=request.auth, reason=payload.reason))


@router.get("/portal/accounts/{account_id}/activity", response=responses(Page[ActivityOut]),
            auth=allowed("view_portal"), summary="The portal activity of one account, newest first",
            description=PAGING + " No `count`.")
def activity(request, account_id: int, query: Query[PageQuery]):
    account = record_or_404(PortalAccount, account_id, "portal account")
    rows = PortalActivity.objects.filter(account=account).values(
        "pk", "at", "action", "entity_type", "entity_id", "personal_data", "note")
    page = keyset_page(rows, name=f"portal-activity-{account.pk}", order=("-at", "-pk"), after=query.cursor,
                       limit=query.limit)
    return page_out(request, page)


@router.get("/portal/requests", response=responses(Page[RequestOut]), auth=allowed("view_portal"),
            summary="Requests from the portal awaiting a decision, oldest first", description=PAGING + " No `count`.")
def requests_open(request, query: Query[PageQuery]):
    waiting = PortalRequest.objects.filter(state=PortalRequest.SUBMITTED).select_related("account", "decided_by")
    page = keyset_page(waiting, name="portal-requests", order=("created_at", "pk"), after=query.cursor,
                       limit=query.limit)
    return page_out(request, page, items=[_request(item) for item in page.items])


@router.post("/portal/requests/{request_id}/decide", response=responses(RequestOut),
             auth=allowed("decide_portal_requests"),
             summary="Accept or reject a portal request; an accepted bank-account change becomes a proposal for a "
                     "second person")
def decide(request, request_id: int, payload: DecideIn):
    item = record_or_404(PortalRequest, request_id, "portal request")
    done = portal_request_decide(portal_request=item, actor=request.auth, accept=payload.decision == "accept",
                                 note=payload.note, document_kind=payload.document_kind)
    return _request(PortalRequest.objects.select_related("account", "decided_by").get(pk=done.pk))
