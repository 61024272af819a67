"""Database-enforced rules shared by the apps: append-only tables.

An append-only table (ledger transfers, the audit log, the personal-data access log)
rejects UPDATE and DELETE with a trigger, on SQLite and on PostgreSQL alike, so raw SQL
and bulk writes cannot get past the rule either. Corrections are new rows (a reversing
transfer), never edits.

The one exception is a deliberate purge of a whole database (the test suite's flush
between transactional tests, or wiping a demo database): a row in the table
``baesang_purge_permit`` — which is not a model, so Django's flush never touches it —
lets DELETE through while it exists. Use :func:`purge_permitted`. Tampering this way is
still caught by the ledger's hash chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, migrations

PURGE_PERMIT_TABLE = "baesang_purge_permit"
APPEND_ONLY_MESSAGE = "is append-only: rows cannot be changed or deleted; record a correction instead"


def _sqlite_sql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} {APPEND_ONLY_MESSAGE}'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"WHEN NOT EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) "
        f"BEGIN SELECT RAISE(ABORT, '{table} {APPEND_ONLY_MESSAGE}'); END",
    ]


def _postgres_sql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION baesang_reject_change()",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION baesang_reject_change()",
    ]


def install_support(schema_editor) -> None:
    """Create the purge-permit table and (PostgreSQL) the shared trigger function."""
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {PURGE_PERMIT_TABLE} (permit integer NOT NULL)"
    )
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION baesang_reject_change() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '% {APPEND_ONLY_MESSAGE}', TG_TABLE_NAME
                    USING ERRCODE = 'integrity_constraint_violation';
            END;
            $$ LANGUAGE plpgsql
            """,
            None,  # no parameters: the '%' above is PL/pgSQL's, not a placeholder
        )


def make_append_only(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    statements = _postgres_sql(table) if vendor == "postgresql" else _sqlite_sql(table)
    for sql in statements:
        schema_editor.execute(sql)


def drop_append_only(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    for suffix in ("no_update", "no_delete"):
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix} ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")


def append_only_operation(table: str):
    """A migration operation that makes ``table`` append-only (and undoes it on reverse)."""

    def forward(apps, schema_editor):
        make_append_only(schema_editor, table)

    def backward(apps, schema_editor):
        drop_append_only(schema_editor, table)

    return migrations.RunPython(forward, backward)


@contextmanager
def purge_permitted(using: str = "default") -> Iterator[None]:
    """Let whole-table deletes through while the block runs (test flush, demo reset)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PURGE_PERMIT_TABLE} (permit) VALUES (1)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PURGE_PERMIT_TABLE}")
