"""The foundation's work on each claim: offers, verified consent, refusals, court deposits,
payment batches and the indemnity claims that payment creates.

Rules kept here:
- Who holds a claim (채권 보유): the plaintiff, or heirs in shares fixed by the Civil Code in force
  on the date of death (Arts. 1000–1010; the family file is kept with the change and its
  SHA-256), or shares entered from a document. A change of holders closes the current holdings
  and opens new ones; nothing is deleted, and amounts already paid stay as they were. Each
  holding has its own lifecycle (offer → accepted / refused → paid / deposited): consent is per
  holder, since each heir disposes of their own share. (The tables keep the names they had in
  the judgments app.)
- Third-party performance (제3자 변제, Civil Code Art. 469): the foundation pays the judgment
  money in place of the debtor, only to a holder who accepted with a recorded verification of
  identity and capacity (a guardian or proxy needs a court document). The database refuses a
  consent without a signed form or a representative without a court document, and a payment
  line without a consent.
- Four eyes: a batch is prepared by a finance officer and approved by another person
  (the database refuses a batch approved by its preparer).
- Never paid twice: at most one live payment line (open or paid) per holding, enforced by a
  partial unique index. The unit of payment is the holding, not the person: a holder paid
  for a share who later inherits a further share of the same claim (a co-heir dies after the
  first payment) holds it by a new holding and can be paid for it — once.
- Court deposit (공탁, Art. 487) for a holder who refuses; one live deposit per holding.
- Indemnity (구상권, Art. 469 with Art. 425 by analogy; limitation ten years, Art. 162(1)):
  recorded for every won paid or validly deposited.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q

from baesang.judgments.models import Claim, Court, Debtor, Document, Person
from baesang.pii.fields import EncryptedTextField


class HolderChange(models.Model):
    """One determination of who holds a claim (or a part of it) and why."""

    PLAINTIFF = "plaintiff"
    HEIRSHIP = "heirship"
    DOCUMENT = "document"
    BASIS_CHOICES = [
        (PLAINTIFF, "the plaintiff named in the judgment"),
        (HEIRSHIP, "statutory heirship computed from a family file (상속)"),
        (DOCUMENT, "shares entered from a document"),
    ]

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="holder_changes")
    basis = models.CharField(max_length=20, choices=BASIS_CHOICES)
    decedent = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="whose share passed by succession")
    family = models.JSONField(null=True, blank=True, help_text="the family file given to the heirship engine")
    family_sha256 = models.CharField(max_length=64, blank=True)
    explanation = models.JSONField(null=True, blank=True)
    regime = models.CharField(max_length=40, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    reason = models.TextField(blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "holder change (채권자 변경)"
        db_table = "judgments_holderchange"
        ordering = ["claim", "made_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(basis__in=["plaintiff", "heirship", "document"]),
                                   name="holder_change_basis_known"),
            models.CheckConstraint(
                condition=~Q(basis="heirship") | (Q(family__isnull=False) & ~Q(family_sha256="")),
                name="holder_change_heirship_keeps_family_file"),
            models.CheckConstraint(condition=~Q(basis="document") | Q(document__isnull=False),
                                   name="holder_change_document_basis_has_document"),
        ]

    def __str__(self) -> str:
        return f"holder change {self.pk} ({self.basis})"


class HolderChangeProposal(models.Model):
    """A proposed change of who holds a claim, or of a holder's bank account (채권자·계좌 변경 제안).

    Maker-checker like payment batches: a case officer proposes; a second person (a case officer
    or an approver, never the proposer — also a CHECK) approves, and only then do the holdings
    change (:func:`baesang.cases.holdings.holder_change_approve`) or the account is set. A
    rejected proposal changes nothing. The family file and its SHA-256, the computed shares and
    the evidence stay with the proposal, so the approver sees what they approve.
    """

    HOLDERS = "holders"
    ACCOUNT = "account"
    KIND_CHOICES = [(HOLDERS, "who holds a claim (채권자 변경)"), (ACCOUNT, "a holder's bank account (계좌 변경)")]
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    STATE_CHOICES = [(PROPOSED, "awaiting a second person (승인 대기)"), (APPROVED, "approved (승인)"),
                     (REJECTED, "rejected (반려)")]

    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=PROPOSED)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="holder_proposals")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="whose bank account changes (kind account)")
    basis = models.CharField(max_length=20, blank=True, choices=HolderChange.BASIS_CHOICES)
    shares = models.JSONField(null=True, blank=True, help_text="[{person, share 'n/d'}] of the whole claim")
    replaces = models.JSONField(null=True, blank=True, help_text="ids of the holdings the change replaces")
    decedent = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    family = models.JSONField(null=True, blank=True)
    family_sha256 = models.CharField(max_length=64, blank=True)
    explanation = models.JSONField(null=True, blank=True)
    regime = models.CharField(max_length=40, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(null=True, blank=True)
    bank_name = models.CharField(max_length=60, blank=True)
    bank_account = EncryptedTextField(blank=True, mask="bank_account")
    reason = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    change = models.ForeignKey(HolderChange, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="the holder change made on approval")

    class Meta:
        verbose_name = "holder change proposal (채권자·계좌 변경 제안)"
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["state", "kind"]), models.Index(fields=["person", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["holders", "account"]), name="proposal_kind_known"),
            models.CheckConstraint(condition=Q(state__in=["proposed", "approved", "rejected"]),
                                   name="proposal_state_known"),
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                                   name="proposal_four_eyes"),
            models.CheckConstraint(
                condition=(Q(state="proposed") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True))
                | (~Q(state="proposed") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="proposal_decided_with_decider"),
            models.CheckConstraint(
                condition=(Q(kind="holders") & Q(claim__isnull=False) & Q(shares__isnull=False))
                | (Q(kind="account") & Q(person__isnull=False)),
                name="proposal_kind_has_subject"),
            models.CheckConstraint(condition=~Q(state="approved") | ~Q(kind="holders") | Q(change__isnull=False),
                                   name="proposal_approved_holders_has_change"),
        ]

    def __str__(self) -> str:
        subject = f"claim {self.claim_id}" if self.kind == self.HOLDERS else f"person {self.person_id}"
        return f"proposal {self.pk} ({self.kind}, {subject}, {self.state})"


class ClaimHolding(models.Model):
    """A person's share of a claim for a period (채권 보유), with its own lifecycle.

    ``superseded_at`` is set when a later holder change replaces it; a paid or deposited
    holding is never superseded.
    """

    PENDING = "pending"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    DEPOSITED = "deposited"
    PAID = "paid"
    STATE_CHOICES = [
        (PENDING, "no offer yet"),
        (OFFERED, "offer made (지급 제안)"),
        (ACCEPTED, "accepted with verified consent (동의)"),
        (REFUSED, "refused (거부)"),
        (DEPOSITED, "deposited with a court (공탁)"),
        (PAID, "paid (지급 완료)"),
    ]
    OUTSTANDING = (PENDING, OFFERED, ACCEPTED)

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="holdings")
    holder = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="holdings")
    share_numerator = models.BigIntegerField()
    share_denominator = models.BigIntegerField()
    # Indexes: holdings are searched by claim and by holder; every other index would cost on
    # each state change of a payment batch (100,000 holdings at a time).
    change = models.ForeignKey(HolderChange, on_delete=models.PROTECT, related_name="holdings", db_index=False)
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=PENDING)
    valid_from = models.DateField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(HolderChange, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_holdings", db_index=False)

    class Meta:
        verbose_name = "claim holding (채권 보유)"
        db_table = "judgments_claimholding"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_numerator__gt=0) & Q(share_denominator__gt=0)
                & Q(share_numerator__lte=models.F("share_denominator")),
                name="holding_share_in_range"),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "offered", "accepted", "refused", "deposited", "paid"]),
                name="holding_state_known"),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True) | Q(state__in=["pending", "offered", "accepted", "refused"]),
                name="holding_paid_or_deposited_never_superseded"),
            models.CheckConstraint(
                condition=(Q(superseded_at__isnull=True) & Q(superseded_by__isnull=True))
                | (Q(superseded_at__isnull=False) & Q(superseded_by__isnull=False)),
                name="holding_superseded_with_change"),
            # One current holding per person in each holder change: a paid or deposited holding
            # stays current beside a share the same person inherits by a later change. (The state
            # is kept out of the predicate so that marking holdings paid stays a heap-only update
            # on PostgreSQL; holdings.py refuses a second outstanding holding of one person.)
            models.UniqueConstraint(fields=["claim", "holder", "change"], condition=Q(superseded_at__isnull=True),
                                    name="holding_one_current_per_holder_and_change"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} · {self.holder} {self.share_numerator}/{self.share_denominator}"

    @property
    def share(self) -> Fraction:
        return Fraction(self.share_numerator, self.share_denominator)

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class Offer(models.Model):
    """An offer of the judgment money to one holder (지급 제안)."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STATE_CHOICES = [(OPEN, "open"), (ACCEPTED, "accepted"), (REFUSED, "refused (수령 거부)"),
                     (WITHDRAWN, "withdrawn")]
    CHANNEL_CHOICES = [("visit", "visit"), ("letter", "letter"), ("phone", "phone"), ("lawyer", "through counsel")]

    holding = models.ForeignKey(ClaimHolding, on_delete=models.PROTECT, related_name="offers")
    offered_on = models.DateField()
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default="visit")
    amount_quoted = models.BigIntegerField(help_text="the holder's part of the amount due on the offer date")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=OPEN)
    answered_on = models.DateField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "offer (지급 제안)"
        ordering = ["offered_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["open", "accepted", "refused", "withdrawn"]),
                                   name="offer_state_known"),
            models.CheckConstraint(condition=Q(amount_quoted__gt=0), name="offer_amount_positive"),
            models.CheckConstraint(condition=Q(state="open") | Q(answered_on__isnull=False),
                                   name="offer_answer_dated"),
            models.UniqueConstraint(fields=["holding"], condition=Q(state="open"), name="offer_one_open_per_holding"),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.state})"


