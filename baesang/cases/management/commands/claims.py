"""`baesang claims list [--state S] [--as-of DATE] [--json]` and `baesang claims waiting`.

``list``: each claim of a judgment final by the date, with its state and holders on that day,
what is still owed on it, and its limitation (ten years from final, Art. 165(1), moved by the
interruptions recorded): the last day and the days left (JSON field ``limitation``).
``--limitation-within DAYS`` keeps the claims whose last day is that near (or passed).
``waiting``: the waiting list in the order of a policy (earliest final judgment first, or the
oldest living victim first) with the interest each claim accrues per day.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from json import dumps

from baesang.cases.selectors import (
    POLICIES,
    WaitingClaim,
    WaitingList,
    claims_list,
    claims_list_iter,
    claims_waiting_iter,
)
from baesang.core.commands import RawOutput, StaffCommand, json_array_write, parse_date, usage_error, won
from baesang.judgments.models import Claim
from baesang.judgments.orders import rounding_policy

STATES = [state for state, _ in Claim.STATE_CHOICES]


class Command(StaffCommand):
    help = "Claims: `baesang claims list [--state S] [--as-of DATE] [--json]`, `baesang claims waiting`."
    actions = {"list": "claims with amount still due and holders", "waiting": "the waiting list and its daily cost"}

    def arguments_list(self, parser):
        parser.add_argument("--state", help=f"only claims in this state ({', '.join(STATES)})")
        parser.add_argument("--as-of", help="date YYYY-MM-DD (default today)")
        parser.add_argument("--limitation-within", type=int, metavar="DAYS",
                            help="only claims whose limitation date is within DAYS days (or passed)")
        parser.add_argument("--json", action="store_true")

    def do_list(self, *, state=None, as_of=None, json=False, limitation_within=None, **_):
        if state is not None and state not in STATES:
            raise usage_error("--state", f"{state!r} is not one of {', '.join(STATES)}")
        if limitation_within is not None and limitation_within < 0:
            raise usage_error("--limitation-within", "give a number of days, 0 or more")
        as_of_day = parse_date(as_of, "--as-of")
        if json:
            # One JSON array, written a claim at a time: memory stays flat whatever the number of claims.
            json_array_write(claims_list_iter(as_of=as_of_day, state=state, limitation_within_days=limitation_within),
                             RawOutput(self.stdout))
            return
        rows = claims_list(as_of=as_of_day, state=state, limitation_within_days=limitation_within)
        for row in rows:
            holders = ", ".join(f"{h['name']} {h['share']}" for h in row["holders"])
            limitation = row["limitation"]
            last_day = limitation["last_day"] or "pending"
            left = "" if limitation["days_left"] is None else f"{limitation['days_left']:>6}d"
            self.out(f"{row['id']:>6}  {row['case_number']:<14} {row['victim_name']:<8} {row['state']:<10} "
                     f"{won(row['amount_due']):>18}  {last_day:<10} {left:>7}  {holders}")
        self.out(f"{len(rows)} claim(s)")

    def arguments_waiting(self, parser):
        parser.add_argument("--as-of", help="date YYYY-MM-DD (default today)")
        parser.add_argument("--policy", default="earliest_final", help=f"one of {', '.join(POLICIES)}")
        parser.add_argument("--json", action="store_true")

    def do_waiting(self, *, as_of=None, policy="earliest_final", json=False, **_):
        if policy not in POLICIES:
            raise usage_error("--policy", f"{policy!r} is not one of {', '.join(POLICIES)}")
        day = parse_date(as_of, "--as-of")
        # The rows are computed a chunk of claims at a time and written as they come (memory
        # flat); the totals are summed on the way and written after them.
        totals = _Totals()
        rows = (totals.add(row).as_json(totals.rounding) for row in claims_waiting_iter(as_of=day, policy=policy))
        if json:
            # The object of WaitingList.as_json with its members in this order: as_of, policy, claims, totals.
            out = RawOutput(self.stdout)
            out.write(f'{{\n  "as_of": {dumps(day.isoformat())},\n  "policy": {dumps(policy)},\n  "claims": ')
            json_array_write(rows, out, level=1)
            for name, value in totals.as_json(day, policy).items():
                out.write(f",\n  {dumps(name)}: {dumps(value)}")
            out.write("\n}\n")
            return
        self.out(f"대기 명단 (waiting list) {day.isoformat()}, policy {policy}")
        for row in rows:
            self.out(f"{row['rank']:>4}. claim {row['claim']:<6} {row['case_number']:<14} {row['victim_name']:<8} "
                     f"{won(row['amount_due']):>18}  +{won(row['interest_per_day'])}/day")
        data = totals.as_json(day, policy)
        self.out(f"total {won(data['total_due'])}, interest accruing {won(data['interest_per_day'])} a day")


class _Totals:
    """The waiting list's totals summed over its rows as they are written."""

    def __init__(self) -> None:
        self.rounding = rounding_policy()
        self.due = 0
        self.per_day = Fraction(0)

    def add(self, row: WaitingClaim) -> WaitingClaim:
        self.due += row.amount_due
        self.per_day += row.interest_per_day
        return row

    def as_json(self, as_of: date, policy: str) -> dict:
        """The totals as :meth:`WaitingList.as_json` gives them (without the claims)."""
        whole = WaitingList(as_of=as_of, policy=policy, claims=[], total_due=self.due,
                            interest_per_day=self.per_day).as_json()
        return {name: whole[name] for name in ("total_due", "interest_per_day", "interest_per_day_exact")}
