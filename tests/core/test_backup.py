"""`baesang backup` / `baesang restore`: the drill of docs/backup.md, on SQLite and on PostgreSQL.

A backup is taken of a database with ledger transfers (donations booked through the
services); it is restored by the command line, in a separate process, into another
database; the restored ledger must verify and give the same chain head as the one the
backup recorded. A restore over records is refused without --force; an altered file is
refused; a restored ledger whose head differs from the expected one exits 1.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from factories import staff_user

from baesang.core import roles
from baesang.core.management.commands import backup as backup_command
from baesang.donations import services as donations
from baesang.ledger import accounts
from baesang.ledger.selectors import ledger_verify

PG_RESTORE_DB = "trust_restore"
on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
sqlite_only = pytest.mark.skipif(on_postgres, reason="the SQLite drill; the PostgreSQL one runs on PostgreSQL")
postgres_only = pytest.mark.skipif(
    not on_postgres or not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="needs PostgreSQL (DATABASE_URL=postgres://…) and its client tools pg_dump/pg_restore")


def book_donations(count: int = 3) -> str:
    """``count`` donations booked through the services; return the ledger's chain head."""
    accounts.chart_ensure()
    finance = staff_user("finance", roles.FINANCE_OFFICER)
    donor = donations.donor_create(name="백업시험 주식회사", kind="company", country="KR", user=finance)
    for number in range(count):
        donations.donation_record(donor=donor, value_date=date(2024, 1, 10 + number), amount=1_000_000 * (number + 1),
                                  bank_reference=f"BACKUP-{number}", restricted=False, user=finance)
    result = ledger_verify()
    assert result.ok and result.transfers >= count
    return result.head_hash


def baesang(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """The `baesang` command in its own process, on another database."""
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "baesang.cli", *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300, check=False)


def take_backup(target: Path, capsys) -> dict:
    call_command("backup", str(target))
    out = capsys.readouterr().out
    manifest = json.loads(backup_command.manifest_path(target).read_text())
    assert f"chain head seq {manifest['ledger']['seq']} hash {manifest['ledger']['hash']}" in out
    assert "documents are not in this file: they are kept in the folder" in out  # files, not rows
    return manifest


def round_trip(database_url: str, target: Path, head: str) -> None:
    """Restore into an empty database, then the refusals: over records, an altered file."""
    done = baesang(database_url, "restore", str(target))
    assert done.returncode == 0, done.stderr
    assert f"hash {head}" in done.stdout and "chain head matches the backup's" in done.stdout
    assert "documents are read from the folder" in done.stdout
    verified = baesang(database_url, "ledger", "verify")
    assert verified.returncode == 0 and head in verified.stdout, verified.stderr

    again = baesang(database_url, "restore", str(target))
    assert again.returncode == 2 and "not empty" in again.stderr and "--force" in again.stderr
    forced = baesang(database_url, "restore", str(target), "--force")
    assert forced.returncode == 0 and "chain head matches" in forced.stdout, forced.stderr
    assert "replacing" in forced.stdout

    # A head other than the backup's: restored, but the command says so and exits 1.
    wrong = baesang(database_url, "restore", str(target), "--force", "--expect-head", "0" * 64)
    assert wrong.returncode == 1 and "CHAIN HEAD DIFFERS" in wrong.stderr

    # One byte changed: refused by the manifest before the database is touched.
    altered = target.with_name("altered-" + target.name)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    altered.write_bytes(bytes(data))
    backup_command.manifest_path(altered).write_text(backup_command.manifest_path(target).read_text())
    refused = baesang(database_url, "restore", str(altered), "--force")
    assert refused.returncode == 2 and "does not match its manifest" in refused.stderr


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_with_the_same_chain_head(tmp_path, capsys):
    head = book_donations()
    target = tmp_path / "baesang.backup"
    manifest = take_backup(target, capsys)
    assert manifest["vendor"] == "sqlite" and manifest["ledger"]["hash"] == head and manifest["ledger"]["verified"]
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    round_trip(restored, target, head)

    # A backup whose ledger was edited (triggers dropped, one amount changed; no manifest):
    # restored, but the verification names the transfer and the command exits 1.
    edited = tmp_path / "edited.backup"
    edited.write_bytes(target.read_bytes())
    database = sqlite3.connect(edited)
    database.execute("DROP TRIGGER ledger_transfer_no_update")
    database.execute("UPDATE ledger_transfer SET amount = amount + 1 WHERE seq = 1")
    database.commit()
    database.close()
    done = baesang(restored, "restore", str(edited), "--force")
    assert done.returncode == 1 and "LEDGER BROKEN" in done.stderr and "seq 1" in done.stderr, done.stderr


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_restore_refuses_a_file_that_is_not_a_backup(tmp_path, capsys):
    book_donations(1)
    stray = tmp_path / "notes.txt"
    stray.write_text("not a database")
    done = baesang(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "restore", str(stray))
    assert done.returncode == 2 and "not a backup" in done.stderr
    target = tmp_path / "b.backup"
    call_command("backup", str(target))
    with pytest.raises(backup_command.BackupFailed) as info:
        call_command("backup", str(target))  # never over an earlier backup unless told
    assert "exists" in info.value.args[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_a_new_database_with_the_same_chain_head(tmp_path, capsys):
    head = book_donations()
    target = tmp_path / "baesang.dump"
    manifest = take_backup(target, capsys)
    assert manifest["vendor"] == "postgresql" and manifest["ledger"]["hash"] == head
    assert target.read_bytes().startswith(b"PGDMP")
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    url = f"postgres://{user}{password}@{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/" \
          f"{PG_RESTORE_DB}"
    with connection.cursor() as cursor:  # autocommit in a transactional test: CREATE DATABASE may run
        cursor.execute(f"DROP DATABASE IF EXISTS {PG_RESTORE_DB} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {PG_RESTORE_DB}")
    try:
        round_trip(url, target, head)
        # A dump file given to an SQLite database (or the reverse) is refused.
        done = baesang(f"sqlite:///{tmp_path / 'x.sqlite3'}", "restore", str(target))
        assert done.returncode == 2 and "postgresql backup" in done.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {PG_RESTORE_DB} WITH (FORCE)")
