"""The forecast's inputs, gathered from the records: the available fund (ledger), the waiting
list in its policy order with each claim's judgment order (core workflow), open pledges with
their expected dates (donations) and the pending lawsuits staff entered (this app).

The arithmetic is :mod:`baesang.calc.forecast`; docs/forecast.md states its rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from baesang.calc import forecast as engine
from baesang.calc.interest import InterestError, litigation_promotion_rate
from baesang.donations.models import Pledge
from baesang.donations.selectors import fund_position, pledge_outstanding
from baesang.judgments.orders import rounding_policy
from baesang.public.claims import waiting_orders
from baesang.public.models import PendingLawsuit


@dataclass(frozen=True)
class Gathered:
    input: engine.ForecastInput
    notes: tuple[str, ...]


def _pending_lawsuits(as_of: date) -> tuple[list[engine.PendingLawsuit], list[str]]:
    suits, notes = [], []
    for suit in PendingLawsuit.objects.filter(active=True).order_by("expected_final_on", "id"):
        rate = suit.rate
        if rate is None:
            try:
                rate = litigation_promotion_rate(suit.interest_from)
            except InterestError:
                rate = Decimal("20")
                notes.append(f"pending lawsuit {suit.pk}: no statutory rate is recorded for "
                             f"{suit.interest_from.isoformat()}; 20 % assumed")
        suits.append(engine.PendingLawsuit(
            label=f"pending lawsuit {suit.pk}", count=suit.count, award=suit.award_per_claim,
            final_on=suit.expected_final_on, interest_from=suit.interest_from, rate=Decimal(rate),
        ))
    return suits, notes


def _pledges(as_of: date) -> tuple[list[engine.Inflow], list[str]]:
    inflows, undated = [], 0
    pledges = Pledge.objects.filter(pledged_on__lte=as_of).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_of))
    for pledge in pledges.order_by("expected_on", "id"):
        outstanding = pledge_outstanding(pledge=pledge, as_of=as_of)
        if outstanding <= 0:
            continue
        if pledge.expected_on is None:
            undated += 1
            continue
        inflows.append(engine.Inflow(pledge.expected_on, outstanding, f"pledge {pledge.pk}", "pledge"))
    notes = [f"{undated} open pledge(s) without an expected date are not counted"] if undated else []
    return inflows, notes


def _opening_fund(as_of: date) -> int:
    return max(0, fund_position(as_of=as_of).available)


def _waiting_claims(as_of: date) -> list[engine.WaitingClaim]:
    """The waiting list in its policy order, each claim with its judgment order."""
    return [engine.WaitingClaim(w.key, w.order, w.method, w.share) for w in waiting_orders(as_of=as_of)]


def forecast_input(
    *, as_of: date, months: int, scenario: list[engine.Inflow] | None = None, method: str = "period",
    rounding: str | None = None,
) -> Gathered:
    """Everything the forecast needs on ``as_of``."""
    suits, suit_notes = _pending_lawsuits(as_of)
    pledges, pledge_notes = _pledges(as_of)
    data = engine.ForecastInput(
        as_of=as_of, months=months, opening_fund=_opening_fund(as_of), waiting=_waiting_claims(as_of),
        pending=suits, pledges=pledges, scenario=scenario or [], method=method,
        rounding=rounding or rounding_policy(),
    )
    return Gathered(data, tuple(suit_notes + pledge_notes))
