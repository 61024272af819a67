"""Deciding probable duplicate persons, and merging two records of one person (인물 병합).

A pair proposed by ``baesang match persons`` is decided by a case officer:

- **same person** — the claims (as victim or plaintiff), the holdings, the holder changes
  naming them as decedent, the documents and the external register entries of the *merged*
  person move to the *kept* one; the merged person stays in the registry, marked as merged
  into the kept one (``PersonMerge``) with the ids of every row that moved. Payment lines
  already made stay as they were (amounts already paid are history). An administrator can
  reverse the merge: exactly the rows that moved go back.
- **different persons** — remembered on the pair; a later run never proposes it again.

Each step is one service: ``permission_require`` first, one transaction, the persons locked,
an audit row. Until a pair is decided, a person who is a probable duplicate of another with
an open or paid payment line — or of another person in the same batch — must not be paid
(``persons_awaiting_duplicate_decision``): one victim must not be paid twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from baesang.cases.models import BatchLine, ClaimHolding, HolderChange
from baesang.core.errors import DomainError, InputError
from baesang.core.permissions import Actor, permission_require
from baesang.core.services import audit_record
from baesang.judgments.duplicates import DECISIONS, OPEN, SAME, DuplicatePair, ExternalRecord, PersonMerge
from baesang.judgments.models import Claim, Document, Person
from baesang.judgments.setwise import ids_in


class DuplicateDecisionError(DomainError):
    code = "duplicate_error"


class PairAlreadyDecided(DuplicateDecisionError):
    code = "pair_already_decided"


class InvalidDecision(DuplicateDecisionError, InputError):
    code = "invalid_decision"


class PersonAlreadyMerged(DuplicateDecisionError):
    code = "person_already_merged"


class MergeConflict(DuplicateDecisionError):
    """Both persons hold a current share of the same claim: one person cannot hold it twice."""

    code = "merge_conflict"


class MergeAlreadyReversed(DuplicateDecisionError):
    code = "merge_already_reversed"


class MergePaymentInProgress(DuplicateDecisionError):
    """A holding that would move is in a batch awaiting the bank; merge after the bank's answer."""

    code = "merge_payment_in_progress"


#: What moves in a merge: key of ``PersonMerge.moved`` → (model, field naming the person).
MOVED: dict[str, tuple[type, str]] = {
    "victim_claims": (Claim, "victim"),
    "plaintiff_claims": (Claim, "plaintiff"),
    "holdings": (ClaimHolding, "holder"),
    "decedent_changes": (HolderChange, "decedent"),
    "documents": (Document, "person"),
    "external_records": (ExternalRecord, "person"),
}


def _lock_persons(*ids: int) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _active_merge_of(person_ids: Iterable[int]) -> PersonMerge | None:
    return PersonMerge.objects.filter(reversed_at__isnull=True, merged_id__in=list(person_ids)).first()


def _check_no_shared_claim(first: int, second: int, holding_ids: Iterable[int] | None = None) -> None:
    current = ClaimHolding.objects.filter(superseded_at__isnull=True)
    if holding_ids is not None:
        moving = set(current.filter(pk__in=list(holding_ids)).values_list("claim_id", flat=True))
    else:
        moving = set(current.filter(holder_id=first).values_list("claim_id", flat=True))
    staying = set(current.filter(holder_id=second).values_list("claim_id", flat=True))
    shared = sorted(moving & staying)
    if shared:
        raise MergeConflict(f"persons {first} and {second} both hold claim(s) {shared}")


def _check_no_payment_in_progress(person_id: int, holding_ids: Iterable[int] | None = None) -> None:
    lines = BatchLine.objects.filter(state=BatchLine.OPEN)
    lines = lines.filter(holding_id__in=list(holding_ids)) if holding_ids is not None else lines.filter(
        holding__holder_id=person_id)
    if lines.exists():
        raise MergePaymentInProgress(f"a holding of person {person_id} is in a payment batch awaiting the bank")


