"""Every list of the API is paged by keyset (docs/api.md "Paging"): ``limit`` bounded, an opaque
``cursor``, ``items`` + ``next_cursor`` + ``next``; walking the pages returns the whole list once;
an edited or foreign cursor is a 400 ``invalid_cursor``, never a 500; the account statement
carries its running balance from page to page."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from factories import JudgmentFactory

from baesang.api.schemas import PAGE_MAX
from baesang.cases import holdings
from baesang.core import roles
from baesang.judgments import services as judgments
from baesang.ledger import accounts
from baesang.ledger.selectors import account_statement
from baesang.ledger.services import TransferSpec, transfers_create
from baesang.staff.tokens import api_token_bootstrap

pytestmark = pytest.mark.django_db

LISTS = ["/api/claims", "/api/waiting-list", "/api/judgments", "/api/batches", "/api/holder-proposals",
         "/api/duplicates", "/api/donors", "/api/donations", "/api/donations/reversals", "/api/audit-events",
         f"/api/ledger/accounts/{accounts.BANK}/statement"]


@pytest.fixture
def world(django_user_model):
    """Five claims of one judgment (each victim its own holder) and seven donations booked in the
    ledger, read by an administrator (who may read every list)."""
    roles.ensure_role_groups()
    admin = django_user_model.objects.create_user("admin")
    admin.groups.add(*roles.Group.objects.filter(name__in=[roles.ADMINISTRATOR, roles.CASE_OFFICER,
                                                           roles.FINANCE_OFFICER, roles.AUDITOR]))
    headers = {"HTTP_AUTHORIZATION": "Bearer " + api_token_bootstrap(user=admin, name="admin")[1]}
    judgment = JudgmentFactory(actor=admin)
    for position in range(1, 6):
        victim = judgments.person_create(name_hangul=f"피해자{position}", actor=admin)
        claim = judgments.claim_create(judgment=judgment, position=position, victim=victim, principal=100_000_000,
                                       segments=["2013-06-19:paid:20"], actor=admin)
        holdings.claim_holders_plaintiff(claim=claim, actor=admin)
    accounts.chart_ensure()
    transfers_create(specs=[TransferSpec(id=f"gift-{i}", debit=accounts.BANK, credit=accounts.DONATIONS_RESTRICTED,
                                         amount=1_000_000 * (i + 1), value_date=date(2023, 3, 1 + i),
                                         description=f"gift {i}") for i in range(7)], user=admin)
    return headers


def _walk(client, url, headers, limit):
    items, pages, link = [], 0, f"{url}{'&' if '?' in url else '?'}limit={limit}"
    while link:
        response = client.get(link, **headers)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        opening = 1 if "statement" in url and pages == 0 else 0  # the statement's opening line comes in addition
        assert len(body["items"]) <= limit + opening and set(body) >= {"items", "next_cursor", "next"}
        assert (body["next"] is None) == (body["next_cursor"] is None)
        items += body["items"]
        link, pages = body["next"], pages + 1
    return items, pages


@pytest.mark.parametrize("url", LISTS)
def test_every_list_is_paged_and_refuses_a_forged_cursor(world, url):
    client = Client()
    first = client.get(url, **world)
    assert first.status_code == 200 and "items" in first.json() and "next_cursor" in first.json()
    for bad in ("forged", "W1sxXSwxLG51bGxd:1tZzZz:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"):
        refused = client.get(url, {"cursor": bad}, **world)
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_cursor"
    for limit in (0, PAGE_MAX + 1):
        too = client.get(url, {"limit": limit}, **world)
        assert too.status_code == 400 and too.json()["code"] == "invalid_input"


def test_a_cursor_of_one_list_is_refused_by_another(world):
    client = Client()
    claims = client.get("/api/claims?limit=2", **world).json()
    refused = client.get("/api/judgments", {"cursor": claims["next_cursor"]}, **world)
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_cursor"


def test_the_waiting_list_pages_carry_their_ranks(world):
    client = Client()
    whole = client.get("/api/waiting-list?as_of=2023-03-06", **world).json()
    assert [row["rank"] for row in whole["items"]] == [1, 2, 3, 4, 5] and whole["next_cursor"] is None
    assert whole["as_of"] == "2023-03-06" and whole["count"] is None
    items, pages = _walk(client, "/api/waiting-list?as_of=2023-03-06", world, 2)
    assert pages == 3 and items == whole["items"]


def test_claims_pages_walk_the_whole_list(world):
    client = Client()
    whole = client.get("/api/claims?as_of=2023-03-06", **world).json()["items"]
    assert len(whole) == 5
    items, pages = _walk(client, "/api/claims?as_of=2023-03-06", world, 2)
    assert pages == 3 and items == whole


def test_the_statement_carries_its_running_balance_across_pages(world):
    client = Client()
    url = f"/api/ledger/accounts/{accounts.BANK}/statement?date_from=2023-03-03"
    items, pages = _walk(client, url, world, 2)
    whole = account_statement(code=accounts.BANK, date_from=date(2023, 3, 3))
    # the opening line (balance before 3 March: 1 M + 2 M) and five gifts of 3 M … 7 M
    assert [line["balance"] for line in items] == [line.balance for line in whole]
    assert [line["balance"] for line in items] == [3_000_000, 6_000_000, 10_000_000, 15_000_000, 21_000_000,
                                                   28_000_000]
    assert pages == 3
