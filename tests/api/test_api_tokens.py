"""API tokens and the API's JSON errors."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from baesang.core import roles
from baesang.core.models import AuditEvent
from baesang.staff.models import ApiToken
from baesang.staff.tokens import BOOTSTRAP_ACTOR, TokenNameMissing, api_token_bootstrap, api_token_revoke

pytestmark = pytest.mark.django_db


def test_command_prints_the_token_once_and_keeps_only_its_digest(django_user_model):
    django_user_model.objects.create_user("bank-bot")
    out, err = io.StringIO(), io.StringIO()
    call_command("api-token", "create", "bank-bot", "--name", "bank reconciliation", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("bsg_") and len(raw) > 40
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (token.prefix + token.name + token.digest)
    assert "shown only" in err.getvalue()
    listing = io.StringIO()
    call_command("api-token", "list", stdout=listing)
    assert "bank reconciliation" in listing.getvalue() and raw not in listing.getvalue()
    assert AuditEvent.objects.filter(action="api_token.create").count() == 1


def test_token_identifies_the_user_and_records_its_use(role_tokens, bearer):
    response = Client().get("/api/me", **bearer(role_tokens["auditor"]))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "api-auditor" and body["roles"] == ["auditor"] and body["via"] == "token"
    assert "view_audit_log" in body["actions"] and "approve_batch" not in body["actions"]
    assert ApiToken.objects.get(user__username="api-auditor").last_used_at is not None


def test_revoked_unknown_and_malformed_tokens_get_401(role_tokens, bearer):
    token = ApiToken.objects.get(user__username="api-auditor")
    api_token_revoke(token=token, actor=BOOTSTRAP_ACTOR)
    for header in (bearer(role_tokens["auditor"]), bearer("bsg_unknown"), {"HTTP_AUTHORIZATION": "Basic abc"}):
        response = Client().get("/api/me", **header)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_a_token_needs_a_name(django_user_model):
    user = django_user_model.objects.create_user("x")
    with pytest.raises(TokenNameMissing):
        api_token_bootstrap(user=user, name="  ")


def test_bad_query_parameters_get_400_json_naming_the_field(role_tokens, bearer):
    response = Client().get("/api/audit-events?limit=0&date_from=yesterday", **bearer(role_tokens["auditor"]))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    fields = {error["field"] for error in body["errors"]}
    assert any("limit" in f for f in fields) and any("date_from" in f for f in fields)


def test_audit_events_are_listed_newest_first_and_filtered(role_tokens, bearer):
    client = Client()
    response = client.get("/api/audit-events?action=api_token.", **bearer(role_tokens["administrator"]))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] is None  # no date or entity filter: not counted
    assert [item["action"] for item in body["items"]] == ["api_token.create"] * 6  # one per role and 'norole'
    assert body["items"][0]["id"] > body["items"][-1]["id"]
    today = timezone.localdate().isoformat()
    first = client.get(f"/api/audit-events?action=api_token.&date_from={today}&limit=4",
                       **bearer(role_tokens["administrator"])).json()
    assert first["count"] == 6 and len(first["items"]) == 4 and first["next_cursor"]
    rest = client.get(first["next"], **bearer(role_tokens["administrator"])).json()
    assert [e["id"] for e in first["items"] + rest["items"]] == [e["id"] for e in body["items"]]
    assert rest["next_cursor"] is None
    forged = client.get("/api/audit-events?cursor=W1sxXSwxXQ:forged", **bearer(role_tokens["administrator"]))
    assert forged.status_code == 400 and forged.json()["code"] == "invalid_cursor"


def test_session_of_a_signed_in_user_works_in_the_browser_docs(django_user_model):


    roles.ensure_role_groups()
    user = django_user_model.objects.create_user("reader")
    user.groups.add(Group.objects.get(name="auditor"))
    client = Client()
    client.force_login(user)
    response = client.get("/api/me")
    assert response.status_code == 200 and response.json()["via"] == "session"


def test_openapi_schema_and_docs_are_served():
    client = Client()
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "baesang API"
    assert "/api/audit-events" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn." not in docs.content  # scripts come from this site (content security policy)


def test_a_browser_session_must_send_the_csrf_token_on_writes(django_user_model):


    roles.ensure_role_groups()
    user = django_user_model.objects.create_user("verifier")
    user.groups.add(Group.objects.get(name="auditor"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/ledger/verify")
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    client.get("/accounts/me/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/ledger/verify", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["ok"] is True
