"""A creditor's payments in the portal: the paid state, the bank reference, the receipt — and
another creditor's receipt answers 404."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from factories import fund_donate
from portal_support import sign_in_by_invitation

from baesang.cases import services as cases
from baesang.cases.models import BatchLine
from baesang.judgments.services import document_store

pytestmark = pytest.mark.django_db


def _pay_the_other_creditor(pw) -> BatchLine:
    fund_donate(1_000_000_000, actor=pw.finance)
    for offer in cases.claim_offers_make(claim=pw.other_claim, offered_on=date(2018, 10, 31), actor=pw.case):
        form = document_store(kind="consent_form", title="signed consent", content=f"consent {offer.pk}".encode(),
                              filename="consent.pdf", actor=pw.case)
        cases.offer_accept(offer=offer, actor=pw.case, verified_on=date(2018, 10, 31),
                           identity_method="id_card_in_person", capacity="self", witness_name="증인 갑",
                           form_document=form)
    batch = cases.batch_prepare(payment_date=date(2018, 11, 1), preparer=pw.finance)
    cases.batch_approve(batch=batch, approver=pw.approver)
    bank_file = cases.batch_export(batch=batch, actor=pw.finance)
    results = [cases.BankResult(line=int(row["line"]), amount=int(row["amount"]), status="paid",
                                bank_reference=f"BANK-{row['line']}", reason="")
               for row in csv.DictReader(io.StringIO(bank_file.content))]
    cases.batch_result_import(batch=batch, results=results, actor=pw.finance)
    return BatchLine.objects.get(batch=batch)


def test_the_paid_creditor_sees_the_payment_and_the_other_heir_cannot(pw, django_capture_on_commit_callbacks):
    line = _pay_the_other_creditor(pw)
    assert line.state == "paid"
    paid, _account = sign_in_by_invitation(pw, django_capture_on_commit_callbacks, pw.other, "other@example.org")
    page = paid.get(reverse("portal:claim", args=[pw.other_claim.pk])).content.decode()
    assert f"BANK-{line.pk}" in page and "status-paid" in page
    receipt = paid.get(reverse("portal:receipt", args=[line.pk]))
    assert receipt.status_code == 200 and f"{line.amount:,}" in receipt.content.decode()
    heir, _widow = sign_in_by_invitation(pw, django_capture_on_commit_callbacks)
    refused = heir.get(reverse("portal:receipt", args=[line.pk]))
    assert refused.status_code == 404 and f"BANK-{line.pk}" not in refused.content.decode()
