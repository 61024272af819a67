"""Run the staff pages' load test against a database and summarise it (issue 13 §2, BENCHMARKS.md).

    .venv/bin/python bench/load/run.py --db postgres://postgres@127.0.0.1:5432/serving \\
        [--workers 5] [--threads 2] [--users 20] [--spawn-rate 4] [--run-time 5m] [--out bench/load/results/NAME]

Steps: (1) in the database, make sure there are ``--users`` auditors ``load-01`` … with the password
``--password`` (auditors read every page measured and need no second factor; created directly, as
the other benchmarks create their users); (2) sample what the pages show (bench/load/pages.py:
claims, the judgment nearest 300 plaintiffs, names in Hangul, Hanja and romanized, the audit
log's busiest day) into ``OUT/targets.json``; (3) start ``baesang serve --workers N`` on a free
port (BAESANG_DEBUG=0, as deployed); (4) run locust headless (bench/load/locustfile.py) for
``--run-time`` with ``--users`` users, each pausing 1–3 s between pages; (5) stop the server and
write ``OUT/summary.md``: requests, errors, p50/p95/p99 per page, and whether each page meets the
target (p95 < 100 ms, p99 < 250 ms). Locust's percentiles are rounded (to 10 ms above 100 ms).

The server and locust run on this machine: they share its cores. The personal data of the
database is read with the field key of the environment (BAESANG_FIELD_KEY or BAESANG_VAR_DIR's
key): pass the one the database was written with.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
BIN = Path(sys.executable).parent
P95_TARGET_MS = 100
P99_TARGET_MS = 250
#: The public page's target (issue 13 §2): p95 under 50 ms.
PUBLIC_P95_TARGET_MS = 50


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(db: str, users: int, password: str, out: Path) -> tuple[list[str], dict]:
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from pages import discover

    from baesang.core import roles

    roles.ensure_role_groups()
    auditors = Group.objects.get(name=roles.AUDITOR)
    names = [f"load-{n:02d}" for n in range(1, users + 1)]
    for name in names:
        user = User.objects.filter(username=name).first() or User(username=name)
        user.set_password(password)
        user.is_active = True
        user.save()
        user.groups.set([auditors])
    started = time.perf_counter()
    targets = discover()
    targets["discovered_in_s"] = round(time.perf_counter() - started, 1)
    (out / "targets.json").write_text(json.dumps(targets, ensure_ascii=False, indent=1), encoding="utf-8")
    from django.db import connection

    from baesang.cases.models import ClaimHolding
    from baesang.core.models import AuditEvent
    from baesang.judgments.models import Claim, Person
    from baesang.ledger.models import Transfer

    counts = {label: model.objects.count() for label, model in (
        ("claims", Claim), ("persons", Person), ("holdings", ClaimHolding), ("audit events", AuditEvent),
        ("transfers", Transfer))}
    connection.close()
    return names, {"counts": counts, **targets}


def wait_until_up(base: str, server: subprocess.Popen, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=10):
                return
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped (exit {server.returncode})") from None
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer within {seconds} s") from None
            time.sleep(0.5)


def summarise(out: Path, world: dict, args, elapsed: float) -> str:
    from pages import PAGES, PUBLIC_PAGE

    rows = {row["Name"]: row for row in csv.DictReader((out / "locust_stats.csv").open(encoding="utf-8"))}
    lines = [
        f"load test {datetime.now(UTC).isoformat(timespec='minutes')} — {args.users} users, "
        f"{args.run_time}, `baesang serve --workers {args.workers} --threads {args.threads}`, "
        f"{elapsed:.0f} s in all" + (f", pages tagged {args.exclude_tags} left out" if args.exclude_tags else "")
        + (f", users: {args.user_class}" if args.user_class != "StaffUser" else ""),
        f"database: {', '.join(f'{k} {v:,}' for k, v in world['counts'].items())}; judgment "
        f"{world['judgment_300']} has {world['judgment_300_plaintiffs']} plaintiffs; audit day "
        f"{world['audit_day']} ({world['audit_day_events']:,} events)",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | target"
        + (f" (p95 < {PUBLIC_P95_TARGET_MS})" if args.user_class == "PublicReader" else
           f" (p95 < {P95_TARGET_MS}, p99 < {P99_TARGET_MS})") + " |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    public = args.user_class == "PublicReader"
    for name in [PUBLIC_PAGE, "Aggregated"] if public else [*PAGES, "sign-in", "Aggregated"]:
        row = rows.get(name)
        if row is None:
            lines.append(f"| {name} | 0 | – | – | – | – | not run |")
            continue
        p50, p95, p99 = (int(float(row[k])) if row[k] not in ("", "N/A") else 0 for k in ("50%", "95%", "99%"))
        met = p95 < PUBLIC_P95_TARGET_MS if public else p95 < P95_TARGET_MS and p99 < P99_TARGET_MS
        verdict = "" if name in ("sign-in", "Aggregated") else ("met" if met else "**missed**")
        lines.append(f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count']):,} | {p50} | {p95} | "
                     f"{p99} | {verdict} |")
    failures = out / "locust_failures.csv"
    if failures.exists():
        found = list(csv.DictReader(failures.open(encoding="utf-8")))
        if found:
            lines += ["", "errors:"] + [f"- {f['Name']}: {f['Error']} ({f['Occurrences']}×)" for f in found]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="DATABASE_URL of the database to serve")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--run-time", default="5m")
    parser.add_argument("--password", default="load-test-password-13")
    parser.add_argument("--waiting-deep", default=None,
                        help="path of the waiting list's 10,000th page (default: what pages.py says)")
    parser.add_argument("--exclude-tags", default="", help="locust tags of pages left out (e.g. whole-list)")
    parser.add_argument("--user-class", default="StaffUser", choices=["StaffUser", "PublicReader"],
                        help="who the users are: signed-in staff (default) or anonymous readers of /public/")
    parser.add_argument("--out", default=None, help="folder of the results (default bench/load/results/<time>)")
    args = parser.parse_args()
    out = Path(args.out or ROOT / "bench" / "load" / "results" / datetime.now(UTC).strftime("%Y%m%dT%H%M"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    names, world = prepare(args.db, args.users, args.password, out)
    if args.waiting_deep:
        world["waiting_deep"] = args.waiting_deep
        (out / "targets.json").write_text(json.dumps({k: v for k, v in world.items() if k != "counts"},
                                                     ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"prepared {len(names)} users and the targets in {time.perf_counter() - started:.1f} s: {world['counts']}")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": args.db, "BAESANG_DEBUG": "0"}
    server = subprocess.Popen([str(BIN / "baesang"), "serve", "--workers", str(args.workers), "--threads",
                               str(args.threads), "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=(out / "server.log").open("w"), stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server)
        locust_env = {**env, "BAESANG_LOAD_TARGETS": str(out / "targets.json"),
                      "BAESANG_LOAD_USERS": ",".join(names), "BAESANG_LOAD_PASSWORD": args.password}
        done = subprocess.run([str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
                               "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
                               "--run-time", args.run_time, "--host", base, "--csv", str(out / "locust"),
                               "--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0",
                               "--reset-stats", args.user_class,
                               *(["--exclude-tags", args.exclude_tags] if args.exclude_tags else [])],
                              env=locust_env, capture_output=True, text=True)
        (out / "locust.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        if done.returncode != 0:
            raise SystemExit(f"locust failed (exit {done.returncode}); see {out / 'locust.log'}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    summary = summarise(out, world, args, time.perf_counter() - started)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    print(summary)


if __name__ == "__main__":
    main()
