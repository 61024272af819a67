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

Also here: the Litigation Promotion Act rate in force on a date (소송촉진 등에 관한
특례법 Art. 3(1) and its decree) and a parser for ``START:END:RATE`` segment text.
This module imports nothing from Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

__all__ = [
    "METHODS",
    "ROUNDINGS",
    "AmountDue",
    "InterestError",
    "JudgmentOrder",
    "Segment",
    "SheetLine",
    "amount_due",
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

    def as_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "divisor": self.divisor,
            "years": self.years,
            "rate": rate_text(self.rate),
            "interest": fraction_text(self.interest),
        }


@dataclass(frozen=True, slots=True)
class AmountDue:
    """Principal, interest and total in whole won on ``as_of``, the exact interest, the
    method and rounding policy used, and the calculation sheet."""

    principal: int
    interest: int
    total: int
    exact_interest: Fraction
    method: str
    rounding: str
    as_of: date
    lines: tuple[SheetLine, ...]

    def as_json(self) -> dict:
        return {
            "principal": self.principal,
            "interest": self.interest,
            "total": self.total,
            "exact_interest": fraction_text(self.exact_interest),
            "method": self.method,
            "rounding": self.rounding,
            "lines": [line.as_json() for line in self.lines],
        }


_new_object = object.__new__
_set_principal = AmountDue.principal.__set__
_set_interest = AmountDue.interest.__set__
_set_total = AmountDue.total.__set__
_set_exact_interest = AmountDue.exact_interest.__set__
_set_method = AmountDue.method.__set__
_set_rounding = AmountDue.rounding.__set__
_set_as_of = AmountDue.as_of.__set__
_set_lines = AmountDue.lines.__set__


def _amount_due_record(
    principal: int, interest: int, total: int, exact: Fraction, method: str, rounding: str, as_of: date,
    lines: tuple[SheetLine, ...],
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
    order: JudgmentOrder, as_of: date, method: str = "period", rounding: str = "truncate", *, sheet: bool = True
) -> AmountDue:
    """What the debtor owes on ``as_of`` (inclusive) with the calculation sheet.

    With ``sheet=False`` the sheet is left empty (``lines == ()``) and the figures come
    from the lean path of :func:`exact_interest`; they are the same.
    Raises :class:`InterestError` for an invalid order, an as-of date before interest
    starts, or an unknown method or rounding policy.
    """
    _check_method_rounding(method, rounding)
    order.validate()
    as_of_ordinal = _check_as_of(order, as_of)
    period = method == "period"
    principal = order.principal
    if not sheet:
        numerator, denominator = _interest_ratio(order, as_of, as_of_ordinal, period)
        exact = Fraction(numerator, denominator)
        interest = _round_ratio(exact.numerator, exact.denominator, rounding)
        return _amount_due_record(principal, interest, principal + interest, exact, method, rounding, as_of, ())
    lines: list[SheetLine] = []
    for number, segment in enumerate(order.segments, 1):
        if segment.start > as_of:
            break
        end = segment.end
        last = as_of if end is None or end > as_of else end
        lines.extend(_segment_lines(number, segment, principal, last, period))
    exact = sum((line.interest for line in lines), Fraction(0))
    interest = round_won(exact, rounding)
    return AmountDue(principal, interest, principal + interest, exact, method, rounding, as_of, tuple(lines))


def interest_per_day(order: JudgmentOrder, on: date) -> Fraction:
    """The exact interest accruing on the day ``on``: the cost of one more day of waiting.

    It is principal × rate / (365 or 366), the divisor being that of the period method's
    current block: the one-year period, counted from the start of the segment covering
    ``on``, in which ``on`` falls. Zero when no segment covers ``on``.
    """
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
