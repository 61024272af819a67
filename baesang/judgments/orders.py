"""From stored claims to the interest engine, and from amounts due to each holder's part.

- A claim's judgment order is its principal and segments as the judgment words them; the
  amount due on a date is computed by :mod:`baesang.calc.interest` (period method by default,
  rounding by ``settings.BAESANG_ROUNDING``, once, at the end).
- The amount due is split among the claim's current holders by their exact shares with
  :func:`baesang.calc.apportion.apportion` (the parts add up exactly to the total, each within
  one won of its exact share). Principal and total are apportioned with the same shares; a
  holder's interest part is their total part less their principal part.
- The limitation date of an indemnity claim: ten years (Civil Code Art. 162(1)); the first
  day is not counted (Art. 157) and the period ends on the day before the corresponding day
  (Art. 160(2)), or at the end of the month where that day does not exist (Art. 160(3)).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction

from django.conf import settings

from baesang.calc.interest import AmountDue, JudgmentOrder, Segment, amount_due, interest_per_day


def rounding_policy() -> str:
    return getattr(settings, "BAESANG_ROUNDING", "truncate") or "truncate"


def order_of(principal: int, segments: Iterable) -> JudgmentOrder:
    """A judgment order from a principal and segment rows (anything with start, end, rate)."""
    return JudgmentOrder(principal=int(principal),
                         segments=tuple(Segment(s.start, s.end, s.rate) for s in segments))


def claim_order(claim) -> JudgmentOrder:
    segments = getattr(claim, "_prefetched_objects_cache", {}).get("segments")
    if segments is None:
        segments = claim.segments.all()
    return order_of(claim.principal, sorted(segments, key=lambda s: s.position))


def order_amount_due(order: JudgmentOrder, as_of: date, *, method: str, sheet: bool = True) -> AmountDue:
    """The one path from a stored judgment order to what is owed on ``as_of``: the interest
    engine with the foundation's rounding policy. Every page, report and batch goes through it."""
    return amount_due(order, as_of, method=method, rounding=rounding_policy(), sheet=sheet)


def claim_amount_due(claim, as_of: date, *, sheet: bool = True) -> AmountDue:
    """What the debtor owes this claim's holders together on ``as_of``."""
    return order_amount_due(claim_order(claim), as_of, method=claim.method, sheet=sheet)


def claim_interest_per_day(claim, on: date) -> Fraction:
    return interest_per_day(claim_order(claim), on)


def limitation_date(arose_on: date, years: int = 10) -> date:
    """Last day of a limitation period of ``years`` running from ``arose_on`` (Arts. 157, 160)."""
    first = arose_on + timedelta(days=1)
    try:
        corresponding = first.replace(year=first.year + years)
    except ValueError:  # 29 February in a common year: the period ends on the last day of February
        corresponding = date(first.year + years, 3, 1)
    return corresponding - timedelta(days=1)
