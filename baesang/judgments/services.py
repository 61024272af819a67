"""Services of the judgments app: registering courts, debtors, judgments, persons, documents
and claims, and recording who holds each claim.

Each service is keyword-only, runs in one transaction, locks what it changes and writes an
audit row. Holder changes follow the Civil Code: the plaintiff holds the claim; on death the
heirs hold it in the shares of the law in force on the date of death (Arts. 1000–1010, via
:mod:`baesang.calc.succession`); or staff enter shares from a document. A holder change
replaces current holdings by new ones carrying the same total share and never touches a
holding that was paid or deposited, nor one in a payment batch or a live court deposit.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from baesang.calc.interest import InterestError, Segment
from baesang.core.services import audit_record
from baesang.judgments.errors import (
    HeirshipFailed,
    HoldingLocked,
    InvalidCaseNumber,
    InvalidClaim,
    InvalidDocument,
    InvalidJudgment,
    InvalidPerson,
    InvalidShares,
)
from baesang.judgments.models import (
    Claim,
    ClaimHolding,
    ClaimSegment,
    Court,
    Debtor,
    Document,
    HolderChange,
    Judgment,
    Person,
)
from baesang.judgments.orders import order_of

# 2013다61381: year, one to three Hangul letters for the case type, serial number.
CASE_NUMBER_RE = re.compile(r"^(19|20)\d{2}[가-힣]{1,3}\d{1,7}$")


def _share_text(share: Fraction) -> str:
    return f"{share.numerator}/{share.denominator}"


# --------------------------------------------------------------------------- courts, debtors


@transaction.atomic
def court_ensure(*, name: str, name_en: str = "", actor: Any = "system") -> Court:
    """The court of that name, created once."""
    name = name.strip()
    if not name:
        raise InvalidJudgment("a court needs a name", field="court")
    court, created = Court.objects.get_or_create(name=name, defaults={"name_en": name_en})
    if created:
        audit_record(actor=actor, action="court.create", entity=court, new={"name": name, "name_en": name_en})
    return court


@transaction.atomic
def debtor_ensure(*, code: str, name: str, name_en: str = "", country: str = "JP", actor: Any = "system") -> Debtor:
    """The debtor company with that code, created once; its indemnity account is opened in
    the ledger by the first indemnity claim."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", code or ""):
        raise InvalidJudgment(f"debtor code {code!r} must be 1–20 letters, digits, '-' or '_'", field="code")
    debtor, created = Debtor.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "country": country})
    if created:
        audit_record(actor=actor, action="debtor.create", entity=debtor,
                     new={"code": code, "name": name, "name_en": name_en, "country": country})
    return debtor


# --------------------------------------------------------------------------- judgments


@transaction.atomic
def judgment_create(
    *, case_number: str, court: Court, debtor: Debtor, decided_on: date, final_on: date, plaintiffs_count: int,
    title: str = "", note: str = "", actor: Any,
) -> Judgment:
    """Register a final judgment. The case number is written as the court writes it (2013다61381)."""
    case_number = (case_number or "").strip().replace(" ", "")
    if not CASE_NUMBER_RE.fullmatch(case_number):
        raise InvalidCaseNumber(
            f"case number {case_number!r} is not written like 2013다61381 (year, case type in Hangul, serial)",
            field="case_number")
    if final_on < decided_on:
        raise InvalidJudgment(
            f"judgment {case_number}: final on {final_on} is before it was decided on {decided_on}", field="final_on")
    if plaintiffs_count <= 0:
        raise InvalidJudgment(f"judgment {case_number}: plaintiffs count must be at least 1", field="plaintiffs_count")
    if Judgment.objects.filter(case_number=case_number).exists():
        raise InvalidJudgment(f"judgment {case_number} is already registered", field="case_number")
    judgment = Judgment.objects.create(
        case_number=case_number, court=court, debtor=debtor, decided_on=decided_on, final_on=final_on,
        plaintiffs_count=plaintiffs_count, title=title, note=note)
    audit_record(actor=actor, action="judgment.create", entity=judgment, new={
        "case_number": case_number, "court": court.name, "debtor": debtor.code, "decided_on": decided_on,
        "final_on": final_on, "plaintiffs_count": plaintiffs_count})
    return judgment


