"""Registering a judgment from the court's own text (판결문으로 등록), once a case officer has
confirmed what the reader (:mod:`baesang.calc.judgment_text`) found in it.

One service, :func:`judgment_register_from_text`, does the whole step atomically: the court,
the debtor and the judgment; per creditor the order confirms, a person (an existing one the
officer picked, or a new one) and a claim with its principal and interest segments as the
judgment fixes them, held by that creditor (:func:`baesang.cases.holdings.claim_holders_plaintiff`);
an heir who took over a deceased plaintiff's suit (망 … 의 소송수계인) holds a claim of their own
for the principal the judgment fixes for them, the deceased being the claim's victim; and the
judgment file kept as the judgment's document (kind ``judgment``) with its SHA-256 — with,
for a Supreme Court ruling that only dismissed the appeal, the appellate judgment whose
operative part holds the orders kept beside it. The confirmation carries the SHA-256 of the
file it was made on: a different file is refused, so nothing is registered that the officer
did not see. A file the reader cannot read (a scan without text, another kind of file, an
unknown encoding) is refused the same way as by ``judgment parse``; nothing is registered.

It lives in ``cases`` because a claim's holder is recorded here (the registry, ``judgments``,
never imports ``cases``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from baesang.calc.interest import Segment
from baesang.cases.holdings import claim_holders_plaintiff
from baesang.core.errors import InputError
from baesang.core.permissions import Actor, permission_require
from baesang.core.services import audit_record
from baesang.judgments import services as registry
from baesang.judgments.judgment_reader import judgment_read
from baesang.judgments.models import Debtor, Document, Judgment, Person
from baesang.judgments.services import Upload, person_get


class ReadingNotConfirmed(InputError):
    """The confirmation does not match the file: another file, or no creditor confirmed."""

    code = "judgment_reading_not_confirmed"


@dataclass(frozen=True)
class CreditorEntry:
    """One creditor as the officer confirmed it: the name the judgment gives, the principal and
    segments it fixes, and who the person is (``person_id`` of a registered person, or None
    for a new one). ``deceased`` names the plaintiff whose suit the creditor took over."""

    position: int
    name: str
    principal: int
    segments: Sequence[Segment] = field(default_factory=tuple)
    person_id: int | None = None
    deceased: str = ""
    deceased_person_id: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)  # a new person's details (sex, bank account …)


def _document_keep(upload: Upload, *, title: str, judgment: Judgment, actor: Actor) -> Document:
    digest = hashlib.sha256(upload.content).hexdigest()
    existing = Document.objects.select_for_update().filter(sha256=digest).first()
    if existing is not None and existing.judgment_id not in (None, judgment.pk):
        raise ReadingNotConfirmed(
            f"the file {upload.name!r} is already stored as document {existing.pk} of another judgment",
            field="file")
    document = registry._document_store(kind=Document.JUDGMENT, title=title, content=upload.content,
                                        filename=upload.name, actor=actor, judgment=judgment)
    if document.judgment_id is None:
        document.judgment = judgment
        document.save(update_fields=["judgment"])
    return document


def _person(person_id: int | None, name: str, *, field_name: str, actor: Actor, deceased: bool = False,
            details: Mapping[str, Any]) -> Person:
    person = person_get(person_id, field=field_name)
    if person is not None:
        if person.name_hangul != name:
            raise ReadingNotConfirmed(
                f"person no. {person.pk} is {person.name_hangul}, not {name} as the judgment names", field=field_name)
        return person
    details = dict(details)
    if deceased:
        details["note"] = "망 — deceased plaintiff whose suit was taken over; date of death to enter"
    return registry._person_create(name_hangul=name, actor=actor, **details)


@transaction.atomic
def judgment_register_from_text(
    *, upload: Upload, sha256: str, case_number: str, court_name: str, decided_on: date, final_on: date,
    creditors: Sequence[CreditorEntry], actor: Actor, debtor: Debtor | None = None, debtor_code: str = "",
    debtor_name: str = "", debtor_name_en: str = "", ruling: Upload | None = None, title: str = "", note: str = "",
    person_defaults: Mapping[str, Any] | None = None,
) -> Judgment:
    """Register a judgment, its court and debtor, one claim per confirmed creditor with its
    segments and holder, the persons, and the judgment file as its document, in one step.

    ``upload`` is the file the orders were read from and ``sha256`` the digest the officer's
    confirmation carries; ``ruling`` the Supreme Court ruling that dismissed the appeal, kept
    beside the appellate judgment (``upload``) when there is one. ``person_defaults`` are details
    given to every new person (e.g. ``pseudonymous`` for invented demo persons).
    """
    permission_require(actor, "manage_judgments")
    digest = hashlib.sha256(upload.content).hexdigest()
    if not sha256 or sha256 != digest:
        raise ReadingNotConfirmed(
            f"the file {upload.name!r} (SHA-256 {digest[:12]}…) is not the one whose reading was confirmed",
            field="sha256")
    judgment_read(content=upload.content, filename=upload.name)  # refuses what the reader cannot read
    if ruling is not None:
        judgment_read(content=ruling.content, filename=ruling.name)
    if not creditors:
        raise ReadingNotConfirmed("confirm at least one creditor to register", field="creditors")
    positions = [entry.position for entry in creditors]
    if len(set(positions)) != len(positions):
        raise ReadingNotConfirmed("each creditor needs a number of their own", field="creditors")
    judgment = registry.judgment_register(
        case_number=case_number, court_name=court_name, decided_on=decided_on, final_on=final_on,
        plaintiffs_count=len(creditors), debtor=debtor, debtor_code=debtor_code, debtor_name=debtor_name,
        debtor_name_en=debtor_name_en, title=title, note=note, actor=actor)
    documents = []
    if ruling is not None:
        documents.append(_document_keep(ruling, title=f"{judgment.case_number} 판결문", judgment=judgment,
                                        actor=actor))
    documents.append(_document_keep(
        upload, title=f"{judgment.case_number} 판결문" if ruling is None else f"{judgment.case_number} 원심판결문",
        judgment=judgment, actor=actor))
    defaults = dict(person_defaults or {})
    deceased_persons: dict[str, Person] = {}
    claims = []
    for entry in creditors:
        creditor = _person(entry.person_id, entry.name.strip(), field_name=f"creditor_{entry.position}", actor=actor,
                           details={**defaults, **entry.details})
        victim, plaintiff = creditor, None
        if entry.deceased:
            victim = deceased_persons.get(entry.deceased)
            if victim is None:
                victim = _person(entry.deceased_person_id, entry.deceased.strip(), actor=actor, deceased=True,
                                 field_name=f"deceased_{entry.position}", details=defaults)
                deceased_persons[entry.deceased] = victim
            plaintiff = creditor
        claim = registry._claim_create(judgment=judgment, position=entry.position, victim=victim, plaintiff=plaintiff,
                                       principal=entry.principal, segments=list(entry.segments), actor=actor)
        claim_holders_plaintiff(claim=claim, actor=actor)
        claims.append(claim)
    audit_record(actor=actor, action="judgment.register_from_text", entity=judgment, new={
        "case_number": judgment.case_number, "documents": [d.pk for d in documents], "sha256": digest,
        "claims": len(claims), "principal": sum(c.principal for c in claims)})
    return judgment
