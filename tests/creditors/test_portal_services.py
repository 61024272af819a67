"""The creditors' portal services (issue 16): invitations, the second factor, requests staff decide."""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from portal_support import code_at, invitation_link

from baesang.cases import holdings
from baesang.cases.errors import FourEyesViolation
from baesang.cases.models import HolderChangeProposal
from baesang.core.models import AuditEvent
from baesang.core.permissions import MATRIX, ActionNotPermitted, user_may
from baesang.creditors import outbox, services
from baesang.creditors.access import PortalActor, portal_require
from baesang.creditors.errors import (
    InvitationInvalid,
    PortalNotPermitted,
    ScannerUnavailable,
    UploadInfected,
    UploadRefused,
)
from baesang.creditors.models import Message, PortalAccount, PortalActivity, PortalInvitation, PortalRequest
from baesang.creditors.scanning import EICAR, ClamdScanner
from baesang.judgments.models import Document
from baesang.judgments.services import Upload
from baesang.pii.fields import reveal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% family relation certificate of the test heir\n%%EOF\n"


def _invite(pw, capture, person=None, **extra):
    with capture(execute=True):
        invitation, link = services.portal_invite(person=person or pw.widow, actor=pw.case,
                                                  email=extra.pop("email", "widow@example.org"), **extra)
    return invitation, link


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def _signed_in(pw, capture) -> PortalAccount:
    _invitation, link = _invite(pw, capture)
    account = services.invitation_redeem(token=_token(link))
    assert services.portal_code_verify(account=account, code=code_at(account))
    return PortalAccount.objects.get(pk=account.pk)


def test_an_invitation_is_sent_through_the_outbox_and_only_its_hash_is_kept(pw, django_capture_on_commit_callbacks):
    invitation, link = _invite(pw, django_capture_on_commit_callbacks)
    assert outbox.SENT[-1]["to"] == "widow@example.org" and link in outbox.SENT[-1]["body"]
    assert invitation_link() == link
    token = _token(link)
    assert invitation.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert not PortalInvitation.objects.filter(token_sha256=token).exists()
    assert Message.objects.get().state == Message.SENT
    assert timedelta(hours=71) < invitation.expires_at - timezone.now() <= timedelta(hours=72)
    assert AuditEvent.objects.filter(action="portal.invite", actor=pw.case).exists()


def test_an_invitation_works_once(pw, django_capture_on_commit_callbacks):
    _invitation, link = _invite(pw, django_capture_on_commit_callbacks)
    account = services.invitation_redeem(token=_token(link))
    assert account.person == pw.widow and account.totp_secret
    with pytest.raises(InvitationInvalid):
        services.invitation_redeem(token=_token(link))
    notes = list(PortalActivity.objects.filter(account=account).values_list("action", "note"))
    assert ("invitation_used", "") in notes and ("invitation_refused", "already used") in notes


def test_an_expired_invitation_is_refused(pw, django_capture_on_commit_callbacks):
    invitation, link = _invite(pw, django_capture_on_commit_callbacks, hours=1)
    with pytest.raises(InvitationInvalid):
        services.invitation_redeem(token=_token(link), now=invitation.expires_at + timedelta(seconds=1))
    assert PortalActivity.objects.filter(action="invitation_refused", note="expired").exists()


def test_a_new_invitation_revokes_the_unused_one(pw, django_capture_on_commit_callbacks):
    _first, first_link = _invite(pw, django_capture_on_commit_callbacks)
    _second, second_link = _invite(pw, django_capture_on_commit_callbacks)
    with pytest.raises(InvitationInvalid):
        services.invitation_redeem(token=_token(first_link))
    assert services.invitation_redeem(token=_token(second_link)).person == pw.widow
    assert PortalAccount.objects.count() == 1


def test_the_totp_code_binds_the_factor_and_is_never_accepted_twice(pw, django_capture_on_commit_callbacks):
    _invitation, link = _invite(pw, django_capture_on_commit_callbacks)
    account = services.invitation_redeem(token=_token(link))
    code = code_at(account)
    assert services.portal_code_verify(account=account, code=code)
    assert PortalAccount.objects.get(pk=account.pk).totp_confirmed_at is not None
    assert not services.portal_code_verify(account=account, code=code)  # replay
    assert services.portal_sign_in(contact="WIDOW@example.org", code=code) is None  # replay at sign-in too
    later = services.portal_sign_in(contact="widow@example.org", code=code_at(account, 1))
    assert later == account


def test_wrong_codes_lock_the_account_as_staff_sign_in_does(pw, django_capture_on_commit_callbacks, settings):
    settings.BAESANG_LOGIN_MAX_FAILURES = 3
    account = _signed_in(pw, django_capture_on_commit_callbacks)
    for _ in range(3):
        assert services.portal_sign_in(contact="widow@example.org", code="000000") is None
    with pytest.raises(InvitationInvalid) as locked:
        services.portal_sign_in(contact="widow@example.org", code=code_at(account, 1))
    assert locked.value.code == "portal_locked"


def test_a_portal_actor_never_passes_a_staff_permission_and_staff_never_act_as_creditors(
        pw, django_capture_on_commit_callbacks):
    account = _signed_in(pw, django_capture_on_commit_callbacks)
    actor = PortalActor(account=account)
    assert not any(user_may(actor, action) for action in MATRIX)
    with pytest.raises(ActionNotPermitted):
        services.portal_invite(person=pw.widow, actor=actor, email="x@example.org")
    with pytest.raises(PortalNotPermitted):
        portal_require(pw.case, "portal_submit_request")
    with pytest.raises(PortalNotPermitted):
        services.portal_request_submit(actor=pw.case, kind=PortalRequest.CALL)