# --------------------------------------------------------------------------- persons


def _name_keys(*, hangul: str, hanja: str, roman: str) -> tuple[list[str], str]:
    from baesang.pii.names import keys_text, search_keys_for

    keys = list(search_keys_for(hangul=hangul, hanja=hanja, roman=roman))
    return keys, keys_text(keys)


@transaction.atomic
def person_create(
    *, name_hangul: str, actor: Any, name_hanja: str = "", name_roman: str = "", sex: str = "",
    birth_date: date | None = None, death_date: date | None = None, rrn: str = "", phone: str = "",
    address: str = "", bank_name: str = "", bank_account: str = "", needs_representative: bool = False,
    pseudonymous: bool = False, note: str = "",
) -> Person:
    """Register a victim or an heir. Identifiers and contact data are encrypted at rest;
    the audit row records which fields were given, never their values."""
    name_hangul = (name_hangul or "").strip()
    if not name_hangul:
        raise InvalidPerson("a person needs a name in Hangul", field="name_hangul")
    if sex not in ("", "M", "F"):
        raise InvalidPerson(f"sex must be M, F or empty (got {sex!r})", field="sex")
    if birth_date and death_date and death_date < birth_date:
        raise InvalidPerson(f"{name_hangul}: death date {death_date} is before birth date {birth_date}",
                            field="death_date")
    if rrn:
        rrn = _valid_rrn(rrn, name_hangul)
    keys, text = _name_keys(hangul=name_hangul, hanja=name_hanja, roman=name_roman)
    person = Person.objects.create(
        name_hangul=name_hangul, name_hanja=name_hanja.strip(), name_roman=name_roman.strip(),
        search_keys=keys, search_text=text, sex=sex,
        birth_date=birth_date, death_date=death_date, rrn=rrn, phone=phone, address=address, bank_name=bank_name,
        bank_account=bank_account, needs_representative=needs_representative, pseudonymous=pseudonymous, note=note)
    audit_record(actor=actor, action="person.create", entity=person, new={
        "name_hangul": name_hangul, "birth_date": birth_date, "death_date": death_date,
        "personal_data": sorted(k for k, v in {"rrn": rrn, "phone": phone, "address": address,
                                               "bank_account": bank_account}.items() if v)})
    return person


def _valid_rrn(rrn: str, name: str) -> str:
    from baesang.pii.rrn import InvalidRRN, validate_rrn

    try:
        return validate_rrn(rrn)
    except InvalidRRN as exc:
        raise InvalidPerson(f"{name}: the resident registration number is not valid: {exc.message}",
                            field="rrn") from exc


PERSON_UPDATABLE = ("name_hanja", "name_roman", "sex", "birth_date", "death_date", "phone", "address", "bank_name",
                    "bank_account", "needs_representative", "note")
PERSONAL_FIELDS = ("rrn", "phone", "address", "bank_account")


@transaction.atomic
def person_update(*, person: Person, actor: Any, **changes: Any) -> Person:
    """Change a person's details (death date, contact, bank account …). The audit row keeps
    old and new values, except personal data, which it names only."""
    unknown = set(changes) - set(PERSON_UPDATABLE) - {"rrn"}
    if unknown:
        raise InvalidPerson(f"cannot change {', '.join(sorted(unknown))} of a person", field=sorted(unknown)[0])
    person = Person.objects.select_for_update().get(pk=person.pk)
    if "rrn" in changes and changes["rrn"]:
        changes["rrn"] = _valid_rrn(changes["rrn"], person.name_hangul)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for field, value in changes.items():
        before = getattr(person, field)
        if before == value:
            continue
        if field in PERSONAL_FIELDS:
            old[field], new[field] = "(changed)", "(changed)"
        else:
            old[field], new[field] = before, value
        setattr(person, field, value)
    if person.birth_date and person.death_date and person.death_date < person.birth_date:
        raise InvalidPerson(f"{person.name_hangul}: death date {person.death_date} is before birth date "
                            f"{person.birth_date}", field="death_date")
    if new:
        person.search_keys, person.search_text = _name_keys(
            hangul=person.name_hangul, hanja=person.name_hanja, roman=person.name_roman)
        person.save()
        audit_record(actor=actor, action="person.update", entity=person, old=old, new=new)
    return person


