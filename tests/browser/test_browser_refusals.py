"""The same flows refused to the wrong person, in the browser (docs/permissions.md): an anonymous
visitor is sent to the login page and back; an auditor reads a claim but cannot record a consent
or print the creditor's statement, not even by a forged request; the person who prepared a batch
cannot approve it, even holding the approver role as well (four eyes, DOMAIN.md §2), and a finance
officer cannot approve at all; an approver without a valid second-factor code is not signed in.
An auditor also switches the screens to English."""

from __future__ import annotations

import time

import pyotp
import pytest
from browser_support import DEMO_PASSWORD, NAGOYA, korean, offer_accepted, offer_open, sign_in_as
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from baesang.cases.models import ConsentVerification, Offer, PaymentBatch
from baesang.core import roles
from baesang.judgments.models import Claim
from baesang.staff.signin import DEMO_TOTP_SECRET, second_factor_set_demo

pytestmark = pytest.mark.django_db(transaction=True)

SIGNED_FORM = {"name": "signed-consent.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}


def _nagoya_claim() -> Claim:
    return Claim.objects.select_related("victim").get(judgment__case_number=NAGOYA, position=1)


def test_anonymous_visitor_is_sent_to_the_login_page_and_back(window, demo):
    claim = _nagoya_claim()
    visitor = window()
    for path in ("/", f"/claims/{claim.pk}/", "/persons/", "/batches/", "/fund/", "/audit/"):
        visitor.go(path)
        assert visitor.path == f"/accounts/login/?next={path}"
        assert claim.victim.name_hangul not in visitor.page.content()
    refused = visitor.post("/batches/prepare/", {"payment_date": timezone.localdate().isoformat()})
    assert refused.status == 302 and refused.headers["location"].startswith("/accounts/login/")
    assert not PaymentBatch.objects.filter(state=PaymentBatch.PREPARED).exists()

    visitor.go(f"/claims/{claim.pk}/")
    visitor.page.fill("input[name=username]", "case")
    visitor.page.fill("input[name=password]", DEMO_PASSWORD)
    visitor.follow("main form button[type=submit]")
    assert visitor.path == f"/claims/{claim.pk}/"
    assert claim.victim.name_hangul in visitor.page.inner_text("h1")
    visitor.check_clean()


def test_auditor_reads_the_claim_but_cannot_record_a_consent(staff):
    claim = _nagoya_claim()
    offer = offer_open(claim)
    auditor = staff("auditor")
    shown = auditor.go(f"/claims/{claim.pk}/")
    assert shown.status == 200 and NAGOYA in auditor.page.inner_text("h1")
    assert auditor.page.locator("table.data tfoot").count() >= 1  # the calculation sheet
    assert auditor.page.locator(f"a[href='/offers/{offer.pk}/consent/']").count() == 0
    assert auditor.page.locator("form[action$='/offers/'], form[action$='/refuse/']").count() == 0

    refused = auditor.go(f"/offers/{offer.pk}/consent/")
    assert refused.status == 403
    assert auditor.page.inner_text("h1") == korean("Not permitted")
    forged = auditor.page.request.post(
        f"{auditor.base}/offers/{offer.pk}/consent/", max_redirects=0, headers={"Referer": auditor.base + "/"},
        multipart={"csrfmiddlewaretoken": auditor.csrf_token(), "verified_on": timezone.localdate().isoformat(),
                   "identity_method": "id_card_in_person", "capacity": "self", "witness_name": "forged",
                   "form_file": SIGNED_FORM})
    assert forged.status == 403
    assert auditor.post(f"/offers/{offer.pk}/refuse/", {"refused_on": timezone.localdate().isoformat()}).status == 403
    offer.refresh_from_db()
    assert offer.state == Offer.OPEN
    assert not ConsentVerification.objects.filter(offer=offer).exists()
    # nor print the creditor's statement (personal data handed out: case and finance officers only)
    assert auditor.page.locator("form.statement-form").count() == 0
    assert auditor.post(f"/claims/{claim.pk}/statement.pdf", {"as_of": timezone.localdate().isoformat(),
                                                             "reason": "forged"}).status == 403

    # the same claim in English, by the language switch
    auditor.go(f"/claims/{claim.pk}/")
    auditor.follow("form.langswitch button[value=en]")
    assert auditor.page.get_attribute("html", "lang") == "en"
    assert "Calculation sheet" in auditor.page.inner_text("main")
    auditor.check_clean()


def test_the_preparer_cannot_approve_even_with_the_approver_role(staff):
    offer_accepted(_nagoya_claim())
    # One person holding both roles (the matrix gives no role both; an administrator could combine them).
    person = get_user_model().objects.create_user("finance-approver", password=DEMO_PASSWORD)
    person.groups.add(Group.objects.get(name=roles.FINANCE_OFFICER), Group.objects.get(name=roles.APPROVER))
    second_factor_set_demo(user=person)

    preparer = staff("finance-approver")
    preparer.go("/batches/")
    preparer.follow("form[action$='/batches/prepare/'] button[type=submit]")
    batch = PaymentBatch.objects.get(state=PaymentBatch.PREPARED)
    assert preparer.path == f"/batches/{batch.pk}/"
    assert korean("You prepared this batch; another approver must approve it.") in preparer.page.inner_text("main")
    assert preparer.page.locator("form[action$='/approve/']").count() == 0
    forged = preparer.post(f"/batches/{batch.pk}/approve/")
    assert forged.status == 302  # back to the batch, with the service's refusal
    preparer.go(f"/batches/{batch.pk}/")
    # the refusal in Korean from the catalogue (baesang/core/messages.py)
    assert "그 배치를 승인할 수 없습니다" in preparer.page.inner_text("ul.messages .msg-error")

    finance = staff("finance")
    finance.go(f"/batches/{batch.pk}/")
    assert finance.page.locator("form[action$='/approve/']").count() == 0
    assert finance.post(f"/batches/{batch.pk}/approve/").status == 403
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.PREPARED and batch.approved_by is None
    preparer.check_clean()
    finance.check_clean()


def _wrong_code() -> str:
    """A 6-digit code that no step near now accepts (the accepted window is one step either side)."""
    totp, now = pyotp.TOTP(DEMO_TOTP_SECRET), time.time()
    accepted = {totp.at(now + 30 * step) for step in range(-3, 4)}
    return next(code for code in (f"{number:06d}" for number in range(10)) if code not in accepted)


def test_approver_without_a_valid_second_factor_code_is_not_signed_in(window, demo_users):
    approver = window()
    sign_in_as(approver, "approver", code=_wrong_code())
    assert approver.path == "/accounts/second-factor/"
    assert korean("Wrong or expired code.") in approver.page.inner_text("main .errors")
    approver.go("/batches/")
    assert approver.path == "/accounts/login/?next=/batches/"
    approver.check_clean()
