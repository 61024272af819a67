"""`baesang interest`: what a judgment debtor owes on a day, with the calculation sheet.

    baesang interest --principal 100000000 --segment 2013-06-19:paid:20 --as-of 2018-11-01

The command only reads and checks its arguments and calls the pure engine
:mod:`baesang.calc.interest` (period method 기간식 or total-days method 총일수식, rounding
원 미만 버림 or half-up). Bad input: a message on stderr naming the argument and the rule,
exit status 2, nothing on stdout.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from baesang.calc.interest import (
    METHODS,
    ROUNDINGS,
    AmountDue,
    InterestError,
    JudgmentOrder,
    Segment,
    amount_due,
    parse_segment,
)
from baesang.core.formatting import LANGS, format_date, format_rate, format_won, format_won_exact, format_won_readable

USAGE_ERROR = 2

LABELS = {
    "ko": {
        "title": "지연손해금 계산서",
        "period": "기간식",
        "days": "총일수식",
        "truncate": "원 미만 버림",
        "half-up": "원 미만 반올림",
        "principal": "원금",
        "as_of": "기준일",
        "segment": "구간 {number}: {start}부터 {end}까지 연 {rate}",
        "segment_open": "구간 {number}: {start}부터 다 갚는 날까지 연 {rate}",
        "not_started": "  기준일 뒤에 시작하므로 이자가 생기지 않습니다.",
        "cut": "  기준일까지만 계산합니다.",
        "years": "{years}년 ({days}일)",
        "day_block": "{days}일 / {divisor}",
        "range": "{start} ~ {end}",
        "rate": "연 {rate}",
        "exact": "이자 (정확한 값)",
        "interest": "이자 ({rounding})",
        "total": "합계",
    },
    "en": {
        "title": "Delay interest calculation",
        "period": "period method",
        "days": "total-days method",
        "truncate": "fractions of a won truncated",
        "half-up": "rounded half up to the won",
        "principal": "Principal",
        "as_of": "As of",
        "segment": "Segment {number}: {rate} a year from {start} to {end}",
        "segment_open": "Segment {number}: {rate} a year from {start} until paid",
        "not_started": "  Starts after the as-of date: no interest accrues.",
        "cut": "  Counted through the as-of date.",
        "years": "{years} year{plural} ({days} days)",
        "day_block": "{days} days / {divisor}",
        "range": "{start} – {end}",
        "rate": "{rate}",
        "exact": "Interest (exact)",
        "interest": "Interest ({rounding})",
        "total": "Total",
    },
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _usage_error(argument: str, message: str) -> CommandError:
    return CommandError(f"{argument}: {message}", returncode=USAGE_ERROR)


def parse_principal(text: str) -> int:
    digits = text.strip().replace(",", "").replace("_", "")
    if not digits.isdigit() or int(digits) <= 0:
        raise _usage_error("--principal", f"must be a whole number of won greater than zero (got {text!r})")
    return int(digits)


def parse_as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        if not _ISO_DATE.fullmatch(text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _usage_error("--as-of", f"must be a date written YYYY-MM-DD (got {text!r})") from None


def render_sheet(result: AmountDue, order: JudgmentOrder, lang: str) -> str:
    """The calculation sheet as a person reads it."""
    labels = LABELS[lang]
    lines = [
        f"{labels['title']} ({labels[result.method]}, {labels[result.rounding]})",
        f"{labels['principal']}: {format_won(result.principal, lang)}",
        f"{labels['as_of']}: {format_date(result.as_of, lang)}",
    ]
    rows_by_segment: dict[int, list[tuple[str, str, str, str]]] = {}
    for line in result.lines:
        if line.years:
            span = labels["years"].format(years=line.years, days=f"{line.days:,}", plural="s" if line.years > 1 else "")
        else:
            span = labels["day_block"].format(days=f"{line.days:,}", divisor=line.divisor)
        rows_by_segment.setdefault(line.segment, []).append((
            labels["range"].format(start=line.start.isoformat(), end=line.end.isoformat()),
            span,
            labels["rate"].format(rate=format_rate(line.rate)),
            format_won_exact(line.interest, lang),
        ))
    all_rows = [row for rows in rows_by_segment.values() for row in rows]
    widths = [max((_width(row[i]) for row in all_rows), default=0) for i in range(4)]
    for number, segment in enumerate(order.segments, 1):
        lines.append("")
        lines.append(labels["segment" if segment.end else "segment_open"].format(
            number=number, start=segment.start.isoformat(), end=segment.end and segment.end.isoformat(),
            rate=format_rate(segment.rate),
        ))
        rows = rows_by_segment.get(number)
        if not rows:
            lines.append(labels["not_started"])
            continue
        for row in rows:
            lines.append("  " + "   ".join(
                _pad(cell, widths[i], right=(i == 3)) for i, cell in enumerate(row)
            ).rstrip())
        if segment.end is None or segment.end > result.as_of:
            lines.append(labels["cut"])
    totals = [
        (labels["exact"], format_won_exact(result.exact_interest, lang)),
        (labels["interest"].format(rounding=labels[result.rounding]), format_won(result.interest, lang)),
        (labels["principal"], format_won(result.principal, lang)),
        (labels["total"], f"{format_won(result.total, lang)} ({format_won_readable(result.total, lang)})"),
    ]
    label_width = max(_width(label) for label, _ in totals)
    value_width = max(_width(value.split(" (")[0]) for _, value in totals)
    lines.append("")
    for label, value in totals:
        figure, _, readable = value.partition(" (")
        text = _pad(label, label_width) + "  " + _pad(figure, value_width, right=True)
        lines.append(text + (f" ({readable}" if readable else ""))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Judgment delay interest owed on a date, with the calculation sheet (period or total-days method).\n"
        "Example: baesang interest --principal 100000000 --segment 2013-06-19:paid:20 --as-of 2018-11-01"
    )

    def add_arguments(self, parser):
        parser.add_argument("--principal", required=True, help="principal in whole won, e.g. 100000000")
        parser.add_argument(
            "--segment", action="append", required=True, metavar="START:END:RATE",
            help="an interest segment, repeatable, in date order: END a date or 'paid', RATE percent a year "
                 "(e.g. 2015-05-13:2015-06-24:5 then 2015-06-25:paid:20)",
        )
        parser.add_argument("--as-of", dest="as_of", help="the day the amount is due, YYYY-MM-DD (default: today)")
        parser.add_argument("--method", choices=METHODS, default="period",
                            help="period (기간식, default) or days (총일수식, days/365)")
        parser.add_argument("--rounding", choices=ROUNDINGS, default="truncate",
                            help="truncate (원 미만 버림, default) or half-up")
        parser.add_argument("--lang", choices=LANGS, default="ko", help="language of the sheet (default ko)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print the result as JSON")

    def handle(self, *args, principal, segment, as_of, method, rounding, lang, as_json: bool, **options):
        amount = parse_principal(principal)
        segments: list[Segment] = []
        for number, text in enumerate(segment, 1):
            try:
                segments.append(parse_segment(text))
            except InterestError as exc:
                raise _usage_error(f"--segment {number}", exc.message) from None
        day = parse_as_of(as_of)
        order = JudgmentOrder(amount, tuple(segments))
        try:
            result = amount_due(order, day, method, rounding)
        except InterestError as exc:
            argument = {"principal": "--principal", "as_of": "--as-of", "method": "--method",
                        "rounding": "--rounding"}.get(exc.field or "", "--segment")
            message = exc.message
            if exc.segment is not None:
                argument = f"--segment {exc.segment}"
                message = message.removeprefix(f"segment {exc.segment}: ")
            raise _usage_error(argument, message) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_sheet(result, order, lang))