# --------------------------------------------------------------------------- documents


@transaction.atomic
def document_store(
    *, kind: str, title: str, content: bytes, filename: str, actor: Any, person: Person | None = None,
    judgment: Judgment | None = None,
) -> Document:
    """Keep a document with its SHA-256. Storing the same bytes again returns the first
    document: a file is kept once, under a name derived from its hash."""
    kinds = {k for k, _ in Document.KIND_CHOICES}
    if kind not in kinds:
        raise InvalidDocument(f"document kind {kind!r} is not one of {', '.join(sorted(kinds))}", field="kind")
    if not content:
        raise InvalidDocument(f"document {filename!r} is empty", field="file")
    digest = hashlib.sha256(content).hexdigest()
    existing = Document.objects.filter(sha256=digest).first()
    if existing is not None:
        if existing.kind != kind:
            raise InvalidDocument(
                f"the same file is already stored as a {existing.kind} (document {existing.pk}), not a {kind}",
                field="kind")
        return existing
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    document = Document(kind=kind, title=title or filename, sha256=digest, size=len(content), person=person,
                        judgment=judgment, uploaded_by=actor if getattr(actor, "pk", None) else None)
    document.file.save(f"{digest}{suffix}", ContentFile(content), save=False)
    document.save()
    audit_record(actor=actor, action="document.store", entity=document,
                 new={"kind": kind, "title": document.title, "sha256": digest, "size": len(content)})
    return document


# --------------------------------------------------------------------------- claims


def _segments_from(segments: Sequence[Segment | str | Mapping]) -> list[Segment]:
    from baesang.calc.interest import parse_segment

    result = []
    for number, item in enumerate(segments, 1):
        if isinstance(item, Segment):
            result.append(item)
        elif isinstance(item, str):
            try:
                result.append(parse_segment(item))
            except InterestError as exc:
                raise InvalidClaim(f"segment {number}: {exc.message}", field="segments") from exc
        else:
            end = item.get("end")
            result.append(Segment(_as_date(item["start"]), None if end in (None, "", "paid") else _as_date(end),
                                  Decimal(str(item["rate"]))))
    return result


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@transaction.atomic
def claim_create(
    *, judgment: Judgment, position: int, victim: Person, principal: int, segments: Sequence[Segment | str | Mapping],
    actor: Any, method: str = "period", plaintiff: Person | None = None,
) -> Claim:
    """Register one creditor's judgment order; the interest engine validates it."""
    if method not in ("period", "days"):
        raise InvalidClaim(f"method must be 'period' or 'days' (got {method!r})", field="method")
    parsed = _segments_from(segments)
    try:
        order_of(principal, parsed).validate()
    except InterestError as exc:
        raise InvalidClaim(f"claim {judgment.case_number} #{position}: {exc.message}",
                           code=f"invalid_claim.{exc.code}", field=exc.field or "segments") from exc
    if Claim.objects.filter(judgment=judgment, position=position).exists():
        raise InvalidClaim(f"judgment {judgment.case_number} already has a claim #{position}", field="position")
    claim = Claim.objects.create(judgment=judgment, position=position, victim=victim, plaintiff=plaintiff,
                                 principal=principal, method=method)
    ClaimSegment.objects.bulk_create(
        ClaimSegment(claim=claim, position=n, start=s.start, end=s.end, rate=s.rate) for n, s in enumerate(parsed, 1))
    audit_record(actor=actor, action="claim.create", entity=claim, new={
        "judgment": judgment.case_number, "position": position, "victim": victim.pk, "principal": principal,
        "method": method,
        "segments": [{"start": s.start, "end": s.end, "rate": str(s.rate)} for s in parsed]})
    return claim


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
    from baesang.judgments.setwise import ids_in

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
    from baesang.cases.models import BatchLine, CourtDeposit

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
def claim_holders_replace(
    *, claim: Claim, shares: Mapping[Person, Fraction], basis: str, actor: Any, valid_from: date,
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
    from baesang.cases.models import Offer

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
        made_by=actor if getattr(actor, "pk", None) else None)
    now = timezone.now()
    for holding in replaced:
        holding.superseded_at = now
        holding.superseded_by = change
    ClaimHolding.objects.bulk_update(replaced, ["superseded_at", "superseded_by"])
    Offer.objects.filter(holding__in=replaced, state=Offer.OPEN).update(state=Offer.WITHDRAWN, answered_on=valid_from)
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


