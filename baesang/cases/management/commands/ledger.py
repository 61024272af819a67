"""`baesang ledger verify|balance|statement|position`: the fund ledger from the command line.

- ``verify`` recomputes the hash chain and every balance from the transfers; exit 0 when all
  hold, exit 1 naming the first transfer (or account) where they break. Progress goes to
  stderr (a bar on a terminal, a line every 10,000 transfers otherwise).
- ``balance [--as-of DATE] [--json]``: the trial balance (posted transfers; pending apart).
- ``statement ACCOUNT [--from DATE] [--to DATE] [--json]``: movements with running balance.
- ``position [--as-of DATE] [--json]``: the fund position.

Errors (unknown account, bad date) go to stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from baesang.core.errors import DomainError
from baesang.core.progress import command_progress
from baesang.donations.selectors import fund_position
from baesang.ledger import selectors


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:

        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


def _won(amount: int) -> str:
    return f"{amount:,}"


class Command(BaseCommand):
    help = "Fund ledger: `verify` the chain and balances, `balance` (trial balance), `statement ACCOUNT`, `position`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,balance,statement,position}")
        actions.add_parser("verify", help="recompute the hash chain and the balances; exit 1 at the first break")
        balance = actions.add_parser("balance", help="trial balance per account")
        balance.add_argument("--as-of", type=_date, help="count transfers with a value date up to DATE")
        balance.add_argument("--json", action="store_true", help="print JSON")
        statement = actions.add_parser("statement", help="an account's movements with running balance")
        statement.add_argument("account", help="account code, e.g. 1000")
        statement.add_argument("--from", dest="date_from", type=_date)
        statement.add_argument("--to", dest="date_to", type=_date)
        statement.add_argument("--json", action="store_true", help="print JSON")
        position = actions.add_parser("position", help="fund position: held, reserved, available, by fund")
        position.add_argument("--as-of", type=_date)
        position.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _verify(self, **options):
        with command_progress(self, {"transfers": "transfers verified"}) as progress:
            result = selectors.ledger_verify(progress=progress)
        if result.ok:
            self.stdout.write(f"ledger verified: {result.transfers:,} transfers, {result.accounts} accounts; "
                              f"chain head {result.head_hash}")
            return
        where = f"transfer {result.first_bad_transfer}" if result.first_bad_transfer else \
            f"account {result.account}" if result.account else "the chain head"
        if result.seq:
            where += f" (seq {result.seq})"
        self.stderr.write(f"LEDGER BROKEN at {where}: {result.reason}")
        self.stderr.write(f"{result.transfers:,} transfer(s) verified before the break.")
        raise SystemExit(1)

    def _balance(self, *, as_of, json: bool, **options):  # noqa: A002 - option name
        data = selectors.trial_balance(as_of=as_of)
        if json:
            self._json(data)
            return
        self.stdout.write(f"Trial balance{' as of ' + as_of.isoformat() if as_of else ''} "
                          f"({data['transfers']:,} posted transfers)")
        self.stdout.write(f"{'code':<12} {'type':<9} {'debits':>20} {'credits':>20} {'balance':>20}  name")
        for row in data["accounts"]:
            self.stdout.write(f"{row['code']:<12} {row['type']:<9} {_won(row['debits']):>20} "
                              f"{_won(row['credits']):>20} {_won(row['balance']):>20}  {row['name']}")
        self.stdout.write(f"{'total':<22} {_won(data['total_debits']):>20} {_won(data['total_credits']):>20}")
        pending = data["pending"]
        if pending["transfers"]:
            self.stdout.write(f"\nPending ({pending['transfers']:,} transfers, reserved, not in the totals):")
            for row in pending["accounts"]:
                self.stdout.write(f"{row['code']:<22} {_won(row['debits']):>20} {_won(row['credits']):>20}")

    def _statement(self, *, account, date_from, date_to, json: bool, **options):  # noqa: A002
        lines = selectors.account_statement(code=account, date_from=date_from, date_to=date_to)
        if json:
            self._json([{**asdict(line), "value_date": line.value_date.isoformat() if line.value_date else None}
                        for line in lines])
            return
        balance = selectors.account_balance(code=account)
        self.stdout.write(f"Statement of {balance.code} {balance.name}")
        self.stdout.write(f"{'date':<10} {'seq':>8} {'debit':>18} {'credit':>18} {'balance':>20}  counter  transfer")
        for line in lines:
            self.stdout.write(
                f"{line.value_date.isoformat() if line.value_date else '':<10} {line.seq or '':>8} "
                f"{_won(line.debit) if line.debit else '':>18} {_won(line.credit) if line.credit else '':>18} "
                f"{_won(line.balance):>20}  {line.counter_account:<8} {line.transfer_id or line.description}")

    def _position(self, *, as_of, json: bool, **options):  # noqa: A002
        position = fund_position(as_of=as_of)
        if json:
            self._json(position.as_dict())
            return
        self.stdout.write(f"Fund position{' as of ' + as_of.isoformat() if as_of else ''} (won)")
        for label, value in (
            ("bank balance", position.bank_balance), ("reserved (pending payments)", position.reserved),
            ("available", position.available), ("court deposits held", position.deposits_held),
            ("restricted fund", position.restricted), ("unrestricted fund", position.unrestricted),
            ("pledged, not received", position.pledged_not_received),
            ("creditor payables", position.creditor_payables),
            ("indemnity receivable (구상권)", position.indemnity_receivable),
        ):
            self.stdout.write(f"  {label:<30} {_won(value):>20}")

    def _json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
