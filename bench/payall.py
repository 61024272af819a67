"""Pay everyone in a world built by `baesang demo scale` (issue 13 §2, BENCHMARKS.md "Paying everyone").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale17 BAESANG_FIELD_KEY=… \\
        .venv/bin/python bench/payall.py [--split-claims 500000] [--payment-date YYYY-MM-DD] [--profile PREFIX]

Unlike bench/batch.py, which generates its own claims, this pays the claims of an existing
foundation — the judgments, heirs, consents, deposits and earlier batches of `demo scale` — as
staff would: successive batches of at most ``--split-claims`` claims in waiting order, each
prepared by the finance officer, approved by the approver, exported to the bank file, answered
by the bank (every line paid) and posted, through the services with every rule on, until no
accepted holder is left unpaid.

Before the timed part, if the fund's available balance is short of what the accepted claims are
owed (the fund report's "owed to waiting claims" is the bound used), one restricted donation
covering the difference is recorded through ``donation_record`` (a government contribution, as
in the scheme; not timed). Each step prints its wall time and the CPU seconds of this process
and of its PostgreSQL backend; the sums per step, the lines per second and the peak memory of
the process are printed at the end, then (not timed with the rest) the world's checks: ledger
verify, each holder paid once, fund report reconciled, public figures equal to the ledger's.
The database is changed for good: clone it first (``createdb -T scale17 scale17_paid``) to keep
the unpaid world.

With ``--ahead`` (the default) the batches are prepared by a second process — a second finance
officer's session — while this one approves, exports and posts the batch before: preparing reads
the claims and writes lines, approving and posting write the ledger, and the database keeps
them apart (a holder in an open batch is never chosen again; the never-paid-twice index holds
in any case). Each side prints its own steps; the total is the wall clock from the first
preparation to the last posting. ``--no-ahead`` runs every step one after the other.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def bank_answer(bank_file) -> list:
    """The bank's answer to a bank file: every line paid, with a bank reference."""
    from baesang.cases import services

    with bank_file.file:  # the file written, read a line at a time (then closed: a temporary file is gone)
        rows = csv.reader(bank_file.text_lines())
        header = next(rows)
        line_at, amount_at = header.index("line"), header.index("amount")
        return [services.BankResult(line=int(row[line_at]), amount=int(row[amount_at]), status="paid",
                                    bank_reference=f"PAYALL-{row[line_at]}")
                for row in rows]


