"""Benchmark of the staff pages' totals (dashboard panels, fund report, waiting totals) on an
existing database, e.g. `baesang demo scale --claims 100000`:

    DATABASE_URL=postgres://… .venv/bin/python bench/figures.py [--as-of YYYY-MM-DD] [--reads 20]
                                                                [--skip-uncached]

Prints, for the day: the uncached computation of the fund report and of the dashboard's three
heavy panels (fund, waiting, limitation), the refresh (`baesang report refresh`'s work), and
the cached reads (p50/p95 over ``--reads`` reads, the state version read each time). The number
of interest-engine runs of one pass is printed beside the number of claims.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from baesang.cases import selectors  # noqa: E402
from baesang.judgments import orders  # noqa: E402
from baesang.judgments.models import Claim  # noqa: E402
from baesang.web import dashboard  # noqa: E402


def timed(label: str, function) -> float:
    started = time.perf_counter()
    function()
    elapsed = time.perf_counter() - started
    print(f"{label:<46} {elapsed * 1000:>12,.1f} ms", flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--as-of")
    parser.add_argument("--reads", type=int, default=20)
    parser.add_argument("--skip-uncached", action="store_true")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of) if args.as_of else timezone.localdate()
    print(f"claims: {Claim.objects.count():,}; as of {as_of}")
    runs = []
    real = orders.OrderMemo.__init__

    def counting(self, *a, **k):
        real(self, *a, **k)
        runs.append(self)

    orders.OrderMemo.__init__ = counting
    if not args.skip_uncached:
        timed("fund report, uncached", lambda: selectors.fund_report(as_of=as_of, cached=False))
        print(f"  interest engine runs in that pass: {sum(m.runs for m in runs):,} "
              f"(distinct orders, per-day figures {sum(len(m._per_day) for m in runs):,})")
        timed("waiting totals, uncached", lambda: selectors.waiting_totals(as_of=as_of, cached=False))
        timed("limitation panel, uncached", lambda: selectors.limitation_watch(as_of=as_of, cached=False))
    timed("refresh (report refresh: all three)", lambda: selectors.figures_refresh(as_of=as_of))
    for label, function in (("fund report, cached", lambda: selectors.fund_report(as_of=as_of)),
                            ("dashboard fund+waiting+limitation, cached",
                             lambda: (dashboard._fund(None), dashboard._waiting(None), dashboard._limitation(None))),
                            ("state version alone", lambda: selectors.figures_key("fund", as_of))):
        times = []
        for _ in range(args.reads):
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        print(f"{label:<46} p50 {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms  ({args.reads} reads)")


if __name__ == "__main__":
    main()
