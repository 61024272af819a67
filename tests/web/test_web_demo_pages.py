"""Every screen renders on the demo foundation (three judgments, heirs, consents, a paid batch,
refused court deposits, documents, donations), for every role in Korean and two roles in English —
with real records rather than the missing ids of the permission walk."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from baesang.cases.models import CourtDeposit, PaymentBatch
from baesang.donations.models import Donation
from baesang.judgments.models import Claim, Document, Judgment, Person
from baesang.web.permissions import ROLE_ORDER, user_may

pytestmark = pytest.mark.django_db


def test_every_screen_renders_with_the_demo_records(role_users, sign_in):
    call_command("demo", "load", stdout=io.StringIO())
    deposit = CourtDeposit.objects.select_related("holding").first()
    deposit_claim = deposit.holding.claim_id
    inherited = Claim.objects.filter(holdings__change__basis="heirship").first().pk
    pages = {
        "/": "view_dashboard", "/claims/": "view_claims", f"/claims/{deposit_claim}/": "view_claims",
        f"/claims/{inherited}/": "view_claims", "/waiting/": "view_claims", "/judgments/": "view_judgments",
        "/persons/": "search_persons", f"/persons/{Person.objects.first().pk}/": "search_persons",
        "/batches/": "view_batches", f"/batches/{PaymentBatch.objects.first().pk}/": "view_batches",
        "/fund/": "view_ledger", "/donations/": "view_donations", "/audit/": "view_audit_log",
        "/audit/personal-data/": "view_access_log",
        "/deposits/": "view_claims", f"/deposits/{deposit.pk}/": "view_claims",
        f"/holdings/{deposit.holding_id}/deposit/": "manage_deposits", "/indemnity/": "view_indemnity",
        "/ledger/": "view_ledger", "/ledger/accounts/1000/": "view_ledger", "/documents/": "view_claims",
        f"/documents/{Document.objects.first().pk}/": "view_claims", "/judgments/new/": "manage_judgments",
        f"/judgments/{Judgment.objects.first().pk}/": "view_judgments", "/persons/new/": "manage_judgments",
        f"/persons/{Person.objects.first().pk}/edit/": "manage_judgments",
        f"/claims/{inherited}/holders/": "manage_judgments",
        f"/donations/{Donation.objects.first().pk}/": "view_donations",
        "/tokens/": "manage_api_tokens", "/judgments/read/": "manage_judgments",
        f"/judgments/{Judgment.objects.last().pk}/": "view_judgments",
    }
    runs = [("ko", role) for role in ROLE_ORDER] + [("en", "auditor"), ("en", "finance_officer")]
    for language, role in runs:
        client = Client()
        sign_in(client, role_users[role])
        client.cookies["django_language"] = language
        for url, action in pages.items():
            response = client.get(url)
            expected = 200 if user_may(role_users[role], action) else 403
            assert response.status_code == expected, f"{url} as {role} in {language}"
            if expected == 200:
                assert f'lang="{language}"' in response.content.decode()
    auditor = Client()
    sign_in(auditor, role_users["auditor"])
    html = auditor.get(f"/claims/{inherited}/").content.decode()
    assert "제1009조" in html or "제1000조" in html  # the heirship engine's explanation of the shares, in Korean
    auditor.cookies["django_language"] = "en"
    html = auditor.get(f"/claims/{inherited}/").content.decode()
    assert "Art. 1009" in html or "Art. 1000" in html
