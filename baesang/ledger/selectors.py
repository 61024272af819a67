"""Reads of the fund ledger: balances, the trial balance, statements, the fund position, verification.

Balances follow the normal side of each account type: assets and expenses grow with debits
(balance = debits − credits), liabilities, equity and income with credits (credits − debits).
Only posted amounts make a balance; pending amounts are reported beside it and reduce the
*available* balance (TigerBeetle: available = balance − pending amounts leaving the account).
"As of" a date counts transfers by value date; without a date the running totals are read.

:func:`ledger_verify` (from :mod:`baesang.ledger.verification`) proves the books from the
append-only transfers alone: it recomputes the hash chain, replays every transfer (two-phase
rules, balance limits after each journal) and compares the recomputed totals with each
account's running totals and the chain head — from the first transfer, or from the latest
signed checkpoint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Sum

from baesang.core.paging import PAGE_DEFAULT, KeysetPage, keyset_page
from baesang.ledger.errors import AccountNotFound
from baesang.ledger.models import (
    DEBIT_NORMAL,
    Account,
    AccountPurpose,
    AccountType,
    LedgerHead,
    Transfer,
    TransferKind,
)
from baesang.ledger.verification import VERIFY_PROGRESS_EVERY, VerifyResult, ledger_verify

POSTED_KINDS = (TransferKind.POSTED, TransferKind.POST_PENDING)


@dataclass(frozen=True)
class Balance:
    code: str
    name: str
    type: str
    debits: int
    credits: int
    balance: int
    debits_pending: int
    credits_pending: int
    available: int


@dataclass(frozen=True)
class StatementLine:
    seq: int | None
    transfer_id: str
    value_date: date | None
    kind: str
    counter_account: str
    description: str
    journal: str
    debit: int
    credit: int
    balance: int


@dataclass(frozen=True)
class FundPosition:
    as_of: date | None
    bank_balance: int
    reserved: int
    available: int
    deposits_held: int
    restricted: int
    unrestricted: int
    pledged_not_received: int
    indemnity_receivable: int
    creditor_payables: int

    def as_dict(self) -> dict:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        return data


def _balance(type_: str, debits: int, credits: int) -> int:
    return debits - credits if type_ in DEBIT_NORMAL else credits - debits


def _available(type_: str, dp: int, cp: int, dq: int, cq: int) -> int:
    return dp - cp - cq if type_ in DEBIT_NORMAL else cp - dp - dq


def _totals(as_of: date | None) -> dict[int, list[int]]:
    """Per account id: [debits posted, credits posted, debits pending, credits pending]."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    if as_of is None:
        for pk, dp, cp, dq, cq in Account.objects.values_list(
            "pk", "debits_posted", "credits_posted", "debits_pending", "credits_pending"
        ):
            totals[pk] = [dp, cp, dq, cq]
        return totals
    posted = Transfer.objects.filter(kind__in=POSTED_KINDS, value_date__lte=as_of)
    # A reservation (pending transfer) holds on ``as_of`` from the day it was made — the
    # approval of a batch, the filing of a deposit — or from its value date if earlier, until
    # its posting or voiding takes effect: a batch dated later than today is reserved today.
    # One definition for every report of a date (docs/workflow.md "Point in time").
    pending = Transfer.objects.filter(
        Q(value_date__lte=as_of) | Q(created_at__date__lte=as_of), kind=TransferKind.PENDING
    ).exclude(resolutions__value_date__lte=as_of)
    for queryset, offset in ((posted, 0), (pending, 2)):
        for side, index in (("debit_account", offset), ("credit_account", offset + 1)):
            for row in queryset.order_by().values(side).annotate(total=Sum("amount")):
                totals[row[side]][index] = row["total"]
    return totals


