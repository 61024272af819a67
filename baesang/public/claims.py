"""What the public pages and the forecast read from the core workflow: claim counts by state,
the waiting list and the claims settled by a date — counts, sums and judgment orders only,
never a name (the selectors of :mod:`baesang.cases.selectors` do the work).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import accumulate

from django.conf import settings
from django.db import connection

from baesang.calc.interest import JudgmentOrder
from baesang.cases.models import BatchLine, CourtDeposit
from baesang.cases.selectors import FIGURES_NEUTRAL_ACTIONS as FIGURES_NEUTRAL_ACTIONS  # read by the public page
from baesang.cases.selectors import claims_by_state, waiting_orders_iter, waiting_points
from baesang.cases.selectors import waiting_totals as cached_waiting_totals


@dataclass(frozen=True)
class WaitingTotals:
    claims: int
    owed: int
    interest_per_day: Fraction
    #: When the totals shown were computed, if before the latest change (they are being counted
    #: again behind the page); None when they are the current ones.
    computed_at: str | None = None


@dataclass(frozen=True)
class WaitingOrder:
    """A waiting claim as the forecast takes it: its id, order, method and waiting share."""

    key: str
    order: JudgmentOrder
    method: str
    share: Fraction


def waiting_policy() -> str:
    return getattr(settings, "BAESANG_WAITING_POLICY", "earliest_final") or "earliest_final"


def waiting_orders(*, as_of: date) -> list[WaitingOrder]:
    """The waiting list in its policy order, each claim with its judgment order and the share
    of it still waiting (one walk of the list a chunk at a time; equal orders held once)."""
    return [WaitingOrder(f"claim {claim_id}", order, method, share) for claim_id, order, method, share
            in waiting_orders_iter(as_of=as_of, policy=waiting_policy())]


def waiting_totals(*, as_of: date, stale_ok: bool = False) -> WaitingTotals:
    """The waiting list's totals (those of ``claims_waiting``, from the figures cache: one pass
    over the claims, kept for the state it was computed at). With ``stale_ok``, after a change
    the earlier totals with ``computed_at`` while they are counted again behind the page."""
    totals = cached_waiting_totals(as_of=as_of, stale_ok=stale_ok)
    return WaitingTotals(totals["claims"], totals["total_due"], Fraction(totals["interest_per_day_exact"]),
                         totals.get("stale_since"))


def owed_points(*, days: list[date], as_of: date) -> tuple[dict[date, tuple[int, int]], bool]:
    """The waiting list's (claims, owed) at each of ``days`` (past month ends of the public
    chart), kept and a few a day computed again (:func:`baesang.cases.selectors.waiting_points`),
    and whether no point is due."""
    return waiting_points(days=days, today=as_of)


def claim_counts() -> dict[str, int]:
    """Claims per current state (registered, offered, accepted, refused, deposited, paid)."""
    return claims_by_state()


def claims_paid(*, as_of: date | None = None) -> int:
    """How many claims received at least one payment (a paid line) by ``as_of``."""
    lines = BatchLine.objects.filter(state=BatchLine.PAID)
    if as_of is not None:
        lines = lines.filter(resolved_on__lte=as_of)
    return lines.values("claim_id").distinct().count()


def claims_paid_by(days: Iterable[date]) -> list[int]:
    """For each day, how many claims had received a payment by then (one query: the claims
    counted per day of their first payment, in the database)."""
    lines = BatchLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT first, count(*) FROM (SELECT claim_id, min(resolved_on) AS first FROM {lines} "
                       f"WHERE state = %s AND resolved_on IS NOT NULL GROUP BY claim_id) AS f "
                       f"GROUP BY first ORDER BY first", [BatchLine.PAID])
        rows = [(first if isinstance(first, date) else date.fromisoformat(str(first)), count)
                for first, count in cursor.fetchall()]
    firsts = [first for first, _ in rows]
    running = list(accumulate(count for _, count in rows))
    return [running[index - 1] if (index := bisect_right(firsts, day)) else 0 for day in days]


def claims_with_deposits_held(*, as_of: date | None = None) -> int:
    """How many claims have money in a court deposit the court accepted — on ``as_of`` as it
    stood that day: accepted by then (``accepted_on``) and not returned by then."""
    if as_of is None:
        deposits = CourtDeposit.objects.filter(state=CourtDeposit.ACCEPTED)
    else:
        deposits = CourtDeposit.objects.filter(accepted_on__lte=as_of).exclude(
            state=CourtDeposit.RETURNED, decided_on__lte=as_of)
    return deposits.values("holding__claim_id").distinct().count()
