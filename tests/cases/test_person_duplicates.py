"""Probable duplicate persons: ``baesang match persons`` fills the review queue, case officers
decide, "same" merges (reversible by an administrator), "different" is remembered, and the
batch selector names a person awaiting a decision (baesang/judgments/matching.py,
baesang/cases/merging.py, docs/identity.md "Review queue")."""

from __future__ import annotations

import io
from datetime import date

import pytest
from casework_support import HALF, accept_all, fund_donate
from django.core.management import call_command
from factories import staff_user
from operator_support import operator_env, token_for

from baesang.cases import services
from baesang.cases.errors import DuplicateUndecided
from baesang.cases.merging import (
    InvalidDecision,
    MergeAlreadyReversed,
    MergeConflict,
    MergePaymentInProgress,
    PairAlreadyDecided,
    PersonAlreadyMerged,
    duplicate_pair_decide,
    open_pairs,
    persons_awaiting_duplicate_decision,
    persons_merge,
    persons_merge_reverse,
)
from baesang.cases.models import ClaimHolding, PaymentBatch
from baesang.core import roles
from baesang.core.models import AuditEvent
from baesang.judgments import services as registry
from baesang.judgments.duplicates import (
    DIFFERENT,
    OPEN,
    SAME,
    DuplicatePair,
    ExternalRecord,
    MatchRun,
    PersonMerge,
)
from baesang.judgments.matching import RRN_FIELD, persons_match
from baesang.judgments.models import Claim, Document, Person
from baesang.pii.fields import Sensitive


def rrn(front: str, sex_digit: str, serial: str) -> str:
    """A number with a valid check digit (weights 2..9,2..5; check = (11 - sum mod 11) mod 10)."""
    digits = front + sex_digit + serial
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 10
    return f"{front}-{sex_digit}{serial}{check}"


KIM_RRN = rrn("250304", "1", "10234")
PARK_RRN_1 = rrn("300102", "2", "10456")
PARK_RRN_2 = rrn("300102", "2", "11789")


@pytest.fixture
def persons(world):
    """A victim registered twice — in Hangul with Hanja by one officer, romanized from a passport
    by another —, a namesake born six years later, and two women of one name and birth date
    holding different registration numbers."""
    case = world.staff.case
    officer2 = staff_user("case2", roles.CASE_OFFICER)
    hangul = registry.person_create(actor=case, name_hangul="김영수", name_hanja="金永洙", sex="M",
                                    birth_date=date(1925, 3, 4), rrn=KIM_RRN)
    roman = registry.person_create(actor=officer2, name_hangul="Kim Young Soo", name_roman="Kim Young Soo",
                                   sex="M", birth_date=date(1925, 3, 4))
    namesake = registry.person_create(actor=case, name_hangul="김영수", sex="M", birth_date=date(1931, 7, 15))
    park1 = registry.person_create(actor=case, name_hangul="박순자", sex="F", birth_date=date(1930, 1, 2),
                                   rrn=PARK_RRN_1)
    park2 = registry.person_create(actor=case, name_hangul="박순자", sex="F", birth_date=date(1930, 1, 2),
                                   rrn=PARK_RRN_2)
    return {"hangul": hangul, "roman": roman, "namesake": namesake, "park1": park1, "park2": park2}


def _pair_ids() -> set[tuple[int, int]]:
    return set(DuplicatePair.objects.values_list("left_id", "right_id"))


def _key(a: Person, b: Person) -> tuple[int, int]:
    return tuple(sorted((a.pk, b.pk)))


def test_match_persons_finds_the_planted_duplicate_and_not_the_namesake(world, persons):
    out, err = io.StringIO(), io.StringIO()
    with operator_env(token_for("case")):
        call_command("match", "persons", "--user", "case", stdout=out, stderr=err)
    found = _pair_ids()
    assert _key(persons["hangul"], persons["roman"]) in found
    assert _key(persons["hangul"], persons["namesake"]) not in found
    assert _key(persons["roman"], persons["namesake"]) not in found
    # two different registration numbers (by their blind indexes) are two persons
    assert _key(persons["park1"], persons["park2"]) not in found
    pair = DuplicatePair.objects.get(left=min(_key(persons["hangul"], persons["roman"])))
    assert pair.state == OPEN and pair.probability >= 0.5
    assert {"prior", "surname", "given_name", "birth_date", "sex"} <= set(pair.explanation)
    assert pair.explanation[RRN_FIELD] == "absent"
    # no registration number anywhere in the output, the pairs or the audit rows
    text = out.getvalue() + err.getvalue() + repr(list(DuplicatePair.objects.values())) + repr(
        list(AuditEvent.objects.filter(action="persons_match").values()))
    for number in (KIM_RRN, PARK_RRN_1, PARK_RRN_2):
        assert number not in text and number.replace("-", "") not in text
        assert number[-7:] not in text
    assert "김영수" not in out.getvalue()


