"""``baesang match persons``: fill the review queue of probable duplicate persons.

    baesang match persons --user officer [--threshold 0.5] [--backend duckdb|spark]

The other modes (``match dedupe FILE``, ``match link LEFT RIGHT``) are the identity engine's
on files (``baesang.identity``); this command adds the run over the foundation's own persons
and calls one service, ``baesang.judgments.matching.persons_match``. Only counts and person
numbers are printed: no name, no registration number.
"""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import CommandError, CommandParser

from baesang.core.commands import acting_user
from baesang.core.errors import DomainError
from baesang.identity.management.commands.match import Command as FileMatchCommand
from baesang.identity.model import BACKENDS
from baesang.judgments.matching import REVIEW_THRESHOLD, persons_match


class Command(FileMatchCommand):
    help = ("Find records that are one person: match persons (the review queue) | match dedupe FILE | "
            "match link LEFT RIGHT")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        modes = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        persons = modes.add_parser("persons", help="probable duplicates among the persons, into the review queue")
        persons.add_argument("--user", required=True, help="the acting case officer")
        persons.add_argument("--threshold", type=float, default=REVIEW_THRESHOLD,
                             help=f"lowest probability put in the queue (default {REVIEW_THRESHOLD})")
        persons.add_argument("--backend", choices=BACKENDS, default="duckdb", help="duckdb (default) or spark")

    def handle(self, *args, **options) -> None:
        if options["mode"] != "persons":
            return super().handle(*args, **options)

        def progress(message: str) -> None:
            print(f"[match] {message}", file=sys.stderr, flush=True)

        try:
            run = persons_match(actor=acting_user(options["user"]), threshold=options["threshold"],
                                backend=options["backend"], progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(f"match run {run.pk}: {run.persons_count} person(s), {run.pairs_found} pair(s) at or "
                          f"above {run.threshold}, {run.pairs_new} new in the review queue, {run.pairs_skipped} "
                          f"already known")
        return None
