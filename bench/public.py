"""Benchmark of the public page and the open-data files on an existing database (e.g. the one
bench/donations_import.py leaves: a million donations, a million ledger transfers).

- The open-data files (transfers.json, transfers.csv and the page's figures) made at two
  ledger sizes (the first N transfers and all of them): time and the peak of memory allocated
  by Python while making them (tracemalloc) — flat if the files are streamed.
- ``/public/``: the first request after the ledger moved (makes the files and the figures),
  then 200 requests (p50/p95/p99), and 200 conditional requests answered 304.

    .venv/bin/python bench/public.py --db URL [--sizes 20000,100000] [--pages]

The database is only read (the files go to a temporary directory).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--db", required=True)
parser.add_argument("--sizes", default="20000,100000",
                    help="ledger sizes (first N transfers) at which the files are made under tracemalloc")
parser.add_argument("--pages", action="store_true",
                    help="also make the files of the whole ledger (untraced) and time /public/")
ARGS = parser.parse_args()
os.environ["DATABASE_URL"] = ARGS.db
os.environ.setdefault("BAESANG_VAR_DIR", tempfile.mkdtemp(prefix="bench-public-"))  # keep the field key of a world
os.environ["BAESANG_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from baesang.ledger.models import Transfer  # noqa: E402
from baesang.public import published, selectors  # noqa: E402


def made(head: tuple[int, str], *, traced: bool = True) -> None:
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    files = published.published(as_of=date.today(), head=head)
    took = time.perf_counter() - started
    peak = f"Python peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB" if traced else "untraced"
    tracemalloc.stop()
    size = files.json_path.stat().st_size / 1e6
    print(f"open data at {head[0]:>9,} transfers: {took:7.1f} s, {peak}, "
          f"transfers.json {size:,.0f} MB, transfers.csv {files.csv_path.stat().st_size / 1e6:,.0f} MB")


def timed(client: Client, url: str, count: int, **headers) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 304)
    return times


def spread(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    print(f"{label}: p50 {statistics.median(ordered):6.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1]:6.1f} ms, "
          f"p99 {ordered[int(len(ordered) * 0.99) - 1]:6.1f} ms ({len(ordered)} requests)")


def main() -> None:
    head = published.ledger_head()
    print(f"ledger: {head[0]:,} transfers; database {django.db.connection.vendor}; {os.cpu_count()} cores")
    for size in [int(n) for n in ARGS.sizes.split(",") if n]:
        first = Transfer.objects.filter(seq=min(size, head[0])).values_list("seq", "hash").first()
        if first:
            made((first[0], first[1]))
    if not ARGS.pages:
        return
    made(head, traced=False)
    selectors.cache_clear()
    client = Client()
    cold = timed(client, "/public/", 1)[0]
    print(f"/public/ first request (figures computed, files made before): {cold:,.0f} ms")
    spread("/public/ warm", timed(client, "/public/", 200))
    etag = client.get("/public/").headers["ETag"]
    spread("/public/ If-None-Match (304)", timed(client, "/public/", 200, **{"If-None-Match": etag}))
    spread("/public/data/transfers.csv If-None-Match (304)",
           timed(client, "/public/data/transfers.csv", 50,
                 **{"If-None-Match": client.get("/public/data/transfers.csv").headers["ETag"]}))


if __name__ == "__main__":
    main()
