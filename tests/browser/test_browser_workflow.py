"""A creditor paid through the screens, in Korean, by three different people (DOMAIN.md §2, four
eyes on money): the case officer finds a demo creditor by a romanized spelling other than the
stored one, opens her claim and its calculation sheet, makes an offer and records her consent with
its verification record and the signed form uploaded, and downloads her statement as a PDF; the
finance officer prepares a payment batch (and issues the demo donation's receipt, also a PDF); the
approver, signed in with the second factor, approves the batch.

The creditor is the living Nagoya plaintiff who refused in 2023 (docs/demo.md: 2015다45420,
plaintiff 1); a refuser may accept a later offer (docs/demo.md, "a refuser accepts later")."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from browser_support import NAGOYA, korean
from django.utils import timezone

from baesang.cases.models import ConsentVerification, Offer, PaymentBatch
from baesang.cases.selectors import claim_detail
from baesang.core.formatting import format_won
from baesang.core.models import AuditEvent
from baesang.donations.models import Donation, DonationReceipt
from baesang.judgments.models import Claim
from baesang.pii.models import PersonalDataAccess

pytestmark = pytest.mark.django_db(transaction=True)

# A consent form as a scanner would send it: a small PDF signed by the holder.
SIGNED_FORM = b"%PDF-1.4\n% signed consent form of the browser test\n%%EOF\n"


def other_spelling(roman: str) -> str:
    """The stored Revised Romanization written as McCune–Reischauer would (eo → ŏ, eu → ŭ), with the
    surname in capitals, as foreign documents print it: ``Pyo Sundeok`` → ``PYO Sundŏk``."""
    surname, _, given = roman.partition(" ")
    return f"{surname.upper()} {given.replace('eo', 'ŏ').replace('eu', 'ŭ')}"


def test_consent_then_batch_prepared_and_approved_by_two_people(staff):
    claim = Claim.objects.select_related("victim").get(judgment__case_number=NAGOYA, position=1)
    victim = claim.victim
    typed = other_spelling(victim.name_roman)
    assert typed.casefold() != victim.name_roman.casefold()

    # --- the case officer finds the creditor by name and opens her claim ---------------------------
    case = staff("case")
    page = case.page
    assert page.get_attribute("html", "lang") == "ko"
    case.go("/persons/")
    page.fill("input[name=q]", typed)
    case.follow("main form button[type=submit]")
    assert case.path == "/persons/", "the name typed must not reach the address"
    case.follow(f"table.data a:text-is('{victim.name_hangul}')")
    case.follow(f"a:text-is('{NAGOYA}')")
    assert case.path == f"/claims/{claim.pk}/"
    assert NAGOYA in page.inner_text("h1") and victim.name_hangul in page.inner_text("h1")
    today = timezone.localdate()
    total = claim_detail(claim_id=claim.pk, as_of=today)["calculation"]["total"]
    assert page.locator("table.data tfoot").first.inner_text().count(format_won(total, "ko")) == 1

    # --- an offer, then the consent with its verification and the signed form ----------------------
    case.follow("form[action$='/offers/'] button[type=submit]")
    offer = Offer.objects.get(holding__claim=claim, state=Offer.OPEN)
    case.follow(f"a[href='/offers/{offer.pk}/consent/']")
    page.fill("input[name=verified_on]", today.isoformat())
    page.select_option("select[name=identity_method]", "video_call")
    page.select_option("select[name=capacity]", "self")
    page.fill("input[name=witness_name]", "재단 직원 (browser test)")
    page.set_input_files("input[name=form_file]", files=[
        {"name": "signed-consent.pdf", "mimeType": "application/pdf", "buffer": SIGNED_FORM}])
    case.follow("main form button[type=submit]")
    assert case.path == f"/claims/{claim.pk}/"
    assert korean("Consent recorded with its verification.") in page.inner_text("ul.messages")
    consent = ConsentVerification.objects.select_related("form_document", "verified_by").get(offer=offer)
    assert (consent.identity_method, consent.capacity, consent.verified_on) == ("video_call", "self", today)
    assert consent.verified_by.username == "case"
    assert consent.form_document.sha256 == hashlib.sha256(SIGNED_FORM).hexdigest()

    # --- her statement as a PDF, to hand to her (the download is logged with its reason) ------------
    page.fill("form.statement-form input[name=reason]", "채권자 본인 요청 (browser test)")
    with page.expect_download() as started:
        page.click("form.statement-form button[type=submit]")
    statement = Path(started.value.path()).read_bytes()
    assert statement.startswith(b"%PDF-")
    issued = AuditEvent.objects.get(action="statement.issue", entity_id=str(claim.pk))
    assert issued.new["sha256"] == hashlib.sha256(statement).hexdigest() and issued.actor.username == "case"
    assert PersonalDataAccess.objects.filter(entity_type="judgments.claim", entity_id=str(claim.pk),
                                             field="statement").count() == 1
    case.check_clean()

    # --- the finance officer prepares the batch: the creditor is in it ------------------------------
    finance = staff("finance")
    finance.go("/batches/")
    finance.follow("form[action$='/batches/prepare/'] button[type=submit]")
    batch = PaymentBatch.objects.get(state=PaymentBatch.PREPARED)
    assert finance.path == f"/batches/{batch.pk}/"
    assert korean("Batch prepared. Another person must approve it.") in finance.page.inner_text("ul.messages")
    assert list(batch.lines.values_list("holder_id", flat=True)) == [victim.pk]
    assert victim.name_hangul in finance.page.inner_text("main table.data")
    assert finance.page.locator("form[action$='/approve/']").count() == 0  # finance officers do not approve

    # ... and issues the receipt of the demo's first donation (POSCO, 2023-03-15), downloaded as a PDF
    donation = Donation.objects.order_by("value_date", "pk").first()
    finance.go("/donations/")
    finance.follow(f"a[href='/donations/{donation.pk}/'] >> nth=0")
    finance.follow(f"form[action='/donations/{donation.pk}/receipt/'] button[type=submit]")
    receipt = DonationReceipt.objects.get(donation=donation)
    assert receipt.number in finance.page.inner_text("main")
    with finance.page.expect_download() as started:
        finance.page.click(f"a[href='/receipts/{receipt.pk}/receipt.pdf']")
    assert Path(started.value.path()).read_bytes().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="receipt.print", entity_id=str(receipt.pk)).count() == 1
    finance.check_clean()

    # --- the approver (password and TOTP code) approves ---------------------------------------------
    approver = staff("approver")
    approver.go(f"/batches/{batch.pk}/")
    approver.follow("form[action$='/approve/'] button[type=submit]")
    assert korean("Batch approved; its money is reserved in the ledger.") in approver.page.inner_text("ul.messages")
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.APPROVED
    assert (batch.prepared_by.username, batch.approved_by.username) == ("finance", "approver")
    approver.check_clean()