def test_matching_reads_the_blind_index_and_never_the_number(world, persons, monkeypatch):
    def refuse(self):
        raise AssertionError("a registration number was decrypted during matching")

    monkeypatch.setattr(Sensitive, "reveal", refuse)
    run = persons_match(actor=world.staff.case)
    assert run.persons_count == 5 and run.pairs_new >= 1


def test_a_second_run_proposes_nothing_new_and_different_is_never_proposed_again(world, persons):
    persons_match(actor=world.staff.case)
    pair = DuplicatePair.objects.get(left_id=min(_key(persons["hangul"], persons["roman"])))
    duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=DIFFERENT, reason="different fathers")
    run = persons_match(actor=world.staff.case)
    assert run.pairs_new == 0 and run.pairs_skipped >= 1
    pair.refresh_from_db()
    assert pair.state == DIFFERENT and pair.decided_by == world.staff.case
    assert not open_pairs().filter(pk=pair.pk).exists()
    with pytest.raises(PairAlreadyDecided):
        duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=SAME, reason="changed mind")


def test_a_decision_needs_a_known_word_and_a_reason(world, persons):
    persons_match(actor=world.staff.case)
    pair = DuplicatePair.objects.first()
    with pytest.raises(InvalidDecision):
        duplicate_pair_decide(actor=world.staff.case, pair=pair, decision="maybe", reason="x")
    with pytest.raises(InvalidDecision):
        duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=SAME, reason="  ")


def test_same_moves_claims_holdings_and_documents_audited_and_the_reverse_restores_them(world, persons, staff):
    hangul, roman = persons["hangul"], persons["roman"]
    claim = world.claim(victim=roman)
    document = registry.document_store(kind="other", title="passport copy", content=b"passport", filename="p.pdf",
                                       actor=world.staff.case, person=roman)
    persons_match(actor=world.staff.case)
    pair = DuplicatePair.objects.get(left_id=min(hangul.pk, roman.pk))
    duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=SAME, keep=hangul.pk,
                          reason="same father, same village in the register")
    claim.refresh_from_db()
    document.refresh_from_db()
    assert claim.victim_id == hangul.pk
    assert claim.plaintiff_id in (None, hangul.pk)
    assert set(ClaimHolding.objects.filter(claim=claim).values_list("holder_id", flat=True)) == {hangul.pk}
    assert document.person_id == hangul.pk
    merge = PersonMerge.objects.get(merged=roman)
    assert merge.kept_id == hangul.pk and merge.active and merge.moved["victim_claims"] == [claim.pk]
    assert Person.objects.filter(pk=roman.pk).exists()  # kept, as merged-into
    assert AuditEvent.objects.filter(action="persons_merge", entity_id=str(merge.pk)).exists()
    assert AuditEvent.objects.filter(action="duplicate_pair_decide", entity_id=str(pair.pk)).exists()
    # the merged person is not matched again, and no longer in the queue
    assert persons_match(actor=world.staff.case).persons_count == 4

    admin = staff_user("admin", roles.ADMINISTRATOR)
    persons_merge_reverse(actor=admin, merge=merge, reason="the register entry was of another man")
    claim.refresh_from_db()
    document.refresh_from_db()
    assert claim.victim_id == roman.pk
    assert set(ClaimHolding.objects.filter(claim=claim).values_list("holder_id", flat=True)) == {roman.pk}
    assert document.person_id == roman.pk
    merge.refresh_from_db()
    assert not merge.active and merge.reversed_by == admin
    pair.refresh_from_db()
    assert pair.state == OPEN
    assert AuditEvent.objects.filter(action="persons_merge_reverse", entity_id=str(merge.pk)).exists()


def test_a_merge_refuses_two_current_shares_of_one_claim(world, persons):
    hangul, roman = persons["hangul"], persons["roman"]
    world.claim(victim=hangul, heirs={hangul: HALF, roman: HALF})
    persons_match(actor=world.staff.case)
    pair = DuplicatePair.objects.get(left_id=min(hangul.pk, roman.pk))
    with pytest.raises(MergeConflict):
        duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=SAME, reason="one man")
    pair.refresh_from_db()
    assert pair.state == OPEN and not PersonMerge.objects.exists()


