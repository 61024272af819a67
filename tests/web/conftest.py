"""Fixtures of the staff-application tests: one user per role, signing in with or without the
second factor, fast password hashing."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.contrib.auth.models import Group
from factories import JudgmentFactory

from baesang.cases import holdings
from baesang.core import roles
from baesang.judgments import services as judgments
from baesang.ledger import accounts
from baesang.ledger.services import TransferSpec, transfers_create
from baesang.web.middleware import SECOND_FACTOR_SESSION_KEY
from baesang.web.permissions import ROLE_ORDER

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(django_user_model, username: str, *role_names: str, **extra):
    roles.ensure_role_groups()
    user = django_user_model.objects.create_user(username, password=PASSWORD, **extra)
    for role in role_names:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def role_users(django_user_model) -> dict:
    """One user per role, plus 'norole' (a signed-in account without any role)."""
    users = {role: make_user(django_user_model, role, role) for role in ROLE_ORDER}
    users["norole"] = make_user(django_user_model, "norole")
    return users


def _sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = int(time.time())
    session.save()


@pytest.fixture
def sign_in():
    """``sign_in(client, user)``: as if ``user`` had passed the password and the second factor."""
    return _sign_in


@pytest.fixture
def casework(role_users):
    """Nippon Steel's judgment (DOMAIN.md §4: 100,000,000 won, 20 % a year from 2013-06-19) with
    one invented victim holding the whole claim, and 1,000,000,000 won donated to the fund."""


    case = role_users["case_officer"]
    judgment = JudgmentFactory(actor=case)
    victim = judgments.person_create(name_hangul="박순이", name_roman="Park Sun-i", actor=case,
                                     phone="010-1234-5678", bank_name="테스트은행", bank_account="100-123456-01")
    claim = judgments.claim_create(judgment=judgment, position=1, victim=victim, principal=100_000_000,
                                   segments=["2013-06-19:paid:20"], actor=case)
    holdings.claim_holders_plaintiff(claim=claim, actor=case)
    accounts.chart_ensure()
    transfers_create(specs=[TransferSpec(id="donation-1", debit=accounts.BANK, credit=accounts.DONATIONS_RESTRICTED,
                                         amount=1_000_000_000, value_date=date(2023, 3, 15),
                                         description="test donation")], user=role_users["finance_officer"])
    return {"claim": claim, "victim": victim, "judgment": judgment}
