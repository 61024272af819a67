"""Services of the judgments app, the registry: courts, debtors, judgments, persons, documents
and claims (who holds a claim is ``baesang.cases.holdings``).

Each public service is keyword-only, checks the permission table first
(:func:`baesang.core.permissions.permission_require`), runs in one transaction, locks what it
changes and writes an audit row. Use cases that register several things at once —
:func:`judgment_register` (court, debtor, judgment), :func:`claim_register` (victim, claim) —
do the whole step atomically, so that the web, the API and the command line cannot leave half
of it behind. The ``_``-prefixed building blocks check nothing: only checked services call them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from baesang.calc.interest import InterestError, Segment, parse_segment
from baesang.core.permissions import Actor, actor_user, permission_require
from baesang.core.services import audit_record
from baesang.judgments.errors import (
    InvalidCaseNumber,
    InvalidClaim,
    InvalidDocument,
    InvalidJudgment,
    InvalidPerson,
    PersonDateInFuture,
)
from baesang.judgments.models import (
    Claim,
    ClaimSegment,
    Court,
    Debtor,
    Document,
    Judgment,
    Person,
)
from baesang.judgments.orders import order_of
from baesang.pii.names import keys_text, search_keys_for
from baesang.pii.rrn import InvalidRRN, validate_rrn

# 2013다61381: year, one to three Hangul letters for the case type, serial number.
CASE_NUMBER_RE = re.compile(r"^(19|20)\d{2}[가-힣]{1,3}\d{1,7}$")


# --------------------------------------------------------------------------- courts, debtors


def court_ensure(*, name: str, name_en: str = "", actor: Actor) -> Court:
    """The court of that name, created once."""
    permission_require(actor, "manage_judgments")
    return _court_ensure(name=name, name_en=name_en, actor=actor)


@transaction.atomic
def _court_ensure(*, name: str, name_en: str = "", actor: Actor) -> Court:
    name = (name or "").strip()
    if not name:
        raise InvalidJudgment("a court needs a name", field="court")
    court, created = Court.objects.get_or_create(name=name, defaults={"name_en": name_en})
    if created:
        audit_record(actor=actor, action="court.create", entity=court, new={"name": name, "name_en": name_en})
    return court


def debtor_ensure(*, code: str, name: str, name_en: str = "", country: str = "JP", actor: Actor) -> Debtor:
    """The debtor company with that code, created once; its indemnity account is opened in
    the ledger by the first indemnity claim."""
    permission_require(actor, "manage_judgments")
    return _debtor_ensure(code=code, name=name, name_en=name_en, country=country, actor=actor)


@transaction.atomic
def _debtor_ensure(*, code: str, name: str, name_en: str = "", country: str = "JP", actor: Actor) -> Debtor:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", code or ""):
        raise InvalidJudgment(f"debtor code {code!r} must be 1–20 letters, digits, '-' or '_'", field="code")
    debtor, created = Debtor.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "country": country})
    if created:
        audit_record(actor=actor, action="debtor.create", entity=debtor,
                     new={"code": code, "name": name, "name_en": name_en, "country": country})
    return debtor


# --------------------------------------------------------------------------- judgments


def judgment_create(
    *, case_number: str, court: Court, debtor: Debtor, decided_on: date, final_on: date, plaintiffs_count: int,
    title: str = "", note: str = "", actor: Actor,
) -> Judgment:
    """Register a final judgment. The case number is written as the court writes it (2013다61381)."""
    permission_require(actor, "manage_judgments")
    return _judgment_create(case_number=case_number, court=court, debtor=debtor, decided_on=decided_on,
                            final_on=final_on, plaintiffs_count=plaintiffs_count, title=title, note=note, actor=actor)


@transaction.atomic
def judgment_register(
    *, case_number: str, court_name: str, decided_on: date, final_on: date, plaintiffs_count: int, actor: Actor,
    debtor: Debtor | None = None, debtor_code: str = "", debtor_name: str = "", debtor_name_en: str = "",
    title: str = "", note: str = "",
) -> Judgment:
    """Register a judgment with its court and debtor in one step: the court and the debtor are
    created when unknown, and nothing is left behind when any part is refused."""
    permission_require(actor, "manage_judgments")
    court = _court_ensure(name=court_name, actor=actor)
    if debtor is None:
        debtor = _debtor_ensure(code=debtor_code, name=debtor_name, name_en=debtor_name_en, actor=actor)
    return _judgment_create(case_number=case_number, court=court, debtor=debtor, decided_on=decided_on,
                            final_on=final_on, plaintiffs_count=plaintiffs_count, title=title, note=note, actor=actor)


@transaction.atomic
def _judgment_create(
    *, case_number: str, court: Court, debtor: Debtor, decided_on: date, final_on: date, plaintiffs_count: int,
    title: str = "", note: str = "", actor: Actor,
) -> Judgment:
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
    keys = list(search_keys_for(hangul=hangul, hanja=hanja, roman=roman))
    return keys, keys_text(keys)


def person_create(*, actor: Actor, **details: Any) -> Person:
    """Register a victim or an heir (see :func:`_person_create` for the details taken)."""
    permission_require(actor, "manage_judgments")
    return _person_create(actor=actor, **details)


@transaction.atomic
def _person_create(
    *, name_hangul: str, actor: Actor, name_hanja: str = "", name_roman: str = "", sex: str = "",
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
    _life_dates_not_future(name_hangul, birth_date=birth_date, death_date=death_date)
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


def _life_dates_not_future(name: str, **dates: date | None) -> None:
    """A birth or death lies on or before the foundation's today (``timezone.localdate()``)."""
    today = timezone.localdate()
    for field, value in dates.items():
        if isinstance(value, date) and value > today:
            raise PersonDateInFuture(
                f"{name}: {field} {value.isoformat()} is after today ({today.isoformat()}); "
                "a birth or death is not in the future", field=field,
                params={"field": field, "today": today.isoformat()})


