"""Errors of the fund ledger. Each one means nothing was changed."""

from __future__ import annotations

from baesang.core.errors import DomainError, InputError, RecordNotFound


class LedgerError(DomainError):
    code = "ledger_error"


class InvalidAccount(LedgerError, InputError):
    """An account's attributes break a rule (unknown type, purpose or limit, bad code)."""

    code = "invalid_account"


class AccountExists(LedgerError):
    code = "account_exists"


class AccountConflict(LedgerError):
    """``account_ensure`` found the code with other attributes."""

    code = "account_conflict"


class AccountNotFound(LedgerError, RecordNotFound):
    code = "account_not_found"


class InvalidTransfer(LedgerError, InputError):
    """A transfer breaks a rule on its own: amount, accounts, id, date."""

    code = "invalid_transfer"


class TransferIdConflict(LedgerError):
    """The id was used before for a transfer with other content (an id is never reused)."""

    code = "transfer_id_conflict"


class LimitExceeded(LedgerError):
    """The transfer would break an account's balance limit."""

    code = "limit_exceeded"

    def __init__(self, message: str, *, account: str, limit: str) -> None:
        super().__init__(message, field="amount")
        self.account = account
        self.limit = limit


class PendingNotFound(LedgerError, RecordNotFound):
    code = "pending_not_found"


class PendingAlreadyResolved(LedgerError):
    """A pending transfer is posted or voided exactly once."""

    code = "pending_already_resolved"


class PendingAmountExceeded(LedgerError):
    """A post may take at most the pending amount."""

    code = "pending_amount_exceeded"


class LedgerNotVerified(LedgerError):
    """A checkpoint is recorded only for a ledger that verifies."""

    code = "ledger_not_verified"
