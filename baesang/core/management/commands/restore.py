"""`baesang restore FILE [--force]`: put a backup made by `baesang backup` back, and prove the ledger.

Before anything is changed:

- the file must be a backup of this database's kind (a pg_dump custom-format file on
  PostgreSQL, an SQLite database on SQLite);
- when the manifest ``FILE.manifest.json`` is beside it, the file's SHA-256 must match it (a
  truncated or altered file is refused);
- the database must be empty — nothing but what ``baesang migrate`` itself writes (migration
  records, content types, permissions, the chart of accounts, the genesis chain head) —
  unless ``--force`` is given: a restore replaces everything.

Then ``pg_restore --clean --if-exists --single-transaction`` (all or nothing) or SQLite's
backup API copies the backup in, the ledger is verified (hash chain and every balance
recomputed from the transfers) and the restored chain head is printed and compared with
the manifest's (or with ``--expect-head HASH``).

Exit status: 0 restored and the head matches; 1 restored but the ledger does not verify or
its head differs; 2 refused or failed, the database unchanged. See docs/backup.md.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from baesang.core.management.commands.backup import (
    EXIT_LEDGER_BROKEN,
    MANIFEST_FORMAT,
    BackupFailed,
    database_vendor,
    documents_place,
    file_sha256,
    file_vendor,
    ledger_proof,
    manifest_path,
    postgres_environment,
    postgres_tool,
    run_tool,
)

# Tables that `baesang migrate` fills by itself: a database with rows only here is empty.
SEEDED_TABLES = frozenset({
    "django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions",
    "ledger_account", "ledger_ledgerhead", "baesang_purge_permit", "sqlite_sequence",
})


class RestoreRefused(BackupFailed):
    """The restore was refused before the database was touched (exit status 2)."""


def tables_with_rows() -> list[str]:
    """The tables of the database that hold rows beyond what migrations write."""
    found = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in SEEDED_TABLES or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                found.append(table)
    return found


def read_manifest(path: Path) -> dict | None:
    manifest_file = manifest_path(path)
    if not manifest_file.exists():
        return None
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreRefused(f"the manifest {manifest_file} cannot be read: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise RestoreRefused(f"{manifest_file} is not a {MANIFEST_FORMAT} manifest")
    return manifest


def _restore_postgres(source: Path) -> None:
    tool = postgres_tool("pg_restore")
    env = postgres_environment()
    # The listing fails on a file that is not a complete custom-format dump: refused untouched.
    run_tool([tool, "--list", str(source)], env)
    connection.close()  # pg_restore needs no lock of ours
    run_tool([tool, "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-privileges",
              f"--dbname={env.get('PGDATABASE', '')}", str(source)], env)


def _restore_sqlite(source: Path) -> None:
    backup = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check = backup.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'ledger_transfer'")
        if check.fetchone() is None:
            raise RestoreRefused(f"{source} is an SQLite database but not a baesang backup (no ledger)")
        connection.ensure_connection()
        backup.backup(connection.connection)
    finally:
        backup.close()
    connection.close()


class Command(BaseCommand):
    help = "Restore a backup made by `baesang backup` into an empty database (--force to replace); verifies the ledger."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by `baesang backup`")
        parser.add_argument("--force", action="store_true", help="replace a database that holds records")
        parser.add_argument("--expect-head", metavar="HASH", help="the ledger chain head the restore must give "
                            "(default: the one in FILE.manifest.json)")

    def handle(self, *args, file: str, force: bool = False, expect_head: str | None = None, **options):
        source = Path(file)
        if not source.is_file():
            raise RestoreRefused(f"{source} does not exist or is not a file")
        vendor = database_vendor()
        kind = file_vendor(source)
        if kind != vendor:
            what = f"a {kind} backup" if kind else "not a backup made by `baesang backup`"
            raise RestoreRefused(f"{source} is {what}; this database is {vendor}")
        manifest = read_manifest(source)
        if manifest is not None:
            digest = file_sha256(source)
            if digest != manifest.get("sha256"):
                raise RestoreRefused(f"{source} does not match its manifest (sha256 {digest}, manifest says "
                                     f"{manifest.get('sha256')}): the file was changed or cut short")
            expect_head = expect_head or (manifest.get("ledger") or {}).get("hash")
        filled = tables_with_rows()
        if filled and not force:
            shown = ", ".join(filled[:6]) + (" …" if len(filled) > 6 else "")
            raise RestoreRefused(f"the database is not empty ({len(filled)} table(s) hold records: {shown}); "
                                 "a restore replaces everything — pass --force to do so")
        if vendor == "postgresql":
            _restore_postgres(source)
        else:
            _restore_sqlite(source)
        self.stdout.write(f"restored {source} into the {vendor} database"
                          + (f" (replacing {len(filled)} table(s) of records)" if filled else ""))
        self.stdout.write(f"documents are read from {documents_place()}: restore them there from their own "
                          "backup of the same day (docs/backup.md)")
        proof = ledger_proof()
        if not proof.ok:
            self.stderr.write(proof.line())
            raise SystemExit(EXIT_LEDGER_BROKEN)
        self.stdout.write(proof.line())
        if expect_head and proof.hash != expect_head:
            self.stderr.write(f"CHAIN HEAD DIFFERS: restored {proof.hash} (seq {proof.seq}), expected {expect_head}")
            raise SystemExit(EXIT_LEDGER_BROKEN)
        if expect_head:
            self.stdout.write("chain head matches the backup's")
