"""`baesang heirs`: the statutory heirs of a deceased creditor, their exact shares and why.

    baesang heirs docs/examples/1982-household-head.json --lang en --amount 100000000

Reads a family file (format in docs/succession.md), calls the pure engine
:mod:`baesang.calc.succession` (Civil Code by the date of death: from 1991, 1979–1990,
1960–1978; representation, renunciation, disqualification, re-succession) and, with
``--amount``, splits the won exactly by :mod:`baesang.calc.apportion`. Bad input: a message
on stderr naming the person and the rule, exit status 2, nothing on stdout.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baesang.calc.apportion import ApportionError, apportion
from baesang.calc.succession import LAW_IN_FORCE, SuccessionError, SuccessionResult, heirs_from_json, loads_family

USAGE_ERROR = 2

LABELS = {
    "en": {
        "title": "Heirs of {decedent} — regime {regime}",
        "law": "Law applied: {law}.",
        "holder": "Holder",
        "share": "Share",
        "amount": "Amount (won)",
        "total": "Total",
        "why": "Why",
        "notes": "Who does not inherit, and why",
    },
    "ko": {
        "title": "{decedent}의 상속인 — {regime} 시기",
        "law": "적용 법률: {law}.",
        "holder": "상속인",
        "share": "상속분",
        "amount": "금액(원)",
        "total": "합계",
        "why": "근거",
        "notes": "상속하지 않는 사람과 그 이유",
    },
}


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def parse_amount(text: str, argument: str = "--amount") -> int:
    """A whole number of won, zero or more; ``1,000,000`` and ``1_000_000`` are accepted."""
    digits = text.strip().replace(",", "").replace("_", "")
    if not digits.isdigit():
        raise usage_error(f"{argument}: must be a whole number of won, zero or more (got {text!r})")
    return int(digits)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _fraction(value) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def render_table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(cell, widths[i], i in right) for i, cell in enumerate(row)).rstrip() for row in rows]


def render_result(result: SuccessionResult, amounts: dict[str, int] | None, lang: str) -> str:
    labels = LABELS[lang]
    law = LAW_IN_FORCE[result.regime][0 if lang == "en" else 1]
    lines = [labels["title"].format(decedent=result.decedent, regime=result.regime),
             labels["law"].format(law=law), ""]
    header = [labels["holder"], labels["share"]] + ([labels["amount"]] if amounts is not None else [])
    rows = [header]
    for holder, share in result.shares.items():
        rows.append([holder, _fraction(share)] + ([f"{amounts[holder]:,}"] if amounts is not None else []))
    if amounts is not None:
        rows.append([labels["total"], "1", f"{sum(amounts.values()):,}"])
    lines.extend(render_table(rows, right={2}))
    lines.extend(["", f"{labels['why']}:"])
    for holder, steps in result.explain(lang).items():
        lines.append(f"{holder}:")
        lines.extend(f"  - {step}" for step in steps)
    notes = result.notes_in(lang)
    if notes:
        lines.extend(["", f"{labels['notes']}:"])
        lines.extend(f"  - {note}" for note in notes)
    return "\n".join(lines)


def read_family(path: str) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise usage_error(f"{path}: cannot read the family file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise usage_error(f"{path}: the family file is not UTF-8 text") from None
    try:
        data = loads_family(text)
    except json.JSONDecodeError as exc:
        raise usage_error(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except SuccessionError as exc:  # a key given twice in one object
        raise usage_error(f"{path}: {exc.message}") from None
    if not isinstance(data, dict):
        raise usage_error(f"{path}: the family file must be a JSON object with 'decedent' and 'persons'")
    return data


class Command(BaseCommand):
    help = (
        "Statutory heirs of a deceased creditor from a family file: exact shares and the reasons.\n"
        "Example: baesang heirs family.json --lang en --amount 100000000 (format: docs/succession.md)"
    )

    def add_arguments(self, parser):
        parser.add_argument("family", metavar="FAMILY.json", help="the family file (see docs/succession.md)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print the result as JSON")
        parser.add_argument("--lang", choices=("ko", "en"), default="ko", help="language of the explanation")
        parser.add_argument("--amount", metavar="WON", help="also split this many whole won by the shares")

    def handle(self, *args, family: str, as_json: bool, lang: str, amount: str | None, **options):
        won = parse_amount(amount) if amount is not None else None
        data = read_family(family)
        try:
            result = heirs_from_json(data)
        except SuccessionError as exc:
            raise usage_error(f"{family}: {exc.message}") from None
        amounts = None
        if won is not None:
            try:
                amounts = apportion(won, result.shares)
            except ApportionError as exc:  # statutory shares always sum to 1; kept for safety
                raise usage_error(f"--amount: {exc}") from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(amounts, lang=lang), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_result(result, amounts, lang))
