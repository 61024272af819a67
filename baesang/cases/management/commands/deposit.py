"""`baesang deposit ACTION`: court deposits (공탁) for holders who refused.

    baesang deposit file --holding ID --court 광주지방법원 --on 2023-07-03 [--number N] --user case
    baesang deposit decide ID --outcome refused --on 2023-07-04 [--document FILE] --user case
        (outcomes: accepted, refused, objection_filed, objection_dismissed, returned)
    baesang deposit list [--json]
"""

from __future__ import annotations

from pathlib import Path

from baesang.cases import services
from baesang.cases.models import ClaimHolding, CourtDeposit
from baesang.cases.selectors import deposits_list
from baesang.core.commands import (
    StaffCommand,
    acting_user,
    as_json,
    get_or_fail,
    operator_arguments,
    parse_date,
    read_file,
    won,
)
from baesang.judgments.services import Upload

OUTCOMES = ["accepted", "refused", "objection_filed", "objection_dismissed", "returned"]


class Command(StaffCommand):
    help = "Court deposits: `baesang deposit file|decide|list`."
    actions = {"file": "file a court deposit of a refused part", "decide": "record the court's outcome",
               "list": "all court deposits"}

    def arguments_file(self, parser):
        parser.add_argument("--holding", required=True, help="holding id of the refusing holder")
        parser.add_argument("--court", required=True, help="court (deposit office), e.g. 광주지방법원")
        parser.add_argument("--on", required=True, help="filing date: interest is counted to this day")
        parser.add_argument("--number", default="", help="deposit number (공탁번호)")
        operator_arguments(parser)

    def do_file(self, *, holding, court, on, user, number="", **_):
        actor = acting_user(user, action="manage_deposits")
        deposit = services.deposit_file(holding=get_or_fail(ClaimHolding, holding, "holding"), court_name=court,
                                        filed_on=parse_date(on, "--on"), actor=actor, deposit_number=number)
        self.out(f"court deposit {deposit.pk} filed at {deposit.court}: {won(deposit.amount)} reserved")

    def arguments_decide(self, parser):
        parser.add_argument("id")
        parser.add_argument("--outcome", required=True, choices=OUTCOMES)
        parser.add_argument("--on", required=True)
        parser.add_argument("--document", help="the decision (file)")
        parser.add_argument("--number", default="")
        parser.add_argument("--note", default="")
        operator_arguments(parser)

    def do_decide(self, *, id, outcome, on, user, document=None, number="", note="", **_):
        actor = acting_user(user, action="manage_deposits")
        deposit = get_or_fail(CourtDeposit, id, "deposit")
        upload = Upload(Path(document).name, read_file(document, "--document")) if document else None
        deposit = services.deposit_decide(deposit=deposit, outcome=outcome, decided_on=parse_date(on, "--on"),
                                          actor=actor, upload=upload, deposit_number=number, note=note)
        self.out(f"court deposit {deposit.pk}: {deposit.state} on {deposit.decided_on}")

    def arguments_list(self, parser):
        parser.add_argument("--json", action="store_true")

    def do_list(self, *, json=False, **_):
        rows = deposits_list()
        if json:
            self.out(as_json(rows))
            return
        for row in rows:
            self.out(f"{row['id']:>5}  claim {row['claim']:<6} {row['holder']:<8} {row['court']:<12} "
                     f"{row['filed_on']}  {won(row['amount']):>18}  {row['state']}")
