"""Who may receive the money (issue 14 §1): a death is a recorded fact with its evidence; a family
file must agree with the recorded persons; every change of who holds a claim, and of a holder's
bank account, is a proposal a second person approves (four eyes, also a CHECK); a payment to an
account changed shortly before is found for flagging at batch approval."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from casework_support import document
from django.db import IntegrityError, transaction
from django.utils import timezone

from baesang.cases import holdings
from baesang.cases.errors import FourEyesViolation
from baesang.cases.models import ClaimHolding, HolderChangeProposal
from baesang.core.models import AuditEvent
from baesang.core.permissions import ActionNotPermitted
from baesang.judgments import services as registry
from baesang.judgments.models import Claim

pytestmark = pytest.mark.django_db

# The victim died in 2010 (Civil Code from 1991): wife 1.5 shares, each child 1 (Art. 1009(2)) → 3/5, 2/5.
DIED = date(2010, 5, 1)


def family(died: str = "2010-05-01", **victim) -> dict:
    return {"decedent": "V", "persons": [{"id": "V", "sex": "M", "died": died, **victim}, {"id": "W", "sex": "F"},
                                         {"id": "A", "sex": "M", "born": "1950-02-03"}],
            "marriages": [{"a": "V", "b": "W"}],
            "children": [{"parent": "V", "child": "A"}, {"parent": "W", "child": "A"}]}


@pytest.fixture
def heirs(world):
    return {"W": world.person("한순자", sex="F"), "A": world.person("정일남", sex="M", birth_date=date(1950, 2, 3))}


def _record_death(world, person, on: date = DIED):
    evidence = document("other", f"basic certificate of {person.pk}", world.staff.case)
    return registry.person_death_record(person=person, death_date=on, document=evidence, actor=world.staff.case)


def _holders(claim: Claim) -> dict[int, Fraction]:
    return {h.holder_id: h.share for h in ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True)}


def test_a_family_file_declaring_a_living_victim_dead_is_refused_and_changes_nothing(world, heirs):
    # The defect of issue 14: `claim holders 18 --family fam.json --map V=56 --map A=57` on a living victim.
    victim = world.person("정대한", sex="M")
    claim = world.claim(victim)
    before = (_holders(claim), HolderChangeProposal.objects.count(), AuditEvent.objects.count())
    with pytest.raises(holdings.FamilyDisagrees) as refused:
        holdings.holders_propose_family(claim=claim, family=family(), persons={"V": victim, **heirs},
                                        actor=world.staff.case)
    assert "recorded as living" in refused.value.message and f"person {victim.pk}" in refused.value.message
    assert (_holders(claim), HolderChangeProposal.objects.count(), AuditEvent.objects.count()) == before


def test_each_difference_between_the_family_file_and_the_records_is_named(world, heirs):
    victim = world.person("정대한", sex="M")
    claim = world.claim(victim)
    _record_death(world, victim, date(2010, 5, 2))
    wrong = family(sex="F")
    wrong["persons"][1]["sex"] = "M"  # the engine needs a man and a woman in a marriage
    wrong["persons"][2]["born"] = "1951-01-01"
    wrong["persons"][1]["died"] = "2015-01-01"
    with pytest.raises(holdings.FamilyDisagrees) as refused:
        holdings.holders_propose_family(claim=claim, family=wrong, persons={"V": victim, **heirs},
                                        actor=world.staff.case)
    text = refused.value.message
    assert "date of death 2010-05-01, the record 2010-05-02" in text  # the decedent's date of death
    assert "sex F, the record M" in text and "sex M, the record F" in text  # the decedent's and the widow's sex
    assert "birth date 1951-01-01, the record 1950-02-03" in text  # an heir's birth date
    assert "date of death 2015-01-01, but they are recorded as living" in text  # an heir's death
    assert text.count("\n- ") == 5


def test_a_holder_change_needs_a_second_person(world, heirs):
    victim = world.person("정대한", sex="M")
    claim = world.claim(victim)
    plaintiff_holding = ClaimHolding.objects.get(claim=claim)
    _record_death(world, victim)
    proposal = holdings.holders_propose_family(claim=claim, family=family(), persons={"V": victim, **heirs},
                                               actor=world.staff.case)
    assert proposal.state == HolderChangeProposal.PROPOSED and proposal.replaces == [plaintiff_holding.pk]
    assert _holders(claim) == {victim.pk: 1}  # nothing changes on a proposal
    with pytest.raises(FourEyesViolation):
        holdings.holder_change_approve(proposal=proposal, actor=world.staff.case)
    with pytest.raises(ActionNotPermitted):
        holdings.holder_change_approve(proposal=proposal, actor=world.staff.finance)
    assert _holders(claim) == {victim.pk: 1}
    done = holdings.holder_change_approve(proposal=proposal, actor=world.staff.approver, note="checked")
    assert done.state == HolderChangeProposal.APPROVED and done.decided_by == world.staff.approver
    assert _holders(claim) == {heirs["W"].pk: Fraction(3, 5), heirs["A"].pk: Fraction(2, 5)}
    assert done.change.family_sha256 == proposal.family_sha256
    actions = list(AuditEvent.objects.filter(entity_id=str(proposal.pk), entity_type="cases.holderchangeproposal")
                   .values_list("action", "actor_label"))
    assert ("holder_change.propose", "case") in actions and ("holder_change.approve", "approver") in actions
    with pytest.raises(holdings.ProposalNotOpen):
        holdings.holder_change_approve(proposal=proposal, actor=world.staff.approver)


def test_the_database_refuses_a_proposal_decided_by_its_proposer(world, heirs):
    claim = world.claim()
    ruling = document("court_decision", "ruling", world.staff.case)
    proposal = holdings.holders_propose_document(claim=claim, shares={heirs["W"]: Fraction(1)}, document=ruling,
                                                 actor=world.staff.case, valid_from=date(2019, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        HolderChangeProposal.objects.filter(pk=proposal.pk).update(
            state=HolderChangeProposal.REJECTED, decided_by=world.staff.case, decided_at=timezone.now())


def test_a_rejected_or_stale_proposal_changes_nothing(world, heirs):
    claim = world.claim()
    ruling = document("court_decision", "ruling", world.staff.case)
    first = holdings.holders_propose_document(claim=claim, shares={heirs["W"]: Fraction(1)}, document=ruling,
                                              actor=world.staff.case, valid_from=date(2019, 1, 1))
    second = holdings.holders_propose_document(claim=claim, shares={heirs["A"]: Fraction(1)}, document=ruling,
                                               actor=world.staff.case, valid_from=date(2019, 1, 1))
    with pytest.raises(Exception, match="say why"):
        holdings.holder_change_reject(proposal=second, actor=world.staff.approver, note=" ")
    holdings.holder_change_approve(proposal=first, actor=world.staff.approver)
    with pytest.raises(holdings.ProposalStale):
        holdings.holder_change_approve(proposal=second, actor=world.staff.approver)
    rejected = holdings.holder_change_reject(proposal=second, actor=world.staff.approver, note="superseded")
    assert rejected.state == HolderChangeProposal.REJECTED
    assert _holders(claim) == {heirs["W"].pk: 1}


def test_a_death_is_recorded_only_with_evidence_and_never_by_a_plain_update(world):
    person = world.person("박순이", birth_date=date(1930, 1, 1))
    with pytest.raises(registry.PersonFieldGuarded):
        registry.person_update(person=person, death_date=DIED, actor=world.staff.case)
    with pytest.raises(registry.PersonFieldGuarded):
        registry.person_update(person=person, bank_account="1-2-3", actor=world.staff.case)
    with pytest.raises(registry.DeathNotRecordable, match="evidence"):
        registry.person_death_record(person=person, death_date=DIED, actor=world.staff.case)
    with pytest.raises(registry.DeathNotRecordable, match="before birth"):
        registry.person_death_record(person=person, death_date=date(1920, 1, 1), actor=world.staff.case,
                                     document=document("other", "certificate", world.staff.case))
    with pytest.raises(ActionNotPermitted):
        registry.person_death_record(person=person, death_date=DIED, actor=world.staff.finance)
    recorded = _record_death(world, person)
    assert recorded.death_date == DIED and recorded.death_document_id
    with pytest.raises(registry.DeathNotRecordable, match="already recorded"):
        _record_death(world, person, date(2011, 1, 1))


def test_a_bank_account_change_is_approved_by_a_second_person_and_then_flagged(world, settings):
    settings.BAESANG_ACCOUNT_CHANGE_DAYS = 30
    holder = world.person("박순이")
    proposal = holdings.account_change_propose(person=holder, bank_name="새은행", bank_account="333-444-555",
                                               actor=world.staff.case, reason="the holder asked in writing")
    holder.refresh_from_db()
    assert holder.bank_account.reveal() != "333-444-555"  # not before approval
    assert holdings.accounts_changed_recently([holder.pk], timezone.localdate()) == {}
    with pytest.raises(FourEyesViolation):
        holdings.holder_change_approve(proposal=proposal, actor=world.staff.case)
    holdings.holder_change_approve(proposal=proposal, actor=world.staff.approver)
    holder.refresh_from_db()
    assert holder.bank_name == "새은행" and holder.bank_account.reveal() == "333-444-555"
    today = timezone.localdate()
    assert holdings.accounts_changed_recently([holder.pk], today) == {holder.pk: today}
    # 31 days later the change is old enough; with a 40-day setting it is still flagged
    assert holdings.accounts_changed_recently([holder.pk], today + timedelta(days=31)) == {}
    assert holdings.accounts_changed_recently([holder.pk], today + timedelta(days=31), days=40) == {holder.pk: today}
    assert not AuditEvent.objects.filter(new__icontains="333-444-555").exists()  # the account is never logged


def test_the_plaintiff_at_registration_holds_at_once_but_nobody_else(world):
    victim, other = world.person("원고"), world.person("남")
    claim = registry.claim_create(judgment=world.judgment, position=9, victim=victim, principal=1_000_000,
                                  segments=["2013-06-19:paid:20"], actor=world.staff.case)
    with pytest.raises(Exception, match="neither its plaintiff nor its victim"):
        holdings.claim_holders_plaintiff(claim=claim, actor=world.staff.case, holder=other)
    holdings.claim_holders_plaintiff(claim=claim, actor=world.staff.case)
    assert _holders(claim) == {victim.pk: 1}


def test_a_family_file_is_checked_again_at_approval(world, heirs):
    victim = world.person("정대한", sex="M")
    claim = world.claim(victim)
    _record_death(world, victim)
    proposal = holdings.holders_propose_family(claim=claim, family=family(), persons={"V": victim, **heirs},
                                               actor=world.staff.case)
    _record_death(world, heirs["A"], date(2020, 1, 1))  # the son died after the proposal was made
    with pytest.raises(holdings.FamilyDisagrees, match="recorded as died on 2020-01-01"):
        holdings.holder_change_approve(proposal=proposal, actor=world.staff.approver)
    assert _holders(claim) == {victim.pk: 1}