class ConsentVerification(models.Model):
    """How the acceptance of an offer was verified (동의 확인): identity, capacity, witness, form."""

    IDENTITY_CHOICES = [
        ("id_card_in_person", "identity card checked in person (신분증 대면 확인)"),
        ("resident_certificate", "resident registration certificate (주민등록등본)"),
        ("notarised", "notarised signature (공증)"),
        ("video_call", "video call with identity card"),
    ]
    SELF = "self"
    GUARDIAN = "guardian"
    PROXY = "proxy"
    CAPACITY_CHOICES = [(SELF, "the holder in person"), (GUARDIAN, "adult guardian (성년후견인)"),
                        (PROXY, "proxy appointed by court decision")]

    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="consent")
    holding = models.ForeignKey(ClaimHolding, on_delete=models.PROTECT, related_name="consents")
    verified_on = models.DateField()
    identity_method = models.CharField(max_length=30, choices=IDENTITY_CHOICES)
    capacity = models.CharField(max_length=10, choices=CAPACITY_CHOICES)
    representative_name = models.CharField(max_length=100, blank=True)
    representative_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                                related_name="+")
    witness_name = models.CharField(max_length=100)
    form_document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "consent verification (동의 확인)"
        ordering = ["verified_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(identity_method__in=["id_card_in_person", "resident_certificate", "notarised",
                                                 "video_call"]),
                name="consent_identity_method_known"),
            models.CheckConstraint(condition=Q(capacity__in=["self", "guardian", "proxy"]),
                                   name="consent_capacity_known"),
            models.CheckConstraint(
                condition=Q(capacity="self")
                | (Q(representative_document__isnull=False) & ~Q(representative_name="")),
                name="consent_representative_has_court_document"),
            models.CheckConstraint(condition=~Q(witness_name=""), name="consent_witnessed"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                                   name="consent_revocation_has_reason"),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} ({self.capacity}, {self.verified_on})"


