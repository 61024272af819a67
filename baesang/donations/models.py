"""Donors (기부자), pledges (기부 약정), donations received (기부금 입금) and donation receipts (기부금 영수증).

- A donation received is booked in the ledger once, in won, as a transfer Dr bank / Cr
  restricted or unrestricted donations income; a foreign-currency donation keeps its currency,
  original amount and rate beside the won amount. Donations are append-only: a mistake is
  corrected by a reversing transfer, never by editing the row.
- Donation receipts (기부금 영수증, Income Tax Act Art. 160-3 / Corporate Tax Act Art. 112-2)
  are numbered in a gap-free series per year of the donation ("2023-000001"); a number is
  assigned under a lock on the year's counter row and never reused (receipts are append-only).
- A mistaken donation is corrected by a reversal (기부금 입금 취소): a finance officer proposes
  it with a reason and an approver who did not propose it approves it (four eyes, also a
  database CHECK); approving books the reversing ledger transfer and cancels the donation's
  receipt, which stays on record with its number (a cancellation row; receipts are
  append-only). A corrected donation is then recorded as a new donation and receipt.
- Pledges are promises, not money: they stay out of the ledger and appear in the fund position
  as "pledged but not received".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class DonorKind(models.TextChoices):
    COMPANY = "company", "company (기업)"
    ASSOCIATION = "association", "business association (경제단체)"
    INDIVIDUAL = "individual", "individual (개인)"
    GOVERNMENT = "government", "government (정부·지자체)"


class Donor(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=DonorKind.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    brn = models.CharField(max_length=10, blank=True, help_text="Korean business registration number (사업자등록번호)")
    may_be_named_publicly = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "donor (기부자)"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["brn"], condition=~Q(brn=""), name="donations_donor_brn_unique"),
            models.UniqueConstraint(fields=["name", "country"], condition=Q(brn=""),
                                    name="donations_donor_name_unique_without_brn"),
        ]

    def __str__(self) -> str:
        return self.name


class Pledge(models.Model):
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges")
    amount = models.BigIntegerField(help_text="won")
    pledged_on = models.DateField()
    expected_on = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    restricted = models.BooleanField(default=True, help_text="earmarked for judgment payments")
    withdrawn_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = "pledge (기부 약정)"
        ordering = ["pledged_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="donations_pledge_amount_positive")]

    def __str__(self) -> str:
        return f"{self.donor} {self.amount:,} won ({self.pledged_on})"


class Donation(models.Model):
    # No per-row foreign-key constraints: baesang.donations.dbrules checks the references once
    # per statement (an import inserts a million donations in one).
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations", db_constraint=False)
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, null=True, blank=True, related_name="donations",
                               db_constraint=False)
    value_date = models.DateField()
    bank_reference = models.CharField(max_length=100, unique=True)
    currency = models.CharField(max_length=3, help_text="ISO 4217")
    original_amount = models.DecimalField(max_digits=24, decimal_places=4)
    rate = models.DecimalField(max_digits=18, decimal_places=6, help_text="won per unit of the currency; 1 for KRW")
    amount_won = models.BigIntegerField(help_text="original amount × rate, truncated to whole won")
    restricted = models.BooleanField()
    transfer = models.OneToOneField("ledger.Transfer", on_delete=models.PROTECT, related_name="donation",
                                    db_constraint=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", db_constraint=False)

    class Meta:
        verbose_name = "donation received (기부금 입금)"
        ordering = ["value_date", "id"]
        indexes = [models.Index(fields=["value_date", "id"], name="donations_donation_date_id")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_won__gt=0), name="donations_donation_won_positive"),
            models.CheckConstraint(condition=Q(original_amount__gt=0, rate__gt=0),
                                   name="donations_donation_amount_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_reference} {self.amount_won:,} won"


class ReceiptCounter(models.Model):
    """The last receipt number given in one year; locked while a number is assigned."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "receipt counter"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class DonationReceipt(models.Model):
    number = models.CharField(max_length=16, unique=True, help_text="YYYY-NNNNNN, gap-free per year")
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="receipt")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="receipts")
    amount_won = models.BigIntegerField()
    issued_on = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "donation receipt (기부금 영수증)"
        ordering = ["year", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="donations_receipt_year_serial_unique"),
            models.CheckConstraint(condition=Q(serial__gt=0, amount_won__gt=0), name="donations_receipt_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class ReversalState(models.TextChoices):
    PROPOSED = "proposed", "proposed (제안)"
    APPROVED = "approved", "approved and booked (승인·기입)"
    REJECTED = "rejected", "rejected (반려)"


class DonationReversal(models.Model):
    """The reversal of a donation recorded by mistake (기부금 입금 취소): proposed by a finance
    officer with a reason, approved by another person (four eyes), booked as one reversing
    ledger transfer. A donation has at most one reversal that is proposed or approved."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="reversals")
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=ReversalState.choices, default=ReversalState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    reversed_on = models.DateField(null=True, blank=True, help_text="value date of the reversing transfer")
    transfer = models.OneToOneField("ledger.Transfer", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="donation_reversal")

    class Meta:
        verbose_name = "donation reversal (기부금 입금 취소)"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                                   name="donations_reversal_four_eyes"),
            models.UniqueConstraint(fields=["donation"], condition=Q(state__in=["proposed", "approved"]),
                                    name="donations_reversal_one_open_or_approved"),
            models.CheckConstraint(condition=~Q(state="approved") | Q(transfer__isnull=False, decided_by__isnull=False,
                                                                       reversed_on__isnull=False),
                                   name="donations_reversal_approved_is_booked"),
            models.CheckConstraint(condition=~Q(reason=""), name="donations_reversal_reason_required"),
        ]

    def __str__(self) -> str:
        return f"reversal of {self.donation.bank_reference} ({self.state})"


class ReceiptCancellation(models.Model):
    """A donation receipt cancelled (영수증 취소) because its donation was reversed. The receipt
    keeps its number; the number is never given again (append-only)."""

    receipt = models.OneToOneField(DonationReceipt, on_delete=models.PROTECT, related_name="cancellation")
    reversal = models.OneToOneField(DonationReversal, on_delete=models.PROTECT, related_name="receipt_cancellation")
    reason = models.TextField()
    cancelled_on = models.DateField()
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "donation receipt cancellation (기부금 영수증 취소)"
        ordering = ["cancelled_on", "id"]

    def __str__(self) -> str:
        return f"{self.receipt.number} cancelled on {self.cancelled_on}"
