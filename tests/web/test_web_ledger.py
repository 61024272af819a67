"""The ledger in the browser: the trial balance on a date (debits equal credits), an account's
statement with its opening and running balance, the verification (audited); API tokens for
administrators: shown once, listed without the secret, revoked. Refused to the other roles."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from baesang.core.models import AuditEvent
from baesang.ledger import accounts
from baesang.ledger.services import TransferSpec, transfers_create
from baesang.staff.models import ApiToken

pytestmark = pytest.mark.django_db


def _client(sign_in, user, lang: str = "ko") -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["django_language"] = lang
    return client


@pytest.fixture
def books(role_users):
    """POSCO's 4 bn won of 2023-03-15 and 2 bn of 2024-09 (DOMAIN.md §1), and an unrestricted 0.1 bn,
    booked by the finance officer."""
    accounts.chart_ensure()
    transfers_create(specs=[
        TransferSpec(id="d1", debit=accounts.BANK, credit=accounts.DONATIONS_RESTRICTED, amount=4_000_000_000,
                     value_date=date(2023, 3, 15), description="donation d1"),
        TransferSpec(id="d2", debit=accounts.BANK, credit=accounts.DONATIONS_RESTRICTED, amount=2_000_000_000,
                     value_date=date(2024, 9, 10), description="donation d2"),
        TransferSpec(id="d3", debit=accounts.BANK, credit=accounts.DONATIONS_UNRESTRICTED, amount=100_000_000,
                     value_date=date(2024, 10, 1), description="donation d3"),
    ], user=role_users["finance_officer"])


def test_trial_balance_on_a_date_and_in_total(role_users, sign_in, books):
    approver = _client(sign_in, role_users["approver"])
    html = approver.get("/ledger/?as_of=2023-12-31").content.decode()
    assert "시산표" in html and "4,000,000,000원" in html and "6,000,000,000원" not in html
    assert "대차 일치" in html and "/ledger/verify/" not in html  # approvers do not run the verification
    html = approver.get("/ledger/").content.decode()
    assert "6,100,000,000원" in html and 'href="/ledger/accounts/1000/"' in html


def test_account_statement_runs_its_balance_from_the_opening(role_users, sign_in, books):
    auditor = _client(sign_in, role_users["auditor"], "en")
    html = auditor.get("/ledger/accounts/1000/?date_from=2024-01-01&date_to=2024-12-31").content.decode()
    # opening 4,000,000,000 (2023), then +2,000,000,000 and +100,000,000
    table = html[html.index("<tbody>"):]
    assert "Opening balance" in table and "KRW 4,000,000,000" in table
    assert table.index("KRW 4,000,000,000") < table.index("KRW 6,000,000,000") < table.index("KRW 6,100,000,000")
    assert "donation d2" in html and "donation d1" not in html
    html = auditor.get("/ledger/accounts/1000/?date_from=2025-01-01&date_to=2024-01-01").content.decode()
    assert "The start date is after the end date." in html
    assert auditor.get("/ledger/accounts/9999/").status_code == 404
    assert auditor.get("/ledger/accounts/1200-NSC/").status_code == 404  # opened by the first indemnity only


def test_verification_is_run_and_audited(role_users, sign_in, books):
    finance = _client(sign_in, role_users["finance_officer"])
    assert "/ledger/verify/" in finance.get("/ledger/").content.decode()
    html = finance.post("/ledger/verify/").content.decode()
    assert "원장이 검증되었습니다" in html
    event = AuditEvent.objects.get(action="ledger.verify")
    assert event.new["ok"] is True and event.new["transfers"] == 3
    for role in ("case_officer", "approver", "administrator"):
        assert _client(sign_in, role_users[role]).post("/ledger/verify/").status_code == 403
    assert AuditEvent.objects.filter(action="ledger.verify").count() == 1
    assert _client(sign_in, role_users["administrator"]).get("/ledger/").status_code == 403


def test_administrator_creates_a_token_shown_once_and_revokes_it(role_users, sign_in):
    admin = _client(sign_in, role_users["administrator"])
    integration = role_users["finance_officer"]
    response = admin.post("/tokens/create/", {"user": str(integration.pk), "name": "은행 대사"})
    assert response.status_code == 201
    html = response.content.decode()
    token = ApiToken.objects.get()
    raw = html.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("bsg_") and raw.startswith(token.prefix) and len(raw) > 40
    assert "한 번만 보여 줍니다" in html
    # the token works for the API as its user, and is never shown again
    api = Client()
    assert api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "finance_officer"
    listing = admin.get("/tokens/").content.decode()
    assert raw not in listing and f"{token.prefix}…" in listing and "은행 대사" in listing
    response = admin.post(f"/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/tokens/"
    assert api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert "폐기됨" in admin.get("/tokens/").content.decode()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="api_token.").order_by("pk")] == [
        "api_token.create", "api_token.revoke"]
    # a second revocation is refused with a message
    response = admin.post(f"/tokens/{token.pk}/revoke/", follow=True)
    assert "이미 폐기된 API 토큰입니다" in response.content.decode()


def test_a_token_needs_a_user_and_a_name(role_users, sign_in):
    admin = _client(sign_in, role_users["administrator"], "en")
    response = admin.post("/tokens/create/", {"user": str(role_users["auditor"].pk), "name": "  "})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    assert "bsg_" not in response.content.decode()


@pytest.mark.parametrize("role", ["case_officer", "finance_officer", "approver", "auditor", "norole"])
def test_tokens_refused_to_everyone_but_administrators(role_users, sign_in, role):
    client = _client(sign_in, role_users[role])
    assert client.get("/tokens/").status_code == 403
    assert client.post("/tokens/create/", {"user": str(role_users[role].pk), "name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
    assert "/tokens/" not in client.get("/accounts/me/").content.decode()