def prepare_all(out, pay_date: str, split: int, profile: str) -> None:
    """The preparing side of ``--ahead``: prepare batches of at most ``split`` claims until no
    accepted holder is left, sending ("batch", id) for each, then ("done", its step timings)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django

    django.setup()
    from batch import CpuClock
    from django.contrib.auth import get_user_model
    from django.db import connection

    from baesang.cases import services
    from baesang.cases.errors import EmptyBatch

    finance = get_user_model().objects.get(username="finance")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        clock = CpuClock(cursor.fetchone()[0])
    timings = []
    number = 0
    try:
        while True:
            number += 1
            wall, cpu, backend = clock.now()
            try:
                if profile:
                    import cProfile

                    profiler = cProfile.Profile()
                    batch = profiler.runcall(services.batch_prepare, payment_date=date.fromisoformat(pay_date),
                                             preparer=finance, limit=split)
                    profiler.dump_stats(f"{profile}-{number}-prepare.prof")
                else:
                    batch = services.batch_prepare(payment_date=date.fromisoformat(pay_date), preparer=finance,
                                                   limit=split)
            except EmptyBatch:
                break
            wall2, cpu2, backend2 = clock.now()
            timings.append(("prepare", wall2 - wall, cpu2 - cpu, backend2 - backend))
            print(f"  batch {number} prepare       {wall2 - wall:7.1f} s wall  {cpu2 - cpu:6.1f} s Python CPU  "
                  f"{backend2 - backend:6.1f} s PostgreSQL CPU  (preparing process, rss peak "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)", flush=True)
            out.put(("batch", batch.pk))
    except Exception as exc:  # noqa: BLE001 - reported to the paying side, which stops
        out.put(("failed", repr(exc)))
        raise
    out.put(("done", timings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split-claims", type=int, default=500_000, help="claims per batch at most")
    parser.add_argument("--payment-date", type=date.fromisoformat, default=None, help="default: today")
    parser.add_argument("--profile", default="", help="write a cProfile of each step to PREFIX-<n>-<step>.prof")
    parser.add_argument("--ahead", action=argparse.BooleanOptionalAction, default=True,
                        help="prepare the next batches in a second process while this one pays (default: on)")
    parser.add_argument("--no-checks", action="store_true", help="skip the world's checks at the end")
    parser.add_argument("--donate", type=int, default=0,
                        help="record a donation of this many won first instead of computing the shortfall from "
                             "the fund report (a pass over every claim)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to the PostgreSQL database of a `demo scale` world")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django

    django.setup()
    from batch import CpuClock
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from baesang.cases import services
    from baesang.cases.errors import EmptyBatch
    from baesang.cases.models import BatchLine, ClaimHolding
    from baesang.cases.selectors import fund_report
    from baesang.demo.scale import world_checks
    from baesang.donations import services as donation_services

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["finance", "approver"])}
    today = timezone.localdate()
    pay_date = args.payment_date or today
    unpaid = ClaimHolding.objects.filter(state=ClaimHolding.ACCEPTED, superseded_at__isnull=True).count()
    started = time.perf_counter()
    if args.donate:
        shortfall = args.donate - 1_000_000
        print(f"{unpaid:,} accepted holders unpaid; a donation of {args.donate:,} won first")
    else:
        report = fund_report(as_of=pay_date)
        shortfall = report["owed_waiting"] - report["available"]
        print(f"{unpaid:,} accepted holders unpaid; available {report['available']:,} won, owed to waiting claims "
              f"{report['owed_waiting']:,} won (fund report in {time.perf_counter() - started:.1f} s, not timed)")
    if shortfall > 0:
        donor = donation_services.donor_create(name="정부 출연금 (payall bench)", kind="government", country="KR",
                                               may_be_named_publicly=True, user=users["finance"])
        donation_services.donation_record(donor=donor, value_date=min(today, pay_date),
                                          bank_reference=f"PAYALL-{today.isoformat()}-{shortfall}",
                                          amount=shortfall + 1_000_000, restricted=True, user=users["finance"])
        print(f"recorded a donation of {shortfall + 1_000_000:,} won to cover them (not timed)")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        clock = CpuClock(cursor.fetchone()[0])
    timings: list[tuple[str, float, float, float]] = []

    def step(number: int, name: str, fn):
        wall, cpu, backend = clock.now()
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(fn)
            profiler.dump_stats(f"{args.profile}-{number}-{name.replace(' ', '_')}.prof")
        else:
            result = fn()
        wall2, cpu2, backend2 = clock.now()
        timings.append((name, wall2 - wall, cpu2 - cpu, backend2 - backend))
        print(f"  batch {number} {name:<13} {wall2 - wall:7.1f} s wall  {cpu2 - cpu:6.1f} s Python CPU  "
              f"{backend2 - backend:6.1f} s PostgreSQL CPU  (rss peak "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)", flush=True)
        return result

    def pay(number: int, batch) -> None:
        step(number, "approve", lambda: services.batch_approve(batch=batch, approver=users["approver"]))
        bank_file = step(number, "export", lambda: services.batch_export(batch=batch, actor=users["finance"]))
        results = step(number, "bank answer", lambda bank_file=bank_file: bank_answer(bank_file))
        del bank_file
        summary = step(number, "post", lambda results=results: services.batch_result_import(
            batch=batch, results=results, actor=users["finance"]))
        del results
        assert summary.paid == batch.line_count, "every line of the batch is paid"
        batches.append(batch)
        print(f"batch {number}: {batch.line_count:,} lines, {batch.total_amount:,} won", flush=True)

    batches: list = []
    began = time.perf_counter()
    if args.ahead:
        # The preparing side: another process (its own connection and interpreter), one batch
        # after another until none is left; each batch's id is sent here once it is committed.
        context = multiprocessing.get_context("spawn")
        prepared = context.Queue()
        preparer = context.Process(target=prepare_all, args=(prepared, pay_date.isoformat(), args.split_claims,
                                                             args.profile))
        preparer.start()
        number = 0
        while True:
            message = prepared.get()
            if message[0] == "done":
                timings.extend(message[1])
                break
            if message[0] == "failed":
                raise SystemExit(f"preparing failed: {message[1]}")
            number += 1
            from baesang.cases.models import PaymentBatch

            pay(number, PaymentBatch.objects.get(pk=message[1]))
        preparer.join()
    else:
        while True:
            number = len(batches) + 1
            try:
                batch = step(number, "prepare", lambda: services.batch_prepare(
                    payment_date=pay_date, preparer=users["finance"], limit=args.split_claims))
            except EmptyBatch:
                timings.pop()
                break
            pay(number, batch)
    elapsed = time.perf_counter() - began

    by_step: dict[str, list[float]] = {}
    for name, *figures in timings:
        sums = by_step.setdefault(name, [0.0, 0.0, 0.0])
        for i, value in enumerate(figures):
            sums[i] += value
    lines = sum(b.line_count for b in batches)
    total, cpu_total, backend_total = (sum(t[i] for t in timings) for i in (1, 2, 3))
    print(f"{len(batches)} batches, {lines:,} lines, {sum(b.total_amount for b in batches):,} won; per step in all:")
    for name, (wall, cpu, backend) in by_step.items():
        print(f"  {name:<13} {wall:8.1f} s wall  {cpu:7.1f} s Python CPU  {backend:7.1f} s PostgreSQL CPU")
    print(f"steps summed {total:.1f} s wall ({total / 60:.1f} min; {cpu_total:.1f} s Python CPU, {backend_total:.1f} s "
          f"PostgreSQL CPU)" + ("; the preparations ran beside the rest" if args.ahead else ""))
    print(f"wall clock from the first preparation to the last posting: {elapsed:.1f} s ({elapsed / 60:.1f} min; "
          f"{lines / elapsed if elapsed else 0:,.0f} lines/s)")
    left = ClaimHolding.objects.filter(state=ClaimHolding.ACCEPTED, superseded_at__isnull=True).count()
    print(f"accepted holders left unpaid: {left:,}; paid lines in all: "
          f"{BatchLine.objects.filter(state=BatchLine.PAID).count():,}")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
          + (f"; of the preparing process: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MiB"
             if args.ahead else ""))
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, Python {platform.python_version()}, {server}", flush=True)
    if not args.no_checks:
        started = time.perf_counter()
        checks = world_checks()
        print(f"checks ({time.perf_counter() - started:.1f} s): " + ", ".join(
            f"{k}: {'OK' if v is True else ('FAILED' if v is False else v)}" for k, v in checks.items()
            if k not in ("fund report",)))
        assert left == 0, "every accepted holder is paid"
        assert all(v for k, v in checks.items() if isinstance(v, bool)), "the world's checks hold"


if __name__ == "__main__":
    main()
