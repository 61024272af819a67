"""Set-wise SQL of the donations import, one function per step, on SQLite and PostgreSQL.

The checked rows of a bank statement go into a temporary table (``COPY`` on PostgreSQL, one
prepared ``INSERT`` run many times on SQLite) instead of staying in memory; the steps after
that work on the table with one statement each: bank references used twice in the file or
booked before, the donors missing (created with one ``INSERT … SELECT`` and their audit rows
with another), the donations (one ``INSERT … SELECT``). Only the ledger transfers are made in
Python, because each one's hash follows the one before (:mod:`baesang.ledger.chain`); they are
read back from the table in row order, a chunk at a time.

:func:`services.donations_import <baesang.donations.services.donations_import>` runs these
inside its transaction: the temporary table lives and dies with it, and a failure leaves
nothing behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from psycopg.copy import QueuedLibpqWriter

TABLE = "donations_import_row"
PLEDGES = "donations_import_pledge"
COLUMNS = ("line", "value_date", "donor", "country", "brn", "kind", "public", "currency", "amount", "rate",
           "amount_won", "reference", "restricted")
#: Rows read back from the table at a time.
CHUNK = 10_000
#: COPY's text format: these characters escaped (text that is printable and has no backslash,
#: nearly all, is sent as it is without the slower ``str.translate``).
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def create() -> None:
    """The temporary tables of one import (dropped first if a failed import of this connection
    left them: an error rolls them back with everything else)."""
    if _postgres():
        _temp_buffers()
    with connection.cursor() as cursor:
        if _postgres():
            # Compiling these few large statements (PostgreSQL's JIT) costs more than it saves;
            # the groupings and sorts of a million rows fit in memory with a larger work_mem
            # instead of spilling to disk.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {PLEDGES}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TABLE} (line integer PRIMARY KEY, value_date date NOT NULL, "
            "donor varchar(200) NOT NULL, country varchar(2) NOT NULL, brn varchar(10) NOT NULL, "
            "kind varchar(12) NOT NULL, public boolean NOT NULL, currency varchar(3) NOT NULL, "
            "amount varchar(40) NOT NULL, rate varchar(40) NOT NULL, amount_won bigint NOT NULL, "
            "reference varchar(100) NOT NULL, restricted boolean NOT NULL)")
        cursor.execute(f"CREATE TEMPORARY TABLE {PLEDGES} (line integer PRIMARY KEY, pledge_id bigint NOT NULL)")


#: PostgreSQL's memory for one session's temporary tables (default 8 MB): the table of a
#: million rows and its indexes (about 210 MB) then stay in it, where with the default every
#: step after the COPY read them back from the operating system's cache page by page.
TEMP_BUFFERS = "320MB"


def _temp_buffers() -> None:
    """Give this session :data:`TEMP_BUFFERS`, which PostgreSQL allows only before the session's
    first temporary table: a connection that had one keeps the size it had (in a savepoint, so a
    refusal changes nothing else)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('temp_buffers') = %s", [TEMP_BUFFERS])
        if cursor.fetchone()[0]:
            return
        try:
            with transaction.atomic():
                cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
        except DatabaseError:
            pass


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {PLEDGES}")


def _indexes() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {TABLE}_reference ON {TABLE} (reference)")
        cursor.execute(f"CREATE INDEX {TABLE}_brn ON {TABLE} (brn, donor, country)")
        if _postgres():
            cursor.execute(f"ANALYZE {TABLE}")


