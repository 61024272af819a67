"""`baesang report fund [--as-of DATE] [--json] [--fresh]`: the fund against what it owes;
`baesang report refresh [--as-of DATE]`: compute the figures of the day ahead.

Donations received, paid, held in court deposits, the bank balance, reserved and available
(from the ledger), what the waiting claims are owed and the interest they accrue per day,
and the claims by state. The figures come from the figures cache, which is never older than
the last write that could change them (docs/ledger.md "Fund report"); ``refresh`` fills it
(after a batch posts, or nightly) so that the next visitor of the dashboard does not wait.
It writes no record, only the cache, and needs no token.
"""

from __future__ import annotations

import time

from baesang.cases.selectors import figures_refresh, fund_report
from baesang.core.commands import StaffCommand, as_json, parse_date, won


class Command(StaffCommand):
    help = "Reports: `baesang report fund [--as-of DATE] [--json]` — money in, paid, deposited, available, owed."
    actions = {"fund": "the fund position against the claims waiting",
               "refresh": "compute and keep the dashboard's and fund report's figures of a day (default today)"}

    def arguments_fund(self, parser):
        parser.add_argument("--as-of", help="date YYYY-MM-DD (default today)")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--fresh", action="store_true", help="compute again, not from the figures cache")

    def arguments_refresh(self, parser):
        parser.add_argument("--as-of", help="date YYYY-MM-DD (default today)")

    def do_refresh(self, *, as_of=None, **_):
        day = parse_date(as_of, "--as-of")
        started = time.monotonic()
        names = figures_refresh(as_of=day)
        self.out(f"figures of {day.isoformat()} ready ({', '.join(names)}) in {time.monotonic() - started:.1f} s")

    def do_fund(self, *, as_of=None, json=False, fresh=False, **_):
        report = fund_report(as_of=parse_date(as_of, "--as-of"), cached=not fresh)
        if json:
            self.out(as_json({k: v for k, v in report.items() if k != "as_of"}))
            return
        self.out(f"기금 현황 (fund report) — {report['as_of']}")
        for key, label in (("donations_received", "기부금 수입 (donations received)"),
                           ("paid", "판결금 지급 (paid)"), ("deposits_held", "공탁금 (court deposits held)"),
                           ("balance", "예금 잔액 (bank balance)"), ("reserved", "지급 예정 (reserved)"),
                           ("available", "가용 잔액 (available)"),
                           ("owed_waiting", "대기 채권 (owed to waiting claims)"),
                           ("interest_per_day", "하루 지연이자 (interest accruing per day)")):
            self.out(f"  {label:<44} {won(report[key]):>20}")
        claims = report["claims"]
        self.out("  claims: " + ", ".join(f"{state} {count}" for state, count in claims.items()))
