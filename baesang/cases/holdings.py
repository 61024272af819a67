"""Who holds a claim (채권 보유) and how the holdings' states make the claim's state.

A claim is held by the plaintiff; on death the heirs hold it in the shares of the law in force
on the date of death (Arts. 1000–1010, via :mod:`baesang.calc.succession`); or staff enter
shares from a document. A holder change replaces current holdings by new ones carrying the
same total share and never touches a holding that was paid or deposited, nor one in a payment
batch or a live court deposit; open offers of replaced holdings are withdrawn, each with its
audit row. The amount due on a claim is split among its current holders by their exact shares
(:func:`holder_parts`, with :func:`baesang.calc.apportion.apportion`: the parts add up exactly
to the total, each within one won of its exact share).

Who may receive the money (maker-checker, like payment batches): every change of who holds a
claim — heirs from a family file, shares from a document — and every change of a holder's bank
account is a :class:`~baesang.cases.models.HolderChangeProposal`. A case officer proposes; a
second person with the right role (``approve_holder_change``: a case officer or an approver, never
the proposer — also a database CHECK) approves, and only then does :func:`_holders_replace` run or
the account change. One change stays immediate: at registration, the plaintiff named by the
judgment holds the whole claim (:func:`claim_holders_plaintiff`, only for a claim without holders
and only for its plaintiff or victim) — the judgment itself is the evidence, read by the officer
who registers it, and no one is displaced. A family file must agree with the recorded persons
(:func:`family_disagreements`): the decedent's recorded death and sex, every mapped person's birth
date, sex and death where recorded; each difference is named and the file refused. Payment lines
are prepared only for current holdings, which exist only once approved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baesang.calc.apportion import ApportionError, apportion, validate_shares
from baesang.calc.interest import AmountDue
from baesang.calc.succession import SuccessionError, heirs_from_json
from baesang.cases.errors import FourEyesViolation, IllegalTransition
from baesang.cases.models import BatchLine, ClaimHolding, CourtDeposit, HolderChange, HolderChangeProposal, Offer
from baesang.core.errors import InputError
from baesang.core.paging import PAGE_DEFAULT, KeysetPage, keyset_page
from baesang.core.permissions import Actor, actor_user, permission_require
from baesang.core.services import audit_record
from baesang.judgments import services as registry
from baesang.judgments.errors import HeirshipFailed, HoldingLocked, InvalidPerson, InvalidShares
from baesang.judgments.models import Claim, Document, Person
from baesang.judgments.services import (
    Upload,
    _person_bank_account_set,
    _person_create,
    _upload_store,
    document_get,
    person_get,
)
from baesang.judgments.setwise import ids_in


def _share_text(share: Fraction) -> str:
    return f"{share.numerator}/{share.denominator}"


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --------------------------------------------------------------------------- claim states


def claim_state_of(states: Iterable[str]) -> str:
    """The state of a claim from the states of its current holdings (see docs/workflow.md)."""
    present = set(states)
    if not present:
        return Claim.REGISTERED
    if present == {ClaimHolding.PAID}:
        return Claim.PAID
    if present <= {ClaimHolding.PAID, ClaimHolding.DEPOSITED}:
        return Claim.DEPOSITED
    if ClaimHolding.REFUSED in present:
        return Claim.REFUSED
    if present & {ClaimHolding.PENDING, ClaimHolding.OFFERED}:
        if present == {ClaimHolding.PENDING}:
            return Claim.REGISTERED
        return Claim.OFFERED
    return Claim.ACCEPTED


def claims_state_refresh(*, claim_ids: Iterable[int]) -> int:
    """Recompute the stored state of these claims set-wise; returns how many changed.
    Call inside the transaction that changed their holdings."""
    ids = list(set(claim_ids))
    if not ids:
        return 0
    states: dict[int, set[str]] = {i: set() for i in ids}
    changed: dict[str, list[int]] = {}
    for claim_id, state in ClaimHolding.objects.filter(
            ids_in("claim_id", ids), superseded_at__isnull=True).order_by().values_list("claim_id", "state"):
        states[claim_id].add(state)
    for claim_id, stored in Claim.objects.filter(ids_in("pk", ids)).order_by().values_list("pk", "state"):
        state = claim_state_of(states[claim_id])
        if state != stored:
            changed.setdefault(state, []).append(claim_id)
    for state, changed_ids in changed.items():  # one UPDATE per new state
        Claim.objects.filter(ids_in("pk", changed_ids)).update(state=state)
    return sum(len(v) for v in changed.values())


# --------------------------------------------------------------------------- holders


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def holding_locks(holdings: Sequence[ClaimHolding]) -> dict[int, str]:
    """Why each of these holdings cannot be replaced (paid, deposited, in a batch, in a live deposit)."""
    ids = [h.pk for h in holdings]
    reasons: dict[int, str] = {}
    for holding in holdings:
        if holding.state in (ClaimHolding.PAID, ClaimHolding.DEPOSITED):
            reasons[holding.pk] = f"it is {holding.state}"
    for holding_id, batch_id in BatchLine.objects.filter(
            holding_id__in=ids, state=BatchLine.OPEN).values_list("holding_id", "batch_id"):
        reasons.setdefault(holding_id, f"it is in payment batch {batch_id}")
    for holding_id, deposit_id in CourtDeposit.objects.filter(
            holding_id__in=ids, state__in=CourtDeposit.LIVE).values_list("holding_id", "pk"):
        reasons.setdefault(holding_id, f"it has a live court deposit ({deposit_id})")
    return reasons


@transaction.atomic
def _holders_replace(
    *, claim: Claim, shares: Mapping[Person, Fraction], basis: str, actor: Actor, valid_from: date,
    replaces: Sequence[ClaimHolding] | None = None, decedent: Person | None = None, family: Any = None,
    explanation: Any = None, regime: str = "", document: Document | None = None, reason: str = "",
) -> HolderChange:
    """Replace holdings of a claim by new ones.

    ``shares`` are fractions *of the whole claim*. With no current holding they must sum to
    exactly 1; otherwise they must sum to exactly the share of the holdings they replace
    (by default every current holding not paid or deposited). A person may not get a new
    holding while keeping another current one in the same claim (replace it too, with the
    sum). Open offers of replaced holdings are withdrawn; new holdings start without an offer
    (a consent covers the share it was given for).
    """
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    current = list(ClaimHolding.objects.select_for_update().filter(claim=claim, superseded_at__isnull=True))
    if replaces is None:
        replaced = [h for h in current if h.state not in (ClaimHolding.PAID, ClaimHolding.DEPOSITED)] \
            if current else []
    else:
        wanted = {h.pk for h in replaces}
        replaced = [h for h in current if h.pk in wanted]
        if len(replaced) != len(wanted):
            raise HoldingLocked(f"claim {claim}: only current holdings of this claim can be replaced")
    if current and not replaced:
        raise HoldingLocked(f"claim {claim}: every current holding is paid or deposited; nothing to replace")
    locks = holding_locks(replaced)
    if locks:
        holding_id, why = next(iter(locks.items()))
        holding = next(h for h in replaced if h.pk == holding_id)
        raise HoldingLocked(
            f"claim {claim}: the holding of {holding.holder} ({_share_text(holding.share)}) cannot be replaced "
            f"because {why}; amounts already paid or reserved stay as they were")
    if not shares:
        raise InvalidShares(f"claim {claim}: give at least one holder", field="shares")
    for person, share in shares.items():
        if not isinstance(share, Fraction) or share <= 0 or share > 1:
            raise InvalidShares(f"claim {claim}: the share of {person} must be an exact fraction in (0, 1], "
                                f"not {share!r}", field="shares")
    target = sum((h.share for h in replaced), Fraction(0)) if current else Fraction(1)
    total = sum(shares.values(), Fraction(0))
    if total != target:
        raise InvalidShares(
            f"claim {claim}: the new shares add up to {_share_text(total)} but must add up to exactly "
            f"{_share_text(target)} (the share they replace)", field="shares")
    replaced_ids = {h.pk for h in replaced}
    kept_by_holder = {h.holder_id: h for h in current if h.pk not in replaced_ids}
    for person in shares:
        if person.pk in kept_by_holder:
            other = kept_by_holder[person.pk]
            raise HoldingLocked(
                f"claim {claim}: {person} already holds {_share_text(other.share)} of it ({other.state}); "
                "include that holding in the replacement (it cannot be merged once paid or deposited)")
    if basis == HolderChange.DOCUMENT and document is None:
        raise InvalidShares(f"claim {claim}: shares entered from a document need the document", field="document")
    family_sha = ""
    if family is not None:
        family_sha = hashlib.sha256(canonical_json(family).encode()).hexdigest()
    change = HolderChange.objects.create(
        claim=claim, basis=basis, decedent=decedent, family=family, family_sha256=family_sha,
        explanation=explanation, regime=regime, document=document, valid_from=valid_from, reason=reason,
        made_by=actor_user(actor))
    now = timezone.now()
    for holding in replaced:
        holding.superseded_at = now
        holding.superseded_by = change
    ClaimHolding.objects.bulk_update(replaced, ["superseded_at", "superseded_by"])
    for offer in Offer.objects.select_for_update().filter(holding__in=replaced, state=Offer.OPEN).order_by("pk"):
        offer.state, offer.answered_on = Offer.WITHDRAWN, valid_from
        offer.save(update_fields=["state", "answered_on"])
        audit_record(actor=actor, action="offer.withdraw", entity=offer, old={"state": Offer.OPEN},
                     new={"state": Offer.WITHDRAWN, "holder_change": change.pk},
                     note="the holding it was made for was replaced by a holder change")
    new_holdings = [
        ClaimHolding(claim=claim, holder=person, share_numerator=share.numerator, share_denominator=share.denominator,
                     change=change, valid_from=valid_from)
        for person, share in shares.items()
    ]
    ClaimHolding.objects.bulk_create(new_holdings)
    claims_state_refresh(claim_ids=[claim.pk])
    audit_record(actor=actor, action="claim.holders_replace", entity=claim, old={
        "holdings": [{"holding": h.pk, "holder": h.holder_id, "share": _share_text(h.share), "state": h.state}
                     for h in replaced]}, new={
        "basis": basis, "change": change.pk, "family_sha256": family_sha or None,
        "holders": [{"holder": p.pk, "share": _share_text(s)} for p, s in shares.items()]}, note=reason)
    return change


@transaction.atomic
def claim_holders_plaintiff(*, claim: Claim, actor: Actor, holder: Person | None = None,
                            valid_from: date | None = None) -> HolderChange:
    """The plaintiff (by default the claim's plaintiff, else its victim) holds the whole claim —
    only for a claim without holders (heirs come from a family file, shares from a document)."""
    permission_require(actor, "manage_judgments")
    claim = Claim.objects.select_for_update(of=("self",)).select_related("judgment", "plaintiff", "victim").get(
        pk=claim.pk)
    if ClaimHolding.objects.filter(claim=claim).exists():
        raise HoldingLocked(f"claim {claim} already has holders; record heirs from a family file or shares from a "
                            "document instead", code="claim_has_holders")
    person = holder or claim.plaintiff or claim.victim
    if person.pk not in (claim.plaintiff_id, claim.victim_id):
        raise HoldingLocked(f"claim {claim}: {person} is neither its plaintiff nor its victim; anyone else holds it "
                            "only by a proposal a second person approves", code="holder_not_plaintiff")
    return _holders_replace(claim=claim, shares={person: Fraction(1)}, basis=HolderChange.PLAINTIFF,
                            actor=actor, valid_from=valid_from or claim.judgment.final_on)


class FamilyDisagrees(InputError):
    """The family file contradicts the recorded persons (each difference is listed)."""

    code = "family_disagrees"


class ProposalNotOpen(IllegalTransition):
    """The proposal was already approved or rejected."""

    code = "proposal_not_open"


class ProposalStale(IllegalTransition):
    """The holdings the proposal would replace changed since it was made; propose again."""

    code = "proposal_stale"


class AccountChangeInvalid(InputError):
    code = "account_change_invalid"


def _family_entry(family: Mapping[str, Any], family_id: str) -> Mapping[str, Any]:
    return next((p for p in family.get("persons", []) if isinstance(p, Mapping) and p.get("id") == family_id), {})


def family_disagreements(family: Mapping[str, Any], persons: Mapping[str, Person], decedent_id: str) -> list[str]:
    """Each way the family file contradicts the recorded persons it is mapped to: the decedent
    must be recorded as dead on the file's date of death, with the file's sex; every mapped
    person's sex, birth date and death must agree where both the file and the record give them
    (a person recorded as dead whom the file shows alive is a difference too)."""
    problems: list[str] = []
    for family_id, person in persons.items():
        entry = _family_entry(family, family_id)
        label = f"{family_id} ({person}, person {person.pk})"
        sex = entry.get("sex")
        if person.sex and sex and person.sex != sex:
            problems.append(f"{label}: the file gives sex {sex}, the record {person.sex}")
        born = entry.get("born")
        if person.birth_date and born and str(born) != person.birth_date.isoformat():
            problems.append(f"{label}: the file gives birth date {born}, the record {person.birth_date}")
        died = entry.get("died")
        if family_id == decedent_id:
            if person.death_date is None:
                problems.append(f"{label}: the file makes them the decedent (died {died or 'date not given'}), but "
                                "they are recorded as living; record the death with its evidence first")
            elif died and str(died) != person.death_date.isoformat():
                problems.append(f"{label}: the file gives date of death {died}, the record {person.death_date}")
            elif not died:
                problems.append(f"{label}: the file gives no date of death for the decedent")
        elif died and person.death_date is None:
            problems.append(f"{label}: the file gives date of death {died}, but they are recorded as living")
        elif died and str(died) != person.death_date.isoformat():
            problems.append(f"{label}: the file gives date of death {died}, the record {person.death_date}")
        elif not died and person.death_date is not None:
            problems.append(f"{label}: recorded as died on {person.death_date}, but the file shows them living")
    return problems


def _shares_json(shares: Mapping[Person, Fraction]) -> list[dict[str, Any]]:
    return [{"person": p.pk, "share": _share_text(s)} for p, s in shares.items()]


def _proposal_open(*, claim: Claim, basis: str, shares: Mapping[Person, Fraction], replaces: Sequence[ClaimHolding],
                   actor: Actor, valid_from: date, reason: str = "", decedent: Person | None = None,
                   family: Any = None, explanation: Any = None, regime: str = "",
                   document: Document | None = None) -> HolderChangeProposal:
    family_sha = hashlib.sha256(canonical_json(family).encode()).hexdigest() if family is not None else ""
    proposal = HolderChangeProposal.objects.create(
        kind=HolderChangeProposal.HOLDERS, claim=claim, basis=basis, shares=_shares_json(shares),
        replaces=[h.pk for h in replaces], decedent=decedent, family=family, family_sha256=family_sha,
        explanation=explanation, regime=regime, document=document, valid_from=valid_from, reason=reason,
        proposed_by=actor_user(actor))
    audit_record(actor=actor, action="holder_change.propose", entity=proposal, new={
        "claim": claim.pk, "basis": basis, "holders": proposal.shares, "replaces": proposal.replaces,
        "family_sha256": family_sha or None, "document": document.pk if document else None}, note=reason)
    return proposal


@transaction.atomic
def holders_propose_family(
    *, claim: Claim, family: Mapping[str, Any], persons: Mapping[str, Person | int], actor: Actor,
    new_persons: Mapping[str, Mapping[str, Any]] | None = None, valid_from: date | None = None, reason: str = "",
) -> HolderChangeProposal:
    """Propose that the heirs of a deceased holder (or of the victim, before any holder) take the
    claim in the statutory shares of the law in force on the date of death.

    ``family`` is the family file of :mod:`baesang.calc.succession` (docs/succession.md);
    ``persons`` maps each of its ids who ends up holding a share to a registered person (or
    its number); ``new_persons`` maps ids to the details of persons registered in the same step
    (name, sex, birth date). The file must agree with the recorded persons
    (:func:`family_disagreements`). The decedent's current holding (or, with none, the whole
    claim) is split by the heirs' shares once a second person approves the proposal.
    """
    permission_require(actor, "propose_holder_change")
    persons = _family_persons(persons, new_persons or {}, actor)
    try:
        result = heirs_from_json(dict(family))
    except SuccessionError as exc:
        raise HeirshipFailed(f"claim {claim}: the family file was refused: {exc}", field="family") from exc
    decedent_id = result.decedent
    decedent = persons.get(decedent_id)
    missing = [pid for pid in result.shares if pid not in persons]
    if missing:
        raise HeirshipFailed(f"claim {claim}: heirs {', '.join(missing)} of the family file are not mapped to "
                             "registered persons", field="persons")
    if decedent is None:
        raise HeirshipFailed(f"claim {claim}: the decedent {decedent_id!r} of the family file is not mapped to a "
                             "registered person", field="persons")
    problems = family_disagreements(family, persons, decedent_id)
    if problems:
        raise FamilyDisagrees(f"claim {claim}: the family file disagrees with the recorded persons; nothing was "
                              "changed:\n- " + "\n- ".join(problems), field="family",
                              params={"problems": "; ".join(problems)})
    holding = ClaimHolding.objects.filter(claim=claim, holder=decedent, superseded_at__isnull=True).first()
    has_holders = ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True).exists()
    if holding is None and has_holders:
        raise HeirshipFailed(f"claim {claim}: {decedent} holds no current share of this claim", field="family")
    if holding is None and decedent.pk not in (claim.victim_id, claim.plaintiff_id):
        raise HeirshipFailed(f"claim {claim}: {decedent} is neither its victim nor its plaintiff", field="family")
    base = holding.share if holding is not None else Fraction(1)
    shares = {persons[pid]: base * share for pid, share in result.shares.items()}
    replaces: list[ClaimHolding] = [holding] if holding is not None else []
    if holding is not None:
        # An heir who already holds a share of this claim (e.g. a child inheriting a parent's
        # share a second time) keeps one holding with the sum of both.
        for existing in ClaimHolding.objects.filter(claim=claim, holder__in=list(shares), superseded_at__isnull=True):
            if existing.pk != holding.pk:
                replaces.append(existing)
                shares[existing.holder] += existing.share
    locks = holding_locks(replaces)
    if locks:
        raise HoldingLocked(f"claim {claim}: a holding it would replace is locked: {next(iter(locks.values()))}")
    died = _family_entry(family, decedent_id).get("died")
    start = valid_from or (_as_date(died) if died else claim.judgment.final_on)
    explanation = {pid: list(lines) for pid, lines in (result.explanation or {}).items()}
    return _proposal_open(
        claim=claim, basis=HolderChange.HEIRSHIP, shares=shares, replaces=replaces, actor=actor, valid_from=start,
        decedent=decedent, family=dict(family),
        explanation={"persons": {pid: persons[pid].pk for pid in result.shares}, "lines": explanation},
        regime=str(result.regime), reason=reason)


@transaction.atomic
def holders_propose_document(
    *, claim: Claim, shares: Mapping[Person | int, Fraction], actor: Actor, valid_from: date,
    document: Document | int | None = None, upload: Upload | None = None, document_kind: str = "other",
    replaces: Sequence[ClaimHolding] | None = None, reason: str = "",
) -> HolderChangeProposal:
    """Propose shares entered by staff from a court or registry document (e.g. a death before
    1960, under customary law): a stored document (or its number), or one uploaded in the same
    step. ``shares`` (by person or person number; one person's rows add up) are of the part
    replaced and must sum to exactly 1. A second person approves before it takes effect."""
    permission_require(actor, "propose_holder_change")
    document = document_get(document)
    if document is None:
        if upload is None:
            raise InvalidShares(f"claim {claim}: shares entered from a document need the document", field="document")
        document = _upload_store(upload, kind=document_kind, actor=actor, judgment=claim.judgment)
    by_person: dict[Person, Fraction] = {}
    for key, share in shares.items():
        person = key if isinstance(key, Person) else person_get(int(key), field="shares")
        by_person[person] = by_person.get(person, Fraction(0)) + share
    try:
        validate_shares({str(p.pk): s for p, s in by_person.items()})
    except ApportionError as exc:
        total = sum(by_person.values(), Fraction(0))
        raise InvalidShares(f"claim {claim}: {exc}", field="shares", code="shares_not_whole",
                            params={"total": _share_text(total)}) from exc
    current = list(ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True))
    if replaces is None:
        replaces = [h for h in current if h.state not in (ClaimHolding.PAID, ClaimHolding.DEPOSITED)]
        if current and not replaces:
            raise HoldingLocked(f"claim {claim}: every current holding is paid or deposited; nothing to replace")
    base = sum((h.share for h in replaces), Fraction(0)) if current else Fraction(1)
    locks = holding_locks(list(replaces))
    if locks:
        raise HoldingLocked(f"claim {claim}: a holding it would replace is locked: {next(iter(locks.values()))}")
    return _proposal_open(claim=claim, basis=HolderChange.DOCUMENT, shares={p: base * s for p, s in by_person.items()},
                          replaces=list(replaces), actor=actor, valid_from=valid_from, document=document,
                          reason=reason)


@transaction.atomic
def account_change_propose(*, person: Person, bank_name: str, bank_account: str, actor: Actor,
                           reason: str = "") -> HolderChangeProposal:
    """Propose a new bank account for a holder; it is set only when a second person approves.
    The audit row names the change, never the account."""
    permission_require(actor, "propose_holder_change")
    bank_name, bank_account = (bank_name or "").strip(), (bank_account or "").strip()
    if not bank_name or not bank_account:
        raise AccountChangeInvalid(f"{person}: give the bank and the account number", field="bank_account")
    if not any(ch.isdigit() for ch in bank_account) or len(bank_account) > 40:
        raise AccountChangeInvalid(f"{person}: {bank_account!r} is not an account number", field="bank_account")
    proposal = HolderChangeProposal.objects.create(
        kind=HolderChangeProposal.ACCOUNT, person=person, bank_name=bank_name, bank_account=bank_account,
        reason=reason, proposed_by=actor_user(actor))
    audit_record(actor=actor, action="account_change.propose", entity=proposal,
                 new={"person": person.pk, "bank_name": bank_name, "bank_account": "(given)"}, note=reason)
    return proposal


def _proposal_for_decision(proposal: HolderChangeProposal, actor: Actor) -> HolderChangeProposal:
    proposal = HolderChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != HolderChangeProposal.PROPOSED:
        raise ProposalNotOpen(f"proposal {proposal.pk} was already {proposal.state}")
    if proposal.proposed_by_id == getattr(actor, "pk", None):
        raise FourEyesViolation(f"proposal {proposal.pk}: the person who proposed a change cannot also decide it "
                                "(four eyes); another case officer or an approver must")
    return proposal


@transaction.atomic
def holder_change_approve(*, proposal: HolderChangeProposal, actor: Actor, note: str = "") -> HolderChangeProposal:
    """Approve a proposal (never one's own): the holdings are replaced (:func:`_holders_replace`)
    or the bank account is set, with audit rows naming proposer and approver."""
    permission_require(actor, "approve_holder_change")
    proposal = _proposal_for_decision(proposal, actor)
    now = timezone.now()
    if proposal.kind == HolderChangeProposal.HOLDERS:
        claim = Claim.objects.select_for_update().get(pk=proposal.claim_id)
        current = {h.pk: h for h in ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True)}
        wanted = list(proposal.replaces or [])
        if any(pk not in current for pk in wanted) or (not wanted and current):
            raise ProposalStale(f"proposal {proposal.pk}: the holders of claim {claim} changed since it was proposed; "
                                "reject it and propose again")
        if proposal.basis == HolderChange.HEIRSHIP:  # the records may have changed since the proposal
            mapped = dict((proposal.explanation or {}).get("persons", {}))
            decedent_key = str(proposal.family.get("decedent", ""))
            if decedent_key and proposal.decedent_id:
                mapped[decedent_key] = proposal.decedent_id
            records = {pid: Person.objects.get(pk=pk) for pid, pk in mapped.items()}
            problems = family_disagreements(proposal.family, records, decedent_key)
            if problems:
                raise FamilyDisagrees(f"proposal {proposal.pk}: the family file no longer agrees with the recorded "
                                      "persons:\n- " + "\n- ".join(problems), field="family",
                                      params={"problems": "; ".join(problems)})
        persons = {p.pk: p for p in Person.objects.filter(pk__in=[row["person"] for row in proposal.shares])}
        shares = {persons[row["person"]]: Fraction(row["share"]) for row in proposal.shares}
        change = _holders_replace(
            claim=claim, shares=shares, basis=proposal.basis, actor=actor, valid_from=proposal.valid_from,
            replaces=[current[pk] for pk in wanted], decedent=proposal.decedent, family=proposal.family,
            explanation=proposal.explanation, regime=proposal.regime, document=proposal.document,
            reason=proposal.reason)
        proposal.change = change
    else:
        _person_bank_account_set(person=proposal.person, bank_name=proposal.bank_name,
                                 bank_account=proposal.bank_account, actor=actor)
    proposal.state, proposal.decided_by, proposal.decided_at = HolderChangeProposal.APPROVED, actor_user(actor), now
    proposal.decision_note = note
    proposal.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "change"])
    audit_record(actor=actor, action=f"{_audit_prefix(proposal)}.approve", entity=proposal,
                 old={"state": HolderChangeProposal.PROPOSED},
                 new={"state": HolderChangeProposal.APPROVED, "proposed_by": proposal.proposed_by_id,
                      "change": proposal.change_id}, note=note)
    return proposal


@transaction.atomic
def holder_change_reject(*, proposal: HolderChangeProposal, actor: Actor, note: str) -> HolderChangeProposal:
    """Reject a proposal (never one's own), with the reason; nothing else changes."""
    permission_require(actor, "approve_holder_change")
    if not (note or "").strip():
        raise InputError(f"proposal {proposal.pk}: say why it is rejected", field="note")
    proposal = _proposal_for_decision(proposal, actor)
    proposal.state, proposal.decided_by = HolderChangeProposal.REJECTED, actor_user(actor)
    proposal.decided_at, proposal.decision_note = timezone.now(), note.strip()
    proposal.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=f"{_audit_prefix(proposal)}.reject", entity=proposal,
                 old={"state": HolderChangeProposal.PROPOSED}, new={"state": HolderChangeProposal.REJECTED},
                 note=note)
    return proposal


def _audit_prefix(proposal: HolderChangeProposal) -> str:
    return "holder_change" if proposal.kind == HolderChangeProposal.HOLDERS else "account_change"


def proposals_list(*, include_decided: bool = False, claim: Claim | None = None) -> list[dict[str, Any]]:
    """Proposals for the approval queue (oldest first), open ones only unless ``include_decided``.
    Bank accounts are never shown here, only that one is proposed."""
    return _proposal_rows(list(_proposals(include_decided=include_decided, claim=claim).order_by("proposed_at", "pk")))


def _proposals(*, include_decided: bool, claim: Claim | None = None):
    rows = HolderChangeProposal.objects.select_related("proposed_by", "decided_by", "claim__judgment", "person",
                                                       "decedent", "document")
    if not include_decided:
        rows = rows.filter(state=HolderChangeProposal.PROPOSED)
    if claim is not None:
        rows = rows.filter(claim=claim)
    return rows


def proposals_page(*, include_decided: bool = False, cursor: str | None = None, before: str | None = None,
                   limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of :func:`proposals_list`, oldest first (keyset on the time proposed and id)."""
    page = keyset_page(_proposals(include_decided=include_decided), name=f"proposals:{include_decided}",
                       order=("proposed_at", "pk"), after=cursor, before=before, limit=limit)
    return replace(page, items=_proposal_rows(page.items))


def _proposal_rows(rows: list) -> list[dict[str, Any]]:
    person_ids = {row["person"] for proposal in rows for row in (proposal.shares or [])}
    names = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name_hangul"))
    return [{
        "id": proposal.pk, "kind": proposal.kind, "state": proposal.state, "claim": proposal.claim_id,
        "case_number": proposal.claim.judgment.case_number if proposal.claim_id else "",
        "person": proposal.person_id, "person_name": proposal.person.name_hangul if proposal.person_id else "",
        "basis": proposal.basis,
        "holders": [{"person": row["person"], "name": names.get(row["person"], ""), "share": row["share"]}
                    for row in (proposal.shares or [])],
        "replaces": list(proposal.replaces or []), "decedent": proposal.decedent_id,
        "decedent_name": proposal.decedent.name_hangul if proposal.decedent_id else "",
        "family_sha256": proposal.family_sha256, "regime": proposal.regime, "document": proposal.document_id,
        "valid_from": proposal.valid_from, "bank_name": proposal.bank_name, "reason": proposal.reason,
        "proposed_by": proposal.proposed_by.get_username(), "proposed_by_id": proposal.proposed_by_id,
        "proposed_at": proposal.proposed_at,
        "decided_by": proposal.decided_by.get_username() if proposal.decided_by_id else None,
        "decided_at": proposal.decided_at, "decision_note": proposal.decision_note, "change": proposal.change_id,
    } for proposal in rows]


def accounts_changed_recently(holder_ids: Iterable[int], before: date, *, days: int | None = None) -> dict[int, date]:
    """Of these persons, those whose bank account was changed (an approved proposal) fewer than
    ``days`` (``BAESANG_ACCOUNT_CHANGE_DAYS``, default 30) before ``before`` — or after it — each
    with the day of the latest change, for flagging payments at batch approval."""
    ids = list(set(holder_ids))
    if not ids:
        return {}
    days = int(getattr(settings, "BAESANG_ACCOUNT_CHANGE_DAYS", 30)) if days is None else days
    since = before - timedelta(days=days)
    changed: dict[int, date] = {}
    rows = HolderChangeProposal.objects.filter(
        ids_in("person_id", ids), kind=HolderChangeProposal.ACCOUNT, state=HolderChangeProposal.APPROVED,
    ).order_by().values_list("person_id", "decided_at")
    for person_id, decided_at in rows:
        day = timezone.localdate(decided_at)
        if day > since and (person_id not in changed or day > changed[person_id]):
            changed[person_id] = day
    return changed


@transaction.atomic
def claim_register(*, plaintiff_holds: bool = False, actor: Actor, **details: Any) -> Claim:
    """Register a creditor's claim with its victim (:func:`baesang.judgments.services.claim_register`)
    and, when ``plaintiff_holds``, record the plaintiff as the holder of the whole claim — one step."""
    permission_require(actor, "manage_judgments")
    claim = registry.claim_register(actor=actor, **details)
    if plaintiff_holds:
        claim_holders_plaintiff(claim=claim, actor=actor)
    return claim


def _family_persons(persons: Mapping[str, Person | int], new_persons: Mapping[str, Mapping[str, Any]],
                    actor: Actor) -> dict[str, Person]:
    result: dict[str, Person] = {}
    for family_id, person in persons.items():
        # always the record as stored now: the family file is checked against it
        result[family_id] = person_get(int(person.pk if isinstance(person, Person) else person), field=family_id)
    for family_id, details in new_persons.items():
        if family_id in result:
            raise InvalidPerson(f"{family_id}: give a person's number or a new person, not both", field=family_id)
        result[family_id] = _person_create(actor=actor, **dict(details))
    return result


# --------------------------------------------------------------------------- parts of an amount due


@dataclass(frozen=True)
class HolderPart:
    principal: int
    interest: int

    @property
    def amount(self) -> int:
        return self.principal + self.interest


def holder_parts(due: AmountDue, shares: Mapping[int, Fraction]) -> dict[int, HolderPart]:
    """Each holding's part of an amount due, keyed as ``shares`` is (holding ids).

    ``shares`` are the shares of all current holdings of the claim (they sum to 1), so the
    parts of holders paid on the same day add up to the claim's total exactly."""
    if len(shares) == 1:
        [(key, share)] = shares.items()
        if share == 1:
            return {key: HolderPart(due.principal, due.interest)}
    keys = [str(k) for k in shares]
    text_shares = {str(k): v for k, v in shares.items()}
    totals = apportion(due.total, text_shares)
    principals = apportion(due.principal, text_shares)
    parts: dict[int, HolderPart] = {}
    for key, text in zip(shares, keys, strict=True):
        principal = principals[text]
        interest = totals[text] - principal
        if interest < 0:  # only when the interest is smaller than the number of holders
            principal, interest = totals[text], 0
        parts[key] = HolderPart(principal, interest)
    return parts
