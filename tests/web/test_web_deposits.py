"""Court deposits and indemnity claims in the browser: a refused part filed with a deposit office
to the day, refused (불수리), objected to, objection dismissed; filed again, accepted, its
indemnity claim listed with its limitation date and reconciled with the ledger; returned.
Refused to the roles that do not handle deposits."""

from __future__ import annotations

import pytest
from django.test import Client

from baesang.cases.models import ClaimHolding, CourtDeposit, IndemnityClaim, Offer
from baesang.donations.selectors import fund_position
from baesang.ledger.selectors import account_balance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(sign_in, user, lang: str = "ko") -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["django_language"] = lang
    return client


@pytest.fixture
def refused(role_users, sign_in, casework):
    """The creditor of the casework claim refused the offer on 2023-03-10."""
    case = _client(sign_in, role_users["case_officer"])
    claim = casework["claim"]
    assert case.post(f"/claims/{claim.pk}/offers/", {"offered_on": "2023-03-06", "channel": "visit"}).status_code == 302
    offer = Offer.objects.get(holding__claim=claim)
    case.post(f"/offers/{offer.pk}/refuse/", {"refused_on": "2023-03-10", "reason": "일본 기업의 사죄가 먼저"})
    holding = ClaimHolding.objects.get(claim=claim)
    assert holding.state == "refused"
    return holding


def test_deposit_filed_to_the_day_refused_objected_and_dismissed(role_users, sign_in, casework, refused):
    case = _client(sign_in, role_users["case_officer"])
    claim_page = case.get(f"/claims/{casework['claim'].pk}/").content.decode()
    assert f'href="/holdings/{refused.pk}/deposit/"' in claim_page
    # 100,000,000 won at 20 % from 2013-06-19: ten whole years to 2023-06-18 are 200,000,000 won of
    # interest; twelve more days, 2023-06-19..30, are 12/366 of a year (the year from 2023-06-19
    # has 29 February 2024): 655,737.70 won, truncated.
    page = case.get(f"/holdings/{refused.pk}/deposit/?filed_on=2023-06-30").content.decode()
    assert "300,655,737원" in page and "2023년 6월 30일" in page
    response = case.post(f"/holdings/{refused.pk}/deposit/", {"court": "광주지방법원", "filed_on": "2023-06-18",
                                                              "deposit_number": "2023금제1234호", "note": ""})
    deposit = CourtDeposit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/deposits/{deposit.pk}/"
    assert (deposit.amount, deposit.principal_part, deposit.interest_part) == (300_000_000, 100_000_000, 200_000_000)
    assert deposit.court.name == "광주지방법원" and fund_position().reserved == 300_000_000
    page = case.get(f"/deposits/{deposit.pk}/").content.decode()
    assert "300,000,000원" in page and "2023금제1234호" in page and 'value="refused"' in page
    assert 'value="objection_filed"' not in page  # only the outcomes the state allows are offered
    response = case.post(f"/deposits/{deposit.pk}/decision/", {"outcome": "refused", "decided_on": "2023-07-05",
                                                                "deposit_number": "", "note": "불수리 결정"})
    assert response.status_code == 302
    deposit.refresh_from_db()
    assert deposit.state == "refused" and fund_position().reserved == 0  # the reservation is released
    # an outcome the state does not allow is refused with a message, nothing changes
    response = case.post(f"/deposits/{deposit.pk}/decision/", {"outcome": "accepted", "decided_on": "2023-07-06"})
    assert response.status_code == 400
    deposit.refresh_from_db()
    assert deposit.state == "refused"
    finance = _client(sign_in, role_users["finance_officer"])
    finance.post(f"/deposits/{deposit.pk}/decision/", {"outcome": "objection_filed", "decided_on": "2023-07-12"})
    finance.post(f"/deposits/{deposit.pk}/decision/", {"outcome": "objection_dismissed", "decided_on": "2023-09-01"})
    deposit.refresh_from_db()
    assert deposit.state == "objection_dismissed"
    page = case.get(f"/deposits/{deposit.pk}/").content.decode()
    assert "종결된 공탁입니다" in page
    listing = _client(sign_in, role_users["auditor"]).get("/deposits/?state=objection_dismissed").content.decode()
    assert f'href="/deposits/{deposit.pk}/"' in listing and "이의 기각" in listing
    assert not IndemnityClaim.objects.exists()


def test_an_accepted_deposit_gives_an_indemnity_claim_until_it_is_returned(role_users, sign_in, casework, refused):
    finance = _client(sign_in, role_users["finance_officer"], "en")
    finance.post(f"/holdings/{refused.pk}/deposit/", {"court": "서울중앙지방법원", "filed_on": "2023-06-18"})
    deposit = CourtDeposit.objects.get()
    response = finance.post(f"/deposits/{deposit.pk}/decision/", {"outcome": "accepted", "decided_on": "2023-04-12"})
    assert response.status_code == 400 and "before the filing" in response.content.decode()
    response = finance.post(f"/deposits/{deposit.pk}/decision/", {"outcome": "accepted", "decided_on": "2023-07-10"})
    assert response.status_code == 302
    indemnity = IndemnityClaim.objects.get()
    # Ten years (Art. 162(1)); the first day is not counted (Art. 157), the period ends the day before
    # the corresponding day (Art. 160(2)): accepted 2023-07-10, limitation to 2033-07-10.
    assert str(indemnity.limitation_on) == "2033-07-10" and indemnity.amount == 300_000_000
    auditor = _client(sign_in, role_users["auditor"], "en")
    page = auditor.get("/indemnity/").content.decode()
    assert "일본제철</a> (NSC)" in page
    assert "10 Jul 2033" in page and "KRW 300,000,000" in page and "differs" not in page
    assert account_balance(code="1200-NSC").balance == 300_000_000  # the row reconciles with the ledger
    assert f'href="/deposits/{deposit.pk}/"' in page
    finance.post(f"/deposits/{deposit.pk}/decision/", {"outcome": "returned", "decided_on": "2024-01-15"})
    indemnity.refresh_from_db()
    assert indemnity.state == "cancelled"
    page = auditor.get("/indemnity/?state=cancelled").content.decode()
    assert "cancelled" in page and account_balance(code="1200-NSC").balance == 0
    assert ClaimHolding.objects.get(pk=refused.pk).state == "refused"


@pytest.mark.parametrize("role", ["approver", "auditor", "administrator"])
def test_deposits_refused_to_roles_that_do_not_handle_them(role_users, sign_in, casework, refused, role):
    client = _client(sign_in, role_users[role])
    assert client.get(f"/holdings/{refused.pk}/deposit/").status_code == 403
    assert client.post(f"/holdings/{refused.pk}/deposit/", {"court": "광주지방법원",
                                                            "filed_on": "2023-06-18"}).status_code == 403
    assert not CourtDeposit.objects.exists()
    expected = 403 if role == "administrator" else 200
    assert client.get("/deposits/").status_code == expected
    assert client.get("/indemnity/").status_code == expected


def test_filing_a_part_that_was_not_refused_is_refused_with_the_reason(role_users, sign_in, casework):
    holding = ClaimHolding.objects.get(claim=casework["claim"])
    case = _client(sign_in, role_users["case_officer"], "en")
    page = case.get(f"/holdings/{holding.pk}/deposit/").content.decode()
    assert "Only a refused part is deposited with a court" in page
    response = case.post(f"/holdings/{holding.pk}/deposit/", {"court": "광주지방법원", "filed_on": "2023-06-18"})
    assert response.status_code == 400 and "only a refused part" in response.content.decode()
    assert not CourtDeposit.objects.exists()
