"""An account's statement as a spreadsheet (계정 원장 엑셀·CSV): the columns, with Korean
headers, and the rows of :func:`baesang.ledger.selectors.account_statement` — the opening
balance, each posted movement with its counter-account and the running balance — written by
the one spreadsheet writer of baesang (:mod:`baesang.core.spreadsheets`: no cell runs as a
formula, amounts stay whole won numbers, dates stay dates).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from baesang.core.spreadsheets import Column
from baesang.ledger.selectors import StatementLine

STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("value_date", "기준일"),
    Column("seq", "순번"),
    Column("transfer_id", "이체 번호"),
    Column("counter_account", "상대 계정"),
    Column("description", "적요"),
    Column("debit", "차변(원)"),
    Column("credit", "대변(원)"),
    Column("balance", "잔액(원)"),
)
STATEMENT_SHEET = "계정 원장"
OPENING = "기초 잔액"


def statement_rows(lines: Iterable[StatementLine]) -> Iterator[dict[str, Any]]:
    """Rows by column key; the opening line carries only its date, a label and the balance."""
    for line in lines:
        if line.kind == "opening":
            yield {"value_date": line.value_date, "seq": None, "transfer_id": "", "counter_account": "",
                   "description": OPENING, "debit": None, "credit": None, "balance": line.balance}
            continue
        yield {"value_date": line.value_date, "seq": line.seq, "transfer_id": line.transfer_id,
               "counter_account": line.counter_account, "description": line.description, "debit": line.debit,
               "credit": line.credit, "balance": line.balance}
