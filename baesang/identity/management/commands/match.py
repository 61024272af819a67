"""``baesang match dedupe|link``: pairs of person records that are probably one person.

Validates the input files and calls ``baesang.identity.model``; no logic of its own.
Exit status 2 on bad input (the row and field are named), and then no output file.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baesang.identity.model import (
    BACKENDS,
    COMPARISON_NAMES,
    DEFAULT_THRESHOLD,
    MatchError,
    dedupe_records,
    link_records,
)
from baesang.identity.records import RecordError, read_records

OUTPUT_HEADER = ["left_id", "right_id", "probability", "match_weight", "weight_prior"] + [
    f"weight_{name}" for name in COMPARISON_NAMES
]


class Command(BaseCommand):
    help = "Find records that are one person: match dedupe FILE | match link LEFT RIGHT (--out PAIRS.csv)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="mode", required=True)
        dedupe = sub.add_parser("dedupe", help="pairs of records in FILE that are one person")
        dedupe.add_argument("file")
        link = sub.add_parser("link", help="pairs of a LEFT and a RIGHT record that are one person")
        link.add_argument("left")
        link.add_argument("right")
        for p in (dedupe, link):
            p.add_argument("--out", required=True, help="output CSV of pairs")
            p.add_argument(
                "--threshold", type=float, default=DEFAULT_THRESHOLD,
                help=f"lowest match probability written (default {DEFAULT_THRESHOLD})",
            )
            p.add_argument("--backend", choices=BACKENDS, default="duckdb", help="duckdb (default) or spark")

    def handle(self, *args, **options) -> None:
        threshold = options["threshold"]
        if not 0.0 <= threshold <= 1.0:
            self._fail("--threshold must be between 0 and 1")

        def progress(message: str) -> None:
            print(f"[match] {message}", file=sys.stderr, flush=True)

        try:
            if options["mode"] == "dedupe":
                records = read_records(options["file"])
                progress(f"{len(records)} records read from {options['file']}")
                pairs = dedupe_records(records, backend=options["backend"], threshold=threshold, progress=progress)
            else:
                left = read_records(options["left"])
                right = read_records(options["right"])
                progress(f"{len(left)} left and {len(right)} right records read")
                pairs = link_records(left, right, backend=options["backend"], threshold=threshold, progress=progress)
        except RecordError as exc:
            source = options.get("file") or ""
            self._fail(f"{source or 'input'}: {exc}" if source else str(exc))
        except MatchError as exc:
            self._fail(str(exc))
        out = Path(options["out"])
        handle, temporary = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(OUTPUT_HEADER)
            for pair in pairs:
                writer.writerow(
                    [pair.left_id, pair.right_id, f"{pair.probability:.6f}", f"{pair.match_weight:.4f}",
                     f"{pair.weights['prior']:.4f}"] + [f"{pair.weights[name]:.4f}" for name in COMPARISON_NAMES]
                )
        os.replace(temporary, out)
        progress(f"{len(pairs)} pairs written to {out}")

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=2)
