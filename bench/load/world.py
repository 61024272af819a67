"""A quick world for the load test when no scale world is at hand: bench/batch.py's generated
claims (N claims over 100 judgments of N/100 plaintiffs each — 30,000 claims give judgments of
300 plaintiffs — 60 % of the victims represented by two to five heirs, every holder accepted,
about 2.5 holders per claim) plus ``--audit-events`` audit rows spread over two years, so that
the audit log filtered by one day has a day's worth to find among many.

    .venv/bin/python bench/load/world.py --db postgres://postgres@127.0.0.1:5432/serving_bench \\
        [--claims 100000] [--audit-events 500000]

The database is dropped and created anew. The names are the generator's ("피해자17",
"상속인17-2"): no Hanja or romanized names (the load test then searches common names that find
nobody). The scale world of `baesang demo scale` is the realistic one (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

ACTIONS = ["claim.register", "person.create", "offer.make", "consent.verify", "donation.record",
           "holding.change", "document.store", "batch.prepare"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/serving_bench")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--audit-events", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    os.environ.setdefault("BAESANG_FIELD_KEY", "bench-load-field-key-not-for-real-data-13")
    os.environ.setdefault("BAESANG_VAR_DIR", tempfile.mkdtemp(prefix="bench_load_"))
    import batch

    started = time.perf_counter()
    batch.recreate_database(args.db)
    batch.configure(args.db, Path(os.environ["BAESANG_VAR_DIR"]))
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from baesang.core.models import AuditEvent

    call_command("migrate", verbosity=0)
    made = batch.generate(args.claims, 0.6, random.Random(args.seed))
    print(f"generated {made} in {time.perf_counter() - started:.0f} s")
    actor = User.objects.get(username="case")
    start = datetime(2023, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=730).total_seconds())
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:  # set-wise, spread over two years (the log takes inserts only)
        cursor.execute("SELECT setseed(%s)", [args.seed / 1000])
        cursor.execute(
            f"INSERT INTO {table} (at, actor_id, actor_label, action, entity_type, entity_id, old, new, note, "
            "channel, credential) "
            "SELECT %s + (random() * %s) * interval '1 second', %s, 'case', (%s::text[])[1 + n %% %s], 'claim', "
            "(1 + (random() * %s)::int)::text, NULL, jsonb_build_object('bench', n), '', 'web', '' "
            "FROM generate_series(1, %s) AS n",
            [start, span, actor.pk, ACTIONS, len(ACTIONS), args.claims - 1, args.audit_events])
        cursor.execute("VACUUM ANALYZE")
    print(f"world ready in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
