"""Benchmark of the fund ledger against django-hordak 2.0, in one run on one PostgreSQL database.

Posts N transfers (default 1,000,000) through ``baesang.ledger.services.transfers_create`` in
journals of ``--batch`` transfers with every invariant on: append-only triggers, CHECK and
foreign-key constraints, the hash chain, idempotency ids, and balance limits (the bank may not
go below zero, each creditor payable may not be overpaid). Then the same transfers go through
django-hordak 2.0 (the established Django double-entry ledger) in the same batches: through its
API (``Account.transfer_to``, one transaction and two legs per transfer) and, as a generous
second reference, with ``bulk_create`` of its transactions and legs. Hordak is run on the first
``--hordak-n`` transfers (its tables then are smaller than ours, which favours it).

The workload: a 10^15 won endowment, then for 100 creditors an accrual (Dr judgment payments /
Cr the creditor's payable) followed by a payment (Dr payable / Cr bank), amounts 1,000 … 1,000,000.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/ledger.py [--n 1000000] [--batch 10000] [--hordak-n 50000]
        [--db postgres://postgres@127.0.0.1:5432/bench_ledger]

The database named by ``--db`` is dropped and created anew. Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CREDITORS = 100
VALUE_DATE = date(2024, 9, 1)


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def configure(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django
    from django.conf import settings

    import baesang.settings as base

    values = {name: getattr(base, name) for name in dir(base) if name.isupper()}
    values.update(
        INSTALLED_APPS=[*base.INSTALLED_APPS, "mptt", "hordak"],
        DEBUG=False,  # no query log: a million statements would fill memory
        DEFAULT_CURRENCY="KRW",
        HORDAK_CURRENCIES=["KRW"],
    )
    settings.configure(**values)
    django.setup()


def workload(n: int) -> list[tuple[str, str, int]]:
    """(debit code, credit code, amount) for n transfers: accrue, then pay, per creditor in turn."""
    rng = random.Random(20230315)
    rows = []
    for i in range(n):
        creditor = f"2000-B{(i // 2) % CREDITORS:03d}"
        if i % 2 == 0:
            amount = rng.randint(1_000, 1_000_000)
            rows.append(("5000", creditor, amount))
        else:
            rows.append((creditor, "1000", amount))  # pay exactly what was accrued
    return rows


def run_baesang(rows, batch: int) -> float:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from baesang.core import roles
    from baesang.ledger import accounts as chart
    from baesang.ledger.services import TransferSpec, transfer_create, transfers_create

    roles.ensure_role_groups()
    booker, _ = get_user_model().objects.get_or_create(username="bench-finance")
    booker.groups.add(Group.objects.get(name=roles.FINANCE_OFFICER))
    chart.chart_ensure()
    for c in range(CREDITORS):
        chart.payable_account(f"B{c:03d}")
    transfer_create(spec=TransferSpec(id="endowment", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED,
                                      amount=10**15, value_date=VALUE_DATE), user=booker)
    specs = [TransferSpec(id=f"t{i:08d}", debit=d, credit=c, amount=a, value_date=VALUE_DATE, journal=f"j{i // batch}")
             for i, (d, c, a) in enumerate(rows)]
    started = time.perf_counter()
    for start in range(0, len(specs), batch):
        transfers_create(specs=specs[start:start + batch], user=booker)
    return time.perf_counter() - started


def hordak_accounts():
    from hordak.models import Account

    def root(name, code, type_):
        return Account.objects.create(name=name, code=code, type=type_, currencies=["KRW"])

    accounts = {"1000": root("Bank", "1", "AS"), "4000": root("Donations", "4", "IN"),
                "5000": root("Judgment payments", "5", "EX")}
    payables = root("Payables", "2", "LI")
    for c in range(CREDITORS):
        accounts[f"2000-B{c:03d}"] = Account.objects.create(name=f"Payable {c}", code=f"{c:03d}", parent=payables,
                                                            currencies=["KRW"])
    return accounts


def run_hordak_api(rows, batch: int, accounts) -> float:
    from django.db import transaction
    from djmoney.money import Money

    accounts["4000"].transfer_to(accounts["1000"], Money(10**12, "KRW"))
    moves = [(accounts[c], accounts[d], Money(a, "KRW")) for d, c, a in rows]
    started = time.perf_counter()
    for start in range(0, len(moves), batch):
        with transaction.atomic():
            for credit, debit, money in moves[start:start + batch]:
                credit.transfer_to(debit, money, date=VALUE_DATE)
    return time.perf_counter() - started


def run_hordak_bulk(rows, batch: int, accounts) -> float:
    from django.db import transaction
    from djmoney.money import Money
    from hordak.models import Leg, Transaction

    moves = [(accounts[c], accounts[d], Money(a, "KRW")) for d, c, a in rows]
    started = time.perf_counter()
    for start in range(0, len(moves), batch):
        chunk = moves[start:start + batch]
        with transaction.atomic():
            created = Transaction.objects.bulk_create([Transaction(date=VALUE_DATE) for _ in chunk])
            legs = []
            for tx, (credit, debit, money) in zip(created, chunk, strict=True):
                legs.append(Leg(transaction=tx, account=credit, credit=money))
                legs.append(Leg(transaction=tx, account=debit, debit=money))
            Leg.objects.bulk_create(legs)
    return time.perf_counter() - started


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, PostgreSQL {pg}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--hordak-n", type=int, default=50_000)
    parser.add_argument("--hordak-bulk-n", type=int, default=200_000)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/bench_ledger")
    args = parser.parse_args()

    recreate_database(args.db)
    configure(args.db)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "ledger", verbosity=0, skip_checks=True)
    call_command("migrate", "hordak", verbosity=0, skip_checks=True)
    print(machine())
    rows = workload(args.n)

    seconds = run_baesang(rows, args.batch)
    ours = args.n / seconds
    print(f"baesang ledger: {args.n:,} transfers in {seconds:.1f} s = {ours:,.0f} transfers/s "
          f"(journals of {args.batch:,})")

    from baesang.ledger.models import Account
    from baesang.ledger.selectors import ledger_verify

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'ledger_transfer'::regclass "
                       "AND NOT tgisinternal AND tgenabled = 'O'")
        triggers = cursor.fetchone()[0]
    started = time.perf_counter()
    verified = ledger_verify()
    verify_seconds = time.perf_counter() - started
    bank = Account.objects.get(code="1000")
    print(f"  invariants: {triggers} triggers enabled (no update, no delete, accounts exist); "
          f"verify {'ok' if verified.ok else 'FAILED'} "
          f"over {verified.transfers:,} transfers in {verify_seconds:.1f} s; bank credits {bank.credits_posted:,} "
          f"≤ debits {bank.debits_posted:,}")

    accounts = hordak_accounts()
    hordak_rows = rows[:args.hordak_n]
    seconds = run_hordak_api(hordak_rows, args.batch, accounts)
    hordak = len(hordak_rows) / seconds
    print(f"django-hordak 2.0 (Account.transfer_to): {len(hordak_rows):,} transfers in {seconds:.1f} s = "
          f"{hordak:,.0f} transfers/s")
    bulk_rows = rows[:args.hordak_bulk_n]
    seconds = run_hordak_bulk(bulk_rows, args.batch, accounts)
    hordak_bulk = len(bulk_rows) / seconds
    print(f"django-hordak 2.0 (bulk_create of transactions and legs): {len(bulk_rows):,} transfers in "
          f"{seconds:.1f} s = {hordak_bulk:,.0f} transfers/s")
    print(f"ratio: {ours / hordak:,.1f}× hordak's API, {ours / hordak_bulk:,.1f}× hordak with bulk_create")


if __name__ == "__main__":
    main()
