"""`baesang donations import FILE.csv` and `baesang donations receipts issue|list`.

- ``import FILE.csv`` (as the user of ``BAESANG_CLI_TOKEN``): a bank-statement CSV, all rows or none; bad rows are
  listed on stderr (row, field, rule) with exit status 2 and nothing is imported. Rows
  imported before (same bank reference, same content) are skipped.
- ``receipts issue [--year YEAR] [--date DATE]``: donation receipts (기부금 영수증) for the
  donations that have none, numbered YYYY-NNNNNN without gaps.
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
from baesang.donations import selectors, services


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Donations: `import FILE.csv` (bank statement, all or nothing), `receipts issue|list` (기부금 영수증)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,receipts}")
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

    def handle(self, *args, action, **options):
        try:
            with channel_scope():
                if action == "import":
                    user = acting_user(options.get("user"), action="record_donation")
                    self._import(options["file"], user)
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
        result = services.donations_import(data=data, user=user, source=path.name)
        self.stdout.write(f"{path.name}: {result.booked} donation(s) booked, {result.total_won:,} won; "
                          f"{result.already_imported} imported before"
                          + (f"; ledger journal {result.journal}" if result.journal else ""))

    def _issue(self, year: int | None, issued_on: date | None, user) -> None:
        receipts = services.receipts_issue(year=year, issued_on=issued_on, user=user)
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
                 "issued_on": r.issued_on.isoformat()} for r in receipts]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['number']}  {row['value_date']}  {row['amount_won']:>18,}  {row['donor']}")
        self.stdout.write(f"{len(rows)} receipt(s) for {year}")