def test_uploads_are_checked_for_size_type_and_viruses(pw, django_capture_on_commit_callbacks, settings):
    actor = PortalActor(account=_signed_in(pw, django_capture_on_commit_callbacks))
    submit = lambda content, name="a.pdf": services.portal_request_submit(  # noqa: E731
        actor=actor, kind=PortalRequest.DOCUMENT, document_kind=Document.FAMILY_RELATION_CERTIFICATE,
        upload=Upload(name=name, content=content))
    with pytest.raises(UploadInfected):
        submit(PDF + EICAR)
    with pytest.raises(UploadRefused):
        submit(b"MZ\x90\x00 not a document", "a.exe")
    settings.BAESANG_PORTAL_MAX_UPLOAD_MB = 1
    with pytest.raises(UploadRefused):
        submit(PDF + b"0" * (1024 * 1024))
    assert not PortalRequest.objects.exists()
    png = submit(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.png")
    assert png.upload_type == "image/png" and png.state == PortalRequest.SUBMITTED


def test_an_accepted_upload_becomes_a_document_of_the_person(pw, django_capture_on_commit_callbacks):
    actor = PortalActor(account=_signed_in(pw, django_capture_on_commit_callbacks))
    item = services.portal_request_submit(actor=actor, kind=PortalRequest.DOCUMENT, upload=Upload("f.pdf", PDF),
                                          document_kind=Document.FAMILY_RELATION_CERTIFICATE)
    assert not Document.objects.filter(sha256=hashlib.sha256(PDF).hexdigest()).exists()
    with pytest.raises(ActionNotPermitted):
        services.portal_request_decide(portal_request=item, actor=pw.auditor, accept=True)
    done = services.portal_request_decide(portal_request=item, actor=pw.case, accept=True)
    assert done.state == PortalRequest.ACCEPTED
    assert done.document.person == pw.widow and done.document.kind == Document.FAMILY_RELATION_CERTIFICATE
    assert done.document.sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_bank_account_change_needs_two_staff_members(pw, django_capture_on_commit_callbacks):
    actor = PortalActor(account=_signed_in(pw, django_capture_on_commit_callbacks))
    item = services.portal_request_submit(actor=actor, kind=PortalRequest.BANK_ACCOUNT, bank_name="새은행",
                                          bank_account="333-444444-55")
    assert reveal(pw.widow.__class__.objects.get(pk=pw.widow.pk).bank_account) in ("", None)
    done = services.portal_request_decide(portal_request=item, actor=pw.case, accept=True, note="called back")
    assert done.state == PortalRequest.FORWARDED
    proposal = HolderChangeProposal.objects.get(pk=done.proposal_id)
    with pytest.raises(FourEyesViolation):
        holdings.holder_change_approve(proposal=proposal, actor=pw.case)
    holdings.holder_change_approve(proposal=proposal, actor=pw.case2)
    assert reveal(pw.widow.__class__.objects.get(pk=pw.widow.pk).bank_account) == "333-444444-55"


def test_a_rejection_says_why_and_a_revoked_account_cannot_sign_in(pw, django_capture_on_commit_callbacks):
    account = _signed_in(pw, django_capture_on_commit_callbacks)
    item = services.portal_request_submit(actor=PortalActor(account=account), kind=PortalRequest.CONTACT,
                                          new_phone="010-5555-6666")
    with pytest.raises(services.RequestInvalid):
        services.portal_request_decide(portal_request=item, actor=pw.case, accept=False)
    services.portal_request_decide(portal_request=item, actor=pw.case, accept=True)
    assert reveal(PortalAccount.objects.get(pk=account.pk).phone) == "01055556666"
    services.portal_revoke(account=account, actor=pw.case, reason="asked by the heir")
    assert services.portal_sign_in(contact="010-5555-6666", code=code_at(account, 1)) is None
    with pytest.raises(PortalNotPermitted):
        services.portal_request_submit(actor=PortalActor(account=account), kind=PortalRequest.CALL)


def test_a_request_names_only_the_accounts_own_claims(pw, django_capture_on_commit_callbacks):
    actor = PortalActor(account=_signed_in(pw, django_capture_on_commit_callbacks))
    with pytest.raises(services.RequestInvalid):
        services.portal_request_submit(actor=actor, kind=PortalRequest.WISH_ACCEPT, claim_id=pw.other_claim.pk)
    wish = services.portal_request_submit(actor=actor, kind=PortalRequest.WISH_ACCEPT, claim_id=pw.claim.pk)
    assert wish.claim == pw.claim


def test_clamd_scanner_speaks_instream(tmp_path):
    """A fake clamd on a Unix socket answers as clamd does (docs: clamd(8), INSTREAM)."""
    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(2)

    def serve():
        for _ in range(2):
            connection, _address = server.accept()
            with connection:
                data = b""
                while not data.endswith(struct.pack("!L", 0)) or len(data) < 15:
                    data += connection.recv(65536)
                body = data[len(b"zINSTREAM\0"):]
                found = EICAR in body
                connection.sendall(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    scanner = ClamdScanner(path, timeout=5)
    assert scanner.scan(PDF).clean
    result = scanner.scan(PDF + EICAR)
    assert not result.clean and "FOUND" in result.detail
    thread.join(5)
    server.close()


def test_an_unreachable_clamd_refuses_the_upload(pw, django_capture_on_commit_callbacks, settings, tmp_path):
    actor = PortalActor(account=_signed_in(pw, django_capture_on_commit_callbacks))
    settings.BAESANG_CLAMD = str(tmp_path / "no-clamd.sock")
    with pytest.raises(ScannerUnavailable):
        services.portal_request_submit(actor=actor, kind=PortalRequest.DOCUMENT, upload=Upload("f.pdf", PDF),
                                       document_kind=Document.OTHER)
    assert not PortalRequest.objects.exists()
