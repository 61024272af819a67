"""Personal data in the staff application: the access log page and its CSV export, the
encrypted second-factor secret, and logs that never carry personal data."""

from __future__ import annotations

import importlib
import io
import logging
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client

from baesang.core.models import AuditEvent
from baesang.pii.services import pii_reveal
from baesang.staff.models import SecondFactor

pytestmark = pytest.mark.django_db

# An invented resident registration number: only its shape (13 digits) matters here.
RRN = "300101-1234567"


def _reveal(user, entity_id: int, reason: str = "지급 전 본인 확인"):
    return pii_reveal(user=user, entity_type="judgments.person", entity_id=str(entity_id), field="rrn",
                      reason=reason, channel="web", value=RRN)


def test_auditor_reads_and_filters_the_access_log(role_users, sign_in):
    _reveal(role_users["case_officer"], 11)
    _reveal(role_users["finance_officer"], 12, reason="계좌 확인")
    client = Client()
    sign_in(client, role_users["auditor"])
    html = client.get("/audit/personal-data/").content.decode()
    assert "judgments.person #11" in html and "judgments.person #12" in html and "지급 전 본인 확인" in html
    assert RRN not in html
    html = client.get("/audit/personal-data/?user=case_officer").content.decode()
    body = html.split("<tbody>")[1]
    assert "#11" in body and "#12" not in body
    html = client.get("/audit/personal-data/?user=nobody").content.decode()
    assert "#11" not in html.split("<tbody>")[1]


def test_access_log_csv_export_is_logged_and_holds_no_personal_data(role_users, sign_in):
    _reveal(role_users["case_officer"], 11)
    client = Client()
    sign_in(client, role_users["auditor"])
    response = client.get("/audit/personal-data/export.csv?entity_id=11")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "id,at,user,entity_type,entity_id,field,kind,channel,reason"
    assert len(lines) == 2 and ",case_officer,judgments.person,11,rrn,rrn,web," in lines[1]
    assert RRN not in text
    export = AuditEvent.objects.get(action="pii_access_log.export")
    assert export.actor == role_users["auditor"] and export.new["rows"] == 1


def test_access_log_is_refused_to_other_roles(role_users, sign_in):
    for name in ("case_officer", "finance_officer", "approver"):
        client = Client()
        sign_in(client, role_users[name])
        assert client.get("/audit/personal-data/").status_code == 403
        assert client.get("/audit/personal-data/export.csv").status_code == 403


def test_plain_second_factor_secrets_are_encrypted_by_the_migration(role_users):
    user = role_users["approver"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO web_secondfactor (user_id, secret, created_at) VALUES (%s, %s, CURRENT_TIMESTAMP)",
            [user.pk, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"],
        )
    migration = importlib.import_module("baesang.web.migrations.0002_second_factor_secret_encrypted")
    migration.encrypt_plain_secrets(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM web_secondfactor WHERE user_id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:")
    assert SecondFactor.objects.get(user=user).secret.reveal() == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_log_records_of_django_pass_through_the_personal_data_filter():
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("django.request").warning("Bad Request: /search?rrn=%s", RRN)
    finally:
        handler.setStream(previous)
    line = stream.getvalue()
    assert "/search?rrn=" in line and RRN not in line and "300101-1******" in line
