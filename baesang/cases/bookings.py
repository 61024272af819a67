"""How the foundation's case work is booked in the fund ledger (docs/ledger.md, docs/workflow.md).

- Payment of judgment money (third-party performance, Civil Code Art. 469): approval
  reserves it with a *pending* transfer judgment payments ← bank; the bank's answer posts
  it (paid) or voids it (failed). Judgment payments are charged to the restricted fund, the
  donations earmarked for them.
- Indemnity claim (구상권): for every won paid (or validly deposited) the receivable against
  the debtor grows, against the indemnity reserve — recovery is uncertain and the claim is
  not money the fund can spend.
- Court deposit (공탁, Art. 487): filing reserves deposits held ← bank; the deposit office's
  acceptance posts it, a refusal (불수리) voids it; money that comes back moves deposits held
  → bank.

Every transfer id is derived from the id of the line or deposit and the step, so a retry
after a crash is a no-op in the ledger (the ledger is idempotent by client id).
"""

from __future__ import annotations

from datetime import date

from baesang.ledger import accounts
from baesang.ledger.services import TransferSpec

PAYMENTS_ACCOUNT = accounts.JUDGMENT_PAYMENTS_EXPENSE
BANK_ACCOUNT = accounts.BANK
DEPOSITS_ACCOUNT = accounts.DEPOSITS_HELD
INDEMNITY_RESERVE_ACCOUNT = accounts.INDEMNITY_RESERVE


def line_transfer_id(line_id: int, step: str) -> str:
    """``pay-line-<id>-reserve`` / ``-post`` / ``-void`` / ``-indemnity``."""
    return f"pay-line-{line_id}-{step}"


def deposit_transfer_id(deposit_id: int, step: str) -> str:
    """``deposit-<id>-reserve`` / ``-post`` / ``-void`` / ``-pay`` / ``-return`` / ``-indemnity`` …"""
    return f"deposit-{deposit_id}-{step}"


def chart_ready(*, user=None) -> None:
    accounts.chart_ensure(user=user)


def indemnity_account_code(debtor, *, user=None) -> str:
    return accounts.indemnity_account(debtor.code, debtor.name, user=user).code


def payment_reserve(*, line_id: int, amount: int, value_date: date, batch_id: int) -> TransferSpec:
    return TransferSpec(id=line_transfer_id(line_id, "reserve"), debit=PAYMENTS_ACCOUNT, credit=BANK_ACCOUNT,
                        amount=amount, value_date=value_date, description=f"batch {batch_id} line {line_id}",
                        journal=f"batch-{batch_id}-approve", pending=True)


def indemnity_record(*, transfer_id: str, account_code: str, amount: int, value_date: date,
                     description: str, journal: str) -> TransferSpec:
    return TransferSpec(id=transfer_id, debit=account_code, credit=INDEMNITY_RESERVE_ACCOUNT, amount=amount,
                        value_date=value_date, description=description, journal=journal)


def indemnity_cancel(*, transfer_id: str, account_code: str, amount: int, value_date: date,
                     description: str, journal: str) -> TransferSpec:
    return TransferSpec(id=transfer_id, debit=INDEMNITY_RESERVE_ACCOUNT, credit=account_code, amount=amount,
                        value_date=value_date, description=description, journal=journal)


def deposit_reserve(*, deposit_id: int, amount: int, value_date: date) -> TransferSpec:
    return TransferSpec(id=deposit_transfer_id(deposit_id, "reserve"), debit=DEPOSITS_ACCOUNT, credit=BANK_ACCOUNT,
                        amount=amount, value_date=value_date, description=f"court deposit {deposit_id} filed",
                        journal=deposit_transfer_id(deposit_id, "reserve"), pending=True)


def deposit_pay(*, deposit_id: int, amount: int, value_date: date) -> TransferSpec:
    return TransferSpec(id=deposit_transfer_id(deposit_id, "pay"), debit=DEPOSITS_ACCOUNT, credit=BANK_ACCOUNT,
                        amount=amount, value_date=value_date,
                        description=f"court deposit {deposit_id} accepted on objection",
                        journal=deposit_transfer_id(deposit_id, "pay"))


def deposit_return(*, deposit_id: int, amount: int, value_date: date) -> TransferSpec:
    return TransferSpec(id=deposit_transfer_id(deposit_id, "return"), debit=BANK_ACCOUNT, credit=DEPOSITS_ACCOUNT,
                        amount=amount, value_date=value_date, description=f"court deposit {deposit_id} returned",
                        journal=deposit_transfer_id(deposit_id, "return"))