def _valid_rrn(rrn: str, name: str) -> str:
    try:
        return validate_rrn(rrn)
    except InvalidRRN as exc:
        raise InvalidPerson(f"{name}: the resident registration number is not valid: {exc.message}",
                            field="rrn") from exc


PERSON_UPDATABLE = ("name_hanja", "name_roman", "sex", "birth_date", "phone", "address", "needs_representative",
                    "note")
PERSONAL_FIELDS = ("rrn", "phone", "address", "bank_account")
#: details a plain update never changes, and the step that does (issue 14 §1: who may receive the money)
PERSON_GUARDED = {
    "death_date": "a death is a recorded fact with its evidence: record it with person_death_record "
                  "(`baesang person death`)",
    "bank_name": "a holder's bank account changes only by a proposal a second person approves "
                 "(`baesang claim proposals account`)",
    "bank_account": "a holder's bank account changes only by a proposal a second person approves "
                    "(`baesang claim proposals account`)",
}


class PersonFieldGuarded(InvalidPerson):
    """A death date or bank account given to a plain update of a person."""

    code = "person_field_guarded"


class DeathNotRecordable(InvalidPerson):
    """A death that cannot be recorded (already recorded, before birth, no evidence)."""

    code = "death_not_recordable"


@transaction.atomic
def person_update(*, person: Person, actor: Actor, **changes: Any) -> Person:
    """Change a person's details (names, sex, birth date, contact …). The audit row keeps old and
    new values, except personal data, which it names only. A death is recorded by
    :func:`person_death_record`; a bank account changes by an approved proposal
    (``baesang.cases.holdings.account_change_propose``)."""
    permission_require(actor, "manage_judgments")
    guarded = sorted(set(changes) & set(PERSON_GUARDED))
    if guarded:
        raise PersonFieldGuarded(f"{person.name_hangul}: {guarded[0]} is not changed by an update: "
                                 f"{PERSON_GUARDED[guarded[0]]}", field=guarded[0])
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
    _life_dates_not_future(person.name_hangul, birth_date=changes.get("birth_date"))
    if person.birth_date and person.death_date and person.death_date < person.birth_date:
        raise InvalidPerson(f"{person.name_hangul}: death date {person.death_date} is before birth date "
                            f"{person.birth_date}", field="death_date")
    if new:
        person.search_keys, person.search_text = _name_keys(
            hangul=person.name_hangul, hanja=person.name_hanja, roman=person.name_roman)
        person.save()
        audit_record(actor=actor, action="person.update", entity=person, old=old, new=new)
    return person


