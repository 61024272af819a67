"""`baesang verify-public FILE`: check the foundation's open-data ledger file from the file alone.

It recomputes the public hash chain (each row's ``public_hash`` = SHA-256 of its content
and the previous row's hash) and the totals — per account class debits, credits and
balance, donations received, judgment money paid, court deposits held — from the rows.
A JSON file also claims its totals and chain heads; they must match. Exit status 0 when
everything holds, 1 naming the first row (or total) that breaks, 2 for a file that cannot
be read. ``--head HASH`` also compares the chain head with the one shown on the public
page. See docs/transparency.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baesang.public.opendata import HEADLINE_PURPOSES, PublicDataError, verify_text


class Command(BaseCommand):
    help = "Verify a downloaded open-data ledger file (CSV or JSON): its hash chain and totals, from the file alone."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="transfers.csv or transfers.json as downloaded from /public/data/")
        parser.add_argument("--head", help="the public chain head shown on the public page, to compare with")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the recomputed totals as JSON")

    def handle(self, *args, file, head=None, as_json=False, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}", returncode=2) from None
        try:
            result = verify_text(text, name=path.name)
            if head is not None and head.strip().lower() != result.totals.public_head:
                raise PublicDataError(
                    f"the file's public chain head {result.totals.public_head} is not the head given "
                    f"({head.strip()}): the file is not the one the page describes")
        except PublicDataError as exc:
            self.stderr.write(f"FAILED: {exc.message}")
            sys.exit(1)
        totals = result.totals
        if as_json:
            self.stdout.write(json.dumps({
                "ok": True, "rows": result.rows, "public_head": totals.public_head,
                "ledger_head": {"seq": totals.last_seq, "hash": totals.ledger_head}, "totals": totals.as_json(),
            }, indent=2, ensure_ascii=False))
            return
        out = self.stdout.write
        out(f"OK: {result.rows} transfers, public chain intact")
        out(f"  public chain head: {totals.public_head}")
        out(f"  ledger chain head: seq {totals.last_seq} {totals.ledger_head}")
        out("  totals claimed by the file: " + ("all match" if result.claimed is not None
                                                 else "none in a CSV file (recomputed below)"))
        for name in HEADLINE_PURPOSES:
            out(f"  {name:<22} {totals.headline(name):>22,} won")
        out(f"  {'class':<22} {'type':<10} {'debits':>20} {'credits':>20} {'balance':>20}")
        for name in sorted(totals.classes):
            entry = totals.classes[name]
            out(f"  {name:<22} {entry.type:<10} {entry.debits:>20,} {entry.credits:>20,} {entry.balance:>20,}")
