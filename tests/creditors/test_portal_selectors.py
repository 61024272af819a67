"""The portal finds a claim's place on the waiting list without computing every claim's amount:
the same place as the waiting list itself (cases.selectors.claims_waiting), for both policies."""

from __future__ import annotations

from datetime import date

import pytest
from factories import JudgmentFactory

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


def _many_claims(pw) -> list[int]:
    """Claims on three judgments (final on different days, one not final until 2024-06-01, case
    numbers against the order of the days), victims living with a birth date (two born the same
    day), living without one, and dead (an heir holds), interest starting on different days."""
    victims = [(date(1930, 5, 1), None), (date(1925, 1, 1), None), (date(1925, 1, 1), None), (None, None),
               (date(1920, 3, 3), date(2001, 1, 1)), (date(1931, 7, 7), None)]
    judgments = [pw.claim.judgment,
                 JudgmentFactory(actor=pw.case, case_number="2010다1000", final_on=date(2019, 3, 1)),
                 JudgmentFactory(actor=pw.case, case_number="2009다5", final_on=date(2024, 6, 1),
                                 decided_on=date(2024, 5, 1))]
    ids = [pw.claim.pk, pw.other_claim.pk]
    positions = {judgment.pk: 2 for judgment in judgments}
    for i, (born, died) in enumerate(victims * 2):
        judgment = judgments[i % 3]
        positions[judgment.pk] += 1
        victim = registry.person_create(name_hangul=f"피해자{i}", birth_date=born, actor=pw.case)
        if died:
            evidence = registry.document_store(kind="other", title=f"death {i}", content=f"death {i}".encode(),
                                               filename="death.pdf", actor=pw.case)
            registry.person_death_record(person=victim, death_date=died, document=evidence, actor=pw.case)
        start = "2013-06-19" if i % 4 else "2024-03-01"
        claim = registry.claim_create(judgment=judgment, position=positions[judgment.pk], victim=victim,
                                      principal=10_000_000 * (i + 1), segments=[f"{start}:paid:20"], actor=pw.case)
        holdings.claim_holders_plaintiff(claim=claim, actor=pw.case)
        ids.append(claim.pk)
    return ids


@pytest.mark.parametrize("policy", POLICIES)
def test_places_agree_with_the_waiting_list_on_many_claims_and_days(pw, policy, django_assert_max_num_queries):
    ids = _many_claims(pw)
    for as_of in (date(2024, 1, 2), date(2024, 4, 1), date(2024, 7, 1)):
        whole = claims_waiting(as_of=as_of, policy=policy).claims
        reference = {row.claim_id: (row.rank, len(whole)) for row in whole}
        assert waiting_places(claim_ids=set(ids), as_of=as_of, policy=policy) == reference
        for asked in ({ids[0]}, set(ids[3::4]), set(ids[-3:])):
            # one COUNT per asked claim, the asked claims' keys and the length: never every claim read
            with django_assert_max_num_queries(len(asked) + 6):
                places = waiting_places(claim_ids=asked, as_of=as_of, policy=policy)
            assert places == {pk: reference[pk] for pk in asked if pk in reference}
    assert len({len(claims_waiting(as_of=day, policy=policy).claims)
                for day in (date(2024, 1, 2), date(2024, 4, 1), date(2024, 7, 1))}) == 3  # the days differ
