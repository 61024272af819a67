"""`baesang forecast`: the funding forecast (재원 전망) month by month, for the board.

Inputs come from the records (available fund, waiting list, open pledges, the pending
lawsuits staff entered) plus an optional scenario file of extra donations; the arithmetic
is :mod:`baesang.calc.forecast`, whose rules docs/forecast.md writes out. Output: a table
per month, the interest cost of waiting and the donation that would clear the waiting
list; ``--json`` gives the same as data. Bad input: a message naming the argument or the
scenario entry on stderr, exit status 2.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from baesang.calc.forecast import MAX_MONTHS, ForecastError, forecast, forecast_json, scenario_from_json
from baesang.core.formatting import format_date, format_won
from baesang.public.forecasting import forecast_input

LABELS = {
    "ko": {
        "title": "재원 전망 ({as_of}부터 {months}개월)",
        "columns": ("월", "입금", "지급 건수", "지급액", "기금 잔액", "대기 채권 미지급액", "부족액", "지연 이자 비용"),
        "opening": "기초 가용 기금", "waiting": "대기 채권", "pending": "계류 소송 예상 채권", "pledged": "약정 예정액",
        "cost": "대기 기간 이자 비용 합계", "paid": "지급 예상", "left": "기간 말 대기 채권",
        "beyond": "기간 이후 확정 예상 채권",
        "now": "이번 달에 대기 채권을 모두 지급하려면 오늘 필요한 추가 기부금",
        "within": "기간 안에 대기 목록을 해소하는 최소 추가 기부금(오늘)",
        "by": "해소일", "none": "해당 없음", "claims": "건",
    },
    "en": {
        "title": "Funding forecast ({months} months from {as_of})",
        "columns": ("Month", "Money in", "Claims paid", "Paid", "Fund balance", "Owed to waiting", "Shortfall",
                    "Interest cost"),
        "opening": "Opening available fund", "waiting": "Waiting claims", "pending": "Claims of pending lawsuits",
        "pledged": "Pledged, expected", "cost": "Interest cost of waiting over the horizon", "paid": "Expected paid",
        "left": "Claims still waiting at the end", "beyond": "Claims expected final after the horizon",
        "now": "Extra donation today that pays every waiting claim this month",
        "within": "Least extra donation today that clears the list within the horizon",
        "by": "cleared on", "none": "none", "claims": "claims",
    },
}


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _row(cells, widths) -> str:
    parts = []
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        pad = " " * max(0, width - _width(cell))
        parts.append(cell + pad if index == 0 else pad + cell)
    return "  ".join(parts)


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what}: {text!r} is not a date written YYYY-MM-DD", returncode=2) from None


class Command(BaseCommand):
    help = "Funding forecast: fund balance, shortfall, claims paid and interest cost of waiting, month by month."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=24, help=f"horizon in months, 1 to {MAX_MONTHS} (default 24)")
        parser.add_argument("--scenario", help="JSON file of extra donations (docs/forecast.md)")
        parser.add_argument("--as-of", dest="as_of", help="first day of the forecast, YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the forecast as JSON")
        parser.add_argument("--lang", choices=["ko", "en"], default="ko")

    def handle(self, *args, months, scenario=None, as_of=None, as_json=False, lang="ko", **options):

        day = _date(as_of, "--as-of") if as_of else timezone.localdate()
        if not 1 <= months <= MAX_MONTHS:
            raise CommandError(f"--months: give a whole number from 1 to {MAX_MONTHS} (got {months})", returncode=2)
        inflows = []
        if scenario:
            try:
                data = json.loads(Path(scenario).read_text(encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"--scenario: cannot read {scenario}: {exc.strerror}", returncode=2) from None
            except (ValueError, UnicodeDecodeError) as exc:
                raise CommandError(f"--scenario: {scenario} is not valid JSON: {exc}", returncode=2) from None
            try:
                inflows = scenario_from_json(data)
            except ForecastError as exc:
                raise CommandError(f"--scenario {scenario}: {exc.message}", returncode=2) from None
        try:
            gathered = forecast_input(as_of=day, months=months, scenario=inflows)
            result = forecast(gathered.input)
        except ForecastError as exc:
            raise CommandError(exc.message, returncode=2) from None
        if as_json:
            data = forecast_json(result)
            data["notes"] = [*gathered.notes, *data["notes"]]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._print(result, gathered.notes, lang)

    def _print(self, result, notes, lang: str) -> None:
        text = LABELS[lang]
        inp = result.input
        out = self.stdout.write

        def won(amount: int) -> str:
            return format_won(amount, lang)

        out(text["title"].format(as_of=format_date(inp.as_of, lang), months=inp.months))
        out(f"  {text['opening']}: {won(inp.opening_fund)}")
        out(f"  {text['waiting']}: {len(inp.waiting)} {text['claims']}")
        out(f"  {text['pending']}: {sum(s.count for s in inp.pending)} {text['claims']}")
        out(f"  {text['pledged']}: {won(sum(p.amount for p in inp.pledges))}")
        for inflow in inp.scenario:
            out(f"  + {inflow.on.isoformat()} {won(inflow.amount)} {inflow.label}")
        out("")
        columns = text["columns"]
        widths = (7, 18, 9, 20, 20, 20, 20, 18)
        out(_row(columns, widths))
        for m in result.months:
            cells = (m.month, f"{m.inflows:,}", str(m.paid_claims), f"{m.paid_amount:,}", f"{m.fund_balance:,}",
                     f"{m.owed_waiting:,}", f"{m.shortfall:,}", f"{m.interest_cost:,}")
            out(_row(cells, widths))
        out("")
        out(f"{text['cost']}: {won(result.total_interest_cost)}")
        out(f"{text['paid']}: {result.claims_paid} {text['claims']}, {won(result.total_paid)}")
        out(f"{text['left']}: {result.claims_waiting_at_end} {text['claims']}")
        if result.claims_beyond_horizon:
            out(f"{text['beyond']}: {result.claims_beyond_horizon} {text['claims']}")
        for key, clearing in (("now", result.clear_now), ("within", result.clear_within_horizon)):
            when = clearing.cleared_on.isoformat() if clearing.cleared_on else text["none"]
            out(f"{text[key]}: {won(clearing.donation)} ({text['by']} {when})")
        for note in [*notes, *result.notes]:
            out(f"* {note}")
