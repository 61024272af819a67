"""Errors of the cases app (offers, consent, deposits, payment batches). Each means nothing
was changed; the codes are stable and reused by tests, the API and the commands."""

from __future__ import annotations

from baesang.core.errors import DomainError, InputError, PermissionDenied


class CaseError(DomainError):
    code = "case_error"


class IllegalTransition(CaseError):
    """The entity is not in a state that allows this change (e.g. posting a voided line)."""

    code = "illegal_transition"


class DuplicateUndecided(CaseError):
    """A holder is in an undecided pair of probable duplicates with someone paid or in the batch."""

    code = "duplicate_undecided"


class InvalidDate(CaseError, InputError):
    """A date given is out of order with the record (before the offer, before the interest starts)."""

    code = "invalid_date"


class HoldingNotCurrent(CaseError):
    """The holding was replaced by a later holder change."""

    code = "holding_not_current"


class ConsentNotVerified(CaseError, InputError):
    """An acceptance lacks a verification the rules require (identity, capacity, witness, form)."""

    code = "consent_not_verified"


class FourEyesViolation(CaseError, PermissionDenied):
    """The approver of a batch prepared it."""

    code = "four_eyes_violation"




class InsufficientFund(CaseError):
    """The available fund cannot cover a batch or deposit; nothing was reserved."""

    code = "insufficient_fund"


class AlreadyPaid(CaseError):
    """A holder of a claim would be paid twice."""

    code = "already_paid"


class PaymentDateTooFar(InvalidDate):
    """A batch's payment date more than a year after the foundation's today (baesang.cases.dates)."""

    code = "payment_date_too_far"


class EmptyBatch(CaseError):
    code = "empty_batch"


class BankResultInvalid(CaseError, InputError):
    """A bank result file is malformed or contradicts the batch; nothing was imported."""

    code = "bank_result_invalid"


class InvalidDeposit(CaseError):
    code = "invalid_deposit"


class InvalidLimitationEvent(CaseError, InputError):
    """A limitation event (시효중단 사유) breaks a rule: unknown kind, before the period started,
    an end before its start, or an end for a kind that has none."""

    code = "invalid_limitation_event"


class BankDateInFuture(BankResultInvalid):
    """A bank result dated after the foundation's today: the bank cannot have paid yet."""

    code = "bank_date_future"
