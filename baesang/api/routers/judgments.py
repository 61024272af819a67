"""Judgments, persons (search in any script, masked personal data, logged reveal), documents."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field as F
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.errors import HttpError

from baesang.api.auth import allowed
from baesang.api.routers.common import Id, page_out, record_or_404
from baesang.api.schemas import PAGE_MAX, PAGING, ErrorOut, Page, PageQuery, responses
from baesang.calc.judgment_text import result_to_json_dict
from baesang.cases.selectors import person_claims
from baesang.core.errors import DomainError
from baesang.judgments.judgment_reader import judgment_read
from baesang.judgments.models import Document, Judgment, Person
from baesang.judgments.reading import judgment_check
from baesang.judgments.selectors import judgment_row, judgments_page, persons_search_page
from baesang.judgments.services import document_store
from baesang.pii.services import pii_reveal

router = Router(tags=["judgments and persons"])

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class JudgmentOut(Schema):
    id: int
    case_number: str
    court: str
    debtor: str
    debtor_code: str
    decided_on: date
    final_on: date
    plaintiffs_count: int
    claims: int
    principal: int = F(description="sum of the claims' principal, whole won")


@router.get("/judgments", response=responses(Page[JudgmentOut]), auth=allowed("view_judgments"),
            summary="Judgments, by final date, a page at a time", description=PAGING + " No `count`.")
def judgments(request, query: Query[PageQuery]):
    return page_out(request, judgments_page(cursor=query.cursor, limit=query.limit))


class ParsedSegmentOut(Schema):
    start: date
    end: date | None = F(description="null: until paid (다 갚는 날까지)")
    rate: str = F(description="percent a year, a decimal without trailing zeros: '5', '12.5'")


class ParsedOrderOut(Schema):
    creditor: str
    principal: int = F(description="whole won")
    segments: list[ParsedSegmentOut]


class UnparsedOut(Schema):
    sentence: str
    reason: str
    code: str


class JudgmentParseOut(Schema):
    case_number: str | None
    court: str | None
    debtors: list[str]
    joint: bool
    orders: list[ParsedOrderOut]
    unparsed: list[UnparsedOut] = F(description="payment sentences that could not be read whole, with the reason")


@router.post("/judgments/parse", response={**responses(JudgmentParseOut), 413: ErrorOut, 422: ErrorOut},
             auth=allowed("view_judgments"),
             summary="Read a judgment (.txt or a .pdf with a text layer): case, debtors, each creditor's principal "
                     "and interest segments; stores nothing. 400: not a readable text; 422: no text layer or no 주문")
def judgment_parse(request, file: File[UploadedFile]):
    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise HttpError(413, f"the judgment file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
    return result_to_json_dict(judgment_read(content=file.read(), filename=file.name or "-"))


@router.get("/judgments/{judgment_id}", response=responses(JudgmentOut), auth=allowed("view_judgments"),
            summary="One judgment")
def judgment(request, judgment_id: int):
    record_or_404(Judgment, judgment_id, "judgment")
    return judgment_row(judgment_id=judgment_id)


class DifferenceOut(Schema):
    kind: str = F(description="amount, date, rate, segments, missing_creditor, extra_claim, unparsed, unreadable, "
                              "no_text")
    creditor: str
    position: int | None = F(description="the claim's plaintiff number, when the difference is about a claim")
    judgment_says: str
    registered: str
    detail: str


class JudgmentCheckOut(Schema):
    case_number: str
    document: int | None = F(description="the stored judgment document the orders were read from")
    orders: int
    claims: int
    differences: list[DifferenceOut]


@router.get("/judgments/{judgment_id}/check", response=responses(JudgmentCheckOut), auth=allowed("view_judgments"),
            summary="The registered claims against the stored judgment text: every difference (empty: they agree)")
def judgment_check_api(request, judgment_id: int):
    return judgment_check(judgment=record_or_404(Judgment, judgment_id, "judgment")).as_json()


class PersonOut(Schema):
    id: int
    name_hangul: str
    name_hanja: str
    name_roman: str
    sex: str
    birth_date: date | None
    death_date: date | None
    needs_representative: bool


class PersonDetailOut(PersonOut):
    rrn: str = F(description="masked (900101-1******); reveal with POST …/reveal")
    phone: str
    address: str
    bank_name: str
    bank_account: str
    claims: list[dict]


def _masked(value) -> str:
    return "" if value is None else str(value)  # str() of a Sensitive value is its mask


class PersonSearch(Schema):
    q: str = F(..., min_length=1, max_length=100, description="a name in Hangul, Hanja or romanized")
    limit: int = F(50, ge=1, le=PAGE_MAX, description=f"persons per page (1 to {PAGE_MAX})")
    cursor: str | None = F(None, min_length=1, max_length=400,
                           description="opaque: the `next_cursor` of the previous page (same `q`)")


class PersonsPage(Schema):
    next_cursor: str | None = F(None, description="`cursor` of the next page (in the body, with the same q)")
    items: list[PersonOut]


@router.post("/persons/search", response=responses(PersonsPage), auth=allowed("search_persons"),
             summary="Find persons by name (박순이, Park Sun-i, Pak Suni and 朴順伊 find the same person); "
                     "a POST, so that names stay out of addresses and server logs",
             description="Paged by keyset, by name: `limit` persons (default 50) after `cursor`, the "
             "`next_cursor` of the previous answer, sent again in the body with the same `q` (no `next` URL and "
             "no `count`). An edited or foreign cursor is refused with 400 `invalid_cursor`.")
def persons(request, search: PersonSearch):
    page = persons_search_page(query=search.q, cursor=search.cursor, limit=search.limit)
    return {"next_cursor": page.next_cursor, "items": page.items}


@router.get("/persons/{person_id}", response=responses(PersonDetailOut), auth=allowed("search_persons"),
            summary="A person, personal data masked, with their claims")
def person(request, person_id: int):
    found = record_or_404(Person, person_id, "person")
    return {
        **{name: getattr(found, name) for name in PersonOut.model_fields},
        "rrn": _masked(found.rrn), "phone": _masked(found.phone), "address": _masked(found.address),
        "bank_name": found.bank_name, "bank_account": _masked(found.bank_account),
        "claims": person_claims(person=found),
    }


class RevealIn(Schema):
    field: Literal["rrn", "phone", "address", "bank_account"]
    reason: str = F(..., min_length=1, max_length=500, description="why the full value is needed (logged)")


class RevealOut(Schema):
    field: str
    value: str


@router.post("/persons/{person_id}/reveal", response=responses(RevealOut),
             auth=allowed("reveal_personal_data"),
             summary="The full value of one masked field; written to the personal-data access log")
def person_reveal(request, person_id: int, payload: RevealIn):
    found = record_or_404(Person, person_id, "person")
    value = pii_reveal(user=request.auth, entity_type="judgments.person", entity_id=str(found.pk),
                       field=payload.field, reason=payload.reason, channel="api",
                       value=getattr(found, payload.field) or "")
    return {"field": payload.field, "value": value}


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    sha256: str
    size: int


DocumentKind = Literal["judgment", "family_relation_certificate", "consent_form", "court_decision",
                       "guardianship", "other"]


@router.post("/documents", response=responses(DocumentOut, 201), auth=allowed("manage_judgments"),
             summary="Store a document (judgment, certificate, signed consent form …); same bytes → same document")
def document_upload(request, kind: Form[DocumentKind], file: File[UploadedFile], title: Form[str] = "",
                    person_id: Form[Id | None] = None):

    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise DomainError(f"document {file.name!r} is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB",
                          code="document_too_large", field="file")
    person = record_or_404(Person, person_id, "person") if person_id is not None else None
    document = document_store(kind=kind, title=title[:200], content=file.read(), filename=file.name or "document",
                              actor=request.auth, person=person)
    return 201, document


@router.get("/documents/{document_id}", response=responses(DocumentOut), auth=allowed("view_claims"),
            summary="A document's record (not its content)")
def document(request, document_id: int):
    return record_or_404(Document, document_id, "document")
