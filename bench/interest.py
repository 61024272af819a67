"""Benchmark of the judgment-interest engine (baesang.calc.interest).

Generates judgment orders (one to three contiguous segments, rates the courts use,
principals from 10 to 200 million won, as-of dates that cut some segments and fall before
others) and measures, on one core:

- ``amount_due(..., sheet=False)``: principal, interest and total in whole won with the
  exact interest — the figure for bulk statements (the headline: judgments per second);
- ``exact_interest``: the exact Fraction alone;
- ``amount_due`` with the full calculation sheet, on a smaller sample;
- ``amount_due(..., payments=[3 payments], sheet=False)``: the amount due after three part
  payments applied under Civil Code Art. 479 (the events path), on the same smaller sample.

Only the computation is timed, in CPU seconds of this single-threaded process pinned to
one core (wall-clock figures are printed alongside); orders are generated in chunks
beforehand. The period
method is the default (``--method days`` for the total-days method).

    .venv/bin/python bench/interest.py            # 1,000,000 orders
    .venv/bin/python bench/interest.py --n 100000 # quicker
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from baesang.calc.interest import JudgmentOrder, Payment, Segment, amount_due, exact_interest  # noqa: E402

RATES = (Decimal("5"), Decimal("6"), Decimal("12"), Decimal("15"), Decimal("20"), Decimal("12.5"))
FIRST_DAY = date(2000, 1, 1).toordinal()
LAST_DAY = date(2024, 12, 31).toordinal()


def generate(count: int, rng: random.Random) -> list[tuple[JudgmentOrder, date]]:
    """``count`` valid orders with an as-of date on or after interest starts."""
    batch = []
    for _ in range(count):
        start = rng.randint(FIRST_DAY, LAST_DAY)
        first = start
        segments = []
        for number in range(rng.randint(1, 3), 0, -1):
            rate = rng.choice(RATES)
            if number == 1 and rng.random() < 0.8:
                segments.append(Segment(date.fromordinal(start), None, rate))
                break
            end = start + rng.randint(0, 2000)
            segments.append(Segment(date.fromordinal(start), date.fromordinal(end), rate))
            start = end + 1
        principal = rng.randint(10_000, 200_000) * 1000
        as_of = date.fromordinal(first + rng.randint(0, (start - first) + 4000))
        batch.append((JudgmentOrder(principal, tuple(segments)), as_of))
    return batch


def with_payments(batch: list[tuple[JudgmentOrder, date]], rng: random.Random) -> list:
    """Each order with three part payments between interest's start and the as-of date, each
    of 1-30 % of the principal (so together always less than what is due)."""
    paid = []
    for order, as_of in batch:
        first, last = order.segments[0].start.toordinal(), as_of.toordinal()
        days = sorted(rng.randint(first, last) for _ in range(3))
        payments = [Payment(date.fromordinal(day), order.principal * rng.randint(1, 30) // 100 or 1) for day in days]
        paid.append((order, as_of, payments))
    return paid


def measure(label: str, n: int, chunk: int, seed: int, run, prepare=None) -> float:
    """Orders per CPU-second of this (single-threaded, pinned) process; the wall-clock
    rate is printed too, it drops when other processes share the core."""
    rng = random.Random(seed)
    cpu = wall = 0.0
    done = 0
    checksum = 0
    while done < n:
        batch = generate(min(chunk, n - done), rng)
        if prepare is not None:
            batch = prepare(batch, rng)
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        checksum += run(batch)
        cpu += time.process_time() - cpu_started
        wall += time.perf_counter() - wall_started
        done += len(batch)
    rate = done / cpu
    print(f"{label:<36} {done:>9,} orders  cpu {cpu:6.2f} s  {rate:>9,.0f}/s  "
          f"(wall {wall:6.2f} s, {done / wall:>9,.0f}/s)  checksum {checksum}")
    return rate


def run_amount_due_figures(method: str):
    def run(batch) -> int:
        total = 0
        for order, as_of in batch:
            total += amount_due(order, as_of, method, "truncate", sheet=False).interest
        return total
    return run


def run_exact(method: str):
    def run(batch) -> int:
        total = 0
        for order, as_of in batch:
            total += exact_interest(order, as_of, method).denominator
        return total
    return run


def run_amount_due_sheet(method: str):
    def run(batch) -> int:
        total = 0
        for order, as_of in batch:
            total += len(amount_due(order, as_of, method, "truncate").lines)
        return total
    return run


def run_amount_due_payments(method: str):
    def run(batch) -> int:
        total = 0
        for order, as_of, payments in batch:
            total += amount_due(order, as_of, method, "truncate", sheet=False, payments=payments).total
        return total
    return run


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="orders to compute (default 1,000,000)")
    parser.add_argument("--sheet-n", type=int, default=None, help="orders for the full-sheet figure (default n/10)")
    parser.add_argument("--chunk", type=int, default=100_000, help="orders generated per chunk")
    parser.add_argument("--method", choices=("period", "days"), default="period")
    parser.add_argument("--seed", type=int, default=20181030)
    args = parser.parse_args(argv)
    sheet_n = args.sheet_n if args.sheet_n is not None else max(1, args.n // 10)

    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if cpus:
        os.sched_setaffinity(0, {cpus[0]})
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {cpu_model()}; "
          f"Python {platform.python_version()}; pinned to core {cpus[0] if cpus else '?'}")
    print(f"method: {args.method}; orders with 1-3 segments; seed {args.seed}")
    headline = measure("amount_due (figures, sheet=False)", args.n, args.chunk, args.seed,
                       run_amount_due_figures(args.method))
    measure("exact_interest (Fraction only)", args.n, args.chunk, args.seed, run_exact(args.method))
    measure("amount_due (with calculation sheet)", sheet_n, args.chunk, args.seed, run_amount_due_sheet(args.method))
    measure("amount_due (3 payments, sheet=False)", sheet_n, args.chunk, args.seed,
            run_amount_due_payments(args.method), with_payments)
    target = 100_000
    verdict = "met" if headline >= target else "NOT met"
    print(f"judgments per second (one core, CPU time): {headline:,.0f} (target {target:,}: {verdict})")


if __name__ == "__main__":
    main()
