"""Services of the creditors' portal.

Staff services (``portal_invite``, ``portal_revoke``, ``portal_request_decide``) check the staff
permission table first, like every writing service. The creditor's services take a
:class:`~baesang.creditors.access.PortalActor` and check :func:`~baesang.creditors.access.portal_require`
first; the sign-in steps (``invitation_redeem``, ``portal_factor_*``, ``portal_sign_in``) are
the anonymous visitor proving who they are. Sign-in failures count toward the same throttle
and lock as staff sign-ins (:mod:`baesang.staff.signin`, under a ``portal:`` key), and a TOTP
step once used is never accepted again.

Nothing a creditor does changes a holding, a consent or a bank account: it becomes a
:class:`~baesang.creditors.models.PortalRequest`. A case officer accepting an upload keeps it as
a document (``judgments.services.document_file``); accepting a bank-account change proposes it
(``cases.holdings.account_change_propose``), and a second person approves the proposal as any
other (four eyes).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

import pyotp
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from baesang.cases.holdings import account_change_propose
from baesang.cases.models import ClaimHolding
from baesang.core.permissions import Actor, actor_user, permission_require
from baesang.core.services import audit_record
from baesang.creditors.access import PortalActor, portal_require
from baesang.creditors.errors import (
    AccountRevoked,
    ContactMissing,
    InvitationInvalid,
    RequestInvalid,
    RequestNotOpen,
)
from baesang.creditors.models import PortalAccount, PortalActivity, PortalInvitation, PortalRequest
from baesang.creditors.outbox import message_queue
from baesang.creditors.scanning import Scanner, upload_check
from baesang.judgments.models import Document, Person
from baesang.judgments.services import Upload, document_file
from baesang.pii.crypto import blind_index
from baesang.pii.fields import reveal
from baesang.staff.signin import (
    login_failure_record,
    login_locked_until,
    login_success_record,
    totp_code_check,
)

INVITATION_HOURS_DEFAULT = 72
#: How long a sign-in code sent by SMS may be used.
SMS_CODE_MINUTES = 5
#: The kinds of document a creditor may send (a subset of the registry's kinds).
UPLOAD_KINDS = (Document.FAMILY_RELATION_CERTIFICATE, Document.GUARDIANSHIP, Document.OTHER)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contact_normalise(contact: str) -> tuple[str, str]:
    """``("email", address)`` or ``("phone", digits)``; raises :class:`ContactMissing` for neither."""
    text = (contact or "").strip()
    if "@" in text:
        if not _EMAIL.match(text):
            raise ContactMissing(f"{text!r} is not an e-mail address", field="contact")
        return "email", text.lower()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 9 or len(digits) > 15:
        raise ContactMissing("give a mobile number or an e-mail address", field="contact")
    return "phone", digits


def account_by_contact(contact: str) -> PortalAccount | None:
    kind, value = contact_normalise(contact)
    index = blind_index(value, f"portal_{kind}")
    return PortalAccount.objects.filter(**{f"{kind}_index": index}).first()


def activity_record(*, account: PortalAccount | None, action: str, entity_type: str = "", entity_id: str | int = "",
                    personal_data: bool = False, note: str = "", address: str = "") -> PortalActivity:
    """One row of the portal's activity log (a building block: the pages a creditor reads and
    every step of theirs write one; ``personal_data`` marks pages that showed their personal data)."""
    return PortalActivity.objects.create(account=account, action=action, entity_type=entity_type,
                                         entity_id=str(entity_id), personal_data=personal_data, note=note[:2000],
                                         address=(address or "")[:64])


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _portal_url() -> str:
    return (getattr(settings, "BAESANG_PORTAL_URL", "") or "http://localhost:8000").rstrip("/")


# --------------------------------------------------------------------------- staff side


@transaction.atomic
def portal_invite(*, person: Person, actor: Actor, email: str = "", phone: str = "", channel: str = "",
                  capacity: str = PortalAccount.HOLDER, representative_name: str = "",
                  hours: int = INVITATION_HOURS_DEFAULT) -> tuple[PortalInvitation, str]:
    """Invite the holder ``person`` (or their representative) to the portal: the account is made
    (or its contact updated), earlier unused links are revoked, and a one-time link valid for
    ``hours`` is sent to the contact through the outbox. Returns the invitation and the link
    (shown to nobody by the screens: it leaves only through the outbox)."""
    permission_require(actor, "invite_creditors")
    if person is None:
        raise RequestInvalid("choose the person to invite", field="person")
    person = Person.objects.get(pk=person.pk)
    if not ClaimHolding.objects.filter(holder=person).exists():
        raise RequestInvalid(f"{person} holds no claim: there is nothing to show in the portal", field="person")
    if capacity not in dict(PortalAccount.CAPACITY_CHOICES):
        raise RequestInvalid(f"capacity {capacity!r} is not one of holder, guardian, proxy", field="capacity")
    representative_name = (representative_name or "").strip()
    if capacity != PortalAccount.HOLDER and not representative_name:
        raise RequestInvalid("a guardian or attorney is invited by name", field="representative_name")
    email = contact_normalise(email)[1] if (email or "").strip() else ""
    phone = contact_normalise(phone)[1] if (phone or "").strip() else ""
    channel = channel or (PortalInvitation.EMAIL if email else PortalInvitation.SMS)
    if channel not in (PortalInvitation.EMAIL, PortalInvitation.SMS):
        raise RequestInvalid(f"channel {channel!r} is not email or sms", field="channel")
    if not (email if channel == PortalInvitation.EMAIL else phone):
        raise ContactMissing(f"the invitation goes by {channel}: give that contact", field=channel)
    if not 1 <= int(hours) <= 24 * 14:
        raise RequestInvalid("an invitation is valid between 1 hour and 14 days", field="hours")
    account = (PortalAccount.objects.select_for_update()
               .filter(person=person, capacity=capacity, representative_name=representative_name).first())
    for kind, value in (("email", email), ("phone", phone)):
        if value:
            other = PortalAccount.objects.filter(**{f"{kind}_index": blind_index(value, f"portal_{kind}")})
            if account is not None:
                other = other.exclude(pk=account.pk)
            if other.exists():
                raise RequestInvalid(f"this {kind} is already the contact of another portal account", field=kind)
    created = account is None
    if created:
        account = PortalAccount(person=person, capacity=capacity, representative_name=representative_name,
                                created_by=actor_user(actor))
    if email:
        account.email = email
    if phone:
        account.phone = phone
    account.state = PortalAccount.ACTIVE
    account.revoked_at = None
    account.save()
    now = timezone.now()
    PortalInvitation.objects.filter(account=account, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = PortalInvitation.objects.create(account=account, token_sha256=_token_digest(token), channel=channel,
                                                 expires_at=now + timedelta(hours=int(hours)),
                                                 created_by=actor_user(actor))
    link = f"{_portal_url()}/portal/invitation/{token}/"
    recipient = email if channel == PortalInvitation.EMAIL else phone
    body = ("[배상재단] 채권자 포털 초대 링크입니다. 한 번만 쓸 수 있고 "
            f"{int(hours)}시간 뒤에 만료됩니다.\n{link}\n"
            f"Your one-time invitation to the creditors' portal (valid {int(hours)} hours): {link}")
    message_queue(account=account, channel=channel, recipient=recipient, subject="채권자 포털 초대 / Portal invitation",
                  body=body, purpose="invitation")
    audit_record(actor=actor, action="portal.invite", entity=invitation,
                 new={"account": account.pk, "person": person.pk, "channel": channel, "capacity": capacity,
                      "expires_at": invitation.expires_at.isoformat(), "account_created": created})
    activity_record(account=account, action="invitation_sent", entity_type="creditors.portalinvitation",
                    entity_id=invitation.pk, note=channel)
    return invitation, link


@transaction.atomic
def portal_revoke(*, account: PortalAccount, actor: Actor, reason: str) -> PortalAccount:
    """Revoke an account: its links stop working and its sessions are refused at the next request."""
    permission_require(actor, "invite_creditors")
    if account is None:
        raise RequestInvalid("choose the account", field="account")
    reason = (reason or "").strip()
    if not reason:
        raise RequestInvalid("say why the access is revoked", field="reason")
    account = PortalAccount.objects.select_for_update().get(pk=account.pk)
    if not account.is_active:
        raise AccountRevoked(f"portal account {account.pk} is already revoked")
    now = timezone.now()
    account.state, account.revoked_at, account.revoked_reason = PortalAccount.REVOKED, now, reason
    account.save(update_fields=["state", "revoked_at", "revoked_reason"])
    PortalInvitation.objects.filter(account=account, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now)
    audit_record(actor=actor, action="portal.revoke", entity=account, old={"state": "active"},
                 new={"state": "revoked"}, note=reason)
    activity_record(account=account, action="revoked", note=reason)
    return account


@transaction.atomic
def portal_request_decide(*, portal_request: PortalRequest, actor: Actor, accept: bool, note: str = "",
                          document_kind: str = "") -> PortalRequest:
    """Accept or reject a creditor's request. Accepting: an upload is kept as a document of the
    person; a contact change updates the account's contact; a bank-account change is proposed
    for a second person's approval (four eyes); a wish or a visit/call request is noted as handled."""
    permission_require(actor, "decide_portal_requests")
    if portal_request is None:
        raise RequestInvalid("choose the request", field="request")
    item = PortalRequest.objects.select_for_update().select_related("account").get(pk=portal_request.pk)
    if item.state != PortalRequest.SUBMITTED:
        raise RequestNotOpen(f"request {item.pk} was already {item.state}")
    note = (note or "").strip()
    if not accept and not note:
        raise RequestInvalid("say why the request is rejected (the creditor reads it)", field="note")
    account = item.account
    new_state = PortalRequest.ACCEPTED if accept else PortalRequest.REJECTED
    if accept and item.kind == PortalRequest.DOCUMENT:
        kind = document_kind or item.document_kind or Document.OTHER
        with item.upload.open("rb") as handle:
            content = handle.read()
        document, _existed = document_file(kind=kind, upload=Upload(name=item.upload_name, content=content),
                                           actor=actor, title=f"portal: {item.upload_name}",
                                           person_id=account.person_id)
        item.document = document
    elif accept and item.kind == PortalRequest.CONTACT:
        for kind in ("email", "phone"):
            value = reveal(getattr(item, f"new_{kind}"))
            if value:
                clash = PortalAccount.objects.filter(**{f"{kind}_index": blind_index(value, f"portal_{kind}")}).exclude(
                    pk=account.pk)
                if clash.exists():
                    raise RequestInvalid(f"this {kind} is already the contact of another portal account", field=kind)
                setattr(account, kind, value)
        account.save()
    elif accept and item.kind == PortalRequest.BANK_ACCOUNT:
        proposal = account_change_propose(person=account.person, bank_name=item.bank_name,
                                          bank_account=reveal(item.bank_account) or "", actor=actor,
                                          reason=f"portal request {item.pk}" + (f": {note}" if note else ""))
        item.proposal_id = proposal.pk
        new_state = PortalRequest.FORWARDED
    item.state, item.decided_by, item.decided_at = new_state, actor_user(actor), timezone.now()
    item.decision_note = note
    item.save()
    audit_record(actor=actor, action="portal.request_decide", entity=item, old={"state": PortalRequest.SUBMITTED},
                 new={"state": new_state, "kind": item.kind, "document": item.document_id,
                      "proposal": item.proposal_id}, note=note)
    activity_record(account=account, action=f"request_{new_state}", entity_type="creditors.portalrequest",
                    entity_id=item.pk, note=item.kind)
    return item