@contextmanager
def writer() -> Iterator[Callable[[tuple], None]]:
    """Yield ``write(row)`` taking the tuples of :func:`importer.donation_rows
    <baesang.donations.importer.donation_rows>`; the indexes are built once all are in."""
    if _postgres():
        esc = _ESCAPE
        with connection.wrap_database_errors, connection.cursor() as cursor:
            raw = cursor.cursor
            # A writer thread sends the rows while Python checks the next ones.
            with raw.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
                lines: list[str] = []
                append = lines.append

                def write(r: tuple) -> None:
                    donor, reference = r[2], r[11]
                    if not (donor.isprintable() and "\\" not in donor):
                        donor = donor.translate(esc)
                    if not (reference.isprintable() and "\\" not in reference):
                        reference = reference.translate(esc)
                    append(f"{r[0]}\t{r[1].isoformat()}\t{donor}\t{r[3]}\t{r[4]}\t{r[5]}\t{'t' if r[6] else 'f'}\t"
                           f"{r[7]}\t{r[8]}\t{r[9]}\t{r[10]}\t{reference}\t{'t' if r[12] else 'f'}\n")
                    if len(lines) >= 2000:
                        copy.write("".join(lines))
                        lines.clear()

                yield write
                if lines:
                    copy.write("".join(lines))
    else:
        buffered: list[tuple] = []
        sql = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
        with connection.cursor() as cursor:
            def write(r: tuple) -> None:
                buffered.append((r[0], r[1].isoformat(), r[2], r[3], r[4], r[5], r[6], r[7], str(r[8]), str(r[9]),
                                 r[10], r[11], r[12]))
                if len(buffered) >= 2000:
                    cursor.executemany(sql, buffered)
                    buffered.clear()

            yield write
            if buffered:
                cursor.executemany(sql, buffered)
    _indexes()


def repeated_references() -> list[tuple[int, str, int]]:
    """(row, reference, first row) of each row whose bank reference an earlier row of the file uses."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.line, s.reference, f.first_line FROM {TABLE} s JOIN "
            f"(SELECT reference, MIN(line) AS first_line FROM {TABLE} GROUP BY reference HAVING COUNT(*) > 1) f "
            "ON f.reference = s.reference WHERE s.line > f.first_line ORDER BY s.line")
        return cursor.fetchall()


def booked_before() -> Iterator[list[tuple]]:
    """Chunks of the rows whose bank reference an earlier import booked: (row, reference,
    value_date, currency, amount, rate, restricted, brn, donor, country), in row order."""
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT s.line, s.reference, s.value_date, s.currency, s.amount, s.rate, s.restricted, s.brn, "
                f"s.donor, s.country FROM {TABLE} s WHERE s.line > %s AND EXISTS (SELECT 1 FROM "
                "donations_donation d WHERE d.bank_reference = s.reference) ORDER BY s.line LIMIT %s", [last, CHUNK])
            rows = cursor.fetchall()
            if not rows:
                return
            yield [(r[0], r[1], _date(r[2]), r[3], Decimal(r[4]), Decimal(r[5]), bool(r[6]), r[7], r[8], r[9])
                   for r in rows]
            last = rows[-1][0]


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def leave_out_booked() -> int:
    """Drop the rows booked before from the table; how many they were."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE reference IN (SELECT bank_reference FROM donations_donation)")
        return cursor.rowcount


