"""Reading an uploaded judgment (text or PDF) for the command line and the API.

``baesang judgment parse FILE [--json]`` and ``POST /api/judgments/parse`` both call
:func:`judgment_read`, which runs the pure reader (:mod:`baesang.calc.judgment_file`,
:mod:`baesang.calc.judgment_text`) and turns a file it cannot read into a domain error: the
command exits 2 with the message, the API answers 400 (the bytes are not a readable text:
empty, another kind of file, an unknown encoding, a damaged PDF) or 422 (the file was read but
holds nothing to use: a PDF without a text layer, a text without an operative part 주문).
Nothing is stored: registering a judgment from a reading is the confirmation service's work.
The summary gives each creditor's amount due on a date by the interest engine (period method,
the configured rounding), as the judgment orders it.
"""

from __future__ import annotations

import sys
from datetime import date

from django.utils import timezone

from baesang.calc.interest import InterestError, Segment, amount_due
from baesang.calc.judgment_file import read_judgment_file
from baesang.calc.judgment_text import (
    NO_OPERATIVE_PART,
    PDF_WITHOUT_TEXT,
    JudgmentReadError,
    JudgmentReading,
    ParsedOrder,
    order_to_interest,
    parse_judgment,
    result_to_json_dict,
)
from baesang.core.commands import as_json, parse_date, read_file, won
from baesang.core.errors import InputError
from baesang.judgments.orders import rounding_policy

#: Codes answered 422 by the API: read, but nothing to use in it.
UNPROCESSABLE_CODES = frozenset({NO_OPERATIVE_PART, PDF_WITHOUT_TEXT})
ROUNDING_WORDS = {"truncate": "원 미만 버림", "half-up": "원 미만 반올림"}


class JudgmentFileRefused(InputError):
    """The uploaded judgment is not a readable text (``code`` from :mod:`baesang.calc.judgment_text`)."""

    code = "judgment_unreadable"
    http_status = 400


class JudgmentFileUnusable(JudgmentFileRefused):
    """The uploaded judgment was read but holds nothing to use: no text layer, no 주문."""

    http_status = 422


def judgment_read(*, content: bytes, filename: str) -> JudgmentReading:
    """Read a judgment file's bytes; raises :class:`JudgmentFileRefused` (or its subclass
    :class:`JudgmentFileUnusable`)."""
    try:
        return parse_judgment(read_judgment_file(content, filename or "-").text)
    except JudgmentReadError as exc:
        refusal = JudgmentFileUnusable if exc.code in UNPROCESSABLE_CODES else JudgmentFileRefused
        raise refusal(exc.message, code=exc.code, field="file") from None


# ---------------------------------------------------------------------------------------
# `baesang judgment parse`


def arguments_parse(command, parser) -> None:
    parser.add_argument("file", metavar="FILE", help="the judgment, .txt (UTF-8, EUC-KR) or .pdf; - reads stdin")
    parser.add_argument("--json", dest="as_json", action="store_true", help="the reading as JSON")
    parser.add_argument("--as-of", help="the date of the amounts due in the summary (default today)")


def do_parse(command, *, file: str, as_json: bool = False, as_of: str | None = None, **_) -> None:
    content = sys.stdin.buffer.read() if file == "-" else read_file(file, "FILE")
    reading = judgment_read(content=content, filename=file)
    if as_json:
        command.out(json_text(reading))
        return
    command.out(parse_summary(reading, as_of=parse_date(as_of, "--as-of") if as_of else timezone.localdate()))


def json_text(reading: JudgmentReading) -> str:
    return as_json(result_to_json_dict(reading))


def _segments_words(segments: tuple[Segment, ...]) -> str:
    if not segments:
        return "지연손해금 없음"
    parts = []
    for segment in segments:
        end = "다 갚는 날" if segment.end is None else segment.end.isoformat()
        parts.append(f"{segment.start.isoformat()}부터 {end}까지 연 {format(segment.rate.normalize(), 'f')}%")
    return ", ".join(parts)


def _due(order: ParsedOrder, as_of: date, rounding: str) -> tuple[int | None, str]:
    if not order.segments:
        return order.principal, "원금만"
    if as_of < order.segments[0].start:
        return order.principal, "이자 기산일 전"
    try:
        due = amount_due(order_to_interest(order), as_of, rounding=rounding, sheet=False)
    except InterestError as exc:
        return None, f"계산할 수 없음: {exc.message}"
    return due.total, f"이자 {won(due.interest)}"


def parse_summary(reading: JudgmentReading, *, as_of: date) -> str:
    """The reading in Korean, with each creditor's amount due on ``as_of``."""
    rounding = rounding_policy()
    lines = [
        f"사건: {reading.case_number or '(읽지 못함)'}    법원: {reading.court or '(읽지 못함)'}",
        f"피고: {', '.join(reading.debtors) or '(읽지 못함)'}" + ("  (공동하여)" if reading.joint else ""),
    ]
    if not reading.orders:
        lines.append("지급 명령: 없음")
    else:
        lines.append(f"지급 명령: 채권자 {len(reading.orders)}명 — {as_of.isoformat()} 현재 금액 "
                     f"(기간식, {ROUNDING_WORDS.get(rounding, rounding)})")
        principal_total = due_total = 0
        complete = True
        for number, order in enumerate(reading.orders, 1):
            due, detail = _due(order, as_of, rounding)
            heir = f" (망 {order.deceased}의 소송수계인)" if order.deceased else ""
            lines.append(f"  {number}. {order.creditor}{heir}  원금 {won(order.principal)}")
            lines.append(f"     {_segments_words(order.segments)}")
            lines.append(f"     지급할 금액 {won(due) if due is not None else '-'} ({detail})")
            principal_total += order.principal
            if due is None:
                complete = False
            else:
                due_total += due
        total = won(due_total) + ("" if complete else " (계산할 수 없는 명령 제외)")
        lines.append(f"합계: 원금 {won(principal_total)}, 지급할 금액 {total}")
    if reading.unparsed:
        lines.append(f"읽지 못한 지급 문장 {len(reading.unparsed)}개 — 판결문을 보고 직접 입력하십시오:")
        for entry in reading.unparsed:
            lines.append(f"  - 「{entry.sentence}」")
            lines.append(f"    이유: {entry.reason}")
    else:
        lines.append("읽지 못한 지급 문장: 없음")
    return "\n".join(lines)
