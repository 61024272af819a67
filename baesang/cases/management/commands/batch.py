"""`baesang batch ACTION`: payment batches from preparation to the bank's answer.

    export BAESANG_CLI_TOKEN=$(baesang api-token create finance --name finance-cli)
    baesang batch prepare --date 2023-04-10 [--claim ID ...] [--limit N]
    baesang batch approve ID --otp 123456            (the approver's token; never the preparer)
    baesang batch export ID --out bank.csv
    baesang batch import ID RESULT.csv [--value-date DATE]
    baesang batch cancel ID --reason TEXT
    baesang batch show ID [--json] | baesang batch list [--json]

Commands that change data act as the user of the API token in ``BAESANG_CLI_TOKEN``;
``--user NAME`` only cross-checks it (see baesang.core.commands).

Progress goes to stderr: a bar on a terminal, plain lines otherwise (standard output keeps the
one-line result).

The bank result file is CSV with the header ``line,amount,status,bank_reference,reason``
(status ``paid`` or ``failed``); the export has ``line,reference,claim,holder,bank,account,amount``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.db import transaction

from baesang.cases import services
from baesang.cases.models import PaymentBatch
from baesang.cases.selectors import batch_detail, batches_list
from baesang.core.commands import (
    StaffCommand,
    acting_user,
    as_json,
    get_or_fail,
    operator_arguments,
    parse_date,
    read_file,
    usage_error,
    won,
)
from baesang.core.progress import command_progress
from baesang.judgments.models import Claim

#: What each stage of a batch step is called on the progress bar or line (stderr).
STAGES = {"amounts": "amounts due computed (claims)", "lines": "batch lines written",
          "reserve": "payments reserved in the ledger", "export": "bank file lines written",
          "check": "bank results checked", "book": "bank results booked"}


class Command(StaffCommand):
    help = "Payment batches: `baesang batch prepare|approve|export|import|cancel|show|list`."
    actions = {
        "prepare": "prepare a batch of every accepted holder not yet paid",
        "approve": "approve a batch and reserve its money (four eyes)",
        "export": "write the bank transfer file of an approved batch",
        "import": "import the bank's result: post paid lines, void failed ones",
        "cancel": "cancel a batch not yet sent to the bank",
        "show": "one batch",
        "list": "all batches",
    }

    def arguments_prepare(self, parser):
        parser.add_argument("--date", required=True, help="payment date: interest is counted to this day")
        parser.add_argument("--claim", action="append", default=[], help="only these claims (repeatable)")
        parser.add_argument("--limit", type=int, help="only the first N claims in waiting order")
        operator_arguments(parser)

    def do_prepare(self, *, date, user, claim=(), limit=None, **_):
        actor = acting_user(user, action="prepare_batch")
        claims = [get_or_fail(Claim, c, "claim") for c in claim] or None
        with command_progress(self, STAGES) as progress:
            batch = services.batch_prepare(payment_date=parse_date(date, "--date"), preparer=actor, claims=claims,
                                           limit=limit, progress=progress)
        self.out(f"batch {batch.pk} prepared: {batch.line_count} line(s), {won(batch.total_amount)} "
                 f"for payment on {batch.payment_date}")

    def arguments_approve(self, parser):
        parser.add_argument("id")
        operator_arguments(parser, second_factor=True)

    def do_approve(self, *, id, user=None, otp=None, **_):
        approver = acting_user(user, action="approve_batch", otp=otp)
        with command_progress(self, STAGES) as progress:
            batch = services.batch_approve(batch=get_or_fail(PaymentBatch, id, "batch"), approver=approver,
                                           progress=progress)
        self.out(f"batch {batch.pk} approved by {approver.get_username()}: {won(batch.total_amount)} reserved")

    def arguments_export(self, parser):
        parser.add_argument("id")
        parser.add_argument("--out", required=True, help="path of the bank transfer file (CSV)")
        operator_arguments(parser)

    def do_export(self, *, id, out, user, **_):
        actor = acting_user(user, action="execute_batch")
        target = Path(out)
        if not target.parent.exists():
            raise usage_error("--out", f"directory {target.parent} does not exist")
        # The lines are written as read to a temporary file beside the target, moved in place only
        # once the export is recorded (outside effects run on commit); on failure it is removed.
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".part",
                                         delete=False) as part:
            try:
                with command_progress(self, STAGES) as progress, transaction.atomic():
                    bank_file = services.batch_export(batch=get_or_fail(PaymentBatch, id, "batch"), actor=actor,
                                                      progress=progress, target=part)
                    transaction.on_commit(lambda: os.replace(part.name, target))
            except BaseException:
                Path(part.name).unlink(missing_ok=True)
                raise
        self.out(f"batch {bank_file.batch_id}: {bank_file.lines} line(s) written to {target} "
                 f"(sha256 {bank_file.sha256})")

    def arguments_import(self, parser):
        parser.add_argument("id")
        parser.add_argument("result", help="the bank's result file (CSV)")
        parser.add_argument("--value-date", help="date the bank executed the payments (default the payment date)")
        operator_arguments(parser)

    def do_import(self, *, id, result, user, value_date=None, **_):
        actor = acting_user(user, action="reconcile_batch")
        results = services.bank_results_parse(read_file(result, "result").decode("utf-8-sig"))
        with command_progress(self, STAGES) as progress:
            summary = services.batch_result_import(
                batch=get_or_fail(PaymentBatch, id, "batch"), results=results, actor=actor,
                value_date=parse_date(value_date, "--value-date") if value_date else None, progress=progress)
        self.out(f"batch {summary.batch_id}: {summary.paid} paid ({won(summary.paid_amount)}), {summary.failed} "
                 f"failed, {summary.unchanged} already recorded; "
                 f"{'settled' if summary.settled else 'lines still at the bank'}")

    def arguments_cancel(self, parser):
        parser.add_argument("id")
        parser.add_argument("--reason", required=True)
        operator_arguments(parser)

    def do_cancel(self, *, id, reason, user, **_):
        actor = acting_user(user, action="cancel_batch")
        batch = services.batch_cancel(batch=get_or_fail(PaymentBatch, id, "batch"), actor=actor,
                                      reason=reason)
        self.out(f"batch {batch.pk} cancelled")

    def arguments_show(self, parser):
        parser.add_argument("id")
        parser.add_argument("--json", action="store_true")

    def do_show(self, *, id, json=False, **_):
        detail = batch_detail(batch_id=get_or_fail(PaymentBatch, id, "batch").pk)
        if json:
            self.out(as_json(detail))
            return
        self.out(f"batch {detail['id']} for {detail['payment_date']}: {detail['state']}, {detail['lines']} line(s), "
                 f"{won(detail['total'])}; prepared by {detail['prepared_by']}, approved by "
                 f"{detail['approved_by'] or '—'}")
        for state, entry in detail["by_state"].items():
            self.out(f"  {state:<10} {entry['lines']:>7} line(s) {won(entry['amount']):>20}")

    def arguments_list(self, parser):
        parser.add_argument("--json", action="store_true")

    def do_list(self, *, json=False, **_):
        rows = batches_list()
        if json:
            self.out(as_json(rows))
            return
        for row in rows:
            self.out(f"{row['id']:>5}  {row['payment_date']}  {row['state']:<10} {row['lines']:>7} line(s) "
                     f"{won(row['total']):>20}")
