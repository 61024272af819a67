"""Offers, verified consent and refusals (DOMAIN.md §1: consent must be verifiable; nobody
accepts for a creditor without a record of identity, capacity, witness and signed form)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from casework_support import accept_all, document, fund_donate
from django.db import IntegrityError, transaction

from baesang.cases import services
from baesang.cases.errors import ConsentNotVerified, EmptyBatch, IllegalTransition
from baesang.cases.models import ClaimHolding, ConsentVerification, Offer
from baesang.core.models import AuditEvent
from baesang.core.permissions import ActionNotPermitted
from baesang.judgments.models import Claim

OFFERED = date(2023, 3, 16)
ANSWERED = date(2023, 3, 20)


def offer_for(world, **person):
    claim = world.claim(world.person("김갑순", **person))
    return claim, services.offer_make(holding=claim.holdings.get(), offered_on=OFFERED, actor=world.staff.case)


def accept(world, offer, **overrides):
    arguments = dict(offer=offer, actor=world.staff.case, verified_on=ANSWERED, identity_method="id_card_in_person",
                     capacity="self", witness_name="증인 을", form_document=world.consent_form(f"form {offer.pk}"))
    arguments.update(overrides)
    return services.offer_accept(**arguments)


@pytest.mark.django_db
def test_an_offer_quotes_the_holders_part_and_an_acceptance_is_recorded_with_its_verification(world):
    claim, offer = offer_for(world)
    # 100,000,000 won at 20 % from 2013-06-19 to 2023-03-16: 9 whole years (180,000,000) plus
    # 271 days over 365 of 20,000,000 → 14,849,315.06, truncated (Civil Code Arts. 159–160).
    assert offer.amount_quoted == 100_000_000 + 180_000_000 + 14_849_315
    claim.refresh_from_db()
    assert claim.state == Claim.OFFERED
    consent = accept(world, offer)
    offer.refresh_from_db()
    claim.refresh_from_db()
    assert offer.state == Offer.ACCEPTED and consent.capacity == "self"
    assert claim.state == Claim.ACCEPTED
    event = AuditEvent.objects.get(action="offer.accept")
    assert event.actor_label == "case" and event.new["form_sha256"] == consent.form_document.sha256


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, message", [
    ({"witness_name": " "}, "witness"),
    ({"identity_method": "phone_call"}, "identity check"),
    ({"capacity": "guardian"}, "court document"),
    ({"capacity": "proxy", "representative_name": "대리인"}, "court document"),
    ({"verified_on": date(2023, 3, 1)}, "before the offer"),
])
def test_an_acceptance_without_its_verification_is_refused(world, overrides, message):
    _, offer = offer_for(world)
    with pytest.raises(ConsentNotVerified, match=message):
        accept(world, offer, **overrides)
    assert not ConsentVerification.objects.exists()
    offer.refresh_from_db()
    assert offer.state == Offer.OPEN


@pytest.mark.django_db
def test_the_signed_form_must_be_a_consent_form(world):
    _, offer = offer_for(world)
    judgment_copy = document("judgment", "판결문 사본", world.staff.case)
    with pytest.raises(ConsentNotVerified, match="consent form"):
        accept(world, offer, form_document=judgment_copy)


@pytest.mark.django_db
def test_a_holder_who_cannot_decide_alone_consents_only_through_a_guardian_with_the_court_decision(world):
    # DOMAIN.md §1: an acceptance signed by relatives of a creditor with dementia, without his knowledge.
    _, offer = offer_for(world, needs_representative=True)
    with pytest.raises(ConsentNotVerified, match="cannot decide alone"):
        accept(world, offer)
    decision = document("guardianship", "성년후견 개시 심판", world.staff.case)
    consent = accept(world, offer, capacity="guardian", representative_name="후견인 병",
                     representative_document=decision)
    assert consent.representative_document == decision


@pytest.mark.django_db
def test_the_database_refuses_a_representative_without_a_court_document_or_an_unwitnessed_consent(world):
    _, offer = offer_for(world)
    good = accept(world, offer)
    base = dict(offer=offer, holding=good.holding, verified_on=ANSWERED, identity_method="id_card_in_person",
                form_document=good.form_document, verified_by=world.staff.case)
    ConsentVerification.objects.filter(pk=good.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentVerification.objects.create(capacity="guardian", representative_name="누군가", witness_name="증인",
                                           **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentVerification.objects.create(capacity="self", witness_name="", **base)


@pytest.mark.django_db
def test_only_a_case_officer_records_consent(world):
    _, offer = offer_for(world)
    with pytest.raises(ActionNotPermitted, match="case_officer"):
        accept(world, offer, actor=world.staff.finance)


@pytest.mark.django_db
def test_a_refuser_is_not_paid_and_may_accept_later(world):
    fund_donate(1_000_000_000)
    claim, offer = offer_for(world)
    services.offer_refuse(offer=offer, actor=world.staff.case, refused_on=ANSWERED, reason="사과가 먼저")
    claim.refresh_from_db()
    assert claim.state == Claim.REFUSED
    with pytest.raises(IllegalTransition):
        accept(world, offer)  # the refused offer is closed
    with pytest.raises(EmptyBatch):
        services.batch_prepare(payment_date=date(2023, 4, 1), preparer=world.staff.finance)
    later = services.offer_make(holding=claim.holdings.get(), offered_on=date(2023, 9, 1), actor=world.staff.case)
    accept(world, later, verified_on=date(2023, 9, 5))
    batch = services.batch_prepare(payment_date=date(2023, 9, 10), preparer=world.staff.finance)
    assert batch.line_count == 1


@pytest.mark.django_db
def test_a_revoked_consent_takes_the_holder_out_of_payment(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    [consent] = accept_all(world, claim)
    batch = services.batch_prepare(payment_date=date(2023, 4, 1), preparer=world.staff.finance)
    with pytest.raises(IllegalTransition, match="batch"):
        services.consent_revoke(consent=consent, actor=world.staff.case, reason="signed by relatives")
    services.batch_cancel(batch=batch, actor=world.staff.finance, reason="consent in doubt")
    services.consent_revoke(consent=consent, actor=world.staff.case, reason="signed by relatives")
    assert ClaimHolding.objects.get().state == ClaimHolding.PENDING
    with pytest.raises(EmptyBatch):
        services.batch_prepare(payment_date=date(2023, 4, 1), preparer=world.staff.finance)


@pytest.mark.django_db
def test_consent_is_per_holder(world):

    heirs = {world.person("상속인 가"): Fraction(1, 2), world.person("상속인 나"): Fraction(1, 2)}
    claim = world.claim(heirs=heirs)
    first, second = services.claim_offers_make(claim=claim, offered_on=OFFERED, actor=world.staff.case)
    accept(world, first)
    claim.refresh_from_db()
    assert claim.state == Claim.OFFERED  # one heir answered, the other not yet
    services.offer_refuse(offer=second, actor=world.staff.case, refused_on=ANSWERED)
    claim.refresh_from_db()
    assert claim.state == Claim.REFUSED
    assert {h.state for h in claim.holdings.all()} == {ClaimHolding.ACCEPTED, ClaimHolding.REFUSED}
