"""The fund ledger's tables: accounts (계정), transfers (이체) and the chain head.

Double-entry bookkeeping in TigerBeetle's form: a transfer moves one whole-won amount from
one account (debit) to another (credit), so every transfer balances by construction.

- :class:`Account` keeps denormalised running totals (posted and pending debits and
  credits), updated in the same database transaction as each transfer, under a row lock.
  A balance limit is a database CHECK as well as a service rule.
- :class:`Transfer` is append-only (UPDATE and DELETE are rejected by triggers, see
  :mod:`baesang.core.db`); each row carries a SHA-256 hash over its content and the
  previous transfer's hash, so an edit made behind the triggers' back is detected by
  ``baesang ledger verify``.
- :class:`LedgerHead` is one row holding the last sequence number and hash; writers lock it
  so the chain is extended by one writer at a time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

GENESIS_HASH = "0" * 64


class AccountType(models.TextChoices):
    ASSET = "asset", "asset (자산)"
    LIABILITY = "liability", "liability (부채)"
    EQUITY = "equity", "equity / net assets (순자산)"
    INCOME = "income", "income (수익)"
    EXPENSE = "expense", "expense (비용)"


# Accounts whose balance grows with debits; the others grow with credits.
DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class AccountPurpose(models.TextChoices):
    BANK = "bank", "bank account (보통예금)"
    DONATIONS_INCOME = "donations_income", "donations income (기부금 수익)"
    RESTRICTED_FUND = "restricted_fund", "restricted fund (지정 기금)"
    UNRESTRICTED_FUND = "unrestricted_fund", "unrestricted fund (일반 기금)"
    JUDGMENT_PAYMENTS = "judgment_payments", "judgment payments (판결금 지급)"
    DEPOSITS_HELD = "deposits_held", "court deposits held (공탁금)"
    INDEMNITY_RECEIVABLE = "indemnity_receivable", "indemnity receivable (구상권)"
    INDEMNITY_RESERVE = "indemnity_reserve", "indemnity reserve (구상권 충당)"
    INDEMNITY_RECOVERIES = "indemnity_recoveries", "indemnity recoveries (구상금 회수)"
    CREDITOR_PAYABLE = "creditor_payable", "creditor payable (미지급 판결금)"
    OPENING_BALANCE = "opening_balance", "opening balances (기초 잔액)"
    OTHER = "other", "other"


class BalanceLimit(models.TextChoices):
    """TigerBeetle's account flags: a limit on posted plus pending amounts."""

    NONE = "", "no limit"
    # debits_posted + debits_pending <= credits_posted: e.g. a creditor payable is never overpaid.
    DEBITS_MUST_NOT_EXCEED_CREDITS = "debits_must_not_exceed_credits", "debits must not exceed credits"
    # credits_posted + credits_pending <= debits_posted: e.g. the bank never goes below zero.
    CREDITS_MUST_NOT_EXCEED_DEBITS = "credits_must_not_exceed_debits", "credits must not exceed debits"


class Account(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=10, choices=AccountType.choices)
    purpose = models.CharField(max_length=32, choices=AccountPurpose.choices)
    restricted = models.BooleanField(
        default=False, help_text="belongs to the restricted fund (지정 기금): earmarked donations and their use"
    )
    debtor = models.CharField(
        max_length=64, blank=True, help_text="code of the debtor company (indemnity receivables); no foreign key"
    )
    limit = models.CharField(max_length=32, choices=BalanceLimit.choices, blank=True, db_column="balance_limit")
    debits_posted = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    debits_pending = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "account (계정)"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debits_posted__gte=0, credits_posted__gte=0, debits_pending__gte=0, credits_pending__gte=0),
                name="ledger_account_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(limit="")
                | Q(
                    limit=BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS,
                    debits_posted__lte=F("credits_posted") - F("debits_pending"),
                )
                | Q(
                    limit=BalanceLimit.CREDITS_MUST_NOT_EXCEED_DEBITS,
                    credits_posted__lte=F("debits_posted") - F("credits_pending"),
                ),
                name="ledger_account_balance_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL


