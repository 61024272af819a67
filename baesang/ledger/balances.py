"""The arithmetic of running totals and balance limits, shared by posting and verification.

Every account keeps four running totals: debits and credits posted (``dp``, ``cp``) and debits
and credits pending (``dq``, ``cq``). A posted transfer adds its amount to the debit side of one
account and the credit side of the other; a pending transfer reserves it on the pending totals;
posting a pending transfer releases the whole reservation and posts the amount (all or part);
voiding releases it. A limit holds with pending amounts counted against it (TigerBeetle's
``debits_must_not_exceed_credits`` / ``credits_must_not_exceed_debits``).

``ledger.services`` applies these rules to the locked accounts before it writes a journal;
``ledger.selectors.ledger_verify`` applies the same rules to totals it rebuilds from the stored
transfers alone, so the check is an independent re-computation of the same definition.
"""

from __future__ import annotations

from typing import Protocol

POSTED = "posted"
PENDING = "pending"
POST_PENDING = "post_pending"
VOID_PENDING = "void_pending"
DEBITS_MUST_NOT_EXCEED_CREDITS = "debits_must_not_exceed_credits"
CREDITS_MUST_NOT_EXCEED_DEBITS = "credits_must_not_exceed_debits"


class Totals(Protocol):
    dp: int
    cp: int
    dq: int
    cq: int


class RunningTotals:
    """The four running totals of one account, rebuilt from transfers."""

    __slots__ = ("dp", "cp", "dq", "cq")

    def __init__(self) -> None:
        self.dp = self.cp = self.dq = self.cq = 0

    def as_tuple(self) -> tuple[int, int, int, int]:
        return self.dp, self.cp, self.dq, self.cq


def apply_transfer(debit: Totals, credit: Totals, kind: str, amount: int, *, reserved: int = 0) -> None:
    """Apply one transfer of ``kind`` to the totals of its debit and credit accounts;
    ``reserved`` is the amount of the pending transfer that a post or void resolves."""
    if kind == POSTED:
        debit.dp += amount
        credit.cp += amount
    elif kind == PENDING:
        debit.dq += amount
        credit.cq += amount
    elif kind in (POST_PENDING, VOID_PENDING):
        debit.dq -= reserved
        credit.cq -= reserved
        if kind == POST_PENDING:
            debit.dp += amount
            credit.cp += amount
    else:
        raise ValueError(f"unknown transfer kind {kind!r}")


def limit_broken(limit: str, totals: Totals) -> tuple[str, int, int] | None:
    """None when ``totals`` keep the account's ``limit``; otherwise (the side over its limit, the
    other side's posted total, by how much it is over)."""
    if limit == DEBITS_MUST_NOT_EXCEED_CREDITS and totals.dp + totals.dq > totals.cp:
        return "debits", totals.cp, totals.dp + totals.dq - totals.cp
    if limit == CREDITS_MUST_NOT_EXCEED_DEBITS and totals.cp + totals.cq > totals.dp:
        return "credits", totals.dp, totals.cp + totals.cq - totals.dp
    return None
