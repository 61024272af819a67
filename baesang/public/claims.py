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

from django.conf import settings

from baesang.calc.interest import JudgmentOrder
from baesang.cases.models import BatchLine, CourtDeposit
from baesang.cases.selectors import claim_figures, claims_by_state, claims_waiting
from baesang.judgments.models import Claim
from baesang.judgments.orders import claim_order


@dataclass(frozen=True)
class WaitingTotals:
    claims: int
    owed: int
    interest_per_day: Fraction


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
    of it still waiting."""
    waiting = claims_waiting(as_of=as_of, policy=waiting_policy())
    ids = [row.claim_id for row in waiting.claims]
    figures = {f.claim.pk: f for f in claim_figures(claims=Claim.objects.filter(pk__in=ids), as_of=as_of)}
    orders = []
    for claim_id in ids:
        figure = figures[claim_id]
        orders.append(WaitingOrder(f"claim {claim_id}", claim_order(figure.claim), figure.claim.method,
                                   figure.waiting_share))
    return orders


def waiting_totals(*, as_of: date) -> WaitingTotals:
    waiting = claims_waiting(as_of=as_of, policy=waiting_policy())
    return WaitingTotals(len(waiting.claims), waiting.total_due, waiting.interest_per_day)


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
    """For each day, how many claims had received a payment by then (one query)."""
    first_paid: dict[int, date] = {}
    for claim_id, resolved_on in BatchLine.objects.filter(state=BatchLine.PAID).values_list("claim_id",
                                                                                          "resolved_on"):
        if resolved_on is not None and (claim_id not in first_paid or resolved_on < first_paid[claim_id]):
            first_paid[claim_id] = resolved_on
    dates = sorted(first_paid.values())
    return [bisect_right(dates, day) for day in days]


def claims_with_deposits_held(*, as_of: date | None = None) -> int:
    """How many claims have money in a court deposit the court accepted — on ``as_of`` as it
    stood that day: accepted by then (``accepted_on``) and not returned by then."""
    if as_of is None:
        deposits = CourtDeposit.objects.filter(state=CourtDeposit.ACCEPTED)
    else:
        deposits = CourtDeposit.objects.filter(accepted_on__lte=as_of).exclude(
            state=CourtDeposit.RETURNED, decided_on__lte=as_of)
    return deposits.values("holding__claim_id").distinct().count()
