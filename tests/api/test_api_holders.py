"""Holder changes through the API (issue 14 §1–2): a proposal, approved by a second person whose
token needs a fresh TOTP code in X-Baesang-OTP (checked once: a replayed code is refused); the
audit rows name the API channel and the token."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from factories import JudgmentFactory
from operator_support import fresh_code

from baesang.cases import holdings
from baesang.cases.models import ClaimHolding
from baesang.core import roles
from baesang.core.models import AuditEvent
from baesang.judgments import services as judgments
from baesang.staff.tokens import api_token_bootstrap

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    roles.ensure_role_groups()
    users, headers = {}, {}
    for name, role in {"case": roles.CASE_OFFICER, "approver": roles.APPROVER}.items():
        user = django_user_model.objects.create_user(name)
        user.groups.add(Group.objects.get(name=role))
        users[name] = user
        headers[name] = {"HTTP_AUTHORIZATION": "Bearer " + api_token_bootstrap(user=user, name=name)[1]}
    judgment = JudgmentFactory(actor=users["case"])
    victim = judgments.person_create(name_hangul="박순이", actor=users["case"])
    heir = judgments.person_create(name_hangul="박아들", actor=users["case"])
    claim = judgments.claim_create(judgment=judgment, position=1, victim=victim, principal=100_000_000,
                                   segments=["2013-06-19:paid:20"], actor=users["case"])
    holdings.claim_holders_plaintiff(claim=claim, actor=users["case"])
    ruling = judgments.document_store(kind="court_decision", title="결정", content=b"ruling", filename="r.pdf",
                                      actor=users["case"])
    return {"users": users, "headers": headers, "claim": claim, "heir": heir, "ruling": ruling}


def test_a_proposal_is_approved_through_the_api_with_a_step_up(world):
    client, h, claim = Client(), world["headers"], world["claim"]
    response = client.post(f"/api/claims/{claim.pk}/holder-proposals/document",
                           {"document": world["ruling"].pk, "shares": {str(world["heir"].pk): "1"},
                            "valid_from": "2019-01-01", "reason": "court decision"},
                           content_type="application/json", **h["case"])
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert proposal["state"] == "proposed" and proposal["holders"][0]["share"] == "1/1"
    approve = f"/api/holder-proposals/{proposal['id']}/approve"
    assert client.post(approve, {}, content_type="application/json", **h["approver"]).json()["code"] \
        == "second_factor_required"
    code = fresh_code("approver")
    done = client.post(approve, {"note": "ok"}, content_type="application/json", HTTP_X_BAESANG_OTP=code,
                       **h["approver"])
    assert done.status_code == 200 and done.json()["state"] == "approved", done.content
    assert ClaimHolding.objects.get(claim=claim, superseded_at__isnull=True).holder == world["heir"]
    event = AuditEvent.objects.get(action="holder_change.approve")
    assert event.channel == "api" and event.credential.startswith("token bsg_") and event.credential.endswith("+otp")
    # the same code again is refused (no replay), before anything is read
    again = client.post(f"/api/holder-proposals/{proposal['id']}/reject", {"note": "x"},
                        content_type="application/json", HTTP_X_BAESANG_OTP=code, **h["approver"])
    assert again.status_code == 403 and again.json()["code"] == "second_factor_required"


def test_the_proposer_cannot_approve_and_a_family_file_must_agree(world):
    client, h, claim = Client(), world["headers"], world["claim"]
    victim = claim.victim
    family = {"decedent": "V", "persons": [{"id": "V", "sex": "F", "died": "2015-01-01"}, {"id": "A", "sex": "M"}],
              "children": [{"parent": "V", "child": "A"}]}
    refused = client.post(f"/api/claims/{claim.pk}/holder-proposals/family",
                          {"family": family, "persons": {"V": victim.pk, "A": world["heir"].pk}},
                          content_type="application/json", **h["case"])
    assert refused.status_code == 400 and refused.json()["code"] == "family_disagrees"
    account = client.post(f"/api/persons/{victim.pk}/account-proposals",
                          {"bank_name": "새은행", "bank_account": "123-456"}, content_type="application/json",
                          **h["case"])
    assert account.status_code == 201 and account.json()["kind"] == "account"
    assert "123-456" not in account.content.decode()
