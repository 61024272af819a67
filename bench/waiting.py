"""Benchmark of the whole waiting list and of the portal's place on it, on an existing PostgreSQL
database (the world bench/batch.py leaves: claims not paid by its batch wait).

For each policy: the whole list held (``claims_waiting``, as the exports used it) against the
list streamed by keyset (``claims_waiting_iter``, what they use now): wall-clock time, CPU
seconds in Python and in the PostgreSQL backend, and the most memory Python allocated meanwhile
(tracemalloc, which slows both alike); the rows of both are hashed and must agree. Then the
portal's ``waiting_places`` for a claim at the start, the middle and the end of the list (the
length counted once and cached: the first call shows the count, the others not).

    DATABASE_URL=postgres://… .venv/bin/python bench/waiting.py [--as-of DATE]

Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from batch import CpuClock  # noqa: E402  (bench/batch.py, beside this file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", help="the day (default today: the portal counts today's holders)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    os.environ["BAESANG_DEBUG"] = "0"  # no query log
    os.environ.setdefault("BAESANG_FIELD_KEY", "bench-batch-field-key-not-for-real-data")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from baesang.cases.selectors import POLICIES, claims_waiting, claims_waiting_iter
    from baesang.creditors.selectors import waiting_places

    as_of = date.fromisoformat(args.as_of) if args.as_of else timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        clock = CpuClock(cursor.fetchone()[0])

    def measured(name: str, rows_of) -> tuple[str, int]:
        tracemalloc.start()
        wall, cpu, backend = clock.now()
        digest, count = hashlib.sha256(), 0
        for row in rows_of():
            digest.update(repr(row).encode())
            count += 1
        wall2, cpu2, backend2 = clock.now()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"  {name:<30} {count:>9,} rows {wall2 - wall:8.2f} s wall {cpu2 - cpu:7.2f} s Python CPU "
              f"{backend2 - backend:6.2f} s PostgreSQL CPU  {peak:8.1f} MiB allocated at most", flush=True)
        return digest.hexdigest(), count

    for policy in POLICIES:
        print(f"policy {policy}, as of {as_of}:")
        whole = measured("claims_waiting (whole list)", lambda policy=policy: claims_waiting(
            as_of=as_of, policy=policy).claims)
        streamed = measured("claims_waiting_iter (streamed)", lambda policy=policy: claims_waiting_iter(
            as_of=as_of, policy=policy))
        assert whole == streamed, "the streamed list is the whole list"
        ids = [row.claim_id for row in claims_waiting_iter(as_of=as_of, policy=policy)]
        for where, claim_id in (("first", ids[0]), ("middle", ids[len(ids) // 2]), ("last", ids[-1])):
            begin = time.perf_counter()
            place = waiting_places(claim_ids={claim_id}, as_of=as_of, policy=policy)[claim_id]
            took = time.perf_counter() - begin
            assert place[0] == ids.index(claim_id) + 1
            print(f"  waiting_places, {where:<6} claim: rank {place[0]:>7,} of {place[1]:,} in {took * 1000:7.1f} ms",
                  flush=True)
    version = connection.pg_version
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"Python {platform.python_version()}, PostgreSQL {version // 10000}.{version % 100}")

if __name__ == "__main__":
    main()
