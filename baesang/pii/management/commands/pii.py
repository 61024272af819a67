"""`baesang pii`: the personal-data access log for auditors, and rotation of the field key.

- ``baesang pii access-log [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]`` lists who saw whose
  personal data, when and why (days inclusive, local time); ``--csv`` writes CSV to stdout.
- ``baesang pii rotate-key`` re-encrypts stored personal data with ``BAESANG_FIELD_KEY`` after
  the old key was moved to ``BAESANG_FIELD_KEY_OLD``; progress per model on stderr (a bar on a
  terminal, a line every 10,000 rows otherwise).
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from baesang.core.commands import acting_user, channel_scope, operator_arguments
from baesang.core.errors import DomainError
from baesang.core.progress import command_progress
from baesang.pii.rotation import field_key_rotate
from baesang.pii.selectors import access_log_csv, access_log_rows, pii_access_log

#: Without a terminal, a progress line at most every this many rows of a model.
ROTATE_LINE_EVERY = 10_000


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Personal data: `pii access-log` exports who saw whose data and why; `pii rotate-key` re-encrypts."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{access-log,rotate-key}")
        log = actions.add_parser("access-log", help="list or export the personal-data access log")
        log.add_argument("--from", dest="date_from", type=_day, help="first day (YYYY-MM-DD), inclusive")
        log.add_argument("--to", dest="date_to", type=_day, help="last day (YYYY-MM-DD), inclusive")
        log.add_argument("--entity-type", help="only accesses to this kind of record")
        log.add_argument("--entity-id", help="only accesses to this record")
        log.add_argument("--csv", action="store_true", help="write CSV (with a header line) to stdout")
        rotate = actions.add_parser("rotate-key", help="re-encrypt personal data with the current BAESANG_FIELD_KEY")
        operator_arguments(rotate, second_factor=True)

    def handle(self, *args, action, **options):
        if action == "access-log":
            return self._access_log(**options)
        with channel_scope():
            return self._rotate_key(options.get("user"), options.get("otp"))

    def _access_log(self, *, date_from=None, date_to=None, entity_type=None, entity_id=None, csv=False, **_):
        if date_from and date_to and date_from > date_to:
            raise CommandError(f"--from {date_from} is after --to {date_to}")
        rows = pii_access_log(date_from=date_from, date_to=date_to, entity_type=entity_type, entity_id=entity_id)
        if csv:
            access_log_csv(rows.iterator(), self.stdout)
            return
        count = 0
        for row in access_log_rows(rows.iterator()):
            count += 1
            self.stdout.write(
                f"{row['at']}  {row['user']:<16} {row['channel']:<4} {row['entity_type']}:{row['entity_id']}"
                f".{row['field']} ({row['kind']})  — {row['reason']}"
            )
        self.stdout.write(f"{count} access(es)")

    def _rotate_key(self, username: str | None, otp: str | None = None):
        actor = acting_user(username, action="rotate_field_key", otp=otp)
        try:
            with command_progress(self, {}, every=ROTATE_LINE_EVERY) as progress:
                counts = field_key_rotate(actor=actor, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        for label, rows in counts.items():
            self.stdout.write(f"{label}: {rows} row(s) re-encrypted")
        if not counts:
            self.stdout.write("no model holds encrypted personal data yet")