def account_balance(*, code: str, as_of: date | None = None) -> Balance:
    account = Account.objects.filter(code=code).first()
    if account is None:
        raise AccountNotFound(f"no account with code {code}", field="code")
    if as_of is None:
        dp, cp, dq, cq = account.debits_posted, account.credits_posted, account.debits_pending, account.credits_pending
    else:
        dp, cp, dq, cq = _totals(as_of)[account.pk]
    return Balance(code=account.code, name=account.name, type=account.type, debits=dp, credits=cp,
                   balance=_balance(account.type, dp, cp), debits_pending=dq, credits_pending=cq,
                   available=_available(account.type, dp, cp, dq, cq))


#: Trial balances kept by this process, by (date, ledger head: last seq and chain hash, last
#: account): the ledger is append-only and hash-chained, so its head names exactly the
#: transfers a trial balance sums and counts.
_trial_balances: dict[tuple[date | None, tuple], dict] = {}
TRIAL_BALANCES_KEPT = 16


def _head() -> tuple:
    """The ledger head (last seq and hash) and the last account (an account opened adds a row)."""
    return (LedgerHead.objects.filter(pk=1).values_list("seq", "hash").first(),
            Account.objects.order_by("-pk").values_list("pk", flat=True).first())


def trial_balance_version() -> str:
    """What a trial balance depends on, as text: the ledger's head (its last seq and hash: any
    transfer moves it) and its last account. Equal texts, equal trial balances."""
    head, last_account = _head()
    seq, hash_ = head or (0, "")
    return f"{seq}:{hash_}:{last_account or 0}"


def trial_balance(*, as_of: date | None = None) -> dict:
    """The trial balance (시산표): posted totals per account; pending amounts are listed apart.

    Shape: ``{"as_of", "accounts": [{"code", "name", "type", "debits", "credits", "balance"}],
    "total_debits", "total_credits", "transfers", "pending": {"accounts": [{"code", "debits",
    "credits"}], "transfers"}}``. Total debits equal total credits by construction.

    Its counts and dated totals read every transfer (a third of a second at 579,000): the process
    keeps the result for the ledger as it stands (its head) and gives it again until a transfer
    is added.
    """
    head = _head()
    kept = _trial_balances.get((as_of, head))
    if kept is not None:
        return deepcopy(kept)
    result = _trial_balance(as_of)
    if _head() == head:  # nothing was added meanwhile
        if len(_trial_balances) >= TRIAL_BALANCES_KEPT:
            _trial_balances.clear()
        _trial_balances[(as_of, head)] = deepcopy(result)
    return result


def _trial_balance(as_of: date | None) -> dict:
    totals = _totals(as_of)
    accounts, pending_accounts = [], []
    total_debits = total_credits = 0
    for account in Account.objects.order_by("code"):
        dp, cp, dq, cq = totals[account.pk]
        accounts.append({"code": account.code, "name": account.name, "type": account.type, "debits": dp,
                         "credits": cp, "balance": _balance(account.type, dp, cp)})
        total_debits += dp
        total_credits += cp
        if dq or cq:
            pending_accounts.append({"code": account.code, "debits": dq, "credits": cq})
    transfers = Transfer.objects.all()
    if as_of is not None:
        transfers = transfers.filter(value_date__lte=as_of)
    counts = transfers.aggregate(
        posted=Count("pk", filter=Q(kind__in=POSTED_KINDS)),
        # NOT EXISTS, not NOT IN: PostgreSQL answers NOT IN (subquery) by scanning the
        # subquery's rows again for each transfer once they outgrow work_mem (over a minute
        # at 579,000 transfers, where this takes half a second)
        pending=Count("pk", filter=Q(kind=TransferKind.PENDING)
                      & ~Exists(_resolved_by(as_of).filter(pending_id=OuterRef("pk")))),
    )
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "accounts": accounts,
        "total_debits": total_debits,
        "total_credits": total_credits,
        "transfers": counts["posted"],
        "pending": {"accounts": pending_accounts, "transfers": counts["pending"]},
    }


def _resolved_by(as_of: date | None):
    resolutions = Transfer.objects.filter(kind__in=(TransferKind.POST_PENDING, TransferKind.VOID_PENDING))
    return resolutions.filter(value_date__lte=as_of) if as_of is not None else resolutions


