"""Funding forecast (재원 전망): month by month, what the fund can pay and what waiting costs.

The foundation pays judgment money instead of the debtor (third-party performance, Civil
Code Art. 469) from donations; while a claim waits, delay interest keeps accruing on it
(simple interest, computed by :mod:`baesang.calc.interest`). This engine projects, for a
horizon of N calendar months, the fund balance, the claims that can be paid, the amount
owed to claims still waiting, the shortfall, and the interest cost of each month of
waiting; and it finds the least single extra donation on the first day that clears the
waiting list, and by when.

The model, stated once so that every figure can be checked by hand:

- Periods are calendar months; the first runs from the as-of date to the end of its
  month. The foundation pays in one batch on the **last day of each period** (the
  payment day), after the money dated on or before that day has arrived.
- On a payment day, claims are paid in **waiting-list order**, whole claims only, each
  for its amount due on that day (principal plus interest through that day, rounded to
  whole won by the rounding policy), as long as the fund covers the next claim. The
  order is strict: a claim the fund cannot cover stops the batch (later, smaller claims
  do not jump the queue).
- Waiting claims are given in waiting-list order. Claims of pending lawsuits join the
  back of the list on the day their judgment becomes final, earliest final date first
  (the default policy, earliest final judgment first). Each is a judgment order with one
  open segment from the interest start date at the lawsuit's rate.
- Pledges and scenario donations arrive on their dates; one dated before the as-of date
  (an overdue pledge) is counted on the as-of date.
- The interest cost of a month is the exact interest that accrued during that month on
  claims while they waited (from the as-of date, or from the day a pending claim becomes
  final, through its payment day inclusive, since the last day accrues), rounded once.
- Shortfall at a month's end: what is owed to the claims still waiting minus the fund
  balance, or zero.
- Clearing donation: the least whole-won donation D on the as-of date such that every
  claim payable within the horizon is paid by the last payment day. Paying earlier never
  costs more (amounts due only grow), so "cleared by the horizon" is monotone in D and a
  binary search over whole won finds the exact least D. ``clear_now`` is the donation
  that pays every claim payable on the first payment day on that day.

Amounts are whole won (``int``); exact interest is a ``Fraction``. No Django import.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from baesang.calc.interest import (
    METHODS,
    ROUNDINGS,
    JudgmentOrder,
    Segment,
    amount_due,
    interest_per_day,
    round_won,
)

__all__ = [
    "MAX_MONTHS",
    "Clearing",
    "Forecast",
    "ForecastError",
    "ForecastInput",
    "Inflow",
    "MonthForecast",
    "PendingLawsuit",
    "WaitingClaim",
    "forecast",
    "forecast_json",
    "scenario_from_json",
]

MAX_MONTHS = 600


class ForecastError(ValueError):
    """Input to the forecast broke a rule; the message names the input, the row and the rule."""

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row


@dataclass(frozen=True)
class WaitingClaim:
    """A final claim on the waiting list. ``key`` identifies it in the output (a claim id,
    never a name); ``order`` is its judgment order as the interest engine takes it;
    ``method`` the claim's own interest method, else the forecast's; ``share`` the part of
    the claim still waiting (the shares of holders not yet paid), 1 for the whole claim."""

    key: str
    order: JudgmentOrder
    method: str | None = None
    share: Fraction = Fraction(1)


@dataclass(frozen=True)
class PendingLawsuit:
    """A lawsuit not yet final: ``count`` claims, each expected to be awarded ``award`` won
    of principal, final on ``final_on``, with delay interest from ``interest_from`` at
    ``rate`` percent a year until paid (one open segment)."""

    label: str
    count: int
    award: int
    final_on: date
    interest_from: date
    rate: Decimal = Decimal("12")

    def order(self) -> JudgmentOrder:
        return JudgmentOrder(self.award, (Segment(self.interest_from, None, self.rate),))


@dataclass(frozen=True)
class Inflow:
    """Money expected on a date: a pledge (``kind="pledge"``) or a donation of the scenario."""

    on: date
    amount: int
    label: str = ""
    kind: str = "scenario"


@dataclass(frozen=True)
class ForecastInput:
    as_of: date
    months: int
    opening_fund: int
    waiting: Sequence[WaitingClaim] = ()
    pending: Sequence[PendingLawsuit] = ()
    pledges: Sequence[Inflow] = ()
    scenario: Sequence[Inflow] = ()
    method: str = "period"
    rounding: str = "truncate"


@dataclass(frozen=True)
class MonthForecast:
    """One month: money in, claims paid on the payment day ``end``, and the position after."""

    month: str
    start: date
    end: date
    inflows: int
    new_claims: int
    paid_keys: tuple[str, ...]
    paid_amount: int
    fund_balance: int
    waiting_claims: int
    owed_waiting: int
    interest_cost: int
    exact_interest_cost: Fraction
    interest_per_day: int
    shortfall: int

    @property
    def paid_claims(self) -> int:
        return len(self.paid_keys)


@dataclass(frozen=True)
class Clearing:
    """A single extra donation on the as-of date and the day the waiting list is then clear
    (``None`` when there is no claim to pay within the horizon)."""

    donation: int
    cleared_on: date | None


@dataclass(frozen=True)
class Forecast:
    input: ForecastInput
    months: tuple[MonthForecast, ...]
    total_paid: int
    claims_paid: int
    total_interest_cost: int
    claims_waiting_at_end: int
    claims_beyond_horizon: int
    clear_now: Clearing
    clear_within_horizon: Clearing
    notes: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------------------
# Input checks


def _check_date(value: object, what: str, row: int | None = None) -> date:
    if not isinstance(value, date) or type(value) is not date:
        where = f" (row {row})" if row is not None else ""
        raise ForecastError(f"{what}{where} must be a calendar date, got {value!r}", field=what, row=row)
    return value


def _check_won(value: object, what: str, row: int | None = None, *, allow_zero: bool = False) -> int:
    where = f" (row {row})" if row is not None else ""
    if type(value) is not int or value < 0 or (value == 0 and not allow_zero):
        rule = "zero or more" if allow_zero else "greater than zero"
        raise ForecastError(f"{what}{where} must be a whole number of won {rule}, got {value!r}", field=what, row=row)
    return value


def _validate(inp: ForecastInput) -> None:
    _check_date(inp.as_of, "as_of")
    if type(inp.months) is not int or not 1 <= inp.months <= MAX_MONTHS:
        raise ForecastError(f"months must be a whole number from 1 to {MAX_MONTHS}, got {inp.months!r}",
                            field="months")
    _check_won(inp.opening_fund, "opening_fund", allow_zero=True)
    if inp.method not in METHODS:
        raise ForecastError(f"method must be one of {', '.join(METHODS)}, got {inp.method!r}", field="method")
    if inp.rounding not in ROUNDINGS:
        raise ForecastError(f"rounding must be one of {', '.join(ROUNDINGS)}, got {inp.rounding!r}",
                            field="rounding")
    for row, claim in enumerate(inp.waiting, 1):
        if claim.method is not None and claim.method not in METHODS:
            raise ForecastError(f"waiting claim {claim.key} (row {row}): method must be one of {', '.join(METHODS)}, "
                                f"got {claim.method!r}", field="method", row=row)
        try:
            claim.order.validate()
        except ValueError as exc:
            raise ForecastError(f"waiting claim {claim.key} (row {row}): {exc}", field="waiting", row=row) from None
        if not 0 < Fraction(claim.share) <= 1:
            raise ForecastError(f"waiting claim {claim.key} (row {row}): the waiting share must be more than 0 and "
                                f"at most 1, got {claim.share}", field="share", row=row)
    for row, suit in enumerate(inp.pending, 1):
        if type(suit.count) is not int or suit.count < 1:
            raise ForecastError(f"pending lawsuit {row}: count must be a whole number of claims of at least 1, "
                                f"got {suit.count!r}", field="count", row=row)
        _check_won(suit.award, "award", row)
        _check_date(suit.final_on, "final_on", row)
        _check_date(suit.interest_from, "interest_from", row)
        try:
            suit.order().validate()
        except ValueError as exc:
            raise ForecastError(f"pending lawsuit {row}: {exc}", field="rate", row=row) from None
    for what, inflows in (("pledge", inp.pledges), ("scenario", inp.scenario)):
        for row, inflow in enumerate(inflows, 1):
            _check_date(inflow.on, f"{what} date", row)
            _check_won(inflow.amount, f"{what} amount", row)


# ---------------------------------------------------------------------------------------
# Calendar


def _periods(as_of: date, months: int) -> list[tuple[date, date]]:
    """Calendar months from the as-of date: (first day, payment day = last day)."""
    periods = []
    year, month, start = as_of.year, as_of.month, as_of
    for _ in range(months):
        end = date(year, month, calendar.monthrange(year, month)[1])
        periods.append((start, end))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        start = date(year, month, 1)
    return periods


# ---------------------------------------------------------------------------------------
# Claims as the simulation sees them


@dataclass
class _Claim:
    key: str
    order: JudgmentOrder
    payable_from: date  # as-of date, or the day a pending claim becomes final
    pending: bool = False
    method: str | None = None
    share: Fraction = Fraction(1)


class _Dues:
    """Amounts due and exact interest per (claim, day). The interest engine runs once per
    distinct (judgment order, method, day): the claims of one judgment mostly share their order,
    so a waiting list of 1.7 million claims needs the engine for its distinct orders only, and
    nothing is kept per claim (a claim's share is applied on each call). At most :attr:`MOST`
    results are kept; past that the memo starts again (distinct orders × days of a forecast are
    few; a world of all-distinct orders costs the engine again, never unbounded memory)."""

    MOST = 100_000

    def __init__(self, method: str, rounding: str) -> None:
        self.method, self.rounding = method, rounding
        self._engine: dict[tuple[JudgmentOrder, str, date], tuple[int, Fraction]] = {}

    def get(self, index: int, claim: _Claim, day: date) -> tuple[int, Fraction]:
        """(total due in whole won, exact interest) of claim ``index`` on ``day``; before interest
        starts the total is the principal and the interest zero."""
        order = claim.order
        if day < order.segments[0].start:
            total, exact = order.principal, Fraction(0)
        else:
            method = claim.method or self.method
            found = self._engine.get((order, method, day))
            if found is None:
                due = amount_due(order, day, method, self.rounding, sheet=False)
                if len(self._engine) >= self.MOST:
                    self._engine.clear()
                found = self._engine[(order, method, day)] = (due.total, due.exact_interest)
            total, exact = found
        if claim.share != 1:
            # The waiting holders' part: their share of the exact amount, rounded once.
            total = round_won(claim.share * (order.principal + exact), self.rounding)
            exact = claim.share * exact
        return total, exact


def _claims(inp: ForecastInput) -> list[_Claim]:
    claims = [_Claim(c.key, c.order, inp.as_of, False, c.method, Fraction(c.share)) for c in inp.waiting]
    suits = sorted(enumerate(inp.pending, 1), key=lambda item: (item[1].final_on, item[0]))
    for row, suit in suits:
        order = suit.order()
        payable = max(suit.final_on, inp.as_of)
        label = suit.label or f"pending lawsuit {row}"
        claims.extend(_Claim(f"{label} #{n}", order, payable, True) for n in range(1, suit.count + 1))
    return claims


def _inflows_by_period(inp: ForecastInput, periods: list[tuple[date, date]], extra: int = 0) -> list[int]:
    amounts = [0] * len(periods)
    amounts[0] += extra
    last = periods[-1][1]
    for inflow in [*inp.pledges, *inp.scenario]:
        if inflow.on > last:
            continue
        for index, (_, end) in enumerate(periods):
            if inflow.on <= end:
                amounts[index] += inflow.amount
                break
    return amounts


def _pay_schedule(
    claims: list[_Claim], periods: list[tuple[date, date]], inflows: list[int], opening: int, dues: _Dues
) -> tuple[list[list[int]], list[int]]:
    """Indices of the claims paid on each payment day and the balance after each payment day."""
    balance = opening
    head = 0
    paid: list[list[int]] = []
    balances: list[int] = []
    for (_, end), money_in in zip(periods, inflows, strict=True):
        balance += money_in
        paid_now: list[int] = []
        while head < len(claims) and claims[head].payable_from <= end:
            total, _ = dues.get(head, claims[head], end)
            if total > balance:
                break
            balance -= total
            paid_now.append(head)
            head += 1
        paid.append(paid_now)
        balances.append(balance)
    return paid, balances


def _clearing(
    claims: list[_Claim], periods: list[tuple[date, date]], inp: ForecastInput, dues: _Dues
) -> tuple[Clearing, Clearing]:
    last_end = periods[-1][1]
    in_horizon = [i for i, c in enumerate(claims) if c.payable_from <= last_end]
    if not in_horizon:
        return Clearing(0, None), Clearing(0, None)
    count = len(in_horizon)  # claims are in order of payable date, so these are the first ``count``

    # Paying every claim payable on the first payment day, on that day.
    first_end = periods[0][1]
    first = [i for i in in_horizon if claims[i].payable_from <= first_end]
    money_first = inp.opening_fund + _inflows_by_period(inp, periods)[0]
    need_first = sum(dues.get(i, claims[i], first_end)[0] for i in first)
    clear_now = Clearing(max(0, need_first - money_first), first_end if first else None)

    def cleared_on(extra: int) -> date | None:
        paid, _ = _pay_schedule(claims, periods, _inflows_by_period(inp, periods, extra), inp.opening_fund, dues)
        total = 0
        for (_, end), paid_now in zip(periods, paid, strict=True):
            total += len(paid_now)
            if total >= count:
                return end
        return None

    if cleared_on(0) is not None:
        return clear_now, Clearing(0, cleared_on(0))
    # An upper bound that surely clears: every claim at its amount due on the last day.
    high = sum(dues.get(i, claims[i], last_end)[0] for i in in_horizon)
    low = 0  # does not clear
    while high - low > 1:
        middle = (low + high) // 2
        if cleared_on(middle) is None:
            low = middle
        else:
            high = middle
    return clear_now, Clearing(high, cleared_on(high))


# ---------------------------------------------------------------------------------------
# The forecast


def forecast(inp: ForecastInput) -> Forecast:
    """Project the fund month by month; see the module docstring for the rules."""
    _validate(inp)
    periods = _periods(inp.as_of, inp.months)
    claims = _claims(inp)
    dues = _Dues(inp.method, inp.rounding)
    inflows = _inflows_by_period(inp, periods)
    paid, balances = _pay_schedule(claims, periods, inflows, inp.opening_fund, dues)
    notes = [
        f"pledge {row} ({inflow.label or 'unnamed'}) was expected on {inflow.on.isoformat()}, before the as-of "
        f"date; it is counted on {inp.as_of.isoformat()}"
        for row, inflow in enumerate(inp.pledges, 1)
        if inflow.on < inp.as_of
    ]

    months: list[MonthForecast] = []
    waiting_from = 0  # claims before this index are paid
    # The exact interest already accrued when each claim starts waiting in the forecast.
    accrued_before: dict[int, Fraction] = {}
    for (start, end), money_in, paid_now, balance in zip(periods, inflows, paid, balances, strict=True):
        new_claims = sum(1 for c in claims if c.pending and start <= c.payable_from <= end)
        exact_cost = Fraction(0)
        per_day = Fraction(0)
        owed = 0
        waiting = 0
        paid_set = set(paid_now)
        for index in range(waiting_from, len(claims)):
            claim = claims[index]
            if claim.payable_from > end:
                break  # claims are in order of payable date after the current waiting list
            if index not in accrued_before:
                accrued_before[index] = dues.get(index, claim, claim.payable_from - timedelta(days=1))[1]
            total, exact = dues.get(index, claim, end)
            exact_cost += exact - accrued_before[index]
            accrued_before[index] = exact
            if index in paid_set:
                continue
            waiting += 1
            owed += total
            if end >= claim.order.segments[0].start:
                per_day += interest_per_day(claim.order, end) * claim.share
        paid_amount = sum(dues.get(i, claims[i], end)[0] for i in paid_now)
        waiting_from += len(paid_now)
        months.append(MonthForecast(
            month=f"{end.year:04d}-{end.month:02d}",
            start=start,
            end=end,
            inflows=money_in,
            new_claims=new_claims,
            paid_keys=tuple(claims[i].key for i in paid_now),
            paid_amount=paid_amount,
            fund_balance=balance,
            waiting_claims=waiting,
            owed_waiting=owed,
            interest_cost=round_won(exact_cost, inp.rounding),
            exact_interest_cost=exact_cost,
            interest_per_day=round_won(per_day, inp.rounding),
            shortfall=max(0, owed - balance),
        ))

    clear_now, clear_within = _clearing(claims, periods, inp, dues)
    last_end = periods[-1][1]
    return Forecast(
        input=inp,
        months=tuple(months),
        total_paid=sum(m.paid_amount for m in months),
        claims_paid=sum(m.paid_claims for m in months),
        total_interest_cost=round_won(sum((m.exact_interest_cost for m in months), Fraction(0)), inp.rounding),
        claims_waiting_at_end=months[-1].waiting_claims,
        claims_beyond_horizon=sum(1 for c in claims if c.payable_from > last_end),
        clear_now=clear_now,
        clear_within_horizon=clear_within,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------------------
# JSON in and out


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _clearing_json(clearing: Clearing) -> dict:
    return {
        "donation": clearing.donation,
        "cleared_on": clearing.cleared_on.isoformat() if clearing.cleared_on else None,
    }


def forecast_json(result: Forecast) -> dict:
    """The forecast as plain JSON data (documented in docs/forecast.md). Only sums and
    counts: claim keys are left out, so the output carries no personal data."""
    inp = result.input
    return {
        "as_of": inp.as_of.isoformat(),
        "months_ahead": inp.months,
        "opening_fund": inp.opening_fund,
        "method": inp.method,
        "rounding": inp.rounding,
        "waiting_claims": len(inp.waiting),
        "pending_claims": sum(s.count for s in inp.pending),
        "pledged": sum(p.amount for p in inp.pledges),
        "scenario": [{"date": s.on.isoformat(), "amount": s.amount, "label": s.label} for s in inp.scenario],
        "months": [
            {
                "month": m.month,
                "start": m.start.isoformat(),
                "payment_day": m.end.isoformat(),
                "inflows": m.inflows,
                "new_claims": m.new_claims,
                "paid_claims": m.paid_claims,
                "paid_amount": m.paid_amount,
                "fund_balance": m.fund_balance,
                "waiting_claims": m.waiting_claims,
                "owed_waiting": m.owed_waiting,
                "interest_cost": m.interest_cost,
                "exact_interest_cost": _fraction_text(m.exact_interest_cost),
                "interest_per_day": m.interest_per_day,
                "shortfall": m.shortfall,
            }
            for m in result.months
        ],
        "total_paid": result.total_paid,
        "claims_paid": result.claims_paid,
        "total_interest_cost": result.total_interest_cost,
        "claims_waiting_at_end": result.claims_waiting_at_end,
        "claims_beyond_horizon": result.claims_beyond_horizon,
        "clear_now": _clearing_json(result.clear_now),
        "clear_within_horizon": _clearing_json(result.clear_within_horizon),
        "notes": list(result.notes),
    }


def _parse_entry_date(value: object, row: int) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ForecastError(f"scenario entry {row}: 'date' must be a date written YYYY-MM-DD, got {value!r}",
                        field="date", row=row)


def scenario_from_json(data: object) -> list[Inflow]:
    """The donations of a scenario file: a JSON list of ``{"date", "amount", "label"}``, or
    an object ``{"name": ..., "donations": [...]}``. Amounts are whole won (JSON integers)."""
    if isinstance(data, dict):
        unknown = set(data) - {"name", "description", "donations"}
        if unknown:
            raise ForecastError(f"scenario: unknown key(s) {', '.join(sorted(unknown))}; expected name, "
                                "description, donations", field="scenario")
        data = data.get("donations", [])
    if not isinstance(data, list):
        raise ForecastError("scenario: expected a list of donations or an object with 'donations'", field="scenario")
    inflows = []
    for row, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise ForecastError(f"scenario entry {row}: expected an object with date, amount, label", row=row)
        unknown = set(entry) - {"date", "amount", "label"}
        if unknown:
            raise ForecastError(f"scenario entry {row}: unknown key(s) {', '.join(sorted(unknown))}; "
                                "expected date, amount, label", row=row)
        on = _parse_entry_date(entry.get("date"), row)
        amount = entry.get("amount")
        if type(amount) is not int or amount <= 0:
            raise ForecastError(f"scenario entry {row}: 'amount' must be a whole number of won greater than zero "
                                f"(a JSON integer), got {amount!r}", field="amount", row=row)
        label = entry.get("label", "")
        if not isinstance(label, str):
            raise ForecastError(f"scenario entry {row}: 'label' must be text, got {label!r}", field="label", row=row)
        inflows.append(Inflow(on, amount, label, "scenario"))
    return inflows


def total_owed(claims: Iterable[WaitingClaim], on: date, method: str = "period", rounding: str = "truncate") -> int:
    """What the given waiting claims are owed on ``on`` in total (each rounded as paid)."""
    return sum(amount_due(c.order, on, method, rounding, sheet=False).total for c in claims)