def claim_holders_plaintiff(*, claim: Claim, actor: Any, holder: Person | None = None,
                            valid_from: date | None = None) -> HolderChange:
    """The plaintiff (by default the claim's plaintiff, else its victim) holds the whole claim."""
    person = holder or claim.plaintiff or claim.victim
    return claim_holders_replace(claim=claim, shares={person: Fraction(1)}, basis=HolderChange.PLAINTIFF,
                                 actor=actor, valid_from=valid_from or claim.judgment.final_on)


def claim_holders_from_family(
    *, claim: Claim, family: Mapping[str, Any], persons: Mapping[str, Person], actor: Any,
    valid_from: date | None = None, reason: str = "",
) -> HolderChange:
    """Heirs of a deceased holder (or of the victim, before any holder) take the claim in the
    statutory shares of the law in force on the date of death.

    ``family`` is the family file of :mod:`baesang.calc.succession` (docs/succession.md);
    ``persons`` maps each of its ids who ends up holding a share to a registered person. The
    decedent's current holding (or, with none, the whole claim) is split by the heirs' shares.
    The family file and its SHA-256 are kept with the change.
    """
    from baesang.calc.succession import SuccessionError, heirs_from_json

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
    holding = ClaimHolding.objects.filter(claim=claim, holder=decedent, superseded_at__isnull=True).first()
    has_holders = ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True).exists()
    if holding is None and has_holders:
        raise HeirshipFailed(f"claim {claim}: {decedent} holds no current share of this claim", field="family")
    if holding is None and decedent.pk not in (claim.victim_id, claim.plaintiff_id):
        raise HeirshipFailed(f"claim {claim}: {decedent} is neither its victim nor its plaintiff", field="family")
    base = holding.share if holding is not None else Fraction(1)
    shares = {persons[pid]: base * share for pid, share in result.shares.items()}
    replaces = [holding] if holding is not None else None
    if replaces is not None:
        # An heir who already holds a share of this claim (e.g. a child inheriting a parent's
        # share a second time) keeps one holding with the sum of both.
        for existing in ClaimHolding.objects.filter(claim=claim, holder__in=list(shares), superseded_at__isnull=True):
            if existing.pk != holding.pk:
                replaces.append(existing)
                shares[existing.holder] += existing.share
    died = next((p.get("died") for p in family.get("persons", []) if p.get("id") == decedent_id), None)
    start = valid_from or (_as_date(died) if died else claim.judgment.final_on)
    explanation = {pid: list(lines) for pid, lines in (result.explanation or {}).items()}
    return claim_holders_replace(
        claim=claim, shares=shares, basis=HolderChange.HEIRSHIP, actor=actor, valid_from=start,
        replaces=replaces, decedent=decedent, family=dict(family),
        explanation={"persons": {pid: persons[pid].pk for pid in result.shares}, "lines": explanation},
        regime=str(result.regime), reason=reason)


def claim_holders_from_document(
    *, claim: Claim, shares: Mapping[Person, Fraction], document: Document, actor: Any, valid_from: date,
    replaces: Sequence[ClaimHolding] | None = None, reason: str = "",
) -> HolderChange:
    """Shares entered by staff from a court or registry document (e.g. a death before 1960,
    under customary law). ``shares`` are of the part replaced and must sum to exactly 1."""
    from baesang.calc.apportion import ApportionError, validate_shares

    try:
        validate_shares({str(p.pk): s for p, s in shares.items()})
    except ApportionError as exc:
        raise InvalidShares(f"claim {claim}: {exc}", field="shares") from exc
    current = ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True)
    if replaces is not None:
        base = sum((h.share for h in replaces), Fraction(0))
    elif current.exists():
        base = sum((h.share for h in current if h.state not in (ClaimHolding.PAID, ClaimHolding.DEPOSITED)),
                   Fraction(0))
    else:
        base = Fraction(1)
    return claim_holders_replace(
        claim=claim, shares={p: base * s for p, s in shares.items()}, basis=HolderChange.DOCUMENT, actor=actor,
        valid_from=valid_from, replaces=replaces, document=document, reason=reason)
