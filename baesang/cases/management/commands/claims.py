"""`baesang claims list [--state S] [--as-of DATE] [--json]` and `baesang claims waiting`.

``list``: each claim of a judgment final by the date, with its state and holders on that day,
what is still owed on it, and its limitation (ten years from final, Art. 165(1), moved by the
interruptions recorded): the last day and the days left (JSON field ``limitation``).
``--limitation-within DAYS`` keeps the claims whose last day is that near (or passed).
``waiting``: the waiting list in the order of a policy (earliest final judgment first, or the
oldest living victim first) with the interest each claim accrues per day.
"""

from __future__ import annotations

from baesang.cases.selectors import POLICIES, claims_list, claims_list_iter, claims_waiting
from baesang.core.commands import StaffCommand, as_json, json_array_write, parse_date, usage_error, won
from baesang.judgments.models import Claim

STATES = [state for state, _ in Claim.STATE_CHOICES]


class _Text:
    """The command's standard output taking text as it comes (no line ending added)."""

    def __init__(self, stdout) -> None:
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(text, ending="")


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
                             _Text(self.stdout))
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
        waiting = claims_waiting(as_of=parse_date(as_of, "--as-of"), policy=policy)
        data = waiting.as_json()
        if json:
            self.out(as_json(data))
            return
        self.out(f"대기 명단 (waiting list) {data['as_of']}, policy {policy}")
        for row in data["claims"]:
            self.out(f"{row['rank']:>4}. claim {row['claim']:<6} {row['case_number']:<14} {row['victim_name']:<8} "
                     f"{won(row['amount_due']):>18}  +{won(row['interest_per_day'])}/day")
        self.out(f"total {won(data['total_due'])}, interest accruing {won(data['interest_per_day'])} a day")