class CourtDeposit(models.Model):
    """A court deposit (변제공탁, Art. 487) of a refusing holder's part, with its outcome."""

    FILED = "filed"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    OBJECTION_FILED = "objection_filed"
    OBJECTION_DISMISSED = "objection_dismissed"
    RETURNED = "returned"
    STATE_CHOICES = [
        (FILED, "filed (공탁 신청)"),
        (ACCEPTED, "accepted (수리)"),
        (REFUSED, "refused (불수리)"),
        (OBJECTION_FILED, "objection filed (이의신청)"),
        (OBJECTION_DISMISSED, "objection dismissed (이의 기각)"),
        (RETURNED, "returned to the foundation (회수)"),
    ]
    LIVE = (FILED, ACCEPTED, OBJECTION_FILED)

    holding = models.ForeignKey(ClaimHolding, on_delete=models.PROTECT, related_name="deposits")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="deposits")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="deposits")
    filed_on = models.DateField()
    principal_part = models.BigIntegerField()
    interest_part = models.BigIntegerField()
    amount = models.BigIntegerField()
    sheet = models.JSONField(help_text="calculation sheet of the claim on the filing date")
    state = models.CharField(max_length=30, choices=STATE_CHOICES, default=FILED)
    deposit_number = models.CharField("deposit number (공탁번호)", max_length=60, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True, help_text="the day it was accepted (수리), kept when it is "
                                   "returned later: a report for a date between the two finds it accepted")
    decision_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    reserve_transfer_id = models.CharField(max_length=80, blank=True)
    note = models.TextField(blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "court deposit (공탁)"
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["filed", "accepted", "refused", "objection_filed", "objection_dismissed",
                                       "returned"]),
                name="deposit_state_known"),
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(principal_part__gte=0) & Q(interest_part__gte=0)
                                   & Q(amount=models.F("principal_part") + models.F("interest_part")),
                                   name="deposit_amount_is_principal_plus_interest"),
            models.UniqueConstraint(fields=["holding"], condition=Q(state__in=["filed", "accepted", "objection_filed"]),
                                    name="deposit_one_live_per_holding"),
        ]

    def __str__(self) -> str:
        return f"court deposit {self.pk} ({self.court_id}, {self.state})"


