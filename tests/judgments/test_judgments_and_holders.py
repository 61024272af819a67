"""Judgments, persons, documents, claims and who holds them (DOMAIN.md §3 heirs; issue 5 §1)."""

from __future__ import annotations

import hashlib
from datetime import date
from fractions import Fraction

import pytest
from django.db import connection
from factories import staff_user

from baesang.cases import holdings
from baesang.cases.models import ClaimHolding, HolderChange
from baesang.cases.selectors import person_claims
from baesang.core import roles
from baesang.judgments import services
from baesang.judgments.errors import (
    HeirshipFailed,
    HoldingLocked,
    InvalidCaseNumber,
    InvalidClaim,
    InvalidPerson,
    InvalidShares,
)
from baesang.judgments.models import Document, Person
from baesang.judgments.selectors import persons_search

SEGMENT = "2013-07-31:paid:20"  # MHI Hiroshima, interest wording assumed in DOMAIN.md §4


def person(officer, name, **extra):
    return services.person_create(name_hangul=name, actor=officer, **extra)


def claim_of(judgment, officer, victim, position=1):
    return services.claim_create(judgment=judgment, position=position, victim=victim, principal=80_000_000,
                                 segments=[SEGMENT], actor=officer)


@pytest.mark.django_db
def test_case_numbers_are_written_as_the_court_writes_them(officer, judgment):
    assert judgment.case_number == "2013다67587"
    for bad in ("2013-67587", "다67587", "2013 da 67587", "13다1"):
        with pytest.raises(InvalidCaseNumber):
            services.judgment_create(case_number=bad, court=judgment.court, debtor=judgment.debtor,
                                     decided_on=date(2018, 11, 29), final_on=date(2018, 11, 29), plaintiffs_count=1,
                                     actor=officer)


@pytest.mark.django_db
def test_a_claim_is_validated_by_the_interest_engine(officer, judgment):
    victim = person(officer, "피해자")
    with pytest.raises(InvalidClaim) as gap:
        services.claim_create(judgment=judgment, position=1, victim=victim, principal=80_000_000,
                              segments=["2015-05-13:2015-06-24:5", "2015-06-26:paid:20"], actor=officer)
    assert gap.value.code == "invalid_claim.segments_gap"
    with pytest.raises(InvalidClaim):
        services.claim_create(judgment=judgment, position=1, victim=victim, principal=0, segments=[SEGMENT],
                              actor=officer)
    claim = services.claim_create(judgment=judgment, position=1, victim=victim, principal=120_000_000,
                                  segments=["2015-05-13:2015-06-24:5", "2015-06-25:paid:20"], actor=officer)
    assert [(s.start, s.end, s.rate) for s in claim.segments.order_by("position")][1][1] is None


@pytest.mark.django_db
def test_a_person_is_found_by_name_in_hangul_hanja_or_romanization(officer):
    # baesang.pii.names: 박순이 must be found by Park Sun-i, Pak Suni and 朴順伊 (issue 6 §1).
    target = person(officer, "박순이", name_hanja="朴順伊", name_roman="Park Sun-i")
    person(officer, "김철수", name_roman="Kim Cheol-su")
    for query in ("박순이", "Park Sun-i", "Pak Suni", "PARK SUNI", "朴順伊"):
        assert persons_search(query=query) == [target], query
    assert persons_search(query="Lee Sun-i") == []


@pytest.mark.django_db
def test_personal_data_is_encrypted_at_rest_and_validated(officer):
    somebody = person(officer, "이영희", phone="010-1234-5678",
                      bank_account="110-222-333444")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone, bank_account FROM {Person._meta.db_table} WHERE id = %s", [somebody.pk])
        phone, account = cursor.fetchone()
    assert "1234" not in phone and "333444" not in account
    somebody.refresh_from_db()
    assert somebody.bank_account.reveal() == "110-222-333444"
    assert str(somebody.phone) == "010-****-5678"
    with pytest.raises(InvalidPerson, match="resident registration number"):
        person(officer, "오류", rrn="123")


