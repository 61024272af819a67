"""Reads of the judgments app: finding persons by name in any script, judgments with their
claims, who holds a claim.

Name search uses the keys of :mod:`baesang.pii.names` stored with each person
(``Person.search_text``): ``박순이``, ``Park Sun-i``, ``Pak Suni`` and ``朴順伊`` find the same
person. Only names and dates are returned; personal data stays encrypted and masked.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from baesang.judgments.models import Judgment, Person
from baesang.pii.names import query_fragments


def persons_search(*, query: str, limit: int = 50) -> list[Person]:
    """Persons whose name matches ``query`` (Hangul, Hanja or a romanization), by name."""

    query = (query or "").strip()
    if not query:
        return []
    condition = Q(name_hangul=query) | Q(name_hanja=query)
    for fragment in query_fragments(query):
        condition |= Q(search_text__contains=fragment)
    return list(Person.objects.filter(condition).order_by("name_hangul", "pk")[:limit])


def judgments_list() -> list[dict]:
    """Judgments with their debtor, final date, number of claims and principal in total."""
    query = Judgment.objects.select_related("court", "debtor").annotate(
        claims_count=Count("claims"), principal_total=Sum("claims__principal")).order_by("final_on", "case_number")
    return [{"id": j.pk, "case_number": j.case_number, "court": j.court.name, "debtor": j.debtor.name,
             "debtor_code": j.debtor.code, "decided_on": j.decided_on.isoformat(), "final_on": j.final_on.isoformat(),
             "plaintiffs_count": j.plaintiffs_count, "claims": j.claims_count, "principal": j.principal_total or 0}
            for j in query]
