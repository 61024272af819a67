"""Helpers of the case-work tests: staff with roles, a debtor, a judgment, claims, money in the fund."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import factories
from factories import JudgmentFactory, staff_user

from baesang.cases import holdings
from baesang.cases.services import claim_offers_make, offer_accept
from baesang.core import roles
from baesang.judgments import services as judgments


def make_user(django_user_model, username: str, *role_names: str):
    return staff_user(username, *role_names)


def make_staff(django_user_model):
    class Staff:
        case = make_user(django_user_model, "case", roles.CASE_OFFICER)
        finance = make_user(django_user_model, "finance", roles.FINANCE_OFFICER)
        approver = make_user(django_user_model, "approver", roles.APPROVER)
        approver2 = make_user(django_user_model, "approver2", roles.APPROVER)
        both = make_user(django_user_model, "both", roles.FINANCE_OFFICER, roles.APPROVER)
        auditor = make_user(django_user_model, "auditor", roles.AUDITOR)

    return Staff


def fund_donate(amount: int, *, on: date = date(2023, 3, 15), ref: str = "donation-1") -> None:
    """Money in the bank, booked as a restricted donation by a finance officer."""
    factories.fund_donate(amount, actor=staff_user("treasurer", roles.FINANCE_OFFICER), on=on, ref=ref)


def document(kind: str, text: str, actor):
    return judgments.document_store(kind=kind, title=text, content=text.encode(), filename=f"{kind}.pdf",
                                    actor=actor)


class World:
    """One debtor, one judgment (Nippon Steel's, DOMAIN.md §4) and helpers to add claims."""

    def __init__(self, staff):
        self.staff = staff
        self.judgment = JudgmentFactory(actor=staff.case)
        self.court, self.debtor = self.judgment.court, self.judgment.debtor
        self.positions = 0

    def person(self, name: str, **extra):
        extra.setdefault("bank_name", "테스트은행")
        extra.setdefault("bank_account", f"100-{abs(hash(name)) % 10**6:06d}-01")
        return judgments.person_create(name_hangul=name, actor=self.staff.case, **extra)

    def claim(self, victim=None, *, principal: int = 100_000_000, segments=("2013-06-19:paid:20",),
              heirs: dict | None = None):
        self.positions += 1
        victim = victim or self.person(f"피해자{self.positions}")
        claim = judgments.claim_create(judgment=self.judgment, position=self.positions, victim=victim,
                                       principal=principal, segments=list(segments), actor=self.staff.case)
        if heirs:  # shares from a document, proposed by a case officer and approved by an approver
            ruling = document("court_decision", f"shares of claim {claim.pk}", self.staff.case)
            proposal = holdings.holders_propose_document(claim=claim, shares=heirs, document=ruling,
                                                         actor=self.staff.case, valid_from=self.judgment.final_on)
            holdings.holder_change_approve(proposal=proposal, actor=self.staff.approver)
        else:
            holdings.claim_holders_plaintiff(claim=claim, actor=self.staff.case)
        return claim

    def consent_form(self, label: str):
        return document("consent_form", f"signed consent {label}", self.staff.case)


def accept_all(world, claim, *, offered_on=date(2023, 3, 20), verified_on=date(2023, 3, 22)):
    """Offer every holder of the claim their part and record their verified consent."""

    consents = []
    for offer in claim_offers_make(claim=claim, offered_on=offered_on, actor=world.staff.case):
        consents.append(offer_accept(
            offer=offer, actor=world.staff.case, verified_on=verified_on, identity_method="id_card_in_person",
            capacity="self", witness_name="증인 갑", form_document=world.consent_form(f"offer {offer.pk}")))
    return consents


HALF = Fraction(1, 2)

