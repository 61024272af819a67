"""`baesang apportion`: split a whole-won amount by shares entered from a document.

    baesang apportion --amount 100000000 --share W=6/13 --share A=6/13 --share D=1/13

For manual shares (a decedent who died before 1960, or shares taken from a court or registry
document): the shares must each be positive and sum to exactly 1; the parts add up to the
amount exactly, each within one won of its exact share (largest remainder; ties by larger
remainder, larger share, then id — :mod:`baesang.calc.apportion`). Bad input: a message on
stderr naming the share and the rule, exit status 2, nothing on stdout.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from baesang.calc.apportion import ApportionError, apportion, parse_shares
from baesang.core.management.commands.heirs import parse_amount, render_table, usage_error


def _fraction(value) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


class Command(BaseCommand):
    help = (
        "Split whole won exactly by shares that sum to 1 (shares entered from a court or registry document).\n"
        "Example: baesang apportion --amount 100000000 --share W=6/13 --share A=6/13 --share D=1/13"
    )

    def add_arguments(self, parser):
        parser.add_argument("--amount", required=True, metavar="WON", help="whole won to split, e.g. 100000000")
        parser.add_argument("--share", action="append", required=True, metavar="ID=NUM/DEN",
                            help="a holder's share, repeatable, e.g. --share W=2/7")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print the result as JSON")

    def handle(self, *args, amount: str, share: list[str], as_json: bool, **options):
        won = parse_amount(amount)
        try:
            shares = parse_shares(share)
            parts = apportion(won, shares)
        except ApportionError as exc:
            raise usage_error(f"--share: {exc}") from None
        if as_json:
            data = {"amount": won, "shares": {h: _fraction(s) for h, s in shares.items()}, "amounts": parts}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [["Holder", "Share", "Exact", "Won"]]
        for holder, value in shares.items():
            exact = value * won
            exact_text = f"{exact.numerator // exact.denominator:,}"
            if exact.denominator != 1:
                exact_text += f" {_fraction(exact - exact.numerator // exact.denominator)}"
            rows.append([holder, _fraction(value), exact_text, f"{parts[holder]:,}"])
        rows.append(["Total", "1", f"{won:,}", f"{sum(parts.values()):,}"])
        self.stdout.write("\n".join(render_table(rows, right={2, 3})))
