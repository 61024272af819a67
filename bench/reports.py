"""Benchmark of the report commands on an existing database (e.g. a world of
`baesang demo scale --claims N`): each command runs as its own process, its output discarded;
printed are its wall-clock time and its peak resident memory (``ru_maxrss`` of that process,
from ``os.wait4``), so a command that grows with the number of claims shows it.

    DATABASE_URL=postgres://… .venv/bin/python bench/reports.py

Commands: ``report fund``, ``claims list --json`` (streamed), ``claims waiting --json`` (the
waiting list with the interest each claim costs per day of delay), ``forecast --json``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAESANG = str(Path(sys.executable).parent / "baesang")
COMMANDS = [
    ["report", "fund", "--json"],
    ["claims", "list", "--json"],
    ["claims", "waiting", "--json"],
    ["forecast", "--json"],
]


def run(arguments: list[str]) -> tuple[float, float, int, int]:
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen([BAESANG, *arguments], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        size = 0
        while block := process.stdout.read(1 << 16):
            size += len(block)
            sink.write(block)
        _pid, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), size


def main() -> None:
    print(f"database {os.environ.get('DATABASE_URL', 'default SQLite').split('@')[-1]}; {os.cpu_count()} cores")
    for arguments in COMMANDS:
        took, peak, code, size = run(arguments)
        print(f"baesang {' '.join(arguments):<24} {took:8.1f} s  peak {peak:7,.0f} MiB  output {size / 1e6:8.1f} MB"
              f"  exit {code}", flush=True)


if __name__ == "__main__":
    main()