def account_statement(*, code: str, date_from: date | None = None, date_to: date | None = None
                      ) -> list[StatementLine]:
    """Posted movements of one account with the running balance, opening with the balance before ``date_from``."""
    return list(account_statement_iter(code=code, date_from=date_from, date_to=date_to))


def account_statement_iter(*, code: str, date_from: date | None = None, date_to: date | None = None
                           ) -> Iterator[StatementLine]:
    """The lines of :func:`account_statement` one at a time, read 5,000 at a time (a server-side
    cursor on PostgreSQL): memory stays flat however many movements the account has. An unknown
    account is refused here, before the first line is asked for."""
    account = Account.objects.filter(code=code).first()
    if account is None:
        raise AccountNotFound(f"no account with code {code}", field="code")
    return _statement_lines(account, date_from, date_to)


def _statement_lines(account: Account, date_from: date | None, date_to: date | None) -> Iterator[StatementLine]:
    running = 0
    if date_from is not None:
        dp, cp = _totals(date_from - timedelta(days=1))[account.pk][:2]
        running = _balance(account.type, dp, cp)
        yield StatementLine(seq=None, transfer_id="", value_date=date_from, kind="opening",
                            counter_account="", description="opening balance", journal="", debit=0, credit=0,
                            balance=running)
    movements = Transfer.objects.filter(Q(debit_account=account) | Q(credit_account=account), kind__in=POSTED_KINDS)
    if date_from is not None:
        movements = movements.filter(value_date__gte=date_from)
    if date_to is not None:
        movements = movements.filter(value_date__lte=date_to)
    sign = 1 if account.type in DEBIT_NORMAL else -1
    for seq, transfer_id, when, kind, debit_id, debit_code, credit_code, amount, text, journal in (
        movements.order_by("value_date", "seq").values_list(
            "seq", "id", "value_date", "kind", "debit_account_id", "debit_account__code", "credit_account__code",
            "amount", "description", "journal",
        ).iterator(chunk_size=5000)
    ):
        is_debit = debit_id == account.pk
        running += sign * (amount if is_debit else -amount)
        yield StatementLine(
            seq=seq, transfer_id=transfer_id, value_date=when, kind=kind,
            counter_account=credit_code if is_debit else debit_code, description=text, journal=journal,
            debit=amount if is_debit else 0, credit=0 if is_debit else amount, balance=running,
        )


def account_period_totals(*, code: str, date_from: date | None = None, date_to: date | None = None) -> tuple[int, int]:
    """Debits and credits posted to one account in the period (two sums in the database)."""
    movements = Transfer.objects.filter(kind__in=POSTED_KINDS)
    if date_from is not None:
        movements = movements.filter(value_date__gte=date_from)
    if date_to is not None:
        movements = movements.filter(value_date__lte=date_to)
    debits = movements.filter(debit_account__code=code).aggregate(s=Sum("amount"))["s"] or 0
    credits = movements.filter(credit_account__code=code).aggregate(s=Sum("amount"))["s"] or 0
    return debits, credits