# --------------------------------------------------------------------------- signing in


def invitation_redeem(*, token: str, address: str = "", now: datetime | None = None) -> PortalAccount:
    """Use a one-time link: unknown, expired, used or revoked links are refused alike, and every
    attempt is logged. The account's second factor is bound again (:func:`portal_factor_begin`)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (PortalInvitation.objects.select_for_update().select_related("account")
                      .filter(token_sha256=_token_digest(token or "")).first())
        if invitation is None:
            activity_record(account=None, action="invitation_unknown", address=address)
            reason = "unknown"
        elif invitation.used_at is not None:
            reason = "already used"
        elif invitation.revoked_at is not None:
            reason = "revoked"
        elif invitation.expires_at <= now:
            reason = "expired"
        elif not invitation.account.is_active:
            reason = "account revoked"
        else:
            reason = ""
        if reason and invitation is not None:
            activity_record(account=invitation.account, action="invitation_refused",
                            entity_type="creditors.portalinvitation", entity_id=invitation.pk, note=reason,
                            address=address)
    if reason:
        raise InvitationInvalid(f"the invitation link cannot be used ({reason})", field="token")
    with transaction.atomic():
        invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationInvalid("the invitation link cannot be used (already used)", field="token")
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        account = PortalAccount.objects.select_for_update().get(pk=invitation.account_id)
        account.totp_secret, account.totp_confirmed_at, account.totp_last_step = pyotp.random_base32(32), None, None
        account.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
        audit_record(actor=f"portal:{account.pk}", action="portal.invitation_use", entity=invitation)
        activity_record(account=account, action="invitation_used", entity_type="creditors.portalinvitation",
                        entity_id=invitation.pk, address=address)
    return account


def portal_factor_uri(account: PortalAccount) -> str:
    """The ``otpauth://`` URI of the account's secret being bound (for the QR code)."""
    return pyotp.TOTP(reveal(account.totp_secret) or "").provisioning_uri(
        name=f"portal-{account.pk}", issuer_name="baesang portal")


