"""From stored claims to the interest engine, and from amounts due to each holder's part.

- A claim's judgment order is its principal and segments as the judgment words them; the
  amount due on a date is computed by :mod:`baesang.calc.interest` (period method by default,
  rounding by ``settings.BAESANG_ROUNDING``, once, at the end).
- The amount due is split among the claim's current holders by their exact shares with
  :func:`baesang.calc.apportion.apportion` (the parts add up exactly to the total, each within
  one won of its exact share). Principal and total are apportioned with the same shares; a
  holder's interest part is their total part less their principal part.
- Which basis (:func:`claim_basis`): the judgment's own order for a claim held whole by its
  plaintiff, apportionment where the holders changed after the judgment.
- The limitation date of an indemnity claim: ten years (Civil Code Art. 162(1)); the first
  day is not counted (Art. 157) and the period ends on the day before the corresponding day
  (Art. 160(2)), or at the end of the month where that day does not exist (Art. 160(3)).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction

from django.conf import settings

from baesang.calc.interest import (
    BASIS_APPORTIONED,
    BASIS_OWN_ORDER,
    AmountDue,
    Deposit,
    JudgmentOrder,
    Payment,
    Segment,
    amount_due,
    interest_per_day,
)

# The basis of a holder change naming the plaintiff of the judgment (cases.HolderChange.PLAINTIFF).
PLAINTIFF_BASIS = "plaintiff"


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


def order_amount_due(order: JudgmentOrder, as_of: date, *, method: str, sheet: bool = True,
                     payments: Iterable[Payment] = (), deposits: Iterable[Deposit] = (),
                     basis: str | None = None) -> AmountDue:
    """The one path from a stored judgment order to what is owed on ``as_of``: the interest
    engine with the foundation's rounding policy. Every page, report and batch goes through it.
    ``payments`` and ``deposits`` are the events of the engine (Art. 479 for a part payment;
    a court deposit stops interest from its filing day while it stands accepted, Arts.
    487-489); ``basis`` says whether the order is the judgment's own for its creditor
    (``own_order``) or the claim is apportioned among holders who changed after it."""
    return amount_due(order, as_of, method=method, rounding=rounding_policy(), sheet=sheet, payments=payments,
                      deposits=deposits, basis=basis)


def claim_amount_due(claim, as_of: date, *, sheet: bool = True, payments: Iterable[Payment] = (),
                     deposits: Iterable[Deposit] = (), basis: str | None = None) -> AmountDue:
    """What the debtor owes this claim's holders together on ``as_of``."""
    return order_amount_due(claim_order(claim), as_of, method=claim.method, sheet=sheet, payments=payments,
                            deposits=deposits, basis=basis)


def claim_basis(holdings: Iterable) -> str:
    """Where a claim's amounts come from (section "judgment-fixed or apportioned" of
    docs/interest.md), given its holdings on the date (anything with ``share`` and ``basis``,
    the basis of the holder change that made it):

    - ``own_order``: one holder of the whole claim, the plaintiff named in the judgment — the
      judgment's own order for that creditor. Where heirs were themselves the plaintiffs the
      judgment fixed each heir's principal (already truncated) in a claim of their own, and
      interest runs on that principal (대법원 judgments name each heir's sum; apportioning the
      victim's total instead would pay a few won more).
    - ``apportioned``: the holders changed after the judgment (succession, or shares from a
      document): the claim's amount due is split by their exact shares
      (:func:`baesang.calc.apportion.apportion`)."""
    rows = list(holdings)
    if len(rows) == 1 and rows[0].share == 1 and rows[0].basis == PLAINTIFF_BASIS:
        return BASIS_OWN_ORDER
    return BASIS_APPORTIONED


def claim_interest_per_day(claim, on: date) -> Fraction:
    return interest_per_day(claim_order(claim), on)


class OrderMemo:
    """The interest engine run once per distinct judgment order on one day, its result reused.

    Claims with the same order (principal, segments, method) and basis and no earlier payment
    or deposit have the same amount due and the same interest per day on a date: the same
    inputs give the same output, and the plaintiffs of one judgment mostly share theirs. Batch
    preparation and the claims' figures (dashboard, fund report, waiting list) go through one
    memo per computation; with payments or deposits the engine runs for that claim alone,
    never from the memo. Keys hold the rounding policy read when the memo is made.

    Past :attr:`MOST` results the memo starts again (forgets what it kept), so a walk over
    every claim keeps its memory flat however many distinct orders it meets; the claims are
    walked in an order that keeps one judgment's claims together, so little is computed twice.
    """

    #: Engine results kept before the memo starts again.
    MOST = 100_000

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.rounding = rounding_policy()
        self._due: dict[tuple, AmountDue] = {}
        self._per_day: dict[tuple, Fraction] = {}
        self.runs = 0

    def amount_due(self, order: JudgmentOrder, *, method: str, sheet: bool = True, basis: str | None = None,
                   payments: Iterable[Payment] = (), deposits: Iterable[Deposit] = ()) -> AmountDue:
        """What :func:`order_amount_due` gives on the memo's day (the same object for the same
        order without events)."""
        payments, deposits = tuple(payments), tuple(deposits)
        if payments or deposits:
            self.runs += 1
            return amount_due(order, self.as_of, method=method, rounding=self.rounding, sheet=sheet,
                              payments=payments, deposits=deposits, basis=basis)
        key = (order, method, basis, sheet)
        found = self._due.get(key)
        if found is None:
            self.runs += 1
            self._bound()
            found = self._due[key] = amount_due(order, self.as_of, method=method, rounding=self.rounding,
                                                sheet=sheet, basis=basis)
        return found

    def __len__(self) -> int:
        """How many results the memo keeps."""
        return len(self._due) + len(self._per_day)

    def _bound(self) -> None:
        if len(self) >= self.MOST:
            self._due.clear()
            self._per_day.clear()

    def interest_per_day(self, order: JudgmentOrder) -> Fraction:
        """:func:`baesang.calc.interest.interest_per_day` on the memo's day, without events."""
        found = self._per_day.get(order)
        if found is None:
            self._bound()
            found = self._per_day[order] = interest_per_day(order, self.as_of)
        return found


def limitation_date(arose_on: date, years: int = 10) -> date:
    """Last day of a limitation period of ``years`` running from ``arose_on`` (Arts. 157, 160)."""
    first = arose_on + timedelta(days=1)
    try:
        corresponding = first.replace(year=first.year + years)
    except ValueError:  # 29 February in a common year: the period ends on the last day of February
        corresponding = date(first.year + years, 3, 1)
    return corresponding - timedelta(days=1)
