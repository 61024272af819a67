"""`baesang judgment add|list|parse`: register final judgments, list them, read a judgment's text.

    baesang judgment add --case-number 2013다61381 --court 대법원 --debtor NSC --debtor-name 일본제철 \\
        --decided 2018-10-30 --final 2018-10-30 --plaintiffs 4 --user case
"""

from __future__ import annotations

from baesang.core.commands import StaffCommand, acting_user, as_json, operator_arguments, parse_date
from baesang.judgments import judgment_reader, services
from baesang.judgments.models import Debtor
from baesang.judgments.selectors import judgments_list


class Command(StaffCommand):
    help = "Judgments: `baesang judgment add|list|parse`."
    actions = {"add": "register a final judgment", "list": "the judgments with their claims",
               "parse": "read a judgment's text or PDF: creditors, amounts, interest (stores nothing)"}
    arguments_parse, do_parse = judgment_reader.arguments_parse, judgment_reader.do_parse

    def arguments_add(self, parser):
        parser.add_argument("--case-number", required=True)
        parser.add_argument("--court", required=True)
        parser.add_argument("--debtor", required=True, help="debtor code, e.g. NSC")
        parser.add_argument("--debtor-name", help="needed the first time a debtor is named")
        parser.add_argument("--decided", required=True)
        parser.add_argument("--final", required=True)
        parser.add_argument("--plaintiffs", type=int, required=True)
        parser.add_argument("--title", default="")
        operator_arguments(parser)

    def do_add(self, *, case_number, court, debtor, decided, final, plaintiffs, user, debtor_name=None, title="",
               **_):
        actor = acting_user(user, action="manage_judgments")
        judgment = services.judgment_register(
            case_number=case_number, court_name=court, debtor=Debtor.objects.filter(code=debtor).first(),
            debtor_code=debtor, debtor_name=debtor_name or debtor, decided_on=parse_date(decided, "--decided"),
            final_on=parse_date(final, "--final"), plaintiffs_count=plaintiffs, title=title, actor=actor)
        self.out(f"judgment {judgment.case_number} registered (id {judgment.pk})")

    def arguments_list(self, parser):
        parser.add_argument("--json", action="store_true")

    def do_list(self, *, json=False, **_):
        rows = judgments_list()
        if json:
            self.out(as_json(rows))
            return
        for row in rows:
            self.out(f"{row['case_number']:<14} {row['court']:<8} {row['debtor']:<12} final {row['final_on']}  "
                     f"{row['claims']} claim(s), principal {row['principal']:,}원")
