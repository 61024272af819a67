"""`baesang donations import FILE.csv`, `receipts issue|list`, `reverse propose|approve|reject|list`,
`export`.

- ``import FILE.csv`` (as the user of ``BAESANG_CLI_TOKEN``): a bank-statement CSV, all rows or none; bad rows are
  listed on stderr (row, field, rule) with exit status 2 and nothing is imported. Rows
  imported before (same bank reference, same content) are skipped. Progress goes to stderr:
  a progress bar on a terminal, a line per stage and every 10,000 rows otherwise.
- ``reverse propose REFERENCE --reason TEXT --user NAME`` (a finance officer), ``reverse
  approve ID --user NAME [--date DATE]`` and ``reverse reject ID --note TEXT --user NAME`` (an
  approver who did not propose it), ``reverse list``: reversing a donation recorded by mistake.
- ``export --format xlsx|csv --output FILE [--year YEAR]``: the donations with Korean headers.
- ``receipts issue [--year YEAR] [--date DATE]``: donation receipts (기부금 영수증) for the
  donations that have none, numbered YYYY-NNNNNN without gaps; progress on stderr as for import.
- ``receipts list --year YEAR [--json]``.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baesang.core.commands import acting_user, channel_scope, operator_arguments
from baesang.core.errors import DomainError, ValidationFailed
from baesang.core.progress import command_progress
from baesang.donations import exports, selectors, services
from baesang.donations.models import Donation, DonationReversal

STAGES = {"check": "checking rows", "donors": "finding and creating donors", "ledger": "booking the ledger journal",
          "donations": "recording donations"}
#: Without a terminal, a progress line is written at most every this many rows of a stage.
LINE_EVERY = 10_000
#: Without a terminal, a progress line at most every this many receipts written.
RECEIPT_LINE_EVERY = 10_000


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = ("Donations: `import FILE.csv` (bank statement, all or nothing), `receipts issue|list` (기부금 영수증), "
            "`reverse propose|approve|reject|list` (기부금 입금 취소), `export`.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,receipts,reverse,export}")
        importing = actions.add_parser("import", help="import donations received from a bank-statement CSV")
        importing.add_argument("file", help="CSV: date,donor,donor_country,donor_brn,amount,currency,rate,"
                                            "reference,restricted")
        operator_arguments(importing)
        receipts = actions.add_parser("receipts", help="donation receipts: issue the missing ones, or list a year")
        receipts.add_argument("step", choices=["issue", "list"])
        receipts.add_argument("--year", type=int, help="donation year (issue: all years when absent)")
        receipts.add_argument("--date", type=_date, help="issue date (default today)")
        operator_arguments(receipts)
        receipts.add_argument("--json", action="store_true")
        reverse = actions.add_parser("reverse", help="reverse a donation recorded by mistake (four eyes)")
        reverse.add_argument("step", choices=["propose", "approve", "reject", "list"])
        reverse.add_argument("target", nargs="?",
                             help="propose: the donation's bank reference; approve/reject: the reversal's number")
        reverse.add_argument("--reason", help="propose: why the donation is reversed")
        reverse.add_argument("--note", help="reject: why the reversal is rejected")
        reverse.add_argument("--date", type=_date, help="approve: value date of the reversing transfer (default today)")
        operator_arguments(reverse, second_factor=True)
        reverse.add_argument("--json", action="store_true")
        export = actions.add_parser("export", help="export the donations as a spreadsheet (Korean headers)")
        export.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        export.add_argument("--output", required=True, help="the file to write")
        export.add_argument("--year", type=int, help="only donations received in this year")

    def handle(self, *args, action, **options):
        try:
            with channel_scope():
                if action == "import":
                    user = acting_user(options.get("user"), action="record_donation")
                    self._import(options["file"], user)
                elif action == "reverse":
                    self._reverse(options)
                elif action == "export":
                    self._export(options["format"], options["output"], options["year"])
                elif options["step"] == "issue":
                    user = acting_user(options.get("user"), action="record_donation")
                    self._issue(options["year"], options["date"], user)
                else:
                    self._list(options["year"], options["json"])
        except ValidationFailed as exc:
            self.stderr.write(exc.message)
            raise SystemExit(2) from exc
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _import(self, file: str, user) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from exc
        with self._progress() as progress:
            result = services.donations_import(data=data, user=user, source=path.name, progress=progress)
        self.stdout.write(f"{path.name}: {result.booked} donation(s) booked, {result.total_won:,} won; "
                          f"{result.already_imported} imported before"
                          + (f"; ledger journal {result.journal}" if result.journal else ""))

    def _issue(self, year: int | None, issued_on: date | None, user) -> None:
        with command_progress(self, {"receipts": "receipts written"}, every=RECEIPT_LINE_EVERY) as progress:
            receipts = services.receipts_issue(year=year, issued_on=issued_on, user=user, progress=progress)
        if not receipts:
            self.stdout.write("no donation without a receipt")
            return
        self.stdout.write(f"{len(receipts)} receipt(s) issued: {receipts[0].number} … {receipts[-1].number}")

    def _list(self, year: int | None, as_json: bool) -> None:
        if year is None:
            raise CommandError("receipts list needs --year", returncode=2)
        receipts = selectors.receipts_of_year(year=year)
        rows = [{"number": r.number, "donor": r.donor.name, "donation": r.donation.bank_reference,
                 "value_date": r.donation.value_date.isoformat(), "amount_won": r.amount_won,
                 "issued_on": r.issued_on.isoformat(),
                 "cancelled_on": r.cancellation.cancelled_on.isoformat() if _cancelled(r) else None,
                 "cancellation_reason": r.cancellation.reason if _cancelled(r) else None} for r in receipts]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['number']}  {row['value_date']}  {row['amount_won']:>18,}  {row['donor']}"
                              + (f"  (cancelled {row['cancelled_on']}: {row['cancellation_reason']})"
                                 if row["cancelled_on"] else ""))
        self.stdout.write(f"{len(rows)} receipt(s) for {year}")

    def _progress(self):
        """A progress reporter on stderr: rich's bar on a terminal, plain lines otherwise."""
        return command_progress(self, STAGES, every=LINE_EVERY)

    def _reverse(self, options) -> None:
        step, target = options["step"], options.get("target")
        if step == "list":
            self._reversals(options["json"])
            return
        if not target:
            raise CommandError(f"reverse {step} needs the "
                               + ("donation's bank reference" if step == "propose" else "reversal's number"),
                               returncode=2)
        user = acting_user(options.get("user"), otp=options.get("otp"),
                           action="propose_donation_reversal" if step == "propose" else "approve_donation_reversal")
        if step == "propose":
            donation = Donation.objects.filter(bank_reference=target).first()
            if donation is None:
                raise CommandError(f"no donation with bank reference {target!r}", returncode=2)
            reversal = services.donation_reversal_propose(donation=donation, reason=options.get("reason") or "",
                                                          actor=user)
            self.stdout.write(f"reversal {reversal.pk} of donation {donation.bank_reference} "
                              f"({donation.amount_won:,} won) proposed; an approver who did not propose it approves "
                              f"it with `baesang donations reverse approve {reversal.pk}`")
            return
        if not target.isdigit():
            raise CommandError(f"reverse {step}: {target!r} is not a reversal number", returncode=2)
        reversal = DonationReversal.objects.filter(pk=int(target)).first()
        if reversal is None:
            raise CommandError(f"no donation reversal {target}", returncode=2)
        if step == "approve":
            reversal = services.donation_reversal_approve(reversal=reversal, approver=user,
                                                          reversed_on=options.get("date"))
            cancelled = getattr(reversal, "receipt_cancellation", None)
            self.stdout.write(f"reversal {reversal.pk} approved: transfer {reversal.transfer_id} booked on "
                              f"{reversal.reversed_on}"
                              + (f"; receipt {cancelled.receipt.number} cancelled" if cancelled else ""))
        else:
            services.donation_reversal_reject(reversal=reversal, approver=user, note=options.get("note") or "")
            self.stdout.write(f"reversal {reversal.pk} rejected; the donation stands")

    def _reversals(self, as_json: bool) -> None:
        rows = [{"id": r.pk, "donation": r.donation.bank_reference, "amount_won": r.donation.amount_won,
                 "state": r.state, "reason": r.reason, "proposed_by": r.proposed_by.get_username(),
                 "decided_by": r.decided_by.get_username() if r.decided_by else None,
                 "reversed_on": r.reversed_on.isoformat() if r.reversed_on else None}
                for r in selectors.reversals_list()]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:>6}  {row['state']:<9} {row['donation']:<24} {row['amount_won']:>18,}  "
                              f"{row['reason']}")
        self.stdout.write(f"{len(rows)} reversal(s)")

    def _export(self, kind: str, output: str, year: int | None) -> None:
        donations = selectors.donations_for_export(year=year)
        content = exports.donations_xlsx(donations) if kind == "xlsx" else exports.donations_csv(donations)
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from exc
        self.stdout.write(f"{output}: {kind.upper()} written")


def _cancelled(receipt) -> bool:
    return getattr(receipt, "cancellation", None) is not None
