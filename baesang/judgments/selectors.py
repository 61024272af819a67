"""Reads of the judgments app: finding persons by name in any script, judgments with their
claims, who holds a claim.

Name search uses the keys of :mod:`baesang.pii.names` stored with each person
(``Person.search_text``): ``박순이``, ``Park Sun-i``, ``Pak Suni`` and ``朴順伊`` find the same
person. Only names and dates are returned; personal data stays encrypted and masked.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import connection
from django.db.models import CharField, Count, F, Q, Sum, Value
from django.db.models.functions import Concat

from baesang.core.paging import PAGE_DEFAULT, KeysetPage, keyset_page
from baesang.judgments.models import Judgment, Person
from baesang.pii.names import query_fragments


def _persons_matching(query: str):
    """Persons whose name is ``query`` or whose search keys contain one of its fragments: each
    condition has its index (name, Hanja name; on PostgreSQL the trigram index of
    ``search_text``, migration 0009), so the search stays fast at millions of persons."""
    condition = Q(name_hangul=query) | Q(name_hanja=query)
    postgres = connection.vendor == "postgresql"
    for fragment in query_fragments(query):
        key = fragment[1:-1]
        if postgres and fragment.startswith("|") and fragment.endswith("|") and key and "|" not in key:
            # A whole key (a full name): its containment in the keys, one exact look-up in the GIN
            # index of search_keys (migration 0010) — the same persons as ``|key|`` in search_text
            # (search_text is the keys joined by "|", and no key holds a "|").
            condition |= Q(search_keys__contains=[key])
        else:
            condition |= Q(search_text__contains=fragment)
    # Ordered by an expression of the name, not the column: so PostgreSQL answers from the
    # indexes of the conditions (a bitmap of the matches, then sorts them) instead of walking the
    # name index in order and filtering every person before the first match (0.4 s at 1 M persons).
    return Person.objects.filter(condition).annotate(
        search_order=Concat(F("name_hangul"), Value(""), output_field=CharField()))


def persons_search(*, query: str, limit: int = 50) -> list[Person]:
    """Persons whose name matches ``query`` (Hangul, Hanja or a romanization), by name."""

    query = (query or "").strip()
    if not query:
        return []
    return list(_persons_matching(query).order_by("search_order", "pk")[:limit])


def persons_search_page(*, query: str, cursor: str | None = None, before: str | None = None,
                        limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of :func:`persons_search` by name (keyset, :mod:`baesang.core.paging`)."""
    query = (query or "").strip()
    if not query:
        return KeysetPage(items=[], limit=limit)
    matching = _persons_matching(query)
    return keyset_page(matching, name="persons", order=("search_order", "pk"), after=cursor, before=before,
                       limit=limit)


def judgments_page(*, cursor: str | None = None, before: str | None = None, limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of :func:`judgments_list` (same rows, same order; keyset)."""
    query = Judgment.objects.select_related("court", "debtor").annotate(
        claims_count=Count("claims"), principal_total=Sum("claims__principal"))
    page = keyset_page(query, name="judgments", order=("final_on", "case_number", "pk"), after=cursor,
                       before=before, limit=limit)
    return replace(page, items=[_judgment_row(j) for j in page.items])


def judgment_row(*, judgment_id: int) -> dict:
    """One judgment as :func:`judgments_list` lists it (without reading the others)."""
    return _judgment_row(Judgment.objects.select_related("court", "debtor").annotate(
        claims_count=Count("claims"), principal_total=Sum("claims__principal")).get(pk=judgment_id))


def _judgment_row(j: Judgment) -> dict:
    return {"id": j.pk, "case_number": j.case_number, "court": j.court.name, "debtor": j.debtor.name,
            "debtor_code": j.debtor.code, "decided_on": j.decided_on.isoformat(), "final_on": j.final_on.isoformat(),
            "plaintiffs_count": j.plaintiffs_count, "claims": j.claims_count, "principal": j.principal_total or 0}


def judgments_list() -> list[dict]:
    """Judgments with their debtor, final date, number of claims and principal in total."""
    query = Judgment.objects.select_related("court", "debtor").annotate(
        claims_count=Count("claims"), principal_total=Sum("claims__principal")).order_by("final_on", "case_number")
    return [_judgment_row(j) for j in query]
