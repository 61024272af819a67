"""`baesang judgment add|list|parse|check`: register final judgments, list them, read a judgment's
text, check the registered claims against the stored judgment text.

    baesang judgment check [CASE] [--json]   exit 0: no difference; 1: differences listed; 2: bad input

    baesang judgment add --case-number 2013다61381 --court 대법원 --debtor NSC --debtor-name 일본제철 \\
        --decided 2018-10-30 --final 2018-10-30 --plaintiffs 4 --user case
"""

from __future__ import annotations

from django.core.management.base import CommandError

from baesang.core.commands import USAGE_ERROR, StaffCommand, acting_user, as_json, operator_arguments, parse_date
from baesang.judgments import judgment_reader, services
from baesang.judgments.models import Debtor, Judgment
from baesang.judgments.reading import judgments_check
from baesang.judgments.selectors import judgments_list


class Command(StaffCommand):
    help = "Judgments: `baesang judgment add|list|parse|check`."
    actions = {"add": "register a final judgment", "list": "the judgments with their claims",
               "parse": "read a judgment's text or PDF: creditors, amounts, interest (stores nothing)",
               "check": "the registered claims against the stored judgment text: every difference"}
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

    def arguments_check(self, parser):
        parser.add_argument("case", nargs="?", metavar="CASE", help="case number (default: every judgment)")
        parser.add_argument("--json", action="store_true")

    def do_check(self, *, case=None, json=False, **_):
        judgments = None
        if case:
            judgments = list(Judgment.objects.filter(case_number=case.replace(" ", "")))
            if not judgments:
                raise CommandError(f"CASE: no judgment {case} is registered", returncode=USAGE_ERROR)
        checks = judgments_check(judgments=judgments)
        differences = sum(len(check.differences) for check in checks)
        if json:
            self.out(as_json({"judgments": [check.as_json() for check in checks], "differences": differences}))
        else:
            for check in checks:
                source = f"document {check.document.pk}" if check.document else "no document"
                verdict = "일치" if check.clean else f"차이 {len(check.differences)}건"
                self.out(f"{check.judgment.case_number:<16} 주문 {check.orders}명, 등록 채권 {check.claims}건 "
                         f"({source}): {verdict}")
                for difference in check.differences:
                    who = f" {difference.creditor}" if difference.creditor else ""
                    number = f" #{difference.position}" if difference.position else ""
                    self.out(f"  - {difference.kind}{who}{number}: 판결 {difference.judgment_says or '-'} / "
                             f"등록 {difference.registered or '-'} {difference.detail}".rstrip())
            self.out(f"{len(checks)} judgment(s) checked, {differences} difference(s)")
        if differences:
            raise SystemExit(1)
