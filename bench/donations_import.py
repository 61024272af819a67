"""Benchmark of the donations import (`baesang donations import`): a generated bank statement of
N rows (default 200,000), booked all or nothing through ``donations_import``.

The CSV has one donation per row; about half of the rows name a donor seen in no earlier row
(companies with a valid business registration number, check digit of the National Tax Service
included, and individuals by name and country), so the import creates ~N/2 donors. Amounts are
in won, a tenth in US dollars with a rate. The database starts empty (migrated, chart of
accounts made); the timed step is the whole service call: parsing and checking every row,
creating the donors, one ledger journal of N transfers, the donations and their audit rows.
A second import of the same file (everything skipped) is timed as well, then ``ledger_verify``.

    .venv/bin/python bench/donations_import.py [--rows 200000] [--db URL]

Without ``--db`` an SQLite file in a temporary directory is used; a PostgreSQL URL names a
database that is dropped and created anew (never ``postgres`` or ``test``). Prints wall-clock
seconds, rows per second, the CPU seconds of Python and of the PostgreSQL backend serving the
import (from ``/proc``, the database on this machine) when each stage starts and in all, the load
average, and the peak resident memory: of the process before the import (``ru_maxrss``: the CSV
built in memory) and of the import itself (the peak is reset through ``/proc/self/clear_refs``
before the import starts, Linux).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the factories of the tests make the finance officer


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--db", default="", help="database URL (default: a new SQLite file)")
    parser.add_argument("--no-reimport", action="store_true", help="skip the re-import (the import alone)")
    return parser.parse_args()


ARGS = _arguments()
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-donations-"))
if ARGS.db:
    parts = urlsplit(ARGS.db)
    NAME = parts.path.lstrip("/")
    if NAME in {"postgres", "test", "template0", "template1"}:
        raise SystemExit(f"refusing to drop the database {NAME!r}")
    import psycopg

    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}"')
        admin.execute(f'CREATE DATABASE "{NAME}"')
    os.environ["DATABASE_URL"] = ARGS.db
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["BAESANG_VAR_DIR"] = str(WORKDIR)
os.environ["BAESANG_DEBUG"] = "0"  # no query log
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from factories import staff_user  # noqa: E402

from baesang.core import roles  # noqa: E402
from baesang.donations.models import Donation, Donor  # noqa: E402
from baesang.donations.rules import brn_check_digit  # noqa: E402
from baesang.donations.services import donations_import  # noqa: E402
from baesang.ledger import accounts as chart  # noqa: E402
from baesang.ledger.selectors import ledger_verify  # noqa: E402


def statement(rows: int) -> bytes:
    """N rows; donor i // 2 for row i, so each donor gives twice (about N/2 donors)."""
    lines = ["date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted"]
    for i in range(rows):
        donor = i // 2
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        if donor % 3 == 0:  # a company with a registration number: office 101–899, type 81, serial
            first_nine = f"{101 + donor % 799:03d}81{1 + donor // 799:04d}"
            who = f"Company {donor},KR,{first_nine}{brn_check_digit(first_nine)}"
        else:
            who = f"Supporter {donor},{'KR' if donor % 5 else 'JP'},"
        if i % 10 == 9:
            money = f"{100 + i % 900}.25,USD,1350.5"
        else:
            money = f"{10_000 * (1 + i % 500)},KRW,"
        lines.append(f"{day},{who},{money},BANK-{i:08d},{'yes' if i % 4 else 'no'}")
    return ("\n".join(lines) + "\n").encode()


def _status(field: str) -> float:
    """A field of ``/proc/self/status`` in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_reset() -> float | None:
    """Reset the process's peak resident memory (Linux ``clear_refs``), so that the peak after
    the import is the import's own; the resident memory now, or None where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _status("VmRSS")


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _backend_pid() -> int | None:
    """The process id of the database server's backend of this connection (PostgreSQL on this machine)."""
    if django.db.connection.vendor != "postgresql":
        return None
    with django.db.connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu_of(pid: int | None) -> float:
    """CPU seconds (user + system) of process ``pid`` so far, from ``/proc`` (0 if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    call_command("migrate", verbosity=0)
    officer = staff_user("bench-treasurer", roles.FINANCE_OFFICER)
    chart.chart_ensure()
    data = statement(ARGS.rows)
    print(f"baesang donations import — {ARGS.rows:,} rows ({len(data) / 1e6:.1f} MB CSV)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"database {django.db.connection.vendor}")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_floor = _peak_reset()
    backend = _backend_pid()
    cpu_python, cpu_backend = _cpu_self(), _cpu_of(backend)
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def cpu() -> str:
        return (f"(CPU so far: Python {_cpu_self() - cpu_python:5.1f} s, "
                f"backend {_cpu_of(backend) - cpu_backend:5.1f} s)")

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in stages:
            stages[stage] = time.perf_counter() - started
            print(f"  {stages[stage]:7.1f} s  {stage} starts  {cpu()}", flush=True)
        elif done == total and stage != "ledger":
            print(f"  {time.perf_counter() - started:7.1f} s  {stage} done  {cpu()}", flush=True)

    result = donations_import(data=data, user=officer, source="bench.csv", progress=progress)
    first = time.perf_counter() - started
    after_import = (_status("VmHWM") if rss_floor is not None
                    else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"cpu:       {_cpu_self() - cpu_python:8.1f} s Python, {_cpu_of(backend) - cpu_backend:8.1f} s PostgreSQL "
          f"backend; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if rss_floor is not None:
        print(f"memory:    peak resident {_status('VmHWM'):,.0f} MiB during the import, {rss_floor:,.0f} MiB before it "
              f"(the import's own rise: {_status('VmHWM') - rss_floor:,.0f} MiB)", flush=True)
    print(f"import:    {first:8.1f} s  ({ARGS.rows / first:,.0f} rows/s)  booked {result.booked:,}, "
          f"{Donor.objects.count():,} donors created; peak resident memory {base:,.0f} MiB before the import "
          f"(Python, Django, the CSV in memory), {after_import:,.0f} MiB during it", flush=True)
    if ARGS.no_reimport:
        return
    started = time.perf_counter()
    again = donations_import(data=data, user=officer, source="bench.csv")
    second = time.perf_counter() - started
    print(f"re-import: {second:8.1f} s  (skipped {again.already_imported:,})")
    started = time.perf_counter()
    verified = ledger_verify()
    print(f"verify:    {time.perf_counter() - started:8.1f} s  ok={verified.ok}")
    assert Donation.objects.count() == ARGS.rows and verified.ok
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {base:,.0f} MiB before the import (Python, Django, the CSV in memory), "
          f"{after_import:,.0f} MiB during the import, {peak:,.0f} MiB at the end (re-import and verify)")


if __name__ == "__main__":
    main()
