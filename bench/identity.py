"""Identity resolution: quality (precision, recall, F1) and speed of ``match link`` / ``dedupe``.

Synthetic records with known truth (baesang.identity.synthetic), never real data.

    .venv/bin/python bench/identity.py quality            # link 3,200 × 2,000; dedupe 3,400
    .venv/bin/python bench/identity.py link 226000 175000 # DuckDB link time and peak memory
    .venv/bin/python bench/identity.py dedupe 1000000     # DuckDB dedupe time and peak memory
    SPARK_MASTER=local[2] .venv/bin/python bench/identity.py link 226000 175000 --backend spark

Each figure is printed with the machine's load average, since the cores may be shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

from baesang.identity import quality, synthetic
from baesang.identity.model import DEFAULT_THRESHOLD, dedupe_records, link_records

THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _progress(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_quality(backend: str) -> None:
    left, right = synthetic.link_set(3200, 2000, seed=2)
    pairs = link_records(left.records, right.records, backend=backend, threshold=min(THRESHOLDS))
    truth = synthetic.true_pairs(left, right)
    print(f"link 3200 x 2000 ({len(truth)} true pairs), backend {backend}")
    for threshold in THRESHOLDS:
        s = quality.score([(p.left_id, p.right_id) for p in pairs if p.probability >= threshold], truth)
        mark = " (default)" if threshold == DEFAULT_THRESHOLD else ""
        print(f"  threshold {threshold:.2f}{mark}: precision {s.precision:.4f} recall {s.recall:.4f} F1 {s.f1:.4f}")
    records = synthetic.dedupe_set(3400, seed=1)
    truth = synthetic.true_pairs(records)
    print(f"dedupe 3400 ({len(truth)} true pairs after closure), backend {backend}")
    for threshold in THRESHOLDS:  # a run per threshold: the clustering that keeps pairs depends on it
        pairs = dedupe_records(records.records, backend=backend, threshold=threshold)
        found = quality.closure_pairs((p.left_id, p.right_id) for p in pairs)
        s = quality.score(found, truth)
        mark = " (default)" if threshold == DEFAULT_THRESHOLD else ""
        print(f"  threshold {threshold:.2f}{mark}: precision {s.precision:.4f} recall {s.recall:.4f} F1 {s.f1:.4f}")


def bench_link(left_count: int, right_count: int, backend: str) -> None:
    started = time.perf_counter()
    left, right = synthetic.link_set(left_count, right_count, seed=3)
    generated = time.perf_counter()
    print(f"generated {left_count} + {right_count} records in {generated - started:.1f} s (load {_load()})")
    pairs = link_records(left.records, right.records, backend=backend, progress=_progress)
    done = time.perf_counter()
    print(f"link {left_count} x {right_count} on {backend}: {done - generated:.1f} s, {len(pairs)} pairs, "
          f"peak memory {_peak_mib():.0f} MiB (load {_load()})")


def bench_dedupe(count: int, backend: str) -> None:
    started = time.perf_counter()
    records = synthetic.dedupe_set(count, seed=4)
    generated = time.perf_counter()
    print(f"generated {count} records in {generated - started:.1f} s (load {_load()})")
    pairs = dedupe_records(records.records, backend=backend, progress=_progress)
    done = time.perf_counter()
    print(f"dedupe {count} on {backend}: {done - generated:.1f} s, {len(pairs)} pairs, "
          f"peak memory {_peak_mib():.0f} MiB (load {_load()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["quality", "link", "dedupe"])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--backend", default="duckdb", choices=["duckdb", "spark"])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    if args.what == "quality":
        bench_quality(args.backend)
    elif args.what == "link":
        left_count, right_count = (args.sizes + [226000, 175000][len(args.sizes):])[:2]
        bench_link(left_count, right_count, args.backend)
    else:
        bench_dedupe((args.sizes or [1000000])[0], args.backend)


if __name__ == "__main__":
    main()