@pytest.mark.django_db
def test_a_document_is_kept_once_by_its_sha256(officer):
    content = b"family relation certificate of a deceased victim"
    first = services.document_store(kind="family_relation_certificate", title="가족관계증명서", content=content,
                                    filename="cert.pdf", actor=officer)
    again = services.document_store(kind="family_relation_certificate", title="copy", content=content,
                                    filename="copy.pdf", actor=officer)
    assert first.pk == again.pk and Document.objects.count() == 1
    assert first.sha256 == hashlib.sha256(content).hexdigest()
    assert first.file.read() == content


def family_of_victim():
    # The victim died in 2010 (regime from 1991-01-01): the wife takes 1.5 shares against 1 for
    # each child (Civil Code Art. 1009(2)) → 3/7, 2/7, 2/7.
    return {"decedent": "V",
            "persons": [{"id": "V", "sex": "M", "died": "2010-05-01"}, {"id": "W", "sex": "F"},
                        {"id": "A", "sex": "M"}, {"id": "B", "sex": "F"}],
            "marriages": [{"a": "V", "b": "W"}],
            "children": [{"parent": "V", "child": "A"}, {"parent": "W", "child": "A"},
                         {"parent": "V", "child": "B"}, {"parent": "W", "child": "B"}]}


@pytest.fixture
def checker(db):
    """A second case officer, who approves what the first proposes (four eyes)."""
    return staff_user("case2", roles.CASE_OFFICER)


def approved(proposal, checker):
    """The holder change made when a second person approves ``proposal``."""
    return holdings.holder_change_approve(proposal=proposal, actor=checker).change


def died(officer, someone, on: date):
    certificate = services.document_store(kind="other", title=f"기본증명서 {someone}",
                                          content=f"{someone} {on}".encode(), filename="certificate.pdf",
                                          actor=officer)
    return services.person_death_record(person=someone, death_date=on, document=certificate, actor=officer)


@pytest.fixture
def family(officer, checker, judgment):
    victim = person(officer, "정대한", death_date=date(2010, 5, 1))
    heirs = {key: person(officer, name) for key, name in (("W", "한순자"), ("A", "정일남"), ("B", "정이순"))}
    claim = claim_of(judgment, officer, victim)
    proposal = holdings.holders_propose_family(claim=claim, family=family_of_victim(),
                                               persons={"V": victim, **heirs}, actor=officer)
    return claim, victim, heirs, approved(proposal, checker)


@pytest.mark.django_db
def test_heirs_hold_the_claim_in_statutory_shares_with_the_family_file_kept(family):
    claim, victim, heirs, change = family
    shares = {h.holder_id: h.share for h in claim.holdings.filter(superseded_at__isnull=True)}
    assert shares == {heirs["W"].pk: Fraction(3, 7), heirs["A"].pk: Fraction(2, 7), heirs["B"].pk: Fraction(2, 7)}
    assert change.basis == HolderChange.HEIRSHIP and change.regime
    assert change.family_sha256 == hashlib.sha256(holdings.canonical_json(family_of_victim()).encode()).hexdigest()
    assert change.valid_from == date(2010, 5, 1)


@pytest.mark.django_db
def test_re_succession_merges_a_share_into_an_heir_who_already_holds_one(officer, checker, family):
    claim, _, heirs, _ = family
    died(officer, heirs["W"], date(2020, 2, 2))
    widow_family = {"decedent": "W", "persons": [{"id": "W", "sex": "F", "died": "2020-02-02"},
                                                 {"id": "A", "sex": "M"}, {"id": "B", "sex": "F"}],
                    "children": [{"parent": "W", "child": "A"}, {"parent": "W", "child": "B"}]}
    approved(holdings.holders_propose_family(claim=claim, family=widow_family,
                                             persons={"W": heirs["W"], "A": heirs["A"], "B": heirs["B"]},
                                             actor=officer), checker)
    current = {h.holder_id: h.share for h in claim.holdings.filter(superseded_at__isnull=True)}
    # A: 2/7 + 3/7 × 1/2 = 1/2; B the same.
    assert current == {heirs["A"].pk: Fraction(1, 2), heirs["B"].pk: Fraction(1, 2)}
    assert claim.holdings.count() == 5  # three first holdings kept as history, two new
    assert person_claims(person=heirs["W"])[0]["current"] is False


