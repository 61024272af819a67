"""``baesang match persons``: fill the review queue of probable duplicate persons.

    baesang match persons --user officer [--threshold 0.5] [--backend duckdb|spark]
    baesang match register FILE --source government_register|japanese_roster|other --user officer
                                [--threshold 0.7] [--backend duckdb|spark]

The other modes (``match dedupe FILE``, ``match link LEFT RIGHT``) are the identity engine's
on files (``baesang.identity``); this command adds the run over the foundation's own persons
and calls one service, ``baesang.judgments.matching.persons_match``; ``match register`` keeps the
entries of an external register file (the engine's CSV format) as evidence, linked to persons
(``register_entries_link``). Only counts and person
numbers are printed: no name, no registration number.
"""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import CommandError, CommandParser

from baesang.core.commands import acting_user, channel_scope, operator_arguments
from baesang.core.errors import DomainError
from baesang.identity.management.commands.match import Command as FileMatchCommand
from baesang.identity.model import BACKENDS, DEFAULT_THRESHOLD
from baesang.identity.records import RecordError, read_records
from baesang.judgments.duplicates import ExternalRecord
from baesang.judgments.matching import REVIEW_THRESHOLD, persons_match, register_entries_link


class Command(FileMatchCommand):
    help = ("Find records that are one person: match persons (the review queue) | match dedupe FILE | "
            "match link LEFT RIGHT")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        modes = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        persons = modes.add_parser("persons", help="probable duplicates among the persons, into the review queue")
        operator_arguments(persons)
        persons.add_argument("--threshold", type=float, default=REVIEW_THRESHOLD,
                             help=f"lowest probability put in the queue (default {REVIEW_THRESHOLD})")
        persons.add_argument("--backend", choices=BACKENDS, default="duckdb", help="duckdb (default) or spark")
        register = modes.add_parser("register", help="keep an external register's entries, linked to persons")
        register.add_argument("file", help="CSV of person records (see docs/identity.md, File format)")
        register.add_argument("--source", required=True, choices=[c for c, _label in ExternalRecord.SOURCE_CHOICES])
        operator_arguments(register)
        register.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                              help=f"lowest probability of a link (default {DEFAULT_THRESHOLD})")
        register.add_argument("--backend", choices=BACKENDS, default="duckdb", help="duckdb (default) or spark")

    def handle(self, *args, **options) -> None:
        if options["mode"] == "register":
            return self._register(**options)
        if options["mode"] != "persons":
            return super().handle(*args, **options)

        def progress(message: str) -> None:
            print(f"[match] {message}", file=sys.stderr, flush=True)

        try:
            with channel_scope():
                run = persons_match(actor=acting_user(options.get("user"), action="match_persons"),
                                    threshold=options["threshold"], backend=options["backend"], progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(f"match run {run.pk}: {run.persons_count} person(s), {run.pairs_found} pair(s) at or "
                          f"above {run.threshold}, {run.pairs_new} new in the review queue, {run.pairs_skipped} "
                          f"already known")
        return None

    def _register(self, **options) -> None:
        try:
            actor = acting_user(options.get("user"), action="match_persons")
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        try:
            entries = read_records(options["file"])
        except RecordError as exc:
            raise CommandError(f"{options['file']}: {exc}", returncode=2) from exc
        try:
            with channel_scope():
                kept = register_entries_link(actor=actor, source=options["source"], entries=entries,
                                             threshold=options["threshold"], backend=options["backend"])
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        linked = sum(1 for record in kept if record.person_id)
        self.stdout.write(f"{len(kept)} entr(ies) of {options['source']} kept, {linked} linked to a person")