class PaymentBatch(models.Model):
    """A payment batch (지급 묶음): prepared, approved by another person, exported, settled."""

    PREPARED = "prepared"
    APPROVED = "approved"
    EXPORTED = "exported"
    SETTLED = "settled"
    CANCELLED = "cancelled"
    STATE_CHOICES = [(PREPARED, "prepared"), (APPROVED, "approved — money reserved"),
                     (EXPORTED, "exported to the bank"), (SETTLED, "settled — every line paid or failed"),
                     (CANCELLED, "cancelled")]

    payment_date = models.DateField()
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=PREPARED)
    method = models.CharField(max_length=10, default="period")
    rounding = models.CharField(max_length=10, default="truncate")
    line_count = models.PositiveIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    exported_at = models.DateTimeField(null=True, blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "payment batch (지급 묶음)"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["prepared", "approved", "exported", "settled", "cancelled"]),
                                   name="batch_state_known"),
            models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("prepared_by")),
                                   name="batch_four_eyes"),
            models.CheckConstraint(
                condition=Q(state__in=["prepared", "cancelled"]) | Q(approved_by__isnull=False),
                name="batch_approved_before_payment"),
        ]

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.payment_date}, {self.state})"


class BatchClaim(models.Model):
    """The amount due on a claim on the batch's payment date, with its calculation sheet.

    The references of the payment tables (sheets, lines, indemnity claims) have no per-row
    foreign-key constraint: :mod:`baesang.cases.dbrules` checks them once per statement."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, db_constraint=False, related_name="claim_sheets",
                              db_index=False)  # the unique (batch, claim) index serves it
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, db_constraint=False, related_name="+", db_index=False)
    principal = models.BigIntegerField()
    interest = models.BigIntegerField()
    total = models.BigIntegerField()
    sheet = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "claim"], name="batch_claim_unique")]

    def __str__(self) -> str:
        return f"batch {self.batch_id} claim {self.claim_id}"


class BatchLine(models.Model):
    """One payment to one holder of one claim.

    An ``open`` line is in a batch that has not had the bank's answer for it: prepared,
    reserved (batch approved) or in the bank file (batch exported) — the batch's state says
    which, so approving and exporting a batch never rewrite its lines. The answer makes the
    line ``paid`` or ``failed``; a cancelled batch's lines are ``cancelled``.
    """

    OPEN = "open"
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    STATE_CHOICES = [(OPEN, "open — in a batch awaiting the bank"), (PAID, "paid"), (FAILED, "failed at the bank"),
                     (CANCELLED, "cancelled")]
    LIVE = (OPEN, PAID)

    # Indexes: lines are found by batch (the unique (batch, holding) index), by claim and by
    # holding; the other keys are not searched, and every index costs on each state change.
    # No per-row foreign-key constraints: baesang.cases.dbrules checks the references set-wise.
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, db_constraint=False, related_name="lines",
                              db_index=False)
    batch_claim = models.ForeignKey(BatchClaim, on_delete=models.PROTECT, db_constraint=False, related_name="lines",
                                    db_index=False)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, db_constraint=False, related_name="payment_lines")
    holding = models.ForeignKey(ClaimHolding, on_delete=models.PROTECT, db_constraint=False,
                                related_name="payment_lines")
    holder = models.ForeignKey(Person, on_delete=models.PROTECT, db_constraint=False, related_name="payment_lines",
                               db_index=False)
    consent = models.ForeignKey(ConsentVerification, on_delete=models.PROTECT, db_constraint=False,
                                related_name="payment_lines", db_index=False)
    share_numerator = models.BigIntegerField()
    share_denominator = models.BigIntegerField()
    principal_part = models.BigIntegerField()
    interest_part = models.BigIntegerField()
    amount = models.BigIntegerField()
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=OPEN)
    live = models.BooleanField(default=True, help_text="open or paid (kept in step with state by a CHECK); the "
                               "never-paid-twice index is on it, so that marking a line paid rewrites no index")
    bank_reference = models.CharField(max_length=80, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "payment line (지급 명세)"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["open", "paid", "failed", "cancelled"]),
                                   name="line_state_known"),
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(principal_part__gte=0) & Q(interest_part__gte=0)
                                   & Q(amount=models.F("principal_part") + models.F("interest_part")),
                                   name="line_amount_is_principal_plus_interest"),
            models.CheckConstraint(condition=Q(state__in=["open", "cancelled"]) | Q(resolved_on__isnull=False),
                                   name="line_answer_dated"),
            models.CheckConstraint(condition=(Q(live=True) & Q(state__in=["open", "paid"]))
                                   | (Q(live=False) & Q(state__in=["failed", "cancelled"])),
                                   name="line_live_is_open_or_paid"),
            # Never paid twice: one open or paid line per holding, whatever the batch.
            models.UniqueConstraint(fields=["holding"], condition=Q(live=True), name="line_never_paid_twice"),
            models.UniqueConstraint(fields=["batch", "holding"], name="line_one_per_holding_in_batch"),
        ]

    def __str__(self) -> str:
        return f"batch {self.batch_id} line {self.pk} ({self.state})"


class IndemnityClaim(models.Model):
    """The foundation's right of indemnity (구상권) against the debtor for what it paid.

    One row per paid line or accepted deposit (the subsidiary record); the ledger books the
    indemnity of one bank answer per debtor in one transfer (a summary posting)."""

    OPEN = "open"
    CANCELLED = "cancelled"

    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, db_constraint=False, related_name="indemnity_claims")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, db_constraint=False, related_name="indemnity_claims")
    holding = models.ForeignKey(ClaimHolding, on_delete=models.PROTECT, db_constraint=False,
                                related_name="indemnity_claims", db_index=False)
    line = models.OneToOneField(BatchLine, null=True, blank=True, on_delete=models.PROTECT, db_constraint=False,
                                related_name="indemnity_claim")
    deposit = models.OneToOneField(CourtDeposit, null=True, blank=True, on_delete=models.PROTECT, db_constraint=False,
                                   related_name="indemnity_claim")
    amount = models.BigIntegerField()
    arose_on = models.DateField(help_text="date of payment or of the accepted deposit")
    limitation_on = models.DateField(help_text="last day before the ten-year limitation (Art. 162(1))")
    transfer_id = models.CharField(max_length=128, db_index=True,
                                   help_text="the ledger transfer that booked it (one per debtor and bank answer)")
    state = models.CharField(max_length=20, default=OPEN, choices=[(OPEN, "open"), (CANCELLED, "cancelled")])

    class Meta:
        verbose_name = "indemnity claim (구상권)"
        ordering = ["arose_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="indemnity_amount_positive"),
            models.CheckConstraint(condition=Q(line__isnull=False) | Q(deposit__isnull=False),
                                   name="indemnity_from_payment_or_deposit"),
            models.CheckConstraint(condition=Q(limitation_on__gt=models.F("arose_on")),
                                   name="indemnity_limitation_after_arising"),
        ]

    def __str__(self) -> str:
        return f"indemnity {self.pk}: {self.amount:,} won until {self.limitation_on}"


class LimitationEvent(models.Model):
    """An event that may interrupt limitation (시효중단, Civil Code Arts. 168-178).

    Either of a creditor's judgment claim (``claim``: ten years from the judgment becoming
    final, Art. 165(1)) — the creditor's new suit, a seizure, the debtor's acknowledgment, a
    demand — or of the foundation's indemnity claims against a debtor (``debtor``: ten years
    from each payment, Art. 162(1)) — the foundation's suit, seizure or demand, the debtor's
    acknowledgment; it then concerns every indemnity claim against that debtor arisen by its
    date. The foundation's own offer, payment or deposit is not an event of a judgment claim
    (Art. 169: it is neither party). Dated by the day it took effect; ``ended_on`` is the day
    a suit's judgment became final (or it was dismissed or withdrawn, ``failed``) or a seizure
    ended; empty while pending. The date computation is :mod:`baesang.calc.limitation`."""

    SUIT = "suit"
    SEIZURE = "seizure"
    ACKNOWLEDGMENT = "acknowledgment"
    DEMAND = "demand"
    KIND_CHOICES = [(SUIT, "new suit (재판상 청구)"), (SEIZURE, "seizure (압류·가압류·가처분)"),
                    (ACKNOWLEDGMENT, "acknowledgment by the debtor (승인)"), (DEMAND, "demand (최고)")]

    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="limitation_events")
    debtor = models.ForeignKey(Debtor, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="indemnity_limitation_events")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    on = models.DateField(help_text="the day it took effect (a suit's filing, the day an acknowledgment reached "
                                    "the creditor)")
    ended_on = models.DateField(null=True, blank=True)
    failed = models.BooleanField(default=False, help_text="suit dismissed or withdrawn, seizure cancelled")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "limitation event (시효중단 사유)"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["suit", "seizure", "acknowledgment", "demand"]),
                                   name="limitation_event_kind_known"),
            models.CheckConstraint(condition=(Q(claim__isnull=False) & Q(debtor__isnull=True))
                                   | (Q(claim__isnull=True) & Q(debtor__isnull=False)),
                                   name="limitation_event_of_claim_or_debtor"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("on")),
                                   name="limitation_event_ends_after_start"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(kind__in=["suit", "seizure"]),
                                   name="limitation_event_end_of_suit_or_seizure"),
        ]

    def __str__(self) -> str:
        return f"limitation event {self.pk} ({self.kind}, {self.on})"


class FiguresCache(models.Model):
    """Totals computed over every claim (dashboard, fund report, waiting list), kept so that
    the next visitor does not compute them again (docs/ledger.md "Fund report"). The key names
    the figures, the date they are for and the state version they were computed at
    (:func:`baesang.cases.selectors.figures_version`); any write that could change them moves
    the version, so an entry is read only for the exact state it was computed from. Shared by
    every application server (a table, not process memory); not a record: it may be emptied."""

    key = models.CharField(max_length=200, unique=True)
    value = models.TextField(help_text="the figures as JSON text (the order of keys kept)")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "figures cache entry"

    def __str__(self) -> str:
        return self.key