@transaction.atomic
def person_death_record(*, person: Person, death_date: date, actor: Actor, document: Document | int | None = None,
                        upload: Upload | None = None, document_kind: str = "other", note: str = "") -> Person:
    """Record that ``person`` died on ``death_date``, with the evidence (a stored document, its
    number, or a file uploaded in the same step). A recorded death is not overwritten: a wrong
    one is a matter for a correction with its own evidence (``correct=True`` is not offered)."""
    permission_require(actor, "record_death")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not isinstance(death_date, date):
        raise DeathNotRecordable(f"{person.name_hangul}: the date of death must be a date", field="death_date")
    _life_dates_not_future(person.name_hangul, death_date=death_date)
    if person.death_date is not None and person.death_document_id is not None:
        raise DeathNotRecordable(
            f"{person.name_hangul}: a death on {person.death_date} is already recorded with document "
            f"{person.death_document_id}", field="death_date")
    if person.death_date is not None and person.death_date != death_date:
        raise DeathNotRecordable(
            f"{person.name_hangul}: registered as died on {person.death_date}, not {death_date}; only the evidence "
            "of that date can be added", field="death_date")
    if person.birth_date and death_date < person.birth_date:
        raise DeathNotRecordable(f"{person.name_hangul}: death date {death_date} is before birth date "
                                 f"{person.birth_date}", field="death_date")
    document = document_get(document)
    if document is None:
        document = _upload_store(upload, kind=document_kind, actor=actor, person=person)
    if document is None:
        raise DeathNotRecordable(f"{person.name_hangul}: a death is recorded only with its evidence (a document)",
                                 field="document")
    old = {"death_date": person.death_date, "death_document": person.death_document_id}
    person.death_date, person.death_document = death_date, document
    person.save(update_fields=["death_date", "death_document"])
    audit_record(actor=actor, action="person.death_record", entity=person, old=old,
                 new={"death_date": death_date, "death_document": document.pk}, note=note)
    return person


def _person_bank_account_set(*, person: Person, bank_name: str, bank_account: str, actor: Actor) -> Person:
    """Set a person's bank account — only from an approved account-change proposal (the caller
    checks the permission and the four eyes). The audit row names the change, not the account."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.bank_name, person.bank_account = bank_name, bank_account
    person.save(update_fields=["bank_name", "bank_account"])
    audit_record(actor=actor, action="person.bank_account_set", entity=person,
                 old={"bank_account": "(changed)"}, new={"bank_name": bank_name, "bank_account": "(changed)"})
    return person


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Upload:
    """A file as a person sent it: its name and its bytes (read by the entry point)."""

    name: str
    content: bytes


def document_store(
    *, kind: str, title: str, content: bytes, filename: str, actor: Actor, person: Person | None = None,
    judgment: Judgment | None = None,
) -> Document:
    """Keep a document with its SHA-256. Storing the same bytes again returns the first
    document: a file is kept once, under a name derived from its hash."""
    permission_require(actor, "store_document")
    return _document_store(kind=kind, title=title, content=content, filename=filename, actor=actor, person=person,
                           judgment=judgment)


def _upload_store(upload: Upload | None, *, kind: str, actor: Actor, person: Person | None = None,
                  judgment: Judgment | None = None) -> Document | None:
    if upload is None:
        return None
    return _document_store(kind=kind, title=upload.name, content=upload.content, filename=upload.name, actor=actor,
                           person=person, judgment=judgment)


@transaction.atomic
def _document_store(
    *, kind: str, title: str, content: bytes, filename: str, actor: Actor, person: Person | None = None,
    judgment: Judgment | None = None,
) -> Document:
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
                        judgment=judgment, uploaded_by=actor_user(actor))
    document.file.save(f"{digest}{suffix}", ContentFile(content), save=False)
    document.save()
    audit_record(actor=actor, action="document.store", entity=document,
                 new={"kind": kind, "title": document.title, "sha256": digest, "size": len(content)})
    return document


# --------------------------------------------------------------------------- claims


def _segments_from(segments: Sequence[Segment | str | Mapping]) -> list[Segment]:
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


def claim_create(
    *, judgment: Judgment, position: int, victim: Person, principal: int, segments: Sequence[Segment | str | Mapping],
    actor: Actor, method: str = "period", plaintiff: Person | None = None,
) -> Claim:
    """Register one creditor's judgment order; the interest engine validates it."""
    permission_require(actor, "manage_judgments")
    return _claim_create(judgment=judgment, position=position, victim=victim, principal=principal,
                         segments=segments, actor=actor, method=method, plaintiff=plaintiff)