def count() -> tuple[int, int]:
    """(rows, total won) in the table."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(amount_won), 0) FROM {TABLE}")
        rows, total = cursor.fetchone()
        return int(rows), int(total)


def journal_name() -> str:
    """``donations:`` and the first 32 hex digits of SHA-256 over the sorted bank references
    joined by newlines (in code-point order, whatever the database's collation)."""
    digest = hashlib.sha256()
    collate = ' COLLATE "C"' if _postgres() else ""
    separator = ""
    # One sorted read through a server-side cursor on PostgreSQL (nothing else runs meanwhile).
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT reference FROM {TABLE} ORDER BY reference{collate}")
        while references := cursor.fetchmany(CHUNK):
            digest.update((separator + "\n".join(r[0] for r in references)).encode())
            separator = "\n"
    return f"donations:{digest.hexdigest()[:32]}"


# The conditions on a donor's registration number are written as the partial unique indexes of
# Donor say them (``NOT (brn = '')`` / ``brn = ''``), so SQLite, which matches an index's WHERE
# term by its form, looks donors up by index instead of scanning the table for every row.


def _first_rows(donor: str, where: str) -> str:
    """The rows matching ``where`` numbered within their donor (``donor``, the columns naming it)
    in row order: n = 1 is a donor's first row (one sort of the table, where looking each first
    row up again by its number read the table at random)."""
    return (f"SELECT s.line, s.donor, s.kind, s.country, s.brn, s.public, ROW_NUMBER() OVER (PARTITION BY {donor} "
            f"ORDER BY s.line) AS n FROM {TABLE} s WHERE {where}")


def donors_create(*, now: datetime, actor_id: int | None, actor_label: str, channel: str, credential: str) -> int:
    """Create the donors the table names and the database does not know — by registration
    number, else by name and country; the first row naming a donor gives its kind and whether
    it may be named — each with its audit row (``donations.donor_create``). How many."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM donations_donor")
        before = cursor.fetchone()[0]
        by_brn, by_name = _first_rows("s.brn", "s.brn <> ''"), _first_rows("s.donor, s.country", "s.brn = ''")
        new_by_brn = (f"SELECT * FROM ({by_brn}) s WHERE s.n = 1 AND NOT EXISTS "
                      "(SELECT 1 FROM donations_donor d WHERE d.brn = s.brn AND NOT (d.brn = ''))")
        new_by_name = (f"SELECT * FROM ({by_name}) s WHERE s.n = 1 AND NOT EXISTS "
                       "(SELECT 1 FROM donations_donor d WHERE d.brn = '' AND d.name = s.donor "
                       "AND d.country = s.country)")
        select = (f"SELECT u.donor, u.kind, u.country, u.brn, u.public, %s FROM ({new_by_brn} UNION ALL "
                  f"{new_by_name}) u ORDER BY u.line")
        columns = "name, kind, country, brn, may_be_named_publicly, created_at"
        audit_columns = ("at, actor_id, actor_label, action, entity_type, entity_id, old, new, note, channel, "
                         "credential")
        audit_values = "%s, %s, %s, 'donations.donor_create', 'donations.donor', CAST(i.id AS varchar(20)), NULL"
        if _postgres():
            cursor.execute(
                f"WITH i AS (INSERT INTO donations_donor ({columns}) {select} "
                "RETURNING id, kind, country, brn, may_be_named_publicly) "
                f"INSERT INTO core_auditevent ({audit_columns}) SELECT {audit_values}, "
                "jsonb_build_object('kind', i.kind, 'country', i.country, 'brn', i.brn, "
                "'public', i.may_be_named_publicly), '', %s, %s FROM i ORDER BY i.id",
                [stamp, stamp, actor_id, actor_label, channel, credential])
            return cursor.rowcount
        # SQLite: the write lock is held from BEGIN (IMMEDIATE), so the new donors are those
        # above the highest id read under it.
        cursor.execute(f"INSERT INTO donations_donor ({columns}) {select}", [stamp])
        created = cursor.rowcount
        cursor.execute(
            f"INSERT INTO core_auditevent ({audit_columns}) SELECT {audit_values}, "
            "json_object('kind', i.kind, 'country', i.country, 'brn', i.brn, 'public', "
            "json(CASE WHEN i.may_be_named_publicly THEN 'true' ELSE 'false' END)), '', %s, %s "
            "FROM donations_donor i WHERE i.id > %s ORDER BY i.id",
            [stamp, actor_id, actor_label, channel, credential, before])
        return created


def rows_of_donors(keys: Iterable[tuple]) -> list[tuple]:
    """(row, brn, donor, country, value_date, amount_won, restricted) of the rows naming one of
    the donors ``keys`` (("brn", brn) or ("name", name, country)), in row order."""
    brns = sorted({k[1] for k in keys if k[0] == "brn"})
    names = sorted({(k[1], k[2]) for k in keys if k[0] == "name"})
    found: list[tuple] = []
    select = f"SELECT line, brn, donor, country, value_date, amount_won, restricted FROM {TABLE} WHERE "
    with connection.cursor() as cursor:
        for start in range(0, len(brns), 500):
            chunk = brns[start:start + 500]
            cursor.execute(select + f"brn IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found += cursor.fetchall()
        for start in range(0, len(names), 250):
            chunk = names[start:start + 250]
            cursor.execute(select + "brn = '' AND (" + " OR ".join(["(donor = %s AND country = %s)"] * len(chunk))
                           + ")", [value for pair in chunk for value in pair])
            found += cursor.fetchall()
    return sorted((r[0], r[1], r[2], r[3], _date(r[4]), int(r[5]), bool(r[6])) for r in found)


def pledges_apply(assigned: list[tuple[int, int]]) -> None:
    """Record which pledge each row's donation is applied to: (row, pledge id)."""
    with connection.cursor() as cursor:
        for start in range(0, len(assigned), 2000):
            chunk = assigned[start:start + 2000]
            cursor.executemany(f"INSERT INTO {PLEDGES} (line, pledge_id) VALUES (%s, %s)", chunk)


def transfer_rows() -> Iterator[tuple[int, str, date, int, bool]]:
    """(row, reference, value_date, amount_won, restricted) of every row, in row order, a chunk
    at a time."""
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"SELECT line, reference, value_date, amount_won, restricted FROM {TABLE} "
                           "WHERE line > %s ORDER BY line LIMIT %s", [last, CHUNK])
            rows = cursor.fetchall()
            if not rows:
                return
            if not _postgres():
                rows = [(r[0], r[1], _date(r[2]), r[3], bool(r[4])) for r in rows]
            yield from rows
            last = rows[-1][0]


