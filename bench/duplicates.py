"""Benchmark of ``baesang match persons``: the review queue filled from N registered persons.

Generates N persons (default 20,000) with the identity engine's generator
(``baesang.identity.synthetic``: namesakes of one county born within two years, 12 % of
people), bulk-inserted without personal data, of whom a share (default 5 %) is registered a
second time by another officer with the romanized name typed into the name field. Then,
timed, ``persons_match`` through the real service (permission check, engine, queue writes),
and a second run (everything already known). Prints the wall-clock times, the pairs found,
and the planted duplicates found (recall of the queue at the review threshold).

    .venv/bin/python bench/duplicates.py [--persons 20000] [--twice 0.05]
        [--db postgres://postgres@127.0.0.1:5432/bench_dedup]

The database named by ``--db`` is dropped and created anew.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--twice", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/bench_dedup")
    args = parser.parse_args()

    recreate_database(args.db)
    os.environ["DATABASE_URL"] = args.db
    os.environ["BAESANG_DEBUG"] = "0"
    os.environ.setdefault("BAESANG_VAR_DIR", tempfile.mkdtemp(prefix="bench-dedup-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django  # noqa: PLC0415 - Django is configured from the arguments first

    django.setup()
    from django.contrib.auth.models import Group, User  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    from baesang.core import roles  # noqa: PLC0415
    from baesang.identity import synthetic  # noqa: PLC0415
    from baesang.judgments.duplicates import DuplicatePair  # noqa: PLC0415
    from baesang.judgments.matching import persons_match  # noqa: PLC0415
    from baesang.judgments.models import Person  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    roles.ensure_role_groups()
    officer = User.objects.create_user("bench-officer")
    officer.groups.add(Group.objects.get(name=roles.CASE_OFFICER))

    rng = random.Random(args.seed)
    people = synthetic._people(rng, args.persons)
    rows, twins = [], []
    for person in people:
        name = person.surname + person.given
        rows.append(Person(name_hangul=name, name_hanja=person.surname_hanja + person.given_hanja, sex=person.sex,
                           birth_date=person.birth))
        if rng.random() < args.twice:
            roman = synthetic._romanized_name(rng, person)
            rows.append(Person(name_hangul=roman, name_roman=roman, sex=person.sex, birth_date=person.birth))
            twins.append(len(rows) - 2)
    created = Person.objects.bulk_create(rows, batch_size=5000)
    planted = {(created[i].pk, created[i + 1].pk) for i in twins}
    print(f"{len(created)} persons ({len(planted)} registered twice), seed {args.seed}", flush=True)

    start = time.perf_counter()
    run = persons_match(actor=officer)
    first = time.perf_counter() - start
    found = set(DuplicatePair.objects.values_list("left_id", "right_id"))
    print(f"match persons: {first:.1f} s, {run.pairs_found} pairs at >= {run.threshold}, {run.pairs_new} queued; "
          f"planted duplicates found {len(planted & found)}/{len(planted)}", flush=True)
    start = time.perf_counter()
    again = persons_match(actor=officer)
    print(f"second run: {time.perf_counter() - start:.1f} s, {again.pairs_new} new, {again.pairs_skipped} known")
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
