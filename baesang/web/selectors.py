"""Reads for the staff screens that the domain apps do not offer as such: the search by case
number and by document id, the indemnity overview per debtor (구상권, Civil Code Arts. 469,
162(1)), and the heirship explanation of each holder in the reader's language.

Only reads: every change goes through the services of the domain apps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, Sum

from baesang.calc.succession import SuccessionError, heirs_from_json
from baesang.cases.models import HolderChange, IndemnityClaim
from baesang.judgments.models import Claim, Document, Judgment
from baesang.ledger.accounts import INDEMNITY_RECEIVABLE_PREFIX
from baesang.ledger.errors import AccountNotFound
from baesang.ledger.selectors import account_balance

#: A document is found by its number (``123``, ``#123``) or by the start of its SHA-256 (at least 8 hex digits).
DOCUMENT_NUMBER_RE = re.compile(r"^(?:#|doc|document|서류)?\s*(\d{1,12})$", re.IGNORECASE)
SHA256_PREFIX_RE = re.compile(r"^[0-9a-f]{8,64}$")
#: Something that can be part of a case number: digits and Hangul, at least one of each (2013다61381, 61381 is
#: matched as a number too).
CASE_NUMBER_PART_RE = re.compile(r"^[0-9가-힣]+$")


def documents_find(*, query: str, limit: int = 20) -> list[Document]:
    """Documents by number or by the beginning of their SHA-256."""
    text = (query or "").strip().lower().replace(" ", "")
    found: list[Document] = []
    number = DOCUMENT_NUMBER_RE.match(text)
    if number:
        found.extend(Document.objects.filter(pk=int(number.group(1))))
    if SHA256_PREFIX_RE.match(text):
        found.extend(d for d in Document.objects.filter(sha256__startswith=text).order_by("pk")[:limit]
                     if d not in found)
    return found[:limit]


def judgments_by_case_number(*, query: str, limit: int = 20) -> list[Judgment]:
    """Judgments whose case number contains the query (spaces ignored: ``2013다 61381``)."""
    text = (query or "").strip().replace(" ", "")
    if len(text) < 3 or not CASE_NUMBER_PART_RE.match(text) or not any(c.isdigit() for c in text):
        return []
    return list(Judgment.objects.filter(case_number__contains=text).select_related("court", "debtor")
                .annotate(claims_count=Count("claims")).order_by("case_number")[:limit])


# --------------------------------------------------------------------------- indemnity


@dataclass
class DebtorIndemnity:
    """One debtor's indemnity claims: open and cancelled totals, earliest limitation, and the
    balance of its receivable account in the ledger (which must equal the open total)."""

    debtor_id: int
    code: str
    name: str
    open_count: int = 0
    open_amount: int = 0
    cancelled_count: int = 0
    cancelled_amount: int = 0
    earliest_limitation: date | None = None
    last_arose: date | None = None
    ledger_balance: int | None = None

    @property
    def ledger_differs(self) -> bool:
        return self.ledger_balance is not None and self.ledger_balance != self.open_amount


@dataclass
class IndemnityOverview:
    debtors: list[DebtorIndemnity] = field(default_factory=list)

    @property
    def open_amount(self) -> int:
        return sum(d.open_amount for d in self.debtors)

    @property
    def open_count(self) -> int:
        return sum(d.open_count for d in self.debtors)

    @property
    def cancelled_amount(self) -> int:
        return sum(d.cancelled_amount for d in self.debtors)


def indemnity_overview() -> IndemnityOverview:
    """Per debtor: open and cancelled indemnity claims and the ledger balance of ``1200-<code>``."""

    rows: dict[int, DebtorIndemnity] = {}
    grouped = (IndemnityClaim.objects.order_by().values("debtor_id", "debtor__code", "debtor__name", "state")
               .annotate(count=Count("pk"), amount=Sum("amount"), earliest=Min("limitation_on"),
                         last=Max("arose_on")))
    for row in grouped:
        entry = rows.setdefault(row["debtor_id"], DebtorIndemnity(
            debtor_id=row["debtor_id"], code=row["debtor__code"], name=row["debtor__name"]))
        if row["state"] == IndemnityClaim.OPEN:
            entry.open_count, entry.open_amount = row["count"], row["amount"] or 0
            entry.earliest_limitation = row["earliest"]
        else:
            entry.cancelled_count, entry.cancelled_amount = row["count"], row["amount"] or 0
        entry.last_arose = max(filter(None, (entry.last_arose, row["last"])), default=None)
    for entry in rows.values():
        try:
            entry.ledger_balance = account_balance(code=f"{INDEMNITY_RECEIVABLE_PREFIX}{entry.code}").balance
        except AccountNotFound:
            entry.ledger_balance = None
    return IndemnityOverview(debtors=sorted(rows.values(), key=lambda d: d.code))


def indemnity_claims(*, debtor_id: int | None = None, state: str | None = None):
    """Indemnity claims (a queryset, oldest first) with their claim, holder and source."""
    query = IndemnityClaim.objects.select_related("debtor", "claim__judgment", "holding__holder", "line",
                                                  "deposit").order_by("arose_on", "pk")
    if debtor_id:
        query = query.filter(debtor_id=debtor_id)
    if state:
        query = query.filter(state=state)
    return query


# --------------------------------------------------------------------------- heirship explanations


def holder_explanations(*, claim: Claim, lang: str) -> dict[int, list[str]]:
    """Lines explaining each current holder's share, by person id, in ``lang`` (``ko``/``en``).

    The lines stored with a holder change are in English; for Korean readers the family file
    kept with the change is run through the heirship engine again (it is deterministic), and
    its Korean lines are used when it gives the same heirs. Later changes override earlier ones.
    """

    lines: dict[int, list[str]] = {}
    for change in HolderChange.objects.filter(claim=claim).exclude(explanation=None).order_by("pk"):
        stored: dict[str, Any] = change.explanation or {}
        persons: dict[str, int] = stored.get("persons", {})
        texts: dict[str, list[str]] = dict(stored.get("lines") or {})
        if lang == "ko" and change.family:
            try:
                result = heirs_from_json(dict(change.family))
            except (SuccessionError, TypeError, ValueError):
                result = None
            if result is not None and set(result.shares) == set(persons):
                texts = {pid: list(text) for pid, text in result.explain("ko").items()}
        for family_id, person_id in persons.items():
            lines[person_id] = list(texts.get(family_id, []))
    return lines


def claim_search_rows(*, judgments: list[Judgment]) -> list[dict]:
    """The claims of the judgments found by case number, for the search page."""
    if not judgments:
        return []
    return list(Claim.objects.filter(judgment__in=judgments).select_related("judgment", "victim")
                .order_by("judgment__case_number", "position")
                .values("pk", "judgment__case_number", "position", "victim__name_hangul", "state")[:200])


__all__ = ["DebtorIndemnity", "IndemnityOverview", "claim_search_rows", "documents_find", "holder_explanations",
           "indemnity_claims", "indemnity_overview", "judgments_by_case_number"]
