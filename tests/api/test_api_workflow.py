"""The core workflow through the API, as an integration would drive it: find a creditor by a
romanized name, read the calculation sheet, offer, record a verified consent, prepare and
approve a batch as two different users, export it, import the bank's answer, read the fund;
donations; and the refusals (wrong role, four eyes, bad input) as JSON."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from factories import JudgmentFactory
from operator_support import fresh_code

from baesang.cases import holdings
from baesang.core import roles
from baesang.judgments import services as judgments
from baesang.ledger import accounts
from baesang.ledger.services import TransferSpec, transfers_create
from baesang.pii.models import PersonalDataAccess
from baesang.staff.tokens import api_token_bootstrap

pytestmark = pytest.mark.django_db

ACCOUNT = "100-123456-01"  # invented


@pytest.fixture
def world(django_user_model):
    """Nippon Steel's judgment (DOMAIN.md §4): 100,000,000 won, 20 % a year from 2013-06-19;
    one victim, an invented person; 1,000,000,000 won donated to the fund."""
    roles.ensure_role_groups()
    tokens, users = {}, {}
    for name, role_names in {"case": [roles.CASE_OFFICER], "finance": [roles.FINANCE_OFFICER],
                             "approver": [roles.APPROVER], "auditor": [roles.AUDITOR],
                             "both": [roles.FINANCE_OFFICER, roles.APPROVER]}.items():
        user = django_user_model.objects.create_user(name)
        user.groups.add(*Group.objects.filter(name__in=role_names))
        users[name] = user
        tokens[name] = {"HTTP_AUTHORIZATION": "Bearer " + api_token_bootstrap(user=user, name=name)[1]}
    case = users["case"]
    judgment = JudgmentFactory(actor=case)
    victim = judgments.person_create(name_hangul="박순이", name_roman="Park Sun-i", actor=case,
                                     rrn="", phone="010-1234-5678", bank_name="테스트은행", bank_account=ACCOUNT)
    claim = judgments.claim_create(judgment=judgment, position=1, victim=victim, principal=100_000_000,
                                   segments=["2013-06-19:paid:20"], actor=case)
    holdings.claim_holders_plaintiff(claim=claim, actor=case)
    accounts.chart_ensure()
    transfers_create(specs=[TransferSpec(id="posco-2023", debit=accounts.BANK, credit=accounts.DONATIONS_RESTRICTED,
                                         amount=1_000_000_000, value_date=date(2023, 3, 15),
                                         description="test donation")], user=users["finance"])
    return {"tokens": tokens, "users": users, "claim": claim, "victim": victim}


def _json(response, status: int):
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_consent_to_payment_through_the_api(world):
    client, t = Client(), world["tokens"]
    # find the creditor by another romanization
    found = _json(client.post("/api/persons/search", {"q": "Pak Suni"}, content_type="application/json",
                              **t["case"]), 200)
    assert [p["id"] for p in found["items"]] == [world["victim"].pk] and found["next_cursor"] is None
    person = _json(client.get(f"/api/persons/{world['victim'].pk}", **t["case"]), 200)
    assert person["phone"] == "010-****-5678" and person["bank_account"] == "***-****56-01"  # last four digits
    assert ACCOUNT not in str(person)

    # the calculation sheet: DOMAIN.md §3 public check, 5 years + 136/365 at 20 % on 100,000,000 won
    # = 107,452,054.79 won of interest, truncated to whole won by the default policy
    claim_id = world["claim"].pk
    detail = _json(client.get(f"/api/claims/{claim_id}", {"as_of": "2018-11-01"}, **t["finance"]), 200)
    assert detail["outstanding"] == 100_000_000 + 107_452_054
    assert detail["holders"][0]["name"] == "박순이" and detail["holders"][0]["share"] == "1/1"

    offers = _json(client.post(f"/api/claims/{claim_id}/offers", {"offered_on": "2023-03-06"},
                               content_type="application/json", **t["case"]), 201)
    assert len(offers) == 1 and offers[0]["state"] == "open"
    form = _json(client.post("/api/documents", {"kind": "consent_form", "title": "동의서",
                                                "file": _upload(b"signed consent")}, **t["case"]), 201)
    consent = {"verified_on": "2023-03-10", "identity_method": "id_card_in_person", "capacity": "self",
               "witness_name": "김증인", "form_document": form["id"]}
    accepted = _json(client.post(f"/api/offers/{offers[0]['id']}/accept", consent,
                                 content_type="application/json", **t["case"]), 201)
    assert accepted["capacity"] == "self" and accepted["form_document"] == form["id"]

    # four eyes: finance prepares, an approver approves; the finance officer cannot approve
    batch = _json(client.post("/api/batches", {"payment_date": "2023-03-15"}, content_type="application/json",
                              **t["finance"]), 201)
    assert batch["state"] == "prepared" and batch["lines"] == 1
    refused = _json(client.post(f"/api/batches/{batch['id']}/approve", **t["finance"]), 403)
    assert refused["code"] == "permission_denied"
    # the approver's token alone is not enough: approving needs a fresh second-factor code (step-up)
    no_code = _json(client.post(f"/api/batches/{batch['id']}/approve", **t["approver"]), 403)
    assert no_code["code"] == "second_factor_required"
    code = fresh_code("approver")
    approved = _json(client.post(f"/api/batches/{batch['id']}/approve", HTTP_X_BAESANG_OTP=code, **t["approver"]),
                     200)
    assert approved["state"] == "approved" and approved["approved_by"] == "approver"

    # the bank file holds the full account and its export is in the personal-data access log
    export = client.post(f"/api/batches/{batch['id']}/export", **t["finance"])
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    body = b"".join(export.streaming_content)  # streamed from the file written
    assert export["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    rows = body.decode().strip().splitlines()
    assert ACCOUNT in rows[1]
    line_id, amount = rows[1].split(",")[0], int(rows[1].split(",")[-1])
    assert amount == batch["total"]
    assert PersonalDataAccess.objects.filter(channel="api", field="bank_account", user=world["users"]["finance"]
                                             ).exists()

    result_csv = f"line,amount,status,bank_reference,reason\n{line_id},{amount},paid,BANK-1,\n"
    summary = _json(client.post(f"/api/batches/{batch['id']}/result", {"csv": result_csv},
                                content_type="application/json", **t["finance"]), 200)
    assert summary == {"batch_id": batch["id"], "paid": 1, "failed": 0, "unchanged": 0, "paid_amount": amount,
                       "settled": True}
    fund = _json(client.get("/api/fund", {"as_of": "2023-03-31"}, **t["auditor"]), 200)
    assert fund["paid"] == amount and fund["balance"] == 1_000_000_000 - amount
    verify = _json(client.post("/api/ledger/verify", **t["auditor"]), 200)
    assert verify["ok"] is True


def _upload(content: bytes):

    return SimpleUploadedFile("consent.pdf", content, content_type="application/pdf")


def test_one_person_cannot_prepare_and_approve_the_same_batch(world):
    client, t = Client(), world["tokens"]
    claim_id = world["claim"].pk
    offer = _json(client.post(f"/api/claims/{claim_id}/offers", {"offered_on": "2023-03-06"},
                              content_type="application/json", **t["case"]), 201)[0]
    form = _json(client.post("/api/documents", {"kind": "consent_form", "file": _upload(b"form")}, **t["case"]), 201)
    _json(client.post(f"/api/offers/{offer['id']}/accept",
                      {"verified_on": "2023-03-10", "identity_method": "notarised", "capacity": "self",
                       "witness_name": "김증인", "form_document": form["id"]},
                      content_type="application/json", **t["case"]), 201)
    batch = _json(client.post("/api/batches", {"payment_date": "2023-03-15"}, content_type="application/json",
                              **t["both"]), 201)
    body = _json(client.post(f"/api/batches/{batch['id']}/approve", HTTP_X_BAESANG_OTP=fresh_code("both"),
                             **t["both"]), 403)
    assert body["code"] == "four_eyes_violation"


def test_consent_without_the_signed_form_is_refused_and_changes_nothing(world):
    client, t = Client(), world["tokens"]
    offer = _json(client.post(f"/api/claims/{world['claim'].pk}/offers", {"offered_on": "2023-03-06"},
                              content_type="application/json", **t["case"]), 201)[0]
    judgment_doc = _json(client.post("/api/documents", {"kind": "judgment", "file": _upload(b"judgment")},
                                     **t["case"]), 201)
    body = _json(client.post(f"/api/offers/{offer['id']}/accept",
                             {"verified_on": "2023-03-10", "identity_method": "notarised", "capacity": "self",
                              "witness_name": "김증인", "form_document": judgment_doc["id"]},
                             content_type="application/json", **t["case"]), 400)
    assert body["code"] == "consent_not_verified" and "consent form" in body["message"]
    detail = _json(client.get(f"/api/claims/{world['claim'].pk}", **t["case"]), 200)
    assert detail["offers"][0]["state"] == "open"


def test_refusal_before_the_offer_date_is_bad_input(world):
    client, t = Client(), world["tokens"]
    offer = _json(client.post(f"/api/claims/{world['claim'].pk}/offers", {"offered_on": "2023-03-06"},
                              content_type="application/json", **t["case"]), 201)[0]
    body = _json(client.post(f"/api/offers/{offer['id']}/refuse", {"refused_on": "2023-03-01"},
                             content_type="application/json", **t["case"]), 400)
    assert body["code"] == "invalid_date" and body["field"] == "date"
    refused = _json(client.post(f"/api/offers/{offer['id']}/refuse", {"refused_on": "2023-03-07", "reason": "거부"},
                                content_type="application/json", **t["case"]), 200)
    assert refused["state"] == "refused"
    again = _json(client.post(f"/api/offers/{offer['id']}/refuse", {"refused_on": "2023-03-08"},
                              content_type="application/json", **t["case"]), 409)
    assert again["code"] == "illegal_transition"


def test_reveal_is_logged_and_refused_to_roles_that_do_not_need_it(world):
    client, t = Client(), world["tokens"]
    url = f"/api/persons/{world['victim'].pk}/reveal"
    body = {"field": "phone", "reason": "지급 안내 전화"}
    assert _json(client.post(url, body, content_type="application/json", **t["auditor"]), 403)["code"] == \
        "permission_denied"
    assert _json(client.post(url, {"field": "phone", "reason": ""}, content_type="application/json",
                             **t["case"]), 400)["code"] == "invalid_input"
    revealed = _json(client.post(url, body, content_type="application/json", **t["case"]), 200)
    assert revealed == {"field": "phone", "value": "010-1234-5678"}
    access = PersonalDataAccess.objects.get()
    assert (access.user_label, access.entity_id, access.field, access.channel) == (
        "case", str(world["victim"].pk), "phone", "api")
    # bank accounts: finance officers only (baesang.pii.services)
    refused = _json(client.post(url, {"field": "bank_account", "reason": "확인"}, content_type="application/json",
                                **t["case"]), 403)
    assert refused["code"] == "pii_reveal_not_permitted"


def test_donor_and_donation_are_recorded_and_listed(world):
    client, t = Client(), world["tokens"]
    donor = _json(client.post("/api/donors", {"name": "포스코", "kind": "company", "country": "KR",
                                              "may_be_named_publicly": True},
                              content_type="application/json", **t["finance"]), 201)
    # POSCO's first contribution, 4 bn won on 2023-03-15 (DOMAIN.md §1)
    donation = _json(client.post("/api/donations", {"donor": donor["id"], "value_date": "2023-03-15",
                                                    "bank_reference": "POSCO-20230315", "amount": "4000000000"},
                                 content_type="application/json", **t["finance"]), 201)
    assert donation["amount_won"] == 4_000_000_000 and donation["currency"] == "KRW"
    listed = _json(client.get("/api/donations", **t["auditor"]), 200)
    assert [d["bank_reference"] for d in listed["items"]] == ["POSCO-20230315"]
    assert (listed["count"], listed["next"]) == (1, None)
    assert _json(client.post("/api/donations", {"donor": donor["id"], "value_date": "2023-03-15",
                                                "bank_reference": "X", "amount": "1"},
                             content_type="application/json", **t["case"]), 403)["code"] == "permission_denied"


def test_missing_records_are_404_json(world):
    client, t = Client(), world["tokens"]
    for url in ("/api/claims/999999", "/api/persons/999999", "/api/batches/999999", "/api/judgments/999999"):
        assert _json(client.get(url, **t["auditor"]), 404)["code"] == "not_found"
    unknown = _json(client.get("/api/ledger/accounts/9999/balance", **t["auditor"]), 404)
    assert unknown["code"] == "account_not_found"
