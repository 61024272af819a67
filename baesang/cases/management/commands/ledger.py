"""`baesang ledger verify|checkpoint|balance|statement|position`: the fund ledger from the command line.

- ``verify [--since-checkpoint]`` recomputes the hash chain and every balance from the
  transfers; exit 0 when all hold, exit 1 naming the first transfer (or account) where they
  break. With ``--since-checkpoint`` it checks the latest signed checkpoint and replays only
  the transfers after it (from the first transfer when there is none). It only reads.
  Progress goes to stderr (a bar on a terminal, a line every 10,000 transfers otherwise).
- ``checkpoint [--full]`` verifies (from the latest checkpoint, or all with ``--full``) and
  records a signed checkpoint; it changes data, so it acts as the user of the API token in
  ``BAESANG_CLI_TOKEN`` (a finance officer).
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

from baesang.core.commands import RawOutput, StaffCommand, acting_user, json_array_write, operator_arguments
from baesang.core.progress import command_progress
from baesang.donations.selectors import fund_position
from baesang.ledger import selectors
from baesang.ledger.services import ledger_checkpoint_create


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:

        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


def _won(amount: int) -> str:
    return f"{amount:,}"


class Command(StaffCommand):
    help = ("Fund ledger: `verify` the chain and balances, `checkpoint` (signed), `balance` (trial balance), "
            "`statement ACCOUNT`, `position`.")
    actions = {
        "verify": "recompute the hash chain and the balances; exit 1 at the first break",
        "checkpoint": "verify and record a signed checkpoint (later verifications start from it)",
        "balance": "trial balance per account",
        "statement": "an account's movements with running balance",
        "position": "fund position: held, reserved, available, by fund",
    }

    def arguments_verify(self, parser):
        parser.add_argument("--since-checkpoint", action="store_true",
                            help="check the latest signed checkpoint, then replay only the transfers after it")

    def arguments_checkpoint(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="verify from the first transfer, not from the latest checkpoint")
        operator_arguments(parser)

    def arguments_balance(self, parser):
        parser.add_argument("--as-of", type=_date, help="count transfers with a value date up to DATE")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def arguments_statement(self, parser):
        parser.add_argument("account", help="account code, e.g. 1000")
        parser.add_argument("--from", dest="date_from", type=_date)
        parser.add_argument("--to", dest="date_to", type=_date)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def arguments_position(self, parser):
        parser.add_argument("--as-of", type=_date)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def do_verify(self, *, since_checkpoint=False, **options):
        with command_progress(self, {"transfers": "transfers verified"}) as progress:
            result = selectors.ledger_verify(progress=progress, since_checkpoint=since_checkpoint)
        if result.ok:
            since = f" (checkpoint at seq {result.checkpoint:,} checked, {result.replayed:,} transfers after it " \
                    "replayed)" if result.checkpoint is not None else ""
            self.stdout.write(f"ledger verified: {result.transfers:,} transfers, {result.accounts} accounts; "
                              f"chain head {result.head_hash}{since}")
            return
        where = f"transfer {result.first_bad_transfer}" if result.first_bad_transfer else \
            f"account {result.account}" if result.account else \
            f"checkpoint at seq {result.checkpoint}" if result.checkpoint is not None and not result.transfers else \
            "the chain head"
        if result.seq:
            where += f" (seq {result.seq})"
        self.stderr.write(f"LEDGER BROKEN at {where}: {result.reason}")
        self.stderr.write(f"{result.transfers:,} transfer(s) verified before the break.")
        raise SystemExit(1)

    def do_checkpoint(self, *, full=False, user=None, **options):
        actor = acting_user(user, action="checkpoint_ledger")
        with command_progress(self, {"transfers": "transfers verified"}) as progress:
            checkpoint = ledger_checkpoint_create(actor=actor, full=full, progress=progress)
        start = f"checkpoint at seq {checkpoint.verified_from:,}" if checkpoint.verified_from else "the first transfer"
        self.stdout.write(f"checkpoint {checkpoint.pk} recorded at seq {checkpoint.seq:,} (hash {checkpoint.hash}), "
                          f"verified from {start}; {len(checkpoint.balances)} accounts, "
                          f"{len(checkpoint.pending_ids):,} open pending transfer(s); key {checkpoint.key_id}")

    def do_balance(self, *, as_of, json: bool, **options):  # noqa: A002 - option name
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

    def do_statement(self, *, account, date_from, date_to, json: bool, **options):  # noqa: A002
        # a line at a time: an account of millions of movements is never held whole
        lines = selectors.account_statement_iter(code=account, date_from=date_from, date_to=date_to)
        if json:
            json_array_write(({**asdict(line), "value_date": line.value_date.isoformat() if line.value_date else None}
                              for line in lines), RawOutput(self.stdout))
            return
        balance = selectors.account_balance(code=account)
        self.stdout.write(f"Statement of {balance.code} {balance.name}")
        self.stdout.write(f"{'date':<10} {'seq':>8} {'debit':>18} {'credit':>18} {'balance':>20}  counter  transfer")
        for line in lines:
            self.stdout.write(
                f"{line.value_date.isoformat() if line.value_date else '':<10} {line.seq or '':>8} "
                f"{_won(line.debit) if line.debit else '':>18} {_won(line.credit) if line.credit else '':>18} "
                f"{_won(line.balance):>20}  {line.counter_account:<8} {line.transfer_id or line.description}")

    def do_position(self, *, as_of, json: bool, **options):  # noqa: A002
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
