"""The project foundation: settings from the environment, the console command, the audit log."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import DatabaseError, connection, transaction

from baesang.core.models import AuditEvent
from baesang.core.services import audit_record


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "baesang.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_production_without_secret_stops_with_clear_message(tmp_path):
    env = {**os.environ, "BAESANG_ENV": "production", "BAESANG_VAR_DIR": str(tmp_path)}
    env.pop("BAESANG_SECRET_KEY", None)
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "BAESANG_SECRET_KEY is not set" in result.stderr


def test_development_secret_is_generated_once_under_var(tmp_path):
    env = {**os.environ, "BAESANG_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    env.pop("BAESANG_SECRET_KEY", None)
    assert _run(["check"], env).returncode == 0
    first = (tmp_path / "secret_key").read_text()
    assert len(first) >= 50
    assert _run(["check"], env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == first


def test_help_lists_baesang_subcommands_and_django_passes_through(tmp_path):
    env = {**os.environ, "BAESANG_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    result = _run(["--help"], env)
    assert result.returncode == 0
    assert "serve" in result.stdout and "demo" in result.stdout
    migrate = _run(["migrate", "--noinput"], env)
    assert migrate.returncode == 0, migrate.stderr
    assert (tmp_path / "db.sqlite3").exists()
    demo = _run(["demo", "load"], env)
    assert demo.returncode == 0, demo.stderr
    assert "admin" in demo.stdout and "baesang-demo" in demo.stdout


@pytest.mark.django_db
def test_audit_record_names_actor_and_values(django_user_model):
    user = django_user_model.objects.create_user("officer")
    event = audit_record(actor=user, action="judgment.create", entity_type="judgment", entity_id=7,
                         old=None, new={"case_number": "2013다61381"})
    event.refresh_from_db()
    assert event.actor_label == "officer"
    assert event.new == {"case_number": "2013다61381"}


@pytest.mark.django_db(transaction=True)
def test_audit_log_is_append_only_in_the_database():
    event = audit_record(actor="system", action="test", entity_type="x", entity_id=1)
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET action = 'forged' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "test"