class TransferKind(models.TextChoices):
    POSTED = "posted", "posted (확정)"
    PENDING = "pending", "pending (가이체, reserved)"
    POST_PENDING = "post_pending", "post of a pending transfer"
    VOID_PENDING = "void_pending", "void of a pending transfer"


RESOLUTION_KINDS = (TransferKind.POST_PENDING, TransferKind.VOID_PENDING)


class Transfer(models.Model):
    id = models.CharField(primary_key=True, max_length=128, help_text="client-supplied unique id (idempotency key)")
    seq = models.BigIntegerField(unique=True, help_text="position in the hash chain, 1, 2, 3 …")
    kind = models.CharField(max_length=12, choices=TransferKind.choices)
    # No foreign-key constraints: the same rules are enforced once per statement by the triggers
    # of baesang.ledger.dbrules (transfers name existing accounts, pending transfer and user;
    # accounts are never deleted, nor a user a transfer names).
    debit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="debit_transfers",
                                      db_constraint=False)
    credit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credit_transfers",
                                       db_constraint=False)
    amount = models.BigIntegerField(help_text="whole won, > 0")
    pending = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resolutions", db_index=False,
        db_constraint=False,
        help_text="the pending transfer this one posts or voids (each pending is resolved once: see constraints)",
    )
    journal = models.CharField(max_length=128, help_text="transfers created together, all or none")
    value_date = models.DateField()
    description = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "transfer (이체)"
        ordering = ["seq"]
        # Indexes are declared here rather than with db_index, so PostgreSQL gets no extra
        # varchar_pattern_ops ("_like") index: every index costs time on each insert.
        indexes = [models.Index(fields=["journal"], name="ledger_transfer_journal_idx")]
        constraints = [
            models.UniqueConstraint(fields=["pending"], condition=Q(pending__isnull=False),
                                    name="ledger_transfer_pending_resolved_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")), name="ledger_transfer_accounts_differ"
            ),
            models.CheckConstraint(condition=Q(seq__gt=0), name="ledger_transfer_seq_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["posted", "pending"], pending__isnull=True)
                | Q(kind__in=["post_pending", "void_pending"], pending__isnull=False),
                name="ledger_transfer_pending_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id} #{self.seq} {self.kind} {self.amount}"


class LedgerHead(models.Model):
    """The single row naming the last transfer of the chain (id is always 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "ledger head"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="ledger_head_single_row")]

    def __str__(self) -> str:
        return f"head #{self.seq} {self.hash}"


class LedgerCheckpoint(models.Model):
    """A signed record of the ledger verified up to one transfer (append-only).

    ``baesang ledger checkpoint`` verifies the chain (from the previous checkpoint, or from the
    first transfer) and records where it stood: the last transfer's sequence number and hash,
    every account's four running totals, and the pending transfers still open (their ids, and a
    digest of their accounts, amounts and value dates). An HMAC over all of it, with a key
    derived from the field key (:func:`baesang.ledger.verification.checkpoint_key`), makes an
    edited checkpoint evident; ``ledger verify --since-checkpoint`` then checks the signature and
    replays only the transfers after ``seq``.
    """

    seq = models.BigIntegerField(help_text="sequence number of the last transfer verified")
    hash = models.CharField(max_length=64, help_text="that transfer's chain hash")
    balances = models.JSONField(help_text="account id → [debits posted, credits posted, debits pending, "
                                          "credits pending] after transfer seq")
    pending_ids = models.JSONField(help_text="ids of the pending transfers open after transfer seq")
    pendings_digest = models.CharField(max_length=64, help_text="SHA-256 of the open pending transfers' content")
    verified_from = models.BigIntegerField(help_text="0: verified from the first transfer; else the sequence "
                                                     "number of the checkpoint it continued from")
    key_id = models.CharField(max_length=16, help_text="fingerprint of the signing key")
    signature = models.CharField(max_length=64, help_text="HMAC-SHA256 of the fields above")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", db_index=False)

    class Meta:
        verbose_name = "ledger checkpoint"
        indexes = [models.Index(fields=["seq"], name="ledger_checkpoint_seq_idx")]
        constraints = [models.CheckConstraint(condition=Q(seq__gte=0), name="ledger_checkpoint_seq_not_negative")]

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} at seq {self.seq}"
