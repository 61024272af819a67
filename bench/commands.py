"""Time and peak memory of every reading command on a large world (issue 13 §2, BENCHMARKS.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale17 BAESANG_FIELD_KEY=… \\
        .venv/bin/python bench/commands.py [--only NAME,NAME] [--out bench/results/commands.md]

Each command runs as its own `baesang` process under ``/usr/bin/time`` (wall clock, user and
system CPU, maximum resident set size), its output written to a file whose size is reported —
as staff run them on the foundation's database. The finance officer ``finance`` of the
`demo scale` world acts (an API token is made for this run, as `baesang api-token create` would);
``ledger checkpoint`` is the only command here that writes (a signed checkpoint row), and
``ledger verify --since-checkpoint`` follows it. The list says which commands stream (memory
that must not grow with the world) and which hold a whole report. The figures go to a Markdown
table (``--out``) and to the terminal.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAESANG = str(Path(sys.executable).parent / "baesang")

# (name, arguments, how its output is made)
COMMANDS: list[tuple[str, list[str], str]] = [
    ("ledger verify", ["ledger", "verify"], "streams the transfers"),
    ("ledger checkpoint", ["ledger", "checkpoint"], "verifies in full, then signs"),
    ("ledger verify --since-checkpoint", ["ledger", "verify", "--since-checkpoint"], "from the signature"),
    ("ledger balance", ["ledger", "balance"], "one aggregate per account"),
    ("ledger position", ["ledger", "position"], "one aggregate per fund"),
    ("ledger statement 1000 --json", ["ledger", "statement", "1000", "--json"], "every movement of the bank"),
    ("report fund --fresh", ["report", "fund", "--fresh"], "every waiting claim's figures"),
    ("report refresh", ["report", "refresh"], "computes and keeps the cached figures"),
    ("report fund", ["report", "fund"], "from the cache"),
    ("claims list --json", ["claims", "list", "--json"], "streamed, 2,000 claims at a time"),
    ("claims waiting --json", ["claims", "waiting", "--json"], "the waiting list"),
    ("forecast", ["forecast", "--months", "24"], "month by month"),
    ("donations export --format csv", ["donations", "export", "--format", "csv", "--output", "{tmp}/donations.csv"],
     "every donation"),
    ("pii access-log --csv", ["pii", "access-log", "--csv"], "every access row"),
]


def run(args: list[str], env: dict, out_dir: Path, name: str) -> dict:
    output = out_dir / (re.sub(r"[^a-z0-9]+", "-", name) + ".out")
    args = [a.replace("{tmp}", str(out_dir)) for a in args]
    started = time.perf_counter()
    with output.open("wb") as sink:
        done = subprocess.run(["/usr/bin/time", "-f", "TIME user=%U sys=%S peak_kb=%M", BAESANG, *args], env=env,
                              stdout=sink, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    figures = re.search(r"TIME user=([\d.]+) sys=([\d.]+) peak_kb=(\d+)", done.stderr)
    written_to = Path(args[args.index("--output") + 1]) if "--output" in args else output
    written = written_to.stat().st_size if written_to.exists() else 0
    return {"name": name, "rc": done.returncode, "wall": wall,
            "cpu": float(figures.group(1)) + float(figures.group(2)) if figures else float("nan"),
            "peak_mib": int(figures.group(3)) / 1024 if figures else float("nan"), "bytes": written,
            "error": "" if done.returncode == 0 else done.stderr.strip().splitlines()[-2:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated names of the commands to run")
    parser.add_argument("--out", default="", help="write the Markdown table to this file")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to the PostgreSQL database of a `demo scale` world")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from baesang.staff.tokens import api_token_bootstrap

    finance = get_user_model().objects.get(username="finance")
    env = {**os.environ, "BAESANG_CLI_TOKEN": api_token_bootstrap(user=finance, name=f"bench-{time.time_ns()}")[1]}
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM judgments_claim), (SELECT count(*) FROM judgments_person), "
                       "(SELECT seq FROM ledger_ledgerhead WHERE id = 1), version()")
        claims, persons, transfers, server = cursor.fetchone()
    connection.close()
    chosen = [c for c in COMMANDS if not args.only or c[0] in args.only.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_commands_") as tmp:
        for name, command, how in chosen:
            result = run(command, env, Path(tmp), name)
            result["how"] = how
            rows.append(result)
            print(f"{name:<36} {result['wall']:8.1f} s wall {result['cpu']:8.1f} s CPU  peak "
                  f"{result['peak_mib']:7,.0f} MiB  output {result['bytes'] / 1e6:9.1f} MB"
                  + (f"  FAILED {result['rc']}: {result['error']}" if result["rc"] else ""), flush=True)
    table = [f"World: {claims:,} claims, {persons:,} persons, {transfers or 0:,} ledger transfers. Machine: "
             f"{platform.machine()}, {os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.1f}, Python "
             f"{platform.python_version()}, {server.split(' on ')[0]}.", "",
             "| command | what it holds | wall | CPU (command) | peak memory | output |", "|---|---|---|---|---|---|"]
    for r in rows:
        status = "" if r["rc"] == 0 else f" **exit {r['rc']}**"
        table.append(f"| `baesang {r['name']}` | {r['how']} | {r['wall']:,.1f} s{status} | {r['cpu']:,.1f} s | "
                     f"{r['peak_mib']:,.0f} MiB | {r['bytes'] / 1e6:,.1f} MB |")
    text = "\n".join(table) + "\n"
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