@transaction.atomic
def _claim_create(
    *, judgment: Judgment, position: int, victim: Person, principal: int, segments: Sequence[Segment | str | Mapping],
    actor: Actor, method: str = "period", plaintiff: Person | None = None,
) -> Claim:
    if method not in ("period", "days"):
        raise InvalidClaim(f"method must be 'period' or 'days' (got {method!r})", field="method")
    parsed = _segments_from(segments)
    try:
        order_of(principal, parsed).validate()
    except InterestError as exc:
        raise InvalidClaim(f"claim {judgment.case_number} #{position}: {exc.message}",
                           code=f"invalid_claim.{exc.code}", field=exc.field or "segments") from exc
    if Claim.objects.filter(judgment=judgment, position=position).exists():
        raise InvalidClaim(f"judgment {judgment.case_number} already has a claim #{position}", field="position",
                           code="claim_position_taken",
                           params={"case_number": judgment.case_number, "position": position})
    claim = Claim.objects.create(judgment=judgment, position=position, victim=victim, plaintiff=plaintiff,
                                 principal=principal, method=method)
    ClaimSegment.objects.bulk_create(
        ClaimSegment(claim=claim, position=n, start=s.start, end=s.end, rate=s.rate) for n, s in enumerate(parsed, 1))
    audit_record(actor=actor, action="claim.create", entity=claim, new={
        "judgment": judgment.case_number, "position": position, "victim": victim.pk, "principal": principal,
        "method": method,
        "segments": [{"start": s.start, "end": s.end, "rate": str(s.rate)} for s in parsed]})
    return claim


def document_get(document: Document | int | None, *, field: str = "document") -> Document | None:
    """The stored document given itself or by its number (None stays None)."""
    if not isinstance(document, int):
        return document
    found = Document.objects.filter(pk=document).first()
    if found is None:
        raise InvalidDocument(f"there is no document no. {document}", field=field, code="document_not_found")
    return found


def person_get(person_id: int | None, *, field: str) -> Person | None:
    """The registered person with that number, or None when no number is given."""
    if not person_id:
        return None
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise InvalidPerson(f"there is no person no. {person_id}", field=field, code="person_not_found")
    return person


@transaction.atomic
def claim_register(
    *, judgment: Judgment, position: int, principal: int, segments: Sequence[Segment | str | Mapping], actor: Actor,
    victim_id: int | None = None, victim: Mapping[str, Any] | None = None, plaintiff_id: int | None = None,
    method: str = "period",
) -> Claim:
    """Register one creditor's claim with its victim in one step: the victim is a registered
    person (``victim_id``) or registered now from ``victim`` (name, sex, birth and death dates).
    Who holds the claim is recorded by the caller through ``baesang.cases.holdings``."""
    permission_require(actor, "manage_judgments")
    person = person_get(victim_id, field="victim")
    if person is None:
        if not victim:
            raise InvalidPerson("give the victim's person number or the details of a new person", field="victim")
        person = _person_create(actor=actor, **dict(victim))
    plaintiff = person_get(plaintiff_id, field="plaintiff")
    return _claim_create(judgment=judgment, position=position, victim=person, principal=principal,
                         segments=segments, actor=actor, method=method, plaintiff=plaintiff)


@transaction.atomic
def document_file(*, kind: str, upload: Upload, actor: Actor, title: str = "", person_id: int | None = None,
                  judgment: Judgment | None = None) -> tuple[Document, bool]:
    """Keep an uploaded document for a person (by number) or a judgment; returns the document
    and whether the same bytes were already stored (then the first document is returned)."""
    permission_require(actor, "store_document")
    person = person_get(person_id, field="person")
    existed = Document.objects.filter(sha256=hashlib.sha256(upload.content).hexdigest()).exists()
    document = _document_store(kind=kind, title=title or upload.name, content=upload.content, filename=upload.name,
                               actor=actor, person=person, judgment=judgment)
    return document, existed
