"""Staff side of the portal (issue 16 §3): invitation, revocation, the requests queue with four
eyes on bank-account changes, and each person's portal activity — on the web and in the API."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from portal_support import code_at, invitation_link

from baesang.creditors import outbox, services
from baesang.creditors.access import PortalActor
from baesang.creditors.models import PortalAccount, PortalActivity, PortalRequest
from baesang.pii.fields import reveal
from baesang.staff.tokens import api_token_bootstrap
from baesang.web.middleware import SECOND_FACTOR_SESSION_KEY

pytestmark = pytest.mark.django_db


def _staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = int(time.time())
    session.save()
    return client


def test_a_case_officer_invites_from_the_person_page_and_sees_the_activity(pw, django_capture_on_commit_callbacks):
    client = _staff_client(pw.case)
    page = client.get(reverse("web:person_portal", args=[pw.widow.pk]))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:portal_invite", args=[pw.widow.pk]), {
            "phone": "010-2222-3333", "channel": "sms", "capacity": "holder", "hours": "72"})
    assert response.status_code == 302
    assert outbox.SENT[-1]["channel"] == "sms" and outbox.SENT[-1]["to"] == "01022223333"
    assert "/portal/invitation/" in invitation_link()
    account = PortalAccount.objects.get(person=pw.widow)
    activity = client.get(reverse("web:person_portal", args=[pw.widow.pk])).content.decode()
    assert "invitation_sent" in activity and "01022223333" not in activity  # the contact stays masked
    auditor = _staff_client(pw.auditor)
    assert auditor.post(reverse("web:portal_invite", args=[pw.widow.pk]), {"email": "a@example.org"}).status_code == 403
    revoked = client.post(reverse("web:portal_revoke", args=[account.pk]), {"reason": "heir asked"})
    assert revoked.status_code == 302 and PortalAccount.objects.get(pk=account.pk).state == "revoked"


def test_the_queue_and_a_bank_change_through_the_web_with_four_eyes(pw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.portal_invite(person=pw.son, actor=pw.case, email="son@example.org")
    account = services.invitation_redeem(token=invitation_link().rstrip("/").rsplit("/", 1)[-1])
    services.portal_code_verify(account=account, code=code_at(account))
    item = services.portal_request_submit(actor=PortalActor(account=account), kind=PortalRequest.BANK_ACCOUNT,
                                          bank_name="새은행", bank_account="333-444444-55")
    client = _staff_client(pw.case)
    queue = client.get(reverse("web:portal_queue")).content.decode()
    assert f"#{item.pk}" in queue and "정일남" in queue
    detail = client.get(reverse("web:portal_request", args=[item.pk])).content.decode()
    assert "333-444444-55" not in detail  # the account number is masked on the page
    client.post(reverse("web:portal_request_decide", args=[item.pk]), {"decision": "accept", "note": "called"})
    item.refresh_from_db()
    assert item.state == PortalRequest.FORWARDED and item.proposal_id
    refused = client.post(reverse("web:proposal_approve", args=[item.proposal_id]))
    assert refused.status_code == 302
    assert reveal(pw.son.__class__.objects.get(pk=pw.son.pk).bank_account) == "100-222222-01"  # four eyes
    _staff_client(pw.case2).post(reverse("web:proposal_approve", args=[item.proposal_id]))
    assert reveal(pw.son.__class__.objects.get(pk=pw.son.pk).bank_account) == "333-444444-55"


def test_the_api_invites_lists_decides_and_reads_activity(pw, django_capture_on_commit_callbacks):
    token = api_token_bootstrap(user=pw.case, name="portal")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(f"/api/persons/{pw.widow.pk}/portal-invitations", {"email": "widow@example.org"},
                              content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    account = PortalAccount.objects.get(pk=created.json()["account"])
    services.invitation_redeem(token=invitation_link().rstrip("/").rsplit("/", 1)[-1])
    services.portal_code_verify(account=account, code=code_at(account))
    item = services.portal_request_submit(actor=PortalActor(account=account), kind=PortalRequest.CALL,
                                          message="after 3 pm please")
    listed = client.get("/api/portal/requests", **headers).json()  # paged: docs/api.md, "Paging"
    assert listed["next_cursor"] is None
    assert [row["id"] for row in listed["items"]] == [item.pk] and listed["items"][0]["kind"] == "call"
    rejected = client.post(f"/api/portal/requests/{item.pk}/decide", {"decision": "reject"},
                           content_type="application/json", **headers)
    assert rejected.status_code == 400  # a rejection says why
    done = client.post(f"/api/portal/requests/{item.pk}/decide", {"decision": "accept", "note": "called on Monday"},
                       content_type="application/json", **headers)
    assert done.status_code == 200 and done.json()["state"] == "accepted"
    activity = client.get(f"/api/portal/accounts/{account.pk}/activity", {"limit": 2}, **headers).json()
    actions = [row["action"] for row in activity["items"]]
    while activity["next_cursor"]:  # every row exactly once, page after page
        activity = client.get(f"/api/portal/accounts/{account.pk}/activity",
                              {"limit": 2, "cursor": activity["next_cursor"]}, **headers).json()
        actions += [row["action"] for row in activity["items"]]
    assert len(actions) == PortalActivity.objects.filter(account=account).count()
    expected = {"invitation_sent", "invitation_used", "factor_bound", "request_submitted", "request_accepted"}
    assert expected <= set(actions)
    schema = client.get("/api/openapi.json").json()
    assert "/api/portal/requests/{request_id}/decide" in schema["paths"]
