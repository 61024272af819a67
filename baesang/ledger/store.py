"""Set-wise SQL of the ledger's write path, one function per step, on SQLite and PostgreSQL.

The services in :mod:`baesang.ledger.services` call these inside ``transaction.atomic``.
A journal of 100,000 transfers costs a handful of statements, not 100,000: accounts are
locked with one ``SELECT … ORDER BY id FOR UPDATE``, transfers are inserted with ``COPY``
(PostgreSQL) or one prepared ``INSERT`` run many times (SQLite), balances are written with
one ``UPDATE … FROM unnest(…)``. On SQLite the IMMEDIATE transaction mode already holds the
database's write lock from ``BEGIN``, so there is no row lock to take.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import NamedTuple

from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from baesang.core.pgarrays import text_array
from baesang.ledger.errors import LedgerError
from baesang.ledger.models import GENESIS_HASH

TRANSFER_COLUMNS = (
    "id", "seq", "kind", "debit_account_id", "credit_account_id", "amount", "pending_id", "journal",
    "value_date", "description", "user_id", "created_at", "prev_hash", "hash",
)
_SQLITE_CHUNK = 500


class AccountState:
    """An account row as locked for a write: its limit and running totals."""

    __slots__ = ("id", "code", "name", "type", "limit", "dp", "cp", "dq", "cq", "touched")

    def __init__(self, id, code, name, type, limit, dp, cp, dq, cq):  # noqa: A002 - column names
        self.id, self.code, self.name, self.type, self.limit = id, code, name, type, limit
        self.dp, self.cp, self.dq, self.cq = dp, cp, dq, cq
        self.touched = False


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _chunks(values: Sequence, size: int = _SQLITE_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def lock_head() -> tuple[int, str]:
    """Lock the chain head and return (last seq, last hash). Creates it on an empty ledger."""
    suffix = " FOR UPDATE" if _postgres() else ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM ledger_ledgerhead WHERE id = 1" + suffix)
        row = cursor.fetchone()
        if row is None:
            cursor.execute("SELECT 1 FROM ledger_transfer LIMIT 1")
            if cursor.fetchone() is not None:
                raise LedgerError(
                    "the ledger head row is missing while transfers exist; nothing was posted. "
                    "Run `baesang ledger verify` and restore the head from a verified backup."
                )
            cursor.execute(
                "INSERT INTO ledger_ledgerhead (id, seq, hash) VALUES (1, 0, %s) ON CONFLICT (id) DO NOTHING",
                [GENESIS_HASH],
            )
            cursor.execute("SELECT seq, hash FROM ledger_ledgerhead WHERE id = 1" + suffix)
            row = cursor.fetchone()
    return int(row[0]), row[1]


def set_head(seq: int, hash_: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_ledgerhead SET seq = %s, hash = %s WHERE id = 1", [seq, hash_])


_ACCOUNT_SELECT = (
    "SELECT id, code, name, type, balance_limit, debits_posted, credits_posted, debits_pending, credits_pending "
    "FROM ledger_account WHERE "
)


def lock_accounts(*, codes: Iterable[str] = (), ids: Iterable[int] = ()) -> list[AccountState]:
    """Lock the accounts named by code or id, in id order (a stable order: no deadlock)."""
    codes, ids = sorted(set(codes)), sorted(set(ids))
    rows: list = []
    with connection.cursor() as cursor:
        if _postgres():
            if codes:
                cursor.execute(_ACCOUNT_SELECT + "code = ANY(%s) ORDER BY id FOR UPDATE", [codes])
                rows += cursor.fetchall()
            if ids:
                cursor.execute(_ACCOUNT_SELECT + "id = ANY(%s) ORDER BY id FOR UPDATE", [ids])
                rows += cursor.fetchall()
        else:
            for column, values in (("code", codes), ("id", ids)):
                for chunk in _chunks(values):
                    marks = ",".join(["%s"] * len(chunk))
                    cursor.execute(_ACCOUNT_SELECT + f"{column} IN ({marks})", list(chunk))
                    rows += cursor.fetchall()
    unique = {row[0]: row for row in rows}
    return [AccountState(*unique[key]) for key in sorted(unique)]


_TRANSFER_SELECT = (
    "SELECT id, kind, debit_account_id, credit_account_id, amount, pending_id, journal, value_date, description, seq "
    "FROM ledger_transfer WHERE "
)


class StoredTransfer(NamedTuple):
    """A transfer as stored, for replays and pending resolutions (columns of ``_TRANSFER_SELECT``)."""

    id: str
    kind: str
    debit_id: int
    credit_id: int
    amount: int
    pending_id: str | None
    journal: str
    value_date: date
    description: str
    seq: int


def fetch_transfers(ids: Sequence[str]) -> dict[str, StoredTransfer]:
    """Stored transfers by id."""
    found: dict[str, StoredTransfer] = {}
    if not ids:
        return found
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(_TRANSFER_SELECT + "id = ANY(%s::text[])", [text_array(ids)])
            rows = cursor.fetchall()
        else:
            rows = []
            for chunk in _chunks(list(ids)):
                cursor.execute(_TRANSFER_SELECT + f"id IN ({','.join(['%s'] * len(chunk))})", list(chunk))
                rows += cursor.fetchall()
    for row in rows:
        found[row[0]] = StoredTransfer(*row)
    return found


def resolved_pending_ids(pending_ids: Sequence[str]) -> dict[str, str]:
    """For each pending id already posted or voided: the id of the transfer that did it."""
    resolved: dict[str, str] = {}
    if not pending_ids:
        return resolved
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute("SELECT pending_id, id FROM ledger_transfer WHERE pending_id = ANY(%s::text[])",
                           [text_array(pending_ids)])
            rows = cursor.fetchall()
        else:
            rows = []
            for chunk in _chunks(list(pending_ids)):
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT pending_id, id FROM ledger_transfer WHERE pending_id IN ({marks})", list(chunk))
                rows += cursor.fetchall()
    for pending_id, transfer_id in rows:
        resolved[pending_id] = transfer_id
    return resolved


_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


@contextmanager
def transfer_inserter(created_at: datetime) -> Iterator[Callable[[list[tuple]], None]]:
    """Yield ``write(rows)`` taking chunks of rows in :data:`TRANSFER_COLUMNS` order.

    On PostgreSQL the rows stream into one ``COPY`` through a queue served by a writer thread,
    so the server inserts one chunk while Python hashes the next (the GIL is released during
    network I/O). On SQLite the rows are inserted with one prepared statement at the end.
    """
    columns = ", ".join(TRANSFER_COLUMNS)
    if _postgres():
        stamp = created_at.isoformat()
        dates: dict[date, str] = {}
        with connection.wrap_database_errors, connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY ledger_transfer ({columns}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
                yield lambda rows: copy.write(_copy_text(rows, stamp, dates))
    else:
        buffered: list[tuple] = []
        yield buffered.extend
        stamp = connection.ops.adapt_datetimefield_value(created_at)
        marks = ", ".join(["%s"] * len(TRANSFER_COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO ledger_transfer ({columns}) VALUES ({marks})",
                [(*row[:8], row[8].isoformat(), row[9], row[10], stamp, row[12], row[13]) for row in buffered],
            )


_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_text(rows: list[tuple], stamp: str, dates: dict[date, str]) -> str:
    """Rows in COPY's text format (tab-separated, backslash escapes, \\N for NULL)."""
    lines = []
    append = lines.append
    journals: dict[str, str] = {}
    for (transfer_id, seq, kind, debit_id, credit_id, amount, pending_id, journal, when, text, user_id, _created,
         prev_hash, hash_) in rows:
        day = dates.get(when)
        if day is None:
            day = dates[when] = when.isoformat()
        journal_text = journals.get(journal)
        if journal_text is None:
            journal_text = journals[journal] = _copy_escape(journal)
        append(
            f"{_copy_escape(transfer_id)}\t{seq}\t{kind}\t{debit_id}\t{credit_id}\t{amount}\t"
            f"{_NULL if pending_id is None else _copy_escape(pending_id)}\t{journal_text}\t"
            f"{day}\t{_copy_escape(text)}\t{_NULL if user_id is None else user_id}\t{stamp}\t"
            f"{prev_hash}\t{hash_}\n"
        )
    return "".join(lines)


def _copy_escape(text: str) -> str:
    """``text`` escaped for COPY's text format; printable text without a backslash (nearly all)
    is returned as it is, without the slower ``str.translate``."""
    if text.isprintable() and "\\" not in text:
        return text
    return text.translate(_COPY_ESCAPE)


def update_accounts(states: Iterable[AccountState]) -> None:
    """Write the new running totals of the touched accounts in one statement."""
    touched = [s for s in states if s.touched]
    if not touched:
        return
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                "UPDATE ledger_account AS a SET debits_posted = v.dp, credits_posted = v.cp, "
                "debits_pending = v.dq, credits_pending = v.cq "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) "
                "AS v(id, dp, cp, dq, cq) WHERE a.id = v.id",
                [[s.id for s in touched], [s.dp for s in touched], [s.cp for s in touched],
                 [s.dq for s in touched], [s.cq for s in touched]],
            )
        else:
            cursor.executemany(
                "UPDATE ledger_account SET debits_posted = %s, credits_posted = %s, debits_pending = %s, "
                "credits_pending = %s WHERE id = %s",
                [(s.dp, s.cp, s.dq, s.cq, s.id) for s in touched],
            )
