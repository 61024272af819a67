"""Limitation (소멸시효) of judgment claims and of the foundation's indemnity claims.

What it is for: every claim the foundation administers has a date after which the debtor may
plead limitation. This engine computes that date from the day the period started and the
events that may have interrupted it, and explains each step with its article.

The rules (Civil Code, 민법):

- A claim established by a final judgment prescribes in ten years from the judgment becoming
  final, even where it would otherwise prescribe sooner (Art. 165(1)). The foundation's
  indemnity claim (구상권) against the debtor, which arises when it pays (Art. 469 with
  Art. 425 by analogy), is an ordinary claim: ten years from the payment (Arts. 162(1),
  166(1)).
- Period arithmetic (Arts. 155-161): the first day is not counted unless the period starts
  at 00:00 (Art. 157); a period in years is counted by the calendar (Art. 160(1)) and ends
  on the day before the day corresponding to the first counted day (Art. 160(2)), or on the
  last day of the month where that month has no such day (Art. 160(3)); it expires at the
  end of its last day (Art. 159). A judgment final on 2018-10-30 (the first counted day is
  2018-10-31) prescribes at the end of 2028-10-30. Where the last day is a Saturday or a
  public holiday the period expires the next day (Art. 161): reported as ``expires_on``,
  while ``last_day`` (the earlier date) is the one to watch.
- Interruption (시효중단, Art. 168): (1) a claim - a suit (재판상 청구, Art. 170), or a
  demand (최고) followed within six months by a suit or seizure (Art. 174); (2) seizure,
  provisional seizure or provisional disposition (압류·가압류·가처분, Arts. 175-176); (3)
  acknowledgment by the debtor (승인, Art. 177), a part payment by the debtor included. A
  suit dismissed or withdrawn does not interrupt (Art. 170(1)) but counts as a demand: a suit
  or seizure within six months interrupts as of the first suit (Art. 170(2)). A seizure
  cancelled at the creditor's request or for want of legal requirements does not interrupt
  (Art. 175).
- Interruption works only between the parties and their successors (Art. 169). The
  foundation is neither the creditor nor the debtor of a judgment claim: its offer, its
  payment and its court deposit are third-party acts (Art. 469) that do not interrupt the
  creditor's claim against the debtor. (Its payment discharges the claim to that extent,
  which ends the question for the part paid; its indemnity claim then runs from the
  payment.)
- After an interruption the time already run is not counted and a new period runs from the
  end of the interrupting event (Art. 178(1)); after a suit, from the judgment becoming final
  (Art. 178(2)), for ten years (Art. 165(1)). While a suit is pending or a seizure is in
  force, the period does not run: there is no limitation date until it ends.
- An event after the last day cannot interrupt a period that has already run; an
  acknowledgment after it may waive the benefit of limitation (Art. 184(1)), a question for
  staff, which the engine flags and does not decide.

Dates only, no times: each event is dated by the day it took effect (a suit by its filing,
Civil Procedure Act Art. 265; an acknowledgment by the day it reached the creditor). This
module imports nothing from Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "CLAIMS",
    "KINDS",
    "Limitation",
    "LimitationError",
    "LimitationEvent",
    "LimitationStep",
    "days_left",
    "explain_limitation",
    "limitation_date",
    "period_end",
]

ONE_DAY = timedelta(days=1)
YEARS = 10

# Claims whose limitation the engine computes, and the article fixing their period.
JUDGMENT = "judgment"
INDEMNITY = "indemnity"
CLAIMS = (JUDGMENT, INDEMNITY)

# Events.
SUIT = "suit"
SEIZURE = "seizure"
ACKNOWLEDGMENT = "acknowledgment"
DEMAND = "demand"
FOUNDATION_OFFER = "foundation_offer"
FOUNDATION_PAYMENT = "foundation_payment"
FOUNDATION_DEPOSIT = "foundation_deposit"
KINDS = (SUIT, SEIZURE, ACKNOWLEDGMENT, DEMAND, FOUNDATION_OFFER, FOUNDATION_PAYMENT, FOUNDATION_DEPOSIT)
THIRD_PARTY_KINDS = (FOUNDATION_OFFER, FOUNDATION_PAYMENT, FOUNDATION_DEPOSIT)
KIND_KO = {
    SUIT: "재판상 청구", SEIZURE: "압류·가압류·가처분", ACKNOWLEDGMENT: "채무자의 승인", DEMAND: "최고",
    FOUNDATION_OFFER: "재단의 지급 제안", FOUNDATION_PAYMENT: "재단의 변제", FOUNDATION_DEPOSIT: "재단의 공탁",
}

# Effects of an event (LimitationStep.effect).
STARTED = "started"
INTERRUPTED = "interrupted"
PENDING = "pending"  # a suit pending or a seizure in force: the period does not run
NO_EFFECT_THIRD_PARTY = "no_effect_third_party"
NO_EFFECT_FAILED = "no_effect_failed"
NO_EFFECT_AFTER_EXPIRY = "no_effect_after_expiry"
DEMAND_LAPSED = "demand_lapsed"
DEMAND_WAITING = "demand_waiting"  # a demand whose six months are not over and no suit followed yet
POSSIBLE_WAIVER = "possible_waiver"

# Error codes.
BAD_DATE = "bad_date"
UNKNOWN_KIND = "unknown_kind"
UNKNOWN_CLAIM = "unknown_claim"
ENDS_BEFORE_START = "ends_before_start"
EVENT_BEFORE_START = "event_before_start"
ENDED_ON_NOT_APPLICABLE = "ended_on_not_applicable"


class LimitationError(ValueError):
    """A limitation request broke a rule; ``code`` is one of the module's error codes."""

    def __init__(self, code: str, message: str, *, field: str | None = None, event: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.event = event


@dataclass(frozen=True, slots=True)
class LimitationEvent:
    """Something that may interrupt a limitation period.

    ``kind`` is one of :data:`KINDS`; ``on`` the day it took effect (a suit's filing, a
    seizure's application, the day an acknowledgment or a demand reached the other party);
    ``ended_on`` for a suit the day its judgment became final (or the day it was dismissed or
    withdrawn, with ``failed``), for a seizure the day it ended, ``None`` while the suit is
    pending or the seizure in force. ``failed``: a suit dismissed or withdrawn (Art. 170(1)),
    a seizure cancelled (Art. 175)."""

    kind: str
    on: date
    ended_on: date | None = None
    failed: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class LimitationStep:
    """One line of the explanation: the event, what it did, the article, and the last day
    of the period after it (None while the period does not run)."""

    kind: str
    on: date
    effect: str
    article: str
    last_day: date | None
    text_en: str
    text_ko: str

    def as_json(self) -> dict:
        return {"kind": self.kind, "on": self.on.isoformat(), "effect": self.effect, "article": self.article,
                "last_day": self.last_day.isoformat() if self.last_day else None,
                "text_en": self.text_en, "text_ko": self.text_ko}


@dataclass(frozen=True, slots=True)
class Limitation:
    """The limitation of one claim: ``last_day`` (Arts. 157, 159, 160) the day at whose end the
    claim prescribes, ``None`` while an interruption is pending; ``expires_on`` the same moved
    past Saturdays, Sundays and the public holidays given (Art. 161); ``running_from`` the day
    the current period started; the explanation ``steps``."""

    claim: str
    start: date
    last_day: date | None
    expires_on: date | None
    running_from: date | None
    steps: tuple[LimitationStep, ...]

    @property
    def explanation(self) -> list[str]:
        return [step.text_en for step in self.steps]

    @property
    def explanation_ko(self) -> list[str]:
        return [step.text_ko for step in self.steps]

    def days_left(self, as_of: date) -> int | None:
        """Days from ``as_of`` to the last day: 0 on the last day itself (an interruption
        that day is in time), negative once the claim has prescribed, ``None`` while an
        interruption is pending."""
        _check_date(as_of, "as_of")
        if self.last_day is None:
            return None
        return (self.last_day - as_of).days

    def as_json(self) -> dict:
        return {"claim": self.claim, "start": self.start.isoformat(),
                "last_day": self.last_day.isoformat() if self.last_day else None,
                "expires_on": self.expires_on.isoformat() if self.expires_on else None,
                "running_from": self.running_from.isoformat() if self.running_from else None,
                "steps": [step.as_json() for step in self.steps]}


def _check_date(value: object, field: str, event: int | None = None) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise LimitationError(BAD_DATE, f"{field} must be a calendar date (got {value!r})", field=field, event=event)


def _last_day_of_month(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - ONE_DAY


def period_end(start: date, *, years: int = 0, months: int = 0, starts_at_midnight: bool = False) -> date:
    """Last day of a period of ``years`` and ``months`` that starts on ``start`` (Arts. 157, 160).

    The first day is not counted (Art. 157) unless the period starts at 00:00 of ``start``
    (``starts_at_midnight``), so the first counted day is ``start`` + 1 day (or ``start``).
    The period ends on the day before the corresponding day of the first counted day
    (Art. 160(2)); where the last month has no such day, on that month's last day
    (Art. 160(3)). It expires at the end of that day (Art. 159).
    """
    _check_date(start, "start")
    first = start if starts_at_midnight else start + ONE_DAY
    total_months = first.month - 1 + months + 12 * years
    year, month = first.year + total_months // 12, total_months % 12 + 1
    last_of_month = _last_day_of_month(year, month)
    if first.day > last_of_month.day:
        return last_of_month  # Art. 160(3): no corresponding day in the last month
    return date(year, month, first.day) - ONE_DAY


def _expires_on(last_day: date, holidays: frozenset[date]) -> date:
    """Art. 161: a period whose last day is a Saturday or a public holiday (Sundays are
    public holidays) expires on the next day that is neither."""
    day = last_day
    while day.weekday() >= 5 or day in holidays:
        day += ONE_DAY
    return day


_START_TEXT = {
    JUDGMENT: ("judgment final on {on}: ten years (Art. 165(1)), the first day not counted (Art. 157); "
               "last day {last} (Art. 160(2)-(3)), the claim prescribes at its end (Art. 159)",
               "판결 확정일 {on}: 10년(제165조 제1항), 초일 불산입(제157조); 말일 {last}(제160조 제2항·제3항), "
               "그날이 끝나면 시효 완성(제159조)"),
    INDEMNITY: ("indemnity claim arose on {on} (payment): ten years (Arts. 162(1), 166(1)), the first day not "
                "counted (Art. 157); last day {last} (Art. 160(2)-(3)), prescribes at its end (Art. 159)",
                "구상권 발생일(변제일) {on}: 10년(제162조 제1항, 제166조 제1항), 초일 불산입(제157조); "
                "말일 {last}(제160조 제2항·제3항), 그날이 끝나면 시효 완성(제159조)"),
}


def explain_limitation(
    start: date, events: Iterable[LimitationEvent] = (), *, claim: str = JUDGMENT, starts_at_midnight: bool = False,
    holidays: Iterable[date] = (), years: int = YEARS,
) -> Limitation:
    """The limitation of a claim whose period started on ``start`` (a judgment's final date,
    or the foundation's payment for an indemnity claim), given ``events`` in any order.

    Raises :class:`LimitationError` for an unknown claim or event kind, a date that is not a
    calendar date, an event before ``start`` or ending before it began."""
    if claim not in CLAIMS:
        raise LimitationError(UNKNOWN_CLAIM, f"claim must be one of {', '.join(CLAIMS)} (got {claim!r})",
                              field="claim")
    _check_date(start, "start")
    holiday_set = frozenset(holidays)
    checked = []
    for number, event in enumerate(events, 1):
        if not isinstance(event, LimitationEvent) or event.kind not in KINDS:
            kind = getattr(event, "kind", event)
            raise LimitationError(UNKNOWN_KIND, f"event {number}: kind must be one of {', '.join(KINDS)} "
                                  f"(got {kind!r})", field="events", event=number)
        _check_date(event.on, "on", number)
        if event.on < start:
            raise LimitationError(EVENT_BEFORE_START, f"event {number} ({event.kind}) on {event.on.isoformat()} is "
                                  f"before the period started on {start.isoformat()}", field="events", event=number)
        if event.ended_on is not None:
            _check_date(event.ended_on, "ended_on", number)
            if event.kind not in (SUIT, SEIZURE):
                raise LimitationError(ENDED_ON_NOT_APPLICABLE, f"event {number} ({event.kind}) has no end date; "
                                      "only a suit or a seizure lasts", field="events", event=number)
            if event.ended_on < event.on:
                raise LimitationError(ENDS_BEFORE_START, f"event {number} ({event.kind}) ends on "
                                      f"{event.ended_on.isoformat()}, before it began on {event.on.isoformat()}",
                                      field="events", event=number)
        checked.append((event.on, number, event))
    checked.sort(key=lambda item: item[:2])

    last_day: date | None = period_end(start, years=years, starts_at_midnight=starts_at_midnight)
    running_from: date | None = start
    text_en, text_ko = _START_TEXT[claim]
    values = {"on": start.isoformat(), "last": last_day.isoformat()}
    steps = [LimitationStep("start", start, STARTED, "Art. 165(1)" if claim == JUDGMENT else "Art. 162(1)",
                            last_day, text_en.format(**values), text_ko.format(**values))]
    # Demands (and failed suits, which count as demands, Art. 170(2)) that may still be
    # completed by a suit or seizure within six months: (made on, window's last day).
    demands: list[tuple[date, date]] = []

    def step(event: LimitationEvent, effect: str, article: str, en: str, ko: str) -> None:
        steps.append(LimitationStep(event.kind, event.on, effect, article, last_day, en, ko))

    for on, _, event in checked:
        kind = event.kind
        if last_day is None:
            step(event, PENDING, "Art. 178", f"{kind} on {on}: the period is not running (an earlier interruption "
                 "has not ended)", f"{on} {KIND_KO[kind]}: 앞선 중단 사유가 끝나지 않아 시효가 진행하지 않음")
            continue
        if kind in THIRD_PARTY_KINDS:
            step(event, NO_EFFECT_THIRD_PARTY, "Arts. 168, 169, 469",
                 f"{kind.replace('_', ' ')} on {on}: the foundation is a third party, not the debtor; its act "
                 "neither claims nor acknowledges the debt, so it does not interrupt (Arts. 168, 169)",
                 f"{on} {KIND_KO[kind]}: 재단은 채무자가 아닌 제3자이므로 청구도 승인도 아니어서 "
                 "시효가 중단되지 않음(제168조, 제169조)")
            continue
        if kind == DEMAND or (kind == SUIT and event.failed):
            if on > last_day:
                step(event, NO_EFFECT_AFTER_EXPIRY, "Art. 174", f"{kind} on {on}: after the last day {last_day}",
                     f"{on} {KIND_KO[kind]}: 말일 {last_day} 이후로 효력 없음")
                continue
            if kind == DEMAND:
                window = period_end(on, months=6)
                demands.append((on, window))
                step(event, DEMAND_WAITING, "Art. 174",
                     f"demand on {on}: interrupts only if a suit or seizure follows by {window} (Art. 174)",
                     f"{on} 최고: {window}까지 재판상 청구나 압류 등을 하여야 시효중단(제174조)")
            else:
                if event.ended_on is None:
                    step(event, NO_EFFECT_FAILED, "Art. 170(1)", f"suit filed on {on}, dismissed or withdrawn: no "
                         "interruption (Art. 170(1)); give the end date to apply Art. 170(2)",
                         f"{on} 소 제기 후 각하·기각·취하: 시효중단 효력 없음(제170조 제1항)")
                    continue
                window = period_end(event.ended_on, months=6)
                demands.append((on, window))
                step(event, NO_EFFECT_FAILED, "Art. 170", f"suit filed on {on} ended without judgment for the "
                     f"claimant on {event.ended_on}: no interruption (Art. 170(1)) unless a suit or seizure follows "
                     f"by {window}, which then interrupts as of {on} (Art. 170(2))",
                     f"{on} 제기한 소가 {event.ended_on} 각하·기각·취하로 끝남: 시효중단 효력 없음(제170조 제1항), "
                     f"{window}까지 재판상 청구·압류 등을 하면 {on}에 중단(제170조 제2항)")
            continue
        if kind == SEIZURE and event.failed:
            step(event, NO_EFFECT_FAILED, "Art. 175", f"seizure applied for on {on} was cancelled: no interruption "
                 "(Art. 175)", f"{on} 압류·가압류·가처분 취소: 시효중단 효력 없음(제175조)")
            continue
        # An interrupting event: suit, seizure or acknowledgment.
        effective = on
        rescued_by = None
        for made_on, window in demands:
            if made_on <= last_day and on <= window and kind in (SUIT, SEIZURE):
                effective, rescued_by = min(effective, made_on), made_on
        if effective > last_day:
            if kind == ACKNOWLEDGMENT:
                step(event, POSSIBLE_WAIVER, "Art. 184(1)", f"acknowledgment on {on}, after the claim prescribed on "
                     f"{last_day}: it does not interrupt; it may waive the benefit of limitation (Art. 184(1)) — "
                     "for staff to decide", f"{on} 승인: 시효 완성({last_day}) 후이므로 중단 효력 없음; "
                     "시효이익의 포기(제184조 제1항)인지 검토 필요")
            else:
                step(event, NO_EFFECT_AFTER_EXPIRY, "Art. 168", f"{kind} on {on}: after the claim prescribed on "
                     f"{last_day}; a period that has run cannot be interrupted",
                     f"{on} {KIND_KO[kind]}: 시효 완성({last_day}) 후이므로 중단 효력 없음")
            continue
        rescue_en = f", in time through the demand of {rescued_by} (Arts. 174, 170(2))" if rescued_by else ""
        rescue_ko = f" ({rescued_by} 최고에 의하여 기간 내, 제174조·제170조 제2항)" if rescued_by else ""
        demands = []
        # A new period runs from the end of the interruption (Art. 178); where an earlier
        # interruption already runs later (an acknowledgment during a suit), the later one stands.
        if kind == ACKNOWLEDGMENT:
            if period_end(on, years=years) >= last_day:
                running_from, last_day = on, period_end(on, years=years)
            step(event, INTERRUPTED, "Arts. 168(3), 177, 178(1)",
                 f"acknowledgment by the debtor on {on}: interrupts (Art. 168(3)); a new ten-year period runs from "
                 f"that day (Art. 178(1)), last day {last_day}",
                 f"{on} 채무자의 승인: 시효중단(제168조 제3호); 그날부터 새로 10년(제178조 제1항), 말일 {last_day}")
            continue
        ended = event.ended_on
        name_en, name_ko, article = (("suit", "재판상 청구", "Arts. 168(1), 170, 178(2), 165(1)") if kind == SUIT
                                     else ("seizure", "압류·가압류·가처분", "Arts. 168(2), 178(1)"))
        if ended is None:
            running_from = last_day = None
            step(event, PENDING, article, f"{name_en} on {on}: interrupts{rescue_en}; the period runs anew only when "
                 f"it ends ({'the judgment becomes final' if kind == SUIT else 'the seizure ends'}, Art. 178)",
                 f"{on} {name_ko}: 시효중단{rescue_ko}; "
                 f"{'판결 확정' if kind == SUIT else '압류 등 종료'} 때부터 새로 진행(제178조)")
            continue
        if period_end(ended, years=years) >= last_day:
            running_from, last_day = ended, period_end(ended, years=years)
        step(event, INTERRUPTED, article,
             f"{name_en} on {on}: interrupts{rescue_en}; "
             f"{'judgment final' if kind == SUIT else 'seizure ended'} on {ended}, a new ten-year period runs from "
             f"then (Art. 178{'(2), 165(1)' if kind == SUIT else '(1)'}), last day {last_day}",
             f"{on} {name_ko}: 시효중단{rescue_ko}; {ended} {'판결 확정' if kind == SUIT else '종료'}, "
             "그때부터 새로 10년"
             f"(제178조{' 제2항, 제165조 제1항' if kind == SUIT else ' 제1항'}), 말일 {last_day}")
    expires_on = _expires_on(last_day, holiday_set) if last_day is not None else None
    return Limitation(claim, start, last_day, expires_on, running_from, tuple(steps))


def limitation_date(
    final_date: date, events: Iterable[LimitationEvent] = (), *, claim: str = JUDGMENT,
    starts_at_midnight: bool = False,
) -> date | None:
    """The last day of the limitation period (the claim prescribes at its end), or ``None``
    while a suit is pending or a seizure in force. :func:`explain_limitation` gives the
    explanation and the Art. 161 date."""
    return explain_limitation(final_date, events, claim=claim, starts_at_midnight=starts_at_midnight).last_day


def days_left(
    final_date: date, as_of: date, events: Iterable[LimitationEvent] = (), *, claim: str = JUDGMENT,
) -> int | None:
    """Days from ``as_of`` to the last day (0 on it, negative after it, None while pending)."""
    return explain_limitation(final_date, events, claim=claim).days_left(as_of)
