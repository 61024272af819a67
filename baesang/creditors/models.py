"""Models of the creditors' portal (채권자 포털).

- :class:`PortalAccount`: one per person who signs in — a holder of claims (a creditor or heir)
  or the representative recorded for them (a guardian or attorney, as in the consent
  verification). Contact data and the TOTP secret are encrypted at rest; the contact is found
  by its blind index at sign-in. There is no password.
- :class:`PortalInvitation`: a one-time sign-in link; only the SHA-256 of its token is kept.
- :class:`Message`: the outbox (one row per message sent through a channel backend).
- :class:`PortalRequest`: what a creditor asks (a document, a contact or bank-account change,
  a wish to accept or refuse, a visit or a call); a case officer accepts or rejects it.
- :class:`PortalActivity`: every sign-in, page seen with personal data, upload and request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from baesang.judgments.models import Claim, Document, Person
from baesang.pii.fields import BlindIndexField, EncryptedTextField


class PortalAccount(models.Model):
    """Who may sign in to the portal (포털 계정), for the claims held by ``person``."""

    HOLDER = "holder"
    GUARDIAN = "guardian"
    PROXY = "proxy"
    CAPACITY_CHOICES = [(HOLDER, "the holder in person (본인)"), (GUARDIAN, "adult guardian (성년후견인)"),
                        (PROXY, "attorney (임의대리인)")]
    ACTIVE = "active"
    REVOKED = "revoked"
    STATE_CHOICES = [(ACTIVE, "active"), (REVOKED, "revoked (해지)")]

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="portal_accounts",
                               help_text="the holder whose claims the account sees")
    capacity = models.CharField(max_length=10, choices=CAPACITY_CHOICES, default=HOLDER)
    representative_name = models.CharField(max_length=100, blank=True)
    email = EncryptedTextField(blank=True, mask="email")
    email_index = BlindIndexField(source="email", purpose="portal_email", unique=True)
    phone = EncryptedTextField(blank=True, mask="phone")
    phone_index = BlindIndexField(source="phone", purpose="portal_phone", unique=True)
    language = models.CharField(max_length=5, default="ko")
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=ACTIVE)
    totp_secret = EncryptedTextField(blank=True, mask="hidden")
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    sms_code_digest = models.CharField(max_length=64, blank=True,
                                       help_text="HMAC of the one-time sign-in code sent by SMS (never the code)")
    sms_code_expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "portal account (포털 계정)"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=["active", "revoked"]), name="portal_account_state"),
        ]

    def __str__(self) -> str:
        return f"portal account {self.pk} ({self.person})"

    @property
    def is_active(self) -> bool:
        return self.state == self.ACTIVE


class PortalInvitation(models.Model):
    """A one-time sign-in link (초대 링크). The token itself is only in the message sent."""

    EMAIL = "email"
    SMS = "sms"
    CHANNEL_CHOICES = [(EMAIL, "e-mail"), (SMS, "SMS (문자)")]

    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="invitations")
    token_sha256 = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=10, choices=CHANNEL_CHOICES)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "portal invitation (포털 초대)"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation {self.pk} of portal account {self.account_id}"


class Message(models.Model):
    """One message of the outbox (발송함): sent through the backend of its channel after commit."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    STATE_CHOICES = [(QUEUED, "queued"), (SENT, "sent"), (FAILED, "failed")]

    account = models.ForeignKey(PortalAccount, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="messages")
    channel = models.CharField(max_length=10, choices=PortalInvitation.CHANNEL_CHOICES)
    recipient = EncryptedTextField(blank=True, mask="hidden")
    subject = models.CharField(max_length=200, blank=True)
    body = EncryptedTextField(blank=True, mask="hidden", help_text="may hold a one-time link: encrypted")
    purpose = models.CharField(max_length=40, help_text="invitation, sign_in_code, request_decided …")
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=QUEUED)
    backend = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbox message (발송 메시지)"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} message {self.pk} ({self.purpose}, {self.state})"


def _upload_path(instance: PortalRequest, filename: str) -> str:
    return f"portal/{instance.account_id}/{instance.upload_sha256}"


class PortalRequest(models.Model):
    """A creditor's request (포털 요청) that a case officer verifies and decides."""

    DOCUMENT = "document"
    CONTACT = "contact"
    BANK_ACCOUNT = "bank_account"
    WISH_ACCEPT = "wish_accept"
    WISH_REFUSE = "wish_refuse"
    VISIT = "visit"
    CALL = "call"
    KIND_CHOICES = [(DOCUMENT, "document upload (서류 제출)"), (CONTACT, "contact change (연락처 변경)"),
                    (BANK_ACCOUNT, "bank-account change (계좌 변경)"), (WISH_ACCEPT, "wish to accept (수령 희망)"),
                    (WISH_REFUSE, "wish to refuse (수령 거부 의사)"), (VISIT, "asks for a visit (방문 요청)"),
                    (CALL, "asks for a call (전화 요청)")]
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    FORWARDED = "forwarded"
    REJECTED = "rejected"
    STATE_CHOICES = [(SUBMITTED, "submitted (접수)"), (ACCEPTED, "accepted (처리 완료)"),
                     (FORWARDED, "proposed, awaiting a second person (승인 대기)"), (REJECTED, "rejected (반려)")]

    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=SUBMITTED)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(blank=True, help_text="what the creditor wrote")
    document_kind = models.CharField(max_length=40, blank=True)
    upload = models.FileField(upload_to=_upload_path, blank=True)
    upload_name = models.CharField(max_length=200, blank=True)
    upload_sha256 = models.CharField(max_length=64, blank=True)
    upload_size = models.BigIntegerField(null=True, blank=True)
    upload_type = models.CharField(max_length=40, blank=True)
    scan_result = models.CharField(max_length=200, blank=True)
    new_email = EncryptedTextField(blank=True, mask="email")
    new_phone = EncryptedTextField(blank=True, mask="phone")
    bank_name = models.CharField(max_length=60, blank=True)
    bank_account = EncryptedTextField(blank=True, mask="bank_account")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="the document kept when an upload is accepted")
    proposal_id = models.BigIntegerField(null=True, blank=True,
                                         help_text="the bank-account proposal awaiting a second person")

    class Meta:
        verbose_name = "portal request (포털 요청)"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"portal request {self.pk} ({self.kind}, {self.state})"


class PortalActivity(models.Model):
    """The portal's activity log (포털 활동 기록), per account; append-only by use."""

    account = models.ForeignKey(PortalAccount, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="activity")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=60)
    entity_type = models.CharField(max_length=80, blank=True)
    entity_id = models.CharField(max_length=80, blank=True)
    personal_data = models.BooleanField(default=False, help_text="the page showed the account's personal data")
    note = models.TextField(blank=True)
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "portal activity (포털 활동 기록)"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} portal account {self.account_id}: {self.action}"


class PortalPasskey(models.Model):
    """A passkey (WebAuthn credential, 패스키) of a portal account: signs in instead of a TOTP code.
    Only the public key is kept; the sign count must grow at every use (a cloned key is refused)."""

    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="passkeys")
    credential_id = models.CharField(max_length=1400, unique=True, help_text="base64url of the credential id")
    public_key = models.BinaryField(help_text="COSE public key")
    sign_count = models.BigIntegerField(default=0)
    name = models.CharField(max_length=80, blank=True)
    transports = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "portal passkey (패스키)"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"passkey {self.pk} of portal account {self.account_id}"