def _throttle_key(account: PortalAccount | None, contact: str = "") -> str:
    return f"portal:{account.pk}" if account is not None else f"portal:contact:{contact.strip().lower()}"


def portal_code_verify(*, account: PortalAccount, code: str, address: str = "",
                       now: datetime | None = None) -> bool:
    """Check a TOTP code of ``account`` (binding the factor on its first valid code). A wrong code
    counts toward the lock; a step once used is refused (no replay). Raises ``InvitationInvalid``
    while locked."""
    now = now or timezone.now()
    key = _throttle_key(account)
    if login_locked_until(username=key, address=address or None, now=now):
        activity_record(account=account, action="sign_in_locked", address=address)
        raise InvitationInvalid("sign-in is locked for a while after too many wrong codes", code="portal_locked")
    with transaction.atomic():
        account = PortalAccount.objects.select_for_update().get(pk=account.pk)
        if not account.is_active or not account.totp_secret:
            accepted = None
        else:
            accepted = totp_code_check(reveal(account.totp_secret), code, last_used_step=account.totp_last_step,
                                       now=now)
        if accepted is not None and accepted.accepted:
            account.totp_last_step = accepted.step
            first = account.totp_confirmed_at is None
            if first:
                account.totp_confirmed_at = now
            account.last_sign_in_at = now
            account.save(update_fields=["totp_last_step", "totp_confirmed_at", "last_sign_in_at"])
            audit_record(actor=f"portal:{account.pk}", action="portal.sign_in", entity=account,
                         note="second factor bound" if first else "")
            activity_record(account=account, action="factor_bound" if first else "sign_in", address=address)
    if accepted is not None and accepted.accepted:
        login_success_record(username=key)
        return True
    locked = login_failure_record(username=key, address=address or None, now=now)
    activity_record(account=account, action="sign_in_failed", note="locked" if locked else "", address=address)
    return False