def test_the_selector_names_a_person_awaiting_a_decision(world, persons, staff):
    hangul, roman = persons["hangul"], persons["roman"]
    paid_claim = world.claim(victim=hangul)
    accept_all(world, paid_claim)
    fund_donate(1_000_000_000)
    services.batch_prepare(payment_date=date(2023, 4, 10), preparer=staff.finance, claims=[paid_claim])
    persons_match(actor=world.staff.case)
    pair = DuplicatePair.objects.get(left_id=min(hangul.pk, roman.pk))
    # the romanized record's twin has an open payment line: it must wait for the decision
    assert persons_awaiting_duplicate_decision([roman.pk]) == {roman.pk: pair}
    # the namesake has no pair; the hangul record's twin has no payment line
    assert persons_awaiting_duplicate_decision([persons["namesake"].pk, hangul.pk]) == {}
    # both records in one batch: both wait
    assert set(persons_awaiting_duplicate_decision([hangul.pk, roman.pk])) == {hangul.pk, roman.pk}
    # the hangul record's holding is in a batch awaiting the bank: it cannot move yet
    with pytest.raises(MergePaymentInProgress):
        duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=SAME, keep=roman.pk, reason="one man")
    pair.refresh_from_db()
    assert pair.state == OPEN
    duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=DIFFERENT, reason="two men")
    assert persons_awaiting_duplicate_decision([roman.pk]) == {}
    assert MatchRun.objects.count() == 1
    assert Claim.objects.filter(victim=hangul).count() == 1
    assert Document.objects.count() >= 1


def test_a_merge_is_reversed_only_from_the_end_of_a_chain(world, persons):
    admin = staff_user("admin", roles.ADMINISTRATOR)
    first, second, third = persons["hangul"], persons["roman"], persons["namesake"]
    claim = world.claim(victim=second)
    inner = persons_merge(actor=world.staff.case, kept=first, merged=second, reason="one man")
    outer = persons_merge(actor=world.staff.case, kept=third, merged=first, reason="one man again")
    claim.refresh_from_db()
    assert claim.victim_id == third.pk
    with pytest.raises(PersonAlreadyMerged):
        persons_merge(actor=world.staff.case, kept=third, merged=second, reason="twice")
    with pytest.raises(PersonAlreadyMerged):
        persons_merge_reverse(actor=admin, merge=inner, reason="too early")
    persons_merge_reverse(actor=admin, merge=outer, reason="the second merge was wrong")
    persons_merge_reverse(actor=admin, merge=inner, reason="the first too")
    claim.refresh_from_db()
    assert claim.victim_id == second.pk
    with pytest.raises(MergeAlreadyReversed):
        persons_merge_reverse(actor=admin, merge=inner, reason="again")


def test_a_register_entry_is_kept_as_evidence_linked_to_its_person(world, persons, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text(
        "id,name,name_reading,birth_date,sex,employer\n"
        "G-1,金永洙,김영수,大正14年3月4日,M,日本製鐵 八幡製鐵所\n"  # Taishō 14 = 1925 (1912 + 14 - 1)
        "G-2,李哲洙,이철수,1920-05-05,M,\n",
        encoding="utf-8")
    out = io.StringIO()
    with operator_env(token_for("case")):
        call_command("match", "register", str(register), "--source", "government_register", "--user", "case",
                     stdout=out)
    first = ExternalRecord.objects.get(source="government_register", record_id="G-1")
    assert first.person_id in (persons["hangul"].pk, persons["roman"].pk)
    assert first.fields["name"] == "金永洙" and first.fields["employer"] == "日本製鐵 八幡製鐵所"
    assert ExternalRecord.objects.get(record_id="G-2").person_id is None
    assert "2 entr(ies) of government_register kept, 1 linked" in out.getvalue()
    # a second run updates the entries, never doubles them
    with operator_env(token_for("case")):
        call_command("match", "register", str(register), "--source", "government_register", "--user", "case",
                     stdout=io.StringIO())
    assert ExternalRecord.objects.count() == 2


def test_a_batch_holds_back_a_probable_duplicate_until_the_pair_is_decided(world, persons, staff):
    # Issue 12 §3: a person who is a probable duplicate of another with an open or paid line
    # cannot be put in a payment batch until the pair is decided; the preparation names them.
    hangul, roman = persons["hangul"], persons["roman"]
    fund_donate(1_000_000_000)
    first, second = world.claim(victim=hangul), world.claim(victim=roman)
    accept_all(world, first)
    accept_all(world, second)
    services.batch_prepare(payment_date=date(2023, 4, 10), preparer=staff.finance, claims=[first])
    persons_match(actor=world.staff.case)
    pair = DuplicatePair.objects.get(left_id=min(hangul.pk, roman.pk))
    with pytest.raises(DuplicateUndecided, match=f"person {roman.pk} \\(pair {pair.pk}\\)"):
        services.batch_prepare(payment_date=date(2023, 4, 10), preparer=staff.finance, claims=[second])
    assert PaymentBatch.objects.count() == 1
    duplicate_pair_decide(actor=world.staff.case, pair=pair, decision=DIFFERENT, reason="two men, two villages")
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=staff.finance, claims=[second])
    assert batch.line_count == 1
