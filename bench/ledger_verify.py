"""Benchmark of `baesang ledger verify` on a large ledger: full, and from a signed checkpoint.

Two phases, so the ledger can be grown once and measured many times:

- ``fill``: books transfers through the real services (``transfers_create``, ``pendings_resolve``)
  in the shape of payment batches — journals of ``--journal`` pending reservations (Dr judgment
  payments / Cr bank), each followed by a journal posting them — every rule on (hash chain,
  limits, idempotency ids, audit rows), until the ledger holds ``--n`` transfers. It can be
  stopped at any time: every journal is committed on its own.
- ``measure``: ``baesang ledger verify`` (full) in a child process, timed, with its peak memory
  (``/usr/bin/time``); then ``baesang ledger checkpoint`` (as a finance officer: verifies in full
  once more and signs); then ``--after`` more transfers; then
  ``baesang ledger verify --since-checkpoint`` timed with its peak memory.

    .venv/bin/python bench/ledger_verify.py fill [--n 10000000] [--journal 100000] [--db URL]
    .venv/bin/python bench/ledger_verify.py measure [--after 100000] [--db URL]

``fill`` creates the database named by ``--db`` when it does not exist (it never drops it).
Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BAESANG = str(ROOT / ".venv" / "bin" / "baesang")
VALUE_DATE = date(2024, 9, 2)


def ensure_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def configure(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["BAESANG_DEBUG"] = "0"
    os.environ.setdefault("BAESANG_FIELD_KEY", "bench-ledger-verify-field-key-not-for-real-data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def finance_user():
    from django.contrib.auth.models import Group, User

    from baesang.core import roles

    roles.ensure_role_groups()
    user, created = User.objects.get_or_create(username="bench-finance")
    if created:
        user.groups.add(Group.objects.get(name=roles.FINANCE_OFFICER))
    return user


def book(user, n: int, journal: int, after_seq: int | None = None) -> int:
    """Book reservation + posting journals until the ledger holds ``n`` transfers (or, with
    ``after_seq``, ``n`` more than that). Returns the number of transfers at the end."""
    from baesang.ledger import accounts
    from baesang.ledger.models import LedgerHead
    from baesang.ledger.services import TransferSpec, pendings_resolve, transfers_create

    accounts.chart_ensure()
    head = LedgerHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    if head == 0:
        transfers_create(specs=[TransferSpec(id="bench-endowment", debit=accounts.BANK,
                                             credit=accounts.DONATIONS_RESTRICTED, amount=10**15,
                                             value_date=date(2024, 1, 2), description="bench endowment")], user=user)
        head = 1
    target = n if after_seq is None else after_seq + n
    started = time.perf_counter()
    begun = head
    while head < target:
        size = max(1, min(journal, (target - head) // 2))
        tag = f"v{head}"
        transfers_create(specs=[TransferSpec(id=f"{tag}-r{i}", debit=accounts.JUDGMENT_PAYMENTS_EXPENSE,
                                             credit=accounts.BANK, amount=1_000 + i % 997_000, value_date=VALUE_DATE,
                                             pending=True, description="bench reservation") for i in range(size)],
                         user=user, returning=False)
        pendings_resolve(posts=[(f"{tag}-p{i}", f"{tag}-r{i}") for i in range(size)], voids=[], user=user,
                         value_date=VALUE_DATE)
        head += 2 * size
        rate = (head - begun) / (time.perf_counter() - started)
        print(f"  {head:,} transfers ({rate:,.0f}/s), load {os.getloadavg()[0]:.1f}", flush=True)
    return head


def timed_command(*args: str, env: dict) -> tuple[float, float, str]:
    """Run ``baesang args`` under /usr/bin/time; (wall seconds, peak MiB, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "PEAK_KB=%M", BAESANG, *args], env=env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - started
    peak = re.search(r"PEAK_KB=(\d+)", done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"baesang {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall, int(peak.group(1)) / 1024 if peak else float("nan"), done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=["fill", "measure"])
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--journal", type=int, default=100_000, help="reservations per journal")
    parser.add_argument("--after", type=int, default=100_000, help="transfers booked after the checkpoint")
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/bench_ledger_verify")
    args = parser.parse_args()
    ensure_database(args.db)
    configure(args.db)
    user = finance_user()
    if args.phase == "fill":
        started = time.perf_counter()
        total = book(user, args.n, args.journal)
        print(f"ledger holds {total:,} transfers; filled in {time.perf_counter() - started:.1f} s")
        return

    from django.db import connection

    from baesang.ledger.models import LedgerCheckpoint, LedgerHead
    from baesang.staff.tokens import api_token_bootstrap

    env = {**os.environ}
    seq = LedgerHead.objects.get(pk=1).seq
    wall, peak, out = timed_command("ledger", "verify", env=env)
    print(f"full verify of {seq:,} transfers: {wall:.1f} s wall, peak {peak:,.0f} MiB — {out[:90]}")
    env["BAESANG_CLI_TOKEN"] = api_token_bootstrap(user=user, name=f"bench-{time.time_ns()}")[1]
    wall, peak, out = timed_command("ledger", "checkpoint", env=env)
    print(f"checkpoint: {wall:.1f} s wall, peak {peak:,.0f} MiB — {out[:120]}")
    head = book(user, args.after, args.journal, after_seq=LedgerHead.objects.get(pk=1).seq)
    wall, peak, out = timed_command("ledger", "verify", "--since-checkpoint", env=env)
    print(f"verify --since-checkpoint ({head - LedgerCheckpoint.objects.order_by('-seq').first().seq:,} transfers "
          f"after it, {head:,} in all): {wall:.2f} s wall, peak {peak:,.0f} MiB — {out[-90:]}")
    from baesang.ledger.selectors import ledger_verify

    started = time.perf_counter()
    result = ledger_verify(since_checkpoint=True)
    print(f"  the same in this process (no start-up of a command): {time.perf_counter() - started:.2f} s, "
          f"ok={result.ok}, {result.replayed:,} replayed")
    wall, peak, _ = timed_command("check", env=env)
    print(f"  start-up of a baesang command alone (`baesang check`): {wall:.1f} s wall, peak {peak:,.0f} MiB")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"Python {platform.python_version()}, {server}")


if __name__ == "__main__":
    main()