def _sms_code_digest(account: PortalAccount, code: str) -> str:
    message = f"portal-sms:{account.pk}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def portal_sms_code_send(*, contact: str, address: str = "", now: datetime | None = None) -> bool:
    """Send a 6-digit one-time sign-in code (valid :data:`SMS_CODE_MINUTES`) to the account's
    registered mobile number through the outbox's SMS channel; only its HMAC is kept, and a new
    code replaces an unused one. The alternative to the app's code; the visitor is told the same
    whether or not the contact is known (returns whether a code was sent)."""
    now = now or timezone.now()
    try:
        account = account_by_contact(contact)
    except ContactMissing:
        account = None
    key = _throttle_key(account, contact)
    if login_locked_until(username=key, address=address or None, now=now):
        raise InvitationInvalid("sign-in is locked for a while after too many wrong codes", code="portal_locked")
    if account is None or not account.is_active or not reveal(account.phone):
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        account = PortalAccount.objects.select_for_update().get(pk=account.pk)
        account.sms_code_digest = _sms_code_digest(account, code)
        account.sms_code_expires_at = now + timedelta(minutes=SMS_CODE_MINUTES)
        account.save(update_fields=["sms_code_digest", "sms_code_expires_at"])
        message_queue(account=account, channel=PortalInvitation.SMS, recipient=reveal(account.phone),
                      subject="", purpose="sign_in_code",
                      body=f"[배상재단] 포털 로그인 코드 {code} ({SMS_CODE_MINUTES}분간 유효) / "
                           f"Portal sign-in code {code} (valid {SMS_CODE_MINUTES} minutes)")
        activity_record(account=account, action="sms_code_sent", address=address)
    return True


def _sms_code_take(account: PortalAccount, code: str, now: datetime, address: str = "") -> bool:
    """Use the pending SMS code of ``account`` if ``code`` is it (once: it is cleared)."""
    code = re.sub(r"\s", "", code or "")
    with transaction.atomic():
        account = PortalAccount.objects.select_for_update().get(pk=account.pk)
        if (not account.sms_code_digest or account.sms_code_expires_at is None
                or account.sms_code_expires_at <= now or not re.fullmatch(r"\d{6}", code)
                or not hmac.compare_digest(account.sms_code_digest, _sms_code_digest(account, code))):
            return False
        account.sms_code_digest, account.sms_code_expires_at, account.last_sign_in_at = "", None, now
        account.save(update_fields=["sms_code_digest", "sms_code_expires_at", "last_sign_in_at"])
        audit_record(actor=f"portal:{account.pk}", action="portal.sign_in", entity=account, note="sms code")
        activity_record(account=account, action="sign_in_sms_code", address=address)
    return True