@pytest.mark.django_db
def test_a_holder_change_never_touches_a_paid_share(officer, checker, family):
    claim, _, heirs, _ = family
    paid = claim.holdings.get(holder=heirs["A"])
    ClaimHolding.objects.filter(pk=paid.pk).update(state=ClaimHolding.PAID)
    died(officer, heirs["B"], date(2021, 3, 3))
    child, spouse = person(officer, "김하나"), person(officer, "김남편")
    b_family = {"decedent": "B", "persons": [{"id": "B", "sex": "F", "died": "2021-03-03"}, {"id": "H", "sex": "M"},
                                             {"id": "C", "sex": "F"}],
                "marriages": [{"a": "B", "b": "H"}], "children": [{"parent": "B", "child": "C"},
                                                                 {"parent": "H", "child": "C"}]}
    approved(holdings.holders_propose_family(claim=claim, family=b_family,
                                             persons={"B": heirs["B"], "H": spouse, "C": child}, actor=officer),
             checker)
    current = {h.holder_id: (h.share, h.state) for h in claim.holdings.filter(superseded_at__isnull=True)}
    assert current[heirs["A"].pk] == (Fraction(2, 7), ClaimHolding.PAID)
    # B's 2/7 passes 1.5 : 1 to her husband and child → 6/35 and 4/35.
    assert current[spouse.pk][0] == Fraction(6, 35) and current[child.pk][0] == Fraction(4, 35)
    assert sum(share for share, _ in current.values()) == 1
    ruling = services.document_store(kind="court_decision", title="결정", content=b"ruling", filename="r.pdf",
                                     actor=officer)
    with pytest.raises(HoldingLocked, match="paid"):
        holdings.holders_propose_document(claim=claim, shares={spouse: Fraction(1)}, document=ruling, actor=officer,
                                          valid_from=date(2022, 1, 1), replaces=list(claim.holdings.filter(
                                              superseded_at__isnull=True)))


@pytest.mark.django_db
def test_shares_must_add_up_and_old_deaths_need_a_document(officer, checker, judgment):
    victim = person(officer, "옛사람", death_date=date(1955, 1, 1))
    son, daughter = person(officer, "아들"), person(officer, "딸")
    claim = claim_of(judgment, officer, victim)
    old_family = {"decedent": "V", "persons": [{"id": "V", "sex": "M", "died": "1955-01-01"},
                                               {"id": "S", "sex": "M"}],
                  "children": [{"parent": "V", "child": "S"}]}
    with pytest.raises(HeirshipFailed, match="refused"):
        holdings.holders_propose_family(claim=claim, family=old_family, persons={"V": victim, "S": son},
                                        actor=officer)
    ruling = services.document_store(kind="court_decision", title="상속 지분 결정", content=b"shares by custom",
                                     filename="ruling.pdf", actor=officer)
    with pytest.raises(InvalidShares):
        holdings.holders_propose_document(claim=claim, shares={son: Fraction(1, 2), daughter: Fraction(1, 3)},
                                          document=ruling, actor=officer, valid_from=date(1955, 1, 1))
    proposal = holdings.holders_propose_document(claim=claim, shares={son: Fraction(2, 3), daughter: Fraction(1, 3)},
                                                 document=ruling, actor=officer, valid_from=date(1955, 1, 1))
    assert claim.holdings.count() == 0  # nothing changes before a second person approves
    change = approved(proposal, checker)
    assert change.basis == HolderChange.DOCUMENT and claim.holdings.count() == 2
