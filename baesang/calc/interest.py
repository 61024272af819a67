"""Judgment delay interest (지연손해금): what a judgment debtor owes on any day.

A judgment orders a principal sum plus simple interest in segments, each with a start
date, an end date or "until paid" (다 갚는 날까지), and an annual rate. The rules:

- Simple interest on the principal only, never compounded.
- Both the first and the last day of a segment accrue. An open segment ("until paid")
  accrues through the as-of date; a segment is cut at the as-of date, and a segment
  that starts after it contributes nothing.
- Period method (기간식, Civil Code Arts. 159–160), the courts' default: from the
  segment's start count whole years, each worth exactly the annual rate whether it has
  365 or 366 days; the remaining days are prorated over the length (365 or 366) of the
  one-year period that begins on the first remaining day. A year counted from day D
  ends on the day before D's corresponding day (Art. 160(2)); where that day does not
  exist (29 February in a common year) it ends on the last day of the month, 28
  February (Art. 160(3)), and the next year begins on 1 March.
- Total-days method (총일수식): all days of a segment over 365, always.
- The exact interest is a ``Fraction``; it is rounded to whole won once, at the end, by
  policy: ``truncate`` (원 미만 버림, the usual court practice) or ``half-up``.

Payments and court deposits are events (see :func:`_amount_due_events`):

- A part payment (변제) is applied to costs, then interest, then principal (Civil Code
  Art. 479(1)) unless the judgment or an agreement orders otherwise (``application``); the
  day of payment accrues ("다 갚는 날까지"), and interest then runs on the remaining principal
  only. The payment is applied against the exact interest and the exact remainder carried;
  a payment equal to the amount due that day discharges the debt, a larger one is refused.
- A court deposit (공탁, Art. 487; made at the deposit office of the place of performance,
  with notice to the creditor, Art. 488) stops interest from its filing day when it stands
  accepted, also when accepted only after an objection (the tender was valid, Art. 461); a
  refused deposit has no effect and a withdrawn one is deemed never made (Art. 489(1)). A
  deposit short of the whole debt discharges nothing unless the creditor takes it (대법원
  1998. 10. 13. 선고 98다17046 판결).
- Where a judgment fixes an heir's own principal, the heir's claim is an ordinary order;
  :func:`compare_bases` shows it against apportioning the victim's total by share, and the
  sheet states its ``basis``.

Also here: the Litigation Promotion Act rate in force on a date (소송촉진 등에 관한
특례법 Art. 3(1) and its decree) and a parser for ``START:END:RATE`` segment text.
This module imports nothing from Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import floor

from baesang.calc.apportion import apportion

__all__ = [
    "APPLICATIONS",
    "BASES",
    "DEPOSIT_OUTCOMES",
    "METHODS",
    "ROUNDINGS",
    "AmountDue",
    "BasisComparison",
    "Deposit",
    "EventLine",
    "HeirBasis",
    "InterestError",
    "JudgmentOrder",
    "Payment",
    "Segment",
    "SheetLine",
    "amount_due",
    "amount_owed",
    "compare_bases",
    "deposit_amount",
    "judgment_principal",
    "exact_interest",
    "interest_per_day",
    "litigation_promotion_rate",
    "parse_segment",
    "rate_text",
    "round_won",
]

METHODS = ("period", "days")
ROUNDINGS = ("truncate", "half-up")

# Error codes: stable names that tests, the CLI and the API reuse.
PRINCIPAL_NOT_POSITIVE = "principal_not_positive"
NO_SEGMENTS = "no_segments"
BAD_DATE = "bad_date"
BAD_RATE = "bad_rate"
RATE_OUT_OF_RANGE = "rate_out_of_range"
SEGMENT_ENDS_BEFORE_START = "segment_ends_before_start"
SEGMENTS_OUT_OF_ORDER = "segments_out_of_order"
SEGMENTS_OVERLAP = "segments_overlap"
SEGMENTS_GAP = "segments_gap"
OPEN_SEGMENT_NOT_LAST = "open_segment_not_last"
AS_OF_BEFORE_START = "as_of_before_start"
UNKNOWN_METHOD = "unknown_method"
UNKNOWN_ROUNDING = "unknown_rounding"
SEGMENT_SYNTAX = "segment_syntax"
RATE_UNKNOWN = "rate_unknown"
BAD_PAYMENT = "bad_payment"
PAYMENT_NOT_POSITIVE = "payment_not_positive"
OVERPAYMENT = "overpayment"
BAD_COSTS = "bad_costs"
UNKNOWN_APPLICATION = "unknown_application"
BAD_DEPOSIT = "bad_deposit"
UNKNOWN_DEPOSIT_OUTCOME = "unknown_deposit_outcome"
DEPOSIT_DECISION_DATE = "deposit_decision_date"
UNKNOWN_BASIS = "unknown_basis"

# How a part payment is applied. Civil Code Art. 479(1): costs, then interest, then
# principal, unless the judgment or an agreement of the parties says otherwise; an
# agreement may give any order of the three parts (a tuple naming each part once).
PARTS = ("costs", "interest", "principal")
APPLICATIONS: dict[str, tuple[str, ...]] = {
    "statutory": ("costs", "interest", "principal"),
    "principal_first": ("principal", "interest", "costs"),
}

DEPOSIT_OUTCOMES = ("pending", "accepted", "refused", "withdrawn", "accepted_after_objection")

# Where an amount comes from (section "judgment-fixed or apportioned" of docs/interest.md).
BASIS_OWN_ORDER = "own_order"
BASIS_APPORTIONED = "apportioned"
BASES = (BASIS_OWN_ORDER, BASIS_APPORTIONED)
BASIS_LABELS = {
    BASIS_OWN_ORDER: ("판결이 이 채권자에게 명한 금액", "the judgment's own order for this creditor"),
    BASIS_APPORTIONED: ("피해자 총액을 상속지분으로 나눈 금액", "apportioned from the victim's total by share"),
}


class InterestError(ValueError):
    """A judgment order or a request for interest broke a rule; the message names the
    field or segment and the rule, ``code`` is one of the module's error codes."""

    def __init__(self, code: str, message: str, *, field: str | None = None, segment: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.segment = segment

    def as_dict(self) -> dict:
        data: dict = {"code": self.code, "message": self.message}
        if self.field is not None:
            data["field"] = self.field
        if self.segment is not None:
            data["segment"] = self.segment
        return data


@dataclass(frozen=True, slots=True)
class Segment:
    """One interest segment of a judgment: from ``start`` to ``end`` inclusive (``None``:
    until paid) at ``rate`` percent a year, an exact decimal such as ``Decimal("20")``."""

    start: date
    end: date | None
    rate: Decimal


@dataclass(frozen=True, slots=True)
class JudgmentOrder:
    """What a judgment orders for one creditor: a principal in whole won and the interest
    segments in date order, each starting the day after the previous one ends."""

    principal: int
    segments: tuple[Segment, ...]

    def validate(self) -> None:
        """Raise :class:`InterestError` for the first rule the order breaks."""
        principal = self.principal
        if type(principal) is not int or principal <= 0:
            raise InterestError(
                PRINCIPAL_NOT_POSITIVE,
                f"principal must be a whole number of won greater than zero (got {principal!r})",
                field="principal",
            )
        segments = self.segments
        if not segments:
            raise InterestError(NO_SEGMENTS, "the order has no interest segment; give at least one", field="segments")
        previous: Segment | None = None
        number = 0
        for segment in segments:
            number += 1
            start, end = segment.start, segment.end
            if type(start) is not date:
                _check_date(start, number, "start")
            if end is not None:
                if type(end) is not date:
                    _check_date(end, number, "end")
                if end < start:
                    raise InterestError(
                        SEGMENT_ENDS_BEFORE_START,
                        f"segment {number} ends on {end.isoformat()}, before it starts on {start.isoformat()}",
                        field="segments",
                        segment=number,
                    )
            _rate_ratio(segment.rate, number)
            if previous is not None and (
                previous.end is None or start.toordinal() != previous.end.toordinal() + 1
            ):
                _check_follows(previous, segment, number)
            previous = segment


def _check_date(value: object, number: int, which: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InterestError(
            BAD_DATE, f"segment {number}: the {which} must be a calendar date (got {value!r})",
            field="segments", segment=number,
        )


def _check_rate(rate: object, number: int) -> None:
    if isinstance(rate, bool) or not isinstance(rate, Decimal | int) or (
        isinstance(rate, Decimal) and not rate.is_finite()
    ):
        raise InterestError(
            BAD_RATE, f"segment {number}: the rate must be an exact decimal percentage such as 20 or 12.5 "
            f"(got {rate!r})", field="segments", segment=number,
        )
    if rate < 0 or rate > 100:
        raise InterestError(
            RATE_OUT_OF_RANGE, f"segment {number}: rate {rate_text(rate)} % is outside 0–100 % a year",
            field="segments", segment=number,
        )


def _check_follows(previous: Segment, segment: Segment, number: int) -> None:
    """Segment ``number`` must start the day after segment ``number - 1`` ends."""
    before = number - 1
    if previous.end is None:
        raise InterestError(
            OPEN_SEGMENT_NOT_LAST,
            f"segment {before} runs until paid but segment {number} follows it: "
            "only the last segment may be open-ended",
            field="segments", segment=before,
        )
    start = segment.start
    if start < previous.start:
        raise InterestError(
            SEGMENTS_OUT_OF_ORDER,
            f"segment {number} starts on {start.isoformat()}, before segment {before} "
            f"(which starts on {previous.start.isoformat()}): list the segments in date order",
            field="segments", segment=number,
        )
    if start <= previous.end:
        raise InterestError(
            SEGMENTS_OVERLAP,
            f"segment {number} starts on {start.isoformat()}, inside segment {before} "
            f"({previous.start.isoformat()} to {previous.end.isoformat()}): segments must not overlap",
            field="segments", segment=number,
        )
    expected = previous.end.toordinal() + 1
    if start.toordinal() != expected:
        raise InterestError(
            SEGMENTS_GAP,
            f"segment {number} starts on {start.isoformat()} but segment {before} ends on "
            f"{previous.end.isoformat()}: segments must follow without a gap "
            f"(segment {number} should start on {date.fromordinal(expected).isoformat()})",
            field="segments", segment=number,
        )


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One line of the calculation sheet: a block of whole years (``years`` > 0,
    ``divisor`` None) or of remaining days prorated over ``divisor`` (365 or 366)."""

    segment: int
    start: date
    end: date
    days: int
    divisor: int | None
    years: int
    rate: Decimal
    interest: Fraction
    # The principal the block accrues on, stated only where payments changed it (the
    # events path); None on a sheet without payments, whose principal is the order's.
    principal: Fraction | int | None = None

    def as_json(self) -> dict:
        data = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "divisor": self.divisor,
            "years": self.years,
            "rate": rate_text(self.rate),
            "interest": fraction_text(self.interest),
        }
        if self.principal is not None:
            data["principal"] = fraction_text(Fraction(self.principal))
        return data


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment of ``amount`` whole won made on ``on`` (the value date). The day of payment
    accrues interest ("다 갚는 날까지" includes that day); the principal it reduces stops
    accruing from the next day."""

    on: date
    amount: int
    reference: str = ""


@dataclass(frozen=True, slots=True)
class Deposit:
    """A court deposit (공탁, Civil Code Art. 487) filed on ``filed_on`` for ``amount`` won.

    ``outcome`` is one of :data:`DEPOSIT_OUTCOMES`; ``decided_on`` the date of the decision
    the outcome names: the acceptance (optional for ``accepted``), the refusal, the
    withdrawal (Art. 489(1)) or the acceptance after an objection (both required).
    ``creditor_accepted_part``: the creditor took a deposit smaller than the debt as a part
    payment, which makes it good for that part."""

    filed_on: date
    amount: int
    outcome: str = "pending"
    decided_on: date | None = None
    creditor_accepted_part: bool = False
    reference: str = ""

    def state_on(self, on: date) -> str:
        """The deposit as it stood on ``on``: ``pending``, ``accepted``, ``refused`` or
        ``withdrawn``. Only ``accepted`` stops interest, and then from ``filed_on``."""
        decided = self.decided_on
        outcome = self.outcome
        if outcome == "accepted":
            return "accepted" if decided is None or decided <= on else "pending"
        if outcome == "refused":
            return "refused" if decided is None or decided <= on else "pending"
        if outcome == "withdrawn":
            return "withdrawn" if decided <= on else "accepted"
        if outcome == "accepted_after_objection":
            return "accepted" if decided <= on else "refused"
        return "pending"


@dataclass(frozen=True, slots=True)
class EventLine:
    """One payment or deposit on the calculation sheet: what was owed that day (interest
    accrued through the day), how the amount was applied, and the balance after it.

    ``effect``: ``applied`` (part of the debt paid), ``discharged`` (the whole amount due
    that day paid), or, for a deposit without effect on the as-of date, ``pending``,
    ``refused``, ``withdrawn`` (deemed never made, Art. 489(1)) or ``short`` (less than the
    whole debt and not accepted by the creditor). ``rounding_difference`` is, on discharge,
    the amount paid less the exact amount owed: the sub-won part that the rounding policy
    settles. ``excess`` is the part of a deposit above the amount due (returned to the
    depositor). The ``*_after`` figures are exact; ``balance_after`` is in whole won by policy."""

    kind: str
    on: date
    amount: int
    effect: str
    costs_before: Fraction
    interest_before: Fraction
    principal_before: Fraction
    to_costs: Fraction
    to_interest: Fraction
    to_principal: Fraction
    rounding_difference: Fraction
    excess: Fraction
    costs_after: Fraction
    interest_after: Fraction
    principal_after: Fraction
    balance_after: int
    decided_on: date | None = None
    reference: str = ""

    def as_json(self) -> dict:
        data = {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "amount": self.amount,
            "effect": self.effect,
            "costs_before": fraction_text(self.costs_before),
            "interest_before": fraction_text(self.interest_before),
            "principal_before": fraction_text(self.principal_before),
            "to_costs": fraction_text(self.to_costs),
            "to_interest": fraction_text(self.to_interest),
            "to_principal": fraction_text(self.to_principal),
            "rounding_difference": fraction_text(self.rounding_difference),
            "excess": fraction_text(self.excess),
            "costs_after": fraction_text(self.costs_after),
            "interest_after": fraction_text(self.interest_after),
            "principal_after": fraction_text(self.principal_after),
            "balance_after": self.balance_after,
        }
        if self.decided_on is not None:
            data["decided_on"] = self.decided_on.isoformat()
        if self.reference:
            data["reference"] = self.reference
        return data


@dataclass(frozen=True, slots=True)
class AmountDue:
    """Principal, interest and total in whole won on ``as_of``, the exact interest, the
    method and rounding policy used, and the calculation sheet.

    With payments, deposits or costs: ``total`` = ``principal`` + ``interest`` + ``costs``,
    still owed; ``exact_interest`` the interest still owed and ``exact_principal`` the exact
    principal left; ``events`` how each payment or deposit was applied; ``application`` the
    order of Art. 479 or the one ordered or agreed. ``basis`` (:data:`BASES`), when stated,
    says whether the order is the judgment's own for this creditor or apportioned."""

    principal: int
    interest: int
    total: int
    exact_interest: Fraction
    method: str
    rounding: str
    as_of: date
    lines: tuple[SheetLine, ...]
    # Added with payments and deposits; their defaults describe an order without events,
    # so results without events are the same as before and ``as_json`` keeps its shape.
    costs: int = 0
    events: tuple[EventLine, ...] = ()
    application: str = "statutory"
    basis: str | None = None
    exact_principal: Fraction | None = None

    def as_json(self) -> dict:
        data = {
            "principal": self.principal,
            "interest": self.interest,
            "total": self.total,
            "exact_interest": fraction_text(self.exact_interest),
            "method": self.method,
            "rounding": self.rounding,
            "lines": [line.as_json() for line in self.lines],
        }
        if self.basis is not None:
            data["basis"] = self.basis
        if self.events or self.costs or self.exact_principal is not None:
            data["costs"] = self.costs
            data["application"] = self.application
            data["exact_principal"] = fraction_text(Fraction(
                self.principal if self.exact_principal is None else self.exact_principal))
            data["events"] = [event.as_json() for event in self.events]
        return data


_new_object = object.__new__
_set_principal = AmountDue.principal.__set__
_set_interest = AmountDue.interest.__set__
_set_total = AmountDue.total.__set__
_set_exact_interest = AmountDue.exact_interest.__set__
_set_method = AmountDue.method.__set__
_set_rounding = AmountDue.rounding.__set__
_set_as_of = AmountDue.as_of.__set__
_set_lines = AmountDue.lines.__set__
_set_costs = AmountDue.costs.__set__
_set_events = AmountDue.events.__set__
_set_application = AmountDue.application.__set__
_set_basis = AmountDue.basis.__set__
_set_exact_principal = AmountDue.exact_principal.__set__


def _amount_due_record(
    principal: int, interest: int, total: int, exact: Fraction, method: str, rounding: str, as_of: date,
    lines: tuple[SheetLine, ...], basis: str | None = None,
) -> AmountDue:
    """``AmountDue(...)`` for the bulk path: fills the slots directly instead of going through
    the frozen dataclass's ``object.__setattr__`` calls, which cost as much as the interest."""
    record = _new_object(AmountDue)
    _set_principal(record, principal)
    _set_interest(record, interest)
    _set_total(record, total)
    _set_exact_interest(record, exact)
    _set_method(record, method)
    _set_rounding(record, rounding)
    _set_as_of(record, as_of)
    _set_lines(record, lines)
    _set_costs(record, 0)
    _set_events(record, ())
    _set_application(record, "statutory")
    _set_basis(record, basis)
    _set_exact_principal(record, None)
    return record


def fraction_text(value: Fraction) -> str:
    """``"num/den"`` always, also when the denominator is 1."""
    return f"{value.numerator}/{value.denominator}"


def rate_text(rate: Decimal | int) -> str:
    """A rate as plain decimal text without exponent or trailing zeros: ``"20"``, ``"12.5"``."""
    if isinstance(rate, int):
        return str(rate)
    text = format(rate.normalize(), "f")
    return "0" if text in ("-0", "0") else text


# ---------------------------------------------------------------------------------------
# Calendar arithmetic of the period method, on proleptic Gregorian ordinals (1 Jan 1 = 1)

_LEAP = bytes(1 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 0 for y in range(10001))
# _JAN1[y]: ordinal of 1 January of year y.
_JAN1 = [0] + [365 * (y - 1) + (y - 1) // 4 - (y - 1) // 100 + (y - 1) // 400 + 1 for y in range(1, 10001)]


def _anniversary_base(start: date, start_ordinal: int) -> tuple[int, bool]:
    """Day of year (0-based, as in a common year for days after February) of ``start``
    and whether it moves with the leap day (months March to December).

    For 29 February the day of year is 59, which is 29 February in a leap year and
    1 March in a common one: a year counted from 29 February ends on 28 February
    where there is no 29th (Civil Code Art. 160(3)) and the next year begins on 1 March.
    """
    year = start.year
    day_of_year = start_ordinal - _JAN1[year]
    if start.month > 2:
        return day_of_year - _LEAP[year], True
    return day_of_year, False


def _period_split(start: date, start_ordinal: int, last: date, last_ordinal: int) -> tuple[int, int, int, int]:
    """Period method for one segment accruing from ``start`` through ``last``: whole
    years, ordinal of the first remaining day, remaining days, and the length (365 or 366)
    of the one-year period that begins on the first remaining day."""
    day_of_year, after_february = _anniversary_base(start, start_ordinal)
    start_year = start.year
    year = last.year
    # The anniversary in last's year; whole years end the day before an anniversary.
    anniversary = _JAN1[year] + day_of_year + (_LEAP[year] if after_february else 0)
    if anniversary > last_ordinal + 1:
        year -= 1
        anniversary = _JAN1[year] + day_of_year + (_LEAP[year] if after_february else 0)
    elif day_of_year == 0 and last_ordinal + 1 == _JAN1[year + 1]:
        # start on 1 January, last on 31 December: the year ends exactly on ``last``.
        year += 1
        anniversary = _JAN1[year]
    days = last_ordinal + 1 - anniversary
    # The one-year period from the first remaining day contains 29 February of its own
    # year if it begins in January or February (29 Feb itself included), else of the next.
    if after_february or anniversary - _JAN1[year] > 59 - 1 + _LEAP[year]:
        divisor = 365 + _LEAP[year + 1]
    else:
        divisor = 365 + _LEAP[year]
    return year - start_year, anniversary, days, divisor


# Valid rates seen so far and their exact ratio; rates are few, the cache stays small.
_RATIOS: dict[Decimal | int, tuple[int, int]] = {}


def _rate_ratio(rate: Decimal | int, number: int = 0) -> tuple[int, int]:
    """Numerator and denominator of a rate in percent a year; raises :class:`InterestError`
    naming segment ``number`` for a rate that is not an exact number within 0–100."""
    kind = type(rate)
    if kind is Decimal or kind is int:
        try:
            ratio = _RATIOS.get(rate)
        except TypeError:  # a signalling NaN cannot be hashed
            ratio = None
        if ratio is not None:
            return ratio
    _check_rate(rate, number)
    ratio = (int(rate), 1) if isinstance(rate, int) else rate.as_integer_ratio()
    if len(_RATIOS) < 4096:
        _RATIOS[rate] = ratio
    return ratio


def _check_method_rounding(method: str, rounding: str | None) -> None:
    if method not in METHODS:
        raise InterestError(
            UNKNOWN_METHOD, f"method must be one of {', '.join(METHODS)} (got {method!r})", field="method"
        )
    if rounding is not None and rounding not in ROUNDINGS:
        raise InterestError(
            UNKNOWN_ROUNDING, f"rounding must be one of {', '.join(ROUNDINGS)} (got {rounding!r})", field="rounding"
        )


def _check_as_of(order: JudgmentOrder, as_of: date) -> int:
    if type(as_of) is not date and (not isinstance(as_of, date) or isinstance(as_of, datetime)):
        raise InterestError(BAD_DATE, f"as-of date must be a calendar date (got {as_of!r})", field="as_of")
    first = order.segments[0].start
    if as_of < first:
        raise InterestError(
            AS_OF_BEFORE_START,
            f"as-of date {as_of.isoformat()} is before interest starts on {first.isoformat()}",
            field="as_of",
        )
    return as_of.toordinal()


# ---------------------------------------------------------------------------------------
# The computations


def _interest_ratio(order: JudgmentOrder, as_of: date, as_of_ordinal: int, period: bool) -> tuple[int, int]:
    """Exact interest as an unreduced numerator and denominator (order already valid)."""
    # Sum of rate_num * (years * divisor + days) / (rate_den * divisor), over a common denominator.
    numerator = 0
    denominator = 1
    ratios, jan1, leap = _RATIOS, _JAN1, _LEAP
    for segment in order.segments:
        start = segment.start
        start_ordinal = start.toordinal()
        if start_ordinal > as_of_ordinal:
            break
        end = segment.end
        if end is None:
            last, last_ordinal = as_of, as_of_ordinal
        else:
            last_ordinal = end.toordinal()
            if last_ordinal > as_of_ordinal:
                last, last_ordinal = as_of, as_of_ordinal
            else:
                last = end
        rate_num, rate_den = ratios.get(segment.rate) or _rate_ratio(segment.rate)
        if period:
            # _period_split, inlined: this loop is the bulk path.
            start_year = start.year
            day_of_year = start_ordinal - jan1[start_year]
            year = last.year
            after_last = last_ordinal + 1
            if start.month > 2:
                day_of_year -= leap[start_year]
                anniversary = jan1[year] + day_of_year + leap[year]
                if anniversary > after_last:
                    year -= 1
                    anniversary = jan1[year] + day_of_year + leap[year]
                divisor = 365 + leap[year + 1]
            else:
                anniversary = jan1[year] + day_of_year
                if anniversary > after_last:
                    year -= 1
                    anniversary = jan1[year] + day_of_year
                # (From 1 January through 31 December this counts 365 or 366 days over as
                # many, not one whole year as _period_split does: the same exact value.)
                divisor = 365 + (leap[year + 1] if anniversary - jan1[year] > 58 + leap[year] else leap[year])
            days = after_last - anniversary
            if days:
                term_num = rate_num * ((year - start_year) * divisor + days)
            else:
                term_num, divisor = rate_num * (year - start_year), 1
        else:
            divisor = 365
            term_num = rate_num * (last_ordinal - start_ordinal + 1)
        term_den = rate_den * divisor
        if term_den == denominator:
            numerator += term_num
        else:
            numerator = numerator * term_den + term_num * denominator
            denominator *= term_den
    return order.principal * numerator, 100 * denominator


def exact_interest(order: JudgmentOrder, as_of: date, method: str = "period") -> Fraction:
    """The exact interest owed on ``as_of`` (inclusive), without the calculation sheet.

    This is the lean path used for bulk figures; :func:`amount_due` gives the same value
    with the sheet.
    """
    _check_method_rounding(method, None)
    order.validate()
    as_of_ordinal = _check_as_of(order, as_of)
    numerator, denominator = _interest_ratio(order, as_of, as_of_ordinal, method == "period")
    return Fraction(numerator, denominator)


def _segment_lines(number: int, segment: Segment, principal: int, last: date, period: bool) -> list[SheetLine]:
    start, rate = segment.start, segment.rate
    rate_num, rate_den = _rate_ratio(rate)
    start_ordinal, last_ordinal = start.toordinal(), last.toordinal()
    if not period:
        days = last_ordinal - start_ordinal + 1
        return [SheetLine(number, start, last, days, 365, 0, rate,
                          Fraction(principal * rate_num * days, 100 * rate_den * 365))]
    lines = []
    years, first_remaining, days, divisor = _period_split(start, start_ordinal, last, last_ordinal)
    if years:
        lines.append(SheetLine(
            number, start, date.fromordinal(first_remaining - 1), first_remaining - start_ordinal, None, years, rate,
            Fraction(principal * rate_num * years, 100 * rate_den),
        ))
    if days:
        lines.append(SheetLine(
            number, date.fromordinal(first_remaining), last, days, divisor, 0, rate,
            Fraction(principal * rate_num * days, 100 * rate_den * divisor),
        ))
    return lines


def amount_due(
    order: JudgmentOrder, as_of: date, method: str = "period", rounding: str = "truncate", *, sheet: bool = True,
    payments: Iterable[Payment] = (), deposits: Iterable[Deposit] = (), costs: int = 0,
    application: str | tuple[str, ...] = "statutory", basis: str | None = None,
) -> AmountDue:
    """What the debtor owes on ``as_of`` (inclusive) with the calculation sheet.

    With ``sheet=False`` the sheet is left empty (``lines == ()``) and the figures come
    from the lean path of :func:`exact_interest`; they are the same.

    ``payments`` and ``deposits`` (events dated after ``as_of`` are ignored) are applied in
    date order as :func:`_amount_due_events` describes; ``costs`` are the litigation costs
    owed with the order (whole won, bearing no interest here); ``application`` the order in
    which a part payment is applied (Art. 479 by default). ``basis`` states where the order
    comes from (:data:`BASES`) and is shown on the sheet. Without payments, deposits and
    costs the result is exactly the one of an order without events.
    Raises :class:`InterestError` for an invalid order, an as-of date before interest
    starts, an unknown method or rounding policy, a bad event or an over-payment.
    """
    _check_method_rounding(method, rounding)
    order.validate()
    as_of_ordinal = _check_as_of(order, as_of)
    if basis is not None and basis not in BASES:
        raise InterestError(UNKNOWN_BASIS, f"basis must be one of {', '.join(BASES)} (got {basis!r})", field="basis")
    if payments or deposits or costs:
        return _amount_due_events(order, as_of, as_of_ordinal, method, rounding, sheet, payments, deposits, costs,
                                  application, basis)
    if application != "statutory":
        _application_order(application)
    period = method == "period"
    principal = order.principal
    if not sheet:
        numerator, denominator = _interest_ratio(order, as_of, as_of_ordinal, period)
        exact = Fraction(numerator, denominator)
        interest = _round_ratio(exact.numerator, exact.denominator, rounding)
        return _amount_due_record(principal, interest, principal + interest, exact, method, rounding, as_of, (),
                                  basis)
    lines: list[SheetLine] = []
    for number, segment in enumerate(order.segments, 1):
        if segment.start > as_of:
            break
        end = segment.end
        last = as_of if end is None or end > as_of else end
        lines.extend(_segment_lines(number, segment, principal, last, period))
    exact = sum((line.interest for line in lines), Fraction(0))
    interest = round_won(exact, rounding)
    return AmountDue(principal, interest, principal + interest, exact, method, rounding, as_of, tuple(lines),
                     basis=basis)


# ---------------------------------------------------------------------------------------
# Payments and court deposits as events (Civil Code Arts. 461, 479, 487-489)


def _application_order(application: str | tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(application, str):
        parts = APPLICATIONS.get(application)
        if parts is not None:
            return parts
    elif isinstance(application, tuple) and sorted(application) == sorted(PARTS):
        return application
    raise InterestError(
        UNKNOWN_APPLICATION,
        f"application must be one of {', '.join(APPLICATIONS)} or an order of the parts {', '.join(PARTS)} "
        f"each named once (got {application!r})",
        field="application",
    )


def _check_event_date(value: object, what: str, number: int) -> None:
    if type(value) is not date and (not isinstance(value, date) or isinstance(value, datetime)):
        raise InterestError(BAD_DATE, f"{what} {number}: the date must be a calendar date (got {value!r})",
                            field=what + "s")


def _check_amount(amount: object, what: str, number: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InterestError(
            PAYMENT_NOT_POSITIVE, f"{what} {number}: the amount must be a whole number of won (got {amount!r})",
            field=what + "s")
    if amount <= 0:
        raise InterestError(
            PAYMENT_NOT_POSITIVE, f"{what} {number}: the amount must be greater than zero (got {amount:,})",
            field=what + "s")


def _events_in_order(payments: Iterable[Payment], deposits: Iterable[Deposit], as_of: date) -> list:
    """Payments and deposits dated on or before ``as_of``, in date order; on one day in the
    order given, payments before deposits."""
    events = []
    for number, payment in enumerate(payments, 1):
        if not isinstance(payment, Payment):
            raise InterestError(BAD_PAYMENT, f"payment {number} is not a Payment (got {payment!r})", field="payments")
        _check_event_date(payment.on, "payment", number)
        _check_amount(payment.amount, "payment", number)
        if payment.on <= as_of:
            events.append((payment.on.toordinal(), 0, number, payment))
    for number, deposit in enumerate(deposits, 1):
        if not isinstance(deposit, Deposit):
            raise InterestError(BAD_DEPOSIT, f"deposit {number} is not a Deposit (got {deposit!r})", field="deposits")
        _check_event_date(deposit.filed_on, "deposit", number)
        _check_amount(deposit.amount, "deposit", number)
        if deposit.outcome not in DEPOSIT_OUTCOMES:
            raise InterestError(
                UNKNOWN_DEPOSIT_OUTCOME,
                f"deposit {number}: outcome must be one of {', '.join(DEPOSIT_OUTCOMES)} (got {deposit.outcome!r})",
                field="deposits")
        decided = deposit.decided_on
        if decided is None and deposit.outcome in ("withdrawn", "accepted_after_objection"):
            raise InterestError(
                DEPOSIT_DECISION_DATE,
                f"deposit {number}: an outcome '{deposit.outcome}' needs the date of the decision (decided_on)",
                field="deposits")
        if decided is not None:
            _check_event_date(decided, "deposit", number)
            if decided < deposit.filed_on:
                raise InterestError(
                    DEPOSIT_DECISION_DATE,
                    f"deposit {number}: decided on {decided.isoformat()}, before it was filed on "
                    f"{deposit.filed_on.isoformat()}", field="deposits")
        if deposit.filed_on <= as_of:
            events.append((deposit.filed_on.toordinal(), 1, number, deposit))
    events.sort(key=lambda event: event[:3])
    return events


def _year_begins(start: date, start_ordinal: int, years: int) -> int:
    """Ordinal of the first day after ``years`` whole years counted from ``start`` (Art. 160)."""
    day_of_year, after_february = _anniversary_base(start, start_ordinal)
    year = start.year + years
    return _JAN1[year] + day_of_year + (_LEAP[year] if after_february else 0)


def _accrue(
    order: JudgmentOrder, principal: Fraction, first: int, last: int, period: bool, lines: list | None,
) -> Fraction:
    """Exact interest on ``principal`` for the days ``first`` … ``last`` (ordinals, both
    accruing), with sheet lines appended to ``lines`` unless it is None.

    The period method's calendar is the segment's, whatever the payments: years are counted
    from the segment's start, and each day accrues at the rate over the divisor of the
    block it falls in. So the interest on a principal that changes on a payment is the
    principal of each stretch times the difference of the period-method fraction
    (whole years + days/divisor) at the stretch's ends, and an order without payments gives
    exactly what :func:`amount_due` gives without events.
    """
    if not principal or first > last:
        return _ZERO
    # Sum of rate x years-fraction over the segments as one integer ratio, times the
    # principal once: Fraction arithmetic per term is what this path would otherwise cost.
    numerator, denominator = 0, 1
    for number, segment in enumerate(order.segments, 1):
        start = segment.start
        start_ordinal = start.toordinal()
        if start_ordinal > last:
            break
        end_ordinal = last if segment.end is None else segment.end.toordinal()
        a, b = max(start_ordinal, first), min(end_ordinal, last)
        if a > b:
            continue
        rate_num, rate_den = _rate_ratio(segment.rate)
        if not period:
            days = b - a + 1
            term_num, term_den = days, 365
            if lines is not None:
                lines.append(_line(number, a, b, days, 365, 0, segment.rate, principal, days, 365))
        else:
            if a == start_ordinal:
                years_a, days_a, divisor_a = 0, 0, 1
            else:
                years_a, _, days_a, divisor_a = _period_split(start, start_ordinal, date.fromordinal(a - 1), a - 1)
            years_b, first_remaining, days_b, divisor_b = _period_split(start, start_ordinal, date.fromordinal(b), b)
            if years_a == years_b:
                # One block: the same divisor at both ends.
                term_num, term_den = days_b - days_a, divisor_b
                if lines is not None:
                    lines.append(_line(number, a, b, b - a + 1, divisor_b, 0, segment.rate, principal, term_num,
                                       divisor_b))
            else:
                cursor, whole_from = a, years_a
                term_num, term_den = 0, divisor_a * divisor_b
                if days_a:
                    # The rest of the block that was running on the day before ``a``.
                    year_end = _year_begins(start, start_ordinal, years_a + 1) - 1
                    term_num += (divisor_a - days_a) * divisor_b
                    if lines is not None:
                        lines.append(_line(number, a, year_end, year_end - a + 1, divisor_a, 0, segment.rate,
                                           principal, divisor_a - days_a, divisor_a))
                    cursor, whole_from = year_end + 1, years_a + 1
                whole = years_b - whole_from
                if whole:
                    term_num += whole * term_den
                    if lines is not None:
                        lines.append(_line(number, cursor, first_remaining - 1, first_remaining - cursor, None, whole,
                                           segment.rate, principal, whole, 1))
                if days_b:
                    term_num += days_b * divisor_a
                    if lines is not None:
                        lines.append(_line(number, first_remaining, b, days_b, divisor_b, 0, segment.rate, principal,
                                           days_b, divisor_b))
        term_num *= rate_num
        term_den *= rate_den
        if term_den == denominator:
            numerator += term_num
        else:
            numerator = numerator * term_den + term_num * denominator
            denominator *= term_den
    return Fraction(principal.numerator * numerator, principal.denominator * 100 * denominator)


_ZERO = Fraction(0)
_NOTHING_APPLIED = {"costs": _ZERO, "interest": _ZERO, "principal": _ZERO}


def _line(
    number: int, first: int, last: int, days: int, divisor: int | None, years: int, rate: Decimal,
    principal: Fraction, years_num: int, years_den: int,
) -> SheetLine:
    """A sheet line of the events path: interest = principal x rate x years_num/years_den."""
    rate_num, rate_den = _rate_ratio(rate)
    interest = Fraction(principal.numerator * rate_num * years_num, principal.denominator * 100 * rate_den * years_den)
    return SheetLine(number, date.fromordinal(first), date.fromordinal(last), days, divisor, years, rate, interest,
                     principal)


def _amount_due_events(
    order: JudgmentOrder, as_of: date, as_of_ordinal: int, method: str, rounding: str, sheet: bool,
    payments: Iterable[Payment], deposits: Iterable[Deposit], costs: int,
    application: str | tuple[str, ...], basis: str | None,
) -> AmountDue:
    """The amount due with payments and deposits applied in date order.

    On each event's day interest is first accrued through that day (the day of payment
    accrues). A payment is applied exactly: the whole won paid go against the exact costs,
    the exact accrued interest (a ``Fraction``) and the exact principal, in the order of
    ``application`` (Art. 479: costs, interest, principal), and the exact remainder is
    carried; interest then runs on the remaining principal only, from the next day. A
    payment equal to the amount due that day in whole won (by the rounding policy)
    discharges the debt: nothing remains, and the sub-won difference is shown as the
    ``rounding_difference`` (the one rounding, at the debt's end). A payment above that
    amount is refused (``overpayment``). A deposit has effect only if it stood accepted on
    ``as_of`` (:meth:`Deposit.state_on`); it then acts as a payment on its filing date
    (Arts. 461, 487). One that is smaller than the amount due on its filing date discharges
    nothing (a deposit must tender the whole debt; 대법원 1998. 10. 13. 선고 98다17046) unless
    the creditor took it as a part payment, until a later deposit tops it up to the whole
    amount due on that later day, when both discharge the debt (대법원 91다35670); one that is
    larger discharges the debt and the excess is shown.

    The figures are rounded once, at the end: the total is the exact remainder (costs +
    interest + principal) rounded by policy; the principal and costs shown are their exact
    remainders truncated and the interest the rest, so the three add up to the total.
    """
    parts_order = _application_order(application)
    if isinstance(costs, bool) or not isinstance(costs, int) or costs < 0:
        raise InterestError(BAD_COSTS, f"costs must be a whole number of won, zero or more (got {costs!r})",
                            field="costs")
    events = _events_in_order(payments, deposits, as_of)
    period = method == "period"
    lines: list[SheetLine] | None = [] if sheet else None
    balance = {"costs": Fraction(costs), "interest": Fraction(0), "principal": Fraction(order.principal)}
    accrued_through = order.segments[0].start.toordinal() - 1
    event_lines: list[EventLine] = []
    held = 0  # short deposits standing accepted, waiting to be topped up
    for ordinal, _, number, event in events:
        if ordinal > accrued_through:
            balance["interest"] += _accrue(order, balance["principal"], accrued_through + 1, ordinal, period, lines)
            accrued_through = ordinal
        before = balance.copy()
        owed = before["costs"] + before["interest"] + before["principal"]
        owed_won = round_won(owed, rounding)
        is_payment = type(event) is Payment
        amount = event.amount
        applied = _NOTHING_APPLIED
        difference = excess = _ZERO
        decided_on = None
        balance_after = owed_won
        if is_payment:
            if amount > owed_won:
                raise InterestError(
                    OVERPAYMENT,
                    f"payment {number} of {amount:,} won on {event.on.isoformat()} is more than the "
                    f"{owed_won:,} won due that day", field="payments")
            state = "accepted"
            paying = amount
        else:
            decided_on = event.decided_on
            state = event.state_on(as_of)
            # Earlier short deposits still standing count with this one: topped up to the
            # whole debt, they discharge it from this deposit's day (추가공탁).
            paying = amount + held
            if state == "accepted" and paying < owed_won and not event.creditor_accepted_part:
                state = "short"
                held += amount
            elif state == "accepted":
                held = 0
                if paying > owed_won:
                    excess = Fraction(paying - owed_won)
        if state == "accepted":
            paid = min(paying, owed_won)
            if paid == owed_won:
                applied = before
                difference = paid - owed
                balance = dict.fromkeys(PARTS, _ZERO)
                balance_after = 0
                effect = "discharged"
            else:
                applied = dict.fromkeys(PARTS, _ZERO)
                left = paid
                for part in parts_order:
                    owed_part = balance[part]
                    if not owed_part:
                        continue
                    take = left if left <= owed_part else owed_part
                    applied[part] = take
                    balance[part] = owed_part - take
                    left -= take
                    if not left:
                        break
                balance_after = round_won(owed - paid, rounding)
                effect = "applied"
        else:
            effect = state
        event_lines.append(EventLine(
            "payment" if is_payment else "deposit", date.fromordinal(ordinal), amount, effect,
            before["costs"], before["interest"], before["principal"],
            Fraction(applied["costs"]), Fraction(applied["interest"]), Fraction(applied["principal"]),
            difference, excess, balance["costs"], balance["interest"], balance["principal"], balance_after,
            decided_on, event.reference,
        ))
    if as_of_ordinal > accrued_through:
        balance["interest"] += _accrue(order, balance["principal"], accrued_through + 1, as_of_ordinal, period, lines)
    exact_costs, exact, exact_principal = balance["costs"], balance["interest"], balance["principal"]
    total = round_won(exact_costs + exact + exact_principal, rounding)
    principal = floor(exact_principal)
    costs_won = floor(exact_costs)
    return AmountDue(
        principal, total - principal - costs_won, total, exact, method, rounding, as_of,
        tuple(lines) if lines is not None else (), costs=costs_won, events=tuple(event_lines),
        application=application if isinstance(application, str) else ",".join(application), basis=basis,
        exact_principal=exact_principal,
    )


def amount_owed(
    order: JudgmentOrder, on: date, events: Iterable[Payment | Deposit] = (), method: str = "period",
    rounding: str = "truncate", *, costs: int = 0, application: str | tuple[str, ...] = "statutory",
    basis: str | None = None, sheet: bool = True,
) -> AmountDue:
    """What the debtor owes on ``on`` given the payments and deposits in ``events``, each
    taken as it stood on ``on`` (a deposit withdrawn later still counts before its
    withdrawal; one accepted after an objection counts from the objection's decision, and
    then from its filing date)."""
    payments, deposits = [], []
    for number, event in enumerate(events, 1):
        if isinstance(event, Payment):
            payments.append(event)
        elif isinstance(event, Deposit):
            deposits.append(event)
        else:
            raise InterestError(BAD_PAYMENT, f"event {number} is neither a Payment nor a Deposit (got {event!r})",
                                field="events")
    return amount_due(order, on, method, rounding, sheet=sheet, payments=payments, deposits=deposits, costs=costs,
                      application=application, basis=basis)


def deposit_amount(
    order: JudgmentOrder, filed_on: date, method: str = "period", rounding: str = "truncate", *,
    payments: Iterable[Payment] = (), costs: int = 0, application: str | tuple[str, ...] = "statutory",
) -> int:
    """The amount to deposit on ``filed_on``: all that is due that day, interest accrued
    through the filing day, after the payments made until then (a deposit must tender the
    whole debt). It does not change when the deposit's outcome is decided later."""
    return amount_due(order, filed_on, method, rounding, sheet=False, payments=payments, costs=costs,
                      application=application).total


# ---------------------------------------------------------------------------------------
# Judgment-fixed per-heir orders against apportionment of the victim's total


@dataclass(frozen=True, slots=True)
class HeirBasis:
    """One heir's amount due both ways: by the judgment's own order for the heir (its
    principal fixed by the judgment) and by apportioning the victim's total by share."""

    heir: str
    share: Fraction
    own_principal: int
    own_total: int
    apportioned_principal: int
    apportioned_total: int

    @property
    def difference(self) -> int:
        """Apportioned less own order: what the apportionment path pays more (won)."""
        return self.apportioned_total - self.own_total


@dataclass(frozen=True, slots=True)
class BasisComparison:
    as_of: date
    victim_total: int
    heirs: tuple[HeirBasis, ...]

    @property
    def own_total(self) -> int:
        return sum(heir.own_total for heir in self.heirs)

    @property
    def apportioned_total(self) -> int:
        return sum(heir.apportioned_total for heir in self.heirs)

    @property
    def difference(self) -> int:
        return self.apportioned_total - self.own_total


def judgment_principal(victim_principal: int, share: Fraction) -> int:
    """An heir's principal as a judgment fixes it: the victim's principal times the share,
    the fraction of a won dropped (원 미만 버림)."""
    return floor(victim_principal * Fraction(share))


def compare_bases(
    victim: JudgmentOrder, shares: Mapping[str, Fraction], as_of: date, method: str = "period",
    rounding: str = "truncate", *, own_principals: Mapping[str, int] | None = None,
) -> BasisComparison:
    """For a victim's order and the heirs' shares, each heir's amount due on ``as_of`` by
    the judgment's own order for the heir (``own_principals``, default the victim's
    principal times the share truncated, with the victim's segments) and by apportioning
    the victim's total (:func:`baesang.calc.apportion.apportion`). The judgment path pays
    a few won less: each heir's principal and interest are truncated separately."""
    victim_due = amount_due(victim, as_of, method, rounding, sheet=False, basis=BASIS_APPORTIONED)
    exact_shares = {heir: Fraction(share) for heir, share in shares.items()}
    totals = apportion(victim_due.total, exact_shares)
    principals = apportion(victim_due.principal, exact_shares)
    heirs = []
    for heir, share in exact_shares.items():
        principal = (own_principals or {}).get(heir)
        if principal is None:
            principal = judgment_principal(victim.principal, share)
        own = amount_due(JudgmentOrder(principal, victim.segments), as_of, method, rounding, sheet=False,
                         basis=BASIS_OWN_ORDER)
        heirs.append(HeirBasis(heir, share, principal, own.total, principals[heir], totals[heir]))
    return BasisComparison(as_of, victim_due.total, tuple(heirs))


def interest_per_day(
    order: JudgmentOrder, on: date, *, payments: Iterable[Payment] = (), deposits: Iterable[Deposit] = (),
    application: str | tuple[str, ...] = "statutory",
) -> Fraction:
    """The exact interest accruing on the day ``on``: the cost of one more day of waiting.

    It is principal × rate / (365 or 366), the divisor being that of the period method's
    current block: the one-year period, counted from the start of the segment covering
    ``on``, in which ``on`` falls. Zero when no segment covers ``on``. With ``payments`` or
    ``deposits``, the principal is what remains after those dated before ``on`` (a payment
    on ``on`` itself reduces the principal from the next day).
    """
    per_day = _interest_per_day(order, on)
    if per_day and (payments or deposits):
        earlier_payments = [payment for payment in payments if getattr(payment, "on", on) < on]
        earlier_deposits = [deposit for deposit in deposits if getattr(deposit, "filed_on", on) < on]
        if earlier_payments or earlier_deposits:
            as_of = max(on - timedelta(days=1), order.segments[0].start)
            remaining = amount_due(order, as_of, sheet=False, payments=earlier_payments, deposits=earlier_deposits,
                                   application=application).exact_principal
            per_day = per_day * remaining / order.principal
    return per_day


def _interest_per_day(order: JudgmentOrder, on: date) -> Fraction:
    order.validate()
    if type(on) is not date and (not isinstance(on, date) or isinstance(on, datetime)):
        raise InterestError(BAD_DATE, f"the day must be a calendar date (got {on!r})", field="on")
    on_ordinal = on.toordinal()
    for segment in order.segments:
        start = segment.start
        if start <= on and (segment.end is None or on <= segment.end):
            # The whole years completed before ``on``; ``on`` falls in the one-year period
            # that begins on the next day, the remaining-days block.
            _, _, _, divisor = _period_split(start, start.toordinal(), date.fromordinal(on_ordinal - 1), on_ordinal - 1)
            rate_num, rate_den = _rate_ratio(segment.rate)
            return Fraction(order.principal * rate_num, 100 * rate_den * divisor)
    return Fraction(0)


def _round_ratio(numerator: int, denominator: int, rounding: str) -> int:
    negative = numerator < 0
    if negative:
        numerator = -numerator
    if rounding == "truncate":
        won = numerator // denominator
    else:
        won = (2 * numerator + denominator) // (2 * denominator)
    return -won if negative else won


def round_won(value: Fraction | int, rounding: str = "truncate") -> int:
    """Whole won from an exact amount: ``truncate`` drops the fraction of a won (원 미만
    버림, toward zero); ``half-up`` rounds to the nearest won, halves away from zero."""
    if rounding not in ROUNDINGS:
        _check_method_rounding(METHODS[0], rounding)
    if type(value) is not Fraction:
        if isinstance(value, float):
            raise TypeError("round_won takes an exact Fraction or int, never a float")
        value = Fraction(value)
    return _round_ratio(value.numerator, value.denominator, rounding)


# ---------------------------------------------------------------------------------------
# Statutory rate and segment text

# Litigation Promotion Act (소송촉진 등에 관한 특례법) Art. 3(1) statutory rate, by the decree
# in force: 20 % from 2003-06-01, 15 % from 2015-10-01, 12 % from 2019-06-01.
_LITIGATION_PROMOTION_RATES: tuple[tuple[date, Decimal], ...] = (
    (date(2019, 6, 1), Decimal("12")),
    (date(2015, 10, 1), Decimal("15")),
    (date(2003, 6, 1), Decimal("20")),
)


def litigation_promotion_rate(on: date) -> Decimal:
    """The Litigation Promotion Act rate in force on ``on`` (percent a year).

    A case keeps the earlier rate where its first-instance argument closed before a change,
    and the judgment's own wording always wins: use this to suggest a rate, never to
    override the segments a judgment states. Dates before 2003-06-01 (when a different,
    higher rate applied) are refused rather than guessed.
    """
    for since, rate in _LITIGATION_PROMOTION_RATES:
        if on >= since:
            return rate
    raise InterestError(
        RATE_UNKNOWN,
        f"no Litigation Promotion Act rate is recorded for {on.isoformat()}: the table starts on 2003-06-01; "
        "take the rate from the judgment",
        field="on",
    )


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(text: str, what: str, segment_text: str) -> date:
    text = text.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InterestError(
            SEGMENT_SYNTAX, f"segment {segment_text!r}: the {what} {text!r} is not a date written YYYY-MM-DD",
            field="segments",
        ) from None


def parse_segment(text: str) -> Segment:
    """A segment from ``START:END:RATE`` text, END a date or ``paid`` (until paid), RATE a
    decimal percentage a year: ``"2013-06-19:paid:20"``, ``"2015-05-13:2015-06-24:5"``."""
    parts = text.split(":")
    if len(parts) != 3:
        raise InterestError(
            SEGMENT_SYNTAX,
            f"segment {text!r} must be written START:END:RATE, e.g. 2013-06-19:paid:20 or 2015-05-13:2015-06-24:5",
            field="segments",
        )
    start_text, end_text, rate_text_in = parts
    start = _parse_date(start_text, "start", text)
    end = None if end_text.strip().lower() == "paid" else _parse_date(end_text, "end (a date or 'paid')", text)
    raw_rate = rate_text_in.strip().removesuffix("%").strip()
    try:
        rate = Decimal(raw_rate)
        if not rate.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise InterestError(
            BAD_RATE, f"segment {text!r}: the rate {rate_text_in!r} is not a decimal percentage such as 20 or 12.5",
            field="segments",
        ) from None
    return Segment(start, end, rate)
