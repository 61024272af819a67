"""`baesang report fund [--as-of DATE] [--json]`: the fund against what it owes.

Donations received, paid, held in court deposits, the bank balance, reserved and available
(from the ledger), what the waiting claims are owed and the interest they accrue per day,
and the claims by state.
"""

from __future__ import annotations

from baesang.cases.selectors import fund_report
from baesang.core.commands import StaffCommand, as_json, parse_date, won


class Command(StaffCommand):
    help = "Reports: `baesang report fund [--as-of DATE] [--json]` — money in, paid, deposited, available, owed."
    actions = {"fund": "the fund position against the claims waiting"}

    def arguments_fund(self, parser):
        parser.add_argument("--as-of", help="date YYYY-MM-DD (default today)")
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def do_fund(self, *, as_of=None, json=False, **_):
        report = fund_report(as_of=parse_date(as_of, "--as-of"))
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