def portal_sign_in(*, contact: str, code: str, address: str = "", now: datetime | None = None) -> PortalAccount | None:
    """Sign in with the contact the foundation has (mobile number or e-mail) and a TOTP code, or
    the one-time code sent by SMS (:func:`portal_sms_code_send`).
    Returns the account, or None for a wrong contact or code (the same answer for both)."""
    now = now or timezone.now()
    try:
        account = account_by_contact(contact)
    except ContactMissing:
        account = None
    if account is None or not account.is_active or account.totp_confirmed_at is None:
        key = _throttle_key(None, contact)
        if login_locked_until(username=key, address=address or None, now=now):
            raise InvitationInvalid("sign-in is locked for a while after too many wrong codes", code="portal_locked")
        login_failure_record(username=key, address=address or None, now=now)
        return None
    key = _throttle_key(account)
    if login_locked_until(username=key, address=address or None, now=now):
        activity_record(account=account, action="sign_in_locked", address=address)
        raise InvitationInvalid("sign-in is locked for a while after too many wrong codes", code="portal_locked")
    if _sms_code_take(account, code, now, address):
        login_success_record(username=key)
        return account
    return account if portal_code_verify(account=account, code=code, address=address, now=now) else None


# --------------------------------------------------------------------------- the creditor's requests


def account_holdings(account: PortalAccount):
    """The holdings the account sees: its person's current holdings and those settled."""
    return (ClaimHolding.objects.filter(holder_id=account.person_id)
            .exclude(superseded_at__isnull=False, state__in=ClaimHolding.OUTSTANDING)
            .select_related("claim__judgment__court", "claim__victim").order_by("claim__judgment__final_on", "pk"))


def account_claim_ids(account: PortalAccount) -> set[int]:
    return set(account_holdings(account).values_list("claim_id", flat=True))


@transaction.atomic
def portal_request_submit(*, actor: PortalActor, kind: str, claim_id: int | None = None, message: str = "",
                          upload: Upload | None = None, document_kind: str = "", new_email: str = "",
                          new_phone: str = "", bank_name: str = "", bank_account: str = "",
                          scanner: Scanner | None = None) -> PortalRequest:
    """A creditor's request, for a case officer's queue. An upload is checked (size, type, virus
    scanner) before anything is kept; a refused upload keeps nothing."""
    account = portal_require(actor, "portal_submit_request")
    if kind not in dict(PortalRequest.KIND_CHOICES):
        raise RequestInvalid(f"{kind!r} is not a kind of request", field="kind")
    if claim_id is not None and claim_id not in account_claim_ids(account):
        raise RequestInvalid("that claim is not one of yours", field="claim")
    message = (message or "").strip()[:4000]
    item = PortalRequest(account=account, kind=kind, claim_id=claim_id, message=message)
    if kind == PortalRequest.DOCUMENT:
        if upload is None:
            raise RequestInvalid("choose the file to send", field="upload")
        if document_kind not in UPLOAD_KINDS:
            raise RequestInvalid(f"{document_kind!r} is not a kind of document the portal takes", field="document_kind")
        content_type, scan = upload_check(name=upload.name, content=upload.content, scanner=scanner)
        item.document_kind, item.upload_type, item.scan_result = document_kind, content_type, scan
        item.upload_name = upload.name[:200]
        item.upload_sha256 = hashlib.sha256(upload.content).hexdigest()
        item.upload_size = len(upload.content)
        item.upload.save(item.upload_sha256, ContentFile(upload.content), save=False)
    elif kind == PortalRequest.CONTACT:
        if not (new_email or "").strip() and not (new_phone or "").strip():
            raise ContactMissing("give the new mobile number or e-mail address", field="contact")
        if (new_email or "").strip():
            item.new_email = contact_normalise(new_email)[1]
        if (new_phone or "").strip():
            item.new_phone = contact_normalise(new_phone)[1]
    elif kind == PortalRequest.BANK_ACCOUNT:
        bank_name, bank_account = (bank_name or "").strip(), (bank_account or "").strip()
        if not bank_name or not any(ch.isdigit() for ch in bank_account) or len(bank_account) > 40:
            raise RequestInvalid("give the bank and the account number", field="bank_account")
        item.bank_name, item.bank_account = bank_name[:60], bank_account
    item.save()
    audit_record(actor=actor.label, action="portal.request_submit", entity=item,
                 new={"kind": kind, "claim": claim_id, "sha256": item.upload_sha256 or None})
    activity_record(account=account, action="request_submitted", entity_type="creditors.portalrequest",
                    entity_id=item.pk, note=kind, address=actor.address)
    return item
