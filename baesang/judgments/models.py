"""Judgments and who holds them: courts, debtor companies, final judgments, persons
(victims and heirs), documents and each creditor's judgment order (claim). Who holds a claim,
and the history of it, lives with the lifecycle that drives it, in ``baesang.cases``.

Rules kept here:
- A claim is one creditor's judgment order: principal in whole won plus interest segments
  exactly as the judgment words them (DOMAIN.md §3); the interest engine
  (``baesang.calc.interest``) validates and computes them.
- A claim is held by the plaintiff, or by heirs in shares fixed by the Civil Code in force on
  the date of death (Arts. 1000–1010; the family file is kept with the change and its SHA-256),
  or by shares entered from a document. A change of holders closes the current holdings and
  opens new ones; nothing is deleted, and amounts already paid stay as they were.
- Each holding has its own lifecycle (offer → accepted / refused → paid / deposited):
  consent is per holder, since each heir disposes of their own share.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from baesang.pii.fields import BlindIndexField, EncryptedTextField


class Court(models.Model):
    """A court or its deposit office (법원 / 공탁소)."""

    name = models.CharField("name (법원명)", max_length=100, unique=True)
    name_en = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = "court (법원)"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Debtor(models.Model):
    """A judgment debtor company (채무자). Its ``code`` names its indemnity account."""

    code = models.SlugField(max_length=20, unique=True, help_text="short code, e.g. NSC; names the indemnity account")
    name = models.CharField("name (채무자명)", max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, default="JP")

    class Meta:
        verbose_name = "debtor (채무자)"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Judgment(models.Model):
    """A final judgment (확정판결) ordering a debtor to pay its plaintiffs."""

    case_number = models.CharField("case number (사건번호)", max_length=40, unique=True,
                                   help_text="e.g. 2013다61381")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="judgments")
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="judgments")
    decided_on = models.DateField("decided on (선고일)")
    final_on = models.DateField("final on (확정일)")
    plaintiffs_count = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "judgment (판결)"
        ordering = ["final_on", "case_number"]
        #: the waiting list's order (final date, case number), read by keyset (cases.selectors.waiting_page)
        indexes = [models.Index(fields=["final_on", "case_number", "id"], name="judgment_waiting_order")]
        constraints = [
            models.CheckConstraint(condition=Q(final_on__gte=models.F("decided_on")),
                                   name="judgment_final_not_before_decision"),
            models.CheckConstraint(condition=Q(plaintiffs_count__gt=0), name="judgment_has_plaintiffs"),
        ]

    def __str__(self) -> str:
        return self.case_number


class Person(models.Model):
    """A victim or an heir (피해자 / 상속인). Contact data and identifiers are encrypted at rest."""

    SEX_CHOICES = [("M", "male"), ("F", "female")]

    name_hangul = models.CharField("name (한글)", max_length=100)
    name_hanja = models.CharField("name (漢字)", max_length=100, blank=True)
    name_roman = models.CharField("name (romanized)", max_length=200, blank=True)
    search_keys = models.JSONField(default=list, blank=True,
                                   help_text="name keys from baesang.pii.names.search_keys_for")
    search_text = models.TextField(blank=True, editable=False,
                                   help_text="the keys as |key|key| for contains lookups (baesang.pii.names)")
    sex = models.CharField(max_length=1, choices=SEX_CHOICES, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    death_date = models.DateField(null=True, blank=True, help_text="set through person_death_record (a recorded "
                                  "fact with its evidence), or at registration")
    death_document = models.ForeignKey("Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       help_text="the evidence of the death (e.g. a basic certificate, 기본증명서)")
    needs_representative = models.BooleanField(
        default=False, help_text="cannot decide alone (e.g. dementia): consent only through a guardian or proxy "
        "with a court document")
    rrn = EncryptedTextField("resident registration number (주민등록번호)", blank=True, mask="rrn")
    rrn_index = BlindIndexField(source="rrn", purpose="rrn", unique=True,
                                help_text="keyed hash of the RRN: one person per resident registration number")
    phone = EncryptedTextField(blank=True, mask="phone")
    address = EncryptedTextField(blank=True, mask="address")
    bank_name = models.CharField(max_length=60, blank=True)
    bank_account = EncryptedTextField(blank=True, mask="bank_account")
    pseudonymous = models.BooleanField(default=False, help_text="invented demo person, not a real one")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "person (피해자·상속인)"
        ordering = ["name_hangul", "id"]
        #: search by exact name and the search's order; on PostgreSQL also a trigram index on
        #: ``search_text`` (migration 0009, pg_trgm) for the ``contains`` lookups of the search
        indexes = [models.Index(fields=["name_hangul", "id"], name="person_name_order"),
                   models.Index(fields=["name_hanja"], name="person_name_hanja")]
        constraints = [
            models.CheckConstraint(
                condition=Q(death_date__isnull=True) | Q(birth_date__isnull=True)
                | Q(death_date__gte=models.F("birth_date")),
                name="person_death_not_before_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.name_hangul

    @property
    def is_living(self) -> bool:
        return self.death_date is None


class Document(models.Model):
    """A document kept with a case, stored under MEDIA_ROOT and identified by its SHA-256."""

    JUDGMENT = "judgment"
    FAMILY_RELATION_CERTIFICATE = "family_relation_certificate"
    CONSENT_FORM = "consent_form"
    COURT_DECISION = "court_decision"
    GUARDIANSHIP = "guardianship"
    OTHER = "other"
    KIND_CHOICES = [
        (JUDGMENT, "judgment (판결문)"),
        (FAMILY_RELATION_CERTIFICATE, "family relation certificate (가족관계증명서)"),
        (CONSENT_FORM, "signed consent form (동의서)"),
        (COURT_DECISION, "court decision (법원 결정문)"),
        (GUARDIANSHIP, "guardianship decision (후견 개시 심판)"),
        (OTHER, "other"),
    ]

    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="documents/%Y/")
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    judgment = models.ForeignKey(Judgment, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="documents")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document (서류)"
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["judgment", "family_relation_certificate", "consent_form",
                                                         "court_decision", "guardianship", "other"]),
                                   name="document_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Claim(models.Model):
    """One creditor's judgment order (판결 채권): principal plus delay interest segments.

    ``state`` summarises the states of the current holdings (see ``claim_state_of``); it is
    refreshed by the services that change holdings.
    """

    REGISTERED = "registered"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    DEPOSITED = "deposited"
    PAID = "paid"
    STATE_CHOICES = [
        (REGISTERED, "registered — no offer yet"),
        (OFFERED, "offered — awaiting an answer"),
        (ACCEPTED, "accepted — waiting for payment"),
        (REFUSED, "refused by a holder"),
        (DEPOSITED, "settled, at least partly by court deposit"),
        (PAID, "paid in full"),
    ]
    METHOD_CHOICES = [("period", "period method (기간식)"), ("days", "total days (총일수식)")]

    judgment = models.ForeignKey(Judgment, on_delete=models.PROTECT, related_name="claims")
    position = models.PositiveIntegerField(help_text="plaintiff number in the judgment (원고 번호)")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="claims_as_victim")
    plaintiff = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="claims_as_plaintiff",
                                  help_text="the plaintiff named in the judgment, when not the victim")
    principal = models.BigIntegerField("principal (원금)")
    method = models.CharField(max_length=10, choices=METHOD_CHOICES, default="period")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=REGISTERED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "claim (판결 채권)"
        ordering = ["judgment__final_on", "judgment__case_number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["judgment", "position"], name="claim_position_unique"),
            models.CheckConstraint(condition=Q(principal__gt=0), name="claim_principal_positive"),
            models.CheckConstraint(condition=Q(method__in=["period", "days"]), name="claim_method_known"),
            models.CheckConstraint(
                condition=Q(state__in=["registered", "offered", "accepted", "refused", "deposited", "paid"]),
                name="claim_state_known"),
        ]

    def __str__(self) -> str:
        return f"{self.judgment.case_number} #{self.position}"


class ClaimSegment(models.Model):
    """One interest segment of a claim, as the judgment words it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="empty: until paid (다 갚는 날까지)")
    rate = models.DecimalField(max_digits=7, decimal_places=4, help_text="annual rate in percent")

    class Meta:
        ordering = ["claim", "position"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "position"], name="claim_segment_position_unique"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=100), name="claim_segment_rate_range"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="claim_segment_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start}..{self.end or 'paid'} {self.rate}%"


# Probable duplicates, merges and external evidence (kept in their own module).
from baesang.judgments.duplicates import DuplicatePair, ExternalRecord, MatchRun, PersonMerge  # noqa: E402

__all__ = ["Claim", "ClaimSegment", "Court", "Debtor", "Document", "DuplicatePair", "ExternalRecord", "Judgment",
           "MatchRun", "Person", "PersonMerge"]
