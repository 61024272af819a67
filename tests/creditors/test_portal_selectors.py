"""The portal finds a claim's place on the waiting list without computing every claim's amount:
the same place as the waiting list itself (cases.selectors.claims_waiting), for both policies."""

from __future__ import annotations

from datetime import date

import pytest

from baesang.cases import holdings
from baesang.cases.selectors import POLICIES, claims_waiting
from baesang.creditors.selectors import waiting_places
from baesang.judgments import services as registry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("policy", POLICIES)
def test_places_agree_with_the_waiting_list(pw, policy):
    living = registry.person_create(name_hangul="이생존", birth_date=date(1925, 1, 1), actor=pw.case)
    late = registry.claim_create(judgment=pw.claim.judgment, position=3, victim=living, principal=10_000_000,
                                 segments=["2013-06-19:paid:20"], actor=pw.case)
    holdings.claim_holders_plaintiff(claim=late, actor=pw.case)
    as_of = date(2024, 1, 2)
    reference = {row.claim_id: (row.rank, len(claims_waiting(as_of=as_of, policy=policy).claims))
                 for row in claims_waiting(as_of=as_of, policy=policy).claims}
    ids = {pw.claim.pk, pw.other_claim.pk, late.pk}
    assert len(reference) == 3
    assert waiting_places(claim_ids=ids, as_of=as_of, policy=policy) == reference