def account_statement_page(*, code: str, date_from: date | None = None, date_to: date | None = None,
                           cursor: str | None = None, before: str | None = None, limit: int = PAGE_DEFAULT
                           ) -> KeysetPage:
    """One page of :func:`account_statement` (keyset on value date and sequence,
    :mod:`baesang.core.paging`): the running balance is carried in the signed cursor, so a page
    reads its own lines only; the first page opens with the balance before ``date_from``."""
    account = Account.objects.filter(code=code).first()
    if account is None:
        raise AccountNotFound(f"no account with code {code}", field="code")
    movements = Transfer.objects.filter(Q(debit_account=account) | Q(credit_account=account), kind__in=POSTED_KINDS)
    if date_from is not None:
        movements = movements.filter(value_date__gte=date_from)
    if date_to is not None:
        movements = movements.filter(value_date__lte=date_to)
    rows = movements.values("seq", "id", "value_date", "kind", "debit_account_id", "debit_account__code",
                            "credit_account__code", "amount", "description", "journal")
    name = f"statement:{code}:{date_from or ''}:{date_to or ''}"
    page = keyset_page(rows, name=name, order=("value_date", "seq"), after=cursor, before=before, limit=limit)
    sign = 1 if account.type in DEBIT_NORMAL else -1

    def change(row: dict) -> int:
        return sign * (row["amount"] if row["debit_account_id"] == account.pk else -row["amount"])

    opening = 0
    if page.carried is None and date_from is not None:
        dp, cp = _totals(date_from - timedelta(days=1))[account.pk][:2]
        opening = _balance(account.type, dp, cp)
    if page.carried is None:
        start = opening
    elif page.forward:
        start = page.carried  # the balance after the row the page starts after
    else:
        start = page.carried - sum(change(row) for row in page.items)  # the balance before the row it ends before
    lines: list[StatementLine] = []
    if cursor is None and before is None and date_from is not None:
        lines.append(StatementLine(seq=None, transfer_id="", value_date=date_from, kind="opening",
                                   counter_account="", description="opening balance", journal="", debit=0, credit=0,
                                   balance=opening))
    running = start
    for row in page.items:
        is_debit = row["debit_account_id"] == account.pk
        running += change(row)
        lines.append(StatementLine(
            seq=row["seq"], transfer_id=row["id"], value_date=row["value_date"], kind=row["kind"],
            counter_account=row["credit_account__code"] if is_debit else row["debit_account__code"],
            description=row["description"], journal=row["journal"], debit=row["amount"] if is_debit else 0,
            credit=0 if is_debit else row["amount"], balance=running))
    return replace(page, items=lines, next_carry=running, previous_carry=start)


def fund_position(*, as_of: date | None = None, pledged_not_received: int = 0) -> FundPosition:
    """The fund position (기금 현황): money held, reserved for approved payments, free to commit.

    - bank balance: posted balance of the bank accounts; reserved: pending payments out of them;
      available = balance − reserved.
    - restricted / unrestricted: income less expenses (plus closed fund balances) of each fund.
      With the indemnity pair left out, restricted + unrestricted equals the assets (bank,
      deposits held) less the creditor payables.
    - pledged but not received: promised donations not yet paid. Pledges are promises, not
      money: they live in the donations app, never in the ledger, so the caller gives the figure
      (``baesang.donations.selectors.fund_position`` does).
    """
    totals = _totals(as_of)
    bank = reserved = deposits = restricted = unrestricted = indemnity = payables = 0
    for account in Account.objects.all():
        dp, cp, dq, cq = totals[account.pk]
        balance = _balance(account.type, dp, cp)
        if account.purpose == AccountPurpose.BANK:
            bank += balance
            reserved += cq
        elif account.purpose == AccountPurpose.DEPOSITS_HELD:
            deposits += balance
        elif account.purpose == AccountPurpose.INDEMNITY_RECEIVABLE:
            indemnity += balance
        elif account.purpose == AccountPurpose.CREDITOR_PAYABLE:
            payables += balance
        if account.purpose == AccountPurpose.INDEMNITY_RESERVE:
            continue
        if account.type in (AccountType.INCOME, AccountType.EQUITY, AccountType.EXPENSE):
            net = -balance if account.type == AccountType.EXPENSE else balance
            if account.restricted:
                restricted += net
            else:
                unrestricted += net
    return FundPosition(as_of=as_of, bank_balance=bank, reserved=reserved, available=bank - reserved,
                        deposits_held=deposits, restricted=restricted, unrestricted=unrestricted,
                        pledged_not_received=pledged_not_received, indemnity_receivable=indemnity,
                        creditor_payables=payables)


# ---------------------------------------------------------------- verification
# The verification itself lives in baesang.ledger.verification (whole, or from a signed checkpoint).

__all__ = ["VERIFY_PROGRESS_EVERY", "VerifyResult", "ledger_verify"]
