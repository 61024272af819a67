"""Benchmark of a payment batch end to end on PostgreSQL: 100,000 claims with heirs.

Generates N claims (default 100,000) spread over 100 judgments; a share of the victims
(default 60 %) died and are represented by two to five heirs with statutory-looking shares,
the others hold their claim themselves — about 2.5 holders per claim, 250,000 in all. Every
holder has accepted with a consent record. Generation uses bulk inserts and is not timed.
The fund pays a batch of ``--lines`` lines (default 100,000: the first claims in waiting
order, earliest final judgment first, whose holders make up that many lines; ``--lines 0``
pays every holder). Then, timed, each step through the real services with every rule on:

- prepare — ``batch_prepare``: amount due to the day per claim with its calculation sheet,
  apportioned to the won among the holders, bulk-inserted lines;
- approve — ``batch_approve`` by another person: checks, one set-wise ledger journal of
  pending transfers (one per line), all or none;
- export — ``batch_export``: the bank transfer file (CSV, bank accounts decrypted), written to a
  temporary file a chunk of lines at a time; the resident memory before it and at most during it
  are printed (the peak is reset before the step, Linux ``/proc/self/clear_refs``);
- parse result — ``bank_results_parse`` of the bank's answer (every line paid);
- post — ``batch_result_import``: pending transfers posted set-wise, an indemnity claim and its
  ledger transfer per line, holdings and claims marked paid.

Afterwards ``ledger_verify`` recomputes the hash chain and every balance (timed separately) and
the script checks that each holder was paid once and the ledger agrees with the lines.

    .venv/bin/python bench/batch.py [--claims 100000] [--deceased 0.6] [--lines 100000] [--reuse] [--export-memory]
        [--split-claims N] [--profile PREFIX] [--db postgres://postgres@127.0.0.1:5432/bench_batch]

``--lines 0`` pays everyone; ``--split-claims N`` pays in successive batches of at most N claims
(figures summed per step); ``--profile PREFIX`` writes a cProfile of each step; the peak memory of
the process is printed at the end; ``--export-memory`` traces Python's allocations during the
export (tracemalloc) and prints their peak beside the file's size.

The database named by ``--db`` is dropped and created anew (with ``--reuse``, cloned from a
template database kept from the first run). Each step prints its wall-clock time and the CPU
seconds spent in Python and in the PostgreSQL backend. Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
import tracemalloc
from datetime import date
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAYMENT_DATE = date(2024, 9, 2)
SEGMENT_STARTS = [date(2013, 6, 19), date(2013, 7, 31), date(2015, 6, 25), date(2018, 12, 1), date(2020, 3, 2)]
HEIR_SHARES = {  # spouse 1.5 : each child 1 (Civil Code Art. 1009), or children alone
    2: [Fraction(3, 5), Fraction(2, 5)], 3: [Fraction(3, 7), Fraction(2, 7), Fraction(2, 7)],
    4: [Fraction(1, 3), Fraction(2, 9), Fraction(2, 9), Fraction(2, 9)],
    5: [Fraction(1, 5)] * 5,
}


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def configure(url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["BAESANG_DEBUG"] = "0"  # no query log
    os.environ.setdefault("BAESANG_VAR_DIR", str(var_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django

    django.setup()


def generate(n_claims: int, deceased: float, rng: random.Random) -> dict:
    """Bulk-insert judgments, persons, claims, holders, offers and consents (not timed)."""
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from baesang.cases.models import ClaimHolding, ConsentVerification, HolderChange, Offer
    from baesang.core import roles
    from baesang.judgments import services as judgments
    from baesang.judgments.models import Claim, ClaimSegment, Judgment, Person
    from baesang.ledger import accounts
    from baesang.ledger.services import TransferSpec, transfers_create

    roles.ensure_role_groups()
    users = {}
    for name, role in (("case", roles.CASE_OFFICER), ("finance", roles.FINANCE_OFFICER),
                       ("approver", roles.APPROVER)):
        users[name] = User.objects.create_user(name)
        users[name].groups.add(Group.objects.get(name=role))
    case = users["case"]
    with transaction.atomic():
        court = judgments.court_ensure(name="대법원", actor=case)
        debtors = [judgments.debtor_ensure(code=code, name=name, actor=case) for code, name in
                   (("NSC", "일본제철"), ("MHI", "미쓰비시중공업"), ("HZ", "히타치조선"), ("FJK", "후지코시"))]
        form = judgments.document_store(kind="consent_form", title="bench consent form", content=b"bench form",
                                        filename="form.pdf", actor=case)
        per_judgment = max(1, n_claims // 100)
        judgment_rows = Judgment.objects.bulk_create(
            Judgment(case_number=f"20{10 + i % 14}다{60000 + i}", court=court, debtor=debtors[i % 4],
                     decided_on=date(2018, 10, 30), final_on=date(2018, 10, 30 if i < 50 else 31),
                     plaintiffs_count=per_judgment) for i in range((n_claims + per_judgment - 1) // per_judgment))
        victims = Person.objects.bulk_create(
            (Person(name_hangul=f"피해자{i}", birth_date=date(1920 + i % 12, 1 + i % 12, 1 + i % 28),
                    death_date=date(2015, 1, 1) if rng.random() < deceased else None,
                    bank_name="은행", bank_account=f"{100 + i % 900}-{i:08d}", pseudonymous=True)
             for i in range(n_claims)), batch_size=5000)
        claims = Claim.objects.bulk_create(
            (Claim(judgment=judgment_rows[i // per_judgment], position=i % per_judgment + 1, victim=victims[i],
                   principal=rng.choice((80_000_000, 100_000_000, 120_000_000)), state=Claim.ACCEPTED)
             for i in range(n_claims)), batch_size=5000)
        ClaimSegment.objects.bulk_create(
            (ClaimSegment(claim=claim, position=1, start=rng.choice(SEGMENT_STARTS), end=None, rate=20)
             for claim in claims), batch_size=5000)
        changes = HolderChange.objects.bulk_create(
            (HolderChange(claim=claim, basis=HolderChange.DOCUMENT if victims[i].death_date else
                          HolderChange.PLAINTIFF, document=form if victims[i].death_date else None,
                          valid_from=date(2018, 10, 30), made_by=case)
             for i, claim in enumerate(claims)), batch_size=5000)
        heirs_wanted = []
        for i, victim in enumerate(victims):
            if victim.death_date:
                count = rng.randint(2, 5)
                heirs_wanted.extend((i, k, share) for k, share in enumerate(HEIR_SHARES[count]))
        heirs = Person.objects.bulk_create(
            (Person(name_hangul=f"상속인{i}-{k}", bank_name="은행", bank_account=f"{200 + k}-{i:08d}",
                    pseudonymous=True) for i, k, _ in heirs_wanted), batch_size=5000)
        holdings = []
        for i, victim in enumerate(victims):
            if not victim.death_date:
                holdings.append(ClaimHolding(claim=claims[i], holder=victim, share_numerator=1, share_denominator=1,
                                             change=changes[i], state=ClaimHolding.ACCEPTED,
                                             valid_from=date(2018, 10, 30)))
        for (i, _, share), heir in zip(heirs_wanted, heirs, strict=True):
            holdings.append(ClaimHolding(claim=claims[i], holder=heir, share_numerator=share.numerator,
                                         share_denominator=share.denominator, change=changes[i],
                                         state=ClaimHolding.ACCEPTED, valid_from=date(2018, 10, 30)))
        holdings = ClaimHolding.objects.bulk_create(holdings, batch_size=5000)
        offers = Offer.objects.bulk_create(
            (Offer(holding=h, offered_on=date(2024, 8, 1), amount_quoted=1, state=Offer.ACCEPTED,
                   answered_on=date(2024, 8, 5), made_by=case) for h in holdings), batch_size=5000)
        ConsentVerification.objects.bulk_create(
            (ConsentVerification(offer=o, holding=o.holding, verified_on=date(2024, 8, 5),
                                 identity_method="id_card_in_person", capacity="self", witness_name="직원",
                                 form_document=form, verified_by=case) for o in offers), batch_size=5000)
        accounts.chart_ensure()
        transfers_create(specs=[TransferSpec(id="bench-endowment", debit=accounts.BANK,
                                             credit=accounts.DONATIONS_RESTRICTED, amount=10**15,
                                             value_date=date(2024, 1, 2), description="bench endowment")],
                         user=users["finance"])
    return {"claims": len(claims), "holdings": len(holdings), "heirs": len(heirs)}


def claims_for_lines(holders_in_order: list[int], lines: int) -> int | None:
    """How many claims, in waiting order, make up at least ``lines`` payment lines (None: all)."""
    if not lines:
        return None
    total = 0
    for count, holders in enumerate(holders_in_order, 1):
        total += holders
        if total >= lines:
            return count
    return None


def database_exists(url: str, name: str) -> bool:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def clone_database(url: str, source: str, target: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def waiting_order_holders() -> tuple[int, int, list[int]]:
    """Claims, holders, and the number of holders of each claim in waiting order (from the database)."""
    from django.db.models import Count

    from baesang.judgments.models import Claim

    counts = list(Claim.objects.annotate(holders=Count("holdings")).order_by(
        "judgment__final_on", "judgment__case_number", "position").values_list("holders", flat=True))
    return len(counts), sum(counts), counts


def memory_mib(field: str) -> float:
    """A figure of this process's memory from /proc/self/status (VmRSS resident now, VmHWM the
    most resident since start or since :func:`peak_reset`), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_reset() -> None:
    """Start VmHWM again from the resident size now (Linux: ``5`` to /proc/self/clear_refs), so the
    peak of one step is read apart from the steps before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


class CpuClock:
    """CPU seconds of this process and of its PostgreSQL backend (both on this machine), so the
    figures can be read apart from the load other work puts on the shared cores."""

    def __init__(self, backend_pid: int) -> None:
        self.path = Path(f"/proc/{backend_pid}/stat")
        self.tick = os.sysconf("SC_CLK_TCK")

    def backend(self) -> float:
        try:
            fields = self.path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / self.tick

    def now(self) -> tuple[float, float, float]:
        return time.perf_counter(), time.process_time(), self.backend()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--deceased", type=float, default=0.6, help="share of victims represented by heirs")
    parser.add_argument("--lines", type=int, default=100_000, help="size of the batch (0: every holder)")
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/bench_batch")
    parser.add_argument("--seed", type=int, default=20230315)
    parser.add_argument("--split-claims", type=int, default=0,
                        help="pay in batches of at most this many claims each (0: one batch)")
    parser.add_argument("--profile", default="", help="write a cProfile of each step to PREFIX-<step>.prof")
    parser.add_argument("--export-memory", action="store_true",
                        help="trace Python's allocations during the export (tracemalloc; slows that step)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the generated data in a template database and clone it on the next run")
    args = parser.parse_args()
    if not args.db.startswith("postgres"):
        parser.error("the batch benchmark runs on PostgreSQL (--db postgres://…)")

    import tempfile

    # A fixed key for the generated personal data, so a reused template stays readable.
    os.environ.setdefault("BAESANG_FIELD_KEY", "bench-batch-field-key-not-for-real-data")
    var_dir = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    name = urlsplit(args.db).path.lstrip("/")
    template = f"{name}_tpl_{args.claims}_{round(args.deceased * 100)}_{args.seed}"
    reused = args.reuse and database_exists(args.db, template)
    started = time.perf_counter()
    if reused:
        clone_database(args.db, template, name)
    else:
        recreate_database(args.db)
    configure(args.db, var_dir)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    settings.MEDIA_ROOT = var_dir / "media"
    call_command("migrate", verbosity=0)

    from baesang.cases import services
    from baesang.cases.errors import EmptyBatch
    from baesang.cases.models import BatchClaim, BatchLine, ClaimHolding, IndemnityClaim
    from baesang.cases.selectors import paid_total
    from baesang.ledger import accounts
    from baesang.ledger.selectors import account_balance, ledger_verify

    if not reused:
        generate(args.claims, args.deceased, random.Random(args.seed))
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum keeps them on a live database
            cursor.execute("VACUUM ANALYZE")
        if args.reuse:
            connection.close()
            clone_database(args.db, name, template)
    claims_count, holders_count, holders_in_order = waiting_order_holders()
    print(f"{'cloned' if reused else 'generated'} {claims_count:,} claims with {holders_count:,} holders "
          f"in {time.perf_counter() - started:.1f} s (not timed)")
    users = {u.username: u for u in User.objects.filter(username__in=["finance", "approver"])}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        clock = CpuClock(cursor.fetchone()[0])
    timings: list[tuple[str, float, float, float]] = []

    def step(name, fn):
        wall, cpu, backend = clock.now()
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(fn)
            profiler.dump_stats(f"{args.profile}-{name.replace(' ', '_')}.prof")
        else:
            result = fn()
        wall2, cpu2, backend2 = clock.now()
        timings.append((name, wall2 - wall, cpu2 - cpu, backend2 - backend))
        print(f"  {name:<13} {wall2 - wall:7.2f} s wall  {cpu2 - cpu:6.2f} s Python CPU  "
              f"{backend2 - backend:6.2f} s PostgreSQL CPU", flush=True)
        return result

    limit = claims_for_lines(holders_in_order, args.lines)
    split = args.split_claims or limit
    batches = []
    done_claims = 0
    while True:
        size = split if limit is None else min(split or limit, limit - done_claims)
        if limit is not None and size <= 0:
            break
        try:
            batch = step("prepare", lambda size=size: services.batch_prepare(
                payment_date=PAYMENT_DATE, preparer=users["finance"], limit=size))
        except EmptyBatch:
            break
        step("approve", lambda batch=batch: services.batch_approve(batch=batch, approver=users["approver"]))
        before = memory_mib("VmRSS")
        peak_reset()
        if args.export_memory:
            tracemalloc.start()
        bank_file = step("export", lambda batch=batch: services.batch_export(batch=batch, actor=users["finance"]))
        peak = memory_mib("VmHWM")
        size = bank_file.file.seek(0, os.SEEK_END) / 2**20
        print(f"  export memory {before:7.1f} MiB resident before, {peak:7.1f} MiB at most while writing "
              f"{bank_file.lines:,} lines, {size:.1f} MiB (+{peak - before:.1f} MiB)", flush=True)
        if args.export_memory:
            allocated = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(f"  export memory {allocated:7.1f} MiB allocated by Python at most while writing (tracemalloc)",
                  flush=True)
        with bank_file.file:  # the bank's answer, from the file written, a line at a time
            lines = bank_file.text_lines()
            next(lines)  # header
            result_csv = "line,amount,status,bank_reference,reason\n" + "".join(
                f"{row.split(',')[0]},{row.rstrip().split(',')[-1]},paid,B{row.split(',')[0]},\n" for row in lines)
        del bank_file
        results = step("parse result", lambda result_csv=result_csv: services.bank_results_parse(result_csv))
        del result_csv
        summary = step("post", lambda batch=batch, results=results: services.batch_result_import(
            batch=batch, results=results, actor=users["finance"]))
        del results
        assert summary.paid == batch.line_count, "every holder of the batch is paid"
        batches.append(batch)
        done_claims += BatchClaim.objects.filter(batch=batch).count()
        if split is None:
            break
    by_step: dict[str, list[float]] = {}
    for name, *figures in timings:
        sums = by_step.setdefault(name, [0.0, 0.0, 0.0])
        for i, value in enumerate(figures):
            sums[i] += value
    if len(batches) > 1:
        print(f"{len(batches)} batches, per step in all:")
        for name, (wall, cpu, backend) in by_step.items():
            print(f"  {name:<13} {wall:7.2f} s wall  {cpu:6.2f} s Python CPU  {backend:6.2f} s PostgreSQL CPU")
    total, cpu_total, backend_total = (sum(t[i] for t in timings) for i in (1, 2, 3))
    begin = time.perf_counter()
    verified = ledger_verify()
    verify_seconds = time.perf_counter() - begin

    lines = BatchLine.objects.filter(batch__in=batches)
    line_count = sum(b.line_count for b in batches)
    total_amount = sum(b.total_amount for b in batches)
    expected = sum(holders_in_order[:limit]) if limit else holders_count
    assert line_count == lines.count() == expected, "every holder is paid"
    assert lines.filter(state=BatchLine.PAID).count() == expected
    assert IndemnityClaim.objects.count() == expected
    assert ClaimHolding.objects.filter(state=ClaimHolding.PAID).count() == expected
    assert account_balance(code=accounts.JUDGMENT_PAYMENTS_EXPENSE).balance == paid_total() == total_amount
    assert verified.ok, verified.reason
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    print(f"{len(batches)} batch(es): {line_count:,} lines for {limit or claims_count:,} of the "
          f"{claims_count:,} claims, {total_amount:,} won")
    print(f"total {total:.2f} s wall ({cpu_total:.2f} s Python CPU, {backend_total:.2f} s PostgreSQL CPU) for "
          f"prepare + approve + export + parse + post; {line_count / total:,.0f} lines/s end to end")
    print(f"ledger_verify: {verified.transfers:,} transfers in {verify_seconds:.2f} s (not in the total)")
    import resource

    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, Python {platform.python_version()}, {server}")


if __name__ == "__main__":
    main()
