"""A small world for the creditors' portal tests: a deceased victim whose claim passed to two
heirs through a family file (the succession engine's shares, approved by a second person),
and a second claim held by another creditor."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import pyotp
from django.test import Client
from django.urls import reverse
from factories import JudgmentFactory, staff_user

from baesang.cases import holdings
from baesang.core import roles
from baesang.creditors import outbox, services
from baesang.creditors.models import PortalAccount
from baesang.judgments import services as registry
from baesang.pii.fields import reveal
from baesang.staff.signin import TOTP_STEP_SECONDS

# The victim died in 2010 (Civil Code from 1991): the widow 1.5 shares, the son 1 (Art. 1009(2)) → 3/5 and 2/5.
FAMILY = {"decedent": "V", "persons": [{"id": "V", "sex": "M", "died": "2010-05-01"}, {"id": "W", "sex": "F"},
                                       {"id": "A", "sex": "M", "born": "1950-02-03"}],
          "marriages": [{"a": "V", "b": "W"}],
          "children": [{"parent": "V", "child": "A"}, {"parent": "W", "child": "A"}]}


@dataclass
class PortalWorld:
    case: object
    case2: object
    approver: object
    auditor: object
    finance: object
    claim: object
    widow: object
    son: object
    other_claim: object
    other: object


def portal_world() -> PortalWorld:
    case = staff_user("portal-case", roles.CASE_OFFICER)
    case2 = staff_user("portal-case2", roles.CASE_OFFICER)
    approver = staff_user("portal-approver", roles.APPROVER)
    auditor = staff_user("portal-auditor", roles.AUDITOR)
    finance = staff_user("portal-finance", roles.FINANCE_OFFICER)
    judgment = JudgmentFactory(actor=case)
    victim = registry.person_create(name_hangul="정대한", sex="M", actor=case)
    widow = registry.person_create(name_hangul="한순자", sex="F", actor=case, phone="010-2222-3333")
    son = registry.person_create(name_hangul="정일남", sex="M", birth_date=date(1950, 2, 3), actor=case,
                                 bank_name="테스트은행", bank_account="100-222222-01")
    claim = registry.claim_create(judgment=judgment, position=1, victim=victim, principal=100_000_000,
                                  segments=["2013-06-19:paid:20"], actor=case)
    holdings.claim_holders_plaintiff(claim=claim, actor=case)
    evidence = registry.document_store(kind="other", title="basic certificate", content=b"death of the victim",
                                       filename="death.pdf", actor=case)
    registry.person_death_record(person=victim, death_date=date(2010, 5, 1), document=evidence, actor=case)
    proposal = holdings.holders_propose_family(claim=claim, family=FAMILY,
                                               persons={"V": victim, "W": widow, "A": son}, actor=case)
    holdings.holder_change_approve(proposal=proposal, actor=approver)
    other = registry.person_create(name_hangul="김다른", actor=case, phone="010-9999-8888")
    other_claim = registry.claim_create(judgment=judgment, position=2, victim=other, principal=50_000_000,
                                        segments=["2013-06-19:paid:20"], actor=case)
    holdings.claim_holders_plaintiff(claim=other_claim, actor=case)
    return PortalWorld(case=case, case2=case2, approver=approver, auditor=auditor, finance=finance, claim=claim,
                       widow=widow, son=son, other_claim=other_claim, other=other)


def invitation_link() -> str:
    """The link of the last message the memory outbox sent."""
    body = outbox.SENT[-1]["body"]
    return next(word for word in body.split() if "/portal/invitation/" in word)


def code_at(account: PortalAccount, step_offset: int = 0) -> str:
    """The code the creditor's app shows now (or ``step_offset`` 30-second steps later)."""
    secret = reveal(PortalAccount.objects.get(pk=account.pk).totp_secret)
    return pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS).at(int(time.time()) + step_offset * TOTP_STEP_SECONDS)


def invite_path(pw, capture, person, email) -> str:
    """Invite ``person`` (the outbox sends at commit); the path of the link sent."""
    with capture(execute=True):
        services.portal_invite(person=person, actor=pw.case, email=email)
    return invitation_link().replace("http://testserver", "")


def sign_in_by_invitation(pw, capture, person=None, email="widow@example.org") -> tuple[Client, PortalAccount]:
    """A test client signed in through the invitation and the first TOTP code."""
    client = Client()
    link = invite_path(pw, capture, person or pw.widow, email)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("portal:enrol")
    page = client.get(reverse("portal:enrol"))
    assert page.status_code == 200 and b"<svg" in page.content
    account = PortalAccount.objects.get(person=person or pw.widow)
    response = client.post(reverse("portal:enrol"), {"code": code_at(account)})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    return client, account