def _merge(*, actor: Actor, kept: Person, merged: Person, pair: DuplicatePair | None, reason: str) -> PersonMerge:
    if kept.pk == merged.pk:
        raise InvalidDecision("a person cannot be merged into themself", field="keep")
    if _active_merge_of([kept.pk, merged.pk]):
        raise PersonAlreadyMerged(f"person {kept.pk} or {merged.pk} is already merged into another")
    _check_no_shared_claim(merged.pk, kept.pk)
    _check_no_payment_in_progress(merged.pk)
    moved: dict[str, list[int]] = {}
    for key, (model, field) in MOVED.items():
        rows = model.objects.filter(**{f"{field}_id": merged.pk})
        moved[key] = sorted(rows.values_list("pk", flat=True))
        rows.update(**{f"{field}_id": kept.pk})
    merge = PersonMerge.objects.create(pair=pair, kept=kept, merged=merged, moved=moved, reason=reason,
                                       merged_by=actor)
    audit_record(actor=actor, action="persons_merge", entity=merge,
                 new={"kept": kept.pk, "merged": merged.pk, "moved": moved, "pair": pair.pk if pair else None},
                 note=reason)
    return merge


def persons_merge(*, actor: Actor, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """Merge ``merged`` into ``kept`` (one person registered twice), outside the review queue."""
    permission_require(actor, "decide_duplicates")
    if not (reason or "").strip():
        raise InvalidDecision("give the reason for the merge", field="reason")
    with transaction.atomic():
        persons = _lock_persons(kept.pk, merged.pk)
        return _merge(actor=actor, kept=persons[kept.pk], merged=persons[merged.pk], pair=None, reason=reason)


def duplicate_pair_decide(*, actor: Actor, pair: DuplicatePair, decision: str, reason: str,
                          keep: int | None = None) -> DuplicatePair:
    """Decide a probable duplicate: ``same`` merges into the person ``keep`` (by default the
    one registered first); ``different`` is remembered and never proposed again."""
    permission_require(actor, "decide_duplicates")
    if decision not in DECISIONS:
        raise InvalidDecision(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}", field="decision")
    if not (reason or "").strip():
        raise InvalidDecision("give the reason for the decision", field="reason")
    with transaction.atomic():
        pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
        if pair.state != OPEN:
            raise PairAlreadyDecided(f"pair {pair.pk} is already decided: {pair.state}")
        persons = _lock_persons(pair.left_id, pair.right_id)
        if decision == SAME:
            kept_id = pair.left_id if keep is None else int(keep)
            if kept_id not in (pair.left_id, pair.right_id):
                raise InvalidDecision(f"person {kept_id} is not one of the pair", field="keep")
            _merge(actor=actor, kept=persons[kept_id], merged=persons[pair.other(kept_id)], pair=pair, reason=reason)
        pair.state = decision
        pair.decided_by = actor
        pair.decided_at = timezone.now()
        pair.reason = reason
        pair.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        audit_record(actor=actor, action="duplicate_pair_decide", entity=pair, old={"state": OPEN},
                     new={"state": decision, "keep": keep if decision == SAME else None}, note=reason)
    return pair


def persons_merge_reverse(*, actor: Actor, merge: PersonMerge, reason: str) -> PersonMerge:
    """Reverse a merge: exactly the rows that moved go back; its pair is open again."""
    permission_require(actor, "reverse_person_merge")
    if not (reason or "").strip():
        raise InvalidDecision("give the reason for reversing the merge", field="reason")
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.reversed_at is not None:
            raise MergeAlreadyReversed(f"merge {merge.pk} was reversed already")
        _lock_persons(merge.kept_id, merge.merged_id)
        if _active_merge_of([merge.kept_id]):
            raise PersonAlreadyMerged(f"person {merge.kept_id} was since merged into another; reverse that first")
        _check_no_payment_in_progress(merge.kept_id, holding_ids=merge.moved.get("holdings", []))
        _check_no_shared_claim(merge.kept_id, merge.merged_id, holding_ids=merge.moved.get("holdings", []))
        for key, (model, field) in MOVED.items():
            model.objects.filter(pk__in=merge.moved.get(key, []), **{f"{field}_id": merge.kept_id}).update(
                **{f"{field}_id": merge.merged_id})
        merge.reversed_by = actor
        merge.reversed_at = timezone.now()
        merge.reverse_reason = reason
        merge.save(update_fields=["reversed_by", "reversed_at", "reverse_reason"])
        if merge.pair_id:
            DuplicatePair.objects.filter(pk=merge.pair_id).update(state=OPEN, decided_by=None, decided_at=None,
                                                                  reason="")
        audit_record(actor=actor, action="persons_merge_reverse", entity=merge,
                     old={"kept": merge.kept_id, "merged": merge.merged_id, "moved": merge.moved},
                     new={"reversed": True}, note=reason)
    return merge


def open_pairs():
    """The review queue: open pairs of persons neither of whom is merged away, most probable first."""
    merged = PersonMerge.objects.filter(reversed_at__isnull=True).values("merged_id")
    return (DuplicatePair.objects.filter(state=OPEN).exclude(left_id__in=merged).exclude(right_id__in=merged)
            .select_related("left", "right").order_by("-probability", "id"))


def persons_awaiting_duplicate_decision(person_ids: Iterable[int]) -> dict[int, DuplicatePair]:
    """The persons of ``person_ids`` that must not be put in a payment batch yet: each is in an
    open pair whose other person has an open or paid payment line, or is also in ``person_ids``
    (the same victim would be paid twice). Maps the person's id to such a pair."""
    wanted = set(person_ids)
    if not wanted:
        return {}
    # One array parameter each (ids_in), whatever the size of the batch: not one bound value per person.
    pairs = list(open_pairs().filter(ids_in("left_id", wanted) | ids_in("right_id", wanted)))
    others = {pair.other(pid) for pair in pairs for pid in (pair.left_id, pair.right_id) if pid in wanted}
    paid = set(BatchLine.objects.filter(ids_in("holder_id", others), state__in=BatchLine.LIVE)
               .values_list("holder_id", flat=True).distinct())
    found: dict[int, DuplicatePair] = {}
    for pair in pairs:
        for pid in (pair.left_id, pair.right_id):
            if pid in wanted and pid not in found:
                other = pair.other(pid)
                if other in paid or other in wanted:
                    found[pid] = pair
    return found


#: Fields shown side by side in the review (personal data masked, as on the person page).
SIDE_BY_SIDE = ("name_hangul", "name_hanja", "name_roman", "birth_date", "death_date", "sex", "rrn", "phone",
                "address", "bank_name", "created_at")
#: Encrypted fields among them: shown by their mask, never compared in the clear.
ENCRYPTED = frozenset({"rrn", "phone", "address"})


def pair_persons_side_by_side(pair: DuplicatePair) -> list[dict]:
    """The two records of a pair, field by field: ``str()`` of an encrypted field is its mask,
    so no personal data is shown in full; then how many claims, holdings, documents … each has
    (the rows a merge would move)."""
    left, right = pair.left, pair.right

    def shown(value) -> str:
        if value is None:
            return ""
        return value.date().isoformat() if hasattr(value, "tzinfo") else str(value)

    rows = []
    for name in SIDE_BY_SIDE:
        a, b = getattr(left, name), getattr(right, name)
        if name in ENCRYPTED:  # compared by blind index only, never decrypted
            same = name == "rrn" and bool(left.rrn_index) and left.rrn_index == right.rrn_index
        else:
            same = a == b and a not in (None, "")
        rows.append({"field": name, "left": shown(a), "right": shown(b), "same": same})
    for key, (model, field) in MOVED.items():
        rows.append({"field": key, "left": str(model.objects.filter(**{f"{field}_id": left.pk}).count()),
                     "right": str(model.objects.filter(**{f"{field}_id": right.pk}).count()), "same": False})
    return rows


def person_duplicate_context(person: Person) -> dict:
    """For the person page: the merge this record is merged by, the records merged into it,
    its open pairs and the external register entries linked to it as evidence."""
    merges = PersonMerge.objects.filter(reversed_at__isnull=True).select_related("kept", "merged", "merged_by")
    return {
        "merged_into": merges.filter(merged=person).first(),
        "merged_from": list(merges.filter(kept=person)),
        "open_duplicates": list(open_pairs().filter(Q(left=person) | Q(right=person))),
        "external_records": list(ExternalRecord.objects.filter(person=person)),
    }
