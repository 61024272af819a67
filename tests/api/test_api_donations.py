"""Donations through the API: donors and donations paged by cursor (count, next link, no silent
cut-off at 1,000), the reversal of a donation (proposed by a finance officer, approved by an
approver who did not propose it), future event dates and numeric dates refused with 400 naming
the field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from factories import staff_user
from operator_support import fresh_code

from baesang.api.schemas import PAGE_MAX, YEARS_AHEAD
from baesang.core import roles
from baesang.donations.models import Donation, Donor
from baesang.donations.services import donation_record, donor_create
from baesang.ledger import accounts
from baesang.ledger.services import TransferSpec, transfers_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(role_tokens, bearer):
    accounts.chart_ensure()
    return {role: bearer(token) for role, token in role_tokens.items()}


def _json(response, status: int):
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_donations_are_paged_by_cursor_past_a_thousand(money):
    finance = staff_user("bulk", roles.FINANCE_OFFICER)
    donor = donor_create(name="Supporters", kind="individual", country="KR", user=finance)
    # 1,205 donations: more than the 1,000 the list used to stop at, written set-wise for speed.
    first = donation_record(donor=donor, value_date=date(2024, 1, 2), bank_reference="R-00000", amount=1,
                            restricted=True, user=finance)
    Donation.objects.bulk_create([
        Donation(donor=donor, value_date=first.value_date, bank_reference=f"R-{i:05d}", currency="KRW",
                 original_amount=1, rate=1, amount_won=1, restricted=True,
                 transfer=_transfer(finance, i)) for i in range(1, 1205)])
    client = Client()
    seen, url, pages = [], "/api/donations?limit=401", 0  # 1,205 = 3 × 401 + 2
    while url:
        page = _json(client.get(url, **money["auditor"]), 200)
        assert page["count"] == 1205
        seen += [d["bank_reference"] for d in page["items"]]
        url, pages = page["next"], pages + 1
    assert pages == 4 and len(seen) == 1205 == len(set(seen))
    exact = _json(client.get("/api/donations?limit=5&donor=999999", **money["auditor"]), 200)
    assert exact == {"count": 0, "next": None, "next_cursor": None, "items": []}
    assert _json(client.get(f"/api/donations?limit={PAGE_MAX + 1}", **money["auditor"]), 400)["code"] == "invalid_input"
    assert _json(client.get("/api/donations?cursor=abc", **money["auditor"]), 400)["code"] == "invalid_cursor"


def _transfer(user, i):
    return transfers_create(specs=[TransferSpec(id=f"donation:R-{i:05d}", debit=accounts.BANK,
                                                credit=accounts.DONATIONS_RESTRICTED, amount=1,
                                                value_date=date(2024, 1, 2))], user=user)[0]


def test_donors_are_paged_and_searched(money):
    finance = staff_user("bulk", roles.FINANCE_OFFICER)
    Donor.objects.bulk_create([Donor(name=f"Donor {i:03d}", kind="individual", country="KR") for i in range(150)])
    donor_create(name="포스코", kind="company", country="KR", brn="124-81-00998", user=finance)
    client = Client()
    page = _json(client.get("/api/donors?limit=100", **money["auditor"]), 200)
    assert (page["count"], len(page["items"])) == (151, 100) and "cursor=" in page["next"]
    rest = _json(client.get(page["next"], **money["auditor"]), 200)
    assert len(rest["items"]) == 51 and rest["next"] is None
    whole = _json(client.get("/api/donors?limit=151", **money["auditor"]), 200)
    assert len(whole["items"]) == 151 and whole["next"] is None  # no link to an empty page
    found = _json(client.get("/api/donors?search=124-81", **money["auditor"]), 200)
    assert [d["name"] for d in found["items"]] == ["포스코"]


def test_reversal_through_the_api(money):
    client = Client()
    donor = _json(client.post("/api/donors", {"name": "포스코", "kind": "company", "country": "KR"},
                              content_type="application/json", **money["finance_officer"]), 201)
    donation = _json(client.post("/api/donations", {"donor": donor["id"], "value_date": "2023-03-15",
                                                    "bank_reference": "POSCO-1", "amount": "4000000000"},
                                 content_type="application/json", **money["finance_officer"]), 201)
    assert donation["reversed"] is False
    assert _json(client.post(f"/api/donations/{donation['id']}/reversals", {"reason": "x"},
                             content_type="application/json", **money["approver"]), 403)["code"] == "permission_denied"
    reversal = _json(client.post(f"/api/donations/{donation['id']}/reversals", {"reason": "금액 오기"},
                                 content_type="application/json", **money["finance_officer"]), 201)
    assert reversal["state"] == "proposed" and reversal["proposed_by"] == "api-finance_officer"
    assert _json(client.post(f"/api/donations/{donation['id']}/reversals", {"reason": "again"},
                             content_type="application/json", **money["finance_officer"]), 409)["code"] == \
        "reversal_exists"
    # approving needs a step-up code with a token (docs/api.md): refused without one
    assert _json(client.post(f"/api/donations/reversals/{reversal['id']}/approve", {},
                             content_type="application/json", **money["approver"]), 403)["code"] == \
        "second_factor_required"
    approved = _json(client.post(f"/api/donations/reversals/{reversal['id']}/approve", {},
                                 content_type="application/json", HTTP_X_BAESANG_OTP=fresh_code("api-approver"),
                                 **money["approver"]), 200)
    assert approved["state"] == "approved" and approved["transfer"] == "donation-reversal:POSCO-1"
    listed = _json(client.get("/api/donations", **money["auditor"]), 200)
    assert listed["items"][0]["reversed"] is True
    assert _json(client.post(f"/api/donations/reversals/{reversal['id']}/approve", {},
                             content_type="application/json", HTTP_X_BAESANG_OTP=fresh_code("api-approver"),
                             **money["approver"]), 409)["code"] == "reversal_not_proposed"


def test_future_event_dates_and_numeric_dates_are_refused(money):
    client = Client()
    donor = _json(client.post("/api/donors", {"name": "포스코", "kind": "company", "country": "KR"},
                              content_type="application/json", **money["finance_officer"]), 201)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = _json(client.post("/api/donations", {"donor": donor["id"], "value_date": tomorrow,
                                                   "bank_reference": "F-1", "amount": "1"},
                                content_type="application/json", **money["finance_officer"]), 400)
    assert refused["errors"][0]["field"].endswith("value_date")
    refused = _json(client.post(f"/api/donors/{donor['id']}/pledges", {"amount": 1, "pledged_on": tomorrow},
                                content_type="application/json", **money["finance_officer"]), 400)
    assert refused["errors"][0]["field"].endswith("pledged_on")
    # A pledge may expect its payment next year.
    _json(client.post(f"/api/donors/{donor['id']}/pledges",
                      {"amount": 1, "pledged_on": "2024-01-02", "expected_on": tomorrow},
                      content_type="application/json", **money["finance_officer"]), 201)
    for bad in ("0", "1700000000", "2024-1-2"):
        refused = _json(client.get(f"/api/fund?as_of={bad}", **money["auditor"]), 400)
        assert refused["errors"][0]["field"].endswith("as_of"), refused
    refused = _json(client.post("/api/donations", {"donor": donor["id"], "value_date": 0,
                                                   "bank_reference": "F-2", "amount": "1"},
                                content_type="application/json", **money["finance_officer"]), 400)
    assert refused["errors"][0]["field"].endswith("value_date")
    far = date(timezone.localdate().year + YEARS_AHEAD + 1, 1, 1).isoformat()
    assert _json(client.get(f"/api/fund?as_of={far}", **money["auditor"]), 400)["code"] == "invalid_input"
    assert _json(client.get(f"/api/ledger/position?as_of={tomorrow}", **money["auditor"]), 200)