def donations_insert(*, transfer_prefix: str, now: datetime, created_by: int | None) -> int:
    """One donation per row, linked to its donor, its pledge (if any) and its ledger transfer
    (``transfer_prefix`` + the bank reference), in row order. How many."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        if _postgres():
            # Statistics taken inside the transaction see the donors and transfers it just wrote;
            # without them the planner takes the tables for empty and joins row by row.
            cursor.execute("ANALYZE donations_donor")
            cursor.execute("ANALYZE ledger_transfer")
            # Joins, which PostgreSQL makes by hashing the donors once, instead of a look-up per row.
            donor = ("COALESCE(b.id, n.id)", f"{TABLE} s LEFT JOIN donations_donor b ON s.brn <> '' AND b.brn = s.brn "
                     "AND NOT (b.brn = '') LEFT JOIN donations_donor n ON s.brn = '' AND n.brn = '' "
                     "AND n.name = s.donor AND n.country = s.country")
        else:
            donor = ("CASE WHEN s.brn <> '' "
                     "THEN (SELECT d.id FROM donations_donor d WHERE d.brn = s.brn AND NOT (d.brn = '')) "
                     "ELSE (SELECT d.id FROM donations_donor d WHERE d.brn = '' AND d.name = s.donor "
                     "AND d.country = s.country) END", f"{TABLE} s")
        cursor.execute(
            "INSERT INTO donations_donation (donor_id, pledge_id, value_date, bank_reference, currency, "
            "original_amount, rate, amount_won, restricted, transfer_id, created_at, created_by_id) "
            f"SELECT {donor[0]}, p.pledge_id, s.value_date, s.reference, s.currency, "
            "CAST(s.amount AS NUMERIC), CAST(s.rate AS NUMERIC), s.amount_won, s.restricted, "
            f"%s || s.reference, %s, %s FROM {donor[1]} "
            f"LEFT JOIN {PLEDGES} p ON p.line = s.line ORDER BY s.line",
            [transfer_prefix, stamp, created_by])
        return cursor.rowcount
