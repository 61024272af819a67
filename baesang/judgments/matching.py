"""Finding probable duplicates among the foundation's own persons (``baesang match persons``).

Each person becomes an identity-engine record (``baesang.identity``: Splink's Fellegi–Sunter
model): the Hangul name, with the Hanja or romanized name as its reading, the birth date and
the sex. Resident registration numbers are compared only through the blind index kept on
the person (``Person.rrn_index``, a keyed HMAC): the numbers themselves are never read,
decrypted or written anywhere by a run. Two persons whose blind indexes both exist and differ
hold two different numbers and so are two persons (one number per person, Resident
Registration Act Art. 7-2); such a pair is not proposed. Two equal indexes cannot exist (the
index is unique).

Pairs at or above the review threshold go into the review queue (``DuplicatePair``) with the
match weight of each field; a pair already in the queue or already decided — "different" is
remembered — is skipped. Persons merged into another are not matched again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from baesang.core.errors import DomainError, InputError
from baesang.core.permissions import Actor, permission_require
from baesang.core.services import audit_record
from baesang.identity.model import BACKENDS, DEFAULT_THRESHOLD, MatchError, Pair, dedupe_records, link_records
from baesang.identity.records import PersonRecord, RecordError
from baesang.judgments.duplicates import DuplicatePair, ExternalRecord, MatchRun, PersonMerge
from baesang.judgments.models import Person

#: Lowest probability put in the review queue: lower than the engine's 0.7, since a person
#: decides each pair (docs/identity.md, "Threshold").
REVIEW_THRESHOLD = 0.5
#: The explanation's key for the blind-index comparison.
RRN_FIELD = "rrn_index"


class DuplicateError(DomainError):
    code = "duplicate_error"


class MatchFailed(DuplicateError, InputError):
    """The run cannot start: an unknown backend, a threshold outside 0..1, an unknown source
    or a register file the engine cannot read."""

    code = "match_failed"


def person_record(row: dict) -> PersonRecord:
    """The identity-engine record of one person (a ``values()`` row; never the RRN itself)."""
    reading = row["name_hanja"] or row["name_roman"]
    if reading == row["name_hangul"]:
        reading = ""
    return PersonRecord(
        id=str(row["id"]),
        name=row["name_hangul"],
        name_reading=reading,
        birth_date=row["birth_date"].isoformat() if row["birth_date"] else "",
        birth_calendar="",
        sex=row["sex"] or "",
    )


def persons_for_matching() -> list[dict]:
    """The persons a run compares: every person not merged into another, as plain rows with
    the blind index and without any encrypted field."""
    merged = PersonMerge.objects.filter(reversed_at__isnull=True).values("merged_id")
    return list(Person.objects.exclude(pk__in=merged).order_by("pk").values(
        "id", "name_hangul", "name_hanja", "name_roman", "birth_date", "sex", RRN_FIELD))


def blind_index_differs(left: dict, right: dict) -> bool:
    """Both persons have a registration number and the numbers differ (by their blind index)."""
    return bool(left[RRN_FIELD]) and bool(right[RRN_FIELD]) and left[RRN_FIELD] != right[RRN_FIELD]


def _explanation(pair: Pair, left: dict, right: dict) -> dict:
    weights = {name: round(float(value), 4) for name, value in pair.weights.items()}
    weights[RRN_FIELD] = "absent" if not (left[RRN_FIELD] and right[RRN_FIELD]) else "differs"
    return weights


def _check_run(backend: str, threshold: float | None) -> None:
    if backend not in BACKENDS:
        raise MatchFailed(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}", field="backend")
    if threshold is None or not 0.0 <= threshold <= 1.0:
        raise MatchFailed("the threshold must be between 0 and 1", field="threshold")


def persons_match(*, actor: Actor | None, threshold: float = REVIEW_THRESHOLD, backend: str = "duckdb",
                  progress: Callable[[str], None] | None = None) -> MatchRun:
    """Run the matcher over the persons and put new pairs at or above ``threshold`` in the queue."""
    permission_require(actor, "match_persons")
    _check_run(backend, threshold)
    started = timezone.now()
    rows = persons_for_matching()
    by_id = {str(row["id"]): row for row in rows}
    pairs: list[Pair] = []
    if len(rows) >= 2:
        try:
            pairs = dedupe_records([person_record(row) for row in rows], backend=backend, threshold=threshold,
                                   progress=progress)
        except MatchError as exc:
            raise MatchFailed(str(exc)) from exc
    with transaction.atomic():
        known = set(DuplicatePair.objects.values_list("left_id", "right_id"))
        new: list[DuplicatePair] = []
        skipped = vetoed = 0
        for pair in pairs:
            left, right = by_id[pair.left_id], by_id[pair.right_id]
            if blind_index_differs(left, right):
                vetoed += 1
                continue
            ids = tuple(sorted((left["id"], right["id"])))
            if ids in known:
                skipped += 1
                continue
            known.add(ids)
            new.append(DuplicatePair(left_id=ids[0], right_id=ids[1], probability=float(pair.probability),
                                     match_weight=float(pair.match_weight),
                                     explanation=_explanation(pair, left, right)))
        run = MatchRun.objects.create(started_at=started, run_by=actor if getattr(actor, "pk", None) else None,
                                      backend=backend, threshold=threshold, persons_count=len(rows),
                                      pairs_found=len(pairs) - vetoed, pairs_new=len(new), pairs_skipped=skipped)
        for candidate in new:
            candidate.run = run
        DuplicatePair.objects.bulk_create(new)
        audit_record(actor=actor, action="persons_match", entity=run,
                     new={"persons": len(rows), "pairs_found": len(pairs) - vetoed, "pairs_new": len(new),
                          "pairs_skipped": skipped, "threshold": threshold, "backend": backend})
    return run


def register_entries_link(*, actor: Actor | None, source: str, entries: Sequence[PersonRecord],
                          threshold: float = DEFAULT_THRESHOLD, backend: str = "duckdb",
                          progress: Callable[[str], None] | None = None) -> list[ExternalRecord]:
    """Keep the entries of an external register or roster (``source``) as evidence, each linked
    to the person the matcher finds it to be (its best pair at or above ``threshold``; the
    engine drops a namesake beaten by the person themself), or to no one. An entry kept
    before (same source and record id) is updated; the fields are kept as the source gives them."""
    permission_require(actor, "match_persons")
    _check_run(backend, threshold)
    if source not in dict(ExternalRecord.SOURCE_CHOICES):
        raise MatchFailed(f"unknown source {source!r}", field="source")
    rows = persons_for_matching()
    best: dict[str, Pair] = {}
    if entries and rows:
        try:
            pairs = link_records(list(entries), [person_record(row) for row in rows], backend=backend,
                                 threshold=threshold, progress=progress)
        except (MatchError, RecordError) as exc:
            raise MatchFailed(str(exc)) from exc
        for pair in pairs:  # most probable first
            best.setdefault(pair.left_id, pair)
    kept = []
    with transaction.atomic():
        for entry in entries:
            pair = best.get(entry.id)
            fields = {name: value for name, value in asdict(entry).items() if value and name != "id"}
            record, created = ExternalRecord.objects.update_or_create(
                source=source, record_id=entry.id,
                defaults={"fields": fields, "person_id": int(pair.right_id) if pair else None,
                          "probability": float(pair.probability) if pair else None,
                          "linked_by": actor if getattr(actor, "pk", None) else None})
            kept.append(record)
        audit_record(actor=actor, action="register_entries_link", entity_type="judgments.externalrecord",
                     entity_id=source, new={"entries": len(kept), "linked": sum(1 for r in kept if r.person_id),
                                            "threshold": threshold})
    return kept
