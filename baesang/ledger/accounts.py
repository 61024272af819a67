"""The chart of accounts (계정과목표) of the foundation's fund ledger.

Fund accounting for a non-profit: donations are income of the restricted fund (지정 기금,
earmarked for judgment payments) or of the unrestricted fund; judgment payments are expenses
charged to one of the two funds. Paying a judgment debt for the debtor (third-party
performance, Civil Code Art. 469) gives the foundation a right of indemnity (구상권) against
the debtor company, recorded per debtor against a reserve, because recovery is uncertain and
the claim is not money the fund can spend. Court deposits (공탁, Art. 487) stay the
foundation's asset until the creditor withdraws them or they come back. See docs/ledger.md
for every booking.
"""

from __future__ import annotations

from django.db import transaction

from baesang.ledger.models import Account, AccountPurpose, AccountType, BalanceLimit
from baesang.ledger.services import account_ensure

BANK = "1000"
DEPOSITS_HELD = "1100"
INDEMNITY_RECEIVABLE_PREFIX = "1200-"
CREDITOR_PAYABLE = "2000"
CREDITOR_PAYABLE_PREFIX = "2000-"
RESTRICTED_FUND = "3000"
UNRESTRICTED_FUND = "3100"
INDEMNITY_RESERVE = "3200"
OPENING_BALANCE = "3900"
DONATIONS_RESTRICTED = "4000"
DONATIONS_UNRESTRICTED = "4100"
INDEMNITY_RECOVERIES = "4200"
JUDGMENT_PAYMENTS_EXPENSE = "5000"
JUDGMENT_PAYMENTS_UNRESTRICTED_EXPENSE = "5100"

_A, _L, _E, _I, _X = AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY, AccountType.INCOME, \
    AccountType.EXPENSE
_NEVER_NEGATIVE = BalanceLimit.CREDITS_MUST_NOT_EXCEED_DEBITS  # a debit-normal balance never below zero
_NEVER_OVERPAID = BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS  # a credit-normal balance never below zero

# code, name, type, purpose, restricted, limit
CHART: list[tuple[str, str, str, str, bool, str]] = [
    (BANK, "보통예금 (bank account)", _A, AccountPurpose.BANK, False, _NEVER_NEGATIVE),
    (DEPOSITS_HELD, "공탁금 (court deposits held)", _A, AccountPurpose.DEPOSITS_HELD, False, _NEVER_NEGATIVE),
    (CREDITOR_PAYABLE, "미지급 판결금 (creditor payables, control)", _L, AccountPurpose.CREDITOR_PAYABLE, False,
     _NEVER_OVERPAID),
    (RESTRICTED_FUND, "지정 기금 (restricted fund balance)", _E, AccountPurpose.RESTRICTED_FUND, True, ""),
    (UNRESTRICTED_FUND, "일반 기금 (unrestricted fund balance)", _E, AccountPurpose.UNRESTRICTED_FUND, False, ""),
    (INDEMNITY_RESERVE, "구상권 충당 (indemnity reserve)", _E, AccountPurpose.INDEMNITY_RESERVE, False, ""),
    (OPENING_BALANCE, "기초 잔액 (opening balances)", _E, AccountPurpose.OPENING_BALANCE, False, ""),
    (DONATIONS_RESTRICTED, "지정 기부금 수익 (restricted donations)", _I, AccountPurpose.DONATIONS_INCOME, True, ""),
    (DONATIONS_UNRESTRICTED, "일반 기부금 수익 (unrestricted donations)", _I, AccountPurpose.DONATIONS_INCOME, False,
     ""),
    (INDEMNITY_RECOVERIES, "구상금 회수 수익 (indemnity recoveries)", _I, AccountPurpose.INDEMNITY_RECOVERIES, False,
     ""),
    (JUDGMENT_PAYMENTS_EXPENSE, "판결금 지급 — 지정 기금 (judgment payments, restricted fund)", _X,
     AccountPurpose.JUDGMENT_PAYMENTS, True, ""),
    (JUDGMENT_PAYMENTS_UNRESTRICTED_EXPENSE, "판결금 지급 — 일반 기금 (judgment payments, unrestricted fund)", _X,
     AccountPurpose.JUDGMENT_PAYMENTS, False, ""),
]


def chart_ensure(*, user=None) -> list[Account]:
    """Create the standard accounts that do not exist yet (idempotent); return all of them."""

    with transaction.atomic():
        return [
            account_ensure(code=code, name=name, type=type_, purpose=purpose, restricted=restricted, limit=limit,
                           user=user)
            for code, name, type_, purpose, restricted, limit in CHART
        ]


def chart_create_historical(account_model) -> None:
    """The same, for a data migration (historical model, no audit row: the migration is the record)."""
    for code, name, type_, purpose, restricted, limit in CHART:
        account_model.objects.get_or_create(
            code=code, defaults={"name": name, "type": type_, "purpose": purpose, "restricted": restricted,
                                 "limit": limit},
        )


def indemnity_account(debtor_code: str, debtor_name: str, *, user=None) -> Account:
    """The indemnity receivable (구상권) against one debtor company, created on first use."""

    return account_ensure(
        code=f"{INDEMNITY_RECEIVABLE_PREFIX}{debtor_code}", name=f"구상권 {debtor_name} (indemnity receivable)",
        type=AccountType.ASSET, purpose=AccountPurpose.INDEMNITY_RECEIVABLE, debtor=debtor_code,
        limit=_NEVER_NEGATIVE, user=user,
    )


def payable_account(creditor_code: str, *, user=None) -> Account:
    """The payable to one creditor (claim holder), created on first use; it can never be overpaid.

    The name carries the creditor's code only: names of persons stay out of the ledger.
    """

    return account_ensure(
        code=f"{CREDITOR_PAYABLE_PREFIX}{creditor_code}", name=f"미지급 판결금 {creditor_code} (creditor payable)",
        type=AccountType.LIABILITY, purpose=AccountPurpose.CREDITOR_PAYABLE, limit=_NEVER_OVERPAID, user=user,
    )
