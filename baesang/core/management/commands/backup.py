"""`baesang backup FILE`: a consistent copy of the whole database, ending with the ledger's proof.

- **PostgreSQL**: ``pg_dump --format=custom`` (restored with ``pg_restore``). The dump is
  taken in an exported snapshot (``pg_export_snapshot``) that this command holds open, and
  the ledger is verified in that same snapshot, so the chain head printed and recorded is
  exactly the one inside the file even while staff keep working.
- **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``); the ledger is
  verified after the copy and the copy's chain head must be the verified head (else the
  copy is taken again).

Both end by running the ledger verification — the command ``baesang ledger verify`` itself:
the hash chain and every balance recomputed from the transfers — and print the chain head. A manifest
``FILE.manifest.json`` is written beside the file: the file's SHA-256 and the ledger head
(seq, hash) at the moment of the backup. ``baesang restore FILE`` checks the file against
the manifest before it touches the database and compares the restored chain head with it.

Exit status: 0 when the backup is written and the ledger verifies; 1 when the backup is
written but the ledger does not verify (the file is kept: it is evidence); 2 when nothing
could be written. See docs/backup.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

MANIFEST_FORMAT = "baesang-backup"
MANIFEST_VERSION = 1
MANIFEST_SUFFIX = ".manifest.json"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
VENDORS = ("postgresql", "sqlite")
SQLITE_ATTEMPTS = 3

EXIT_LEDGER_BROKEN = 1
EXIT_NOT_DONE = 2


class BackupFailed(CommandError):
    """Nothing usable was written or restored (exit status 2); the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=EXIT_NOT_DONE)


# What `baesang ledger verify` prints when the ledger holds.
VERIFIED_LINE = re.compile(r"ledger verified: (?P<transfers>[\d,]+) transfers, .*chain head (?P<head>[0-9a-f]{64})")


@dataclass(frozen=True)
class LedgerProof:
    """What ``baesang ledger verify`` found: the chain head (seq = number of transfers) and
    whether it holds."""

    ok: bool
    seq: int
    hash: str
    reason: str

    def line(self) -> str:
        if self.ok:
            return f"ledger verified: {self.seq:,} transfers; chain head seq {self.seq} hash {self.hash}"
        return f"LEDGER BROKEN: {self.reason}"


def ledger_proof() -> LedgerProof:
    """Run ``baesang ledger verify`` (the ledger app's own check, by its command, so that this
    bottom layer imports nothing of the ledger) on the default connection and read its verdict."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        if exc.code not in (0, None):
            return LedgerProof(ok=False, seq=0, hash="", reason=" ".join(err.getvalue().split()))
    found = VERIFIED_LINE.search(out.getvalue())
    if found is None:
        return LedgerProof(ok=False, seq=0, hash="", reason=f"unexpected output of ledger verify: {out.getvalue()!r}")
    return LedgerProof(ok=True, seq=int(found["transfers"].replace(",", "")), hash=found["head"], reason="")


def documents_place() -> str:
    """Where the documents are kept (they are files, not rows: no backup of the database holds
    them): the local folder, or the S3-compatible bucket of ``BAESANG_DOCUMENT_STORAGE=s3``."""
    backend = settings.STORAGES["default"]
    options = backend.get("OPTIONS") or {}
    if backend["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        return f"the folder {options.get('location') or settings.MEDIA_ROOT}"
    if "bucket_name" in options:
        prefix = f"/{options['location']}" if options.get("location") else ""
        return f"the bucket {options['bucket_name']}{prefix} ({backend['BACKEND']})"
    return f"the storage {backend['BACKEND']}"


def documents_note() -> str:
    return (f"documents are not in this file: they are kept in {documents_place()}; "
            "back them up on the same schedule (docs/backup.md)")


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_vendor(path: Path) -> str | None:
    """``postgresql`` for a pg_dump custom-format file, ``sqlite`` for an SQLite database, else None."""
    with path.open("rb") as stream:
        start = stream.read(len(SQLITE_MAGIC))
    if start.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    if start == SQLITE_MAGIC:
        return "sqlite"
    return None


def database_vendor() -> str:
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise BackupFailed(f"the database is {vendor}; backup and restore support {', '.join(VENDORS)}")
    return vendor


def postgres_environment() -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore from Django's settings (the password is
    passed in the environment, never on the command line)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                      ("NAME", "PGDATABASE")):
        if settings.get(key):
            env[name] = str(settings[key])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def postgres_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupFailed(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return tool


def run_tool(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed(f"{Path(command[0]).name} failed (exit {done.returncode}): "
                           f"{done.stderr.strip() or done.stdout.strip()}")


def write_manifest(path: Path, *, vendor: str, proof: LedgerProof) -> dict:
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "vendor": vendor,
        "file": path.name,
        "sha256": file_sha256(path),
        "bytes": path.stat().st_size,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ledger": {"seq": proof.seq, "hash": proof.hash, "verified": proof.ok},
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _backup_postgres(target: Path) -> LedgerProof:
    tool = postgres_tool("pg_dump")
    env = postgres_environment()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        run_tool([tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], env)
        return ledger_proof()


def _sqlite_copy_head(path: Path) -> str | None:
    copy = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = copy.execute("SELECT hash FROM ledger_ledgerhead WHERE id = 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        copy.close()
    return row[0] if row else None


def _backup_sqlite(target: Path) -> LedgerProof:
    """Copy, then verify the live ledger: the chain head names the whole chain (each transfer's
    hash covers the one before), so when the copy's head is the verified head the copy holds
    the verified ledger. A transfer written in between makes them differ: copied again."""
    connection.ensure_connection()
    proof = None
    for _attempt in range(SQLITE_ATTEMPTS):
        target.unlink(missing_ok=True)
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        proof = ledger_proof()
        if not proof.ok or _sqlite_copy_head(target) == proof.hash:
            return proof
    raise BackupFailed(f"the ledger changed during each of {SQLITE_ATTEMPTS} copies; try again when it is quiet")


class Command(BaseCommand):
    help = "Back up the whole database to FILE (pg_dump custom format or SQLite's backup API); verifies the ledger."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (a manifest FILE.manifest.json is written beside)")
        parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")

    def handle(self, *args, file: str, overwrite: bool = False, **options):
        target = Path(file)
        if target.exists() and not overwrite:
            raise BackupFailed(f"{target} exists; choose another name or pass --overwrite")
        if not target.parent.is_dir():
            raise BackupFailed(f"the folder {target.parent} does not exist")
        vendor = database_vendor()
        # Written to a temporary name first: a failed backup never leaves a half file under FILE.
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(handle)
        partial = Path(temporary)
        partial.unlink()
        try:
            proof = _backup_postgres(partial) if vendor == "postgresql" else _backup_sqlite(partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        manifest = write_manifest(target, vendor=vendor, proof=proof)
        self.stdout.write(f"backup written: {target} ({vendor}, {manifest['bytes']:,} bytes, "
                          f"sha256 {manifest['sha256']})")
        self.stdout.write(f"manifest: {manifest_path(target)}")
        self.stdout.write(documents_note())
        if not proof.ok:
            self.stderr.write(proof.line())
            raise SystemExit(EXIT_LEDGER_BROKEN)
        self.stdout.write(proof.line())
