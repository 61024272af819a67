"""The case work in the browser: find a creditor by a romanized name, read the calculation
sheet, reveal a masked value (logged), offer, record a verified consent with the signed form,
prepare and approve a batch as two different people, send the bank file, import the answer;
donations; and the same steps refused to the wrong role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baesang.cases.models import BatchLine, ClaimHolding, Offer, PaymentBatch
from baesang.donations.services import donor_create
from baesang.pii.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def _client(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _html(response, status: int = 200) -> str:
    assert response.status_code == status, response.content[:400]
    return response.content.decode()


def test_romanized_name_finds_the_creditor_and_the_name_stays_out_of_the_address(role_users, sign_in, casework):
    client = _client(sign_in, role_users["finance_officer"])
    page = _html(client.get("/persons/"))
    assert 'method="post"' in page
    for query in ("Pak Suni", "Park Sun-i", "박순이"):
        html = _html(client.post("/persons/", {"q": query}))
        assert f'href="/persons/{casework["victim"].pk}/"' in html, query


def test_person_page_masks_and_reveals_once_with_a_logged_reason(role_users, sign_in, casework):
    url = f"/persons/{casework['victim'].pk}/"
    auditor = _client(sign_in, role_users["auditor"])
    html = _html(auditor.get(url))
    assert "010-****-5678" in html and "010-1234-5678" not in html and "person_reveal" not in html
    assert auditor.post(url + "reveal/", {"field": "phone", "reason": "x"}).status_code == 403
    case = _client(sign_in, role_users["case_officer"])
    assert "010-1234-5678" not in _html(case.post(url + "reveal/", {"field": "phone", "reason": ""}), 400)
    html = _html(case.post(url + "reveal/", {"field": "phone", "reason": "지급 안내 전화"}))
    assert "010-1234-5678" in html
    access = PersonalDataAccess.objects.get()
    assert (access.user_label, access.field, access.channel, access.reason) == (
        "case_officer", "phone", "web", "지급 안내 전화")
    # the next page view is masked again
    assert "010-1234-5678" not in _html(case.get(url))


def test_claim_page_shows_the_calculation_sheet_in_korean_and_english(role_users, sign_in, casework):
    client = _client(sign_in, role_users["approver"])
    url = f"/claims/{casework['claim'].pk}/?as_of=2018-11-01"
    html = _html(client.get(url))
    # DOMAIN.md §3 public check: 107,452,054.79 won of interest, truncated by the default policy
    assert "107,452,054원" in html and "207,452,054원" in html and "2억 745만 2,054원" in html
    assert "박순이" in html and "2013다61381" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = _html(client.get(url))
    assert "KRW 107,452,054" in html and "Calculation sheet" in html
    assert "Record consent" not in html  # approvers do not record consent


def _offer(client, claim) -> Offer:
    response = client.post(f"/claims/{claim.pk}/offers/", {"offered_on": "2023-03-06", "channel": "visit"})
    assert response.status_code == 302
    return Offer.objects.get(holding__claim=claim)


def _consent(client, offer, **overrides):
    data = {"verified_on": "2023-03-10", "identity_method": "id_card_in_person", "capacity": "self",
            "witness_name": "김증인", "form_file": SimpleUploadedFile("form.pdf", b"signed form " + bytes(str(offer.pk),
                                                                                                         "ascii"))}
    data.update(overrides)
    return client.post(f"/offers/{offer.pk}/consent/", data)


def test_case_officer_records_a_verified_consent_with_the_signed_form(role_users, sign_in, casework):
    case = _client(sign_in, role_users["case_officer"])
    offer = _offer(case, casework["claim"])
    page = _html(_consent(case, offer, witness_name=""), 400)
    assert "필수 항목" in page  # Django's own Korean message for a required field
    assert ClaimHolding.objects.get(claim=casework["claim"]).state == "offered"
    response = _consent(case, offer)
    assert response.status_code == 302
    holding = ClaimHolding.objects.get(claim=casework["claim"])
    assert holding.state == "accepted"
    assert holding.offers.get().consent.form_document.kind == "consent_form"


def test_a_consent_for_a_holder_who_cannot_decide_alone_needs_the_court_document(role_users, sign_in, casework):
    victim = casework["victim"]
    victim.needs_representative = True
    victim.save()
    case = _client(sign_in, role_users["case_officer"])
    offer = _offer(case, casework["claim"])
    html = _html(_consent(case, offer))  # in person: refused by the service, shown as a message
    assert "혼자 결정할 수 없는 채권자입니다" in html
    response = _consent(case, offer, capacity="guardian", representative_name="박보호",
                        representative_file=SimpleUploadedFile("decision.pdf", b"guardianship decision"))
    assert response.status_code == 302
    assert ClaimHolding.objects.get(claim=casework["claim"]).state == "accepted"


def test_refusal_is_recorded(role_users, sign_in, casework):
    case = _client(sign_in, role_users["case_officer"])
    offer = _offer(case, casework["claim"])
    response = case.post(f"/offers/{offer.pk}/refuse/", {"refused_on": "2023-03-07", "reason": "수령 거부"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.state == "refused" and offer.refusal_reason == "수령 거부"


def test_batch_is_prepared_approved_by_another_person_sent_and_reconciled(role_users, sign_in, casework):
    case = _client(sign_in, role_users["case_officer"])
    assert _consent(case, _offer(case, casework["claim"])).status_code == 302
    finance = _client(sign_in, role_users["finance_officer"])
    response = finance.post("/batches/prepare/", {"payment_date": "2023-03-15"})
    batch = PaymentBatch.objects.get()
    assert response["Location"] == f"/batches/{batch.pk}/"
    finance_page = _html(finance.get(f"/batches/{batch.pk}/"))
    assert "batch_approve" not in finance_page and f"/batches/{batch.pk}/approve/" not in finance_page
    assert finance.post(f"/batches/{batch.pk}/approve/").status_code == 403
    approver = _client(sign_in, role_users["approver"])
    assert f"/batches/{batch.pk}/" in _html(approver.get("/"))  # dashboard: awaiting approval
    assert approver.post(f"/batches/{batch.pk}/approve/").status_code == 302
    batch.refresh_from_db()
    assert batch.state == "approved" and batch.approved_by == role_users["approver"]

    bank_file = finance.post(f"/batches/{batch.pk}/export/")
    assert bank_file.status_code == 200 and bank_file["Content-Type"].startswith("text/csv")
    assert "100-123456-01" in b"".join(bank_file.streaming_content).decode()  # streamed from the file written
    assert PersonalDataAccess.objects.filter(channel="web", field="bank_account").count() == 1
    line = BatchLine.objects.get()
    result = f"line,amount,status,bank_reference,reason\n{line.pk},{line.amount},paid,B-1,\n".encode()
    response = finance.post(f"/batches/{batch.pk}/result/", {"result_file": SimpleUploadedFile("r.csv", result)})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == "settled"
    assert "정산 완료" in _html(finance.get(f"/batches/{batch.pk}/"))


def test_preparer_holding_both_roles_cannot_approve_their_own_batch(role_users, sign_in, casework,
                                                                    django_user_model):
    case = _client(sign_in, role_users["case_officer"])
    assert _consent(case, _offer(case, casework["claim"])).status_code == 302
    both = django_user_model.objects.create_user("both")
    both.groups.add(*Group.objects.filter(name__in=["finance_officer", "approver"]))
    client = _client(sign_in, both)
    client.post("/batches/prepare/", {"payment_date": "2023-03-15"})
    batch = PaymentBatch.objects.get()
    assert "다른 승인자가 승인해야 합니다" in _html(client.get(f"/batches/{batch.pk}/"))
    html = _html(client.post(f"/batches/{batch.pk}/approve/", follow=True))
    assert "그 배치를 승인할 수 없습니다" in html
    batch.refresh_from_db()
    assert batch.state == "prepared"


def test_preparing_with_nothing_ready_says_so(role_users, sign_in, casework):
    finance = _client(sign_in, role_users["finance_officer"])
    html = _html(finance.post("/batches/prepare/", {"payment_date": "2023-03-15"}, follow=True))
    assert PaymentBatch.objects.count() == 0
    assert 'class="msg-error"' in html


def test_finance_officer_records_a_donation(role_users, sign_in, casework):

    donor = donor_create(name="포스코", kind="company", country="KR", may_be_named_publicly=True,
                         user=role_users["finance_officer"])
    finance = _client(sign_in, role_users["finance_officer"])
    response = finance.post("/donations/record/", {"donor": donor.name, "value_date": "2023-03-15",
                                                   "bank_reference": "POSCO-20230315", "amount": "4000000000",
                                                   "currency": "KRW", "restricted": "on"})
    assert response.status_code == 302
    html = _html(finance.get("/donations/"))
    assert "POSCO-20230315" in html and "4,000,000,000원" in html
    assert _client(sign_in, role_users["case_officer"]).post("/donations/record/", {}).status_code == 403


def test_dashboard_panels_by_role(role_users, sign_in, casework):
    finance_html = _html(_client(sign_in, role_users["finance_officer"]).get("/"))
    assert "panel-fund" in finance_html and "panel-waiting" in finance_html
    admin_html = _html(_client(sign_in, role_users["administrator"]).get("/"))
    assert "panel-fund" not in admin_html and "panel-waiting" not in admin_html
